"""Raw TrueType/OpenType (sfnt) reading: the table directory, chosen tables as bytes, names, the Unicode cmap.

Only what ``fonts.py`` and the PDF renderer's font faces need is decoded, with ``struct`` and ``array``:
no font library is imported on the build path (fontTools' import alone costs ~50 ms; it stays the tool for
preparing the fonts). Table layouts: the OpenType specification (sfnt header, ``name``, ``cmap`` formats 4
and 12, ``hmtx``, ``loca``).
"""

from __future__ import annotations

import struct
import sys
import threading
from array import array
from bisect import bisect_right
from collections.abc import Container, Iterable
from pathlib import Path

TRUETYPE = (b"\x00\x01\x00\x00", b"true")  # sfnt versions of glyf-outline fonts
WEB_FONTS = {b"wOFF": "woff", b"wOF2": "woff2"}


class SfntError(ValueError):
    """Raised when a file is not a single sfnt font or a table it needs is malformed."""


def directory(data: bytes) -> tuple[bytes, dict[str, tuple[int, int]]]:
    """Return the sfnt version and tag → (offset, length) of the font whose first bytes are ``data`` (the
    12-byte header and the table records at least); SfntError if it is not a single sfnt font."""
    if len(data) < 12:
        raise SfntError("too short for a font file")
    version = bytes(data[:4])
    if version in WEB_FONTS:
        raise SfntError(f"is a {WEB_FONTS[version]} web font")
    if version == b"ttcf":
        raise SfntError("is a font collection")
    if version not in (*TRUETYPE, b"OTTO"):
        raise SfntError("is not a TrueType or OpenType font")
    count = struct.unpack_from(">H", data, 4)[0]
    if len(data) < 12 + 16 * count:
        raise SfntError("has a truncated table directory")
    tables: dict[str, tuple[int, int]] = {}
    for i in range(count):
        tag, _, offset, length = struct.unpack_from(">4sIII", data, 12 + 16 * i)
        tables[tag.decode("latin-1")] = (offset, length)
    return version, tables


