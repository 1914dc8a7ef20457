"""Set one paragraph in a style: measure, break and place it as draft lines not yet on a page.

The ``Composer`` ties the spec's styles to the measurer and the line breaker. Full-width characters in a style
of the body size take the grid cell (``spec.page.cell``); in any other size (titles, cover, page numbers) they
take their natural width, one em. A style's lines advance ``span`` grid lines (``page.leading`` × size fits:
1 up to 24 pt, 2 for the 42 pt cover title), so every baseline sits on the grid.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from typing import NamedTuple

from publish.layout.frame import BlockId, BlockKind, RoleLayout, Run
from publish.layout.linebreak import LineBox, break_lines, compress_adjacent, place
from publish.layout.measure import Measured, Metrics
from publish.layout.spec import LayoutSpec, ParagraphStyle
from publish.layout.titlebreak import balanced_lines
from publish.layout.tocbreak import word_lines
from publish.layout.words import break_costs

FOLIO = BlockId(BlockKind.FOLIO)


class Draft(NamedTuple):
    """A laid-out line not yet placed on a page; ``span`` is how many grid lines it advances (a light tuple:
    a booklet has tens of thousands, and a frozen dataclass takes three times as long to make)."""

    role: str
    runs: tuple[Run, ...]
    span: int = 1
    block: BlockId = FOLIO
    first: bool = True
    last: bool = True
    anchor: str = ""
    link: str = ""


class Composer:
    """Sets text in the spec's styles; shares one ``Metrics`` (and its width caches) across the booklet."""

    def __init__(self, spec: LayoutSpec, metrics: Metrics) -> None:
        self.spec = spec
        self.metrics = metrics
        self.left = spec.page.left
        self.width = spec.page.body_width
        self._roles: dict[str, tuple[ParagraphStyle, float, int]] = {}  # role → style, cell, span

    def style(self, role: str) -> ParagraphStyle:
        """Return the style of ``role``; fall back to ``body`` for a role the spec does not name."""
        styles = self.spec.styles
        return styles.get(role) or styles["body"]

    def cell(self, style: ParagraphStyle) -> float:
        """Return the width of a full-width character in ``style``: the grid cell at body size, else 1 em."""
        body = self.spec.styles.get("body")
        return self.spec.page.cell if body is not None and style.size == body.size else style.size

    def span(self, style: ParagraphStyle) -> int:
        """Return how many grid lines a line of ``style`` advances."""
        page = self.spec.page
        return max(1, math.ceil(style.size * page.leading / page.pitch - 1e-9))

    def role(self, role: str) -> tuple[ParagraphStyle, float, int]:
        """Return the style of ``role`` with its cell and span (``style``, ``cell``, ``span``), kept per role:
        every paragraph asks."""
        found = self._roles.get(role)
        if found is None:
            style = self.style(role)
            found = self._roles[role] = (style, self.cell(style), self.span(style))
        return found

    def roles(self) -> dict[str, RoleLayout]:
        """Return every spec role's grid layout: the grid lines a line advances and a full-width cell."""
        return {role: RoleLayout(self.span(s), self.cell(s)) for role, s in self.spec.styles.items()}

    def measure(self, parts: Sequence[tuple[str, str]], line: int = 0) -> Measured:
        """Measure (text, role) parts as one paragraph; ``line`` is the source line (for missing glyphs)."""
        spec_parts = []
        for text, role in parts:
            style, cell, _ = self.role(role)
            spec_parts.append((text, style.font, style.size, cell))
        return self.metrics.measure(spec_parts, line)

    def paragraph(
        self,
        role: str,
        parts: Sequence[tuple[str, str]],
        block: BlockId,
        *,
        line: int = 0,
        indent: float = 0.0,
        width: float | None = None,
        anchor: str = "",
        link: str = "",
        word_breaks: bool = False,
    ) -> list[Draft]:
        """Set ``parts`` (text, role of its characters) as paragraph lines of ``role``; empty text gives none.

        ``indent`` (points) moves every line right on top of the style's indents; ``width`` narrows the
        measure (TOC entries keep clear of the page-number column); ``word_breaks`` moves breaks back to
        word boundaries (``tocbreak``, 目录 entries) instead of filling every line.
        """
        style, cell, span = self.role(role)
        m = self.measure(parts, line)
        if self.spec.compress_punctuation:
            m = compress_adjacent(m)
        breaker = partial(word_lines, costs=break_costs) if word_breaks else break_lines
        boxes = breaker(
            m,
            self.width if width is None else width,
            first_indent=style.first_indent * cell,
            indent=style.indent * cell + indent,
            align=style.align,
            kinsoku=self.spec.kinsoku,
            compress=self.spec.compress_punctuation,
        )
        return self._drafts(role, span, m, boxes, block, anchor, link)

    def title(
        self,
        role: str,
        parts: Sequence[str],
        block: BlockId,
        *,
        line: int = 0,
        anchor: str = "",
        latin_spacing: bool = True,
    ) -> list[Draft]:
        """Set a title centred: each source part on its own lines, a part wider than the 版心 split evenly;
        without ``latin_spacing`` no CJK/Latin space (a date: 2024年6月28日)."""
        span = self.role(role)[2]
        drafts: list[Draft] = []
        for text in parts:
            m = self.measure([(text, role)], line)
            if not latin_spacing:
                m = replace(m, gap=None)
            boxes = balanced_lines(m, self.width, kinsoku=self.spec.kinsoku, costs=break_costs)
            drafts += self._drafts(role, span, m, boxes, block, "", "")
        if not drafts:
            return []
        last = len(drafts) - 1
        return [
            Draft(d.role, d.runs, d.span, d.block, i == 0, i == last, anchor if i == 0 else "", d.link)
            for i, d in enumerate(drafts)
        ]

    def line_runs(self, text: str, role: str, x: float, width: float, align: str) -> tuple[Run, ...]:
        """Return ``text`` set on one line of ``role`` between ``x`` and ``x + width`` (never broken)."""
        m = self.measure([(text, role)])
        if not m.text:
            return ()
        natural = m.natural()
        offset = {"center": (width - natural) / 2, "right": width - natural}.get(align, 0.0)
        return place(m, LineBox(0, len(m.text), offset, width, natural), x)

    def text_width(self, text: str, role: str) -> float:
        """Return the natural width of ``text`` in ``role``."""
        return self.measure([(text, role)]).natural()

    def _drafts(
        self,
        role: str,
        span: int,
        m: Measured,
        boxes: list[LineBox],
        block: BlockId,
        anchor: str,
        link: str,
    ) -> list[Draft]:
        last = len(boxes) - 1
        left = self.left
        return [
            Draft(role, place(m, box, left), span, block, i == 0, i == last, anchor if i == 0 else "", link)
            for i, box in enumerate(boxes)
        ]
