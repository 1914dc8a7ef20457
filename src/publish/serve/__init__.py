"""``publish serve``: a local web page to make the booklet without a terminal.

The page (``static/``: one HTML file, a script and a style sheet, no build step, nothing fetched from the
network) adds inputs by drag-and-drop, a file picker or pasted text; shows the cleaning report, where a click
keeps a removed piece; shows the recognised structure for corrections; has the cover and style form; shows the
real PDF pages as previews after every change; lists the findings linked to their place; and downloads or
saves the PDF, the DOCX, the imposed PDF and the editable source. The server binds 127.0.0.1 and guards
every request (``security.py``).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from publish.collection import expand
from publish.errors import PublishError
from publish.pipeline import STYLE_FILE
from publish.serve import messages
from publish.serve.server import LOOPBACK, Running, is_loopback, open_browser, prepare
from publish.serve.session import Session, SessionError

__all__ = ["input_files", "serve"]

Say = Callable[[str], None]
DEFAULT_PORT = 8765


def serve(
    paths: Sequence[Path],
    *,
    host: str = LOOPBACK,
    port: int | None = None,
    browser: bool = True,
    out_dir: Path | None = None,
    out: Say = print,
    err: Say = print,
) -> int:
    """Serve the page until Ctrl-C; return 0, or 1 when an input cannot be opened or the port is taken.

    ``port`` None means DEFAULT_PORT, or any free port when that one is in use (a second page, say).
    """
    try:
        files = input_files(paths)
    except SessionError as exc:
        err(f"publish serve: error: {exc}")
        return 1
    folder = files[0].parent if files else Path.cwd()
    style = folder / STYLE_FILE if (folder / STYLE_FILE).is_file() else None
    with tempfile.TemporaryDirectory(prefix="publish-serve-") as work:
        try:
            session = Session(Path(work), out_dir or folder, opened=tuple(files), base_style=style)
            if paths:
                session.open_files(paths)
        except (PublishError, SessionError) as exc:
            err(f"publish serve: error: {exc}")
            return 1
        try:
            running = _listen(session, host, port)
        except OSError as exc:
            err(f"publish serve: error: cannot listen on {host}:{port}: {exc.strerror or exc} (try --port)")
            return 1
        if not is_loopback(host):
            err(
                f"publish serve: warning: listening on {host}: "
                "anyone who can reach it and has the address can use it"
            )
        out(f"publish serve: {running.url}")
        out(f"saving into {session.out_dir}; press Ctrl-C to stop")
        if browser:
            open_browser(running.url)
        running.run()
    return 0


def _listen(session: Session, host: str, port: int | None) -> Running:
    """Bind ``port``; for None the default port, else (it is taken) any free one."""
    if port is not None:
        return prepare(session, host, port)
    try:
        return prepare(session, host, DEFAULT_PORT)
    except OSError:
        return prepare(session, host, 0)


def input_files(paths: Sequence[Path]) -> list[Path]:
    """Return the files ``paths`` name, a folder's as ``publish build`` takes them (``collection.expand``:
    natural order, no hidden or temporary files); raise SessionError for a missing path or refused format."""
    try:
        files, _, _ = expand(paths)
    except PublishError as exc:
        raise SessionError(messages.error_text(exc)) from None
    return files
