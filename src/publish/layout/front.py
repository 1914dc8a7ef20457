"""Front matter and folios: the cover, the table of contents and the "— N —" page-number line.

- Cover (house convention, gbt9704.md §6, docs/cover.md), on the grid: a title block (``cover_title``, then
  ``cover.subtitle_space`` blank lines and the ``cover_subtitle``) centred on grid line ``cover.title_centre``
  in the 版心's upper third, and a foot block (organisation and date in ``cover_meta``, without CJK/Latin
  space: ``Block.latin_spacing``) whose last line lies ``cover.foot_space`` lines above the 版心's foot; under
  ``cover.subtitle_place = "foot"`` the subtitle heads the foot block instead. A field left empty is left
  out; a ``\n`` in any field is a line break.
- 目录: the heading on grid line 0 in ``toc_title``, one blank line, then one entry per speech (and per
  level-one heading at depth 2, indented ``toc.level_indent`` cells). An entry's text keeps clear of the
  page-number column; its last line ends in ``toc.leader`` leaders (aligned across entries) and the number,
  flush with the 版心's right edge. Wrapped lines hang by the ``toc`` style's indent and break at word
  boundaries where a few cells allow it (``tocbreak``). An entry is not split across pages (the ``toc``
  style's ``keep_together``). With ``toc.speaker`` a speech's entry shows its speaker (``byline``) on a line
  of its own under the title, in ``toc_speaker``, and the leader and number end that line (docs/toc.md). Each
  entry is also described for flowing formats (``TocItem``: its lines, leader, number, target).
- Folio (§7.5): ``— N —`` in ``spec.page_number``; the line's top lies ``drop`` below the 版心, so its
  baseline is ``top + body_height + drop + ascent × size``; odd pages end ``pad`` characters in from the
  right edge, even pages start ``pad`` characters in from the left edge.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from publish.layout.compose import FOLIO, Composer, Draft
from publish.layout.frame import BlockId, BlockKind, Folio, Line, TocItem
from publish.layout.linebreak import LineBox, place
from publish.layout.measure import FontSource
from publish.layout.paginate import Flow, Para, Sheet
from publish.layout.spec import LayoutSpec


@dataclass(frozen=True)
class Entry:
    """A table-of-contents entry before the front matter exists: text, level, printed number, destination and
    the index of its page among the body pages."""

    text: str
    level: int
    number: int
    anchor: str
    page: int
    speaker: str = ""  # shown on a line of its own under the text (``toc.speaker``), "" for none


def cover_pages(composer: Composer, title: str, subtitle: str, organisation: str, date: str) -> list[Sheet]:
    """Return the cover (one page; more only when its blocks outgrow a page); [] when every field is empty.

    Where the title block and the foot block would come closer than one blank grid line, the title block
    moves up (to grid line 0 at most), then the foot block follows it; a foot block the page cannot hold
    any more goes to the foot of the next page.
    """
    if not (title or subtitle or organisation or date):
        return []
    spec = composer.spec
    cover, lines = spec.cover, spec.page.lines
    heading = _field(composer, "cover_title", title, BlockId(BlockKind.COVER_TITLE))
    sub = _field(composer, "cover_subtitle", subtitle, BlockId(BlockKind.COVER_SUBTITLE))
    # no CJK/Latin space on the organisation and date: a date reads 2024年6月28日, as 公文 dates are written
    meta = [
        _field(composer, "cover_meta", text, BlockId(BlockKind.COVER_META, None, k), latin_spacing=False)
        for k, text in ((0, organisation), (1, date))
    ]
    if cover.subtitle_place == "foot":
        head, foot = _stack(heading, [], 0), _stack(sub, meta, cover.subtitle_space)
    else:
        head, foot = _stack(heading, [sub], cover.subtitle_space), _stack([], meta, 0)
    head_height, foot_height = _height(head), _height(foot)
    foot_top = max(0, lines - cover.foot_space - foot_height)
    head_top = max(0, cover.title_centre - (head_height - 1) // 2)
    if head and foot:
        head_top = max(0, min(head_top, foot_top - 1 - head_height))
    flow = Flow(spec, "cover")
    flow.new_page(forced=True)
    flow.g = head_top
    flow.pour(head)
    if foot:
        if head and flow.g + 1 + foot_height > lines:
            flow.new_page(forced=True)
        flow.g = max(flow.g + (1 if flow.g else 0), foot_top)
        flow.keep_together([d for p in foot for d in p.lines], 0)
        flow.pour(foot)
    return flow.pages


def _field(
    composer: Composer, role: str, text: str, block: BlockId, *, latin_spacing: bool = True
) -> list[Draft]:
    """Return a cover field set centred in ``role``, each ``\\n``-separated part on its own lines (a title
    wider than the 版心 balanced at word boundaries); [] for an empty field."""
    if not text:
        return []
    return composer.title(role, text.split("\n"), block, latin_spacing=latin_spacing)


def _stack(first: list[Draft], rest: Sequence[list[Draft]], space: int) -> list[Para]:
    """Return ``first`` and the non-empty ``rest`` as paragraphs, ``space`` blank grid lines between
    ``first`` and the rest (none when either is empty)."""
    kept = [f for f in rest if f]
    paras = [Para(first, skip_after=space if kept else 0)] if first else []
    return paras + [Para(f) for f in kept]


def _height(paras: Sequence[Para]) -> int:
    """Return the grid lines ``paras`` take from the first line's top to the last line's foot."""
    return sum(d.span for p in paras for d in p.lines) + sum(p.skip_after for p in paras[:-1])


def toc_pages(composer: Composer, entries: Sequence[Entry]) -> tuple[list[Sheet], list[TocItem]]:
    """Return the table-of-contents pages for ``entries`` and the entries as flowing formats write them;
    ([], []) when there are none."""
    if not entries:
        return [], []
    spec = composer.spec
    toc = spec.toc
    cell = spec.page.cell
    flow = Flow(spec, "toc")
    flow.new_page(forced=True)
    flow.pour([Para(composer.title("toc_title", [toc.title], BlockId(BlockKind.TOC_TITLE)), skip_after=1)])
    right = composer.left + composer.width
    column = number_column(composer, entries)
    pad = toc.number_pad * cell
    text_width = toc_text_width(composer, entries)
    leader = toc.leader
    leader_width = composer.text_width(leader, "toc") if leader else 0.0
    leader_end = right - column - pad
    items: list[TocItem] = []
    for k, entry in enumerate(entries):
        block = BlockId(BlockKind.TOC_ENTRY, None, k)
        indent = (entry.level - 1) * toc.level_indent * cell
        drafts = _entry_lines(composer, "toc", entry.text, block, indent, text_width, entry.anchor)
        if not drafts:
            drafts = [Draft("toc", (), composer.span(composer.style("toc")), block, link=entry.anchor)]
        speaker = _speaker_lines(composer, entry, block, indent, text_width)
        drafts = [d._replace(last=False) for d in drafts[:-1]] + [drafts[-1]._replace(last=not speaker)]
        drafts += speaker
        number = str(entry.number)
        number_runs = composer.line_runs(number, "toc", right - column, column, "right")
        number_font = number_runs[0].font if number_runs else ""
        items.append(
            TocItem(
                entry.level,
                tuple(d.runs for d in drafts),
                leader,
                number,
                entry.anchor,
                number_font,
                len(speaker),
            )
        )
        last = drafts[-1]
        text_end = last.runs[-1].x + last.runs[-1].width if last.runs else composer.left + indent
        runs = last.runs
        if leader_width > 0:
            count = math.floor((leader_end - text_end - pad) / leader_width + 1e-9)
            if count > 0:
                runs += composer.line_runs(
                    leader * count, "toc", leader_end - count * leader_width, count * leader_width, "left"
                )
        runs += number_runs
        drafts[-1] = last._replace(runs=runs)
        flow.pour([Para(drafts, keep_together=composer.style("toc").keep_together)])
    return flow.pages, items


def _speaker_lines(
    composer: Composer, entry: Entry, block: BlockId, indent: float, width: float
) -> list[Draft]:
    """Return the lines of ``entry``'s speaker in ``toc_speaker``, continuing the entry's block; [] for
    none."""
    if not entry.speaker:
        return []
    lines = _entry_lines(composer, "toc_speaker", entry.speaker, block, indent, width, entry.anchor)
    return [d._replace(first=False) for d in lines]


def _entry_lines(
    composer: Composer, role: str, text: str, block: BlockId, indent: float, width: float, anchor: str
) -> list[Draft]:
    """Return ``text`` set in ``role`` as lines of a 目录 entry: word-aware breaks, linked to ``anchor``."""
    return composer.paragraph(
        role, [(text, role)], block, indent=indent, width=width, link=anchor, word_breaks=True
    )


def number_column(composer: Composer, entries: Sequence[Entry]) -> float:
    """Return the width of the 目录's page-number column: its widest number; 0 when there are no entries."""
    return max((composer.text_width(str(e.number), "toc") for e in entries), default=0.0)


