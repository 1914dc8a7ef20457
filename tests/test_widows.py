"""Widow and orphan control: no paragraph's last line opens a page alone, no first line ends one alone.

The rule (``paginate``) is Word's and LibreOffice's for a paragraph with w:widowControl, so the DOCX agrees
(tests/test_docx_lo.py renders it). Checked here: the paginator's choices on small pages, the plans of the
sample and of a generated 100-speech booklet under several styles, and the PDFs themselves, read back: a page
that opens with a paragraph's continuation line followed by a new paragraph (or nothing) is a widow, a page
whose last text line is a first line (indented) continued on the next page is an orphan.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from publish.errors import Diagnostics
from publish.fonts import FontSet
from publish.layout.compose import Draft
from publish.layout.frame import BlockId, BlockKind, LayoutPlan
from publish.layout.paginate import Flow, Para
from publish.layout.plan import plan as make_plan
from publish.layout.spec import LayoutSpec, default_spec
from publish.layout.spec_file import merge_spec
from publish.model import Booklet
from publish.pipeline import BuildOptions, layout
from publish.render import docx as docx_renderer
from publish.render import pdf as pdf_renderer
from support import docx_norm as dn
from support.fakefonts import FakeFonts
from support.generated import generated_booklet, plan_breaks
from support.pdf_summary import TextLine, read_lines

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "booklet.md"
STYLES = {  # the rule must hold whatever else the style changes
    "default": {},
    "recto": {"recto": True},
    "gb-kinsoku-compressed": {"kinsoku": "gb", "compress_punctuation": True},
    "20-lines-no-blank": {"page": {"lines": 20}, "blank_line_after_title": False},
    "toc-depth-2": {"toc": {"depth": 2}},
}


# --- the paginator on small pages -------------------------------------------------------------------------


def _para(n: int, position: int, keep_with_next: bool = False, keep_together: bool = False) -> Para:
    block = BlockId(BlockKind.PARAGRAPH, 0, position)
    lines = [Draft("body", (), 1, block, i == 0, i == n - 1) for i in range(n)]
    return Para(lines, keep_with_next, keep_together=keep_together)


def _pages(paras: list[Para], lines: int = 6, widows: bool = True) -> list[list[int]]:
    """Return, per page, the block position of each line placed."""
    spec = replace(default_spec(), widow_control=widows)
    spec = replace(spec, page=replace(spec.page, lines=lines))
    flow = Flow(spec, "body")
    flow.new_page(forced=True)
    flow.pour(paras)
    return [[line.block.position for line in sheet.lines] for sheet in flow.pages]


@pytest.mark.parametrize(
    ("before", "n", "on", "off"),
    [
        (4, 3, [4, 3], [6, 1]),  # 2 + 1 breaks the widow rule, 1 + 2 the orphan rule: all of it moves
        (3, 5, [6, 2], [6, 2]),  # 3 + 2: allowed
        (2, 5, [5, 2], [6, 1]),  # 4 + 1: one line goes along with the last
        (5, 5, [5, 5], [6, 4]),  # 1 + 4: the first line moves on
        (4, 2, [6], [6]),  # fits: nothing to do
    ],
)
def test_rule_on_a_six_line_page(before: int, n: int, on: list[int], off: list[int]) -> None:
    for widows, expected in ((True, on), (False, off)):
        pages = _pages([_para(before, 0), _para(n, 1)], widows=widows)
        assert [len(p) for p in pages] == expected, widows
        assert sum(p.count(1) for p in pages) == n


def test_heading_keeps_with_the_next_two_lines() -> None:
    heading = _para(1, 1, keep_with_next=True, keep_together=True)
    # 3 lines of room: heading + 2 lines of a 5-line paragraph fit
    assert _pages([_para(3, 0), heading, _para(5, 2)]) == [[0, 0, 0, 1, 2, 2], [2, 2, 2]]
    # 2 lines of room: heading + 1 line would leave an orphan: both move
    assert _pages([_para(4, 0), heading, _para(5, 2)]) == [[0] * 4, [1, 2, 2, 2, 2, 2]]
    # a 3-line paragraph cannot be broken at all: heading + 3 lines need 4
    assert _pages([_para(3, 0), heading, _para(3, 2)]) == [[0] * 3, [1, 2, 2, 2]]
    # without the rule the heading needs only its next line
    assert _pages([_para(4, 0), heading, _para(5, 2)], widows=False) == [[0, 0, 0, 0, 1, 2], [2] * 4]


def test_heading_of_two_lines_is_not_split() -> None:
    heading = _para(2, 1, keep_with_next=True, keep_together=True)
    assert _pages([_para(2, 0), heading, _para(1, 2), _para(6, 3)], widows=False) == [
        [0, 0, 1, 1, 2, 3],
        [3] * 5,
    ]
    assert _pages([_para(5, 0), _para(2, 1, keep_together=True)], widows=False) == [[0] * 5, [1, 1]]


@pytest.mark.parametrize("lines", [1, 2, 3])
def test_pages_too_short_for_the_rule_still_take_every_line(lines: int) -> None:
    pages = _pages([_para(2, 0), _para(7, 1), _para(1, 2)], lines=lines)
    assert sorted(x for p in pages for x in p) == [0] * 2 + [1] * 7 + [2]
    assert all(0 < len(p) <= lines for p in pages)


# --- whole booklets ---------------------------------------------------------------------------------------


def _spec(style: dict[str, object]) -> LayoutSpec:
    return merge_spec(default_spec(), dict(style))


@pytest.fixture(scope="module")
def booklet100() -> Booklet:
    return generated_booklet(100)


@pytest.mark.parametrize("style", STYLES.values(), ids=STYLES.keys())
def test_generated_booklet_has_no_widows(booklet100: Booklet, style: dict[str, object]) -> None:
    spec = _spec(style)
    on = make_plan(booklet100, spec, FakeFonts(), Diagnostics())
    assert plan_breaks(on) == []
    off = make_plan(booklet100, replace(spec, widow_control=False), FakeFonts(), Diagnostics())
    breaks = plan_breaks(off)
    assert len(breaks) > 20, breaks  # the booklet does break paragraphs badly: the rule does the work
    assert not [b for b in breaks if "ends with a heading" in b]  # keep-with-next holds either way
    assert len(on.pages) >= len(off.pages)


def test_a_long_paragraph_breaks_over_many_pages() -> None:
    spec = replace(default_spec(), page=replace(default_spec().page, lines=5))
    booklet = generated_booklet(3, seed=2)
    laid_out = make_plan(booklet, spec, FakeFonts(), Diagnostics())
    assert plan_breaks(laid_out) == []


# --- the PDFs, read back ----------------------------------------------------------------------------------


def pdf_breaks(pages: list[list[TextLine]], plan: LayoutPlan) -> list[str]:
    """Return the widows and orphans seen in a PDF of ``plan``: lines are told apart by their left edge (a
    body paragraph's first line is indented two cells, its other lines start at the 版心's edge)."""
    left = plan.spec.page.left
    indent = 2 * plan.spec.page.cell

    def kind(line: TextLine) -> str:
        if abs(line.x0 - left) < 1.0:
            return "continued"
        return "first" if abs(line.x0 - left - indent) < 1.0 else "other"

    found = []
    for index, page in enumerate(pages):
        if plan.pages[index].kind != "body":
            continue
        text = [line for line in page if not (line.text.startswith("—") and line.text.endswith("—"))]
        if not text:
            continue
        after = pages[index + 1] if index + 1 < len(pages) else []
        if kind(text[0]) == "continued" and (len(text) == 1 or kind(text[1]) != "continued"):
            found.append(f"page {index + 1} opens with a lone last line: {text[0].text}")
        if kind(text[-1]) == "first" and after and kind(after[0]) == "continued":
            found.append(f"page {index + 1} ends with a lone first line: {text[-1].text}")
    return found


def test_sample_pdf_has_no_widows(tmp_path: Path) -> None:
    booklet, spec, fonts, laid_out = layout(SAMPLE, BuildOptions(out_dir=tmp_path), Diagnostics())
    pdf_renderer.render(laid_out, fonts, tmp_path / "on.pdf")
    assert pdf_breaks(read_lines(tmp_path / "on.pdf"), laid_out) == []
    strict = make_plan(booklet, replace(spec, widow_control=False), fonts, Diagnostics())
    pdf_renderer.render(strict, fonts, tmp_path / "off.pdf")
    found = pdf_breaks(read_lines(tmp_path / "off.pdf"), strict)
    assert len(found) == 3, found  # issue 15: 容。, 党向纵深发展。 and a first line at a page's foot


def test_generated_100_speech_pdf_has_no_widows(tmp_path: Path, booklet100: Booklet) -> None:
    spec = default_spec()
    fonts = FontSet.load(spec.fonts.chains, classes=spec.fonts.classes)
    laid_out = make_plan(booklet100, spec, fonts, Diagnostics())
    pdf_renderer.render(laid_out, fonts, tmp_path / "booklet.pdf")
    pages = read_lines(tmp_path / "booklet.pdf")
    assert len(pages) == len(laid_out.pages) > 200
    assert pdf_breaks(pages, laid_out) == []
    assert plan_breaks(laid_out) == []


# --- the DOCX says the same -------------------------------------------------------------------------------


@pytest.mark.parametrize("widows", [True, False])
def test_docx_widow_control_as_the_plan(tmp_path: Path, widows: bool) -> None:
    spec = replace(default_spec(), widow_control=widows)
    fonts = FontSet.load(spec.fonts.chains, classes=spec.fonts.classes)
    laid_out = make_plan(generated_booklet(2), spec, fonts, Diagnostics())
    assert laid_out.widow_control is widows
    target = tmp_path / "out.docx"
    docx_renderer.render(laid_out, fonts, target)
    styles = dn.xml(target.read_bytes(), "word/styles.xml")
    control = styles.find("w:docDefaults/w:pPrDefault/w:pPr/w:widowControl", dn.NS)
    assert control.get(dn.w("val")) == (None if widows else "0")
    by_id = {s.get(dn.w("styleId")): s for s in styles.iterfind("w:style", dn.NS)}
    for style_id in ("Heading1", "Heading2", "Heading3", "Speaker", "TOC1"):
        assert by_id[style_id].find("w:pPr/w:keepLines", dn.NS) is not None, style_id
    assert by_id["Normal"].find("w:pPr/w:keepLines", dn.NS) is None