class Sfnt:
    """One font file's table directory; ``table(tag)`` returns a table's bytes (read on demand)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with path.open("rb") as handle:
            head = handle.read(12)
            count = struct.unpack_from(">H", head, 4)[0] if len(head) >= 12 else 0
            self.version, self.tables = directory(head + handle.read(16 * count))

    def __contains__(self, tag: str) -> bool:
        return tag in self.tables

    def read(self, tags: Iterable[str]) -> dict[str, bytes]:
        """Return the bytes of each of ``tags`` the font has (one open of the file for all of them)."""
        out: dict[str, bytes] = {}
        with self.path.open("rb") as handle:
            for tag in tags:
                if tag in self.tables:
                    offset, length = self.tables[tag]
                    handle.seek(offset)
                    data = handle.read(length)
                    if len(data) < length:
                        raise SfntError(f"table {tag!r} runs past the end of the file")
                    out[tag] = data
        return out


def names(data: bytes, wanted: Container[int] | None = None) -> dict[int, str]:
    """Return name ID → string of a ``name`` table (only the IDs in ``wanted``; all when None), preferring
    Windows English (US), then any Windows record, then Mac Roman. Only the chosen records are decoded."""
    count, strings = struct.unpack_from(">HH", data, 2)
    found: dict[int, tuple[int, int, int]] = {}  # name ID → (rank, offset, length)
    for i in range(count):
        platform, encoding, language, name_id, length, offset = struct.unpack_from(">6H", data, 6 + 12 * i)
        if wanted is not None and name_id not in wanted:
            continue
        if platform == 3 and encoding in (0, 1, 10):
            rank = 0 if language == 0x409 else 1
        elif platform == 1 and encoding == 0 and language == 0:
            rank = 2
        else:
            continue
        if name_id not in found or rank < found[name_id][0]:
            found[name_id] = (rank, strings + offset, length)
    return {
        name_id: data[at : at + length].decode("mac-roman" if rank == 2 else "utf-16-be", "replace")
        for name_id, (rank, at, length) in found.items()
    }


def words(data: bytes, offset: int, count: int, code: str = "H") -> array[int]:
    """Return ``count`` big-endian unsigned 16-bit (``code`` "H") or 32-bit ("I") numbers at ``offset``."""
    size = 2 if code == "H" else 4
    out = array(code, data[offset : offset + size * count])
    if len(out) < count:
        raise SfntError("a table is shorter than its counts say")
    if sys.byteorder == "little":
        out.byteswap()
    return out


class Cmap:
    """A Unicode cmap subtable (format 4 or 12) kept as sorted segments and searched by bisection.

    Nothing is expanded per character, so even a 22 000-character font opens in well under a millisecond;
    each code looked up is remembered (``get``). Format 12 segments map linearly from ``glyphs[i]``;
    format 4 segments add ``deltas[i]`` either to the code (``ranges[i]``, the idRangeOffset, is 0) or to
    the ``glyph_ids`` entry that offset points at. ``preference`` lists the (platform, encoding) subtables
    to try, best first.
    """

    PREFERENCE = ((3, 10), (0, 6), (0, 4), (3, 1), (0, 3), (0, 2), (0, 1), (0, 0))

    def __init__(self, data: bytes, preference: Iterable[tuple[int, int]] = PREFERENCE) -> None:
        count = struct.unpack_from(">H", data, 2)[0]
        offsets: dict[tuple[int, int], int] = {}
        for i in range(count):
            platform, encoding, offset = struct.unpack_from(">HHI", data, 4 + 8 * i)
            offsets[(platform, encoding)] = offset
        self._clear()
        for key in preference:
            at = offsets.get(key)
            if at is not None and self._load(data, at):
                return
        raise SfntError("no Unicode cmap subtable of format 4 or 12")

    @classmethod
    def at(cls, data: bytes, offset: int) -> Cmap:
        """Return the subtable at ``offset`` of the ``cmap`` table ``data``; SfntError if not format 4/12."""
        cmap = cls.__new__(cls)
        cmap._clear()
        if not cmap._load(data, offset):
            raise SfntError("the cmap subtable is neither format 4 nor format 12")
        return cmap

    def _clear(self) -> None:
        self.glyphs = self.deltas = self.glyph_ids = self.ranges = array("H")
        self.segments = 0
        self._memo: dict[int, int] = {}

    def _load(self, data: bytes, at: int) -> bool:
        """Read the subtable at ``at``; return False when it is of another format."""
        fmt = struct.unpack_from(">H", data, at)[0]
        if fmt == 12:
            groups = words(data, at + 16, 3 * struct.unpack_from(">I", data, at + 12)[0], "I")
            self.starts, self.ends, self.glyphs = groups[0::3], groups[1::3], groups[2::3]
            self.linear = True
            self.limit = len(data)
            return True
        if fmt == 4:
            length, segments = (
                struct.unpack_from(">H", data, at + 2)[0],
                struct.unpack_from(">H", data, at + 6)[0],
            )
            segments //= 2
            base = at + 14
            self.segments = segments
            self.ends = words(data, base, segments)
            self.starts = words(data, base + 2 * segments + 2, segments)
            self.deltas = words(data, base + 4 * segments + 2, segments)
            ranges_at = base + 6 * segments + 2
            self.ranges = words(data, ranges_at, segments)
            ids_at = ranges_at + 2 * segments
            self.glyph_ids = words(data, ids_at, (len(data) - ids_at) // 2)
            self.id_limit = max(0, (at + length - ids_at) // 2)  # entries inside the subtable itself
            self.linear = False
            return True
        return False

    def segment(self, code: int) -> int:
        """Return the index of the segment whose range holds ``code``; -1 when none does."""
        i = bisect_right(self.starts, code) - 1
        return i if i >= 0 and code <= self.ends[i] else -1

    def get(self, code: int) -> int:
        """Return the glyph id of ``code``; 0 (.notdef) if the subtable does not map it."""
        found = self._memo.get(code)
        if found is None:
            i = self.segment(code)
            found = self._memo[code] = 0 if i < 0 or code == 0xFFFF else self.glyph_in(i, code)
        return found

    def glyph_in(self, i: int, code: int, id_limit: int | None = None) -> int:
        """Return the glyph segment ``i`` gives ``code`` (0 for none); format 4 reads at most ``id_limit``
        glyphIdArray entries (all of them when None)."""
        if self.linear:
            return self.glyphs[i] + code - self.starts[i]
        offset = self.ranges[i]
        # idRangeOffset counts bytes from its own slot: as an index into glyphIdArray, i + offset/2 − count
        first = i + offset // 2 - self.segments if offset else -1
        if first < 0:
            return (code + self.deltas[i]) & 0xFFFF
        at = first + code - self.starts[i]
        limit = len(self.glyph_ids) if id_limit is None else min(id_limit, len(self.glyph_ids))
        glyph = self.glyph_ids[at] if 0 <= at < limit else 0
        return (glyph + self.deltas[i]) & 0xFFFF if glyph else 0


SHARED_CMAPS = 32  # distinct cmap tables whose parsed subtable ``unicode_cmap`` keeps
_shared: dict[bytes, Cmap] = {}
_lock = threading.Lock()


def unicode_cmap(data: bytes) -> Cmap:
    """Return the ``Cmap`` of the ``cmap`` table ``data``: one object per distinct table in the process, so
    the layout's measuring and the PDF's encoding of the same font share its remembered lookups."""
    with _lock:
        found = _shared.get(data)
    if found is None:
        found = Cmap(data)
        with _lock:
            found = _shared.setdefault(data, found)
            while len(_shared) > SHARED_CMAPS:
                del _shared[next(iter(_shared))]
    return found
