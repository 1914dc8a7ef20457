"""LayoutPlan → DOCX with python-docx: the same pages as the PDF, as an editable Word document.

The renderer makes no layout decisions. It rebuilds editable paragraphs from the planned lines (lines of one
block, from its ``first`` to its ``last`` line, are one paragraph: no frozen line breaks except between the
balanced lines of a centred title), maps each role to a named style whose values come from the spec, and
reproduces the plan's vertical structure: blank grid lines become paragraph spacing, a speech start a page
break, cover/目录/body/blank pages separate sections. Word or LibreOffice then break and paginate the text
themselves, with settings chosen so that they land where the plan did (22 lines × 28 cells, gbt9704.md §3):

- exact line height ``⌊pitch⌋`` twips (579) and a character spacing of ``⌊cell − size⌋`` twips (−5) in
  body-size styles; ``w:firstLine`` beside ``w:firstLineChars``;
- kinsoku on, no punctuation compression, no hanging punctuation, no automatic CJK/Latin spacing and no widow
  control (the plan keeps headings with the next line and nothing else);
- the 目录 as a real TOC field whose stored result holds the plan's entries and numbers, linked to bookmarks;
- footers "— PAGE —" (odd right, even left, padded on the outer side) in the body sections only; blank pages
  (recto starts) are counted but carry an empty footer.

``font_mode`` "standard" names the product fonts of ``spec.fonts.docx_names``; "portable" names the bundled
fonts' families and embeds per-document subsets. Output is deterministic: fixed core-property dates, GUIDs
derived from content, and a zip with fixed timestamps.
"""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT

from publish.errors import RenderError
from publish.layout.compose import LEADING
from publish.layout.frame import LayoutPlan, Line, Page, Run, TocEntry
from publish.layout.spec import LayoutSpec, ParagraphStyle
from publish.render import _docx_fonts as fx
from publish.render import _docx_xml as ox

FONT_MODES = ("standard", "portable")
FIXED_DATE = datetime(2012, 7, 1, tzinfo=UTC)  # GB/T 9704-2012 came into force; no clock is read
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
LANG = "zh-CN"
# w:overflowPunct (ECMA-376 §17.3.1.21): "1" lets a line-end mark hang past the margin in Word. LibreOffice's
# DOCX import inverts it (writerfilter DomainMapper: ParaIsHangingPunctuation = (val == 0)), so "1" is what
# makes LibreOffice push a character down as the plan does; Word's own default is "1" as well. See the module
# doc.
OVERFLOW_PUNCT = True
FOLIO_BASELINE = 0.604  # em below the top of an exact folio line where LibreOffice 7.4 puts the baseline

# role → (style id, style name, custom?, outline level, UI priority). Built-ins keep Word's ids and English
# names.
STYLE_TABLE: dict[str, tuple[str, str, bool, int | None, int | None]] = {
    "body": ("Normal", "Normal", False, None, 0),
    "title": ("Title", "Title", False, 0, 10),
    "h1": ("Heading1", "heading 1", False, 1, 9),
    "h2": ("Heading2", "heading 2", False, 2, 9),
    "h3": ("Heading3", "heading 3", False, 3, 9),
    "h4": ("Heading4", "heading 4", False, 4, 9),
    "speaker": ("Speaker", "Speaker", True, None, None),
    "toc_title": ("TOCHeading", "TOC Heading", False, None, 39),
    "toc": ("TOC1", "toc 1", False, None, 39),
    "cover_title": ("CoverTitle", "Cover Title", True, None, None),
    "cover_subtitle": ("CoverSubtitle", "Cover Subtitle", True, None, None),
    "cover_meta": ("CoverMeta", "Cover Meta", True, None, None),
}
TOC2 = ("TOC2", "toc 2")
FOOTER = ("Footer", "footer")
NO_STYLE_ROLES = ("lead",)  # run-level roles: their runs name their own fonts
JC = {"justify": "both", "center": "center", "left": "left", "right": "right"}


