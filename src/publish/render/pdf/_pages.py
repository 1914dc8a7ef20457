"""Reuse a page's painted operators from the last render of the same output file (a warm session).

A page's content stream is a pure function of what the page draws (each run's text, font, size, position
and spacing) and of the codes the document's font subsets give its characters. Those codes depend on the
order in which the whole document first used each character (reportlab assigns them as it meets them), so
a page is reused only after a check: the encoder first learns the page's characters exactly as painting
would (per font, in the page's order; the font's resource name assigned at the same point), then the codes
and subset names of the page's distinct characters are compared with those the stored operators were made
with. Equal: the stored operators are the ones painting would produce, byte for byte. Otherwise the page
is painted and stored anew. An edit in one speech therefore repaints its pages (and, when it brings new
characters, the pages whose codes moved), and reuses the rest.

Two shortcuts keep the check cheap on a long booklet. A page is found first by the identity of its lines: a
warm layout hands over the very line objects of the speeches it reused (``layout.reuse``), and the memory
keeps them alive, so the same objects in the same order are the same page; only a page of new line objects
is looked up by value. And while each font has learned its characters in the order the last render's did,
and the fonts were first named in its order (an edit further on), every code and font number so far is the
last render's, so a page reused before the first difference needs no comparison of codes.

One memory per output folder (the renderer writes to a temporary name there), holding only the pages of
the last render into it; a few folders at most. Since every reuse is checked, a memory that holds another
document's pages costs a miss, never a wrong page.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field

from publish.layout.frame import Line, Page
from publish.render.pdf._text import Events, TextEncoder

PATHS = 4  # output folders remembered


@dataclass(frozen=True)
class _Painted:
    """A page's operators; per font (reportlab name) its text on the page, its distinct characters and
    the fingerprint of their codes; the page's lines (kept alive: their ids key the page)."""

    literals: tuple[str, ...]
    fonts: tuple[tuple[str, str, str, str], ...]  # (font, the page's text in it, distinct, fingerprint)
    lines: tuple[Line, ...]
    key: Hashable  # the value key (height and runs)


@dataclass
class _Render:
    """One render's pages by value and by the identity of their lines, and what its encoder learned: per
    font its characters in the order learned, and the fonts in the order they were first named."""

    pages: dict[Hashable, _Painted] = field(default_factory=dict)
    by_lines: dict[tuple[float, tuple[int, ...]], _Painted] = field(default_factory=dict)
    learned: dict[str, str] = field(default_factory=dict)
    named: list[str] = field(default_factory=list)


class _Step:
    """Whether this render's encoder has so far learned and named, font by font, what the last render's did
    (then every code and font number so far is the last render's)."""

    def __init__(self, old: _Render, events: Events) -> None:
        self.old = old
        self.events = events
        self.seen = 0  # events checked
        self.learned: dict[str, list[str]] = {}
        self.at: dict[str, int] = {}  # per font, characters checked
        self.named: list[str] = []
        self.same = True

    def holds(self) -> bool:
        """Check the events since the last call; return whether all so far agree with the last render."""
        events, old = self.events, self.old
        for font, chars in events[self.seen :]:
            if chars:
                self.learned.setdefault(font, []).append(chars)
                at = self.at.get(font, 0)
                self.same = self.same and old.learned.get(font, "")[at : at + len(chars)] == chars
                self.at[font] = at + len(chars)
            else:
                self.same = self.same and old.named[len(self.named) : len(self.named) + 1] == [font]
                self.named.append(font)
        self.seen = len(events)
        return self.same

    def finish(self, into: _Render) -> None:
        """Store what this render learned and named, for the next render's check."""
        self.holds()
        into.learned = {font: "".join(parts) for font, parts in self.learned.items()}
        into.named = self.named


_memory: dict[str, _Render] = {}
_lock = threading.Lock()


class PageMemory:
    """The stored pages of one output path for one render; ``reused`` counts the pages taken from it."""

    def __init__(self, path: str, encoder: TextEncoder, enabled: bool = True) -> None:
        self.path = path
        self.enabled = enabled  # False (a cold build): paint every page, store nothing
        with _lock:
            self._old = _memory.pop(path, _Render()) if enabled else _Render()
        self._new = _Render()
        self._encoder = encoder
        events: Events = [] if encoder.events is None else encoder.events
        if enabled:
            encoder.events = events
        self._step = _Step(self._old, events)
        self.reused = 0

    def paint(
        self,
        page: Page,
        height: float,
        name: Callable[[str], str],
        draw: Callable[[], list[str]],
    ) -> list[str]:
        """Return the page's operators: the stored ones when their codes still hold, else ``draw()``'s.
        ``name`` gives a font file's reportlab name."""
        if not self.enabled:
            return draw()
        encoder = self._encoder
        ids = (height, tuple(map(id, page.lines)))
        stored = self._old.by_lines.get(ids)
        if stored is None:
            key: Hashable = (height, tuple((line.baseline, line.runs) for line in page.lines))
            stored = self._old.pages.get(key)
        else:
            key = stored.key
        if stored is not None and stored.fonts:
            for font, text, _, _ in stored.fonts:  # what painting would teach the encoder, in its order
                encoder.prepare(font, text)
            if self._step.holds() or all(
                encoder.fingerprint(font, distinct) == mark for font, _, distinct, mark in stored.fonts
            ):
                self._keep(ids, key, stored, page.lines)
                self.reused += 1
                return list(stored.literals)
        literals = draw()
        joined = _texts(page.lines, name)
        marks = []
        for font, text in joined.items():
            distinct = "".join(dict.fromkeys(text))
            marks.append((font, text, distinct, encoder.fingerprint(font, distinct)))
        self._keep(ids, key, _Painted(tuple(literals), tuple(marks), page.lines, key), page.lines)
        return literals

    def _keep(
        self, ids: tuple[float, tuple[int, ...]], key: Hashable, painted: _Painted, lines: tuple[Line, ...]
    ) -> None:
        if painted.lines is not lines:
            painted = _Painted(painted.literals, painted.fonts, lines, key)
        self._new.pages[key] = painted
        self._new.by_lines[ids] = painted

    def keep(self) -> None:
        """Store this render's pages for the next render of the same path (after a successful save)."""
        if not self.enabled:
            return
        self._step.finish(self._new)
        with _lock:
            _memory[self.path] = self._new
            while len(_memory) > PATHS:
                del _memory[next(iter(_memory))]


def _texts(lines: Sequence[Line], name: Callable[[str], str]) -> dict[str, str]:
    """Return per font (reportlab name) the text the lines draw in it, in order."""
    texts: dict[str, list[str]] = {}
    for line in lines:
        for run in line.runs:
            if run.font and run.text:
                texts.setdefault(name(run.font), []).append(run.text)
    return {font: "".join(parts) for font, parts in texts.items()}
