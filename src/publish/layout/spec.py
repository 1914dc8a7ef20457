"""The layout spec: plain frozen data in points, shared by the line breaker, the paginator and both renderers.

``default_spec()`` gives the GB/T 9704 values of ``gbt9704.py``; ``spec_file.load_spec(path)`` merges a TOML
style file over them and ``spec_check`` checks the result.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from publish.fonts import CHAR_CLASSES
from publish.layout import gbt9704 as g

ROLES = (
    "cover_title",
    "cover_subtitle",
    "cover_meta",
    "toc_title",
    "toc",
    "toc_speaker",
    "title",
    "speaker",
    "h1",
    "h2",
    "h3",
    "h4",
    "body",
    "lead",
)


@dataclass(frozen=True)
class PageSpec:
    """Paper, type area (版心) and the line grid."""

    width: float = g.PAGE_WIDTH
    height: float = g.PAGE_HEIGHT
    top: float = g.TOP_MARGIN
    left: float = g.LEFT_MARGIN
    body_width: float = g.BODY_WIDTH
    body_height: float = g.BODY_HEIGHT
    lines: int = g.LINES_PER_PAGE
    chars: int = g.CHARS_PER_LINE
    baseline_ratio: float = g.BASELINE_RATIO
    header: float = g.HEADER_DISTANCE  # from the page's top edge to the header (none is printed), < top
    leading: float = g.LEADING  # a line needs ``leading`` × its size of the grid (spans of large styles)

    @property
    def pitch(self) -> float:
        """Return the distance between two grid lines."""
        return self.body_height / self.lines

    @property
    def cell(self) -> float:
        """Return the width of one character cell."""
        return self.body_width / self.chars

    @property
    def bottom(self) -> float:
        """Return the bottom white edge."""
        return self.height - self.top - self.body_height

    @property
    def right(self) -> float:
        """Return the right white edge."""
        return self.width - self.left - self.body_width

    def baseline(self, line: int) -> float:
        """Return the baseline of grid line ``line`` (0-based), in points from the page top."""
        return self.top + (line + self.baseline_ratio) * self.pitch


@dataclass(frozen=True)
class ParagraphStyle:
    """How one role is set: font role, size, alignment, indents (in cells) and pagination behaviour."""

    font: str = "fangsong"
    size: float = g.BODY_SIZE
    align: str = "justify"  # justify | center | left | right
    first_indent: float = 2.0  # cells, added to ``indent`` on a paragraph's first line (negative: hanging)
    indent: float = 0.0  # cells, left indent of every line (hanging indent for TOC entries)
    keep_with_next: bool = False
    bold: bool = False
    keep_together: bool = False  # never split across pages (w:keepLines)


@dataclass(frozen=True)
class PageNumberSpec:
    """The "— N —" folio (§7.5)."""

    font: str = "songti"
    size: float = g.PAGE_NUMBER_SIZE
    drop: float = g.PAGE_NUMBER_DROP  # from the 版心's lower edge to the top of the number line
    pad: float = g.PAGE_NUMBER_PAD  # characters of ``size`` between the number and the 版心 edge, outer side
    dash: str = g.PAGE_NUMBER_DASH
    ascent: float = g.PAGE_NUMBER_ASCENT  # em above the baseline where the number line's top lies


@dataclass(frozen=True)
class TocSpec:
    """The table of contents: heading text, depth (1 = speeches only, 2 = also level-one headings), leader,
    and whether a speech's entry shows its speaker (on a line of its own under the title, ``toc_speaker``)."""

    title: str = "目\u3000录"
    depth: int = 1
    leader: str = "."
    level_indent: float = g.TOC_LEVEL_INDENT  # cells each level below the first indents its entries
    number_pad: float = g.TOC_NUMBER_PAD  # cells between the leader and the page-number column
    leader_room: float = g.TOC_LEADER_ROOM  # cells the entry text keeps free for a leader
    speaker: bool = False


@dataclass(frozen=True)
class CoverSpec:
    """Cover page fields (empty: take it from the source's metadata) and where the cover sets them, in grid
    lines of the 版心: a title block in the upper third, organisation and date at the foot."""

    title: str = ""
    subtitle: str = ""
    organisation: str = ""
    date: str = ""
    title_centre: int = g.COVER_TITLE_CENTRE  # 0-based grid line the title block is centred on
    subtitle_place: str = g.COVER_SUBTITLE_PLACE  # title (under the title) | foot (above the organisation)
    subtitle_space: int = g.COVER_SUBTITLE_SPACE  # blank grid lines between the subtitle and its neighbour
    foot_space: int = g.COVER_FOOT_SPACE  # blank grid lines below the organisation/date block


