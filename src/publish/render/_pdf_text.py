"""Encode runs into reportlab's 256-glyph TrueType subsets with C-level string operations.

reportlab's text objects map each character in a Python loop (``TTFont.splitString``) and look up the
subset font name per piece; a CJK line touches about ten subsets, so a 1,200-page booklet spent most of its
PDF time there. This encoder asks reportlab to assign codes only for characters it has not seen yet (so the
subsets, the embedded fonts and their ToUnicode maps stay reportlab's own), then keeps two translation
tables per font — character → subset, character → code — and encodes every run with ``str.translate``.
"""

from __future__ import annotations

import re

from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

_SAME_SUBSET = re.compile(r"(.)\1*", re.DOTALL)  # a maximal run of one subset number


class _FontTables:
    """One font's code assignments in one document: subset and code per character, as one-char strings."""

    def __init__(self, font: pdfmetrics.Font, canvas: Canvas) -> None:
        self.font = font
        self.doc = canvas._doc  # reportlab keys subset state by document
        self.subset: dict[int, str] = {}
        self.code: dict[int, str] = {}
        self.known: set[str] = set()
        self.names: dict[str, str] = {}  # subset (as a one-char string) → "/F1+0"

    def learn(self, text: str) -> None:
        """Have reportlab assign codes to the characters of ``text`` it has not seen, in their first order."""
        if self.known.issuperset(text):
            return
        new = "".join(dict.fromkeys(c for c in text if c not in self.known))
        self.known.update(new)
        self.font.splitString(new, self.doc)
        assignments = self.font.state[self.doc].assignments
        for char in new:
            point = ord(char)
            n = assignments.get(32 if point == 0xA0 else point, 0)  # reportlab: NBSP → space; unmapped → 0
            self.subset[point] = chr(n >> 8)
            self.code[point] = chr(n & 0xFF)

    def pieces(self, text: str) -> list[tuple[str, bytes]]:
        """Return ``text`` as (subset font name, encoded bytes) pieces in order."""
        self.learn(text)
        subsets = text.translate(self.subset)
        codes = text.translate(self.code).encode("latin-1")
        out: list[tuple[str, bytes]] = []
        names = self.names
        for piece in _SAME_SUBSET.finditer(subsets):
            subset = piece.group(1)
            name = names.get(subset)
            if name is None:
                name = names[subset] = self.font.getSubsetInternalName(ord(subset), self.doc)
            out.append((name, codes[piece.start() : piece.end()]))
        return out


class TextEncoder:
    """Builds the content-stream operators of runs for one canvas (one document)."""

    def __init__(self, canvas: Canvas) -> None:
        self._canvas = canvas
        self._tables: dict[str, _FontTables] = {}

    def show(self, font_name: str, size: float, text: str) -> str:
        """Return the ``Tf``/``Tj`` operators that draw ``text`` in the registered font ``font_name``."""
        tables = self._tables.get(font_name)
        if tables is None:
            tables = self._tables[font_name] = _FontTables(pdfmetrics.getFont(font_name), self._canvas)
        size_text = f"{size:.6g}"
        return " ".join(f"{name} {size_text} Tf ({escapePDF(data)}) Tj" for name, data in tables.pieces(text))
