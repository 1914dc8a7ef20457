"""Encode runs into reportlab's 256-glyph TrueType subsets with C-level string operations.

reportlab's text objects map each character in a Python loop (``TTFont.splitString``) and look up the
subset font name per piece; a CJK line touches about ten subsets, so a 1,200-page booklet spent most of its
PDF time there. This encoder asks reportlab to assign codes only for characters it has not seen yet (so the
subsets, the embedded fonts and their ToUnicode maps stay reportlab's own), then keeps two translation
tables per font — character → subset, character → its code as PDF string-literal text (escaped, as
``escapePDF`` escapes that byte) — and encodes every run with ``str.translate``: one slice and one
``translate`` per piece of a subset, no per-piece ``encode`` or ``escapePDF`` call.
"""

from __future__ import annotations

import re

from reportlab.lib.rl_accel import escapePDF
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

Events = list[tuple[str, str]]  # (font, newly learned characters), or (font, "") for its first name
_SAME_SUBSET = re.compile(r"(.)\1*", re.DOTALL)  # a maximal run of one subset number
_ESCAPED = [escapePDF(bytes([code])) for code in range(256)]  # escapePDF works byte by byte


class _FontTables:
    """One font's code assignments in one document: per character, its subset (a one-char string) and its
    code (escaped PDF string-literal text)."""

    def __init__(self, font: pdfmetrics.Font, canvas: Canvas, events: Events | None = None) -> None:
        self.font = font
        self.doc = canvas._doc  # reportlab keys subset state by document
        self.events = events
        self.subset: dict[int, str] = {}
        self.code: dict[int, str] = {}  # code point → its code, escaped for a PDF string literal
        self.known: set[str] = set()
        self.names: dict[str, str] = {}  # subset (as a one-char string) → "/F1+0"
        self.heads: dict[str, dict[str, str]] = {}  # size text → subset → "/F1+0 16 Tf ("

    def learn(self, text: str) -> None:
        """Have reportlab assign codes to the characters of ``text`` it has not seen, in their first order."""
        if self.known.issuperset(text):
            return
        new = "".join(dict.fromkeys(c for c in text if c not in self.known))
        self.known.update(new)
        if self.events is not None:
            self.events.append((self.font.fontName, new))
        self.font.splitString(new, self.doc)
        assignments = self.font.state[self.doc].assignments
        for char in new:
            point = ord(char)
            n = assignments.get(32 if point == 0xA0 else point, 0)  # reportlab: NBSP → space; unmapped → 0
            self.subset[point] = chr(n >> 8)
            self.code[point] = _ESCAPED[n & 0xFF]

    def first_name(self, text: str) -> None:
        """Give the font its resource name now if painting ``text`` would (its first subset piece)."""
        if text:
            self._name(self.subset[ord(text[0])])

    def fingerprint(self, text: str) -> str:
        """Return the subsets and codes of the distinct characters of ``text`` (all learned), and the font's
        resource name: what the operators drawing ``text`` depend on besides the text itself."""
        distinct = "".join(dict.fromkeys(text))
        state = self.font.state[self.doc]
        return f"{state.internalName}\0{distinct.translate(self.subset)}\0{distinct.translate(self.code)}"

    def operators(self, text: str, size_text: str) -> str:
        """Return the ``Tf``/``Tj`` operators drawing ``text`` at ``size_text``, one pair per subset piece."""
        self.learn(text)
        subsets = text.translate(self.subset)
        code = self.code
        heads = self.heads.get(size_text)
        if heads is None:
            heads = self.heads[size_text] = {}
        out: list[str] = []
        for piece in _SAME_SUBSET.finditer(subsets):
            start, end = piece.span()
            subset = subsets[start]
            head = heads.get(subset)
            if head is None:
                head = heads[subset] = f"{self._name(subset)} {size_text} Tf ("
            out.append(head + text[start:end].translate(code) + ") Tj")
        return " ".join(out)

    def _name(self, subset: str) -> str:
        """Return the subset's font resource name ("/F1+0"), asking reportlab the first time."""
        name = self.names.get(subset)
        if name is None:
            if not self.names and self.events is not None:  # the font's first name: its number
                self.events.append((self.font.fontName, ""))
            name = self.names[subset] = self.font.getSubsetInternalName(ord(subset), self.doc)
        return name


class TextEncoder:
    """Builds the content-stream operators of runs for one canvas (one document). ``events``, when a list,
    records in order what decides every code and font number: each font's newly learned characters
    (font, characters) and each font's first resource name (font, "")."""

    def __init__(self, canvas: Canvas, events: Events | None = None) -> None:
        self._canvas = canvas
        self._tables: dict[str, _FontTables] = {}
        self.events = events

    def _font(self, font_name: str) -> _FontTables:
        tables = self._tables.get(font_name)
        if tables is None:
            font = pdfmetrics.getFont(font_name)
            tables = self._tables[font_name] = _FontTables(font, self._canvas, self.events)
        return tables

    def show(self, font_name: str, size: float, text: str) -> str:
        """Return the ``Tf``/``Tj`` operators that draw ``text`` in the registered font ``font_name``."""
        return self._font(font_name).operators(text, f"{size:.6g}")

    def prepare(self, font_name: str, text: str) -> None:
        """Learn ``text`` and name the font as drawing it would, without making operators."""
        tables = self._font(font_name)
        tables.learn(text)
        tables.first_name(text)

    def fingerprint(self, font_name: str, text: str) -> str:
        """Return what the operators drawing ``text`` (already learned) in ``font_name`` depend on."""
        return self._font(font_name).fingerprint(text)
