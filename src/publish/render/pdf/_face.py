"""reportlab TrueType fonts whose character tables are read lazily from the raw tables.

reportlab's ``TTFontFile.extractInfo`` expands the whole ``cmap``, ``hmtx`` and ``loca`` of a font into
Python dicts and lists when the font is registered: 20–40 ms for each CJK font, a quarter of a small
booklet's build, though a document uses a few thousand of its 20,000 characters. ``LazyFace`` runs
reportlab's own header parsing (``extractInfo(charInfo=0)``: names, bounding box, ascent, flags) and gives
reportlab the four character tables it reads later — ``charToGlyph``, ``charWidths``, ``hmetrics`` and
``glyphPos`` — as views that decode one entry when asked, with reportlab's semantics to the letter (the
subtable it picks, glyph 0 entries inside a format 4 segment, NBSP aliased to the space, the scaled
advance it keeps for glyphs past ``numberOfHMetrics``), so the PDF is byte for byte the one reportlab's own
parser gives (``tests/test_render_pdf_face.py``). A font whose chosen subtable is not of format 4 or 12 is
parsed by reportlab itself.
"""

from __future__ import annotations

import mmap
import struct
from collections.abc import Iterator
from typing import Any
from weakref import WeakKeyDictionary

from reportlab import rl_config
from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, TTFontFace

from publish.sfnt import Cmap, SfntError, words


def reportlab_subtable(cmap: bytes) -> int | None:
    """Return the offset of the cmap subtable reportlab picks (the last suitable record); None if none."""
    count = struct.unpack_from(">H", cmap, 2)[0]
    chosen, enc = None, 0
    for i in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", cmap, 4 + 8 * i)
        if platform == 3 or (platform == 1 and encoding == 1) or (platform == 0 and encoding != 5):
            chosen, enc = offset, 1
        elif platform == 1 and encoding == 0 and enc != 1:
            chosen, enc = offset, 2
    return chosen


class _CharToGlyph:
    """reportlab's ``charToGlyph``: every code inside a cmap segment is a key (glyph 0 included). Each code
    is decoded once per process: reportlab asks again for every character of every document (its code
    assignment, then each subset's widths), and a warm session renders the same characters again and again."""

    def __init__(self, cmap: Cmap, id_limit: int | None) -> None:
        self._cmap = cmap
        self._id_limit = id_limit
        self._found: dict[int, int | None] = {}
        self._space = -1  # reportlab aliases NBSP and space: the code whose glyph both take
        if self._find(0x20) is not None:
            self._space = 0x20
        elif self._find(0xA0) is not None:
            self._space = 0xA0

    def _find(self, code: int) -> int | None:
        try:
            return self._found[code]
        except KeyError:
            pass
        i = self._cmap.segment(code)
        glyph = self._found[code] = None if i < 0 else self._cmap.glyph_in(i, code, self._id_limit)
        return glyph

    def _alias(self, code: int) -> int:
        return self._space if code in (0x20, 0xA0) and self._space >= 0 else code

    def __contains__(self, code: object) -> bool:
        return isinstance(code, int) and self._find(self._alias(code)) is not None

    def __getitem__(self, code: int) -> int:
        glyph = self._find(self._alias(code))
        if glyph is None:
            raise KeyError(code)
        return glyph

    def get(self, code: int, default: Any = None) -> Any:
        glyph = self._find(self._alias(code))
        return default if glyph is None else glyph

    def keys(self) -> Iterator[int]:  # only reportlab's unsubsettable-font path asks
        raise NotImplementedError("LazyFace does not list its characters")


class _CharWidths:
    """reportlab's ``charWidths``: the scaled advance of a mapped code's glyph (glyphs past the font's
    glyph count have none)."""

    def __init__(self, face: LazyFace) -> None:
        self._face = face

    def get(self, code: int, default: Any = None) -> Any:
        glyph = self._face.charToGlyph.get(code)
        if glyph is None or glyph >= self._face.numGlyphs:
            return default
        return self._face.advance(glyph)


class _HMetrics:
    """reportlab's ``hmetrics``: (advance, left side bearing) per glyph; past ``numberOfHMetrics`` the
    advance is the last one, scaled (as reportlab keeps it)."""

    def __init__(self, hmtx: bytes, count: int, glyphs: int, scale: Any) -> None:
        self._pairs = words(hmtx, 0, 2 * count)
        self._lsb = words(hmtx, 4 * count, max(0, glyphs - count)) if glyphs > count else words(b"", 0, 0)
        self._count = count
        self._glyphs = glyphs
        self._last = scale(self._pairs[2 * count - 2])

    def __len__(self) -> int:
        return self._glyphs

    def __getitem__(self, glyph: int) -> tuple[Any, int]:
        if not 0 <= glyph < self._glyphs:
            raise IndexError(glyph)
        if glyph < self._count:
            return self._pairs[2 * glyph], self._pairs[2 * glyph + 1]
        return self._last, self._lsb[glyph - self._count]


