"""Pagination: draft lines → pages on the line grid, with page starts, keep-with-next and page numbers.

Every line's baseline is ``spec.page.baseline(grid_line)``, its ``grid_line`` the last grid line it occupies.
A page is short of its 22 lines only where a keep-with-next chain (headings, a title) moves to the next page
with the start of the paragraph after it, where a paragraph kept together (a heading of two lines, a 目录
entry) moves whole, where widow and orphan control gives up a line, or where a speech ends. A chain longer
than a whole page (200 headings in a row) cannot be kept: it flows on, page by page.

Widow and orphan control (``spec.widow_control``, on by default; GB/T 9704 §5.2.3 allows the adjustment) is
the rule Word and LibreOffice apply to a paragraph with w:widowControl (two lines at least on each side of a
page break; LibreOffice: 2 orphans, 2 widows): where a paragraph must break, a last line that would start the
next page alone takes the line before it along, and a first line that would end the page alone (so also a
three-line paragraph with two lines of room) moves to the next page. A keep-with-next chain therefore needs
room for the next paragraph's smallest allowed start: all of it up to three lines, else two. On a page of
its own a paragraph breaks wherever it must (no rule can be met on a page of one or two lines).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from publish.layout.compose import Draft
from publish.layout.frame import Line
from publish.layout.spec import LayoutSpec


@dataclass(frozen=True, slots=True)
class Para:
    """A laid-out paragraph: its draft lines, whether it keeps with the next, blank grid lines after it,
    whether its lines stay on one page (``keep_together``)."""

    lines: Sequence[Draft]
    keep_with_next: bool = False
    skip_after: int = 0
    keep_together: bool = False


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
        self.widows = spec.widow_control
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
                need = _chain(paras, k, self.capacity, self.widows)
                if self.g + need > self.capacity and need <= self.capacity:
                    self.new_page()
            if para.keep_together:
                self.keep_together(para.lines, 0)
            self._place(para.lines)
            self.g += para.skip_after

    def _place(self, drafts: Sequence[Draft]) -> None:
        """Place one paragraph's lines, as many on each page as ``_fit`` allows."""
        i, n = 0, len(drafts)
        while i < n:
            take = self._fit(drafts, i)
            if take == 0:
                self.new_page()
                continue
            self._append(drafts[i : i + take])
            i += take
            if i < n:
                self.new_page()

    def _fit(self, drafts: Sequence[Draft], i: int) -> int:
        """Return how many of ``drafts[i:]`` go on the current page (0: start a new page first)."""
        room = self.capacity - self.g
        rest = len(drafts) - i
        fit = used = 0
        while fit < rest:
            used += drafts[i + fit].span
            if used > room:
                break
            fit += 1
        if fit >= rest:
            return rest
        take = fit
        if self.widows:
            if rest - take == 1:  # widow: the last line would start the next page alone
                take -= 1
            if i == 0 and take < 2:  # orphan: the first line would end this page alone
                take = 0
        if take == 0 and self.g == 0:  # a page too short for the rule: break where the page is full
            take = max(fit, 1)
        return take

    def _append(self, drafts: Sequence[Draft]) -> None:
        """Put ``drafts`` on the current page from the next free grid line."""
        capacity, baselines = self.capacity, self.baselines
        append = self.pages[-1].lines.append
        g = self.g
        for role, runs, span, block, first, last, anchor, link in drafts:
            g += span
            grid = g - 1
            baseline = baselines[grid] if grid < capacity else self.spec.page.baseline(grid)
            append(Line(role, baseline, runs, grid, block, first, last, link, anchor, span))
        self.g = g

    def keep_together(self, lines: Sequence[Draft], extra: int) -> None:
        """Break the page before ``lines`` (+ ``extra`` grid lines) if only a new page can hold them."""
        need = sum(d.span for d in lines) + extra
        if self.g > 0 and self.g + need > self.capacity and need <= self.capacity:
            self.new_page()


def _chain(paras: Sequence[Para], k: int, limit: int, widows: bool) -> int:
    """Return the grid lines the keep-with-next chain from ``paras[k]`` needs, with the smallest start of the
    paragraph after it that may end a page (``_start``).

    Counting stops once the chain needs more than ``limit`` lines (it cannot be kept anyway), so a run of
    thousands of headings costs linear time, not quadratic.
    """
    need = 0
    for index in range(k, len(paras)):
        para = paras[index]
        if not para.keep_with_next:
            return need + _start(para, widows)
        need += sum(d.span for d in para.lines) + para.skip_after
        if need > limit:
            break
    return need


def _start(para: Para, widows: bool) -> int:
    """Return the grid lines of the least of ``para`` that may stand at a page's foot: its first line; under
    widow control two lines, or all of a paragraph of up to three lines (2 + 1 and 1 + 2 both break a rule);
    all of a paragraph kept together."""
    lines = para.lines
    if para.keep_together or (widows and len(lines) <= 3):
        return sum(d.span for d in lines)
    return sum(d.span for d in lines[: 2 if widows else 1])


Poured = Callable[[Sequence[Para]], list[Sheet]]  # one speech's paragraphs → its pages (``pour_speech``)


def paginate_body(
    speeches: Sequence[Sequence[Para]],
    spec: LayoutSpec,
    folio: Callable[[int], Line],
    poured: Poured | None = None,
) -> tuple[list[Sheet], list[int]]:
    """Lay the speeches out, each from a new page (an odd one under ``spec.recto``), and number the pages.

    Pages are numbered from 1 on the first; a blank page inserted for a recto start is counted but gets no
    number and no folio line. ``folio(n)`` returns the page-number line of page ``n``. Also return the index
    of each speech's first page. A speech's pages depend on its paragraphs alone (it starts on a page of its
    own), so ``poured`` (a warm session's, ``reuse.PlanCache.sheets``) may give those of a speech laid out
    before; None pours every speech.
    """
    pages: list[Sheet] = []
    starts: list[int] = []
    for paras in speeches:
        if spec.recto and len(pages) % 2 == 1:
            pages.append(Sheet("blank"))
        starts.append(len(pages))
        pages += pour_speech(paras, spec) if poured is None else poured(paras)
    for n, sheet in enumerate(pages, 1):
        if sheet.kind != "blank":
            sheet.number = n
            sheet.lines.append(folio(n))
    return pages, starts


def pour_speech(paras: Sequence[Para], spec: LayoutSpec) -> list[Sheet]:
    """Return the unnumbered pages of one speech's paragraphs, from a new page."""
    flow = Flow(spec, "body")
    flow.new_page(forced=True)
    flow.pour(paras)
    return flow.pages
