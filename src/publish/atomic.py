"""Write output files atomically: each to a temporary file in its target folder, all renamed at the end.

A failed or interrupted build therefore never leaves a half-written file, nor a new PDF beside an old DOCX,
where the last good outputs were:

- every target is checked before any is renamed (a folder in the way, a folder we cannot write, another
  user's file in a sticky folder such as /tmp);
- the renames run with the output folders locked (``flock`` on the folder itself, POSIX), so two builds into
  one folder at once end with the pair of one of them, never a PDF of one and a DOCX of the other;
- a rename that fails all the same puts back the files already replaced (from hard links made first);
- SIGINT, SIGTERM and SIGHUP are held while temporary files are created, renamed or removed, so a signal
  arrives after the cleanup, never in the middle of it: no ``.NAME.*.part`` file outlives the build;
- an input is never a target (``protect``): ``impose a.pdf -o a.pdf`` is refused before anything is written.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from types import TracebackType

from publish.errors import RenderError, UsageError

HELD = frozenset(  # the signals ``held_signals`` defers
    number for number in (getattr(signal, name, None) for name in ("SIGINT", "SIGTERM", "SIGHUP")) if number
)
LOCK_WAIT = 30.0  # seconds a build waits for another build's renames into the same folder


@contextlib.contextmanager
def held_signals() -> Iterator[None]:
    """Defer SIGINT, SIGTERM and SIGHUP until the block has run (POSIX; elsewhere the block just runs)."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


class Outputs:
    """Stage files with ``write``; on a clean exit of the ``with`` block rename them all into place.

    ``protect`` lists input files: reserving one of them as a target is a UsageError.
    """

    def __init__(self, protect: Iterable[Path] = ()) -> None:
        self._pending: list[tuple[Path, Path]] = []
        self._protect = tuple(protect)

    def reserve(self, target: Path) -> Path:
        """Create and return a temporary file beside ``target``; it is renamed onto ``target`` at the end."""
        for source in self._protect:
            if _same_file(source, target):
                raise UsageError(f"{target}: is an input of this command; choose another output")
        folder = target.parent
        with held_signals():
            try:
                folder.mkdir(parents=True, exist_ok=True)
                handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
            except OSError as exc:
                raise RenderError(f"{folder}: cannot write here: {exc.strerror or exc}") from None
            os.close(handle)
            temp = Path(name)
            self._pending.append((temp, target))
        return temp

    def write(self, target: Path, writer: Callable[[Path], object]) -> None:
        """Call ``writer`` with a reserved temporary path for ``target`` (see ``writing``)."""
        writing(writer, self.reserve(target), target)()

    def __enter__(self) -> Outputs:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        with held_signals():
            try:
                if kind is None:
                    for _, target in self._pending:
                        _check_replaceable(target)
                    with _locked(sorted({target.parent for _, target in self._pending})):
                        _replace_all(self._pending)
            finally:
                for temp, _ in self._pending:
                    with contextlib.suppress(OSError):
                        temp.unlink()


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def _check_replaceable(target: Path) -> None:
    """Raise RenderError when renaming onto ``target`` would fail, before any output is renamed."""
    folder = target.parent
    if target.is_dir():
        raise RenderError(f"{target}: is a directory; cannot replace it with the output")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise RenderError(f"{folder}: cannot write here: permission denied")
    try:
        owner, folder_info = target.lstat().st_uid, folder.stat()
    except OSError:
        return  # no file to replace
    uid = os.geteuid() if hasattr(os, "geteuid") else 0
    sticky = bool(folder_info.st_mode & stat.S_ISVTX)
    if sticky and uid not in (0, owner, folder_info.st_uid):
        raise RenderError(f"{target}: belongs to another user in a sticky folder; cannot replace it")


@contextlib.contextmanager
def _locked(folders: list[Path]) -> Iterator[None]:
    """Hold an exclusive lock on each folder (sorted, so two builds cannot deadlock); no-op without fcntl."""
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks on folders
        yield
        return
    handles: list[int] = []
    try:
        for folder in folders:
            try:
                handle = os.open(folder, os.O_RDONLY)
            except OSError:
                continue  # a folder we cannot open cannot be locked; the renames are still checked
            handles.append(handle)
            deadline = time.monotonic() + LOCK_WAIT
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise RenderError(f"{folder}: another build keeps it locked; try again") from None
                    time.sleep(0.02)
        yield
    finally:
        for handle in handles:
            os.close(handle)  # closing releases the lock


def _replace_all(pending: list[tuple[Path, Path]]) -> None:
    """Rename every temporary file onto its target; if one rename fails, put back the ones done."""
    done: list[tuple[Path, Path | None]] = []  # target, hard link to its previous file (None: there was none)
    try:
        for temp, target in pending:
            backup = _keep(target)
            done.append((target, backup))
            os.chmod(temp, 0o644)
            os.replace(temp, target)
    except OSError as exc:
        for target, backup in reversed(done[:-1] if done else []):
            with contextlib.suppress(OSError):
                if backup is not None:
                    os.replace(backup, target)
                else:
                    target.unlink()
        raise RenderError(f"cannot move output into place: {exc.strerror or exc}") from None
    finally:
        for _, backup in done:
            if backup is not None:
                with contextlib.suppress(OSError):
                    backup.unlink()


def _keep(target: Path) -> Path | None:
    """Return a new hard link to ``target``'s current file, to restore it from; None if there is none."""
    if not target.exists():
        return None
    name = tempfile.mktemp(prefix=f".{target.name}.", suffix=".old.part", dir=target.parent)
    try:
        os.link(target, name)
    except OSError:
        return None  # no hard links here: the checks before renaming must do
    return Path(name)


def writing(writer: Callable[[Path], object], temp: Path, target: Path) -> Callable[[], None]:
    """Return a job that calls ``writer(temp)`` and reports an OSError as a RenderError naming ``target``."""

    def job() -> None:
        try:
            writer(temp)
        except OSError as exc:
            raise RenderError(f"{target}: cannot write: {exc.strerror or exc}") from None

    return job
