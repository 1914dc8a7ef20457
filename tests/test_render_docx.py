"""DOCX renderer: registry and errors, schema order, settings, styles, core properties, determinism and golden
dumps. Fonts: ``test_render_docx_fonts.py``; sections, footers and the TOC: ``test_render_docx_structure.py``;
the LibreOffice page-for-page check: ``test_docx_lo.py``."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from publish.errors import RenderError
from publish.layout.spec import default_spec
from publish.render.docx import render
from publish.render.docx.oxml import schema
from support import docx_norm as dn
from support.docx_build import (
    Sample,
    plan_of,
    render_docx,
    small_booklet,
)
from support.golden import check_text

W = dn.w
GOLDEN = Path(__file__).parent / "golden" / "docx"


SEQUENCES = {
    "pPr": schema.PPR_SEQ,
    "rPr": schema.RPR_SEQ,
    "sectPr": schema.SECTPR_SEQ,
    "settings": schema.SETTINGS_SEQ,
    "style": schema.STYLE_SEQ,
    "font": schema.FONT_SEQ,
    "styles": schema.STYLES_SEQ,
}


def test_errors(sample: Sample, tmp_path: Path) -> None:
    _, fonts, laid_out = sample
    with pytest.raises(RenderError, match="font mode"):
        render(laid_out, fonts, tmp_path / "x.docx", font_mode="fancy")
    with pytest.raises(RenderError, match="no pages"):
        render(replace(laid_out, pages=()), fonts, tmp_path / "x.docx")
    with pytest.raises(RenderError, match="cannot write"):
        render(laid_out, fonts, tmp_path / "missing" / "x.docx")


@pytest.mark.parametrize("mode", ["standard", "portable"])
def test_the_libreoffice_variant_differs_only_in_overflow_punct_and_compat_mode(
    mode: str, sample: Sample, tmp_path: Path
) -> None:
    # ECMA-376 §17.3.1.21: w:overflowPunct off = no mark hangs (Word, WPS); LibreOffice reads it inverted
    _, fonts, laid_out = sample
    parts = {}
    for reader in ("word", "libreoffice"):
        target = tmp_path / f"{reader}.docx"
        render(laid_out, fonts, target, font_mode=mode, docx_for=reader)
        parts[reader] = dn.dump(target, GOLDEN_PARTS)
    # and w:compat's compatibilityMode: 15 for Word (no "Compatibility Mode"), 14 where LibreOffice keeps the
    # 目录's right tab stop
    differing = [name for name in GOLDEN_PARTS if parts["word"].get(name) != parts["libreoffice"].get(name)]
    assert differing == ["word/styles.xml", "word/settings.xml"]
    word, lo = (parts[r]["word/styles.xml"].splitlines() for r in ("word", "libreoffice"))
    changed = [(a.strip(), b.strip()) for a, b in zip(word, lo, strict=True) if a != b]
    assert changed and set(changed) == {('<w:overflowPunct w:val="0"/>', "<w:overflowPunct/>")}
    word, lo = (parts[r]["word/settings.xml"].splitlines() for r in ("word", "libreoffice"))
    changed = [(a.strip(), b.strip()) for a, b in zip(word, lo, strict=True) if a != b]
    assert len(changed) == 1 and 'w:val="15"' in changed[0][0] and 'w:val="14"' in changed[0][1]
    assert "compatibilityMode" in changed[0][0]
    with pytest.raises(RenderError, match="reader"):
        render(laid_out, fonts, tmp_path / "x.docx", docx_for="wps")


@pytest.mark.parametrize("mode", ["standard", "portable"])
def test_no_negative_measures_where_the_schema_forbids_them(
    mode: str, standard: bytes, portable: bytes
) -> None:
    # ST_TwipsMeasure (w:ind firstLine, hanging, left, right; w:spacing before, after) cannot be negative:
    # Word offers to repair such a file. The 目录's hanging indent is w:hanging.
    docx = standard if mode == "standard" else portable
    negative = [
        (dn.local(node.tag), key, value)
        for name, root in dn.xml_parts(docx).items()
        if name.startswith("word/")
        for node in root.iter()
        if isinstance(node.tag, str) and dn.local(node.tag) in ("ind", "spacing")
        for key, value in ((dn.local(k), v) for k, v in node.attrib.items())
        if key in ("firstLine", "hanging", "left", "right", "before", "after") and int(value) < 0
    ]
    assert negative == []
    styles = dn.xml(docx, "word/styles.xml")
    toc = next(s for s in styles.iterfind("w:style", dn.NS) if s.get(W("styleId")) == "TOC1")
    assert toc.find("w:pPr/w:ind", dn.NS).get(W("hanging")) == "630"


def test_add_puts_children_in_schema_order_whatever_the_call_order() -> None:
    from publish.render.docx.oxml.elements import add, el

    p = add(el("pPr"), el("jc", val="center"), el("spacing", line="579"))
    add(p, el("pStyle", val="Normal"), el("kinsoku"))
    add(
        p, el("tab"), el("outlineLvl", val="1"), el("tab")
    )  # w:tab has no place in a w:pPr: appended as it comes
    assert [dn.local(c.tag) for c in p] == ["pStyle", "kinsoku", "spacing", "jc", "tab", "outlineLvl", "tab"]
    r = add(el("rPr"), el("sz", val="32"), el("rFonts"), el("lang"), el("b"))
    assert [dn.local(c.tag) for c in r] == ["rFonts", "b", "sz", "lang"]


def test_elements_runs_and_paragraphs_are_fresh_copies_of_their_prototypes() -> None:
    from publish.render.docx.oxml.elements import ParaFormat, RunFormat, el, paragraph, run

    first = el("jc", val="center")
    first.set(first.keys()[0], "left")
    first.append(el("b"))
    again = el("jc", val="center")
    assert list(again.attrib.values()) == ["center"] and len(again) == 0
    fmt = RunFormat(font="仿宋_GB2312", size=32)
    one, two = run("一", fmt), run("二", fmt)
    assert one is not two and one[0] is not two[0]
    one[0].append(el("b"))  # into the first run's w:rPr only
    three = run("三", fmt)
    assert [dn.local(c.tag) for c in three[0]] == ["rFonts", "sz", "szCs"]
    assert [dn.local(c.tag) for c in three] == ["rPr", "t"] and three[1].text == "三"
    para = ParaFormat(style="Heading1")
    p = paragraph(para, [one])
    q = paragraph(para)
    assert [dn.local(c.tag) for c in p] == ["pPr", "r"] and [dn.local(c.tag) for c in q] == ["pPr"]


@pytest.mark.parametrize("mode", ["standard", "portable"])
def test_children_in_schema_order(mode: str, standard: bytes, portable: bytes) -> None:
    docx = standard if mode == "standard" else portable
    checked = 0
    for name, root in dn.xml_parts(docx).items():
        if not name.startswith("word/"):
            continue
        for node in root.iter():
            if not isinstance(node.tag, str) or not node.tag.startswith(f"{{{dn.W}}}"):
                continue
            sequence = SEQUENCES.get(dn.local(node.tag))
            if sequence is None:
                continue
            ranks = {n: i for i, group in enumerate(sequence) for n in group.split("|")}
            order = [
                dn.local(c.tag) for c in node if isinstance(c.tag, str) and c.tag.startswith(f"{{{dn.W}}}")
            ]
            assert all(o in ranks for o in order), (name, order)
            positions = [ranks[o] for o in order]
            assert positions == sorted(positions), (name, dn.local(node.tag), order)
            assert len(set(order)) == len(order) or dn.local(node.tag) in ("sectPr", "styles")
            checked += 1
    assert checked > 100


def test_settings(standard: bytes) -> None:
    settings = dn.xml(standard, "word/settings.xml")
    assert settings.find("w:evenAndOddHeaders", dn.NS) is not None
    assert settings.find("w:characterSpacingControl", dn.NS).get(W("val")) == "doNotCompress"
    assert settings.find("w:themeFontLang", dn.NS).get(W("eastAsia")) == "zh-CN"
    assert settings.find("w:embedTrueTypeFonts", dn.NS) is None
    assert settings.find("w:rsids", dn.NS) is None and settings.find("w:updateFields", dn.NS) is None
    styles = dn.xml(standard, "word/styles.xml")
    ppr = styles.find("w:docDefaults/w:pPrDefault/w:pPr", dn.NS)
    assert ppr.find("w:kinsoku", dn.NS).get(W("val")) is None  # on
    assert ppr.find("w:widowControl", dn.NS).get(W("val")) is None  # on: the plan's widow and orphan rule
    # the plan adds CJK/Latin spacing (spec.latin_spacing 0.2 em): Word's automatic spacing on
    assert ppr.find("w:autoSpaceDE", dn.NS).get(W("val")) is None
    assert ppr.find("w:autoSpaceDN", dn.NS).get(W("val")) is None
    assert ppr.find("w:overflowPunct", dn.NS) is not None
    spacing = ppr.find("w:spacing", dn.NS)
    assert (spacing.get(W("line")), spacing.get(W("lineRule"))) == ("579", "exact")
    lang = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", dn.NS)
    assert lang.get(W("eastAsia")) == "zh-CN"


def test_no_automatic_cjk_latin_spacing_when_the_plan_adds_none(tmp_path: Path) -> None:
    spec = replace(default_spec(), latin_spacing=0.0)
    fonts, laid_out = plan_of(small_booklet(1), spec)
    styles = dn.xml(render_docx(laid_out, fonts, tmp_path), "word/styles.xml")
    ppr = styles.find("w:docDefaults/w:pPrDefault/w:pPr", dn.NS)
    assert ppr.find("w:autoSpaceDE", dn.NS).get(W("val")) == "0"
    assert ppr.find("w:autoSpaceDN", dn.NS).get(W("val")) == "0"


def test_styles(standard: bytes) -> None:
    styles = {s.get(W("styleId")): s for s in dn.xml(standard, "word/styles.xml").iterfind("w:style", dn.NS)}
    names = {k: s.find("w:name", dn.NS).get(W("val")) for k, s in styles.items()}
    assert names["Normal"] == "Normal" and "Title" not in names
    assert [names[f"Heading{n}"] for n in range(1, 6)] == [f"heading {n}" for n in range(1, 6)]
    assert names["TOC1"] == "toc 1" and names["TOC2"] == "toc 2" and names["Footer"] == "footer"
    assert {"CoverTitle", "Speaker", "TOCHeading"} <= set(names)
    outline = {k: s.find("w:pPr/w:outlineLvl", dn.NS) for k, s in styles.items()}
    assert [outline[f"Heading{n}"].get(W("val")) for n in range(1, 6)] == ["0", "1", "2", "3", "4"]
    assert outline["Normal"] is None
    normal = styles["Normal"]
    assert normal.find("w:rPr/w:spacing", dn.NS).get(W("val")) == "-5"
    assert normal.find("w:rPr/w:sz", dn.NS).get(W("val")) == "32"
    ind = normal.find("w:pPr/w:ind", dn.NS)
    assert (ind.get(W("firstLine")), ind.get(W("firstLineChars"))) == ("630", "200")
    assert normal.find("w:pPr/w:jc", dn.NS).get(W("val")) == "both"
    for k in ("Heading1", "Heading2", "Heading3", "Heading4", "Heading5"):
        assert styles[k].find("w:pPr/w:keepNext", dn.NS) is not None, k
        assert styles[k].find("w:pPr/w:keepLines", dn.NS) is not None, k
    assert normal.find("w:pPr/w:keepNext", dn.NS) is None and normal.find("w:pPr/w:keepLines", dn.NS) is None
    title = styles["Heading1"]
    assert title.find("w:rPr/w:sz", dn.NS).get(W("val")) == "44"
    assert title.find("w:pPr/w:jc", dn.NS).get(W("val")) == "center"
    assert title.find("w:rPr/w:spacing", dn.NS).get(W("val")) == "0"
    assert styles["CoverTitle"].find("w:pPr/w:spacing", dn.NS).get(W("line")) == str(2 * 579)
    assert all(s.find("w:rPr/w:color", dn.NS) is None for s in styles.values())


def test_core_properties_and_zip(standard: bytes) -> None:
    core = dn.xml(standard, "docProps/core.xml")
    text = {dn.local(n.tag): n.text for n in core}
    assert text["title"] == "残联党务干部培训班上的交流发言稿"
    assert text["language"] == "zh-CN"
    assert text["created"] == text["modified"] == "2012-07-01T00:00:00Z"
    with zipfile.ZipFile(io.BytesIO(standard)) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    names = [i.filename for i in infos]
    assert not any("customXml" in n or "stylesWithEffects" in n or "thumbnail" in n for n in names)


@pytest.mark.parametrize("mode", ["standard", "portable"])
def test_every_part_is_typed_and_every_relationship_resolves(
    mode: str, standard: bytes, portable: bytes
) -> None:
    # the package is written by our own code (render.docx.oxml.package), not python-docx's
    data = standard if mode == "standard" else portable
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
        assert names[:2] == ["[Content_Types].xml", "_rels/.rels"]
        assert len(set(names)) == len(names)
        types = dn.xml(data, "[Content_Types].xml")
        overrides = {o.get("PartName"): o.get("ContentType") for o in types if dn.local(o.tag) == "Override"}
        defaults = {d.get("Extension") for d in types if dn.local(d.tag) == "Default"}
        parts = {"/" + n for n in names if not n.endswith(".rels") and n != "[Content_Types].xml"}
        assert set(overrides) == parts and {"rels", "xml"} <= defaults
        related: set[str] = set()
        for rels in (n for n in names if n.endswith(".rels")):
            source_folder = rels.rsplit("_rels/", 1)[0]
            ids = [r.get("Id") for r in dn.xml(data, rels)]
            assert len(set(ids)) == len(ids), rels
            for rel in dn.xml(data, rels):
                target = "/" + str(Path(source_folder, rel.get("Target")))
                assert target in parts, (rels, rel.get("Target"))
                related.add(target)
    assert related == parts  # no part is left unreferenced
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    assert overrides["/word/document.xml"] == main
    assert any(p.startswith("/word/theme/") for p in parts)
    assert any(p.startswith("/word/fonts/") for p in parts) == (mode == "portable")


@pytest.mark.parametrize("mode", ["standard", "portable"])
def test_deterministic_bytes(mode: str, sample: Sample, tmp_path: Path) -> None:
    _, fonts, laid_out = sample
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert render_docx(laid_out, fonts, tmp_path / "a", mode) == render_docx(
        laid_out, fonts, tmp_path / "b", mode
    )


GOLDEN_PARTS = (
    "word/document.xml",
    "word/styles.xml",
    "word/settings.xml",
    "word/footer1.xml",
    "word/footer2.xml",
    "word/fontTable.xml",
    "docProps/core.xml",
)


@pytest.mark.parametrize("part", GOLDEN_PARTS)
def test_golden_dump(part: str, standard: bytes, update_golden: bool) -> None:
    dumped = dn.dump(standard, (part,))[part]
    check_text(dumped, GOLDEN / "sample-standard" / (part.replace("/", "__")), update_golden)
