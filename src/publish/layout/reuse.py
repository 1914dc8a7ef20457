"""What a long-lived process keeps between layouts of one booklet: the composer, speeches' lines and pages.

A speech's paragraphs (``plan._speech``) depend only on its position, its content and the composer (spec and
fonts), so a rebuild after an edit sets only the speeches whose content changed and reuses the others. A
speech starts on a page of its own, so its pages (``paginate.pour_speech``) depend on its paragraphs alone:
a reused speech's pages are reused too, and only their numbers and folios (kept per number) are set again,
wherever the speech now starts. The 目录 is set again only when its entries changed (a title, a heading,
a printed number); the cover is always redone. Source line numbers are left out of the key — an edit that
adds a line to the first speech shifts every later line — except where they matter: a speech with
characters no font covers is reused only when its lines are unchanged too, since the missing-glyph report
names them.

The composer's ``Metrics`` lives as long as the cache (its width tables are what makes a second layout
cheap); its record of missing characters is emptied before each layout and refilled from the speeches set
or reused, so that each plan reports exactly what a fresh layout would.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from publish.layout.compose import Composer
from publish.layout.frame import Line, TocItem
from publish.layout.front import Entry
from publish.layout.measure import FontSource, Metrics
from publish.layout.paginate import Para, Sheet, pour_speech
from publish.layout.spec import LayoutSpec
from publish.model import Heading, Speech

Missing = dict[str, set[int]]
_Kept = tuple[str, tuple[Line, ...], int | None, bool]  # a sheet's kind, lines, number and forced flag


def _content(speech: Speech) -> tuple[Any, ...]:
    """Return what of ``speech`` its layout depends on: everything but the source line numbers."""
    blocks = tuple(
        (b.level, b.text) if isinstance(b, Heading) else (b.text, b.lead, b.lead_level) for b in speech.blocks
    )
    return (speech.title, speech.speaker, blocks)


class PlanCache:
    """The composer for one spec and font set, and the laid-out speeches of the last layout."""

    def __init__(self) -> None:
        self._spec: LayoutSpec | None = None
        self._composer: Composer | None = None
        self._speeches: dict[tuple[int, tuple[Any, ...]], tuple[list[Para], Missing, Speech]] = {}
        self._next: dict[tuple[int, tuple[Any, ...]], tuple[list[Para], Missing, Speech]] = {}
        self._pages: dict[int, tuple[Sequence[Para], list[tuple[str, tuple[Line, ...], bool]]]] = {}
        self._next_pages: dict[int, tuple[Sequence[Para], list[tuple[str, tuple[Line, ...], bool]]]] = {}
        self._folios: dict[int, Line] = {}
        self._toc: tuple[tuple[Entry, ...], list[_Kept], list[TocItem]] | None = None
        self.reused = 0  # speeches reused by the last layout (for the log and the tests)
        self.reused_pages = 0  # pages of those speeches taken from the last pagination

    def composer(self, spec: LayoutSpec, fonts: FontSource) -> Composer:
        """Return the composer of ``spec`` and ``fonts`` (the same object while both stay the same); start a
        layout: forget speeches laid out with another composer, empty the record of missing characters."""
        composer = self._composer
        if composer is None or composer.metrics.fonts is not fonts or self._spec != spec:
            composer = self._composer = Composer(spec, Metrics(fonts, spec.latin_spacing))
            self._spec = spec
            self._speeches = {}
            self._pages = {}
            self._folios = {}
            self._toc = None
        composer.metrics.missing = {}
        self._next = {}
        self._next_pages = {}
        self.reused = self.reused_pages = 0
        return composer

    def speech(self, s: int, speech: Speech, make: Callable[[], list[Para]]) -> list[Para]:
        """Return speech ``s``'s paragraphs: the last layout's if its content is the same, else ``make()``."""
        assert self._composer is not None, "composer() starts a layout"
        missing = self._composer.metrics.missing
        key = (s, _content(speech))
        hit = self._speeches.get(key)
        if hit is not None and (not hit[1] or hit[2] == speech):
            paras, own, _ = hit
            for ch, lines in own.items():
                missing.setdefault(ch, set()).update(lines)
            self.reused += 1
        else:
            before = {ch: set(lines) for ch, lines in missing.items()}
            paras = make()
            own = {ch: lines - before.get(ch, set()) for ch, lines in missing.items()}
            own = {ch: lines for ch, lines in own.items() if lines}
        self._next[key] = (paras, own, speech)
        return paras

    def sheets(self, paras: Sequence[Para]) -> list[Sheet]:
        """Return the unnumbered pages of a speech's ``paras`` (``paginate.pour_speech``): the last layout's
        when ``paras`` is the very list ``speech`` returned then (a reused speech), else poured now."""
        assert self._spec is not None, "composer() starts a layout"
        hit = self._pages.get(id(paras))
        if hit is not None and hit[0] is paras:
            kept = hit[1]
            self.reused_pages += len(kept)
        else:
            kept = [(s.kind, tuple(s.lines), s.forced) for s in pour_speech(paras, self._spec)]
        self._next_pages[id(paras)] = (paras, kept)  # the list kept alive, so its id stays its own
        return [Sheet(kind, list(lines), forced=forced) for kind, lines, forced in kept]

    def folio(self, n: int, make: Callable[[int], Line]) -> Line:
        """Return the folio line of page ``n``: the one made before with this composer, else ``make(n)``."""
        line = self._folios.get(n)
        if line is None:
            line = self._folios[n] = make(n)
        return line

    def toc(
        self, entries: Sequence[Entry], make: Callable[[], tuple[list[Sheet], list[TocItem]]]
    ) -> tuple[list[Sheet], list[TocItem]]:
        """Return the 目录's pages and items for ``entries`` (``front.toc_pages``, a function of the entries
        and the composer): the last layout's when the entries are equal, else ``make()``'s. A 目录 whose
        setting recorded characters no font covers is not kept (its record must be made again)."""
        key = tuple(entries)
        if self._toc is not None and self._toc[0] == key:
            _, kept, items = self._toc
        else:
            assert self._composer is not None, "composer() starts a layout"
            missing = self._composer.metrics.missing
            before = {ch: len(lines) for ch, lines in missing.items()}
            sheets, items = make()
            kept = [(s.kind, tuple(s.lines), s.number, s.forced) for s in sheets]
            recorded = {ch: len(lines) for ch, lines in missing.items()} != before
            self._toc = None if recorded else (key, kept, items)
        return [Sheet(kind, list(lines), number, forced) for kind, lines, number, forced in kept], list(items)

    def finish(self) -> None:
        """End a layout: keep only its speeches and their pages for the next one."""
        self._speeches, self._next = self._next, {}
        self._pages, self._next_pages = self._next_pages, {}
