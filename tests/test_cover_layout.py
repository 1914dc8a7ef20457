"""The cover and the speaker line, read back from the PDF (docs/cover.md).

Cover: under several styles and field combinations (long titles, no subtitle, only a date, only an
organisation, several organisations, nothing but a title, no title), every cover baseline is a grid baseline,
the title block is centred on ``cover.title_centre`` in the 版心's upper third, organisation and date form
one block ending ``cover.foot_space`` lines above the 版心's foot, and at least one blank grid line parts the
blocks. Speaker line: one blank grid line between the byline (one or three lines) and the body, none without a
byline or when the style turns it off; the 目录's numbers are the folios of the pages the titles are on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from publish.errors import Diagnostics, SpecError
from publish.fonts import FontSet
from publish.layout.frame import LayoutPlan
from publish.layout.plan import plan as make_plan
from publish.layout.spec import LayoutSpec, default_spec
from publish.layout.spec_file import merge_spec
from publish.model import Booklet, Heading, Paragraph, Speech
from publish.render.pdf import render as render_pdf
from support.pdf_summary import TextLine, read_lines

TITLE = "残联党务干部培训班上的交流发言稿"
SUBTITLE = "——在全市党务干部培训班上的交流发言"
ORGANISATION = "市残疾人联合会机关党委"
DATE = "2024年6月28日"
LONG_TITLE = "关于深入学习贯彻新时代党的建设总要求推动基层党组织全面进步全面过硬的交流发言材料汇编"
TWO_ORGANISATIONS = "中共某某市残疾人联合会机关委员会\n某某市残疾人联合会办公室"

# name → (title, subtitle, organisation, date)
FIELDS: dict[str, tuple[str, str, str, str]] = {
    "full": (TITLE, SUBTITLE, ORGANISATION, DATE),
    "no-subtitle": (TITLE, "", ORGANISATION, DATE),
    "long-title": (LONG_TITLE, "", ORGANISATION, DATE),
    "long-title-subtitle": (LONG_TITLE, "（第一期）", TWO_ORGANISATIONS, DATE),
    "only-date": (TITLE, "", "", DATE),
    "only-organisation": (TITLE, SUBTITLE, ORGANISATION, ""),
    "two-organisations": (TITLE, "", TWO_ORGANISATIONS, DATE),
    "title-only": (TITLE, "", "", ""),
    "no-title": ("", "", ORGANISATION, DATE),
}
STYLES: dict[str, dict[str, Any]] = {
    "default": {},
    "subtitle-foot": {"cover": {"subtitle_place": "foot"}},
    "moved": {"cover": {"title_centre": 5, "foot_space": 2, "subtitle_space": 2}},
    "20-lines": {"page": {"lines": 20}},
    "leading-1.6": {"page": {"leading": 1.6}},  # the cover title takes 3 grid lines a line
}


@pytest.fixture(scope="module")
def fonts() -> FontSet:
    return FontSet.load(default_spec().fonts.chains)


def _spec(style: dict[str, Any]) -> LayoutSpec:
    spec: LayoutSpec = merge_spec(default_spec(), style)
    return spec


def _build(
    booklet: Booklet, spec: LayoutSpec, fonts: FontSet, path: Path
) -> tuple[LayoutPlan, list[list[TextLine]]]:
    laid_out = make_plan(booklet, spec, fonts, Diagnostics())
    render_pdf(laid_out, fonts, path)
    return laid_out, read_lines(path)


def grid_index(spec: LayoutSpec, baseline: float) -> int:
    """Return the grid line whose baseline ``baseline`` (from the PDF) is; fail when it is off the grid."""
    page = spec.page
    position = (baseline - page.top) / page.pitch - page.baseline_ratio
    assert abs(position - round(position)) * page.pitch < 0.05, f"baseline {baseline:.2f} is off the grid"
    return round(position)


@dataclass(frozen=True)
class Measured:
    """A cover field's lines read from the PDF: grid lines of the first line's top and the last's baseline."""

    lines: list[TextLine]
    top: int
    bottom: int


def _field(spec: LayoutSpec, page: list[TextLine], role: str, span: int) -> Measured | None:
    """Return the cover's lines set in ``role``'s size (the cover roles' sizes differ in every style here)."""
    size = spec.styles[role].size
    lines = [line for line in page if abs(line.size - size) < 0.01]
    if not lines:
        return None
    return Measured(
        lines, grid_index(spec, lines[0].baseline) - span + 1, grid_index(spec, lines[-1].baseline)
    )


