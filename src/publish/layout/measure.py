"""Character measurement for the line breaker: which font draws each character, and how wide its slot is.

Each character is measured in the font that will draw it (the first font of its role's chain that maps it,
``FontSet.pick``). A character whose font advance is one em takes one grid *cell* (15.79 pt for 16 pt text on
the GB/T 9704 grid, i.e. a 16 pt glyph with −0.207 pt spacing); any other character (Latin, digits, half-width
punctuation) takes its own advance × size. Results are cached per (role, size, cell, character), so a long
booklet measures each distinct character once per style.

A character that no font covers keeps its place: it stays in the text (copy-out stays complete), takes one
empty cell and is drawn with font ``""`` (renderers draw nothing for it). ``Metrics.missing`` records it with
the source lines, for one ``missing-glyph`` diagnostic.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from operator import itemgetter
from typing import Protocol


class GlyphFont(Protocol):
    """The part of ``fonts.ResolvedFont`` the layout uses."""

    @property
    def name(self) -> str:
        """The font's file name, written into ``Run.font``."""
        ...

    def advance(self, ch: str) -> float:
        """Return the advance width of ``ch`` in em."""
        ...


class FontSource(Protocol):
    """The part of ``fonts.FontSet`` the layout uses: the first font of a role's chain mapping a character."""

    def pick(self, role: str, ch: str) -> GlyphFont | None:
        """Return the font drawing ``ch`` for ``role``; None when no font of the chain maps it."""
        ...


# A font advance within this of 1 em counts as a full-width character and snaps to the grid cell.
FULL_WIDTH_TOLERANCE = 0.02

Face = tuple[str, float]  # (font file name, size in points); name "" for uncovered characters
_WIDTH = itemgetter(1)


Glyph = tuple[int, float, float, int]  # face index, slot width, glyph advance, plain-cell face index or -1


@dataclass(frozen=True, slots=True)
class Measured:
    """A measured paragraph: the text and, per character, shared ``Glyph`` tuples (no per-character objects).

    A glyph is (face index into ``faces``, slot width on the line, glyph advance, plain-cell face): the last
    is the face index when the character is a plain one-em character filling exactly one cell, else -1 (the
    line placer's fast path). ``width`` repeats the slot widths as a list. ``offset`` (compression only)
    shifts glyphs left inside their slots; None means no offsets.
    """

    text: str
    faces: list[Face]
    glyphs: list[Glyph]
    width: list[float]
    offset: list[float] | None = None

    def __len__(self) -> int:
        return len(self.text)


class Metrics:
    """Measures text per style role; caches widths per (font, size, cell, character) and collects misses."""

    def __init__(self, fonts: FontSource) -> None:
        self.fonts = fonts
        self.faces: list[Face] = []
        self._face_index: dict[Face, int] = {}
        self._tables: dict[tuple[str, float, float], dict[str, Glyph]] = {}
        self.missing: dict[str, set[int]] = {}  # uncovered character → source lines (0 = unknown)
        self._uncovered: dict[str, set[str]] = {}  # font role → characters its chain lacks

    def face(self, name: str, size: float) -> int:
        """Return the index of the face (font name, size), adding it when new."""
        key = (name, size)
        index = self._face_index.get(key)
        if index is None:
            index = self._face_index[key] = len(self.faces)
            self.faces.append(key)
        return index

    def measure(self, parts: list[tuple[str, str, float, float]], line: int = 0) -> Measured:
        """Measure a paragraph's ``parts`` (text, font role, size, cell width) from source ``line``."""
        glyphs: list[Glyph] = []
        for text, role, size, cellw in parts:
            table = self._tables.setdefault((role, size, cellw), {})
            try:
                entries = [table[c] for c in text]
            except KeyError:
                for c in text:
                    if c not in table:
                        table[c] = self._entry(role, size, cellw, c)
                entries = [table[c] for c in text]
            lacking = self._uncovered.get(role)
            if lacking and not lacking.isdisjoint(text):
                for c in lacking.intersection(text):
                    self.missing.setdefault(c, set()).add(line)
            glyphs += entries
        text = parts[0][0] if len(parts) == 1 else "".join(p[0] for p in parts)
        return Measured(text, self.faces, glyphs, list(map(_WIDTH, glyphs)))

    def text_width(self, text: str, role: str, size: float, cellw: float) -> float:
        """Return the natural width of ``text`` set in ``role`` (no justification)."""
        return sum(self.measure([(text, role, size, cellw)]).width)

    def _entry(self, role: str, size: float, cellw: float, ch: str) -> Glyph:
        font = self.fonts.pick(role, ch)
        if font is None and not _needs_glyph(ch):  # a space or control no font maps: drawn as nothing
            return (self.face("", size), size / 4 if ch.isspace() else 0.0, 0.0, -1)
        if font is None:
            self._uncovered.setdefault(role, set()).add(ch)
            return (self.face("", size), cellw, size, -1)
        em = font.advance(ch)
        index = self.face(font.name, size)
        if abs(em - 1.0) <= FULL_WIDTH_TOLERANCE:
            return (index, cellw, em * size, index if em == 1.0 else -1)
        return (index, em * size, em * size, -1)


def _needs_glyph(ch: str) -> bool:
    """Return False for characters drawn as nothing (spaces but U+3000, controls, format characters)."""
    if ch == "\u3000":
        return True
    return not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp")
