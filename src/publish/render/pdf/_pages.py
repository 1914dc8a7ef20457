"""Reuse a page's painted operators from the last render of the same output file (a warm session).

A page's content stream is a pure function of what the page draws (each run's text, font, size, position
and spacing) and of the fonts behind the font set keys: codes are glyph IDs (``_text``) and resource names
digests of the keys (``_fonts``), whatever the other pages hold. So a page is reused when the last render
painted one with the same lines and each of its fonts is still the same file (for the placeholder: the same
set of uncovered characters); its characters are then handed to the encoder, so that the embedded fonts
hold their glyphs, as painting would have. The one thing another page can change, the ``/ActualText`` mark
of a character whose glyph copies out as another drawn character (``render``), is added after all pages
are painted or reused; the memory keeps the unmarked form.

A page is found first by the identity of its lines: a warm layout hands over the very line objects of the
speeches it reused (``layout.reuse``), and the memory keeps them alive, so the same objects in the same order
are the same page; only a page of new line objects is looked up by value.

One memory per output folder (the renderer writes to a temporary name there), holding only the pages of
the last render into it; a few folders at most. A memory that holds another document's pages costs a miss,
never a wrong page.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field

from publish.layout.frame import Line, Page
from publish.render.pdf._fonts import FontRegistry
from publish.render.pdf._text import TextEncoder

PATHS = 4  # output folders remembered


class _Key:
    """A page's value key (height and runs) with its hash computed once: a tuple hashes all its runs again
    on every lookup."""

    __slots__ = ("_hash", "value")

    def __init__(self, value: Hashable) -> None:
        self.value = value
        self._hash = hash(value)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Key) and self._hash == other._hash and self.value == other.value


@dataclass(frozen=True)
class _Painted:
    """A page's operators; per font set key the distinct characters it draws and what identified the font
    file; the page's lines (kept alive: their ids key the page)."""

    literals: tuple[str, ...]
    fonts: tuple[tuple[str, frozenset[int], Hashable], ...]  # (font, its code points, identity)
    lines: tuple[Line, ...]
    key: _Key


@dataclass
class _Render:
    """One render's pages by value and by the identity of their lines."""

    pages: dict[_Key, _Painted] = field(default_factory=dict)
    by_lines: dict[tuple[float, tuple[int, ...]], _Painted] = field(default_factory=dict)


_memory: dict[str, _Render] = {}
_lock = threading.Lock()


class PageMemory:
    """The stored pages of one output path for one render; ``reused`` counts the pages taken from it."""

    def __init__(self, path: str, fonts: FontRegistry, encoder: TextEncoder, enabled: bool = True) -> None:
        self.path = path
        self.enabled = enabled  # False (a cold build): paint every page, store nothing
        with _lock:
            self._old = _memory.pop(path, _Render()) if enabled else _Render()
        self._new = _Render()
        self._fonts = fonts
        self._encoder = encoder
        self.reused = 0

    def paint(self, page: Page, height: float, draw: Callable[[], list[str]]) -> list[str]:
        """Return the page's operators: the stored ones when the page and its fonts are the same, else
        ``draw()``'s."""
        if not self.enabled:
            return draw()
        ids = (height, tuple(map(id, page.lines)))
        stored = self._old.by_lines.get(ids)
        if stored is None:
            key = _Key((height, tuple((line.baseline, line.runs) for line in page.lines)))
            stored = self._old.pages.get(key)
        else:
            key = stored.key
        identity = self._fonts.identity
        if stored is not None and all(identity(font) == known for font, _, known in stored.fonts):
            for font, points, _ in stored.fonts:
                self._encoder.take(font, points)
            self._keep(ids, key, stored, page.lines)
            self.reused += 1
            return list(stored.literals)
        literals = draw()
        fonts = tuple((font, chars, identity(font)) for font, chars in _chars(page.lines).items())
        self._keep(ids, key, _Painted(tuple(literals), fonts, page.lines, key), page.lines)
        return literals

    def _keep(
        self, ids: tuple[float, tuple[int, ...]], key: _Key, painted: _Painted, lines: tuple[Line, ...]
    ) -> None:
        if painted.lines is not lines:
            painted = _Painted(painted.literals, painted.fonts, lines, key)
        self._new.pages[key] = painted
        self._new.by_lines[ids] = painted

    def keep(self) -> None:
        """Store this render's pages for the next render of the same path (after a successful save)."""
        if not self.enabled:
            return
        with _lock:
            _memory[self.path] = self._new
            while len(_memory) > PATHS:
                del _memory[next(iter(_memory))]


def _chars(lines: Sequence[Line]) -> dict[str, frozenset[int]]:
    """Return per font set key ("" for uncovered characters) the code points the lines draw."""
    texts: dict[str, list[str]] = {}
    for line in lines:
        for run in line.runs:
            if run.text:
                texts.setdefault(run.font, []).append(run.text)
    return {font: frozenset(map(ord, "".join(parts))) for font, parts in texts.items()}
