"""Encode runs as two-byte glyph-ID codes of their CID-keyed font (``/Identity-H``), with ``str.translate``.

A code is the character's glyph ID in the original font (``_embed``), so the operators of a run are a
function of its text and font alone. Per font the encoder keeps one translation table, character → its code
as four hex digits, filled the first time a character is met; a run then costs one ``translate`` (a hex
string: two bytes of code need no escaping, and the page streams stay ASCII), and the length of the result
tells whether every character had its code. The tables' characters are
what the document draws in each font: ``_embed`` writes the glyphs, widths and ToUnicode entries of those.
"""

from __future__ import annotations

from publish.render.pdf._fonts import FontRegistry


class TextEncoder:
    """The glyph-ID codes of the runs of one document, and the characters it draws per font set key."""

    def __init__(self, fonts: FontRegistry) -> None:
        self._fonts = fonts
        self._tables: dict[str, dict[int, str]] = {}  # font → code point → its code, hex

    def learn(self, font: str, text: str) -> dict[int, str]:
        """Give the characters of ``text`` in ``font`` their codes (and mark them drawn); return the table."""
        table = self._table(font)
        if not table.keys() >= set(map(ord, text)):
            self._add(font, table, text)
        return table

    def take(self, font: str, points: frozenset[int]) -> None:
        """Mark the characters ``points`` (code points) drawn in ``font``, as a reused page draws them."""
        table = self._tables.get(font)
        if table is None or not table.keys() >= points:
            self.learn(font, "".join(map(chr, sorted(points))))

    def hex(self, font: str, text: str) -> str:
        """Return ``text`` in ``font`` as a PDF hex string (``<…>``) of glyph-ID codes."""
        table = self._tables.get(font)
        if table is not None:
            out = text.translate(table)
            if len(out) == 4 * len(text):  # a character without a code yet stays one character long
                return f"<{out}>"
        else:
            table = self._table(font)
        self._add(font, table, text)
        return f"<{text.translate(table)}>"

    def _table(self, font: str) -> dict[int, str]:
        table = self._tables.get(font)
        if table is None:
            table = self._tables[font] = {}
        return table

    def _add(self, font: str, table: dict[int, str], text: str) -> None:
        """Give the characters of ``text`` that ``table`` lacks their codes, in the order first met."""
        glyph = self._fonts.face(font).glyph
        for char in text:
            point = ord(char)
            if point not in table:
                table[point] = f"{glyph(char):04X}"

    def drawn(self) -> dict[str, str]:
        """Return per font the characters drawn in it, in the order first met."""
        return {font: "".join(map(chr, table)) for font, table in self._tables.items()}
