"""Read ``booklet.toml``: an assembled booklet's cover fields, the order of its files, per-file overrides.

::

    title = "2024年青年干部培训班交流发言汇编"     # cover fields, as in the editable source's front matter
    organisation = "市委组织部"
    date = 2024-06-28                             # a TOML date prints as 2024年6月28日

    [[file]]                                      # optional: the order of the files, one table each
    name = "10-赵六.docx"                          # a file of the folder (relative to this file)
    title = "在青年干部座谈会上的发言"              # optional overrides for that file's speech
    speaker = "赵六"
    date = 2024-06-20

Every key is checked: an unknown one is an error naming it and the allowed ones, with its line. Whether the
named files exist is checked by ``collection``, which knows the folder.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from publish.errors import ParseError, SourceError

__all__ = ["COVER_KEYS", "FILE_KEYS", "FileEntry", "Manifest", "load_manifest"]

COVER_KEYS = ("title", "subtitle", "organisation", "date")
FILE_KEYS = ("name", "title", "speaker", "date")


@dataclass(frozen=True)
class FileEntry:
    """One ``[[file]]`` table: the file's name and its overrides ("" = keep what the file says)."""

    name: str
    line: int
    title: str = ""
    speaker: str = ""
    date: str = ""


@dataclass(frozen=True)
class Manifest:
    """A parsed manifest; ``cover`` holds only the fields it sets; ``files`` empty means no order given."""

    path: Path
    cover: dict[str, str]
    files: tuple[FileEntry, ...]

    @property
    def folder(self) -> Path:
        """Return the folder the file names are relative to."""
        return self.path.parent


def load_manifest(path: Path) -> Manifest:
    """Read ``path``; raise ``SourceError`` if unreadable, ``ParseError`` (with the line) if malformed."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(f"cannot read the manifest: {exc}", path) from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        raise ParseError(f"bad manifest: {exc}", path, int(found.group(1)) if found else 0) from None
    lines = text.split("\n")
    cover: dict[str, str] = {}
    files: tuple[FileEntry, ...] = ()
    for key, value in data.items():
        if key == "file":
            files = _files(value, path, lines)
        elif key in COVER_KEYS:
            cover[key] = _string(value, key, path, _line(lines, key))
        else:
            allowed = ", ".join((*COVER_KEYS, "[[file]]"))
            raise ParseError(f"unknown manifest key {key!r}; allowed: {allowed}", path, _line(lines, key))
    return Manifest(path, cover, files)


def _files(value: object, path: Path, lines: list[str]) -> tuple[FileEntry, ...]:
    starts = [n for n, line in enumerate(lines, 1) if re.match(r"\s*\[\[\s*file\s*\]\]", line)]
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise ParseError("file must be a list of [[file]] tables", path, _line(lines, "file"))
    entries: list[FileEntry] = []
    seen: set[str] = set()
    for index, table in enumerate(value):
        line = starts[index] if index < len(starts) else 0
        fields: dict[str, str] = {}
        for key, item in table.items():
            where = _line(lines, key, line)
            if key not in FILE_KEYS:
                allowed = ", ".join(FILE_KEYS)
                raise ParseError(f"unknown key {key!r} in [[file]]; allowed: {allowed}", path, where)
            fields[key] = _string(item, f"file.{key}", path, where)
        name = fields.pop("name", "")
        if not name:
            raise ParseError('[[file]] without name = "…"', path, line)
        if name in seen:
            raise ParseError(f"file {name!r} is listed twice", path, line)
        seen.add(name)
        entries.append(FileEntry(name, line, **fields))
    return tuple(entries)


def _string(value: object, key: str, path: Path, line: int) -> str:
    """Return a string value; a TOML date becomes 2024年6月28日 (GB/T 9704 §7.3.5: Arabic, unpadded)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return f"{value.year}年{value.month}月{value.day}日"
    if not isinstance(value, str):
        raise ParseError(f"manifest key {key!r} must be a string", path, line)
    return value.strip()


def _line(lines: list[str], key: str, start: int = 0) -> int:
    """Return the 1-based line where ``key = …`` is first set at or after ``start``; 0 when not found."""
    for number in range(max(start, 1), len(lines) + 1):
        if re.match(rf"\s*{re.escape(key)}\s*=", lines[number - 1]):
            return number
    return 0
