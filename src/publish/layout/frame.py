"""The laid-out booklet: the single, renderer-neutral form every renderer paints.

Two views of one layout, as typst's exporters share one frame model:

- *pages* of positioned lines, for painters (PDF, images, OFD): coordinates are points from the page's
  top-left corner, ``baseline`` a y measured downward. A ``Run`` is text in one font file at one size, drawn
  from ``x`` with ``char_space`` extra advance after every character (negative on the 15.79 pt grid, larger
  on justified lines). Beside them: page labels, link areas and destinations (``navigation``).
- *blocks* in reading order, for flowing formats (DOCX, HTML) that break and paginate text themselves: each
  with a typed identity, whether the layout starts a page before it, the blank grid lines around it, whether
  its line breaks are the layout's own (titles), and for a 目录 entry its text, leader, number and target.
  Per role the grid lines a line advances and the width of a full-width cell; the punctuation policy and the
  CJK/Latin spacing in force; the folio's text around the number.

``dump`` gives a readable text form for tests and review.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import NamedTuple

from publish.layout.spec import LayoutSpec


class BlockKind(Enum):
    """What a block is in the booklet."""

    COVER_TITLE = "cover_title"
    COVER_SUBTITLE = "cover_subtitle"
    COVER_META = "cover_meta"  # organisation, date
    TOC_TITLE = "toc_title"  # the 目录 heading
    TOC_ENTRY = "toc_entry"
    TITLE = "title"  # a speech title (one block, however many lines)
    SPEAKER = "speaker"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    FOLIO = "folio"  # a page-number line (not part of the flow)


class BlockId(NamedTuple):
    """A block's identity: its kind, the speech it belongs to (None in the front matter and for folios)
    and its position there (the block's index in the speech, the entry's in the 目录, the field's on the
    cover)."""

    kind: BlockKind
    speech: int | None = None
    position: int = 0


UNNAMED = BlockId(BlockKind.PARAGRAPH)  # a line built outside the layout (tests) belongs to no named block


class Run(NamedTuple):
    """Text drawn in one font at one size, starting at ``x``; ``width`` includes the character spacing.

    ``cell``: every character takes one full-width cell (on the grid at body size: a 16 pt glyph in a
    15.79 pt cell), as opposed to its own advance (Latin letters, digits, half-width marks). A light tuple,
    as ``Line``: a long booklet has ~100,000 runs, and a frozen dataclass takes three times as long to make.
    """

    text: str
    font: str  # file name in fonts/ (a key of the resolved font set); "" for characters no font covers
    size: float
    x: float
    width: float
    char_space: float = 0.0
    cell: bool = False


class Line(NamedTuple):
    """One line on the page grid (a light, immutable tuple: see ``Run``).

    ``role`` is a spec style key (``body``, ``h1``, ``title``, ``toc``, ``page_number`` …); ``block`` the
    block the line belongs to; ``first``/``last`` say whether it opens or closes that block; ``span`` is how
    many grid lines it advances. An empty grid line (after a title) has no Line: the next line's
    ``grid_line`` skips it.
    """

    role: str
    baseline: float
    runs: tuple[Run, ...]
    grid_line: int = -1  # 0-based line of the grid (the last it occupies); -1 for lines off the grid (folios)
    block: BlockId = UNNAMED
    first: bool = True
    last: bool = True
    link: str = ""  # destination this line links to (TOC entries)
    anchor: str = ""  # destination defined at this line (speech titles, headings)
    span: int = 1

    @property
    def text(self) -> str:
        """Return the line's characters in order."""
        return "".join(run.text for run in self.runs)

    @property
    def x0(self) -> float:
        """Return the left edge of the first run (0 for an empty line)."""
        return self.runs[0].x if self.runs else 0.0

    @property
    def x1(self) -> float:
        """Return the right edge of the last run (0 for an empty line)."""
        return self.runs[-1].x + self.runs[-1].width if self.runs else 0.0


@dataclass(frozen=True)
class Page:
    """One physical page; ``number`` is the printed folio, None on unnumbered pages."""

    index: int  # 0-based physical page
    kind: str  # cover | toc | body | blank
    lines: tuple[Line, ...]
    number: int | None = None


@dataclass(frozen=True)
class TocEntry:
    """A table-of-contents entry: text, level (1 = speech), the printed page number and its destination."""

    text: str
    level: int
    page_number: int
    page_index: int
    anchor: str

    @property
    def target(self) -> str:
        """Return the destination's name: the anchor, or ``page-N`` (its page's top) when it has none."""
        return self.anchor or f"page-{self.page_index + 1}"


