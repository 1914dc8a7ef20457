"""The PDF renderer, read back with pdfplumber and pypdf from a small hand-built LayoutPlan.

The plan has a cover, a TOC page with links, two numbered body pages, a blank recto page and one more
numbered page; runs with negative and positive character spacing, a fallback-font run and a run no font
covers. Every check compares what the PDF contains with what the plan says.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from pypdf.generic import ContentStream

from publish.errors import RenderError
from publish.layout.frame import LayoutPlan, Line, Link, Page, PlanMeta, Run, TocEntry
from publish.layout.navigation import navigate
from publish.layout.spec import LayoutSpec, default_spec
from publish.render.pdf import _fonts as _pdf_fonts
from publish.render.pdf import render
from publish.render.pdf._placeholder import font_key
from support.fakefonts import BundledFont, BundledFonts
from support.golden import check_text
from support.pdf_summary import fonts, outline, page_lines, summarize, tc_shifts

ROOT = Path(__file__).resolve().parents[1]
FONTS = ROOT / "fonts"
GOLDEN = ROOT / "tests" / "golden" / "pdf"
FANG, FALLBACK, HEI, SONG = (
    "FandolFang-Regular.ttf",
    "ZhuqueFangsong-fallback.ttf",
    "FandolHei-Regular.ttf",
    "FandolSong-Regular.ttf",
)
SPEC = default_spec()
PAGE = SPEC.page
MARKUP = "<b>&amp;<para>"
UNCOVERED = "\U000f0001"  # a private-use character: the plan gives it no font
PLACEHOLDER = f"PublishPlaceholder-{font_key(frozenset(UNCOVERED))}"  # the font of the boxes drawn for them

POPPLER = pytest.mark.skipif(
    shutil.which("pdffonts") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdffonts, pdftotext) not installed: apt-get install poppler-utils",
)
pytestmark = pytest.mark.skipif(
    not all((FONTS / f).is_file() for f in (FANG, FALLBACK, HEI, SONG)),
    reason=f"bundled fonts not in {FONTS}",
)


class _NoFonts:
    def font(self, name: str) -> BundledFont:
        raise KeyError(name)


@cache
def _advances(font: str) -> dict[str, float]:
    """Return character → advance in em of ``font`` (from its hmtx, independently of reportlab)."""
    tt = TTFont(FONTS / font, lazy=True)
    upem = tt["head"].unitsPerEm
    hmtx = tt["hmtx"]
    return {chr(code): hmtx[glyph][0] / upem for code, glyph in tt.getBestCmap().items()}


def run(text: str, font: str, x: float, size: float = 16.0, cs: float = -0.21) -> Run:
    """Return a run whose width is what the font's metrics and the spacing give."""
    width = sum(_advances(font)[c] * size + cs for c in text) if font else 0.0
    return Run(text, font, size, x, width, cs)


def grid(role: str, n: int, *runs: Run, **kw: object) -> Line:
    return Line(role, PAGE.baseline(n), runs, grid_line=n, **kw)  # type: ignore[arg-type]


def justified(text: str) -> Run:
    """Return a run spread over the whole 版心, as the line breaker justifies."""
    natural = sum(_advances(FANG)[c] * 16 for c in text)
    return run(text, FANG, PAGE.left, cs=(PAGE.body_width - natural) / len(text))


def folio(number: int) -> Line:
    text = f"\u2014 {number} \u2014"
    width = run(text, SONG, 0, 14, 0).width
    pad = SPEC.page_number.pad * 14
    x = PAGE.left + PAGE.body_width - pad - width if number % 2 else PAGE.left + pad
    baseline = PAGE.top + PAGE.body_height + SPEC.page_number.drop + 14 * 0.88
    return Line("page_number", baseline, (run(text, SONG, x, 14, 0),))


def centred(role: str, n: int, text: str, font: str, size: float, **kw: object) -> Line:
    width = run(text, font, 0, size, 0).width
    return grid(role, n, run(text, font, PAGE.left + (PAGE.body_width - width) / 2, size, 0), **kw)


