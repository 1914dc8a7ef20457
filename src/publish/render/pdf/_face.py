"""One TrueType font as the PDF embeds it: glyph IDs by character, advances, descriptor values, subsets.

Everything is read from the raw tables of the mapped file (``sfnt.py``; no font library on the build path).
Characters map to glyphs through the cmap subtable the layout measured with (``sfnt.Cmap``'s preference),
so the PDF draws the glyphs whose advances the plan's positions were computed from; NBSP falls back to the
space's glyph, as reportlab's fonts did. The FontDescriptor values (``Metrics``) are computed as reportlab's
``TTFontFace.extractInfo`` computes them, so the descriptors are what reportlab wrote before
(``tests/test_render_pdf_fonts.py`` compares them).
"""

from __future__ import annotations

import mmap
import struct
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from publish.render.pdf import _subset
from publish.sfnt import SfntError, directory, names, unicode_cmap, words

SUBSETS = 8  # subsets remembered per face: a warm rebuild embeds the same glyphs again
_SYMBOLIC, _ITALIC, _FORCE_BOLD, _FIXED = 1 << 2, 1 << 6, 1 << 18, 1  # FontDescriptor flags, §9.8.2
_NAME_REJECTS = set(" [](){}<>/%")
_NAME_IDS = frozenset({1, 4, 6})  # what the font is named by: PostScript name, else full name, else family


@dataclass(frozen=True)
class Metrics:
    """A font's FontDescriptor values in 1/1000 em (``name``: its PostScript name)."""

    name: str
    ascent: float
    descent: float
    cap_height: float
    bbox: tuple[float, float, float, float]
    flags: int
    stem_v: int
    italic_angle: float


class _Tables:
    """Tag → the table's bytes; ``glyf()``: the glyph data as a view into the mapped file, not a copy."""

    def __init__(self, data: bytes | mmap.mmap) -> None:
        self._data = data
        _, self.directory = directory(data[: 12 + 16 * struct.unpack_from(">H", data, 4)[0]])
        self._read: dict[str, bytes] = {}

    def __contains__(self, tag: object) -> bool:
        return tag in self.directory

    def _span(self, tag: str) -> tuple[int, int]:
        offset, length = self.directory[tag]
        if offset + length > len(self._data):
            raise SfntError(f"table {tag!r} runs past the end of the file")
        return offset, offset + length

    def __getitem__(self, tag: str) -> bytes:
        found = self._read.get(tag)
        if found is None:
            start, end = self._span(tag)
            found = self._read[tag] = self._data[start:end]
        return found

    def glyf(self) -> memoryview:
        """Return the ``glyf`` table as a view."""
        start, end = self._span("glyf")
        return memoryview(self._data)[start:end]


class Face:
    """One font file's glyphs, advances and descriptor values; raises SfntError (or struct.error) when a
    table it needs is missing or malformed."""

    def __init__(self, data: bytes | mmap.mmap, fallback_name: str) -> None:
        self.tables = tables = _Tables(data)
        head, hhea = tables["head"], tables["hhea"]
        self.units_per_em: int = struct.unpack_from(">H", head, 18)[0]
        metric_count = struct.unpack_from(">H", hhea, 34)[0]
        if metric_count == 0 or self.units_per_em == 0:
            raise SfntError("no horizontal metrics")
        self._advances = words(tables["hmtx"], 0, 2 * metric_count)[0::2]
        self._cmap = unicode_cmap(bytes(tables["cmap"]))
        self._subsets: OrderedDict[tuple[int, ...], bytes] = OrderedDict()
        self.metrics = _metrics(tables, self._scale, fallback_name)

    @classmethod
    def open(cls, path: Path) -> Face:
        """Return the face of the font file at ``path`` (mapped, not read: a subset touches a few hundred
        of its glyphs). The bundled fonts are read-only data: a file truncated in place while a render reads
        it would fault, as it would for any program mapping it."""
        with path.open("rb") as handle:
            data: bytes | mmap.mmap
            try:
                data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            except (ValueError, OSError):  # empty, or a file that cannot be mapped
                data = handle.read()
        return cls(data, path.stem)

    def _scale(self, units: int) -> float:
        return units * 1000 / self.units_per_em

    def glyph(self, char: str) -> int:
        """Return the glyph ID drawing ``char``; 0 (.notdef) when the font does not map it."""
        found = self._cmap.get(ord(char))  # remembered there, and shared with the layout (``sfnt``)
        if not found and char == "\u00a0":
            return self._cmap.get(0x20)
        return found

    def width(self, glyph: int) -> float:
        """Return the advance of ``glyph`` in 1/1000 em (past ``numberOfHMetrics``: the last one)."""
        advances = self._advances
        return self._scale(advances[glyph] if glyph < len(advances) else advances[-1])

    def subset(self, glyphs: Iterable[int]) -> bytes:
        """Return the glyph-ID-keeping TrueType subset of ``glyphs`` (``_subset``), remembered."""
        key = tuple(sorted(set(glyphs)))
        made = self._subsets.get(key)
        if made is None:
            made = self._subsets[key] = _subset.subset(self.tables, key)
            while len(self._subsets) > SUBSETS:
                self._subsets.popitem(last=False)
        return made


def _metrics(tables: _Tables, scale: Callable[[int], float], fallback_name: str) -> Metrics:
    """Return the descriptor values as reportlab's ``extractInfo`` computes them (OS/2 typo metrics,
    capHeight from OS/2 version 2, stemV from the weight class, flags symbolic, italic, bold, fixed)."""
    head = tables["head"]
    box = struct.unpack_from(">4h", head, 36)
    bbox = (scale(box[0]), scale(box[1]), scale(box[2]), scale(box[3]))
    if "OS/2" in tables:
        os2 = tables["OS/2"]
        version, weight = struct.unpack_from(">HxxH", os2, 0)
        typo_ascender, typo_descender = struct.unpack_from(">hh", os2, 68)
        ascent, descent = scale(typo_ascender), scale(typo_descender)
        cap_height = scale(struct.unpack_from(">h", os2, 88)[0]) if version > 1 else ascent
    else:  # Apple fonts need no OS/2 table
        weight, ascent, descent = 500, bbox[3], bbox[1]
        cap_height = ascent
    post = tables["post"]
    whole, fraction = struct.unpack_from(">hH", post, 4)
    italic_angle = whole + fraction / 65536.0
    fixed = struct.unpack_from(">I", post, 12)[0]
    flags = _SYMBOLIC | (_ITALIC if italic_angle else 0) | (_FORCE_BOLD if weight >= 600 else 0)
    flags |= _FIXED if fixed else 0
    found = names(bytes(tables["name"]), _NAME_IDS) if "name" in tables else {}
    raw = found.get(6) or found.get(4) or found.get(1) or fallback_name
    name = "".join(c for c in raw.replace(" ", "-") if 32 < ord(c) < 127 and c not in _NAME_REJECTS)
    return Metrics(
        name or "Font",
        ascent,
        descent,
        cap_height,
        bbox,
        flags,
        50 + int((weight / 65.0) ** 2),
        italic_angle,
    )
