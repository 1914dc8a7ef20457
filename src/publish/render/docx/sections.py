"""Pages → sections → paragraphs, page geometry and folios, for the DOCX renderer (no raw OOXML here).

Part of ``render.docx``. The plan's vertical structure is reproduced, not frozen: the blocks of its flow
become paragraphs (``content``), each run of cover, 目录, body or blank pages one section. Footers
"prefix PAGE suffix" (the plan's folio: odd right, even left, padded on the outer side) are in the body
sections only; blank pages (recto starts) are counted but carry an empty footer.

The footer distance puts the folio's baseline where the plan has it: LibreOffice 7.4 sets the baseline of an
exact-height footer line ``FOLIO_LINE_BASELINE`` em below the line's top (measured at 14 pt with FandolSong
and with Liberation Serif digits alike, gbt9704.md §5), a DOCX-only figure that lives here.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from publish.layout.frame import Block, LayoutPlan, Page
from publish.render.docx.content import Content
from publish.render.docx.names import FontNames
from publish.render.docx.oxml import elements as ox
from publish.render.docx.oxml import package as pk
from publish.render.docx.styles import FOOTER, Grid, tw

# em below the top of LibreOffice's exact-height footer line, measured from the text matrix (0.604, measured
# earlier from glyph bottoms, left the folio 2.76 pt low: each PDF writer records its own descent); 0.8 is
# also where it sets the baseline of any exactly spaced line (render/docx/styles.py, Grid.drop)
FOLIO_LINE_BASELINE = 0.8


class Section(NamedTuple):
    """A run of pages of one kind (cover, toc, body, blank) that becomes one DOCX section (its lists filled
    as the pages and blocks are grouped). NamedTuples, as ``Footers``: as dataclasses they took ~0.6 ms to
    make on the import every DOCX build pays."""

    kind: str
    pages: list[Page]
    blocks: list[Block]


class Footers(NamedTuple):
    """Relationship ids of the shared footer parts; empty strings when not needed."""

    odd: str = ""
    even: str = ""
    empty: str = ""


def sections(plan: LayoutPlan) -> list[Section]:
    """Return the plan's pages grouped into sections, each with the blocks that start on its pages."""
    out: list[Section] = []
    of_page: dict[int, Section] = {}
    for page in plan.pages:
        kind = page.kind if page.kind in ("cover", "toc", "blank") else "body"
        if not out or out[-1].kind != kind or kind == "blank":
            out.append(Section(kind, [], []))
        out[-1].pages.append(page)
        of_page[page.index] = out[-1]
    for block in plan.blocks:
        of_page[block.page].blocks.append(block)
    return out


def body(
    sections: Sequence[Section], footers: Footers, content: Content, grid: Grid
) -> tuple[list[ox.Element], ox.Element]:
    """Return the body's paragraphs (each section's last carrying its ``w:sectPr``) and the final
    ``w:sectPr``; page numbering restarts where the plan's printed numbers do."""
    folio_bottom = footer_distance(grid.plan)
    elements: list[ox.Element] = []
    number = 0  # the printed number Word/LibreOffice will give the current page
    final: ox.Element | None = None
    for k, section in enumerate(sections):
        start = None
        first_number = next((p.number for p in section.pages if p.number is not None), None)
        if section.kind == "body" and first_number is not None and first_number != number + 1:
            start = first_number
        number = (start - 1 if start is not None else number) + len(section.pages)
        own: list[ox.Element] = []
        if section.kind == "toc":
            own = content.toc(section.blocks)
        elif section.kind == "blank":
            own = [ox.paragraph(ox.ParaFormat(page_break_before=i > 0)) for i in range(len(section.pages))]
        else:
            blocks = section.blocks
            own = [content.paragraph(b, i > 0, _room(grid, blocks, i)) for i, b in enumerate(blocks)]
        if not own:
            own = [ox.paragraph(None)]
        refs: tuple[tuple[str, str], ...] = ()
        if section.kind == "body" and footers.odd:
            refs = (("default", footers.odd), ("even", footers.even))
        elif section.kind == "blank" and footers.empty:
            refs = (("default", footers.empty), ("even", footers.empty))
        sect = ox.sect_pr(_geometry(grid, refs, start, folio_bottom))
        if k == len(sections) - 1:
            final = sect
        else:  # onto a copy: the paragraph may be one a warm session keeps for the next render (``reuse``)
            own[-1] = ox.copy(own[-1])
            ox.attach_sect_pr(own[-1], sect)
        elements += own
    assert final is not None
    return elements, final


