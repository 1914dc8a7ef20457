"""A placeholder font for the characters no font covers, so the PDF keeps them in its text layer.

The layout keeps such a character in one empty cell (a run with font ``""``). Painting nothing there would
drop it from the PDF's text: copying the line out reads a gap, though the character is in the source and the
DOCX. So each render that has such characters builds a tiny TrueType font with one em-wide box glyph per
character, mapped from exactly those characters (one glyph each: a CID-keyed font's code is its glyph ID,
and each code needs its own ToUnicode entry); ``_fonts`` embeds it like any other font, so a reader sees a
box and copies out the original character.

The font is written table by table (``head``, ``hhea``, ``maxp``, ``hmtx``, ``loca``, ``glyf``, a format 12
``cmap``, ``name``, ``post``; layouts from the OpenType specification) rather than with fontTools'
``FontBuilder``, whose import alone costs ~100 ms of a build. It is made from the sorted characters only
(zero ``head`` dates), so the same source gives the same bytes.
"""

from __future__ import annotations

import struct

from publish.digest import hexdigest
from publish.render.pdf._subset import font_bytes

UNITS = 1000  # units per em; the box glyph is one em wide, like the cell the layout gave the character
FAMILY = "PublishPlaceholder"
_TOP, _BOTTOM, _STROKE = 800, -80, 60


def font_key(chars: frozenset[str]) -> str:
    """Return a short digest of ``chars``: the placeholder font's name within the process."""
    text = "".join(sorted(chars)).encode("utf-8", "surrogatepass")
    return hexdigest(text, 6)


def _box(inset: int) -> bytes:
    """Return the ``glyf`` data of an em-wide box with a hole, ``inset`` from both sides."""
    left, right = inset, UNITS - inset
    outer = [(left, _BOTTOM), (right, _BOTTOM), (right, _TOP), (left, _TOP)]
    hole = [(left + _STROKE, _BOTTOM + _STROKE), (left + _STROKE, _TOP - _STROKE)]
    hole += [(right - _STROKE, _TOP - _STROKE), (right - _STROKE, _BOTTOM + _STROKE)]  # the other way round
    points = outer + hole
    xs = [x - previous for (x, _), (previous, _) in zip(points, [(0, 0), *points[:-1]], strict=True)]
    ys = [y - previous for (_, y), (_, previous) in zip(points, [(0, 0), *points[:-1]], strict=True)]
    head = struct.pack(">hhhhhHHH", 2, left, _BOTTOM, right, _TOP, 3, 7, 0)  # two contours, no instructions
    return head + bytes([1] * 8) + struct.pack(">8h", *xs) + struct.pack(">8h", *ys)  # on-curve, word deltas


def _name(psname: str) -> bytes:
    """Return a ``name`` table with family, style, full and PostScript names (Windows, English)."""
    strings = [(1, FAMILY), (2, "Regular"), (4, f"{FAMILY} Regular"), (6, psname)]
    data = [text.encode("utf-16-be") for _, text in strings]
    records, offset = b"", 0
    for (name_id, _), raw in zip(strings, data, strict=True):
        records += struct.pack(">6H", 3, 1, 0x409, name_id, len(raw), offset)
        offset += len(raw)
    return struct.pack(">3H", 0, len(strings), 6 + len(records)) + records + b"".join(data)


def _cmap(points: list[int]) -> bytes:
    """Return a ``cmap`` with one (3, 10) format 12 subtable mapping ``points[i]`` to glyph i + 1."""
    groups = b"".join(struct.pack(">3I", point, point, i + 1) for i, point in enumerate(points))
    subtable = struct.pack(">HHIII", 12, 0, 16 + len(groups), 0, len(points)) + groups
    return struct.pack(">HHHHI", 0, 1, 3, 10, 12) + subtable


def build(chars: frozenset[str]) -> bytes:
    """Return the TrueType bytes of the placeholder font for ``chars``."""
    points = sorted(ord(char) for char in chars if not 0xD800 <= ord(char) <= 0xDFFF)
    count = len(points) + 1  # .notdef first
    glyphs = [_box(150)] + [_box(100)] * len(points)
    offsets = [0]
    for glyph in glyphs:
        offsets.append(offsets[-1] + len(glyph))
    # version, revision, checksum adjustment, magic, flags, units per em, created, modified; the box's
    # bounds; macStyle, smallest readable size, direction hint, long loca offsets, glyph data format
    head = (0x10000, 0x10000, 0, 0x5F0F3CF5, 0b11, UNITS, 0, 0, 100, _BOTTOM, 900, _TOP, 0, 8, 2, 1, 0)
    tables = {
        "head": struct.pack(">IIIIHHqqhhhhHHhhh", *head),
        "hhea": struct.pack(
            ">IhhhHhhhhhhhhhhhH", 0x10000, 880, -120, 0, UNITS, 100, 100, 900, 1, 0, 0, 0, 0, 0, 0, 0, count
        ),
        "maxp": struct.pack(">IHHHHHHHHHHHHHH", 0x10000, count, 8, 2, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0),
        "hmtx": struct.pack(f">{2 * count}H", UNITS, 150, *[UNITS, 100] * len(points)),
        "loca": struct.pack(f">{count + 1}I", *offsets),
        "glyf": b"".join(glyphs),
        "cmap": _cmap(points),
        "name": _name(f"{FAMILY}-{font_key(chars)}"),
        "post": struct.pack(">IIhhI16x", 0x30000, 0, -100, 50, 0),
    }
    return font_bytes(tables)