BODY1 = (
    "为深入学习贯彻党的二十大精神，进一步加强和改进机关作风建设，切实提高工作效能，现将有关事项"
    "通知如下：各单位要高度重视。"
)
TITLE1, TITLE2, H1 = "在全市工作会议上的讲话", "在总结大会上的讲话", "一、提高思想认识"


def toc_line(n: int, title: str, number: int, anchor: str) -> Line:
    """Return a TOC entry: title, a dot leader spread to the page number, the number flush right."""
    right = PAGE.left + PAGE.body_width
    title_run = run(title, FANG, PAGE.left, cs=0)
    number_run = run(str(number), FANG, 0, cs=0)
    number_run = number_run._replace(x=right - number_run.width)
    start, dot = title_run.x + title_run.width, _advances(FANG)["."] * 16
    count = int((number_run.x - start) // dot)
    leader = Run("." * count, FANG, 16.0, start, number_run.x - start, (number_run.x - start) / count - dot)
    return grid("toc", n, title_run, leader, number_run, link=anchor)


def build_plan() -> LayoutPlan:
    cover = Page(
        0,
        "cover",
        (
            Line("cover_title", 300.0, (run("讲话汇编", HEI, 213.0, 42.0, 0),)),
            Line("cover_meta", 420.0, (run(MARKUP, FANG, 240.0, 16.0, 0),)),
        ),
    )
    toc = Page(
        1,
        "toc",
        (
            centred("toc_title", 0, "目\u3000录", HEI, 22.0),
            toc_line(2, TITLE1, 1, "s1"),
            toc_line(3, TITLE2, 2, "s2"),
        ),
    )
    x2 = PAGE.left + 2 * PAGE.cell
    mixed = [run("在2024年", FANG, PAGE.left)]
    for text, font in (("濛", FALLBACK), (UNCOVERED, ""), ("雨中前行。", FANG)):
        mixed.append(run(text, font, mixed[-1].x + mixed[-1].width))
    body1 = Page(
        2,
        "body",
        (
            centred("title", 0, TITLE1, HEI, 22.0, anchor="s1"),
            grid("h1", 2, run(H1, HEI, x2), anchor="s1-1", first=True, last=True),
            grid("body", 3, run(BODY1[:26], FANG, x2), first=True, last=False),
            grid("body", 4, justified(BODY1[26 : 26 + 27]), first=False, last=False),
            grid("body", 5, *mixed, first=False, last=True),
            folio(1),
        ),
        number=1,
    )
    body2 = Page(
        3,
        "body",
        (
            centred("title", 0, TITLE2, HEI, 22.0, anchor="s2"),
            grid("body", 2, run("同志们：", FANG, x2)),
            folio(2),
        ),
        number=2,
    )
    blank = Page(4, "blank", ())
    body4 = Page(5, "body", (grid("body", 0, run("谢谢大家！", FANG, x2)), folio(4)), number=4)
    entries = (
        TocEntry(TITLE1, 1, 1, 2, "s1"),
        TocEntry(H1, 2, 1, 2, "s1-1"),
        TocEntry(TITLE2, 1, 2, 3, "s2"),
    )
    plan = LayoutPlan(
        (cover, toc, body1, body2, blank, body4),
        (entries[0], entries[2]),
        PlanMeta("讲话汇编", "市委办公室", "领导讲话"),
        outline=entries,
        fonts_used=(FANG, FALLBACK, HEI, SONG),
    )
    return navigate(plan)  # page labels, link areas and destinations, as the layout's last step


PLAN = build_plan()


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "plan.pdf"
    render(PLAN, BundledFonts(), path)
    return path


@pytest.fixture(scope="module")
def reader(pdf_path: Path) -> PdfReader:
    return PdfReader(pdf_path)


def test_every_character_sits_where_the_plan_puts_it(pdf_path: Path, reader: PdfReader) -> None:
    with pdfplumber.open(pdf_path) as pdf:
        for i, (page, plan_page) in enumerate(zip(pdf.pages, PLAN.pages, strict=True)):
            assert (float(page.width), float(page.height)) == pytest.approx((PAGE.width, PAGE.height))
            by_baseline = {line.baseline: line for line in page_lines(page, i, tc_shifts(reader, i))}
            for line in plan_page.lines:
                drawn = by_baseline.pop(round(line.baseline, 2))
                chars = iter(drawn.chars)
                for r in line.runs:
                    x = r.x
                    for char_text in r.text:
                        char = next(chars)
                        assert (char["text"], char["size"]) == (char_text, pytest.approx(r.size))
                        assert char["x0"] == pytest.approx(x, abs=0.01), (line.text, char_text)
                        # an uncovered character: a one-em box of the placeholder font (issue 16)
                        assert char["fontname"].endswith(_psname(r.font) if r.font else PLACEHOLDER)
                        x += (_advances(r.font)[char_text] if r.font else 1.0) * r.size + r.char_space
                    if r.font:  # the plan gives an uncovered character's run no width, only its cell
                        assert x == pytest.approx(r.x + r.width, abs=0.01)
                assert next(chars, None) is None
            assert not by_baseline, "text the plan does not have"


@cache
def _psname(font: str) -> str:
    return str(TTFont(FONTS / font, lazy=True)["name"].getDebugName(6))


def test_one_text_object_per_line_and_one_show_per_run(reader: PdfReader) -> None:
    for page, plan_page in zip(reader.pages, PLAN.pages, strict=True):
        contents = page.get_contents()
        ops = [op for _, op in ContentStream(contents, reader).operations] if contents is not None else []
        drawn = [[r for r in line.runs if r.text] for line in plan_page.lines]  # uncovered ones too: boxes
        assert ops.count(b"BT") == sum(1 for runs in drawn if runs)
        assert ops.count(b"Tj") == sum(len(runs) for runs in drawn)
        assert b"TJ" not in ops  # no per-glyph positioning


def test_fonts_are_embedded_cid_keyed_subsets_with_unicode_maps(pdf_path: Path, reader: PdfReader) -> None:
    found = fonts(reader)
    expected = {_psname(f) for f in (FANG, FALLBACK, HEI, SONG)} | {PLACEHOLDER}
    assert sorted(f.name.partition("+")[2] for f in found) == sorted(expected)  # one font per file
    for font in found:
        kind = (
            font.subtype,
            font.encoding,
            font.descendant,
            font.cid_to_gid,
            font.font_file,
            font.to_unicode,
        )
        assert kind == ("Type0", "Identity-H", "CIDFontType2", "Identity", "FontFile2", True), font
        assert font.subset_tag, font.name


@POPPLER
def test_poppler_sees_embedded_subsets_with_unicode_maps(pdf_path: Path) -> None:
    rows = subprocess.run(["pdffonts", str(pdf_path)], check=True, capture_output=True, text=True)
    assert [row.split()[-5:-2] for row in rows.stdout.splitlines()[2:]] == [["yes"] * 3] * 5  # emb sub uni


def test_text_copies_out_without_inserted_spaces(pdf_path: Path, reader: PdfReader) -> None:
    with pdfplumber.open(pdf_path) as pdf:
        text = pdf.pages[2].extract_text()
    assert BODY1[:26] in text and BODY1[26:53] in text
    # The fallback run joins its neighbours; the uncovered one is kept (a box in the text layer, issue 16).
    assert f"在2024年濛{UNCOVERED}雨中前行。" in text
    assert BODY1[:26] in reader.pages[2].extract_text()


def test_markup_like_text_is_drawn_literally(pdf_path: Path) -> None:
    with pdfplumber.open(pdf_path) as pdf:
        assert MARKUP in [line.text for line in page_lines(pdf.pages[0])]


def test_page_labels_equal_the_printed_numbers(reader: PdfReader) -> None:
    assert list(reader.page_labels) == ["封面", "目录", "1", "2", "3", "4"]


@pytest.mark.parametrize(
    ("kinds", "numbers", "expected"),
    [
        ("cover toc toc body body", [None, None, None, 1, 2], ["封面", "目录1", "目录2", "1", "2"]),
        ("body body blank body", [1, 2, None, 4], ["1", "2", "3", "4"]),
        ("body body", [5, 9], ["5", "9"]),
        ("cover extra body", [None, None, 1], ["封面", "ii", "1"]),
        ("cover toc blank body", [None, None, None, 1], ["封面", "目录", "目录", "1"]),
        ("cover toc toc blank body", [None] * 4 + [1], ["封面", "目录1", "目录2", "目录3", "1"]),
    ],
)
def test_page_label_ranges(
    kinds: str, numbers: list[int | None], expected: list[str], tmp_path: Path
) -> None:
    line = grid("body", 0, run("甲", FANG, PAGE.left))
    pages = tuple(
        Page(i, kind, (line,), n) for i, (kind, n) in enumerate(zip(kinds.split(), numbers, strict=True))
    )
    render(navigate(LayoutPlan(pages, (), PlanMeta("t"))), BundledFonts(), tmp_path / "x.pdf")
    assert list(PdfReader(tmp_path / "x.pdf").page_labels) == expected


def test_bookmarks_follow_the_outline(reader: PdfReader) -> None:
    assert outline(reader) == [(0, TITLE1, 2), (1, H1, 2), (0, TITLE2, 3)]
    root: Any = reader.trailer["/Root"]
    assert root["/PageMode"] == "/UseOutlines"


def test_destinations_point_at_their_lines(reader: PdfReader) -> None:
    destinations = reader.named_destinations
    for page in PLAN.pages:
        for line in page.lines:
            if line.anchor:
                dest = destinations["/" + line.anchor]  # /Dests keys are PDF names
                assert reader.get_destination_page_number(dest) == page.index
                top = PAGE.height - (line.baseline - PAGE.baseline_ratio * PAGE.pitch)
                assert float(dest.top or 0) == pytest.approx(top)


def test_toc_lines_link_to_their_speeches(reader: PdfReader) -> None:
    page_annots: Any = reader.pages[1]["/Annots"]
    annots = [a.get_object() for a in page_annots]
    assert [a["/Subtype"] for a in annots] == ["/Link", "/Link"]
    for annot, line in zip(annots, [ln for ln in PLAN.pages[1].lines if ln.link], strict=True):
        x0, y0, x1, y1 = (float(v) for v in annot["/Rect"])
        assert (x0, x1) == pytest.approx((line.x0, line.x1))
        assert y0 < PAGE.height - line.baseline < y1
        dest = annot["/Dest"]
        target = reader.named_destinations[str(dest)] if isinstance(dest, str) else dest
        page = (
            reader.get_destination_page_number(target)
            if isinstance(dest, str)
            else reader.get_page_number(dest[0].get_object())
        )
        assert page == {"s1": 2, "s2": 3}[line.link]
    assert "/Annots" not in reader.pages[2]


def test_document_info_and_language(reader: PdfReader) -> None:
    info = reader.metadata
    assert info is not None
    assert (info.title, info.author, info.subject) == ("讲话汇编", "市委办公室", "领导讲话")
    assert str(info["/Creator"]) == "publish"
    root: Any = reader.trailer["/Root"]
    assert root["/Lang"] == "zh-CN"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712


def test_same_plan_same_bytes(pdf_path: Path, tmp_path: Path) -> None:
    again = tmp_path / "other-name.pdf"
    render(PLAN, BundledFonts(), again)
    assert again.read_bytes() == pdf_path.read_bytes()
    assert b"/CreationDate (D:20120701000000+00'00')" in again.read_bytes()  # RenderOptions' fixed date


def test_summary_matches_golden(pdf_path: Path, update_golden: bool) -> None:
    check_text(summarize(pdf_path), GOLDEN / "plan.summary.txt", update_golden)


def test_a_font_file_is_opened_once_per_process(tmp_path: Path) -> None:
    first, identity = _pdf_fonts.face(BundledFont(FANG, FONTS / FANG))
    assert _pdf_fonts.face(BundledFont(FANG, FONTS / FANG))[0] is first
    copy = tmp_path / FANG
    shutil.copyfile(FONTS / FANG, copy)
    other, other_identity = _pdf_fonts.face(BundledFont(FANG, copy))
    assert other is not first and other_identity != identity  # another file: another face


def test_a_file_that_is_no_font_is_a_font_error(tmp_path: Path) -> None:
    from publish.errors import FontError

    bogus = tmp_path / "Bogus.ttf"
    bogus.write_bytes(b"not a font")
    with pytest.raises(FontError, match=r"Bogus\.ttf"):
        _pdf_fonts.face(BundledFont("Bogus.ttf", bogus))


_NOWHERE = replace(PLAN, links=(*PLAN.links, Link(1, 80.0, 100.0, 96.0, 129.0, "nowhere")))


@pytest.mark.parametrize(
    ("plan", "font_set", "target", "message"),
    [
        (replace(PLAN, pages=()), BundledFonts(), "x.pdf", "no pages"),
        (_NOWHERE, BundledFonts(), "x.pdf", "undefined destinations: nowhere"),
        (PLAN, _NoFonts(), "x.pdf", r"draws with FandolHei-Regular\.ttf, not in the font set"),  # the cover's
        (PLAN, BundledFonts(), "missing/x.pdf", "cannot write"),
    ],
)
def test_failures_are_render_errors(
    plan: LayoutPlan, font_set: _pdf_fonts.FontSource, target: str, message: str, tmp_path: Path
) -> None:
    with pytest.raises(RenderError, match=message):
        render(plan, font_set, tmp_path / target)


def test_spec_is_used_for_the_page_size(tmp_path: Path) -> None:
    spec = LayoutSpec(page=replace(PAGE, width=500.0, height=700.0))
    render(replace(PLAN, spec=spec), BundledFonts(), tmp_path / "small.pdf")
    box = PdfReader(tmp_path / "small.pdf").pages[0].mediabox
    assert (float(box.width), float(box.height)) == (500.0, 700.0)


def _many_characters_page() -> tuple[Line, ...]:
    # 616 distinct characters, 28 a run: reportlab's simple fonts needed three 256-glyph subsets and several
    # strings a run for them; one CID-keyed font shows each run as one string
    ideographs = [c for c in map(chr, range(0x4E00, 0x9FA6)) if c in _advances(FANG)][: 22 * 28]
    return tuple(
        grid("body", n, run("".join(ideographs[n * 28 : (n + 1) * 28]), FANG, PAGE.left)) for n in range(22)
    )


@pytest.fixture(scope="module")
def many_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("many") / "many.pdf"
    render(
        LayoutPlan((Page(0, "body", _many_characters_page(), 1),), (), PlanMeta("t")), BundledFonts(), path
    )
    return path


def test_many_distinct_characters_keep_their_spacing_and_text(many_pdf: Path) -> None:
    lines = _many_characters_page()
    reader = PdfReader(many_pdf)
    assert [f.name.partition("+")[2] for f in fonts(reader)] == [_psname(FANG)]
    contents = reader.pages[0].get_contents()
    assert contents is not None
    assert [op for _, op in ContentStream(contents, reader).operations].count(b"Tj") == 22
    with pdfplumber.open(many_pdf) as pdf:
        drawn = page_lines(pdf.pages[0], 0, tc_shifts(reader, 0))
    assert [line.text for line in drawn] == [line.text for line in lines]
    for line, planned in zip(drawn, lines, strict=True):
        assert [c["x0"] for c in line.chars] == pytest.approx(
            [PAGE.left + k * (16 - 0.21) for k in range(28)], abs=0.01
        )
        assert line.x1 == pytest.approx(planned.x1 + 0.21, abs=0.01)


@POPPLER
def test_poppler_applies_the_spacing_and_reads_the_text(many_pdf: Path) -> None:
    # poppler applies Tc per PDF 32000 §9.4.4: a check independent of pdfplumber
    lines = _many_characters_page()
    bbox = subprocess.run(
        ["pdftotext", "-bbox", str(many_pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    ends = [float(x) for x in re.findall(r'xMax="([\d.]+)"', bbox)]
    assert ends == pytest.approx([lines[0].x1 + 0.21] * 22, abs=0.01)
    words = re.findall(r">([^<]+)</word>", bbox)
    assert words == [line.text for line in lines]


def test_outline_entries_without_anchor_open_their_page(tmp_path: Path) -> None:
    plan = navigate(replace(PLAN, outline=(*PLAN.outline, TocEntry("附录", 1, 4, 5, ""))))
    render(plan, BundledFonts(), tmp_path / "x.pdf")
    assert outline(PdfReader(tmp_path / "x.pdf"))[-1] == (0, "附录", 5)
