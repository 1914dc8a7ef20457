"""``publish build --watch``: call a rebuild whenever one of the watched files changes.

File events come from watchfiles (the operating system's notifications: inotify, FSEvents,
ReadDirectoryChangesW, through the Rust ``notify`` crate) rather than polling, so a save is seen within
milliseconds at no cost while idle. The folders holding the files are watched, not the files themselves:
editors that save safely write a new file and rename it over the old one (often deleting a backup too),
which a watch on the old file would lose. An event only wakes the watcher; a rebuild follows when the files'
names and modification times differ from those of the last build, so the build's own outputs, an editor's
swap files and a save that changes nothing cause none. Events are gathered until ``settle`` seconds pass
without one (watchfiles' ``step``), so rapid saves and an editor's write-rename-delete give one rebuild.

Without watchfiles (or when a test passes ``sleep``) it polls modification times instead. It knows
nothing of the pipeline: the caller passes the files and the rebuild (``commands.run_build``). The files
may be a function returning them, called again after every event, so that a watched folder's new and removed
files count.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from publish.console import Console
from publish.errors import PublishError

Files = Sequence[Path] | Callable[[], Sequence[Path]]
Stamp = tuple[tuple[str, float], ...]
SETTLE = 0.015  # seconds without a file event before rebuilding (watchfiles' step; a save is 1–2 of them)


def _listing(files: Files) -> Sequence[Path]:
    """Return the files to watch now."""
    return files() if callable(files) else files


def _stamp(files: Files) -> Stamp:
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
    settle: float = SETTLE,
    max_builds: int | None = None,
    sleep: Callable[[float], None] | None = None,
) -> int:
    """Call ``rebuild`` now and after every change of ``files`` until interrupted (or ``max_builds`` builds,
    for tests); return 0. Any error of a rebuild (a ``PublishError`` or a bug) is reported in one line and
    watching goes on; only an interrupt ends it. ``sleep`` given (tests) or watchfiles missing: poll every
    ``poll`` seconds instead of waiting for events."""
    changes = _polled(files, poll, settle, sleep or time.sleep) if sleep or not _have_events() else None
    builds = 0
    while True:
        last = _stamp(files)
        try:
            rebuild()
        except PublishError as exc:
            console.fail(f"publish: error: {exc} (keeping the last good outputs)")
        except Exception as exc:  # a bug must not end the session either: report it, keep watching
            what = f"{type(exc).__name__}: {exc}"
            console.fail(f"publish: internal error: {what} (keeping the last good outputs; please report it)")
        builds += 1
        if max_builds is not None and builds >= max_builds:
            return 0
        console.out(f"watching {', '.join(str(f) for f in _listing(files) if f.exists())} (Ctrl-C to stop)")
        if changes is None:
            changes = _events(files, settle)
        for now in changes:  # the files' stamps after each burst of events
            if now != last:
                break


def _have_events() -> bool:
    """Return whether watchfiles can be imported."""
    try:
        import watchfiles  # noqa: F401
    except ImportError:
        return False
    return True


def _folders(files: Files) -> list[Path]:
    """Return the existing folders to watch: each file's folder (a folder itself when one is listed)."""
    found: dict[Path, None] = {}
    for path in _listing(files):
        folder = path if path.is_dir() else path.parent
        while not folder.is_dir() and folder != folder.parent:  # a style file's folder may not exist yet
            folder = folder.parent
        found[folder.resolve()] = None
    return list(found)


def _events(files: Files, settle: float) -> Iterator[Stamp]:
    """Yield the stamps of ``files`` after every burst of file events in their folders (one watcher for as
    long as the folders stay the same, so events during a rebuild are kept for the next wait)."""
    import watchfiles

    while True:
        folders = _folders(files)
        step = max(1, round(settle * 1000))
        for _ in watchfiles.watch(
            *folders, watch_filter=None, step=step, debounce=max(1600, step), recursive=False
        ):
            yield _stamp(files)
            if _folders(files) != folders:
                break


def _polled(files: Files, poll: float, settle: float, sleep: Callable[[float], None]) -> Iterator[Stamp]:
    """Yield the stamps of ``files`` whenever they changed and then stayed the same for ``settle`` seconds."""
    last = _stamp(files)
    while True:
        sleep(poll)
        now = _stamp(files)
        if now == last:
            continue
        while True:
            sleep(settle)
            settled = _stamp(files)
            if settled == now:
                break
            now = settled
        last = now
        yield now
