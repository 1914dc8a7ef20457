"""Bytes a build derives and a later build may reuse, kept on disk by key: one folder per kind and version.

Users of it: the titles' word segmentation (``layout.word_cache``) and the PDF's compressed font programs
(``render.pdf._font_cache``). The store only saves time: each user checks what it reads (a missing,
unreadable or damaged entry is a miss) and a folder that cannot be written is no error. Each entry is one
file written under a temporary name and renamed into place, so builds running at the same time never read
half an entry (two writers of one key write the same bytes). Deleting a folder is always safe.

The store stays small: the first write of a process (a build that derived something new) prunes it,
removing sibling folders (another version of the data or of what derives it) that no write has touched for
``STALE_DAYS``, and, when this folder holds more than ``max_entries``, the oldest written entries down to
``keep_entries``. A build that finds everything writes nothing and prunes nothing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from pathlib import Path

STALE_DAYS = 30  # days without a write after which a sibling folder goes


class DiskCache:
    """The entries of one folder (``folder`` need not exist yet); keys are file-name-safe strings."""

    def __init__(self, folder: Path, suffix: str, max_entries: int, keep_entries: int) -> None:
        self.folder = folder
        self.suffix = suffix
        self.max_entries = max_entries
        self.keep_entries = keep_entries
        self.pruned = False

    def path(self, key: str) -> Path:
        """Return the file of ``key``."""
        return self.folder / f"{key}{self.suffix}"

    def read(self, key: str) -> bytes | None:
        """Return the bytes stored for ``key``; None when there are none (or they cannot be read)."""
        try:
            return self.path(key).read_bytes()
        except OSError:
            return None

    def write(self, key: str, data: bytes) -> None:
        """Store ``data`` for ``key`` (best effort: an unwritable folder stores nothing), pruning first
        once per process."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".", suffix=".tmp")
        except OSError:
            return
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, self.path(key))
        except OSError:
            Path(temporary).unlink(missing_ok=True)
        if not self.pruned:
            self.pruned = True
            self.prune()

    def prune(self) -> None:
        """Remove stale sibling folders and this folder's oldest entries beyond ``max_entries`` (best effort:
        what cannot be removed stays)."""
        now = time.time()
        try:
            siblings = [p for p in self.folder.parent.iterdir() if p.is_dir() and p != self.folder]
            for folder in siblings:
                if now - folder.stat().st_mtime > STALE_DAYS * 86400:
                    shutil.rmtree(folder, ignore_errors=True)
            with os.scandir(self.folder) as found:
                entries = [(e.stat().st_mtime_ns, e.path) for e in found if e.name.endswith(self.suffix)]
        except OSError:
            return
        if len(entries) > self.max_entries:
            for _, path in sorted(entries)[: len(entries) - self.keep_entries]:
                with contextlib.suppress(OSError):
                    os.unlink(path)
