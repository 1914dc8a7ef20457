"""Booklet + spec + fonts → LayoutPlan: the one layout both renderers paint.

Steps: set every speech (title, blank grid line, speaker, blank grid line, headings and paragraphs) into draft
lines; pour them onto body pages numbered from 1 (``paginate``); build the cover and the 目录 from the numbers
found (``front``); put the pages in order. The printed numbers start on the first speech page and do not
depend on how many pages the cover and the 目录 take (under ``spec.recto`` a blank verso follows a cover of an
odd number of pages, so that the 目录 starts on a recto in duplex print, and the front matter is padded to an
even count so that page 1 is a recto), so the 目录 is built once, with its final numbers: no iteration is
needed.

Characters no font covers stay in the text, each in one empty cell with font ``""``; one ``missing-glyph``
diagnostic lists them with their source lines.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from functools import partial

from publish.errors import Diagnostics, LayoutError, Severity
from publish.layout.blocks import flow_blocks
from publish.layout.byline import byline_name
from publish.layout.compose import Composer, Draft
from publish.layout.frame import Block, BlockId, BlockKind, LayoutPlan, Page, PlanMeta, TocEntry
from publish.layout.front import Entry, cover_pages, folio, folio_line, toc_pages, toc_text_width
from publish.layout.linebreak import GB_NO_END, NO_END, NO_START
from publish.layout.measure import FontSource, Metrics
from publish.layout.navigation import navigate
from publish.layout.paginate import Para, Sheet, paginate_body
from publish.layout.reuse import PlanCache
from publish.layout.spec import LayoutSpec
from publish.model import Booklet, Heading, Paragraph, Speech

TITLE_ROLES = frozenset({"cover_title", "cover_subtitle", "cover_meta", "toc_title", "title"})


def plan(
    booklet: Booklet,
    spec: LayoutSpec,
    fonts: FontSource,
    diagnostics: Diagnostics,
    cache: PlanCache | None = None,
) -> LayoutPlan:
    """Lay ``booklet`` out on the grid of ``spec`` with ``fonts`` (a ``fonts.FontSet``); report misses to
    ``diagnostics``. An empty booklet gives a plan with only the cover, or no pages when there is no cover.
    ``cache`` (kept by a long-lived process) reuses the speeches an earlier layout set; None sets all."""
    with _gc_paused():
        return _plan(booklet, spec, fonts, diagnostics, cache)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cycle collector: a long booklet allocates ~100,000 acyclic objects (lines, runs), and the
    collector's repeated scans of them cost 10–15 % of the layout time. The previous state is restored."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _plan(
    booklet: Booklet, spec: LayoutSpec, fonts: FontSource, diagnostics: Diagnostics, cache: PlanCache | None
) -> LayoutPlan:
    _check_geometry(spec)
    if cache is None:
        composer = Composer(spec, Metrics(fonts, spec.latin_spacing))
        speeches = [_speech(composer, s, speech) for s, speech in enumerate(booklet.speeches)]
    else:
        composer = cache.composer(spec, fonts)
        speeches = [
            cache.speech(s, speech, partial(_speech, composer, s, speech))
            for s, speech in enumerate(booklet.speeches)
        ]
    if cache is None:
        body, starts = paginate_body(speeches, spec, lambda n: folio_line(composer, n))
    else:
        folio_of = partial(cache.folio, make=lambda n: folio_line(composer, n))
        body, starts = paginate_body(speeches, spec, folio_of, cache.sheets)
        cache.finish()
    outline_entries = _outline(booklet, body, starts, spec.toc.speaker)
    depth = spec.toc.depth
    toc_entries = [e for e in outline_entries if e.level <= depth]

    cover = spec.cover
    title = cover.title or booklet.title
    organisation = cover.organisation or booklet.organisation
    subtitle = cover.subtitle or booklet.subtitle
    front = cover_pages(composer, title, subtitle, organisation, cover.date or booklet.date)
    if cache is None:
        toc_sheets, toc_items = toc_pages(composer, toc_entries)
    else:
        toc_sheets, toc_items = cache.toc(toc_entries, partial(toc_pages, composer, toc_entries))
    if spec.recto and toc_sheets and len(front) % 2 == 1:
        front.append(Sheet("blank"))  # the 目录 on a recto too, not on the back of the cover
    front += toc_sheets
    if spec.recto and len(front) % 2 == 1:
        front.append(Sheet("blank"))
    sheets = front + body
    pages = tuple(Page(i, s.kind, tuple(s.lines), s.number) for i, s in enumerate(sheets))
    offset = len(front)
    _report_missing(composer.metrics.missing, diagnostics)
    toc = tuple(_toc_entry(e, offset) for e in toc_entries)
    outline = tuple(_toc_entry(e, offset) for e in outline_entries)

    def kept(role: str) -> bool:  # titles keep their balanced lines; centred lines keep theirs too
        return role in TITLE_ROLES or composer.style(role).align == "center"

    def keeps(role: str) -> bool:
        return composer.style(role).keep_with_next

    laid_out = LayoutPlan(
        pages=pages,
        toc=toc,
        # several organisations (one a cover line) are one author: 甲单位、乙单位
        meta=PlanMeta(
            title=title.replace("\n", ""),
            author="、".join(filter(None, organisation.split("\n"))),
            subject=subtitle.replace("\n", ""),
        ),
        outline=outline,
        fonts_used=_fonts_used(pages),
        toc_text_width=toc_text_width(composer, toc_entries),
        spec=spec,
        blocks=_marked(
            flow_blocks(sheets, dict(enumerate(toc_items)), kept, keeps, _leads(booklet)),
            _speaker_marks(booklet) if spec.toc.speaker else {},
        ),
        roles=composer.roles(),
        folio=folio(spec, fonts) if any(p.number is not None for p in pages) else None,
        compress_punctuation=spec.compress_punctuation,
        latin_spacing=spec.latin_spacing,
        kinsoku=spec.kinsoku,
        no_line_start="".join(sorted(NO_START)),
        no_line_end="".join(sorted(GB_NO_END if spec.kinsoku == "gb" else NO_END)),
        widow_control=spec.widow_control,
    )
    return navigate(laid_out)


def _check_geometry(spec: LayoutSpec) -> None:
    """Raise LayoutError when the 版心 cannot hold body text: narrower than 4 body-size characters, or a line
    pitch smaller than the body size (lines would overlap); the message names the spec keys to change."""
    page = spec.page
    size = spec.styles["body"].size
    if page.chars <= 0 or page.lines <= 0:
        raise LayoutError(f"page.chars ({page.chars}) and page.lines ({page.lines}) must be at least 1")
    if page.body_width < 4 * size:
        raise LayoutError(
            f"the type area is too narrow: page.body_width ({page.body_width:.2f} pt) holds fewer than 4 "
            f"characters of styles.body.size ({size:g} pt); widen page.body_width or reduce styles.body.size"
        )
    if page.pitch < size:
        raise LayoutError(
            f"the line pitch page.body_height / page.lines ({page.pitch:.2f} pt) is smaller than "
            f"styles.body.size ({size:g} pt): lines would overlap; reduce page.lines or styles.body.size"
        )
    if not 0 <= page.header < page.top:
        raise LayoutError(
            f"page.header ({page.header:.2f} pt) must lie in the top margin page.top ({page.top:.2f} pt)"
        )


def _speech(composer: Composer, s: int, speech: Speech) -> list[Para]:
    """Set one speech as paragraphs: title (anchor ``speech-N``), blank line, speaker, blank line, blocks
    (each blank line unless the spec turns it off)."""
    spec = composer.spec
    anchor = f"speech-{s + 1}"
    paras: list[Para] = []
    title = composer.title(
        "title", speech.title, BlockId(BlockKind.TITLE, s), line=speech.line, anchor=anchor
    )
    if title:
        style = composer.style("title")
        skip = 1 if spec.blank_line_after_title else 0
        paras.append(Para(title, style.keep_with_next, skip, style.keep_together))
    if speech.speaker:
        speaker = BlockId(BlockKind.SPEAKER, s)
        # one line each for the subtitle, the name and the date under the title, centred like the title
        lines = composer.title("speaker", speech.speaker.split("\n"), speaker, line=speech.line)
        style = composer.style("speaker")
        skip = 1 if spec.blank_line_after_speaker else 0  # a blank grid line before the body
        paras.append(Para(lines, style.keep_with_next, skip, style.keep_together))
    h1 = 0
    for b, block in enumerate(speech.blocks):
        if isinstance(block, Heading):
            role = f"h{min(max(block.level, 1), 4)}"
            mark = ""
            if block.level == 1:
                h1 += 1
                mark = f"{anchor}-h{h1}"
            heading = BlockId(BlockKind.HEADING, s, b)
            lines = composer.paragraph(role, [(block.text, role)], heading, line=block.line, anchor=mark)
        else:
            role = "body"
            lead = min(max(block.lead, 0), len(block.text))
            text = block.text
            parts = [(text[:lead], "lead"), (text[lead:], "body")] if lead else [(text, "body")]
            lines = composer.paragraph(role, parts, BlockId(BlockKind.PARAGRAPH, s, b), line=block.line)
        style = composer.style(role)
        paras.append(Para(lines, style.keep_with_next, keep_together=style.keep_together))
    if not title:  # no title: the speech's destination is its first line
        for k, para in enumerate(paras):
            if para.lines:
                first: Draft = para.lines[0]._replace(anchor=anchor)
                paras[k] = replace(para, lines=[first, *para.lines[1:]])
                break
    return paras


def _speaker_marks(booklet: Booklet) -> dict[BlockId, str]:
    """Return each titled speech's speaker block → the speaker its 目录 entry shows (``toc.speaker``)."""
    marks = {}
    for s, speech in enumerate(booklet.speeches):
        name = byline_name(speech.speaker) if speech.title else ""
        if name:
            marks[BlockId(BlockKind.SPEAKER, s)] = name
    return marks


