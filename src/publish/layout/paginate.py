"""Pagination: draft lines → pages on the line grid, with page starts, keep-with-next and page numbers.

Every line's baseline is ``spec.page.baseline(grid_line)``, its ``grid_line`` the last grid line it occupies.
A page is short of its 22 lines only where a keep-with-next chain (headings, a title) moves to the next page
with its first following line, or where a speech ends. A chain longer than a whole page (200 headings in a
row) cannot be kept: it flows on, page by page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from publish.layout.compose import Draft
from publish.layout.frame import Line
from publish.layout.spec import LayoutSpec


@dataclass(frozen=True, slots=True)
class Para:
    """A laid-out paragraph: its draft lines, whether it keeps with the next, blank grid lines after it."""

    lines: Sequence[Draft]
    keep_with_next: bool = False
    skip_after: int = 0


@dataclass(slots=True)
class Sheet:
    """A page while it is being filled; ``number`` None on an unnumbered page (a blank page); ``forced``: the
    layout started it (a speech, the cover, the 目录) rather than the page before filling up."""

    kind: str
    lines: list[Line] = field(default_factory=list)
    number: int | None = None
    forced: bool = False


class Flow:
    """Pours paragraphs onto pages of ``spec.page.lines`` grid lines."""

    def __init__(self, spec: LayoutSpec, kind: str) -> None:
        self.spec = spec
        self.kind = kind
        self.capacity = spec.page.lines
        self.pages: list[Sheet] = []
        self.g = 0  # next free grid line on the current page
        self.baselines = [spec.page.baseline(g) for g in range(self.capacity)]

    def new_page(self, forced: bool = False) -> None:
        """Start a new page; ``forced`` when the layout starts one here whether or not the last is full."""
        self.pages.append(Sheet(self.kind, forced=forced))
        self.g = 0

    def blank_page(self) -> None:
        """Add an empty, unnumbered page (a recto start's filler)."""
        self.pages.append(Sheet("blank"))
        self.g = self.capacity

    def pour(self, paras: Sequence[Para]) -> None:
        """Place ``paras`` from the current position, breaking pages as the grid fills."""
        for k, para in enumerate(paras):
            if para.keep_with_next and self.g > 0:
                need = _chain(paras, k, self.capacity)
                if self.g + need > self.capacity and need <= self.capacity:
                    self.new_page()
            capacity, baselines = self.capacity, self.baselines
            lines = self.pages[-1].lines
            for d in para.lines:
                if self.g + d.span > capacity and self.g > 0:
                    self.new_page()
                    lines = self.pages[-1].lines
                self.g += d.span
                grid = self.g - 1
                baseline = baselines[grid] if grid < capacity else self.spec.page.baseline(grid)
                line = Line(
                    d.role, baseline, d.runs, grid, d.block, d.first, d.last, d.link, d.anchor, d.span
                )
                lines.append(line)
            self.g += para.skip_after

    def keep_together(self, lines: Sequence[Draft], extra: int) -> None:
        """Break the page before ``lines`` (+ ``extra`` grid lines) if only a new page can hold them."""
        need = sum(d.span for d in lines) + extra
        if self.g > 0 and self.g + need > self.capacity and need <= self.capacity:
            self.new_page()


def _chain(paras: Sequence[Para], k: int, limit: int) -> int:
    """Return the grid lines the keep-with-next chain from ``paras[k]`` needs, with the next line after it.

    Counting stops once the chain needs more than ``limit`` lines (it cannot be kept anyway), so a run of
    thousands of headings costs linear time, not quadratic.
    """
    need = 0
    for index in range(k, len(paras)):
        para = paras[index]
        if not para.keep_with_next:
            return need + (para.lines[0].span if para.lines else 0)
        need += sum(d.span for d in para.lines) + para.skip_after
        if need > limit:
            break
    return need


def paginate_body(
    speeches: Sequence[Sequence[Para]], spec: LayoutSpec, folio: Callable[[int], Line]
) -> tuple[list[Sheet], list[int]]:
    """Lay the speeches out, each from a new page (an odd one under ``spec.recto``), and number the pages.

    Pages are numbered from 1 on the first; a blank page inserted for a recto start is counted but gets no
    number and no folio line. ``folio(n)`` returns the page-number line of page ``n``. Also return the index
    of each speech's first page.
    """
    flow = Flow(spec, "body")
    starts: list[int] = []
    for paras in speeches:
        if spec.recto and len(flow.pages) % 2 == 1:
            flow.blank_page()
        flow.new_page(forced=True)
        starts.append(len(flow.pages) - 1)
        flow.pour(paras)
    for n, sheet in enumerate(flow.pages, 1):
        if sheet.kind != "blank":
            sheet.number = n
            sheet.lines.append(folio(n))
    return flow.pages, starts
