"""The plan's grid in DOCX units and the named paragraph styles, for the DOCX renderer (no raw OOXML here).

``Grid`` turns the plan's points into what Word and LibreOffice need to land on the plan's grid (gbt9704.md
§3): an exact line height of ``⌊pitch⌋`` twips (579) times the role's span, and, where a role's full-width
cell is narrower than its size (body-size styles), a character spacing of ``⌊cell − size⌋`` twips (−5), so
that 28 characters fill a line. ``build_styles`` gives every role a style with a real name (Word's built-in
ids and English names for the built-ins, so the navigation pane and the TOC work), its values taken from the
spec the plan carries.
"""

from __future__ import annotations

import math
from typing import NamedTuple

from publish.layout.frame import LayoutPlan
from publish.layout.spec import LayoutSpec, ParagraphStyle
from publish.render.docx.names import FontNames
from publish.render.docx.oxml import elements as ox
from publish.render.docx.oxml import parts as fx

LANG = "zh-CN"  # East Asian language of the default run properties and settings
# w:overflowPunct per reader so that no mark hangs past the margin, as in the plan: ECMA-376 §17.3.1.21 (Word,
# WPS) says off means "no hanging"; LibreOffice 7.4's import reads the value inverted (see oxml.elements.ppr).
OVERFLOW_PUNCT = {"word": False, "libreoffice": True}
# w:compat's compatibilityMode per reader: Word 2013+ (15) for Word and WPS, so Word opens the file without
# "Compatibility Mode"; 14 (Word 2010) for LibreOffice, which in mode 15 drops a right tab stop past the
# right indent and with it the 目录's leaders and page numbers (measured: see oxml.parts.settings_part).
COMPAT_MODE = {"word": 15, "libreoffice": 14}
READERS = tuple(OVERFLOW_PUNCT)
# Where LibreOffice 7.4 sets the baseline of an exactly spaced line: this share of the line height below its
# top, whatever the face (measured: FandolFang 16 pt and Noto Serif CJK Black 22 pt in 579-twip lines, Noto
# Serif CJK Black 42 pt in a 1158-twip line, all within 0.1 pt; docs/cover.md). Word's is unmeasured.
EXACT_LINE_BASELINE = 0.8

# role → (style id, style name, custom?, outline level, UI priority). Built-ins keep Word's ids and English
# names. A speech title is Heading 1 (outline level 0) and 一、…（1） are Heading 2–5, so that the TOC field's
# \o "1-depth" collects exactly the plan's 目录 in Word, WPS and LibreOffice, and the navigation pane nests
# headings under their speech.
STYLE_TABLE: dict[str, tuple[str, str, bool, int | None, int | None]] = {
    "body": ("Normal", "Normal", False, None, 0),
    "title": ("Heading1", "heading 1", False, 0, 9),
    "h1": ("Heading2", "heading 2", False, 1, 9),
    "h2": ("Heading3", "heading 3", False, 2, 9),
    "h3": ("Heading4", "heading 4", False, 3, 9),
    "h4": ("Heading5", "heading 5", False, 4, 9),
    "speaker": ("Speaker", "Speaker", True, None, None),
    "toc_title": ("TOCHeading", "TOC Heading", False, None, 39),
    "toc": ("TOC1", "toc 1", False, None, 39),
    "cover_title": ("CoverTitle", "Cover Title", True, None, None),
    "cover_subtitle": ("CoverSubtitle", "Cover Subtitle", True, None, None),
    "cover_meta": ("CoverMeta", "Cover Meta", True, None, None),
}
TOC2 = ("TOC2", "toc 2")
TOC3 = ("TOC3", "toc 3")  # the speakers Word lists on updating the field (``content.TC_LEVEL``)
FOOTER = ("Footer", "footer")
NO_STYLE_ROLES = ("lead",)  # run-level roles: a character style, not a paragraph style
LEAD_STYLE = ("Lead", "Lead")  # the run-in 一是… leads' character style (id, name)
JC = {"justify": "both", "center": "center", "left": "left", "right": "right"}
# The 目录 leader characters a Word tab stop can draw (ECMA-376 §17.18.84 ST_TabTlc); "" draws none.
TAB_LEADERS = {"": "none", ".": "dot", "·": "middleDot", "-": "hyphen", "_": "underscore"}


