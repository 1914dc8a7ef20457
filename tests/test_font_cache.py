"""The PDF's font streams on disk (``render.pdf._font_cache``): a second build takes them from there, a
damaged or foreign entry is a miss, and the PDF is byte for byte the same with the cache empty, filled or
off."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from publish.render.pdf import _font_cache

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "booklet.md"
FONT = (Path("/fonts/FandolFang-Regular.ttf"), 5682648, 1_700_000_000_000_000_000)


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    saved = list(_font_cache._disk)
    _font_cache.use_cache(tmp_path)
    yield tmp_path
    _font_cache._disk[:] = saved


def _entries(root: Path) -> list[Path]:
    return sorted(root.glob("pdf-fonts/*/*.bin"))


def test_stored_streams_are_used_and_a_damaged_entry_is_not(disk: Path) -> None:
    made: list[int] = []

    def make() -> tuple[bytes, bytes]:
        made.append(1)
        return b"<< /Length 5 >>\nstream\nglyph\nendstream", b"<< /Length 4 >>\nstream\ncmap\nendstream"

    first = _font_cache.streams(FONT, [0, 3, 17], "\0一丁", make)
    assert _font_cache.streams(FONT, [0, 3, 17], "\0一丁", make) == first and len(made) == 1
    (entry,) = _entries(disk)
    data = entry.read_bytes()
    long = data[:4] + (len(data)).to_bytes(8, "big") + data[12:]  # a program length past the end
    for damaged in (data[:-1] + bytes([data[-1] ^ 1]), data[:-1], data[:10], b"", long):
        entry.write_bytes(damaged)
        assert _font_cache.streams(FONT, [0, 3, 17], "\0一丁", make) == first  # made again, stored again
    assert len(made) == 6 and entry.read_bytes() == data


def test_another_file_glyph_set_or_character_is_another_entry(disk: Path) -> None:
    def make(tag: bytes) -> tuple[bytes, bytes]:
        return b"program " + tag, b"cmap " + tag

    assert _font_cache.streams(FONT, [0, 3], "\0一", lambda: make(b"a")) == (b"program a", b"cmap a")
    newer = (FONT[0], FONT[1], FONT[2] + 1)  # the file was replaced: a new modification time
    assert _font_cache.streams(newer, [0, 3], "\0一", lambda: make(b"b")) == (b"program b", b"cmap b")
    assert _font_cache.streams(FONT, [0, 3, 4], "\0一丁", lambda: make(b"c"))[0] == b"program c"
    # the same glyphs copying out as another character (two characters sharing a glyph)
    assert _font_cache.streams(FONT, [0, 3], "\0\u2f00", lambda: make(b"e"))[1] == b"cmap e"
    placeholder = frozenset("\U000f0001\U000f0002")
    assert _font_cache.streams(placeholder, [0, 1], "\0\U000f0001", lambda: make(b"d"))[0] == b"program d"
    assert len(_entries(disk)) == 5


def test_without_a_folder_nothing_is_stored(tmp_path: Path) -> None:
    saved = list(_font_cache._disk)
    _font_cache.use_cache(None)
    try:
        assert _font_cache.streams(FONT, [0], "\0", lambda: (b"x", b"y")) == (b"x", b"y")
        assert not _entries(tmp_path)
    finally:
        _font_cache._disk[:] = saved


def test_builds_give_the_same_pdf_with_the_cache_empty_filled_or_off(tmp_path: Path) -> None:
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache"), "SOURCE_DATE_EPOCH": "0"}
    outputs = []
    for name, extra in (("empty", {}), ("filled", {}), ("off", {"PUBLISH_NO_CACHE": "1"})):
        out = tmp_path / name
        command = ["build", str(SAMPLE), "-o", str(out), "-q", "--format", "pdf"]
        subprocess.run([sys.executable, "-m", "publish", *command], env={**env, **extra}, check=False)
        outputs.append((out / "booklet.pdf").read_bytes())
        if name == "empty":
            stored = _entries(tmp_path / "cache" / "publish")
            assert len(stored) >= 5  # one per embedded font file
    assert outputs[0] == outputs[1] == outputs[2]
    assert _entries(tmp_path / "cache" / "publish") == stored  # the filled build wrote nothing new
