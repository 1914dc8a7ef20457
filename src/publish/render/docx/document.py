"""Build the DOCX bytes of a laid-out booklet with python-docx (``render.docx`` checks the arguments first).

Composes the parts: a python-docx document from its default template, stripped of the parts the booklet does
not use; sections, footers and paragraphs (``sections``, ``content``); styles, settings and the
font table (``styles``, ``oxml.parts``); fixed core properties and a zip with fixed timestamps.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from publish.layout.frame import LayoutPlan
from publish.render.docx import sections as sx
from publish.render.docx.content import Content
from publish.render.docx.names import FontNames
from publish.render.docx.oxml import elements as ox
from publish.render.docx.oxml import parts as fx
from publish.render.docx.reuse import ParagraphMemory
from publish.render.docx.styles import COMPAT_MODE, LANG, Grid, StyleIds, build_styles, toc_right
from publish.render.protocol import FontSource

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the zip format's earliest date: entries carry no build time
MAX_PROPERTY = 255  # characters python-docx accepts in a core property (docx/opc/coreprops.py)


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
    document = docx.Document()
    _drop_template_parts(document)
    grid = Grid.of(plan)
    names = FontNames(plan.spec, fonts, mode)
    ids = StyleIds()
    sections = sx.sections(plan)
    footers = sx.add_footers(document, plan, names, [s.kind for s in sections])
    content = Content(grid, names, ids, memory)
    elements, final = sx.body(sections, footers, content, grid)
    ox.set_body(document.element.body, elements, final)
    leader = next((b.toc.leader for b in plan.blocks if b.toc is not None), plan.spec.toc.leader)
    styles = build_styles(grid, names, ids, toc_right(plan, grid), leader, reader)
    fx.fill_styles(document.styles.element, *styles)
    fx.fill_settings(
        document.settings.element,
        embed_fonts=names.portable,
        default_tab=2 * grid.cell_twips("body"),
        lang=LANG,
        kinsoku=(plan.no_line_start, plan.no_line_end),
        compat_mode=COMPAT_MODE[reader],
    )
    fx.write_font_table(fx.font_table_part(document.part), names.entries(names.used))
    for part in document.part.package.iter_parts():  # the parts kept from the template (ours name no theme)
        element = getattr(part, "element", None)
        if element is not None and not str(part.partname).startswith(("/word/document", "/word/footer")):
            fx.strip_theme_attributes(element)
    _properties(document, plan, created)
    out = io.BytesIO()
    document.save(out)
    return _normalise_zip(out.getvalue())


def memory(plan: LayoutPlan, fonts: FontSource, mode: str, reader: str, folder: str) -> ParagraphMemory:
    """Return the paragraph memory of renders into ``folder`` in this context (spec, roles, fonts, mode,
    reader); ``keep`` it after the file is written."""
    return ParagraphMemory(folder, (plan.spec, plan.roles, fonts, mode, reader))


def _properties(document: docx.document.Document, plan: LayoutPlan, created: datetime) -> None:
    props = document.core_properties
    meta = plan.meta
    props.title = _property(meta.title)
    props.author = _property(meta.author)
    props.subject = _property(meta.subject)
    props.language = meta.language or LANG
    props.created = created
    props.modified = created
    props.last_modified_by = _property(meta.author)
    props.revision = 1
    props.comments = ""
    props.keywords = ""
    props.category = ""
    for rel in document.part.package.rels.values():
        if rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = ox.app_properties(len(plan.pages))


def _property(text: str) -> str:
    """Return ``text`` cut to the 255 characters python-docx allows in a core property (the cover and the
    PDF keep the whole title)."""
    return text[:MAX_PROPERTY]


def _drop_template_parts(document: docx.document.Document) -> None:
    """Drop the template parts the booklet does not use (some carry theme fonts or Mac-Word metadata)."""
    part = document.part
    unwanted = {
        RT.CUSTOM_XML,
        RT.NUMBERING,
        RT.WEB_SETTINGS,
        "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
    }
    for rid in [rid for rid, rel in part.rels.items() if rel.reltype in unwanted]:
        part.drop_rel(rid)
    package = part.package
    for rid in [rid for rid, rel in package.rels.items() if rel.reltype == RT.THUMBNAIL]:
        del package.rels[rid]


def _normalise_zip(data: bytes) -> bytes:
    """Return ``data`` rewritten with fixed timestamps and attributes, [Content_Types].xml first."""
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    order = sorted(names, key=lambda n: (n != "[Content_Types].xml", n != "_rels/.rels", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, source.read(name))
    return out.getvalue()
