"""``publish build --watch``: call a rebuild whenever one of the watched files changes.

Polls modification times (no dependency), waits until the files have been quiet for ``settle`` seconds so that
rapid saves give one rebuild, and keeps the last good outputs when an edit has an error. It knows nothing of
the pipeline: the caller passes the files and the rebuild (``commands.run_build``).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from publish.console import Console
from publish.errors import PublishError


def _stamp(paths: Sequence[Path]) -> tuple[float, ...]:
    """Return the modification times of ``paths`` (-1 for a missing file)."""
    stamps = []
    for path in paths:
        try:
            stamps.append(path.stat().st_mtime_ns / 1e9)
        except OSError:
            stamps.append(-1.0)
    return tuple(stamps)


def watch(
    files: Sequence[Path],
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
        console.out(f"watching {', '.join(str(f) for f in files if f.exists())} (Ctrl-C to stop)")
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
