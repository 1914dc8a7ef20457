"""Segmentation results kept on disk between runs, so that a build whose titles were segmented before does not
load the segmenter's dictionary (about 0.15 s CPU, the largest single cost of a small booklet's cold build).

The cache only saves time: an entry holds the (word, tag) pairs rjieba gave for one text, keyed by a hash of
the text under a fingerprint of the installed rjieba (its files' names, sizes and modification times: the
dictionary is compiled into the extension, so a new or reinstalled copy starts a new folder). An entry is
used only when its words put together give the text back; a missing, unreadable, foreign or damaged entry is
a miss, and a folder that cannot be written is no error. Each entry is one small file written under a
temporary name and renamed into place, so builds running at the same time never read half an entry (two
writers of one key write the same bytes). Old fingerprints' folders are left in place (a few hundred bytes a
title); deleting the folder is always safe.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

FORMAT = "1"  # the entry format below; a new one starts a new folder
Tagged = list[tuple[str, str]]


class WordCache:
    """The entries of one segmenter build under ``root`` (``root`` need not exist yet)."""

    def __init__(self, root: Path, fingerprint: str) -> None:
        self.folder = root / "words" / f"{FORMAT}-{fingerprint}"

    def _path(self, text: str) -> Path:
        return self.folder / (hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:40] + ".txt")

    def get(self, text: str) -> Tagged | None:
        """Return the stored (word, tag) pairs of ``text``; None when there is no usable entry."""
        try:
            data = self._path(text).read_text(encoding="utf-8")
        except (OSError, UnicodeError):
            return None
        tagged: Tagged = []
        for line in data.split("\n")[:-1] if data.endswith("\n") else ():
            word, tab, tag = line.partition("\t")
            if not tab or not word or not tag.isascii() or not tag.isalpha():
                return None
            tagged.append((word, tag))
        return tagged if "".join(w for w, _ in tagged) == text else None

    def put(self, text: str, tagged: Sequence[tuple[str, str]]) -> None:
        """Store the pairs of ``text`` (best effort: a text the format cannot hold or an unwritable folder
        stores nothing)."""
        if "\n" in text or "\t" in text or "".join(w for w, _ in tagged) != text:
            return
        if any(not w or not t.isascii() or not t.isalpha() for w, t in tagged):
            return
        data = "".join(f"{word}\t{tag}\n" for word, tag in tagged).encode("utf-8", "surrogatepass")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, self._path(text))
        except OSError:
            Path(temporary).unlink(missing_ok=True)


def fingerprint(package: Path) -> str:
    """Return a short fingerprint of the files directly in the folder ``package`` (names, sizes, times)."""
    entries = []
    for path in sorted(package.iterdir()):
        if path.is_file():
            stat = path.stat()
            entries.append(f"{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(entries).encode("utf-8", "surrogateescape")).hexdigest()[:16]
