"""Build the DOCX bytes of a laid-out booklet (``render.docx`` checks the arguments first).

Composes the parts: sections, footers and paragraphs (``sections``, ``content``); styles, settings and the
font table (``styles``, ``oxml.parts``); fixed core properties and extended properties; the package
(``oxml.package``) zipped with fixed timestamps.
"""

from __future__ import annotations

from datetime import datetime

from publish.layout.frame import LayoutPlan
from publish.render.docx import sections as sx
from publish.render.docx.content import Content
from publish.render.docx.names import FontNames
from publish.render.docx.oxml import elements as ox
from publish.render.docx.oxml import package as pk
from publish.render.docx.oxml import parts as fx
from publish.render.docx.reuse import ParagraphMemory
from publish.render.docx.styles import COMPAT_MODE, LANG, Grid, StyleIds, build_styles, toc_right
from publish.render.protocol import FontSource

# characters of a core property: the cover and the PDF keep the whole title; the DOCX's properties keep the
# 255 that python-docx, which wrote them before, accepted
MAX_PROPERTY = 255


def build(
    plan: LayoutPlan,
    fonts: FontSource,
    mode: str,
    created: datetime,
    reader: str = "word",
    memory: ParagraphMemory | None = None,
) -> bytes:
    """Return the DOCX bytes of ``plan`` (not empty), fonts named per ``mode`` (standard, portable), the core
    properties dated ``created``, written for ``reader`` (word, libreoffice). ``memory`` (a warm session's):
    the paragraphs of the last render into the same folder, reused where their blocks are unchanged."""
    package = pk.Package()
    document = ox.root("document")
    main = package.add("/word/document.xml", pk.CT.MAIN, document)
    grid = Grid.of(plan)
    names = FontNames(plan.spec, fonts, mode)
    ids = StyleIds()
    sections = sx.sections(plan)
    footers = sx.add_footers(package, main, plan, names, [s.kind for s in sections])
    content = Content(grid, names, ids, memory)
    elements, final = sx.body(sections, footers, content, grid)
    document.append(ox.body(elements, final))
    leader = next((b.toc.leader for b in plan.blocks if b.toc is not None), plan.spec.toc.leader)
    styles = build_styles(grid, names, ids, toc_right(plan, grid), leader, reader)
    main.relate(package.add("/word/styles.xml", pk.CT.STYLES, fx.styles_part(*styles)), pk.RT.STYLES)
    settings = fx.settings_part(
        embed_fonts=names.portable,
        default_tab=2 * grid.cell_twips("body"),
        lang=LANG,
        kinsoku=(plan.no_line_start, plan.no_line_end),
        compat_mode=COMPAT_MODE[reader],
    )
    main.relate(package.add("/word/settings.xml", pk.CT.SETTINGS, settings), pk.RT.SETTINGS)
    main.relate(fx.font_table(package, names.entries(names.used)), pk.RT.FONT_TABLE)
    main.relate(package.add("/word/theme/theme1.xml", pk.CT.THEME, fx.theme_part()), pk.RT.THEME)
    package.root.relate(main, pk.RT.OFFICE_DOCUMENT)
    meta = plan.meta
    core = pk.CoreProperties(
        title=_property(meta.title),
        author=_property(meta.author),
        subject=_property(meta.subject),
        language=meta.language or LANG,
        created=created,
    )
    package.root.relate(
        package.add("/docProps/core.xml", pk.CT.CORE, pk.core_properties(core)), pk.RT.CORE_PROPERTIES
    )
    app = package.add("/docProps/app.xml", pk.CT.APP, ox.app_properties(len(plan.pages)))
    package.root.relate(app, pk.RT.EXTENDED_PROPERTIES)
    return package.save()


def memory(plan: LayoutPlan, fonts: FontSource, mode: str, reader: str, folder: str) -> ParagraphMemory:
    """Return the paragraph memory of renders into ``folder`` in this context (spec, roles, fonts, mode,
    reader); ``keep`` it after the file is written."""
    return ParagraphMemory(folder, (plan.spec, plan.roles, fonts, mode, reader))


def _property(text: str) -> str:
    """Return ``text`` cut to ``MAX_PROPERTY`` characters."""
    return text[:MAX_PROPERTY]