@pytest.mark.parametrize("style", list(STYLES))
@pytest.mark.parametrize("fields", list(FIELDS))
def test_cover_blocks_on_the_grid(fields: str, style: str, fonts: FontSet, tmp_path: Path) -> None:
    title, subtitle, organisation, date = FIELDS[fields]
    spec = _spec(STYLES[style])
    speech = Speech(("发言",), (Paragraph("会议召开。"),))
    booklet = Booklet(title, (speech,), subtitle=subtitle, organisation=organisation, date=date)
    laid_out, pages = _build(booklet, spec, fonts, tmp_path / "cover.pdf")
    assert laid_out.pages[0].kind == "cover" and laid_out.pages[1].kind != "cover"  # one cover page
    cover, page, lines = spec.cover, spec.page, spec.page.lines
    spans = {role: laid_out.role(role).span for role in ("cover_title", "cover_subtitle", "cover_meta")}
    found = {role: _field(spec, pages[0], role, span) for role, span in spans.items()}
    # every field prints as given, nothing is invented, and nothing else is on the cover (no folio)
    texts = {role: "".join(line.text for line in m.lines) if m else "" for role, m in found.items()}
    assert texts == {
        "cover_title": title,
        "cover_subtitle": subtitle,
        "cover_meta": organisation.replace("\n", "") + date,
    }
    assert sum(len(m.lines) for m in found.values() if m) == len(pages[0])
    meta = found["cover_meta"]
    if meta is not None:
        if date:
            assert meta.lines[-1].text == date
        if organisation:
            assert len([x for x in meta.lines if x.text != date]) == organisation.count("\n") + 1
        indices = [grid_index(spec, x.baseline) for x in meta.lines]
        steps = [b - a for a, b in pairwise(indices)]
        assert steps == [spans["cover_meta"]] * len(steps)  # organisation and date on consecutive lines
    at_foot = cover.subtitle_place == "foot"
    head_roles = ("cover_title",) if at_foot else ("cover_title", "cover_subtitle")
    foot_roles = ("cover_subtitle", "cover_meta") if at_foot else ("cover_meta",)
    head = [m for role in head_roles if (m := found[role])]
    foot = [m for role in foot_roles if (m := found[role])]
    if foot:
        assert max(m.bottom for m in foot) == lines - 1 - cover.foot_space  # the foot block ends at the foot
        if found["cover_subtitle"] and at_foot and meta:
            assert meta.top - found["cover_subtitle"].bottom - 1 == cover.subtitle_space
    if head:
        first, last = min(m.top for m in head), max(m.bottom for m in head)
        if found["cover_title"] and found["cover_subtitle"] and not at_foot:
            assert found["cover_subtitle"].top - found["cover_title"].bottom - 1 == cover.subtitle_space
        if foot:
            assert min(m.top for m in foot) - last >= 2  # a blank grid line at least between the blocks
        height = last - first + 1
        centred = cover.title_centre - (height - 1) // 2
        assert first == max(0, centred) or (foot and first < centred), (first, height)
        # the block's middle, from the first line's glyph top to the last line's glyph bottom, in the upper
        # third of the 版心 unless the block starts on line 0; a block of up to 7 grid lines lies wholly in it
        # (default grid and centre)
        top_glyph = head[0].lines[0].baseline - 0.88 * head[0].lines[0].size
        bottom_glyph = head[-1].lines[-1].baseline + 0.12 * head[-1].lines[-1].size
        third = page.top + page.body_height / 3
        assert top_glyph >= page.top - 0.01
        if cover.title_centre == default_spec().cover.title_centre:
            if first > 0:  # a block that starts on line 0 is as high as it can be
                assert (top_glyph + bottom_glyph) / 2 < third
            if height <= 7 and lines == 22:
                assert bottom_glyph < third, (fields, style, height)


def test_a_long_title_moves_up_rather_than_crowd_the_foot(fonts: FontSet, tmp_path: Path) -> None:
    spec = _spec({"cover": {"title_centre": 14}})
    booklet = Booklet(
        LONG_TITLE,
        (Speech(("发言",), (Paragraph("会议召开。"),)),),
        organisation=TWO_ORGANISATIONS,
        date=DATE,
    )
    _, pages = _build(booklet, spec, fonts, tmp_path / "cover.pdf")
    title, meta = _field(spec, pages[0], "cover_title", 2), _field(spec, pages[0], "cover_meta", 1)
    assert title is not None and meta is not None
    assert meta.bottom == 21 and meta.top - title.bottom == 2  # one blank line between: the title moved up
    assert title.top < 14 - (title.bottom - title.top) // 2


