"""The plan's flow view: blocks with typed ids, page starts, blank lines, kept breaks, 目录 parts, navigation.

Every property is checked under more than the default style: compression, recto, no CJK/Latin space, TOC
depth 2, other leaders, a titleless speech.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from publish.errors import Diagnostics
from publish.layout.frame import Block, BlockKind, LayoutPlan, dump_flow
from publish.layout.plan import plan
from publish.layout.spec import LayoutSpec, default_spec
from publish.layout.spec_file import merge_spec
from publish.model import Booklet, Heading, Paragraph, Speech
from support.fakefonts import FakeFonts
from support.golden import check_text

GOLDEN = Path(__file__).parent / "golden" / "plan"
LONG = "我们党从1921年建立到现在，经历了100年风雨，始终把“人民”放在心中。" * 4
BOOKLET = Booklet(
    "学习交流发言汇编",
    (
        Speech(
            ("深刻理解全面从严治党", "以新时代党建工作引领残疾人事业新发展"),
            (Paragraph(LONG), Heading(1, "第一，几点感悟"), Paragraph("一是党组高度重视。" * 80, 4)),
            speaker="张三",
        ),
        Speech(
            (), (Paragraph("没有标题的一篇发言，从新的一页开始。"), Heading(1, "一、要求"), Paragraph(LONG))
        ),
        Speech(("第三篇",), (Paragraph("谢谢大家！"),)),
    ),
    organisation="市残联",
    date="2021年7月1日",
)
STYLES: dict[str, dict[str, Any]] = {
    "default": {},
    "compressed": {"compress_punctuation": True},
    "no-latin-space": {"latin_spacing": 0.0},
    "recto-depth-2": {"recto": True, "toc": {"depth": 2}},
    "middle-dot": {"toc": {"leader": "·"}},
    "no-leader": {"toc": {"leader": ""}},
    "lead-heiti": {"styles": {"lead": {"font": "heiti"}}},
}


def _plan(style: dict[str, Any], booklet: Booklet = BOOKLET) -> LayoutPlan:
    spec: LayoutSpec = merge_spec(default_spec(), style)
    return plan(booklet, spec, FakeFonts(), Diagnostics())


@pytest.fixture(params=sorted(STYLES), scope="module")
def laid_out(request: pytest.FixtureRequest) -> LayoutPlan:
    return _plan(STYLES[request.param])


def test_every_line_in_exactly_one_block_in_order(laid_out: LayoutPlan) -> None:
    from_pages = [line for page in laid_out.pages for line in page.lines if line.role != "page_number"]
    from_blocks = [line for block in laid_out.blocks for line in block.lines]
    assert from_blocks == from_pages
    for block in laid_out.blocks:
        assert block.lines[0].first and block.lines[-1].last
        assert all(line.block == block.id for line in block.lines)
        assert not any(line.first for line in block.lines[1:])


def test_blocks_have_typed_ids(laid_out: LayoutPlan) -> None:
    kinds = [b.id.kind for b in laid_out.blocks]
    assert kinds[:3] == [BlockKind.COVER_TITLE, BlockKind.COVER_META, BlockKind.COVER_META]
    assert BlockKind.FOLIO not in kinds
    titles = [b for b in laid_out.blocks if b.id.kind is BlockKind.TITLE]
    assert [b.id.speech for b in titles] == [0, 2]  # the second speech has no title
    for block in laid_out.blocks:
        assert (block.id.speech is None) == (
            block.page < len(laid_out.pages) and block.role.startswith(("cover", "toc"))
        )


def test_page_breaks_where_the_layout_starts_a_page(laid_out: LayoutPlan) -> None:
    starts = {b.page for b in laid_out.blocks if b.page_break_before}
    speech_firsts: dict[int, Block] = {}
    for b in laid_out.blocks:
        if b.id.speech is not None:
            speech_firsts.setdefault(b.id.speech, b)
    # every speech starts a page, the titleless one with its first paragraph; cover and 目录 start one each
    assert all(first.page_break_before for first in speech_firsts.values())
    assert speech_firsts[1].id.kind is BlockKind.PARAGRAPH
    cover_and_toc = {
        b.page for b in laid_out.blocks if b.id.kind in (BlockKind.COVER_TITLE, BlockKind.TOC_TITLE)
    }
    assert starts == {b.page for b in speech_firsts.values()} | cover_and_toc
    # a page filled by overflow has no break: its first block continues or merely starts there
    body = [p.index for p in laid_out.pages if p.kind == "body"]
    assert set(body) - starts, "the booklet should have overflow pages"


def test_blank_grid_lines_around_blocks(laid_out: LayoutPlan) -> None:
    for block, after in pairwise(laid_out.blocks):
        first, last = after.lines[0], block.lines[-1]
        top = first.grid_line - first.span + 1
        on_one_page = after.page == block.page + len(set(_pages_of(laid_out, block))) - 1
        if on_one_page and not after.page_break_before and top > last.grid_line:
            assert block.space_after == top - last.grid_line - 1, (block.id, after.id)
            if block.id.kind is BlockKind.TITLE:
                assert block.space_after == 1  # one empty grid line after a speech title
        if after.page_break_before:
            assert after.space_before == top
    cover = next(b for b in laid_out.blocks if b.id.kind is BlockKind.COVER_TITLE)
    assert cover.space_before == laid_out.spec.cover.title_centre  # one title line of two grid lines
    meta = [b for b in laid_out.blocks if b.id.kind is BlockKind.COVER_META]
    assert cover.space_after == meta[0].lines[0].grid_line - cover.lines[-1].grid_line - 1
    assert meta[-1].lines[-1].grid_line == laid_out.spec.page.lines - 1  # the date on the 版心's last line


def _pages_of(laid_out: LayoutPlan, block: Block) -> list[int]:
    where = {id(line): page.index for page in laid_out.pages for line in page.lines}
    return [where[id(line)] for line in block.lines]


def test_kept_breaks_only_for_titles_and_centred_lines(laid_out: LayoutPlan) -> None:
    for block in laid_out.blocks:
        centred = laid_out.spec.styles[block.role].align == "center"
        titles = ("cover_title", "cover_subtitle", "cover_meta", "toc_title", "title")
        assert block.kept_breaks == (centred or block.role in titles), block.role


def test_toc_entries_as_text_leader_number_target(laid_out: LayoutPlan) -> None:
    items = [b.toc for b in laid_out.blocks if b.id.kind is BlockKind.TOC_ENTRY]
    assert [i.target for i in items if i is not None] == [e.anchor for e in laid_out.toc]
    for item, entry in zip(items, laid_out.toc, strict=True):
        assert item is not None
        assert "".join(r.text for r in item.text) == entry.text
        assert item.number == str(entry.page_number)
        assert item.leader == laid_out.spec.toc.leader
        assert item.level == entry.level


def test_runs_know_their_cells(laid_out: LayoutPlan) -> None:
    for page in laid_out.pages:
        for line in page.lines:
            for run in line.runs:
                if run.text.isascii() and run.text.strip():
                    assert not run.cell, (line.text, run.text)
                elif run.text and all(not c.isascii() for c in run.text):
                    assert run.cell, (line.text, run.text)


def test_policies_and_folio_in_the_plan(laid_out: LayoutPlan) -> None:
    spec = laid_out.spec
    assert laid_out.compress_punctuation == spec.compress_punctuation
    assert laid_out.latin_spacing == spec.latin_spacing
    folio = laid_out.folio
    assert folio is not None and (folio.prefix, folio.suffix) == ("— ", " —")
    for page in laid_out.pages:
        lines = [line for line in page.lines if line.role == "page_number"]
        assert [line.text for line in lines] == ([] if page.number is None else [f"— {page.number} —"])
        assert all(line.baseline == folio.baseline for line in lines)


def test_labels_and_destinations(laid_out: LayoutPlan) -> None:
    labels = [laid_out.label(i) for i in range(len(laid_out.pages))]
    toc = next(p.index for p in laid_out.pages if p.kind == "toc")  # page 3 under recto: 2 is blank
    assert labels[0] == "封面" and labels[toc].startswith("目录")
    assert toc == (2 if laid_out.spec.recto else 1)
    for page in laid_out.pages:
        if page.number is not None:
            assert labels[page.index] == str(page.number)
    names = {d.name for d in laid_out.destinations}
    assert {link.target for link in laid_out.links} <= names
    assert {e.target for e in laid_out.outline} <= names
    toc_lines = [line for p in laid_out.pages for line in p.lines if line.link and line.runs]
    assert len(laid_out.links) == len(toc_lines)


def test_roles_carry_spans_and_cells() -> None:
    laid_out = _plan({})
    page = laid_out.spec.page
    assert laid_out.role("body").cell == pytest.approx(page.cell)
    assert laid_out.role("title").cell == pytest.approx(22.0) and laid_out.role("title").span == 1
    assert laid_out.role("cover_title").span == 2  # 42 pt needs two grid lines
    taller = _plan({"page": {"leading": 1.6}})
    assert taller.role("title").span == 2  # 22 × 1.6 > one 28.99 pt pitch


def test_spec_figures_move_the_layout() -> None:
    base = _plan({})
    moved = _plan({"cover": {"title_centre": 6, "foot_space": 3}, "toc": {"level_indent": 3.0, "depth": 2}})
    cover_line = [p.lines[0].grid_line - p.lines[0].span + 1 for p in (base.pages[0], moved.pages[0])]
    assert cover_line == [3, 6]
    meta = [
        next(b for b in p.blocks if b.id.kind is BlockKind.COVER_META).lines[0].grid_line
        for p in (base, moved)
    ]
    assert meta == [20, 17]  # organisation and date end on the 版心's last line, or 3 lines above it
    level2 = next(b for b in moved.blocks if b.toc is not None and b.toc.level == 2)
    assert level2.lines[0].x0 == pytest.approx(moved.spec.page.left + 3 * moved.spec.page.cell)


def test_golden_flow_dump(update_golden: bool) -> None:
    laid_out = plan(BOOKLET, replace(default_spec(), recto=True), FakeFonts(), Diagnostics())
    check_text(dump_flow(laid_out), GOLDEN / "flow.txt", update_golden)


def test_a_speech_without_a_title_has_no_empty_toc_entry() -> None:
    # A speech that starts with its salutation (issue 11) has no title: the 目录 lists the others only.
    from publish.model import Booklet, Paragraph, Speech
    from support.fakefonts import FakeFonts

    booklet = Booklet(
        "汇编",
        (Speech((), (Paragraph("同志们：今天开会。"),)), Speech(("第二篇",), (Paragraph("正文。"),))),
    )
    laid = plan(booklet, default_spec(), FakeFonts(), Diagnostics())
    assert [entry.text for entry in laid.toc] == ["第二篇"]