def _default_classes() -> dict[str, dict[str, tuple[str, ...]]]:
    """Return role → class → files for every role and class; () for "the role's chain alone"."""
    return {
        role: {name: g.FONT_CLASS_CHAINS.get(role, {}).get(name, ()) for name in CHAR_CLASSES}
        for role in g.FONT_CHAINS
    }


@dataclass(frozen=True)
class FontsSpec:
    """Font chains per font role, per role and character class the files tried before the role's chain
    (``()``: none), and the names a "standard" DOCX declares per role and, overriding those, per file."""

    chains: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(g.FONT_CHAINS))
    classes: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=_default_classes)
    docx_names: dict[str, str] = field(default_factory=lambda: dict(g.DOCX_STANDARD_NAMES))
    docx_file_names: dict[str, str] = field(default_factory=lambda: dict(g.DOCX_STANDARD_FILE_NAMES))


def _default_styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle()
    return {
        "cover_title": ParagraphStyle("xiaobiaosong", g.COVER_TITLE_SIZE, "center", 0),
        "cover_subtitle": ParagraphStyle("kaiti", g.COVER_SUBTITLE_SIZE, "center", 0),
        "cover_meta": ParagraphStyle("fangsong", g.COVER_META_SIZE, "center", 0),
        "toc_title": ParagraphStyle("xiaobiaosong", g.TOC_TITLE_SIZE, "center", 0),
        # wrapped 目录 lines hang 2 cells; an entry is never split
        "toc": ParagraphStyle("fangsong", g.BODY_SIZE, "justify", -2.0, 2.0, keep_together=True),
        # the speaker under a 目录 entry's title (toc.speaker): 楷体, where the entry's wrapped lines start
        "toc_speaker": ParagraphStyle("kaiti", g.BODY_SIZE, "left", 0.0, 2.0, keep_together=True),
        "title": ParagraphStyle(
            "xiaobiaosong", g.TITLE_SIZE, "center", 0, keep_with_next=True, keep_together=True
        ),
        "speaker": ParagraphStyle("kaiti", g.BODY_SIZE, "center", 0, keep_with_next=True, keep_together=True),
        "h1": replace(body, font="heiti", keep_with_next=True, keep_together=True),
        "h2": replace(body, font="kaiti", keep_with_next=True, keep_together=True),
        "h3": replace(body, keep_with_next=True, keep_together=True),
        "h4": replace(body, keep_with_next=True, keep_together=True),
        "body": body,
        "lead": body,  # run-in 一是…: body face by default (house habit of 黑体/楷体 is opt-in)
    }


@dataclass(frozen=True)
class LayoutSpec:
    """Everything the layout and the renderers need to know, in points."""

    page: PageSpec = field(default_factory=PageSpec)
    styles: dict[str, ParagraphStyle] = field(default_factory=_default_styles)
    fonts: FontsSpec = field(default_factory=FontsSpec)
    page_number: PageNumberSpec = field(default_factory=PageNumberSpec)
    toc: TocSpec = field(default_factory=TocSpec)
    cover: CoverSpec = field(default_factory=CoverSpec)
    # 先挤进，后推出 when True; 推出 only (Word/LibreOffice parity) when False.
    compress_punctuation: bool = False
    # Space between a 汉字 and an adjacent Latin letter or digit, in em of the earlier character's size; 0 for
    # none. 0.2 em is what LibreOffice always adds (font height / 5, measured: 3.2 pt at 16 pt), and within
    # clreq's "at most ¼ em" (gbt9704.md §7); the DOCX turns Word's w:autoSpaceDE/DN on when it is above 0.
    latin_spacing: float = 0.2
    kinsoku: str = "basic"  # basic | gb (clreq levels)
    recto: bool = False  # every speech and the 目录 start on an odd page
    # A paragraph's first or last line never stands alone at a page's foot or head (the page gives up a line;
    # §5.2.3 allows it); False keeps every page at its 22 lines wherever a paragraph breaks.
    widow_control: bool = True
    blank_line_after_title: bool = True
    # house: one blank grid line between a speech's speaker line(s) and its body (a whole line keeps every
    # baseline on the §5.2.3 grid; docs/cover.md)
    blank_line_after_speaker: bool = True


def default_spec() -> LayoutSpec:
    """Return the GB/T 9704 defaults."""
    return LayoutSpec()