def toc_text_width(composer: Composer, entries: Sequence[Entry]) -> float:
    """Return the width, from the 版心's left edge, that the 目录 entries' text wraps within; 0 when there
    are no entries.

    The rest of the line holds ``toc.number_pad`` cells of padding and the number column, plus
    ``toc.leader_room`` cells so that at least a short leader fits after the text's last line.
    """
    if not entries:
        return 0.0
    spec = composer.spec
    room = (spec.toc.number_pad + spec.toc.leader_room) * spec.page.cell
    return composer.width - number_column(composer, entries) - room


def folio_line(composer: Composer, number: int) -> Line:
    """Return the page-number line "— N —" of page ``number`` (odd: right, even: left)."""
    spec = composer.spec
    pn = spec.page_number
    prefix, suffix = folio_text(spec)
    text = f"{prefix}{number}{suffix}"
    m = composer.metrics.measure([(text, pn.font, pn.size, pn.size)])
    natural = m.natural()
    pad = pn.pad * pn.size
    odd = number % 2 == 1
    x = composer.left + composer.width - pad - natural if odd else composer.left + pad
    baseline = folio_baseline(spec)
    runs = place(m, LineBox(0, len(m.text), 0.0, natural, natural), x)
    return Line("page_number", baseline, runs, -1, FOLIO)