@dataclass(frozen=True)
class TocItem:
    """A 目录 entry as a flowing format writes it: the runs of each line the layout broke it into (leader
    and number left out; the entry's text, then its speaker's lines), the leader character ("" for none), the
    printed number and the destination; ``number_font`` is the font file the plan draws the number from (the
    digit face). A flowing format breaks the entry where ``lines`` do, so that its wraps are the layout's
    word-aware ones."""

    level: int
    lines: tuple[tuple[Run, ...], ...]
    leader: str
    number: str
    target: str
    number_font: str = ""
    speaker: int = 0  # how many of the last ``lines`` are the speaker's (``toc.speaker``), 0 for none

    @property
    def text(self) -> tuple[Run, ...]:
        """Return the runs of the entry's text lines, in order (the speaker's lines left out)."""
        return tuple(r for line in self.lines[: len(self.lines) - self.speaker] for r in line)


@dataclass(frozen=True)
class Block:
    """One paragraph of the flow: its lines (on one page or more) and how it sits between its neighbours.

    ``page_break_before``: the layout starts a new page here (a speech, the cover, the 目录), not because the
    page before is full. ``space_before``: blank grid lines above it on its page (from the page top when it
    opens the page); ``space_after``: blank grid lines below it before the next block on the same page.
    ``kept_breaks``: its line breaks are the layout's own (balanced titles, centred lines), to be kept as
    forced breaks; otherwise a flowing format breaks the text itself.
    """

    id: BlockId
    role: str
    page: int  # index of the page its first line is on
    lines: tuple[Line, ...]
    page_break_before: bool = False
    space_before: int = 0
    space_after: int = 0
    kept_breaks: bool = False
    keep_with_next: bool = False
    toc: TocItem | None = None
    lead: int = 0  # characters at the start set in the ``lead`` role (a run-in 一是…), 0 for none
    latin_spacing: bool = True  # False: no CJK/Latin space in this block whatever the plan's (cover lines)
    # what the 目录 shows of this block besides headings (a speaker's name under ``toc.speaker``), for a
    # flowing format's TOC field to collect when it is rebuilt; "" for nothing
    toc_mark: str = ""

    @property
    def anchor(self) -> str:
        """Return the destination defined in the block (its first anchored line's), empty for none."""
        return next((line.anchor for line in self.lines if line.anchor), "")


@dataclass(frozen=True)
class RoleLayout:
    """How lines of one style role sit on the grid: grid lines a line advances, and the advance of a
    full-width character (the grid cell at body size, 1 em at other sizes)."""

    span: int
    cell: float


@dataclass(frozen=True)
class Folio:
    """The page-number line: text before and after the number, font role, size, the padding on the outer
    side (points), and the baseline (points from the page top). Odd pages end it ``pad`` in from the 版心's
    right edge, even pages start it ``pad`` in from the left edge."""

    prefix: str
    suffix: str
    font: str  # font role
    size: float
    pad: float
    baseline: float
    # the font file of each piece of ``prefix`` and ``suffix`` ((file, text), in order) and of the digits: a
    # role's class chains may set them from different files (the dash from 宋体, digits from the Latin serif)
    prefix_runs: tuple[tuple[str, str], ...] = ()
    suffix_runs: tuple[tuple[str, str], ...] = ()
    number_font: str = ""


@dataclass(frozen=True)
class PageLabel:
    """What a viewer shows for a range of pages: ``prefix``, then the number in ``style`` from ``start``.

    ``style`` is "decimal", "roman" (lower case) or "" (the prefix alone)."""

    start_page: int  # 0-based physical page where the range starts
    prefix: str = ""
    style: str = ""
    start: int = 1


@dataclass(frozen=True)
class Link:
    """A clickable area on a page (points from the page top) leading to destination ``target``."""

    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    target: str


@dataclass(frozen=True)
class Destination:
    """A named place a link or bookmark leads to: page and height (points from the page top)."""

    name: str
    page: int
    top: float


@dataclass(frozen=True)
class PlanMeta:
    """Document properties every renderer writes."""

    title: str
    author: str = ""
    subject: str = ""
    language: str = "zh-CN"


