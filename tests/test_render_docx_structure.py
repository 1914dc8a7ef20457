"""The DOCX renderer's document structure: paragraphs rebuilt from the plan's lines, speech starts, sections,
footers and page geometry, the TOC field and its indents, blank recto pages."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from publish.layout.gbt9704 import mm
from publish.layout.spec import default_spec
from publish.render.docx.sections import FOLIO_LINE_BASELINE
from support import docx_norm as dn
from support.docx_build import (
    Sample,
    body_paragraphs,
    plan_of,
    render_docx,
    small_booklet,
    style_of,
)

W = dn.w


def test_paragraphs_rebuilt_from_lines(standard: bytes, sample: Sample) -> None:
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
        dn.paragraph_text(p) for p in body_paragraphs(standard) if style_of(p) not in ("TOC1", "TOC2", "")
    ]
    texts = [t for t in texts if not t.startswith(("残联党务", "\n"))]
    centred = {t.replace("\n", "") for t in texts}
    assert [t for t in expected if t not in centred] == []
    assert not any("\n" in t for t in texts if "\u3000" not in t and len(t) > 40)  # no frozen line breaks


def test_speech_starts_and_headings(standard: bytes, sample: Sample) -> None:
    _, _, laid_out = sample
    paras = body_paragraphs(standard)
    titles = [p for p in paras if style_of(p) == "Heading1"]
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
    sections = [p.find("w:pPr/w:sectPr", dn.NS) for p in body_paragraphs(standard)]
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
        fonts = p.find("w:r/w:rPr/w:rFonts", dn.NS)  # the hint only: the font is the Footer style's
        assert fonts.get(W("eastAsia")) is None and fonts.get(W("hint")) == "eastAsia"
    styles = {s.get(W("styleId")): s for s in dn.xml(standard, "word/styles.xml").iterfind("w:style", dn.NS)}
    assert styles["Footer"].find("w:rPr/w:sz", dn.NS).get(W("val")) == "28"  # 4号
    assert styles["Footer"].find("w:rPr/w:rFonts", dn.NS).get(W("eastAsia")) == "宋体"


def test_section_geometry_comes_from_the_spec_and_the_plan(tmp_path: Path) -> None:
    # The header distance is spec.page.header; the footer distance puts the bottom of the folio's
    # size-high line box where LibreOffice's measured baseline (sections.FOLIO_LINE_BASELINE) lands the
    # plan's folio baseline, wherever the plan puts it.
    base = default_spec()
    spec = replace(base, page=replace(base.page, header=mm(10)))
    fonts, laid_out = plan_of(small_booklet(2), spec)
    folio = next(line for p in laid_out.pages for line in p.lines if line.role == "page_number")
    assert laid_out.folio is not None and laid_out.folio.baseline == folio.baseline
    for plan_ in (laid_out, replace(laid_out, folio=replace(laid_out.folio, baseline=780.0))):
        assert plan_.folio is not None
        size = plan_.folio.size
        bottom = spec.page.height - plan_.folio.baseline - size * (1 - FOLIO_LINE_BASELINE)
        document = dn.xml(render_docx(plan_, fonts, tmp_path), "word/document.xml")
        margins = list(document.iter(W("pgMar")))
        assert margins
        for margin in margins:
            assert margin.get(W("header")) == str(round(mm(10) * 20))
            assert margin.get(W("footer")) == str(round(bottom * 20))


def test_toc_field_with_stored_numbers(standard: bytes, sample: Sample) -> None:
    _, _, laid_out = sample
    paras = body_paragraphs(standard)
    entries = [p for p in paras if style_of(p) in ("TOC1", "TOC2")]
    assert len(entries) == len(laid_out.toc)
    codes = [t.text for p in entries for t in p.iter(W("instrText"))]
    assert codes[0].strip().startswith("TOC \\o") and "\\h" in codes[0]
    assert [c.strip().split()[0] for c in codes[1:]] == ["PAGEREF"] * len(entries)
    kinds = [f.get(W("fldCharType")) for p in entries for f in p.iter(W("fldChar"))]
    assert kinds[:2] == ["begin", "separate"] and kinds[-1] == "end"
    marks = {b.get(W("name")) for b in dn.xml(standard, "word/document.xml").iter(W("bookmarkStart"))}
    items = [b.toc for b in laid_out.blocks if b.toc is not None]
    assert any(len(item.lines) > 1 for item in items)  # a wrapped entry
    for p, entry, item in zip(entries, laid_out.toc, items, strict=True):
        link = p.find("w:hyperlink", dn.NS)
        assert link.get(W("anchor")) in marks
        text = dn.paragraph_text(link)
        # the entry's text, broken (forced line breaks) where the plan wraps it, then tab and number
        lines = ["".join(r.text for r in line) for line in item.lines]
        assert text == "\n".join(lines) + f"\t{entry.page_number}"
        assert text.replace("\n", "") == f"{entry.text}\t{entry.page_number}"
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
        fonts, laid_out = plan_of(small_booklet(3), spec)
        assert 0 < laid_out.toc_text_width < spec.page.body_width
        styles = dn.xml(render_docx(laid_out, fonts, tmp_path), "word/styles.xml")
        toc1 = next(s for s in styles.iterfind("w:style", dn.NS) if s.get(W("styleId")) == "TOC1")
        indents.append(int(toc1.find("w:pPr/w:ind", dn.NS).get(W("right"))))
        cells = (spec.page.body_width * 20 - indents[-1]) / (spec.page.cell * 20)
        # the DOCX counts the same cells at 15.75 pt, plus half a cell
        assert cells == pytest.approx(laid_out.toc_text_width // spec.page.cell + 0.5, abs=0.1)
    assert indents[0] == indents[1]


@pytest.mark.parametrize(("leader", "tab"), [("", "none"), ("·", "middleDot"), (".", "dot"), ("-", "hyphen")])
def test_toc_tab_draws_the_plans_leader(leader: str, tab: str, tmp_path: Path) -> None:
    spec = replace(default_spec(), toc=replace(default_spec().toc, leader=leader, depth=2))
    fonts, laid_out = plan_of(small_booklet(2), spec)
    styles = dn.xml(render_docx(laid_out, fonts, tmp_path), "word/styles.xml")
    for style_id in ("TOC1", "TOC2"):
        style = next(s for s in styles.iterfind("w:style", dn.NS) if s.get(W("styleId")) == style_id)
        assert style.find("w:pPr/w:tabs/w:tab", dn.NS).get(W("leader")) == tab


def test_a_speech_without_title_starts_a_page_as_in_the_plan(tmp_path: Path) -> None:
    booklet = small_booklet(3)
    untitled = replace(booklet.speeches[1], title=())
    booklet = replace(booklet, speeches=(booklet.speeches[0], untitled, booklet.speeches[2]))
    fonts, laid_out = plan_of(booklet, default_spec())
    starts = [b for b in laid_out.blocks if b.page_break_before and b.id.speech is not None]
    assert [b.id.speech for b in starts] == [0, 1, 2] and starts[1].role == "h1"
    paras = body_paragraphs(render_docx(laid_out, fonts, tmp_path))
    breaks = [p for p in paras if p.find("w:pPr/w:pageBreakBefore", dn.NS) is not None]
    # the first speech opens its section; the titleless one breaks before its first heading
    assert [style_of(p) for p in breaks] == ["Heading2", "Heading1"]  # the titleless one's 一、, a title


def test_recto_blank_pages_are_counted_but_unnumbered(tmp_path: Path) -> None:
    spec = replace(default_spec(), recto=True)
    fonts, laid_out = plan_of(small_booklet(3), spec)
    kinds = [p.kind for p in laid_out.pages]
    assert "blank" in kinds
    docx = render_docx(laid_out, fonts, tmp_path)
    document = dn.xml(docx, "word/document.xml")
    sections = [p.find("w:pPr/w:sectPr", dn.NS) for p in body_paragraphs(docx)]
    sections = [s for s in sections if s is not None] + [document.find("w:body/w:sectPr", dn.NS)]
    expected_kinds: list[str] = []
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


@pytest.mark.parametrize("depth", [1, 2, 3])
def test_the_toc_field_collects_exactly_the_plans_entries(depth: int, tmp_path: Path) -> None:
    # What Word's "update table" would list: the paragraphs in the heading styles the field's \o range names
    # (by name, as Word, WPS and LibreOffice match them), read back with python-docx.
    import docx as python_docx

    booklet = small_booklet(3)
    two_line = replace(booklet.speeches[0], title=("第一篇讲话", "在全市工作会议上"))
    booklet = replace(booklet, speeches=(two_line, *booklet.speeches[1:]))
    spec = replace(default_spec(), toc=replace(default_spec().toc, depth=depth))
    fonts, laid_out = plan_of(booklet, spec)
    path = tmp_path / "toc.docx"
    path.write_bytes(render_docx(laid_out, fonts, tmp_path))
    document = python_docx.Document(str(path))
    codes = [t.text for t in dn.xml(path.read_bytes(), "word/document.xml").iter(W("instrText"))]
    field = next(c for c in codes if c.strip().startswith("TOC"))
    low, high = (int(n) for n in field.split('"')[1].split("-"))
    collected = []
    for paragraph in document.paragraphs:
        style = paragraph.style
        name = (style.name or "").lower() if style is not None else ""
        if style is not None and name.startswith("heading ") and low <= int(name.split()[1]) <= high:
            level = int(name.split()[1])
            outline = style.element.find("w:pPr/w:outlineLvl", dn.NS)
            assert outline is not None and outline.get(W("val")) == str(level - 1)
            collected.append((level, re.sub(r"[\s\u3000]", "", paragraph.text)))
    expected = [(e.level, re.sub(r"[\s\u3000]", "", e.text)) for e in laid_out.toc]
    assert collected == expected
    assert len(expected) == 3 * min(depth, 2)  # three speeches, each with one 一、 heading at depth ≥ 2


@pytest.mark.parametrize("kinsoku", ["basic", "gb"])
def test_kinsoku_lists_are_the_layouts(kinsoku: str, tmp_path: Path) -> None:
    from publish.layout.linebreak import GB_NO_END, NO_END, NO_START

    fonts, laid_out = plan_of(small_booklet(1), replace(default_spec(), kinsoku=kinsoku))
    settings = dn.xml(render_docx(laid_out, fonts, tmp_path), "word/settings.xml")
    after = settings.find("w:noLineBreaksAfter", dn.NS)
    before = settings.find("w:noLineBreaksBefore", dn.NS)
    assert after.get(W("lang")) == before.get(W("lang")) == "zh-CN"
    assert set(before.get(W("val"))) == NO_START
    assert set(after.get(W("val"))) == (GB_NO_END if kinsoku == "gb" else NO_END)