def folio_text(spec: LayoutSpec) -> tuple[str, str]:
    """Return the text before and after the number: "— " and " —" with the §7.5 dash, else nothing."""
    dash = spec.page_number.dash
    return (f"{dash} ", f" {dash}") if dash else ("", "")


def folio_baseline(spec: LayoutSpec) -> float:
    """Return the page-number line's baseline: its top lies ``drop`` below the 版心 (§7.5)."""
    page, pn = spec.page, spec.page_number
    return page.top + page.body_height + pn.drop + pn.ascent * pn.size


def folio(spec: LayoutSpec, fonts: FontSource) -> Folio:
    """Return the page-number line as flowing formats set it (a field between ``prefix`` and ``suffix``),
    with the font file of each piece as the painted folio line has them."""
    pn = spec.page_number
    prefix, suffix = folio_text(spec)
    digit = fonts.pick(pn.font, "0")
    return Folio(
        prefix,
        suffix,
        pn.font,
        pn.size,
        pn.pad * pn.size,
        folio_baseline(spec),
        _pieces(fonts, pn.font, prefix),
        _pieces(fonts, pn.font, suffix),
        digit.name if digit else "",
    )


def _pieces(fonts: FontSource, role: str, text: str) -> tuple[tuple[str, str], ...]:
    """Return ``text`` cut into (font file, text) pieces, one per run of characters ``role`` sets from one
    file ("" for characters no font maps)."""
    out: list[tuple[str, str]] = []
    for ch in text:
        font = fonts.pick(role, ch)
        name = font.name if font else ""
        if out and out[-1][0] == name:
            out[-1] = (name, out[-1][1] + ch)
        else:
            out.append((name, ch))
    return tuple(out)