def test_cover_spec_is_validated() -> None:
    with pytest.raises(SpecError, match=r"cover\.subtitle_place must be one of title, foot"):
        _spec({"cover": {"subtitle_place": "middle"}})
    with pytest.raises(SpecError, match=r"cover\.title_centre = 22 is out of range \(allowed: 0 to 21\)"):
        _spec({"cover": {"title_centre": 22}})
    with pytest.raises(SpecError, match=r"cover\.foot_space"):
        _spec({"cover": {"foot_space": -1}})
    with pytest.raises(SpecError, match=r"unknown key cover\.title_line"):
        _spec({"cover": {"title_line": 4}})


# --- the speaker line ------------------------------------------------------------------------------------

BODY = "我们要坚持学习，不断提高政治能力和业务水平，把学到的知识用到工作中去。" * 3
SPEECHES = (
    Speech(
        ("关于做好基层党建工作的几点体会",),
        (Paragraph(BODY), Heading(1, "一、提高认识"), Paragraph(BODY)),
        speaker="张三",
    ),
    Speech(
        ("在培训班结业式上的发言",),
        (Paragraph(BODY), Paragraph(BODY)),
        speaker="李四\n市残联康复中心\n2024年6月28日",
    ),
    Speech(("没有署名的一篇",), (Paragraph(BODY), Paragraph(BODY))),
    Speech((), (Paragraph(BODY),), speaker="王五"),  # no title: the byline opens the page
)


@pytest.mark.parametrize("style", [{}, {"blank_line_after_speaker": False}, {"page": {"lines": 20}}])
def test_speaker_line_then_a_blank_grid_line(style: dict[str, Any], fonts: FontSet, tmp_path: Path) -> None:
    spec = _spec(style)
    booklet = Booklet(TITLE, SPEECHES, organisation=ORGANISATION, date=DATE)
    laid_out, pages = _build(booklet, spec, fonts, tmp_path / "speaker.pdf")
    gap = 2 if spec.blank_line_after_speaker else 1
    title_size, speaker_size = spec.styles["title"].size, spec.styles["speaker"].size
    body_pages = [p for p in pages if p and p[-1].text.startswith("—")]
    for speech in SPEECHES:
        first_line = speech.title[0] if speech.title else speech.speaker.split("\n")[0]
        page = next(p for p in body_pages if p[0].text == first_line)
        text = [line.text for line in page]
        grid = [grid_index(spec, line.baseline) for line in page[:-1]]  # the folio is off the grid
        bylines = speech.speaker.split("\n") if speech.speaker else []
        titles = len(speech.title)
        assert text[titles : titles + len(bylines)] == bylines
        if titles:
            assert all(abs(line.size - title_size) < 0.01 for line in page[:titles])
            assert grid[titles] - grid[titles - 1] == 2  # the blank line after the title
        for k in range(titles, titles + len(bylines)):
            assert abs(page[k].size - speaker_size) < 0.01
            if k > titles:
                assert grid[k] - grid[k - 1] == 1  # byline lines on consecutive grid lines
        last_head = titles + len(bylines) - 1
        assert grid[last_head + 1] - grid[last_head] == (gap if bylines else 2)
        assert BODY.startswith(text[last_head + 1])  # the body follows, on the same page
    # the 目录 gives every titled speech the folio of the page its title is on
    toc = next(p for i, p in enumerate(pages) if laid_out.pages[i].kind == "toc")
    for speech in SPEECHES[:3]:
        page = next(p for p in body_pages if p[0].text == speech.title[0])
        entry = next(line.text for line in toc if line.text.startswith(speech.title[0]))
        assert re.fullmatch(re.escape(speech.title[0]) + r"\.+" + page[-1].text.strip("— "), entry), entry


def test_several_organisations_are_one_author(fonts: FontSet, tmp_path: Path) -> None:
    speech = Speech(("发言",), (Paragraph("会议召开。"),))
    booklet = Booklet(TITLE, (speech,), organisation=TWO_ORGANISATIONS, date=DATE)
    _build(booklet, default_spec(), fonts, tmp_path / "cover.pdf")
    meta = PdfReader(tmp_path / "cover.pdf").metadata
    assert meta is not None and meta.author == "中共某某市残疾人联合会机关委员会、某某市残疾人联合会办公室"