class FontFile(Protocol):
    """What the renderer needs of ``fonts.ResolvedFont``."""

    @property
    def family(self) -> str: ...

    @property
    def path(self) -> Path: ...


class FontSource(Protocol):
    """What the renderer needs of ``fonts.FontSet``: a resolved font per file name."""

    def font(self, name: str) -> FontFile: ...


def render(
    plan: LayoutPlan, spec: LayoutSpec, fonts: FontSource, path: Path, *, font_mode: str = "standard"
) -> None:
    """Write ``plan`` as a DOCX to ``path``; ``font_mode`` is "standard" or "portable" (embedded subsets).

    Raise RenderError when the plan is empty, the mode unknown, or the file cannot be written.
    """
    if font_mode not in FONT_MODES:
        raise RenderError(f"unknown DOCX font mode {font_mode!r} (use standard or portable)")
    if not plan.pages:
        raise RenderError("the layout plan has no pages; nothing to render")
    data = _Writer(plan, spec, fonts, font_mode).build()
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise RenderError(f"cannot write {path}: {exc.strerror or exc}") from None


@dataclass
class _Para:
    """Planned lines that form one DOCX paragraph, with the page each line is on."""

    role: str
    lines: list[Line]
    pages: list[int]
    before: int = 0  # blank grid lines before (first paragraph on a page)
    after: int = 0  # blank grid lines after (up to the next paragraph on the same page)


@dataclass
class _Section:
    """A run of pages of one kind (cover, toc, body, blank) that becomes one DOCX section."""

    kind: str
    pages: list[Page]
    paras: list[_Para] = field(default_factory=list)


class _Names:
    """Font names written into the DOCX per font role and per font file, and the text each name sets."""

    def __init__(self, spec: LayoutSpec, fonts: FontSource, mode: str) -> None:
        self.spec = spec
        self.fonts = fonts
        self.portable = mode == "portable"
        self.role_of: dict[str, str] = {}
        for role, chain in spec.fonts.chains.items():
            for name in chain:
                self.role_of.setdefault(name, role)
        self.text: dict[str, list[str]] = {}
        self.files: dict[str, Path] = {}

    def for_role(self, font_role: str) -> str:
        """Return the name for a font role: its product name (standard) or its primary's family (portable)."""
        if not self.portable:
            return self.spec.fonts.docx_names.get(font_role) or font_role
        return self._family(self.spec.fonts.chains[font_role][0])

    def for_run(self, file: str, font_role: str) -> str:
        """Return the name for a run in ``file`` inside a paragraph of ``font_role``; record its text
        later."""
        if not file:
            return self.for_role(font_role)
        if self.portable:
            return self._family(file)
        chain = self.spec.fonts.chains.get(font_role, ())
        return self.for_role(font_role if file in chain else self.role_of.get(file, font_role))

    def use(self, name: str, text: str) -> None:
        """Record that ``name`` sets ``text`` (the characters its embedded subset must hold)."""
        self.text.setdefault(name, []).append(text)

    def _family(self, file: str) -> str:
        font = self.fonts.font(file)
        self.files.setdefault(font.family, Path(font.path))
        return font.family

    def entries(self, names: Sequence[str]) -> list[fx.FontEntry]:
        """Return the font-table entries for ``names`` (sorted), with files to embed in portable mode."""
        out = []
        for name in sorted(set(names)):
            path = self.files.get(name) if self.portable else None
            out.append(fx.FontEntry(name, path, "".join(sorted(set("".join(self.text.get(name, [])))))))
        return out


