"""The store behind the caches on disk (``publish.diskcache``): entries by key, written whole, and pruned by
the first write of a process (the oldest entries beyond the limit, stale folders of other versions)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from publish.diskcache import STALE_DAYS, DiskCache


def _filled(cache: DiskCache, count: int, start: float) -> list[Path]:
    """Write ``count`` entries, each one second newer than the last from ``start``, without pruning."""
    cache.pruned = True  # filling is not the write under test
    paths = []
    for i in range(count):
        cache.write(f"k{i}", f"entry {i}".encode())
        path = cache.path(f"k{i}")
        os.utime(path, (start + i, start + i))
        paths.append(path)
    cache.pruned = False
    return paths


def test_entries_read_back_and_missing_ones_are_none(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "kind" / "v1", ".bin", 10, 5)
    assert cache.read("absent") is None
    cache.write("a", b"\x00\x01 bytes")
    assert cache.read("a") == b"\x00\x01 bytes" and cache.path("a").name == "a.bin"
    assert not list(cache.folder.glob(".*.tmp"))  # the temporary name was renamed into place


def test_the_first_write_prunes_the_oldest_entries_beyond_the_limit(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "kind" / "v1", ".bin", 20, 12)
    old = _filled(cache, 25, start=1_000_000.0)
    assert cache.read("k0") == b"entry 0"  # a read prunes nothing
    assert len(list(cache.folder.glob("*.bin"))) == 25
    cache.write("new", b"new entry")
    left = set(cache.folder.glob("*.bin"))
    assert left == {*old[-11:], cache.path("new")}  # the oldest went first
    _filled(cache, 15, start=2_000_000.0)
    cache.pruned = True  # as after the first write of this process
    cache.write("newer", b"newer entry")
    assert len(list(cache.folder.glob("*.bin"))) > 20  # this process pruned already


def test_the_first_write_removes_stale_folders_of_other_versions(tmp_path: Path) -> None:
    cache = DiskCache(tmp_path / "kind" / "v2", ".bin", 10, 5)
    stale = DiskCache(tmp_path / "kind" / "v1", ".bin", 10, 5)
    recent = DiskCache(tmp_path / "kind" / "other", ".bin", 10, 5)
    _filled(stale, 2, start=1_000_000.0)
    _filled(recent, 2, start=time.time())
    long_ago = time.time() - (STALE_DAYS + 1) * 86400
    os.utime(stale.folder, (long_ago, long_ago))
    cache.write("k", b"v")
    assert not stale.folder.exists() and recent.folder.is_dir() and cache.read("k") == b"v"


def test_an_unwritable_folder_is_no_error(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    cache = DiskCache(blocked / "kind", ".bin", 10, 5)
    cache.write("k", b"v")
    assert cache.read("k") is None