class _Loca:
    """reportlab's ``glyphPos``: each glyph's offset into ``glyf`` (short offsets doubled)."""

    def __init__(self, loca: bytes, count: int, long: bool) -> None:
        self._offsets = words(loca, 0, count, "I" if long else "H")
        self._shift = 0 if long else 1

    def __len__(self) -> int:
        return len(self._offsets)

    def __getitem__(self, glyph: int) -> int:
        return int(self._offsets[glyph]) << self._shift


class LazyFace(TTFontFace):  # type: ignore[misc]
    """A reportlab font face whose character tables decode on demand (see the module docstring).

    The file is mapped rather than read (reading a 10 MB CJK font costs ~20 ms of page faults; a subset
    touches a few hundred of its glyphs). The bundled fonts are read-only data: a font file truncated in
    place while a render reads it would be a fault, as it would for any program mapping it.
    """

    def readFile(self, f: Any) -> None:
        if not isinstance(f, str) or hasattr(self, "_ttf_data"):
            super().readFile(f)
            return
        self.filename = f
        with open(f, "rb") as handle:
            data: mmap.mmap | bytes
            try:
                data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            except (ValueError, OSError):  # empty, or a file that cannot be mapped
                data = handle.read()
        self._ttf_data = data
        self._pos = 0

    def extractInfo(self, charInfo: int = 1) -> None:
        self._subsets: dict[tuple[int, ...], bytes] = {}
        super().extractInfo(0)  # header, names and flags; sets charToGlyph = None and returns
        if not charInfo:
            return
        try:
            self._lazy_tables()
        except (KeyError, SfntError, struct.error, IndexError):
            TTFontFace.extractInfo(self, charInfo)  # let reportlab parse (and report) it

    def _lazy_tables(self) -> None:
        head = self.get_table("head")
        if self._full_font or struct.unpack_from(">h", head, 52)[0] != 0:
            raise SfntError("an unsubsettable font, or an unknown glyph data format: reportlab decides")
        cmap = self.get_table("cmap")
        at = reportlab_subtable(cmap)
        if at is None:
            raise SfntError("no suitable cmap")
        sub = Cmap.at(cmap, at)
        self.charToGlyph = _CharToGlyph(sub, None if sub.linear else sub.id_limit)
        hhea = self.get_table("hhea")
        count = struct.unpack_from(">H", hhea, 34)[0]
        if count == 0:
            raise SfntError("no horizontal metrics")
        self.hmetrics = _HMetrics(self.get_table("hmtx"), count, self.numGlyphs, self._pdfScale)
        self._advances = self.hmetrics._pairs[0 : 2 * count : 2]
        self.defaultWidth = self._pdfScale(self._advances[0])
        self.charWidths = _CharWidths(self)
        long_loca = struct.unpack_from(">h", head, 50)[0]
        if long_loca not in (0, 1):
            raise SfntError("unknown loca format")
        self.glyphPos = _Loca(self.get_table("loca"), self.numGlyphs + 1, bool(long_loca))

    def makeSubset(self, subset: list[int]) -> bytes:
        """Return reportlab's subset font for the codes ``subset``, remembered per face (a rebuild embeds
        the same subsets again)."""
        key = tuple(subset)
        made = self._subsets.get(key)
        if made is None:
            made = super().makeSubset(subset)
            if len(self._subsets) >= 256:
                self._subsets.clear()
            self._subsets[key] = made
        return made

    def advance(self, glyph: int) -> Any:
        """Return glyph ``glyph``'s advance scaled to 1/1000 em, as reportlab computes it."""
        advances = self._advances
        return self._pdfScale(advances[glyph] if glyph < len(advances) else advances[-1])

    def __getattr__(self, name: str) -> Any:
        """Give reportlab's full tables to code that asks for more than the lazy views (``glyphToChar``,
        read by reportlab's shaping): parse the font the way reportlab does, once."""
        if name != "glyphToChar" or name in self.__dict__:
            raise AttributeError(name)
        TTFontFace.extractInfo(self, 1)
        return self.__dict__[name]


class LazyFont(TTFont):  # type: ignore[misc]
    """reportlab's ``TTFont`` with a ``LazyFace`` (the same attributes ``TTFont.__init__`` sets)."""

    def __init__(self, name: str, filename: str) -> None:
        self.fontName = name
        self.face = LazyFace(filename)
        self.encoding = TTEncoding()
        self.state: WeakKeyDictionary[Any, Any] = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = False  # publish places every glyph itself; reportlab never shapes its text

    def stringWidth(self, text: str | bytes, size: float, encoding: str = "utf8") -> float:
        """Return the width of ``text`` at ``size`` (reportlab's accelerated version wants dicts).

        publish never asks, but reportlab shares one font object among all fonts registered for a face,
        so other code drawing with these files in the same process may.
        """
        chars = text.decode(encoding) if isinstance(text, bytes) else text
        get, default = self.face.charWidths.get, self.face.defaultWidth
        return 0.001 * size * float(sum(get(ord(c), default) for c in chars))
