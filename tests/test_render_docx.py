"""DOCX renderer: structure of the XML (styles, fonts, sections, fields, settings, schema order), embedded
fonts, determinism and golden dumps. The LibreOffice page-for-page check is ``test_docx_lo.py``."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from publish.errors import Diagnostics, RenderError
from publish.fonts import FontSet
from publish.layout.frame import LayoutPlan
from publish.layout.gbt9704 import mm
from publish.layout.plan import plan as make_plan
from publish.layout.spec import LayoutSpec, default_spec
from publish.model import Booklet, Heading, Paragraph, Speech
from publish.pipeline import BuildOptions, layout
from publish.render import RENDERERS
from publish.render import _docx_fonts as fx
from publish.render import _docx_xml as ox
from publish.render.docx import render
from support import docx_norm as dn
from support.golden import check_text

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "booklet.md"
GOLDEN = Path(__file__).parent / "golden" / "docx"
W = dn.w

SEQUENCES = {
    "pPr": ox.PPR_SEQ,
    "rPr": ox.RPR_SEQ,
    "sectPr": ox.SECTPR_SEQ,
    "settings": ox.SETTINGS_SEQ,
    "style": ox.STYLE_SEQ,
    "font": ox.FONT_SEQ,
    "styles": ox.STYLES_SEQ,
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[LayoutSpec, FontSet, LayoutPlan]:
    _, spec, fonts, laid_out = layout(
        SAMPLE, BuildOptions(out_dir=tmp_path_factory.mktemp("out")), Diagnostics()
    )
    return spec, fonts, laid_out


def _render(
    laid_out: LayoutPlan, spec: LayoutSpec, fonts: FontSet, tmp: Path, mode: str = "standard"
) -> bytes:
    target = tmp / f"out-{mode}.docx"
    render(laid_out, spec, fonts, target, font_mode=mode)
    return target.read_bytes()


@pytest.fixture(scope="module")
def standard(
    sample: tuple[LayoutSpec, FontSet, LayoutPlan], tmp_path_factory: pytest.TempPathFactory
) -> bytes:
    spec, fonts, laid_out = sample
    return _render(laid_out, spec, fonts, tmp_path_factory.mktemp("std"))


@pytest.fixture(scope="module")
def portable(
    sample: tuple[LayoutSpec, FontSet, LayoutPlan], tmp_path_factory: pytest.TempPathFactory
) -> bytes:
    spec, fonts, laid_out = sample
    return _render(laid_out, spec, fonts, tmp_path_factory.mktemp("port"), "portable")


def _small_booklet(speeches: int = 3) -> Booklet:
    body = "这是正文段落，用来检验“引号”与破折号——以及省略号……在DOCX里的字体声明。" * 3
    return Booklet(
        title="测试汇编",
        organisation="测试单位",
        speeches=tuple(
            Speech(
                (f"第{k + 1}篇讲话",), (Heading(1, "一、总体要求"), Paragraph(body), Paragraph("堃喆赟。"))
            )
            for k in range(speeches)
        ),
    )


def _plan(booklet: Booklet, spec: LayoutSpec) -> tuple[FontSet, LayoutPlan]:
    fonts = FontSet.load(spec.fonts.chains)
    return fonts, make_plan(booklet, spec, fonts, Diagnostics())


# --- registry and errors ----------


def test_registered() -> None:
    assert RENDERERS["docx"] is render


def test_errors(sample: tuple[LayoutSpec, FontSet, LayoutPlan], tmp_path: Path) -> None:
    spec, fonts, laid_out = sample
    with pytest.raises(RenderError, match="font mode"):
        render(laid_out, spec, fonts, tmp_path / "x.docx", font_mode="fancy")
    with pytest.raises(RenderError, match="no pages"):
        render(replace(laid_out, pages=()), spec, fonts, tmp_path / "x.docx")
    with pytest.raises(RenderError, match="cannot write"):
        render(laid_out, spec, fonts, tmp_path / "missing" / "x.docx")


# --- fonts and themes ----------


@pytest.mark.parametrize("mode", ["standard", "portable"])
def test_no_theme_font_attributes_anywhere(mode: str, standard: bytes, portable: bytes) -> None:
    docx = standard if mode == "standard" else portable
    found = [
        (name, dn.local(attr))
        for name, root in dn.xml_parts(docx).items()
        for node in root.iter()
        for attr in node.attrib
        if dn.local(attr).lower().endswith("theme")
    ]
    assert found == []


def test_east_asia_fonts_on_every_style_and_run(standard: bytes) -> None:
    styles = dn.xml(standard, "word/styles.xml")
    default = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", dn.NS)
    assert default is not None and default.get(W("eastAsia")) == "仿宋_GB2312"
    for style in styles.iterfind("w:style", dn.NS):
        fonts = style.find("w:rPr/w:rFonts", dn.NS)
        assert fonts is not None and fonts.get(W("eastAsia")), style.get(W("styleId"))
        assert fonts.get(W("ascii")) == fonts.get(W("eastAsia")) == fonts.get(W("hAnsi"))
    for name in ("word/document.xml", "word/footer1.xml", "word/footer2.xml"):
        for r in dn.xml(standard, name).iter(W("r")):
            assert r.find("w:rPr/w:rFonts", dn.NS).get(W("eastAsia")), name


def test_standard_names_by_role(standard: bytes) -> None:
    styles = {s.get(W("styleId")): s for s in dn.xml(standard, "word/styles.xml").iterfind("w:style", dn.NS)}

    def font(style_id: str) -> str:
        return styles[style_id].find("w:rPr/w:rFonts", dn.NS).get(W("eastAsia"))

    assert font("Title") == "方正小标宋简体"
    assert font("Normal") == font("Heading3") == font("Heading4") == "仿宋_GB2312"
    assert font("Heading1") == "黑体"
    assert font("Heading2") == "楷体_GB2312"
    assert font("Footer") == "宋体"
    table = dn.xml(standard, "word/fontTable.xml")
    names = {f.get(W("name")) for f in table.iterfind("w:font", dn.NS)}
    assert {"方正小标宋简体", "仿宋_GB2312", "宋体"} <= names
    assert table.find("w:font/w:embedRegular", dn.NS) is None
    assert not any(n.startswith("word/fonts/") for n in dn.parts(standard))


def test_hint_on_runs_with_shared_punctuation(tmp_path: Path) -> None:
    spec = default_spec()
    fonts, laid_out = _plan(_small_booklet(1), spec)
    docx = _render(laid_out, spec, fonts, tmp_path)
    runs = list(dn.xml(docx, "word/document.xml").iter(W("r")))
    for r in runs:
        text = "".join(t.text or "" for t in r.iterfind("w:t", dn.NS))
        hint = r.find("w:rPr/w:rFonts", dn.NS)
        if any(c in text for c in "“”‘’—…·"):
            assert hint.get(W("hint")) == "eastAsia", text
        elif text.isascii() and text:
            assert hint is None or hint.get(W("hint")) is None


@pytest.mark.parametrize("mode,expected", [("standard", "仿宋_GB2312"), ("portable", "Zhuque Fangsong")])
def test_fallback_font_runs(mode: str, expected: str, tmp_path: Path) -> None:
    spec = default_spec()
    fonts, laid_out = _plan(_small_booklet(1), spec)
    docx = _render(laid_out, spec, fonts, tmp_path, mode)
    for r in dn.xml(docx, "word/document.xml").iter(W("r")):
        text = "".join(t.text or "" for t in r.iterfind("w:t", dn.NS))
        if "堃" in text:
            assert r.find("w:rPr/w:rFonts", dn.NS).get(W("eastAsia")) == expected
            assert ("堃喆赟" in text and "。" not in text) or mode == "standard"
            break
    else:
        pytest.fail("no run holds 堃")


def test_portable_fonts_embedded_obfuscated_and_loadable(portable: bytes, sample: tuple) -> None:
    _, _, laid_out = sample
    found = dn.parts(portable)
    rels = dn.xml(portable, "word/_rels/fontTable.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels}
    types = dn.xml(portable, "[Content_Types].xml")
    assert any(o.get("ContentType") == fx.OBFUSCATED_FONT for o in types)
    text = "".join(line.text for page in laid_out.pages for line in page.lines)
    families: dict[str, set[int]] = {}
    for entry in dn.xml(portable, "word/fontTable.xml").iterfind("w:font", dn.NS):
        embed = entry.find("w:embedRegular", dn.NS)
        assert embed is not None, entry.get(W("name"))
        assert embed.get(W("subsetted")) == "1"
        key = embed.get(W("fontKey"))
        data = found["word/" + targets[embed.get(f"{{{dn.R}}}id")]]
        assert data[:4] not in (b"\x00\x01\x00\x00", b"true")  # really obfuscated
        plain = fx.obfuscate(data, key)
        font = TTFont(io.BytesIO(plain))
        assert font["name"].getDebugName(1) == entry.get(W("name"))
        assert len(font.getGlyphOrder()) >= 26 + 1  # printable ASCII is always kept
        families[entry.get(W("name"))] = set(font.getBestCmap())
    assert {"FandolFang", "FandolSong", "Noto Serif CJK SC Black"} <= set(families)
    body_chars = {ord(c) for c in text if not c.isspace()}
    covered = set().union(*families.values())
    assert body_chars <= covered
    settings = dn.xml(portable, "word/settings.xml")
    assert settings.find("w:embedTrueTypeFonts", dn.NS) is not None
    assert settings.find("w:saveSubsetFonts", dn.NS) is not None


def test_obfuscation_key_round_trip() -> None:
    data = bytes(range(64))
    key = fx.font_key("X", data)
    assert len(key) == 38 and key.startswith("{") and key.count("-") == 4
    hidden = fx.obfuscate(data, key)
    assert hidden[32:] == data[32:] and hidden[:32] != data[:32]
    assert fx.obfuscate(hidden, key) == data
    # ECMA-376 §17.8.1: byte 0 is XORed with the GUID's last byte, byte 15 with its first.
    digits = key.strip("{}").replace("-", "")
    assert hidden[0] == data[0] ^ int(digits[-2:], 16) and hidden[15] == data[15] ^ int(digits[:2], 16)
    assert hidden[16] == data[16] ^ int(digits[-2:], 16)


# --- schema order and settings ----------


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
    assert ppr.find("w:widowControl", dn.NS).get(W("val")) == "0"  # the plan keeps headings with next only
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
    fonts, laid_out = _plan(_small_booklet(1), spec)
    styles = dn.xml(_render(laid_out, spec, fonts, tmp_path), "word/styles.xml")
    ppr = styles.find("w:docDefaults/w:pPrDefault/w:pPr", dn.NS)
    assert ppr.find("w:autoSpaceDE", dn.NS).get(W("val")) == "0"
    assert ppr.find("w:autoSpaceDN", dn.NS).get(W("val")) == "0"


def test_latin_and_digits_keep_their_own_width(standard: bytes) -> None:
    """The grid's −5 twips are for full-width characters; the plan sets Latin letters and digits at their own
    advance, so their runs say spacing 0 (and only theirs)."""
    runs = list(dn.xml(standard, "word/document.xml").find("w:body", dn.NS).iter(W("r")))
    natural = []
    for r in runs:
        text = "".join(t.text or "" for t in r.iterfind("w:t", dn.NS))
        spacing = r.find("w:rPr/w:spacing", dn.NS)
        if spacing is not None:
            assert spacing.get(W("val")) == "0" and text.isascii() and text, text
            natural.append(text)
        elif text and next(r.iterancestors(W("p"))).find("w:pPr/w:pStyle", dn.NS) is None:  # body text
            assert not any(c.isascii() and c.isalnum() for c in text), text
    assert {"1921", "100", "X", "2021"} <= set(natural)


def test_styles(standard: bytes) -> None:
    styles = {s.get(W("styleId")): s for s in dn.xml(standard, "word/styles.xml").iterfind("w:style", dn.NS)}
    names = {k: s.find("w:name", dn.NS).get(W("val")) for k, s in styles.items()}
    assert names["Normal"] == "Normal" and names["Title"] == "Title"
    assert [names[f"Heading{n}"] for n in range(1, 5)] == [f"heading {n}" for n in range(1, 5)]
    assert names["TOC1"] == "toc 1" and names["TOC2"] == "toc 2" and names["Footer"] == "footer"
    assert {"CoverTitle", "Speaker", "TOCHeading"} <= set(names)
    outline = {k: s.find("w:pPr/w:outlineLvl", dn.NS) for k, s in styles.items()}
    assert outline["Title"].get(W("val")) == "0"
    assert [outline[f"Heading{n}"].get(W("val")) for n in range(1, 5)] == ["1", "2", "3", "4"]
    assert outline["Normal"] is None
    normal = styles["Normal"]
    assert normal.find("w:rPr/w:spacing", dn.NS).get(W("val")) == "-5"
    assert normal.find("w:rPr/w:sz", dn.NS).get(W("val")) == "32"
    ind = normal.find("w:pPr/w:ind", dn.NS)
    assert (ind.get(W("firstLine")), ind.get(W("firstLineChars"))) == ("630", "200")
    assert normal.find("w:pPr/w:jc", dn.NS).get(W("val")) == "both"
    for k in ("Title", "Heading1", "Heading2", "Heading3", "Heading4"):
        assert styles[k].find("w:pPr/w:keepNext", dn.NS) is not None, k
    title = styles["Title"]
    assert title.find("w:rPr/w:sz", dn.NS).get(W("val")) == "44"
    assert title.find("w:pPr/w:jc", dn.NS).get(W("val")) == "center"
    assert title.find("w:rPr/w:spacing", dn.NS).get(W("val")) == "0"
    assert styles["CoverTitle"].find("w:pPr/w:spacing", dn.NS).get(W("line")) == str(2 * 579)
    assert all(s.find("w:rPr/w:color", dn.NS) is None for s in styles.values())


# --- document structure ----------


def _body_paragraphs(docx: bytes) -> list[etree._Element]:
    return list(dn.xml(docx, "word/document.xml").find("w:body", dn.NS).iterfind("w:p", dn.NS))


def _style(p: etree._Element) -> str:
    found = p.find("w:pPr/w:pStyle", dn.NS)
    return found.get(W("val")) if found is not None else ""


def test_paragraphs_rebuilt_from_lines(standard: bytes, sample: tuple) -> None:
    _, _, laid_out = sample
    expected: list[str] = []
    current: list[str] = []
    for page in laid_out.pages:
        for line in page.lines:
            if line.role in ("page_number", "toc") or page.kind == "cover":
                continue
            current.append(line.text)
            if line.last:
                expected.append("".join(current))
                current = []
    texts = [
        dn.paragraph_text(p) for p in _body_paragraphs(standard) if _style(p) not in ("TOC1", "TOC2", "")
    ]
    texts = [t for t in texts if not t.startswith(("残联党务", "\n"))]
    centred = {t.replace("\n", "") for t in texts}
    assert [t for t in expected if t not in centred] == []
    assert not any("\n" in t for t in texts if "\u3000" not in t and len(t) > 40)  # no frozen line breaks


def test_speech_starts_and_headings(standard: bytes, sample: tuple) -> None:
    _, _, laid_out = sample
    paras = _body_paragraphs(standard)
    titles = [p for p in paras if _style(p) == "Title"]
    assert len(titles) == len(laid_out.toc) == 3
    first_body = paras.index(titles[0])
    assert titles[0].find("w:pPr/w:pageBreakBefore", dn.NS) is None  # a section starts there already
    assert all(t.find("w:pPr/w:pageBreakBefore", dn.NS) is not None for t in titles[1:])
    assert paras[first_body - 1].find("w:pPr/w:sectPr", dn.NS) is not None
    # one blank grid line after each title (the plan's skip), as spacing after
    assert all(t.find("w:pPr/w:spacing", dn.NS).get(W("after")) == "579" for t in titles)
    marks = {b.get(W("name")) for b in dn.xml(standard, "word/document.xml").iter(W("bookmarkStart"))}
    for title in titles:
        start = title.find("w:bookmarkStart", dn.NS)
        assert start is not None and start.get(W("name")).startswith("_Toc")
    assert len(marks) >= 3


def test_sections_and_footers(standard: bytes) -> None:
    document = dn.xml(standard, "word/document.xml")
    sections = [p.find("w:pPr/w:sectPr", dn.NS) for p in _body_paragraphs(standard)]
    sections = [s for s in sections if s is not None] + [document.find("w:body/w:sectPr", dn.NS)]
    assert len(sections) == 3  # cover, 目录, body
    cover, toc, body = sections
    assert cover.find("w:footerReference", dn.NS) is None and toc.find("w:footerReference", dn.NS) is None
    refs = {r.get(W("type")): r.get(f"{{{dn.R}}}id") for r in body.iterfind("w:footerReference", dn.NS)}
    assert set(refs) == {"default", "even"} and refs["default"] != refs["even"]
    assert body.find("w:pgNumType", dn.NS).get(W("start")) == "1"
    for s in sections:
        size = s.find("w:pgSz", dn.NS)
        margin = s.find("w:pgMar", dn.NS)
        assert (size.get(W("w")), size.get(W("h"))) == ("11906", "16838")
        assert [margin.get(W(k)) for k in ("top", "bottom", "left", "right")] == [
            "2098",
            "1984",
            "1587",
            "1474",
        ]
        assert s.find("w:docGrid", dn.NS).get(W("type")) is None  # no character grid (gbt9704.md §3)
    rels = {r.get("Id"): r.get("Target") for r in dn.xml(standard, "word/_rels/document.xml.rels")}
    odd = dn.xml(standard, "word/" + rels[refs["default"]])
    even = dn.xml(standard, "word/" + rels[refs["even"]])
    for footer, jc, side in ((odd, "right", "right"), (even, "left", "left")):
        p = footer.find("w:p", dn.NS)
        assert p.find("w:pPr/w:jc", dn.NS).get(W("val")) == jc
        assert p.find("w:pPr/w:ind", dn.NS).get(W(side)) == "280"  # one 14 pt character, outer side
        assert dn.paragraph_text(p) == "— 1 —"
        codes = [t.text for t in p.iter(W("instrText"))]
        assert codes == [" PAGE "]
        kinds = [f.get(W("fldCharType")) for f in p.iter(W("fldChar"))]
        assert kinds == ["begin", "separate", "end"]
        fonts = p.find("w:r/w:rPr/w:rFonts", dn.NS)
        assert fonts.get(W("eastAsia")) == "宋体" and fonts.get(W("hint")) == "eastAsia"
    styles = {s.get(W("styleId")): s for s in dn.xml(standard, "word/styles.xml").iterfind("w:style", dn.NS)}
    assert styles["Footer"].find("w:rPr/w:sz", dn.NS).get(W("val")) == "28"  # 4号


def test_section_geometry_comes_from_the_spec_and_the_plan(tmp_path: Path) -> None:
    # The renderer converts units only: the header distance is spec.page.header, the footer distance the
    # plan's folio_bottom (set from page_number.line_baseline, LibreOffice's measured folio baseline).
    base = default_spec()
    spec = replace(
        base,
        page=replace(base.page, header=mm(10)),
        page_number=replace(base.page_number, line_baseline=0.7),
    )
    fonts, laid_out = _plan(_small_booklet(2), spec)
    folio = next(line for p in laid_out.pages for line in p.lines if line.role == "page_number")
    size = spec.page_number.size
    assert laid_out.folio_bottom == pytest.approx(spec.page.height - folio.baseline - size * (1 - 0.7))
    for plan_ in (laid_out, replace(laid_out, folio_bottom=50.0)):
        document = dn.xml(_render(plan_, spec, fonts, tmp_path), "word/document.xml")
        margins = list(document.iter(W("pgMar")))
        assert margins
        for margin in margins:
            assert margin.get(W("header")) == str(round(mm(10) * 20))
            assert margin.get(W("footer")) == str(round(plan_.folio_bottom * 20))


def test_toc_field_with_stored_numbers(standard: bytes, sample: tuple) -> None:
    _, _, laid_out = sample
    paras = _body_paragraphs(standard)
    entries = [p for p in paras if _style(p) in ("TOC1", "TOC2")]
    assert len(entries) == len(laid_out.toc)
    codes = [t.text for p in entries for t in p.iter(W("instrText"))]
    assert codes[0].strip().startswith("TOC \\o") and "\\h" in codes[0]
    assert [c.strip().split()[0] for c in codes[1:]] == ["PAGEREF"] * len(entries)
    kinds = [f.get(W("fldCharType")) for p in entries for f in p.iter(W("fldChar"))]
    assert kinds[:2] == ["begin", "separate"] and kinds[-1] == "end"
    marks = {b.get(W("name")) for b in dn.xml(standard, "word/document.xml").iter(W("bookmarkStart"))}
    for p, entry in zip(entries, laid_out.toc, strict=True):
        link = p.find("w:hyperlink", dn.NS)
        assert link.get(W("anchor")) in marks
        text = dn.paragraph_text(link)
        assert text == f"{entry.text}\t{entry.page_number}"
    toc_style = {
        s.get(W("styleId")): s for s in dn.xml(standard, "word/styles.xml").iterfind("w:style", dn.NS)
    }
    tab = toc_style["TOC1"].find("w:pPr/w:tabs/w:tab", dn.NS)
    assert (tab.get(W("val")), tab.get(W("leader")), tab.get(W("pos"))) == ("right", "dot", "8844")


@pytest.mark.parametrize("leader", ["", "—", "．" * 40])
def test_toc_right_indent_comes_from_the_plan_whatever_the_leader(leader: str, tmp_path: Path) -> None:
    # The entry text column does not depend on the leader: with no leader, or one too wide to fit, the right
    # indent must not move (the renderer used to take the leader's end from the runs).
    indents = []
    for spec in (default_spec(), replace(default_spec(), toc=replace(default_spec().toc, leader=leader))):
        fonts, laid_out = _plan(_small_booklet(3), spec)
        assert 0 < laid_out.toc_text_width < spec.page.body_width
        styles = dn.xml(_render(laid_out, spec, fonts, tmp_path), "word/styles.xml")
        toc1 = next(s for s in styles.iterfind("w:style", dn.NS) if s.get(W("styleId")) == "TOC1")
        indents.append(int(toc1.find("w:pPr/w:ind", dn.NS).get(W("right"))))
        cells = (spec.page.body_width * 20 - indents[-1]) / (spec.page.cell * 20)
        # the DOCX counts the same cells at 15.75 pt, plus half a cell
        assert cells == pytest.approx(laid_out.toc_text_width // spec.page.cell + 0.5, abs=0.1)
    assert indents[0] == indents[1]


def test_recto_blank_pages_are_counted_but_unnumbered(tmp_path: Path) -> None:
    spec = replace(default_spec(), recto=True)
    fonts, laid_out = _plan(_small_booklet(3), spec)
    kinds = [p.kind for p in laid_out.pages]
    assert "blank" in kinds
    docx = _render(laid_out, spec, fonts, tmp_path)
    document = dn.xml(docx, "word/document.xml")
    sections = [p.find("w:pPr/w:sectPr", dn.NS) for p in _body_paragraphs(docx)]
    sections = [s for s in sections if s is not None] + [document.find("w:body/w:sectPr", dn.NS)]
    expected_kinds = []
    for kind in kinds:
        kind = kind if kind in ("cover", "toc", "blank") else "body"
        if not expected_kinds or expected_kinds[-1] != kind or kind == "blank":
            expected_kinds.append(kind)
    assert len(sections) == len(expected_kinds)
    rels = {r.get("Id"): r.get("Target") for r in dn.xml(docx, "word/_rels/document.xml.rels")}
    starts = []
    for kind, s in zip(expected_kinds, sections, strict=True):
        refs = [r.get(f"{{{dn.R}}}id") for r in s.iterfind("w:footerReference", dn.NS)]
        texts = [dn.paragraph_text(dn.xml(docx, "word/" + rels[r]).find("w:p", dn.NS)) for r in refs]
        if kind == "blank":
            assert texts == ["", ""]
        elif kind == "body":
            assert texts == ["— 1 —", "— 1 —"]
        start = s.find("w:pgNumType", dn.NS)
        starts.append(start.get(W("start")) if start is not None else None)
    assert [s for s in starts if s] == ["1"]  # numbering restarts once, blank pages are counted


def test_core_properties_and_zip(standard: bytes) -> None:
    core = dn.xml(standard, "docProps/core.xml")
    text = {dn.local(n.tag): n.text for n in core}
    assert text["title"] == "残联党务干部培训班上的交流发言稿" or text["title"]
    assert text["language"] == "zh-CN"
    assert text["created"] == text["modified"] == "2012-07-01T00:00:00Z"
    with zipfile.ZipFile(io.BytesIO(standard)) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    names = [i.filename for i in infos]
    assert not any("customXml" in n or "stylesWithEffects" in n or "thumbnail" in n for n in names)


@pytest.mark.parametrize("mode", ["standard", "portable"])
def test_deterministic_bytes(mode: str, sample: tuple, tmp_path: Path) -> None:
    spec, fonts, laid_out = sample
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    assert _render(laid_out, spec, fonts, tmp_path / "a", mode) == _render(
        laid_out, spec, fonts, tmp_path / "b", mode
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
