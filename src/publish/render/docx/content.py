"""Paragraph content for the DOCX renderer: runs in the plan's fonts, bookmarks and the 目录 as a TOC field.

Part of ``render.docx`` (no raw OOXML here: ``oxml.elements`` builds the elements). Each block of the plan's
flow becomes one paragraph: its lines' runs, joined by forced line breaks only where the plan keeps its breaks
(balanced titles, centred lines), with the blank grid lines around it as paragraph spacing and a page break
where the plan starts a page. Neighbouring plan runs in one font merge into one DOCX run.

Runs the plan sets at their own advance rather than in a full-width cell (``Run.cell`` False: Latin letters,
digits, half-width marks) get a character spacing of 0 in styles with grid spacing, whose −5 twips belong to
the full-width characters only; the CJK/Latin space between them is the style's w:autoSpaceDE/DN
(``styles``).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from publish.layout.frame import Block, Run
from publish.render.docx.names import FontNames
from publish.render.docx.oxml import elements as ox
from publish.render.docx.reuse import Kept, ParagraphMemory
from publish.render.docx.styles import LEAD_STYLE, TOC2, Grid, StyleIds, hp

# The speaker a 目录 entry shows (``Block.toc_mark``) is a TC field of this type and level in the speaker's
# paragraph, which the TOC field collects with \f and \l on update, page number omitted (ECMA-376 Part 4
# §2.16.5.75 TOC, TC): Word then lists it under its title in the style "toc 3" (``styles.TOC3``).
TC_TYPE = "s"
TC_LEVEL = 3


class Content:
    """Writes paragraphs and the 目录 of one document; keeps its bookmarks. ``memory`` (a warm session's)
    gives the body paragraphs of blocks an earlier render wrote; None builds every one."""

    def __init__(
        self, grid: Grid, names: FontNames, ids: StyleIds, memory: ParagraphMemory | None = None
    ) -> None:
        self.grid = grid
        self.names = names
        self.ids = ids
        self.memory = memory
        self.bookmarks: dict[str, str] = {}
        self._taken: set[str] = set()  # the values of ``bookmarks``
        self.bookmark_ids: dict[str, int] = {}

    def paragraph(self, block: Block, not_first: bool, room: int = 0) -> ox.Element:
        """Return ``block`` as a ``w:p``; a page the plan starts (not the section's first) is a page break.

        ``room``: blank grid lines below the block on its page. A block of lines taller than a grid line
        moves down by ``Grid.drop`` where it has room, and gives the space back to the block after it.
        """
        memory = self.memory
        if memory is None:
            return self._paragraph(block, not_first, room)
        key = self._key(block, not_first, room)
        kept = memory.get(key)
        if kept is None:
            self.names.log = []
            element = self._paragraph(block, not_first, room)
            memory.put(key, Kept(element, tuple(self.names.log)))
            self.names.log = None
            return element
        self.ids(block.role)  # what building it records: the style id it names, its fonts and text
        self.names.replay(kept.uses)
        return kept.element

    def _key(self, block: Block, not_first: bool, room: int) -> Hashable:
        """Return everything ``_paragraph`` reads of ``block`` (not where it is: its page, positions and
        baselines), with its bookmark's number and name."""
        mark = self._mark(block.anchor) if block.anchor else None
        runs = tuple((r.font, r.text, r.size, r.cell) for line in block.lines for r in line.runs)
        starts = tuple(len(line.runs) for line in block.lines)  # a forced break goes between lines
        spacing = (block.space_before, block.space_after, block.latin_spacing, room > 0)
        shape = (
            block.role,
            not_first and block.page_break_before,
            block.kept_breaks,
            block.lead,
            block.toc_mark,
        )
        return shape, spacing, mark, runs, starts

    def _paragraph(self, block: Block, not_first: bool, room: int) -> ox.Element:
        role = block.role
        line_twips = self.grid.line_twips
        drop = self.grid.drop(role) if room > 0 else 0
        before = block.space_before * line_twips + drop
        after = block.space_after * line_twips - drop if block.space_after else 0
        fmt = ox.ParaFormat(
            style=self.ids(role),
            page_break_before=not_first and block.page_break_before,
            before=before or None,
            after=after or None,
            auto_space=False if not block.latin_spacing else None,  # Word's CJK/Latin space off, as planned
        )
        content: list[ox.Element] = []
        mark = self._bookmark(block.anchor) if block.anchor else None
        if mark:
            content.append(mark[0])
        parts = [line.runs for line in block.lines]
        content += self._merged(parts, role, "\n" if block.kept_breaks else "", block.lead)
        if mark:
            content.append(mark[1])
        if block.toc_mark:  # what Word's TOC field collects from here when it is updated (docs/toc.md)
            text = block.toc_mark.replace("\\", "\\\\").replace('"', '\\"')
            content += ox.field_code(f'TC "{text}" \\f {TC_TYPE} \\l {TC_LEVEL} \\n', None)
        return ox.paragraph(fmt, content)

    def _merged(
        self, parts: Sequence[Sequence[Run]], role: str, joint: str, lead: int = 0
    ) -> list[ox.Element]:
        """Return DOCX runs for the planned runs of ``parts`` joined by ``joint``: one per font, size,
        spacing and character style; the first ``lead`` characters are in the Lead character style."""
        style = self.grid.style(role)
        own = self.names.for_role(style.font)  # the paragraph style's font: runs in it name none
        lead_font = self.names.for_role(self.grid.style("lead").font) if lead else ""
        spaced = self.grid.char_spacing(role) != 0
        for_run = self.names.for_run
        font_role = style.font
        # the DOCX runs as (font name, size, at its own advance, in the lead) and the texts merged into each
        keys: list[tuple[str, float, bool, bool]] = []
        texts: list[list[str]] = []

        def put(key: tuple[str, float, bool, bool], text: str) -> None:
            if keys and keys[-1] == key:
                texts[-1].append(text)
            else:
                keys.append(key)
                texts.append([text])

        seen = 0  # characters of the block before the current run
        for i, runs in enumerate(parts):
            for k, r in enumerate(runs):
                text = r.text
                name = for_run(r.font, font_role)
                prefix = joint if i and not k else ""  # the break goes with the next line's first run
                natural = spaced and not r.cell
                cut = min(max(lead - seen, 0), len(text))
                seen += len(text)
                if cut:  # the lead's part of the run first
                    put((name, r.size, natural, True), prefix + text[:cut])
                    prefix, text = "", text[cut:]
                if text or prefix:
                    put((name, r.size, natural, False), prefix + text)
        out = []
        for (name, size, natural, in_lead), merged in zip(keys, texts, strict=True):
            t = "".join(merged)
            inherited = name == (lead_font if in_lead else own)
            out.append(ox.run(t, self._run_format(name, t, size, natural, style.size, inherited, in_lead)))
        return out

    def _run_format(
        self,
        name: str,
        text: str,
        size: float,
        natural: bool,
        style_size: float,
        inherited: bool,
        lead: bool = False,
    ) -> ox.RunFormat:
        self.names.use(name, text)
        return ox.RunFormat(
            font=None if inherited else name,
            hint_east_asia=ox.needs_hint(text),
            style=LEAD_STYLE[0] if lead else None,
            spacing=0 if natural else None,
            size=hp(size) if size and abs(size - style_size) > 1e-6 else None,
        )

    def _bookmark(self, anchor: str) -> tuple[ox.Element, ox.Element]:
        return ox.bookmark(*self._mark(anchor))

    def _mark(self, anchor: str) -> tuple[int, str]:
        """Return the bookmark number and name of ``anchor`` (numbered in the order first asked for)."""
        name = self.bookmark_name(anchor)
        return self.bookmark_ids.setdefault(anchor, len(self.bookmark_ids) + 1), name

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

    def toc(self, blocks: Sequence[Block]) -> list[ox.Element]:
        """Return the 目录: its heading paragraphs, then a TOC field whose result is the plan's entries (their
        lines joined by forced breaks where the plan wraps them, a tab drawing the leader, the number as a
        PAGEREF field, linked to the entry's bookmark)."""
        out = [self.paragraph(b, False, b.space_after) for b in blocks if b.toc is None]
        entries = [b for b in blocks if b.toc is not None]
        if not entries:
            return out
        depth = max(b.toc.level for b in entries if b.toc is not None)
        speakers = any(b.toc.speaker for b in entries if b.toc is not None)
        style = self.grid.style("toc")
        base = None  # field characters, tab and number in the TOC style's font
        toc_font = self.names.for_role(style.font)
        line_twips = self.grid.line_twips
        for k, block in enumerate(entries):
            item = block.toc
            assert item is not None
            content: list[ox.Element] = []
            if k == 0:
                marks = f' \\f {TC_TYPE} \\l "{TC_LEVEL}-{TC_LEVEL}"' if speakers else ""
                content += ox.field_start(f'TOC \\o "1-{depth}"{marks} \\h \\z \\u', base)
            mark = self.bookmark_name(item.target)
            number_name = self.names.for_run(item.number_font, style.font)  # the plan's digit face
            self.names.use(number_name, item.number)
            number = base if number_name == toc_font else ox.RunFormat(font=number_name)
            linked = [
                *self._merged(item.lines, "toc", "\n"),  # broken where the plan's lines are
                ox.run("\t", base),
                *ox.field(f"PAGEREF {mark} \\h", item.number, number),
            ]
            content.append(ox.hyperlink(mark, linked))
            if k == len(entries) - 1:
                content.append(ox.field_char("end", base))
            after = block.space_after * line_twips if block.space_after else None
            before = block.space_before * line_twips if block.space_before else None
            level_style = "TOC1" if item.level <= 1 else TOC2[0]
            out.append(ox.paragraph(ox.ParaFormat(style=level_style, before=before, after=after), content))
        return out
