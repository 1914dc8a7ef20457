"""Write output files atomically: each to a temporary file in its target folder, all renamed at the end.

A failed or interrupted build therefore never leaves a half-written file, nor a new PDF beside an old DOCX,
where the last good outputs were.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from publish.errors import RenderError


class Outputs:
    """Stage files with ``write``; on a clean exit of the ``with`` block rename them all into place."""

    def __init__(self) -> None:
        self._pending: list[tuple[Path, Path]] = []

    def reserve(self, target: Path) -> Path:
        """Create and return a temporary file beside ``target``; it is renamed onto ``target`` at the end."""
        folder = target.parent
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
        try:
            if kind is None:
                # refuse before renaming anything: a target we cannot replace leaves every old file as it was
                for _, target in self._pending:
                    if target.is_dir():
                        raise RenderError(f"{target}: is a directory; cannot replace it with the output")
                for temp, target in self._pending:
                    os.chmod(temp, 0o644)
                    os.replace(temp, target)
        except OSError as exc:
            raise RenderError(f"cannot move output into place: {exc.strerror or exc}") from None
        finally:
            for temp, _ in self._pending:
                with contextlib.suppress(OSError):
                    temp.unlink()


def writing(writer: Callable[[Path], object], temp: Path, target: Path) -> Callable[[], None]:
    """Return a job that calls ``writer(temp)`` and reports an OSError as a RenderError naming ``target``."""

    def job() -> None:
        try:
            writer(temp)
        except OSError as exc:
            raise RenderError(f"{target}: cannot write: {exc.strerror or exc}") from None

    return job
