"""``publish build --watch``: call a rebuild whenever one of the watched files changes.

Polls modification times (no dependency), waits until the files have been quiet for ``settle`` seconds so that
rapid saves give one rebuild, and keeps the last good outputs when an edit has an error. It knows nothing of
the pipeline: the caller passes the files and the rebuild (``commands.run_build``). The files may be a
function returning them, called at every poll, so that a watched folder's new and removed files count.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from publish.console import Console
from publish.errors import PublishError

Files = Sequence[Path] | Callable[[], Sequence[Path]]


def _listing(files: Files) -> Sequence[Path]:
    """Return the files to watch now."""
    return files() if callable(files) else files


def _stamp(files: Files) -> tuple[tuple[str, float], ...]:
    """Return the names and modification times of ``files`` (-1 for a missing file)."""
    stamps = []
    for path in _listing(files):
        try:
            stamps.append((str(path), path.stat().st_mtime_ns / 1e9))
        except OSError:
            stamps.append((str(path), -1.0))
    return tuple(stamps)


def watch(
    files: Files,
    rebuild: Callable[[], object],
    console: Console,
    *,
    poll: float = 0.25,
    settle: float = 0.3,
    max_builds: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Call ``rebuild`` now and after every change of ``files`` until interrupted (or ``max_builds`` builds,
    for tests); return 0. A ``PublishError`` from a rebuild is reported and watching goes on."""
    builds = 0
    last = _stamp(files)
    while True:
        try:
            rebuild()
        except PublishError as exc:
            console.err(f"publish: error: {exc} (keeping the last good outputs)")
        builds += 1
        if max_builds is not None and builds >= max_builds:
            return 0
        console.out(f"watching {', '.join(str(f) for f in _listing(files) if f.exists())} (Ctrl-C to stop)")
        while True:  # wait for a change, then for the files to be quiet
            sleep(poll)
            now = _stamp(files)
            if now != last:
                while True:
                    sleep(settle)
                    settled = _stamp(files)
                    if settled == now:
                        break
                    now = settled
                last = now
                break
