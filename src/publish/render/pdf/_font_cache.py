"""The PDF's font streams kept on disk between builds (``publish.diskcache``): a rebuild whose fonts draw
the same glyphs as the same characters neither cuts, maps nor compresses them again (on the sample ~30 ms of
a ~150 ms build).

An entry holds the two formatted streams of one embedded font (``_embed``): the ``FontFile2`` program of its
subset and its ToUnicode CMap, keyed by a digest of the font file's identity (resolved path, size,
modification time: what ``_fonts.face`` opens a file by; for the placeholder, its characters), the glyph IDs
and the character each copies out as, under ``FORMAT``. It is stored after a CRC-32 of itself and the
program's length, and used only when both agree, so a damaged or cut entry is a miss, never a wrong font
(CRC-32 catches every error burst up to 32 bits and all but one in 2³² of the others; BLAKE2 before cost
0.5 ms per sample build for the same check). Off unless the command line names a folder (``use_cache``);
the bytes are the same either way.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable, Hashable, Sequence
from pathlib import Path

from publish.digest import blake2b
from publish.diskcache import DiskCache

FORMAT = "2"  # the entry format (and ``_deflate.font_stream``, ``_subset``); a new one starts a new folder
MAX_ENTRIES = 400  # fonts kept (tens to hundreds of KiB each)
KEEP_ENTRIES = 300
_HEAD = struct.Struct(">IQ")  # CRC-32 of the rest, the program's length
_disk: list[DiskCache] = []  # at most one: the cache ``use_cache`` set

Streams = tuple[bytes, bytes]  # the font program's stream, the ToUnicode CMap's stream


def use_cache(root: Path | None) -> None:
    """Keep font streams in ``root`` from now on; None: keep none on disk."""
    _disk.clear()
    if root is not None:
        _disk.append(DiskCache(root / "pdf-fonts" / FORMAT, ".bin", MAX_ENTRIES, KEEP_ENTRIES))


def streams(identity: Hashable, glyphs: Sequence[int], chars: str, make: Callable[[], Streams]) -> Streams:
    """Return the font program and ToUnicode streams of the glyphs ``glyphs`` of the file ``identity``
    names, copying out as ``chars`` (one character per glyph, in order): stored, or ``make()``'s (then
    stored)."""
    if not _disk:
        return make()
    cache = _disk[0]
    named = repr(sorted(identity)) if isinstance(identity, frozenset) else repr(identity)
    key = blake2b(f"{named}\0{list(glyphs)}\0{chars}".encode("utf-8", "surrogatepass")).hexdigest()[:40]
    stored = cache.read(key)
    if stored is not None and len(stored) >= _HEAD.size:
        check, length = _HEAD.unpack_from(stored)
        view = memoryview(stored)[_HEAD.size :]
        if zlib.crc32(view) == check and length <= len(view):
            return bytes(view[:length]), bytes(view[length:])
    program, cmap = made = make()
    body = program + cmap
    cache.write(key, _HEAD.pack(zlib.crc32(body), len(program)) + body)
    return made