def tw(points: float) -> int:
    """Return ``points`` in twips (1/20 pt), rounded."""
    return round(points * 20)


def hp(points: float) -> int:
    """Return ``points`` in half-points, rounded (w:sz)."""
    return round(points * 2)


class Grid(NamedTuple):
    """The plan's line grid and cells in twips (a NamedTuple, and ``StyleIds`` a plain class: as
    dataclasses they took ~0.8 ms to make on the import every DOCX build pays)."""

    plan: LayoutPlan
    line_twips: int

    @classmethod
    def of(cls, plan: LayoutPlan) -> Grid:
        """Return the grid of ``plan``."""
        return cls(plan, math.floor(plan.spec.page.pitch * 20 + 1e-6))

    @property
    def spec(self) -> LayoutSpec:
        """Return the spec the plan was made with."""
        return self.plan.spec

    def style(self, role: str) -> ParagraphStyle:
        """Return the style of ``role``, ``body``'s for a role the spec does not name."""
        return self.spec.styles.get(role) or self.spec.styles["body"]

    def line(self, role: str) -> int:
        """Return the exact line height of ``role`` in twips: the grid lines the plan advances it."""
        return self.plan.role(role).span * self.line_twips

    def drop(self, role: str) -> int:
        """Return the twips a paragraph of ``role`` moves down (space before, given back after) so that the
        baselines of its exact-height lines land on the plan's: 0 for roles of one grid line.

        The plan puts a line's baseline ``baseline_ratio`` into the last grid line it spans; LibreOffice 7.4
        puts it ``EXACT_LINE_BASELINE`` of the exact line height below the line's top, so a line spanning
        two grid lines (the 42 pt cover title) would sit 5.3 pt high. One grid line keeps its 0.5 pt.
        """
        span = self.plan.role(role).span
        if span <= 1:
            return 0
        page = self.spec.page
        ours = (span - 1 + page.baseline_ratio) * page.pitch * 20
        return max(0, round(ours - EXACT_LINE_BASELINE * span * self.line_twips))

    def char_spacing(self, role: str) -> int:
        """Return the run spacing in twips that puts ``role``'s full-width characters into the plan's cell
        (−5 for the 15.79 pt cell at 16 pt); 0 where the cell is the size itself."""
        cell = self.plan.role(role).cell
        return min(0, math.floor((cell - self.style(role).size) * 20 + 1e-6))

    def cell_twips(self, role: str) -> int:
        """Return the width of a full-width character of ``role`` in twips, spacing included."""
        return round(self.style(role).size * 20) + self.char_spacing(role)


class StyleIds:
    """Style ids per role: the table's, ``Normal`` for run-level roles, a made-up id for any other role."""

    def __init__(self) -> None:
        self.made: dict[str, str] = {}

    def __call__(self, role: str) -> str:
        if role in STYLE_TABLE:
            return STYLE_TABLE[role][0]
        if role in NO_STYLE_ROLES:
            return "Normal"
        return self.made.setdefault(role, "".join(p.capitalize() for p in role.split("_")))