@dataclass(frozen=True)
class LayoutPlan:
    """The whole laid-out booklet (see the module docstring for its two views)."""

    pages: tuple[Page, ...]
    toc: tuple[TocEntry, ...]  # what the 目录 lists (depth from the spec)
    meta: PlanMeta
    # bookmarks: every speech (level 1) and its h1 headings (level 2), whatever the TOC depth
    outline: tuple[TocEntry, ...] = field(default=())
    fonts_used: tuple[str, ...] = field(default=())  # font file names that appear in some run
    # width from the 版心's left edge that the 目录 entries' text wraps within (the leader and the page
    # number take the rest of the line); 0 when there is no 目录
    toc_text_width: float = 0.0
    spec: LayoutSpec = field(default_factory=LayoutSpec)  # the spec the plan was made with (its styles)
    blocks: tuple[Block, ...] = field(default=())  # the flow, in reading order
    roles: Mapping[str, RoleLayout] = field(default_factory=dict)
    folio: Folio | None = None  # None when no page is numbered
    labels: tuple[PageLabel, ...] = field(default=())
    links: tuple[Link, ...] = field(default=())
    destinations: tuple[Destination, ...] = field(default=())
    compress_punctuation: bool = False  # 先挤进，后推出 (True) or 推出 only
    latin_spacing: float = 0.0  # em between a 汉字 and a Latin letter or digit
    kinsoku: str = "basic"  # the line-breaking rules' level (clreq): basic | gb
    no_line_start: str = ""  # the marks no line starts with, as the line breaker applies them (sorted)
    no_line_end: str = ""  # the marks no line ends with
    widow_control: bool = True  # no first or last line of a paragraph alone at a page's foot or head

    @property
    def width(self) -> float:
        """Return the page width in points."""
        return self.spec.page.width

    @property
    def height(self) -> float:
        """Return the page height in points."""
        return self.spec.page.height

    def numbered_pages(self) -> list[Page]:
        """Return the pages that carry a printed number."""
        return [p for p in self.pages if p.number is not None]

    def role(self, name: str) -> RoleLayout:
        """Return the grid layout of style role ``name``; ``body``'s for a role the plan does not name."""
        found = self.roles.get(name) or self.roles.get("body")
        return found if found is not None else RoleLayout(1, self.spec.page.cell)

    def label(self, index: int) -> str:
        """Return the label a viewer shows for physical page ``index`` (0-based)."""
        current = next((lab for lab in reversed(self.labels) if lab.start_page <= index), None)
        if current is None:
            return str(index + 1)
        n = current.start + index - current.start_page
        number = {"decimal": str(n), "roman": _roman(n)}.get(current.style, "")
        return current.prefix + number


def _roman(n: int) -> str:
    """Return ``n`` (≥ 1) in lower-case roman numerals."""
    out = ""
    for value, digits in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc")):
        out, n = out + digits * (n // value), n % value
    for value, digits in ((50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        out, n = out + digits * (n // value), n % value
    return out


def dump(plan: LayoutPlan) -> str:
    """Return a deterministic text dump: one line per page header and per laid-out line."""
    out: list[str] = []
    for entry in plan.toc:
        out.append(f"toc L{entry.level} p{entry.page_number} #{entry.anchor} {entry.text}")
    for page in plan.pages:
        number = "-" if page.number is None else str(page.number)
        out.append(f"page {page.index + 1} [{page.kind}] no={number}")
        for line in page.lines:
            grid = f"{line.grid_line:02d}" if line.grid_line >= 0 else "--"
            where = f"y={line.baseline:7.2f} x={line.x0:6.2f}-{line.x1:6.2f}"
            out.append(f"  {grid} {line.role:<12} {where} {line.text}")
    return "\n".join(out) + "\n"


def dump_flow(plan: LayoutPlan) -> str:
    """Return a deterministic text dump of the flow: one line per block with its breaks and spaces."""
    out: list[str] = []
    for block in plan.blocks:
        speech = "-" if block.id.speech is None else str(block.id.speech + 1)
        marks = (("P", block.page_break_before), ("K", block.keep_with_next), ("B", block.kept_breaks))
        flags = "".join(flag for flag, on in marks if on)
        text = "|".join(line.text for line in block.lines) if block.toc is None else _toc_text(block.toc)
        out.append(
            f"p{block.page + 1} {block.id.kind.value}:{speech}.{block.id.position} {block.role} "
            f"+{block.space_before}/{block.space_after} {flags or '-'} {text}"
        )
    return "\n".join(out) + "\n"


def _toc_text(item: TocItem) -> str:
    text = "|".join("".join(run.text for run in line) for line in item.lines)
    return f"{text} [{item.leader or 'no leader'}] {item.number} #{item.target}"
