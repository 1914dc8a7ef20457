"""``publish build --watch``: rebuild when the source or its style file changes.

Polls modification times (no dependency), waits until a file has been quiet for ``settle`` seconds so that
rapid saves give one rebuild, and keeps the last good outputs when an edit has an error.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from publish.errors import PublishError
from publish.pipeline import STYLE_FILE, BuildOptions

if TYPE_CHECKING:
    from publish.cli import Console


def _stamp(paths: list[Path]) -> tuple[float, ...]:
    """Return the modification times of ``paths`` (-1 for a missing file)."""
    stamps = []
    for path in paths:
        try:
            stamps.append(path.stat().st_mtime_ns / 1e9)
        except OSError:
            stamps.append(-1.0)
    return tuple(stamps)


def watched_files(source: Path, options: BuildOptions) -> list[Path]:
    """Return the files whose change triggers a rebuild: the source and its style file."""
    return [source, options.style if options.style is not None else source.parent / STYLE_FILE]


def watch(
    source: Path,
    options: BuildOptions,
    console: Console,
    *,
    poll: float = 0.25,
    settle: float = 0.3,
    max_builds: int | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Build now and after every change until interrupted (or ``max_builds`` builds, for tests); return 0."""
    from publish.commands import build_once

    files = watched_files(source, options)
    builds = 0
    last = _stamp(files)
    while True:
        try:
            build_once(source, options, console)
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
