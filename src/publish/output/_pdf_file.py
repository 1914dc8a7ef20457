"""The check both PDF consumers (imposition, previews) make before handing a file to a PDF library."""

from __future__ import annotations

from pathlib import Path

from publish.errors import SourceError


def require_pdf(path: Path) -> None:
    """Raise SourceError, saying why, unless ``path`` is a readable file that starts like a PDF."""
    if not path.exists():
        raise SourceError("no such file", path)
    if path.is_dir():
        raise SourceError("is a directory, not a PDF", path)
    try:
        with path.open("rb") as handle:
            head = handle.read(1024)
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}", path) from exc
    if not head.lstrip().startswith(b"%PDF-"):
        raise SourceError("not a PDF (no %PDF- header)", path)
