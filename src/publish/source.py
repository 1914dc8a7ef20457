"""Read an input file and decode it: UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030/GBK.

The first stage of the pipeline. It refuses, with one line naming the file and the reason, anything
that is not text: a missing path, a directory or other non-regular file (``/dev/zero``, a FIFO), a file
over ``MAX_BYTES``, an empty file, a binary file, or bytes no supported encoding accepts. Line ends become
``\\n``; nothing else about the text changes (cleaning is the next stage's job).
"""

from __future__ import annotations

import codecs
import stat
from dataclasses import dataclass
from pathlib import Path

from publish.errors import SourceError

__all__ = ["MAX_BYTES", "SourceText", "check_file", "decode", "read_bytes", "read_source"]

# The largest input read: a booklet of 1,000 speeches is about 10 MB of text, so 50 MiB is far beyond any real
# collection, yet small enough that a mistaken path (a disk image, a log) is refused before memory runs out.
MAX_BYTES = 50 * 2**20

# Control characters that never occur in text files; tab, LF, VT, FF, CR and ESC are tolerated.
_BINARY_CONTROLS = frozenset(bytes(range(0x00, 0x09)) + bytes(range(0x0E, 0x1B)) + bytes(range(0x1C, 0x20)))
# A UTF-8 prefix with this many non-ASCII characters before a bad byte is a damaged UTF-8 file, not GB18030.
_UTF8_EVIDENCE = 4


@dataclass(frozen=True)
class SourceText:
    """Decoded text of one input file with LF line ends; ``encoding`` names the codec that was used."""

    path: str
    text: str
    encoding: str


def read_source(path: str | Path) -> SourceText:
    """Read and decode ``path``; raise ``SourceError`` if it is missing, not a regular file, larger than
    ``MAX_BYTES``, empty, binary or undecodable."""
    name = str(path)
    text, encoding = decode(read_bytes(path), name)
    return SourceText(name, text, encoding)


def check_file(path: str | Path) -> None:
    """Raise ``SourceError`` unless ``path`` is a regular file of at most ``MAX_BYTES`` (any input's check:
    a device, a FIFO or a disk image is refused before it is opened)."""
    name = str(path)
    try:
        info = Path(path).stat()
    except FileNotFoundError:
        raise SourceError("no such file", name) from None
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}", name) from None
    if stat.S_ISDIR(info.st_mode):
        raise SourceError("is a directory, not a text file", name)
    if not stat.S_ISREG(info.st_mode):  # /dev/zero, a FIFO, a socket: reading might never end
        raise SourceError("not a regular file; give a text file", name)
    if info.st_size > MAX_BYTES:
        raise SourceError(_too_large(info.st_size), name)


def read_bytes(path: str | Path) -> bytes:
    """Return the bytes of ``path`` after ``check_file``; at most ``MAX_BYTES`` are read, even from a file
    that grows meanwhile."""
    check_file(path)
    try:
        with Path(path).open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}", str(path)) from None
    if len(data) > MAX_BYTES:
        raise SourceError(_too_large(len(data)), str(path))
    return data


def _too_large(size: int) -> str:
    return f"file too large ({size / 2**20:.1f} MiB; the limit is {MAX_BYTES // 2**20} MiB)"


def decode(data: bytes, path: str = "<bytes>") -> tuple[str, str]:
    """Decode ``data`` and normalise line ends; return the text and the encoding used."""
    text, encoding = _decode(data, path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise SourceError("file is empty or contains only whitespace", path)
    return text, encoding


def _decode(data: bytes, path: str) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data, "utf-8-sig", path), "utf-8-sig"
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return _strict(data[len(bom) :], codec, path, skip=len(bom)), codec
    _refuse_binary(data, path)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        prefix = data[: utf8_error.start].decode("utf-8")
        if sum(1 for char in prefix if ord(char) > 0x7F) >= _UTF8_EVIDENCE:
            offset = utf8_error.start
            raise _undecodable(offset, _line_of(data, offset), "UTF-8", path, data[offset]) from None
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as gb_error:
        offset = gb_error.start
        raise _undecodable(offset, _line_of(data, offset), "UTF-8 or GB18030", path, data[offset]) from None


def _strict(data: bytes, codec: str, path: str, skip: int = 0) -> str:
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        line = data[: error.start].decode(codec, "replace").count("\n") + 1
        raise _undecodable(error.start + skip, line, codec.upper(), path, data[error.start]) from None
    if "\x00" in text:
        offset = text.index("\x00")
        line = text.count("\n", 0, offset) + 1
        raise SourceError(f"binary file (NUL character at character {offset})", path, line)
    return text


def _refuse_binary(data: bytes, path: str) -> None:
    """Raise when ``data`` holds NUL bytes or many control bytes: it is not a text file we can read."""
    nul = data.find(b"\x00")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        raise SourceError(f"binary file (NUL byte at byte offset {nul}); expected plain text", path, line)
    sample = data[:8192]
    controls = sum(1 for byte in sample if byte in _BINARY_CONTROLS)
    if controls > max(8, len(sample) // 100):
        message = f"binary file ({controls} control bytes in the first {len(sample)}); expected plain text"
        raise SourceError(message, path)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _undecodable(offset: int, line: int, tried: str, path: str, byte: int | None = None) -> SourceError:
    what = f"byte 0x{byte:02x}" if byte is not None else "bytes"
    message = f"cannot decode {what} at byte offset {offset} (line {line}) as {tried}; save the file as UTF-8"
    return SourceError(message, path, line)
