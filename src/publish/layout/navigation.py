"""What a reader navigates by besides the painted lines: page labels, link areas and destinations.

- Page labels (what a viewer shows in its page box): 封面, 目录 (目录1, 目录2 … when several), the printed
  numbers, lower-case roman elsewhere. A blank page without a number (recto starts) continues the count of the
  page before it, so the labels of the following pages still equal their printed numbers.
- Destinations: every anchored line (speech titles, headings) at the top of its grid line (or of its em box
  off the grid); an outline or 目录 entry whose anchor no line defines (a speech with no lines) at the top of
  its page.
- Links: each 目录 line with text is a link area over its grid line to its entry's destination.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from publish.errors import LayoutError
from publish.layout.frame import Destination, LayoutPlan, Line, Link, Page, PageLabel, TocEntry
from publish.layout.spec import PageSpec


def navigate(plan: LayoutPlan) -> LayoutPlan:
    """Return ``plan`` with its page labels, link areas and destinations derived from its pages and entries
    (the layout's last step; also for plans built by hand in tests)."""
    page = plan.spec.page
    return replace(
        plan,
        labels=page_labels(plan.pages),
        links=links(plan.pages, page),
        destinations=destinations(plan.pages, (*plan.outline, *plan.toc), page),
    )


def page_labels(pages: Sequence[Page]) -> tuple[PageLabel, ...]:
    """Return the label ranges of ``pages`` (see the module docstring); () for no pages."""
    toc_total = sum(1 for p in pages if p.kind == "toc")
    labels: list[PageLabel] = []
    toc_seen = 0
    previous: tuple[str, str, int] | None = None
    for index, page in enumerate(pages):
        if page.number is not None:
            current: tuple[str, str, int] = ("", "decimal", page.number)
        elif page.kind == "blank" and previous is not None:  # counted like the page before it
            current = (previous[0], previous[1], previous[2] + 1 if previous[1] else previous[2])
        elif page.kind == "cover":
            current = ("封面", "", 0)
        elif page.kind == "toc":
            toc_seen += 1
            current = ("目录", "decimal", toc_seen) if toc_total > 1 else ("目录", "", 0)
        else:
            current = ("", "roman", index + 1)
        continues = (
            previous is not None
            and current[:2] == previous[:2]
            and (not current[1] or current[2] == previous[2] + 1)
        )
        if not continues:
            labels.append(PageLabel(index, current[0], current[1], current[2] if current[1] else 1))
        previous = current
    return tuple(labels)


def line_box(line: Line, page: PageSpec) -> tuple[float, float]:
    """Return the top and bottom of ``line`` in points from the page top: its grid cell, or its em box."""
    if line.grid_line >= 0:
        top = line.baseline - page.baseline_ratio * page.pitch
        return top, top + page.pitch
    size = max((run.size for run in line.runs), default=0.0)
    # Off the grid (cover, folio): the em box around the baseline, with the ratio the grid itself uses.
    ratio = page.baseline_ratio
    return line.baseline - ratio * size, line.baseline + (1 - ratio) * size


def destinations(
    pages: Sequence[Page], entries: Sequence[TocEntry], page: PageSpec
) -> tuple[Destination, ...]:
    """Return the destinations: anchored lines first (page order), then entries no line anchors (page top).

    Raise LayoutError when a line links to a destination that nothing defines (a bug in the layout).
    """
    found: list[Destination] = []
    seen: set[str] = set()
    for p in pages:
        for line in p.lines:
            if line.anchor and line.anchor not in seen:
                seen.add(line.anchor)
                found.append(Destination(line.anchor, p.index, line_box(line, page)[0]))
    for entry in entries:
        name = entry.target
        if name not in seen and 0 <= entry.page_index < len(pages):
            seen.add(name)
            found.append(Destination(name, entry.page_index, 0.0))
    missing = sorted({line.link for p in pages for line in p.lines if line.link} - seen)
    if missing:
        raise LayoutError(f"the layout links to undefined destinations: {', '.join(missing[:5])}")
    return tuple(found)


def links(pages: Sequence[Page], page: PageSpec) -> tuple[Link, ...]:
    """Return a link area for every line that links somewhere and has text."""
    out = []
    for p in pages:
        for line in p.lines:
            if line.link and line.runs:
                top, bottom = line_box(line, page)
                out.append(Link(p.index, line.x0, top, line.x1, bottom, line.link))
    return tuple(out)
