"""The flow view of the plan: the paginated lines regrouped into blocks in reading order.

A flowing format (DOCX, HTML) writes one paragraph per block and lets its own engine break the lines and the
pages; this module tells it what the layout decided around each paragraph, so that it needs no layout rule of
its own: where the layout starts a page (a speech, the cover, the 目录: ``Sheet.forced``), the blank grid
lines above and below a block on its page (from the lines' grid positions and spans), which blocks keep the
layout's line breaks (titles and centred lines), which keep with the next, and each 目录 entry's parts.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from publish.layout.frame import Block, BlockId, BlockKind, Line, TocItem
from publish.layout.paginate import Sheet


@dataclass
class _Open:
    """A block being collected."""

    id: BlockId
    role: str
    page: int
    lines: list[Line] = field(default_factory=list)
    page_break_before: bool = False
    space_before: int = 0
    space_after: int = 0


def flow_blocks(
    sheets: Sequence[Sheet],
    toc: Mapping[int, TocItem],
    kept_breaks: Callable[[str], bool],
    keep_with_next: Callable[[str], bool],
    leads: Mapping[BlockId, int] | None = None,
) -> tuple[Block, ...]:
    """Return the blocks of ``sheets`` (the booklet's pages in order) in reading order.

    ``toc`` gives the k-th 目录 entry's parts; ``kept_breaks(role)`` whether a role's lines are broken by the
    layout for good (titles, centred lines); ``keep_with_next(role)`` the style's keep-with-next; ``leads``
    the paragraphs' run-in lead lengths.
    """
    done: list[_Open] = []
    current: _Open | None = None
    folio = BlockKind.FOLIO
    for index, sheet in enumerate(sheets):
        previous_grid = -1  # last grid line used on this page
        on_page: _Open | None = None  # the last block with a line on this page
        for line in sheet.lines:
            block = line.block
            if block.kind is folio:
                continue
            grid = line.grid_line
            if current is not None and not line.first and block == current.id:
                current.lines.append(line)
            else:
                top = grid - line.span + 1 if grid >= 0 else previous_grid + 1
                current = _Open(block, line.role, index, [line])
                if on_page is None:
                    current.space_before = max(0, top)
                    current.page_break_before = sheet.forced
                else:
                    on_page.space_after = max(0, top - previous_grid - 1)
                done.append(current)
            on_page = current
            if grid > previous_grid:
                previous_grid = grid
            if line.last:
                current = None
    leads = leads or {}
    kept = {role: kept_breaks(role) for role in {b.role for b in done}}
    keeps = {role: keep_with_next(role) for role in kept}
    blocks = []
    for b in done:
        kind = b.id.kind
        blocks.append(
            Block(
                b.id,
                b.role,
                b.page,
                tuple(b.lines),
                page_break_before=b.page_break_before,
                space_before=b.space_before,
                space_after=b.space_after,
                kept_breaks=kept[b.role],
                keep_with_next=keeps[b.role],
                toc=toc.get(b.id.position) if kind is BlockKind.TOC_ENTRY else None,
                lead=leads.get(b.id, 0),
                latin_spacing=kind is not BlockKind.COVER_META,  # front.cover_pages sets them without
            )
        )
    return tuple(blocks)
