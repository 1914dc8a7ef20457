"""Paragraph content for the DOCX renderer: runs in the plan's fonts, bookmarks and the 目录 as a TOC field.

Part of ``render.docx`` (no raw OOXML here: ``_xml`` builds the elements). Lines of one block, from its
``first`` to its ``last`` line, become one paragraph: no frozen line breaks except between the balanced lines
of a centred title. Neighbouring plan runs in one font merge into one DOCX run.

Characters the plan sets at their own advance (Latin letters, digits, half-width marks; the layout's rule,
``measure.fills_cell``) get a character spacing of 0 in body-size styles, whose −5 twips of grid spacing
belong to the full-width characters only; the CJK/Latin space between them is the style's
w:autoSpaceDE/DN (``styles``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from publish.layout.frame import LayoutPlan, Line, Run, TocEntry
from publish.layout.spec import ParagraphStyle
from publish.render.docx import _xml as ox
from publish.render.docx.names import FontNames
from publish.render.docx.styles import TOC2, Grid, StyleIds, hp

Piece = tuple[str, str, float, bool]  # (font name, text, size, set at its own advance)


@dataclass
class Para:
    """Planned lines that form one DOCX paragraph, with the page each line is on."""

    role: str
    lines: list[Line]
    pages: list[int]
    before: int = 0  # blank grid lines before (first paragraph on a page)
    after: int = 0  # blank grid lines after (up to the next paragraph on the same page)


class Content:
    """Writes paragraphs and the 目录 of one document; keeps its bookmarks."""

    def __init__(self, plan: LayoutPlan, grid: Grid, names: FontNames, ids: StyleIds) -> None:
        self.plan = plan
        self.grid = grid
        self.names = names
        self.ids = ids
        self.bookmarks: dict[str, str] = {}
        self._taken: set[str] = set()  # the values of ``bookmarks``
        self.bookmark_ids: dict[str, int] = {}

    def paragraph(self, para: Para, not_first: bool) -> ox.Element:
        """Return ``para`` as a ``w:p``; a speech title that is not the section's first starts a page."""
        role = para.role
        style = self.grid.style(role)
        line_twips = self.grid.line_twips
        fmt = ox.ParaFormat(
            style=self.ids(role),
            page_break_before=not_first and role == "title" and para.lines[0].first,
            before=para.before * line_twips if para.before else None,
            after=para.after * line_twips if para.after else None,
        )
        content: list[ox.Element] = []
        anchor = next((line.anchor for line in para.lines if line.anchor), "")
        mark = self._bookmark(anchor) if anchor else None
        if mark:
            content.append(mark[0])
        parts = [list(line.runs) for line in para.lines]
        content += self._merged(parts, style, "\n" if style.align == "center" else "")
        if mark:
            content.append(mark[1])
        return ox.paragraph(fmt, content)

    def _merged(self, parts: Sequence[Sequence[Run]], style: ParagraphStyle, joint: str) -> list[ox.Element]:
        """Return DOCX runs for the planned runs of ``parts`` joined by ``joint``: one per font, size and
        spacing."""
        pieces: list[Piece] = []
        spaced = self.grid.char_spacing(style) != 0
        for i, runs in enumerate(parts):
            for k, r in enumerate(runs):
                name = self.names.for_run(r.font, style.font)
                prefix = joint if i and not k else ""  # the break goes with the next line's first run
                if spaced:
                    segments = self.names.segments(r.font, r.text)
                else:
                    segments = [(r.text, False)] if r.text else []
                for text, natural in segments:
                    _add(pieces, (name, prefix + text, r.size, natural))
                    prefix = ""
                if prefix:
                    _add(pieces, (name, prefix, r.size, False))
        return [
            ox.run(t, self._run_format(name, t, size, natural, style)) for name, t, size, natural in pieces
        ]

    def _run_format(
        self, name: str, text: str, size: float, natural: bool, style: ParagraphStyle
    ) -> ox.RunFormat:
        self.names.use(name, text)
        return ox.RunFormat(
            font=name,
            hint_east_asia=ox.needs_hint(text),
            spacing=0 if natural else None,
            size=hp(size) if size and abs(size - style.size) > 1e-6 else None,
        )

    def _bookmark(self, anchor: str) -> tuple[ox.Element, ox.Element]:
        name = self.bookmark_name(anchor)
        return ox.bookmark(self.bookmark_ids.setdefault(anchor, len(self.bookmark_ids) + 1), name)

    def bookmark_name(self, anchor: str) -> str:
        """Return the Word bookmark for ``anchor``: hidden (_Toc…), ≤ 40 ASCII letters, digits and
        underscores."""
        if anchor not in self.bookmarks:
            safe = "".join(c if c.isascii() and (c.isalnum() or c == "_") else "_" for c in anchor)
            name = f"_Toc_{safe}"[:36]
            k = 1
            while name in self._taken:
                k += 1
                name = f"_Toc_{safe}"[:32] + f"_{k}"
            self.bookmarks[anchor] = name
            self._taken.add(name)
        return self.bookmarks[anchor]

    # --- the 目录 -------------------------------------------------------------------------------------------

    def toc(self, paras: Sequence[Para]) -> list[ox.Element]:
        """Return the 目录: its heading paragraphs, then a TOC field whose result is the plan's entries."""
        out = [self.paragraph(p, False) for p in paras if p.role != "toc"]
        entry_paras = [p for p in paras if p.role == "toc"]
        by_anchor = {e.anchor: e for e in self.plan.toc}
        entries: list[tuple[TocEntry, Para | None]] = []
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
        style = self.grid.style("toc")
        base = ox.RunFormat(font=self.names.for_role(style.font))
        line_twips = self.grid.line_twips
        for k, (entry, para) in enumerate(entries):
            content: list[ox.Element] = []
            if k == 0:
                content += ox.field_start(f'TOC \\o "1-{depth}" \\h \\z \\u', base)
            mark = self.bookmark_name(entry.anchor)
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
            after = para.after * line_twips if para is not None and para.after else None
            before = para.before * line_twips if para is not None and para.before else None
            level_style = "TOC1" if entry.level <= 1 else TOC2[0]
            out.append(ox.paragraph(ox.ParaFormat(style=level_style, before=before, after=after), content))
        return out

    def _entry_runs(self, entry: TocEntry, para: Para | None, style: ParagraphStyle) -> list[ox.Element]:
        """Return the runs of an entry's text, in the fonts the plan drew it with (fallbacks included)."""
        parts = [list(line.runs) for line in para.lines] if para is not None else []
        if parts and len(parts[-1]) >= 2 and parts[-1][-1].text == str(entry.page_number):
            parts[-1] = parts[-1][:-1]  # the number, then the dot leader if there is one
            leader = self.grid.spec.toc.leader
            if leader and parts[-1] and not parts[-1][-1].text.strip(leader):
                parts[-1] = parts[-1][:-1]
        if "".join(r.text for runs in parts for r in runs) != entry.text:
            parts = [[Run(entry.text, "", style.size, 0.0, 0.0)]]
        return self._merged(parts, style, "")


def _add(pieces: list[Piece], piece: Piece) -> None:
    """Append ``piece`` to ``pieces``, merged into the last one when font, size and spacing agree."""
    if not piece[1]:
        return
    if pieces and pieces[-1][0] == piece[0] and pieces[-1][2] == piece[2] and pieces[-1][3] == piece[3]:
        last = pieces[-1]
        pieces[-1] = (last[0], last[1] + piece[1], last[2], last[3])
    else:
        pieces.append(piece)