def build_styles(
    grid: Grid, names: FontNames, ids: StyleIds, toc_right: int | None, leader: str, reader: str = "word"
) -> tuple[ox.ParaFormat, ox.RunFormat, list[fx.StyleDef]]:
    """Return the document defaults and the styles of every role in the table or in ``ids``.

    Defaults: no space before or after, the exact grid line, kinsoku on, widow control as the plan applies
    it (``LayoutPlan.widow_control``; each style keeps with the next and keeps its lines together as the
    spec the plan carries says), no hanging punctuation, and automatic CJK/Latin spacing
    (w:autoSpaceDE/DN) exactly when the plan adds it (``latin_spacing`` > 0). ``leader``: the 目录's;
    ``reader``: the application the file is written for (``READERS``).
    """
    spec = grid.spec
    body = grid.style("body")
    body_name = names.for_role(body.font)
    names.use(body_name)
    common = dict(
        widow_control=grid.plan.widow_control,
        kinsoku=True,
        overflow_punct=OVERFLOW_PUNCT[reader],
        auto_space=grid.plan.latin_spacing > 0,
    )
    defaults_p = ox.ParaFormat(before=0, after=0, line=grid.line_twips, **common)  # type: ignore[arg-type]
    defaults_r = ox.RunFormat(font=body_name, size=hp(body.size), lang=LANG)
    styles: list[fx.StyleDef] = []
    roles = [r for r in STYLE_TABLE if r in spec.styles or r == "body"]
    roles += [r for r in ids.made if r not in roles]
    for role in roles:
        style_id, name, custom, outline, priority = STYLE_TABLE.get(
            role, (ids(role), role.replace("_", " ").title(), True, None, None)
        )
        if role == "toc":
            tab = TAB_LEADERS.get(leader, "dot")  # an unknown leader is one of the renderer's limits
            levels = [(style_id, name, role, 0.0), (*TOC2, role, spec.toc.level_indent)]
            if any(b.toc.speaker for b in grid.plan.blocks if b.toc is not None):
                levels.append((*TOC3, "toc_speaker", 0.0))
            for level_id, level_name, level_role, extra in levels:
                styles.append(
                    _style_def(
                        grid,
                        names,
                        level_id,
                        level_name,
                        level_role,
                        priority=39,
                        right=toc_right,
                        leader=tab,
                        extra_indent=extra,
                    )
                )
            continue
        styles.append(
            _style_def(
                grid,
                names,
                style_id,
                name,
                role,
                custom=custom,
                outline=outline,
                priority=priority,
                common=common if role == "body" else None,
            )
        )
    if "lead" in spec.styles:
        lead = grid.style("lead")
        font = names.for_role(lead.font)
        names.use(font)
        # a lead in the body's face names none: it follows the paragraph style (a changed Normal font too)
        own = font if font != body_name else None
        run = ox.RunFormat(font=own, bold=True if lead.bold else None)
        styles.append(fx.StyleDef(*LEAD_STYLE, None, run, custom=True))
    folio = grid.plan.folio
    if folio is not None:
        footer = ParagraphStyle(folio.font, folio.size, "left", 0.0)
        styles.append(_style_def(grid, names, *FOOTER, "page_number", priority=99, style=footer))
    return defaults_p, defaults_r, styles


def toc_right(plan: LayoutPlan, grid: Grid) -> int | None:
    """Return the TOC entries' right indent in twips, so that entry text wraps where the plan's does; None
    when the plan has no 目录.

    The plan gives the width the entry text wraps within (``LayoutPlan.toc_text_width``). The indent leaves
    room for the same number of cells at the DOCX cell width, plus half a cell, so that the 15.75 pt DOCX
    cell and the 15.79 pt plan cell agree on the count.
    """
    if plan.toc_text_width <= 0:
        return None
    page = grid.spec.page
    cells = math.floor(plan.toc_text_width / plan.role("toc").cell + 1e-6)
    cell = grid.cell_twips("toc")
    return max(0, tw(page.body_width) - cells * cell - cell // 2)


def _style_def(
    grid: Grid,
    names: FontNames,
    style_id: str,
    name: str,
    role: str,
    *,
    custom: bool = False,
    outline: int | None = None,
    priority: int | None = None,
    extra_indent: float = 0.0,
    common: dict[str, bool] | None = None,
    right: int | None = None,
    leader: str | None = None,
    style: ParagraphStyle | None = None,
) -> fx.StyleDef:
    """Return the style of ``role`` (``style`` overrides the spec's, for the footer); ``leader`` adds the
    目录's right tab stop with that leader."""
    footer = style is not None
    style = style or grid.style(role)
    cell = 0 if footer else grid.cell_twips(role)
    font = names.for_role(style.font)
    names.use(font)
    indent = style.indent + extra_indent
    para = ox.ParaFormat(
        keep_next=True if style.keep_with_next else None,
        keep_lines=True if style.keep_together and not footer else None,
        tabs=(("right", leader, tw(grid.spec.page.body_width)),) if leader else (),
        **(common or {}),  # type: ignore[arg-type]
        line=tw(style.size) if footer else grid.line(role),
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
        spacing=0 if footer else grid.char_spacing(role),
        size=hp(style.size),
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
