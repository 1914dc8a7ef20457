"""Reading: encodings, line ends, and one-line refusals that name the file and the reason."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from publish.errors import SourceError
from publish.source import MAX_BYTES, SourceText, decode, read_source

TEXT = "残联党务干部培训班\r\n第一，对这次学习培训的几点感悟\r正文。\n"
NORMALISED = "残联党务干部培训班\n第一，对这次学习培训的几点感悟\n正文。\n"


def write(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "in.txt"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"), "utf-16-le"),
        (codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"), "utf-16-be"),
        (TEXT.encode("gb18030"), "gb18030"),
        (TEXT.encode("gbk"), "gb18030"),
        (b"plain ASCII\n", "utf-8"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be", "gb18030", "gbk", "ascii"],
)
def test_encodings_and_line_ends(tmp_path: Path, data: bytes, encoding: str) -> None:
    src = read_source(write(tmp_path, data))
    expected = NORMALISED if encoding != "utf-8" or data.startswith("残".encode()) else "plain ASCII\n"
    assert src == SourceText(str(tmp_path / "in.txt"), expected, encoding)


def test_full_width_indents_are_kept_for_cleaning() -> None:
    assert decode("\u3000\u3000正文。\r\n".encode("gb18030"))[0] == "\u3000\u3000正文。\n"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b" \r\n\t\n", "whitespace"),
        ("\u3000\n".encode(), "whitespace"),
        (codecs.BOM_UTF8, "empty"),
        (b"%PDF-1.7\n\x00\x01\x02binary", "NUL byte at byte offset 9"),
        (bytes(range(1, 9)) * 20, "control bytes"),
    ],
    ids=["empty", "whitespace", "ideographic-space", "bom-only", "nul", "controls"],
)
def test_refusals(tmp_path: Path, data: bytes, reason: str) -> None:
    path = write(tmp_path, data)
    with pytest.raises(SourceError, match=reason) as caught:
        read_source(path)
    message = str(caught.value)
    assert message.startswith(str(path)) and "\n" not in message


def test_missing_path_and_directory(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        read_source(tmp_path / "absent.txt")
    with pytest.raises(SourceError, match="directory"):
        read_source(tmp_path)


def test_damaged_utf8_reports_byte_offset_and_line(tmp_path: Path) -> None:
    good = "第一行正文。\n第二行正文。\n".encode()
    path = write(tmp_path, good + b"\xff\xfe tail\n")
    with pytest.raises(SourceError) as caught:
        read_source(path)
    error = caught.value
    assert error.location.line == 3
    assert f"byte offset {len(good)}" in str(error) and "(line 3)" in str(error) and "UTF-8" in str(error)


def test_undecodable_as_anything(tmp_path: Path) -> None:
    path = write(tmp_path, b"abc\ndef\x80\n")
    with pytest.raises(SourceError, match=r"byte 0x80 at byte offset 7 \(line 2\) as UTF-8 or GB18030"):
        read_source(path)


def test_broken_utf16(tmp_path: Path) -> None:
    data = codecs.BOM_UTF16_LE + "正文\n".encode("utf-16-le") + b"\x00\xd8"  # a lone high surrogate
    with pytest.raises(SourceError, match="UTF-16-LE"):
        read_source(write(tmp_path, data))


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_device_is_refused_without_reading_it() -> None:
    # /dev/zero never ends: reading it would run until memory is exhausted
    with pytest.raises(SourceError, match="not a regular file"):
        read_source("/dev/zero")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(SourceError, match="not a regular file"):
        read_source(fifo)  # opening a FIFO with no writer would block for ever


def test_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: no disk space is used
        handle.write("正文。\n".encode())
        handle.truncate(MAX_BYTES + 1)
    with pytest.raises(SourceError, match=r"file too large \(50\.0 MiB; the limit is 50 MiB\)") as caught:
        read_source(path)
    assert str(caught.value).startswith(str(path))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize("name", ["pipe.txt", "pipe.pdf", "pipe.docx"])
def test_every_reader_refuses_a_fifo_without_blocking(tmp_path: Path, name: str) -> None:
    import subprocess
    import sys

    fifo = tmp_path / name
    os.mkfifo(fifo)
    command = [sys.executable, "-m", "publish", "build", str(fifo), "-o", str(tmp_path / "out")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 3 and f"{fifo}: not a regular file" in done.stderr, done.stderr
