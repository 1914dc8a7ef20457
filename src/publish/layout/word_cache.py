"""Segmentation results kept on disk between runs, so that a build whose titles were segmented before does not
load the segmenter's dictionary (about 0.15 s CPU, the largest single cost of a small booklet's cold build).

The cache only saves time: an entry holds the (word, tag) pairs rjieba gave for one text, keyed by a hash of
the text under a fingerprint of the installed rjieba (its files' names, sizes and modification times: the
dictionary is compiled into the extension, so a new or reinstalled copy starts a new folder). An entry is
used only when its words put together give the text back; a missing, unreadable, foreign or damaged entry is
a miss, and a folder that cannot be written is no error. Each entry is one small file written under a
temporary name and renamed into place, so builds running at the same time never read half an entry (two
writers of one key write the same bytes). Deleting the folder is always safe.

The cache stays small: the first write of a process (a build with new titles) prunes it, removing the folders
of other segmenter builds or entry formats that no write has touched for ``STALE_DAYS``, and, when this
folder holds more than ``MAX_ENTRIES`` entries (each a few hundred bytes, a disk block on most file systems),
the oldest written ones down to ``KEEP_ENTRIES``. A rebuild whose titles are all cached writes nothing and
prunes nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

FORMAT = "1"  # the entry format below; a new one starts a new folder
MAX_ENTRIES = 5000  # entries in one folder before the oldest go (~20 MB of 4 KiB blocks at most)
KEEP_ENTRIES = 4000  # what pruning leaves
STALE_DAYS = 30  # days without a write after which another build's or format's folder goes
Tagged = list[tuple[str, str]]


class WordCache:
    """The entries of one segmenter build under ``root`` (``root`` need not exist yet)."""

    def __init__(self, root: Path, fingerprint: str) -> None:
        self.folder = root / "words" / f"{FORMAT}-{fingerprint}"
        self.pruned = False

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
        if not self.pruned:
            self.pruned = True
            self.prune()

    def prune(self) -> None:
        """Remove stale sibling folders and this folder's oldest entries beyond ``MAX_ENTRIES`` (best effort:
        what cannot be removed stays)."""
        now = time.time()
        try:
            siblings = [p for p in self.folder.parent.iterdir() if p.is_dir() and p != self.folder]
            for folder in siblings:
                if now - folder.stat().st_mtime > STALE_DAYS * 86400:
                    shutil.rmtree(folder, ignore_errors=True)
            with os.scandir(self.folder) as found:
                entries = [(e.stat().st_mtime_ns, e.path) for e in found if e.name.endswith(".txt")]
        except OSError:
            return
        if len(entries) > MAX_ENTRIES:
            for _, path in sorted(entries)[: len(entries) - KEEP_ENTRIES]:
                with contextlib.suppress(OSError):
                    os.unlink(path)


def fingerprint(package: Path) -> str:
    """Return a short fingerprint of the files directly in the folder ``package`` (names, sizes, times)."""
    entries = []
    for path in sorted(package.iterdir()):
        if path.is_file():
            stat = path.stat()
            entries.append(f"{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(entries).encode("utf-8", "surrogateescape")).hexdigest()[:16]