class _Writer:
    """Builds one document; ``build`` returns the DOCX bytes."""

    def __init__(self, plan: LayoutPlan, spec: LayoutSpec, fonts: FontSource, mode: str) -> None:
        self.plan = plan
        self.spec = spec
        self.names = _Names(spec, fonts, mode)
        self.line_twips = math.floor(spec.page.pitch * 20 + 1e-6)
        self.body_size = spec.styles["body"].size if "body" in spec.styles else spec.page.cell
        self.bookmarks: dict[str, str] = {}
        self.bookmark_ids: dict[str, int] = {}
        self.style_ids: dict[str, str] = {}
        self.used_names: list[str] = []
        self.folio_baseline = next((line.baseline for p in plan.pages for line in p.lines
                                    if line.role == "page_number"), 0.0)

    # --- geometry from the spec ----------------------------------------------------------------------------

    def _span(self, style: ParagraphStyle) -> int:
        """Return the grid lines a line of ``style`` advances (the composer's rule, compose.LEADING)."""
        return max(1, math.ceil(style.size * LEADING / self.spec.page.pitch - 1e-9))

    def _char_spacing(self, style: ParagraphStyle) -> int:
        """Return the run spacing in twips that puts body-size characters on the grid cell (−5 at 16 pt)."""
        if style.size != self.body_size:
            return 0
        return min(0, math.floor((self.spec.page.cell - style.size) * 20))

    def _style_of(self, role: str) -> ParagraphStyle:
        return self.spec.styles.get(role) or self.spec.styles["body"]

    # --- build ----------------------------------------------------------------------------------------------

    def build(self) -> bytes:
        document = docx.Document()
        package = document.part.package
        _drop_template_parts(document)
        sections = self._sections()
        folio = _folio_format(self.plan.pages)
        footers = self._footers(document, folio, sections)
        body_elements = self._body(sections, footers)
        ox.set_body(document.element.body, body_elements[0], body_elements[1])
        self._styles(document)
        fx.fill_settings(
            document.settings.element,
            embed_fonts=self.names.portable,
            default_tab=2 * self._cell_twips(self._style_of("body")),
            lang=LANG,
        )
        fx.write_font_table(fx.font_table_part(document.part), self.names.entries(self.used_names))
        for part in package.iter_parts():  # the parts kept from the template (ours never name theme fonts)
            element = getattr(part, "element", None)
            if element is not None and not str(part.partname).startswith(("/word/document", "/word/footer")):
                fx.strip_theme_attributes(element)
        self._properties(document)
        out = io.BytesIO()
        document.save(out)
        return _normalise_zip(out.getvalue())

    def _properties(self, document: docx.document.Document) -> None:
        props = document.core_properties
        meta = self.plan.meta
        props.title = meta.title
        props.author = meta.author
        props.subject = meta.subject
        props.language = meta.language or LANG
        props.created = FIXED_DATE
        props.modified = FIXED_DATE
        props.last_modified_by = meta.author
        props.revision = 1
        props.comments = ""
        props.keywords = ""
        props.category = ""
        for rel in document.part.package.rels.values():
            if rel.reltype == RT.EXTENDED_PROPERTIES:
                rel.target_part._blob = ox.app_properties(len(self.plan.pages))

    # --- pages → sections → paragraphs ---------------------------------------------------------------------

    def _sections(self) -> list[_Section]:
        sections: list[_Section] = []
        for page in self.plan.pages:
            kind = page.kind if page.kind in ("cover", "toc", "blank") else "body"
            if not sections or sections[-1].kind != kind or kind == "blank":
                sections.append(_Section(kind, []))
            sections[-1].pages.append(page)
        for section in sections:
            section.paras = self._paragraphs(section.pages)
        return sections

    def _paragraphs(self, pages: Sequence[Page]) -> list[_Para]:
        paras: list[_Para] = []
        open_para: _Para | None = None
        for page in pages:
            previous_grid = -1
            for line in page.lines:
                if line.role == "page_number":
                    continue
                style = self._style_of(line.role)
                top = line.grid_line - self._span(style) + 1 if line.grid_line >= 0 else previous_grid + 1
                if (
                    open_para is not None
                    and not line.first
                    and line.block == open_para.lines[-1].block
                    and line.role == open_para.role
                ):
                    open_para.lines.append(line)
                    open_para.pages.append(page.index)
                else:
                    open_para = _Para(line.role, [line], [page.index])
                    if paras and paras[-1].pages[-1] == page.index:
                        paras[-1].after = max(0, top - previous_grid - 1)
                    else:
                        open_para.before = max(0, top)
                    paras.append(open_para)
                previous_grid = max(previous_grid, line.grid_line)
                if line.last:
                    open_para = None
        return paras

    def _body(
        self, sections: Sequence[_Section], footers: _Footers
    ) -> tuple[list[ox.Element], ox.Element]:
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
                own = self._toc(section.paras)
            elif section.kind == "blank":
                own = [
                    ox.paragraph(ox.ParaFormat(page_break_before=i > 0)) for i in range(len(section.pages))
                ]
            else:
                own = [self._paragraph(p, i > 0) for i, p in enumerate(section.paras)]
            if not own:
                own = [ox.paragraph(None)]
            refs: tuple[tuple[str, str], ...] = ()
            if section.kind == "body" and footers.odd:
                refs = (("default", footers.odd), ("even", footers.even))
            elif section.kind == "blank" and footers.empty:
                refs = (("default", footers.empty), ("even", footers.empty))
            sect = ox.sect_pr(self._geometry(refs, start))
            if k == len(sections) - 1:
                final = sect
            else:
                ox.attach_sect_pr(own[-1], sect)
            elements += own
        assert final is not None
        return elements, final

    def _geometry(self, refs: tuple[tuple[str, str], ...], start: int | None) -> ox.SectionFormat:
        page = self.spec.page
        pn = self.spec.page_number
        # w:footer runs from the page's bottom edge up to the bottom of the footer line (``size`` high).
        # It is chosen so that the folio's baseline lands on the plan's (§7.5: the number line's top lies
        # ``drop`` below the 版心, gbt9704.md §5); LibreOffice 7.4 sets the baseline of a 14 pt exact line of
        # FandolSong FOLIO_BASELINE × size below the line's top (measured).
        size = pn.size
        baseline = self.folio_baseline or page.top + page.body_height + pn.drop + 0.88 * size
        footer = page.height - baseline - (size - FOLIO_BASELINE * size)
        return ox.SectionFormat(
            width=_tw(page.width),
            height=_tw(page.height),
            top=_tw(page.top),
            right=_tw(page.right),
            bottom=_tw(page.bottom),
            left=_tw(page.left),
            header=_tw(page.top / 2),
            footer=_tw(footer),
            footers=refs,
            page_start=start,
            line_pitch=self.line_twips,
        )

    def _footer_line(self) -> int:
        return _tw(self.spec.page_number.size)

    def _cell_twips(self, style: ParagraphStyle) -> int:
        return round(style.size * 20) + self._char_spacing(style)

    # --- paragraphs -----------------------------------------------------------------------------------------

    def _paragraph(self, para: _Para, not_first: bool) -> ox.Element:
        role = para.role
        style = self._style_of(role)
        fmt = ox.ParaFormat(
            style=self._style_id(role),
            page_break_before=not_first and role == "title" and para.lines[0].first,
            before=para.before * self.line_twips if para.before else None,
            after=para.after * self.line_twips if para.after else None,
        )
        content: list[ox.Element] = []
        anchor = next((line.anchor for line in para.lines if line.anchor), "")
        mark = self._bookmark(anchor) if anchor else None
        if mark:
            content.append(mark[0])
        content += self._runs(para.lines, style, centred=style.align == "center")
        if mark:
            content.append(mark[1])
        return ox.paragraph(fmt, content)

    def _runs(self, lines: Sequence[Line], style: ParagraphStyle, *, centred: bool) -> list[ox.Element]:
        """Return the runs of ``lines``: neighbours in one font merge; centred lines keep their breaks."""
        parts: list[list[Run]] = [list(line.runs) for line in lines]
        return self._merged(parts, style, "\n" if centred else "")

    def _merged(self, parts: Sequence[Sequence[Run]], style: ParagraphStyle, joint: str) -> list[ox.Element]:
        """Return DOCX runs for the planned runs of ``parts`` joined by ``joint``, one per font and size."""
        pieces: list[tuple[str, str, float]] = []  # (font name, text, size)
        for i, runs in enumerate(parts):
            for k, r in enumerate(runs):
                name = self.names.for_run(r.font, style.font)
                text = (joint if i and not k else "") + r.text
                if pieces and pieces[-1][0] == name and pieces[-1][2] == r.size:
                    pieces[-1] = (name, pieces[-1][1] + text, r.size)
                else:
                    pieces.append((name, text, r.size))
        return [ox.run(t, self._run_format(name, t, size, style)) for name, t, size in pieces if t]

    def _run_format(self, name: str, text: str, size: float, style: ParagraphStyle) -> ox.RunFormat:
        self.names.use(name, text)
        self.used_names.append(name)
        return ox.RunFormat(
            font=name,
            hint_east_asia=ox.needs_hint(text),
            size=_hp(size) if size and abs(size - style.size) > 1e-6 else None,
        )

    def _bookmark(self, anchor: str) -> tuple[ox.Element, ox.Element]:
        name = self._bookmark_name(anchor)
        return ox.bookmark(self.bookmark_ids.setdefault(anchor, len(self.bookmark_ids) + 1), name)

    def _bookmark_name(self, anchor: str) -> str:
        """Return the Word bookmark for ``anchor``: hidden (_Toc…), ≤ 40 ASCII letters, digits and
        underscores."""
        if anchor not in self.bookmarks:
            safe = "".join(c if c.isascii() and (c.isalnum() or c == "_") else "_" for c in anchor)
            name = f"_Toc_{safe}"[:36]
            taken = set(self.bookmarks.values())
            k = 1
            while name in taken:
                k += 1
                name = f"_Toc_{safe}"[:32] + f"_{k}"
            self.bookmarks[anchor] = name
        return self.bookmarks[anchor]

    def _style_id(self, role: str) -> str:
        if role in STYLE_TABLE:
            return STYLE_TABLE[role][0]
        if role in NO_STYLE_ROLES:
            return "Normal"
        return self.style_ids.setdefault(role, "".join(p.capitalize() for p in role.split("_")))

    # --- the 目录 -------------------------------------------------------------------------------------------

    def _toc(self, paras: Sequence[_Para]) -> list[ox.Element]:
        """Return the 目录: its heading paragraphs, then a TOC field whose result is the plan's entries."""
        out = [self._paragraph(p, False) for p in paras if p.role != "toc"]
        entry_paras = [p for p in paras if p.role == "toc"]
        by_anchor = {e.anchor: e for e in self.plan.toc}
        entries: list[tuple[TocEntry, _Para | None]] = []
        for k, entry_para in enumerate(entry_paras):
            target = next((line.link for line in entry_para.lines if line.link), "")
            found = by_anchor.get(target) or (self.plan.toc[k] if k < len(self.plan.toc) else None)
            if found is not None:
                entries.append((found, entry_para))
        if not entries:
            entries = [(e, None) for e in self.plan.toc]
        if not entries:
            return out
        depth = max(e.level for e, _ in entries)
        style = self._style_of("toc")
        base = ox.RunFormat(font=self.names.for_role(style.font))
        for k, (entry, para) in enumerate(entries):
            content: list[ox.Element] = []
            if k == 0:
                content += ox.field_start(f'TOC \\o "1-{depth}" \\h \\z \\u', base)
            mark = self._bookmark_name(entry.anchor)
            number = str(entry.page_number)
            self.names.use(base.font or "", number)
            linked = [
                *self._entry_runs(entry, para, style),
                ox.run("\t", base),
                *ox.field(f"PAGEREF {mark} \\h", number, base),
            ]
            content.append(ox.hyperlink(mark, linked))
            if k == len(entries) - 1:
                content.append(ox.field_char("end", base))
            after = para.after * self.line_twips if para is not None and para.after else None
            before = para.before * self.line_twips if para is not None and para.before else None
            level_style = "TOC1" if entry.level <= 1 else TOC2[0]
            out.append(ox.paragraph(ox.ParaFormat(style=level_style, before=before, after=after), content))
        return out

    def _entry_runs(self, entry: TocEntry, para: _Para | None, style: ParagraphStyle) -> list[ox.Element]:
        """Return the runs of an entry's text, in the fonts the plan drew it with (fallbacks included)."""
        parts = [list(line.runs) for line in para.lines] if para is not None else []
        if parts and len(parts[-1]) >= 2 and parts[-1][-1].text == str(entry.page_number):
            parts[-1] = parts[-1][:-1]  # the number, then the dot leader if there is one
            leader = self.spec.toc.leader
            if leader and parts[-1] and not parts[-1][-1].text.strip(leader):
                parts[-1] = parts[-1][:-1]
        if "".join(r.text for runs in parts for r in runs) != entry.text:
            parts = [[Run(entry.text, "", style.size, 0.0, 0.0)]]
        return self._merged(parts, style, "")

    def _toc_right(self) -> int | None:
        """Return the TOC entries' right indent in twips, so that entry text wraps where the plan's does.

        front.toc_pages keeps entry text ``column + pad + 2 cells`` clear of the right edge (its leader ends
        ``column + pad`` from it). The indent leaves room for the same number of cells at the DOCX cell width,
        plus half a cell, so that the 15.75 pt DOCX cell and the 15.79 pt plan cell agree on the count.
        """
        page = self.spec.page
        right_edge = page.left + page.body_width
        for p in self.plan.pages:
            for line in p.lines:
                if line.role == "toc" and line.last and len(line.runs) >= 2:
                    leader_end = line.runs[-2].x + line.runs[-2].width
                    text_width = page.body_width - (right_edge - leader_end) - 2 * page.cell
                    cells = math.floor(text_width / page.cell + 1e-6)
                    cell = self._cell_twips(self._style_of("toc"))
                    return max(0, _tw(page.body_width) - cells * cell - cell // 2)
        return None

    # --- footers --------------------------------------------------------------------------------------------

    def _footers(
        self, document: docx.document.Document, folio: tuple[str, str] | None, sections: Sequence[_Section]
    ) -> _Footers:
        footers = _Footers()
        if folio is None:
            return footers
        pn = self.spec.page_number
        name = self.names.for_role(pn.font)
        pad = _tw(pn.pad * pn.size)
        prefix, suffix = folio
        for side in ("odd", "even"):
            part, rid = document.part.add_footer_part()  # type: ignore[no-untyped-call]
            fmt = ox.RunFormat(font=name, hint_east_asia=ox.needs_hint(prefix + suffix))
            self.names.use(name, prefix + suffix + "0123456789")
            self.used_names.append(name)
            runs = [ox.run(prefix, fmt), *ox.field("PAGE", "1", fmt), ox.run(suffix, fmt)]
            para = ox.ParaFormat(
                style=FOOTER[0],
                jc="right" if side == "odd" else "left",
                right=pad if side == "odd" else None,
                left=pad if side == "even" else None,
            )
            ox.replace_children(part.element, [ox.paragraph(para, runs)])
            setattr(footers, side, rid)
        if any(s.kind == "blank" for s in sections):
            part, rid = document.part.add_footer_part()  # type: ignore[no-untyped-call]
            ox.replace_children(part.element, [ox.paragraph(ox.ParaFormat(style=FOOTER[0]))])
            footers.empty = rid
        return footers

    # --- styles ---------------------------------------------------------------------------------------------

    def _styles(self, document: docx.document.Document) -> None:
        body = self._style_of("body")
        body_name = self.names.for_role(body.font)
        self.used_names.append(body_name)
        common = dict(widow_control=False, kinsoku=True, overflow_punct=OVERFLOW_PUNCT, auto_space=False)
        defaults_p = ox.ParaFormat(before=0, after=0, line=self.line_twips, **common)  # type: ignore[arg-type]
        defaults_r = ox.RunFormat(font=body_name, size=_hp(body.size), lang=LANG)
        styles: list[fx.StyleDef] = []
        roles = [r for r in STYLE_TABLE if r in self.spec.styles or r == "body"]
        roles += [r for r in self.style_ids if r not in roles]
        for role in roles:
            style = self._style_of(role)
            style_id, name, custom, outline, priority = STYLE_TABLE.get(
                role, (self._style_id(role), role.replace("_", " ").title(), True, None, None)
            )
            styles.append(
                self._style_def(
                    style_id,
                    name,
                    style,
                    custom=custom,
                    outline=outline,
                    priority=priority,
                    common=common if role == "body" else None,
                )
            )
            if role == "toc":
                styles[-1] = self._style_def(
                    style_id, name, style, priority=priority, right=self._toc_right()
                )
                styles.append(
                    self._style_def(
                        TOC2[0], TOC2[1], style, priority=39, extra_indent=2.0, right=self._toc_right()
                    )
                )
        pn = self.spec.page_number
        footer_style = ParagraphStyle(pn.font, pn.size, "left", 0.0)
        styles.append(
            self._style_def(FOOTER[0], FOOTER[1], footer_style, priority=99, line=self._footer_line())
        )
        fx.fill_styles(document.styles.element, defaults_p, defaults_r, styles)

    def _style_def(
        self,
        style_id: str,
        name: str,
        style: ParagraphStyle,
        *,
        custom: bool = False,
        outline: int | None = None,
        priority: int | None = None,
        extra_indent: float = 0.0,
        common: dict[str, bool] | None = None,
        line: int | None = None,
        right: int | None = None,
    ) -> fx.StyleDef:
        cell = self._cell_twips(style)
        font = self.names.for_role(style.font)
        self.used_names.append(font)
        indent = style.indent + extra_indent
        para = ox.ParaFormat(
            keep_next=True if style.keep_with_next else None,
            tabs=(("right", "dot", _tw(self.spec.page.body_width)),)
            if style_id.startswith("TOC") and style_id != "TOCHeading"
            else (),
            **(common or {}),  # type: ignore[arg-type]
            line=line if line is not None else self._span(style) * self.line_twips,
            first_line=round(style.first_indent * cell),
            first_line_chars=round(style.first_indent * 100),
            left=round(indent * cell) if indent else None,
            left_chars=round(indent * 100) if indent else None,
            right=right,
            jc=JC.get(style.align, "both"),
            outline_level=outline,
        )
        run = ox.RunFormat(
            font=font,
            bold=True if style.bold else None,
            spacing=self._char_spacing(style),
            size=_hp(style.size),
        )
        based = None if style_id == "Normal" else "Normal"
        return fx.StyleDef(
            style_id,
            name,
            para,
            run,
            based_on=based,
            next_style="Normal" if based else None,
            default=style_id == "Normal",
            custom=custom,
            ui_priority=priority,
            quick=priority is not None and priority < 39,
        )


@dataclass
class _Footers:
    """Relationship ids of the shared footer parts; empty strings when not needed."""

    odd: str = ""
    even: str = ""
    empty: str = ""


def _folio_format(pages: Sequence[Page]) -> tuple[str, str] | None:
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


def _tw(points: float) -> int:
    """Return ``points`` in twips (1/20 pt), rounded."""
    return round(points * 20)


def _hp(points: float) -> int:
    """Return ``points`` in half-points, rounded (w:sz)."""
    return round(points * 2)