def _marked(blocks: tuple[Block, ...], marks: dict[BlockId, str]) -> tuple[Block, ...]:
    """Return ``blocks`` with the 目录 text of ``marks`` on the blocks they name (``Block.toc_mark``)."""
    if not marks:
        return blocks
    return tuple(replace(b, toc_mark=marks[b.id]) if b.id in marks else b for b in blocks)


def _leads(booklet: Booklet) -> dict[BlockId, int]:
    """Return each paragraph with a run-in lead → the lead's length (as ``_speech`` sets it)."""
    return {
        BlockId(BlockKind.PARAGRAPH, s, b): min(block.lead, len(block.text))
        for s, speech in enumerate(booklet.speeches)
        for b, block in enumerate(speech.blocks)
        if isinstance(block, Paragraph) and block.lead > 0
    }


def _outline(
    booklet: Booklet, body: Sequence[Sheet], starts: Sequence[int], speakers: bool = False
) -> list[Entry]:
    """Return every speech (level 1) and its placed level-one headings (level 2), in order; with
    ``speakers`` a speech's entry carries the byline line that names its speaker (``byline_name``)."""
    places: dict[str, int] = {}
    for k, sheet in enumerate(body):
        for line in sheet.lines:
            if line.anchor:
                places.setdefault(line.anchor, k)
    entries: list[Entry] = []
    for s, speech in enumerate(booklet.speeches):
        anchor = f"speech-{s + 1}"
        page = places.get(anchor, starts[s])
        if speech.title:  # a speech without a title has nothing to list (and no Heading 1 for Word's field)
            speaker = byline_name(speech.speaker) if speakers else ""
            entries.append(Entry(speech.title_text, 1, body[page].number or 0, anchor, page, speaker))
        h1 = 0
        for block in speech.blocks:
            if isinstance(block, Heading) and block.level == 1:
                h1 += 1
                mark = f"{anchor}-h{h1}"
                if mark in places:  # an empty heading has no line, hence no entry
                    page = places[mark]
                    entries.append(Entry(block.text, 2, body[page].number or 0, mark, page))
    return entries


def _toc_entry(entry: Entry, offset: int) -> TocEntry:
    return TocEntry(entry.text, entry.level, entry.number, offset + entry.page, entry.anchor)


def _fonts_used(pages: Sequence[Page]) -> tuple[str, ...]:
    used = {run.font for page in pages for line in page.lines for run in line.runs if run.font}
    return tuple(sorted(used))


def _report_missing(missing: dict[str, set[int]], diagnostics: Diagnostics) -> None:
    """Add one ``missing-glyph`` diagnostic listing every uncovered character with its source lines."""
    if not missing:
        return
    items = []
    for ch in sorted(missing):
        lines = sorted(n for n in missing[ch] if n)
        where = f", line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))}" if lines else ""
        items.append(f"{ch} (U+{ord(ch):04X}{where})")
    diagnostics.add(
        "missing-glyph",
        f"no font covers {len(items)} character{'s' if len(items) > 1 else ''}: {'; '.join(items)}",
        severity=Severity.WARNING,
        hint="the PDF draws each as a box and keeps it in its text layer; add a font that has them to the "
        "role's chain (style file: fonts.chains)",
    )