def _room(grid: Grid, blocks: Sequence[Block], i: int) -> int:
    """Return the blank grid lines below ``blocks[i]`` on the page its last line is on: its space after
    when the next block follows on that page, else the grid lines left to the page's foot."""
    block = blocks[i]
    if block.space_after:
        return block.space_after
    follows = i + 1 < len(blocks) and not blocks[i + 1].page_break_before
    last = block.lines[-1]
    if follows and blocks[i + 1].lines[0].grid_line > last.grid_line:  # the next starts on the same page
        return 0
    return max(0, grid.spec.page.lines - 1 - last.grid_line)


def _geometry(
    grid: Grid, refs: tuple[tuple[str, str], ...], start: int | None, folio_bottom: float
) -> ox.SectionFormat:
    page = grid.spec.page
    return ox.SectionFormat(
        width=tw(page.width),
        height=tw(page.height),
        top=tw(page.top),
        right=tw(page.right),
        bottom=tw(page.bottom),
        left=tw(page.left),
        header=tw(page.header),
        footer=tw(folio_bottom),
        footers=refs,
        page_start=start,
        line_pitch=grid.line_twips,
    )


def footer_distance(plan: LayoutPlan) -> float:
    """Return w:footer in points: from the page's bottom edge to the bottom of the footer line, whose box is
    the folio's size high, so that the folio's baseline lands on the plan's; half the bottom margin when no
    page is numbered."""
    folio = plan.folio
    if folio is None:
        return plan.spec.page.bottom / 2
    return plan.height - folio.baseline - folio.size * (1 - FOLIO_LINE_BASELINE)


def add_footers(
    package: pk.Package, main: pk.Part, plan: LayoutPlan, names: FontNames, kinds: Sequence[str]
) -> Footers:
    """Add the shared footer parts to ``package``, related from the document part ``main``: odd and even
    "prefix PAGE suffix" when the plan numbers pages, an empty one when ``kinds`` (the section kinds) has a
    blank page."""
    folio = plan.folio
    if folio is None:
        return Footers()
    own = names.for_role(folio.font)
    pad = tw(folio.pad)
    prefix = folio.prefix_runs or ((folio.number_font, folio.prefix),)
    suffix = folio.suffix_runs or ((folio.number_font, folio.suffix),)

    def fmt(file: str, text: str) -> ox.RunFormat:
        """Return the format of a folio piece in ``file``: the Footer style's font unless the plan drew the
        piece from another (the digits from the Latin serif)."""
        name = names.for_run(file, folio.font)
        names.use(name, text)
        return ox.RunFormat(font=None if name == own else name, hint_east_asia=ox.needs_hint(text))

    def footer(paragraph: ox.Element) -> str:
        """Add a footer part holding ``paragraph``; return its relationship id."""
        root = ox.root("ftr")
        root.append(paragraph)
        number = 1 + sum(p.content_type == pk.CT.FOOTER for p in package.parts)
        return main.relate(package.add(f"/word/footer{number}.xml", pk.CT.FOOTER, root), pk.RT.FOOTER)

    numbered: list[str] = []  # the odd and the even footer's relationship ids
    for side in ("odd", "even"):
        runs = [
            *(ox.run(text, fmt(file, text)) for file, text in prefix if text),
            *ox.field("PAGE", "1", fmt(folio.number_font, "0123456789")),
            *(ox.run(text, fmt(file, text)) for file, text in suffix if text),
        ]
        para = ox.ParaFormat(
            style=FOOTER[0],
            jc="right" if side == "odd" else "left",
            right=pad if side == "odd" else None,
            left=pad if side == "even" else None,
        )
        numbered.append(footer(ox.paragraph(para, runs)))
    empty = footer(ox.paragraph(ox.ParaFormat(style=FOOTER[0]))) if "blank" in kinds else ""
    return Footers(numbered[0], numbered[1], empty)
