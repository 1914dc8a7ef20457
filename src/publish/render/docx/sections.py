"""Pages → sections → paragraphs, page geometry and folios, for the DOCX renderer (no raw OOXML here).

Part of ``render.docx``. The plan's vertical structure is reproduced, not frozen: blank grid lines become
paragraph spacing, a speech start a page break, and each run of cover, 目录, body or blank pages one section.
Footers "— PAGE —" (odd right, even left, padded on the outer side) are in the body sections only; blank pages
(recto starts) are counted but carry an empty footer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import docx

from publish.layout.frame import LayoutPlan, Page
from publish.render.docx import _xml as ox
from publish.render.docx.content import Content, Para
from publish.render.docx.names import FontNames
from publish.render.docx.styles import FOOTER, Grid, tw


@dataclass
class Section:
    """A run of pages of one kind (cover, toc, body, blank) that becomes one DOCX section."""

    kind: str
    pages: list[Page]
    paras: list[Para] = field(default_factory=list)


@dataclass
class Footers:
    """Relationship ids of the shared footer parts; empty strings when not needed."""

    odd: str = ""
    even: str = ""
    empty: str = ""


def sections(plan: LayoutPlan, grid: Grid) -> list[Section]:
    """Return the plan's pages grouped into sections, each with its paragraphs."""
    out: list[Section] = []
    for page in plan.pages:
        kind = page.kind if page.kind in ("cover", "toc", "blank") else "body"
        if not out or out[-1].kind != kind or kind == "blank":
            out.append(Section(kind, []))
        out[-1].pages.append(page)
    for section in out:
        section.paras = _paragraphs(section.pages, grid)
    return out


def _paragraphs(pages: Sequence[Page], grid: Grid) -> list[Para]:
    paras: list[Para] = []
    open_para: Para | None = None
    spans: dict[str, int] = {}  # role → grid lines a line advances
    for page in pages:
        previous_grid = -1
        for line in page.lines:
            if line.role == "page_number":
                continue
            span = spans.get(line.role)
            if span is None:
                span = spans[line.role] = grid.span(grid.style(line.role))
            top = line.grid_line - span + 1 if line.grid_line >= 0 else previous_grid + 1
            if (
                open_para is not None
                and not line.first
                and line.block == open_para.lines[-1].block
                and line.role == open_para.role
            ):
                open_para.lines.append(line)
                open_para.pages.append(page.index)
            else:
                open_para = Para(line.role, [line], [page.index])
                if paras and paras[-1].pages[-1] == page.index:
                    paras[-1].after = max(0, top - previous_grid - 1)
                else:
                    open_para.before = max(0, top)
                paras.append(open_para)
            previous_grid = max(previous_grid, line.grid_line)
            if line.last:
                open_para = None
    return paras


def body(
    sections: Sequence[Section], footers: Footers, content: Content, grid: Grid, folio_bottom: float
) -> tuple[list[ox.Element], ox.Element]:
    """Return the body's paragraphs (each section's last carrying its ``w:sectPr``) and the final
    ``w:sectPr``; page numbering restarts where the plan's printed numbers do. ``folio_bottom``: the plan's
    distance from the page's bottom edge to the page-number line (the footer distance)."""
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
            own = content.toc(section.paras)
        elif section.kind == "blank":
            own = [ox.paragraph(ox.ParaFormat(page_break_before=i > 0)) for i in range(len(section.pages))]
        else:
            own = [content.paragraph(p, i > 0) for i, p in enumerate(section.paras)]
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
        else:
            ox.attach_sect_pr(own[-1], sect)
        elements += own
    assert final is not None
    return elements, final


def _geometry(
    grid: Grid, refs: tuple[tuple[str, str], ...], start: int | None, folio_bottom: float
) -> ox.SectionFormat:
    page = grid.spec.page
    # w:footer runs from the page's bottom edge to the bottom of the footer line: the plan's folio_bottom
    # (front.folio_bottom, from the spec's measured LibreOffice baseline, page_number.line_baseline).
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


def add_footers(
    document: docx.document.Document, plan: LayoutPlan, grid: Grid, names: FontNames, kinds: Sequence[str]
) -> Footers:
    """Add the shared footer parts: odd and even "— PAGE —" when the plan numbers pages, an empty one when
    ``kinds`` (the section kinds) has a blank page."""
    footers = Footers()
    folio = folio_format(plan.pages)
    if folio is None:
        return footers
    pn = grid.spec.page_number
    name = names.for_role(pn.font)
    pad = tw(pn.pad * pn.size)
    prefix, suffix = folio
    for side in ("odd", "even"):
        part, rid = document.part.add_footer_part()  # type: ignore[no-untyped-call]
        fmt = ox.RunFormat(font=name, hint_east_asia=ox.needs_hint(prefix + suffix))
        names.use(name, prefix + suffix + "0123456789")
        runs = [ox.run(prefix, fmt), *ox.field("PAGE", "1", fmt), ox.run(suffix, fmt)]
        para = ox.ParaFormat(
            style=FOOTER[0],
            jc="right" if side == "odd" else "left",
            right=pad if side == "odd" else None,
            left=pad if side == "even" else None,
        )
        ox.replace_children(part.element, [ox.paragraph(para, runs)])
        setattr(footers, side, rid)
    if "blank" in kinds:
        part, rid = document.part.add_footer_part()  # type: ignore[no-untyped-call]
        ox.replace_children(part.element, [ox.paragraph(ox.ParaFormat(style=FOOTER[0]))])
        footers.empty = rid
    return footers


def folio_format(pages: Sequence[Page]) -> tuple[str, str] | None:
    """Return the text before and after the number on the plan's page-number lines; None without numbers."""
    for page in pages:
        if page.number is None:
            continue
        for line in page.lines:
            if line.role == "page_number":
                text = line.text
                before, found, after = text.partition(str(page.number))
                if found:
                    return before, after
        return "", ""
    return None
