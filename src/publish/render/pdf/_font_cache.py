"""The PDF's font programs kept on disk between builds (``publish.diskcache``): a rebuild whose fonts draw
the same glyphs neither cuts nor compresses them again (on the sample ~30 ms of a ~150 ms build).

An entry is the formatted ``FontFile2`` stream of one subset (``_embed``), keyed by a digest of the font
file's identity (resolved path, size, modification time: what ``_fonts.face`` opens a file by; for the
placeholder, its characters) and the glyph IDs, under ``FORMAT``. It is stored after a BLAKE2 digest of
itself and used only when the digest matches, so a damaged or cut entry is a miss, never a wrong font.
Off unless the command line names a folder (``use_cache``); the bytes are the same either way.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from pathlib import Path

from publish.digest import blake2b
from publish.diskcache import DiskCache

FORMAT = "1"  # the stream format (``_deflate.font_stream``, ``_subset``); a new one starts a new folder
MAX_ENTRIES = 400  # subsets kept (tens to hundreds of KiB each)
KEEP_ENTRIES = 300
DIGEST = 16
_disk: list[DiskCache] = []  # at most one: the cache ``use_cache`` set


def use_cache(root: Path | None) -> None:
    """Keep font programs in ``root`` from now on; None: keep none on disk."""
    _disk.clear()
    if root is not None:
        _disk.append(DiskCache(root / "pdf-fonts" / FORMAT, ".bin", MAX_ENTRIES, KEEP_ENTRIES))


def program(identity: Hashable, glyphs: Sequence[int], make: Callable[[], bytes]) -> bytes:
    """Return the font program stream of the glyphs ``glyphs`` of the file ``identity`` names: stored, or
    ``make()``'s (then stored)."""
    if not _disk:
        return make()
    cache = _disk[0]
    named = repr(sorted(identity)) if isinstance(identity, frozenset) else repr(identity)
    key = blake2b(f"{named}\0{list(glyphs)}".encode("utf-8", "surrogatepass")).hexdigest()[:40]
    stored = cache.read(key)
    if stored is not None and _digest(stored[DIGEST:]) == stored[:DIGEST]:
        return stored[DIGEST:]
    data = make()
    cache.write(key, _digest(data) + data)
    return data


def _digest(data: bytes) -> bytes:
    return blake2b(data, digest_size=DIGEST).digest()
