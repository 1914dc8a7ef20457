"""Character measurement for the line breaker: which font draws each character, and how wide its slot is.

Each character is measured in the font that will draw it (the first font of its role's chain that maps it,
``FontSet.pick``). A character whose font advance is one em takes one grid *cell* (15.79 pt for 16 pt text on
the GB/T 9704 grid, i.e. a 16 pt glyph with −0.207 pt spacing); any other character (Latin, digits, half-width
punctuation) takes its own advance × size. Results are cached per (role, size, cell, character), so a long
booklet measures each distinct character once per style.

A character that no font covers keeps its place: it stays in the text (copy-out stays complete), takes one
empty cell and is drawn with font ``""`` (renderers draw nothing for it). ``Metrics.missing`` records it with
the source lines, for one ``missing-glyph`` diagnostic.

CJK/Latin spacing (``latin_spacing`` em; clreq's 中西文混排: at most ¼ em between 汉字 and Western letters or
digits, none at a line's start or end): where a Han (or kana, hangul) letter meets a Latin, Greek or Cyrillic
letter or a digit, the later character gets that much space before it, in em of the earlier character's size.
Only letters and digits count on both sides, as in LibreOffice (measured: no space between a digit and
。，“ or %). The space is position only, never a character; a line's first character drops it
(``Measured.gap``).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from operator import add, itemgetter
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


Glyph = tuple[
    int, float, float, int, bool
]  # face, slot width, advance, plain-cell face or -1, in a grid cell

# Letters of the East Asian scripts (々〆〇, kana, bopomofo, Han with its extensions, hangul) and the Western
# letters and digits that LibreOffice sets apart from them (its "Asian" and "Western" scripts).
_EAST = (
    "\u3005-\u3007\u3021-\u3029\u3038-\u303c\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff"
    "\u3105-\u312f\u31a0-\u31bf\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff"
    "\U00020000-\U0003134f"
)
_WEST = "0-9A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff"
# A CJK/Latin space can only fall at either end of a run of Western characters: scanning for those runs is
# about twice as fast as scanning every position for a script change.
_WEST_RUN = re.compile(f"[{_WEST}]+")
# _EAST as sorted bounds (first, last + 1 of each range) searched by bisection: as a regex character class
# it would cost ~3 ms to compile (the compiler visits each of its 50,000 BMP code points), in every build.
_EAST_BOUNDS = tuple(b for i in range(0, len(_EAST), 3) for b in (ord(_EAST[i]), ord(_EAST[i + 2]) + 1))


def _east(ch: str) -> bool:
    """Return whether ``ch`` is an East Asian letter (one of the ranges of ``_EAST``)."""
    return bisect_right(_EAST_BOUNDS, ord(ch)) & 1 == 1


@dataclass(frozen=True, slots=True)
class Measured:
    """A measured paragraph: the text and, per character, shared ``Glyph`` tuples (no per-character objects).

    A glyph is (face index into ``faces``, slot width on the line, glyph advance, plain-cell face, in a cell):
    the fourth is the face index when the character is a plain one-em character filling exactly one cell, else
    -1 (the line placer's fast path); the fifth says whether the character takes a full-width cell (a grid
    cell at body size; an uncovered character's empty cell too) rather than its own advance. ``width``
    repeats the slot widths as a list. ``offset`` (compression only) shifts glyphs left inside their slots;
    None means no offsets. ``gap`` is the CJK/Latin space before each
    character, dropped when the character starts a line; None means there is none in the paragraph.
    """

    text: str
    faces: list[Face]
    glyphs: list[Glyph]
    width: list[float]
    offset: list[float] | None = None
    gap: list[float] | None = None

    def __len__(self) -> int:
        return len(self.text)

    def spaced(self) -> list[float]:
        """Return per character its slot width plus the gap before it (``width`` itself without gaps)."""
        if self.gap is None:
            return self.width
        return list(map(add, self.width, self.gap))

    def natural(self, start: int = 0, end: int | None = None) -> float:
        """Return the width of characters ``start``–``end`` (to the end when None) set on one line."""
        end = len(self.text) if end is None else end
        if start >= end:
            return 0.0
        if self.gap is None:
            return sum(self.width[start:end])
        return sum(self.width[start:end]) + sum(self.gap[start + 1 : end])


class Metrics:
    """Measures text per style role; caches widths per (font, size, cell, character) and collects misses."""

    def __init__(self, fonts: FontSource, latin_spacing: float = 0.0) -> None:
        self.fonts = fonts
        self.latin_spacing = latin_spacing  # em of the earlier character's size; 0 for none
        self.faces: list[Face] = []
        self._face_index: dict[Face, int] = {}
        self._tables: dict[tuple[str, float, float], dict[str, Glyph]] = {}
        # One tuple object per distinct glyph, so that the line placer's "all glyphs equal" test compares
        # identities.
        self._glyphs: dict[Glyph, Glyph] = {}
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
                entries = list(map(table.__getitem__, text))
            except KeyError:
                for c in text:
                    if c not in table:
                        table[c] = self._entry(role, size, cellw, c)
                entries = list(map(table.__getitem__, text))
            lacking = self._uncovered.get(role)
            # a substring test per uncovered character: a set's isdisjoint makes a string of every character
            if lacking and any(c in text for c in lacking):
                for c in lacking.intersection(text):
                    self.missing.setdefault(c, set()).add(line)
            if glyphs:
                glyphs += entries
            else:
                glyphs = entries
        text = parts[0][0] if len(parts) == 1 else "".join(p[0] for p in parts)
        gap = self._gaps(text, glyphs) if self.latin_spacing else None
        return Measured(text, self.faces, glyphs, list(map(_WIDTH, glyphs)), None, gap)

    def _gaps(self, text: str, glyphs: list[Glyph]) -> list[float] | None:
        """Return the CJK/Latin space before each character of ``text``; None when there is none."""
        where = latin_gaps(text)
        if not where:
            return None
        gap = [0.0] * len(text)
        for i in where:
            gap[i] = self.latin_spacing * self.faces[glyphs[i - 1][0]][1]
        return gap

    def _entry(self, role: str, size: float, cellw: float, ch: str) -> Glyph:
        glyph = self._glyph(role, size, cellw, ch)
        return self._glyphs.setdefault(glyph, glyph)

    def _glyph(self, role: str, size: float, cellw: float, ch: str) -> Glyph:
        font = self.fonts.pick(role, ch)
        if font is None and not _needs_glyph(ch):  # a space or control no font maps: drawn as nothing
            return (self.face("", size), size / 4 if ch.isspace() else 0.0, 0.0, -1, False)
        if font is None:
            self._uncovered.setdefault(role, set()).add(ch)
            return (self.face("", size), cellw, size, -1, True)
        em = font.advance(ch)
        index = self.face(font.name, size)
        if fills_cell(em):
            return (index, cellw, em * size, index if em == 1.0 else -1, True)
        return (index, em * size, em * size, -1, False)


def fills_cell(em: float) -> bool:
    """Return whether a character whose font advance is ``em`` is full width, i.e. takes one grid cell in a
    style of the body size (any other character takes its own advance)."""
    return abs(em - 1.0) <= FULL_WIDTH_TOLERANCE


def _needs_glyph(ch: str) -> bool:
    """Return False for characters drawn as nothing (spaces but U+3000, controls, format characters)."""
    if ch == "\u3000":
        return True
    return not ch.isspace() and unicodedata.category(ch) not in ("Cc", "Cf", "Zl", "Zp")


def latin_gaps(text: str) -> list[int]:
    """Return the indexes of the characters that get CJK/Latin space before them (a 汉字 meeting a Western
    letter or digit, either way round); [] when there are none."""
    found: list[int] = []
    n = len(text)
    for run in _WEST_RUN.finditer(text):
        start, end = run.span()
        # isalnum: only letters and digits count (not Greek punctuation)
        if start and _east(text[start - 1]) and text[start - 1].isalnum() and text[start].isalnum():
            found.append(start)
        if end < n and _east(text[end]) and text[end - 1].isalnum() and text[end].isalnum():
            found.append(end)
    return found
