"""The laid-out booklet: pages of positioned lines, the single form both renderers paint.

Coordinates are points from the page's top-left corner; ``baseline`` is a y measured downward. A ``Run`` is
text in one font file at one size, drawn from ``x`` with ``char_space`` extra advance after every character
(negative on the 15.79 pt grid, larger on justified lines). ``dump`` gives a readable text form for tests
and review.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Run:
    """Text drawn in one font at one size, starting at ``x``; ``width`` includes the character spacing."""

    text: str
    font: str  # file name in fonts/ (a key of the resolved font set)
    size: float
    x: float
    width: float
    char_space: float = 0.0


@dataclass(frozen=True)
class Line:
    """One line on the page grid.

    ``role`` is a spec style key (``body``, ``h1``, ``title``, ``toc``, ``page_number`` …). ``block``
    identifies the source block the line belongs to as ``(speech index, block index)``; -1 marks the title
    (block index) or the front matter (speech index). ``first``/``last`` say whether it opens or closes its
    paragraph.

    Block numbers the layout uses (0-based speech and block indices): ``(s, -1)`` a speech title (one
    paragraph, lines broken at the source's breaks or evenly), ``(s, -2)`` its speaker line; front matter
    ``(-1, 0)`` cover title, ``(-1, 1)`` subtitle, ``(-1, 2)`` organisation, ``(-1, 3)`` date, ``(-1, 4)``
    the 目录 heading, ``(-1, 5 + k)`` the k-th TOC entry; ``(-1, -1)`` page numbers. An empty grid line (after
    a title) has no Line: the next line's ``grid_line`` skips it.
    """

    role: str
    baseline: float
    runs: tuple[Run, ...]
    grid_line: int = -1  # 0-based line of the grid; -1 for lines off the grid (page numbers, cover)
    block: tuple[int, int] = (-1, -1)
    first: bool = True
    last: bool = True
    link: str = ""  # destination this line links to (TOC entries)
    anchor: str = ""  # destination defined at this line (speech titles, headings)

    @property
    def text(self) -> str:
        """Return the line's characters in order."""
        return "".join(run.text for run in self.runs)

    @property
    def x0(self) -> float:
        """Return the left edge of the first run (0 for an empty line)."""
        return self.runs[0].x if self.runs else 0.0

    @property
    def x1(self) -> float:
        """Return the right edge of the last run (0 for an empty line)."""
        return self.runs[-1].x + self.runs[-1].width if self.runs else 0.0


@dataclass(frozen=True)
class Page:
    """One physical page; ``number`` is the printed folio, None on unnumbered pages."""

    index: int  # 0-based physical page
    kind: str  # cover | toc | body | blank
    lines: tuple[Line, ...]
    number: int | None = None


@dataclass(frozen=True)
class TocEntry:
    """A table-of-contents entry: text, level (1 = speech), the printed page number and its destination."""

    text: str
    level: int
    page_number: int
    page_index: int
    anchor: str


@dataclass(frozen=True)
class PlanMeta:
    """Document properties both renderers write."""

    title: str
    author: str = ""
    subject: str = ""
    language: str = "zh-CN"


@dataclass(frozen=True)
class LayoutPlan:
    """The whole laid-out booklet."""

    pages: tuple[Page, ...]
    toc: tuple[TocEntry, ...]  # what the 目录 lists (depth from the spec)
    meta: PlanMeta
    # bookmarks: every speech (level 1) and its h1 headings (level 2), whatever the TOC depth
    outline: tuple[TocEntry, ...] = field(default=())
    fonts_used: tuple[str, ...] = field(default=())  # font file names that appear in some run
    # width from the 版心's left edge that the 目录 entries' text wraps within (the leader and the page
    # number take the rest of the line); 0 when there is no 目录
    toc_text_width: float = 0.0
    # from the page's bottom edge to the bottom of the page-number line's box (front.folio_bottom); set also
    # when no page is numbered
    folio_bottom: float = 0.0

    def numbered_pages(self) -> list[Page]:
        """Return the pages that carry a printed number."""
        return [p for p in self.pages if p.number is not None]


def dump(plan: LayoutPlan) -> str:
    """Return a deterministic text dump: one line per page header and per laid-out line."""
    out: list[str] = []
    for entry in plan.toc:
        out.append(f"toc L{entry.level} p{entry.page_number} #{entry.anchor} {entry.text}")
    for page in plan.pages:
        number = "-" if page.number is None else str(page.number)
        out.append(f"page {page.index + 1} [{page.kind}] no={number}")
        for line in page.lines:
            grid = f"{line.grid_line:02d}" if line.grid_line >= 0 else "--"
            where = f"y={line.baseline:7.2f} x={line.x0:6.2f}-{line.x1:6.2f}"
            out.append(f"  {grid} {line.role:<12} {where} {line.text}")
    return "\n".join(out) + "\n"
