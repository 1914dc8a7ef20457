"""Command line: argparse, and the one place that turns an error into its exit status and a one-line message.

The subcommands live in ``commands``; the streams, statuses and the error → status table in ``console``.
argparse's own output (help, usage errors, ``--version``) goes to the streams ``main`` is given.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import TextIO

from publish import __version__, commands
from publish.console import Console, ExitStatus, exit_status
from publish.errors import PublishError

__all__ = ["ExitStatus", "main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="publish", description="Chinese speeches → GB/T 9704 booklet (PDF, DOCX)"
    )
    parser.add_argument("--version", action="version", version=f"publish {__version__}")
    parser.add_argument("--debug", action="store_true", help="show a traceback on errors")
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="build the booklet PDF and DOCX")
    build.add_argument(
        "source",
        nargs="*",
        type=Path,
        help="files (.txt, .md, .docx, .pdf) and folders of them; one booklet (default: the sample)",
    )
    build.add_argument(
        "-o", "--out-dir", type=Path, default=Path("build"), help="output folder (default: build)"
    )
    build.add_argument("--format", default="pdf,docx", help="comma-separated: pdf,docx (default: both)")
    build.add_argument(
        "--docx-fonts",
        choices=("standard", "portable"),
        default="standard",
        help="standard: name the 公文 product fonts; portable: bundled fonts, embedded",
    )
    build.add_argument(
        "--docx-for",
        choices=("word", "libreoffice"),
        default="word",
        help="word: the DOCX as ECMA-376 says (Word, WPS); libreoffice: the values its import needs",
    )
    build.add_argument("--style", type=Path, help="TOML style file merged over the GB/T 9704 defaults")
    build.add_argument(
        "--name", default="", help="output file name without suffix (default: from the source)"
    )
    _manifest(build)
    _to_simplified(build)
    build.add_argument("--recto", action="store_true", help="start the 目录 and every speech on an odd page")
    build.add_argument("--watch", action="store_true", help="rebuild whenever the source or style changes")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1)")
    _verbosity(build)

    imp = sub.add_parser("import", help="turn raw text into the editable source")
    imp.add_argument("raw", nargs="+", type=Path, help="raw text, .docx, .pdf files and folders of them")
    _manifest(imp)
    _to_simplified(imp)
    imp.add_argument("-o", "--output", type=Path, help="source file to write (default: stdout)")
    imp.add_argument("--force", action="store_true", help="replace an existing output file")
    _verbosity(imp)

    cln = sub.add_parser("clean", help="show the cleaned text, or with --report what cleaning changed")
    cln.add_argument("file", type=Path)
    cln.add_argument("--report", action="store_true", help="list every removal and replacement")
    _to_simplified(cln)
    _verbosity(cln)

    chk = sub.add_parser("check", help="lint a source: placeholders, punctuation, headings, missing glyphs")
    chk.add_argument("source", nargs="*", type=Path)
    _manifest(chk)
    chk.add_argument("--style", type=Path)
    _verbosity(chk)

    fnt = sub.add_parser("fonts", help="list the bundled fonts per role and the face of each character class")
    fnt.add_argument("--style", type=Path)
    fnt.add_argument("--json", action="store_true", help="print the chains and faces as JSON")
    _verbosity(fnt)

    imposer = sub.add_parser("impose", help="saddle-stitch imposition: A4 pages two-up on A3 sheets")
    imposer.add_argument("pdf", type=Path)
    imposer.add_argument("-o", "--output", type=Path, required=True)
    _verbosity(imposer)

    prev = sub.add_parser("preview", help="PNG images of pages and a contact sheet")
    prev.add_argument("pdf", nargs="?", type=Path, default=Path("build/booklet.pdf"))
    prev.add_argument("-o", "--out-dir", type=Path, default=Path("build/preview"))
    prev.add_argument("--pages", default="1,2,3", help="comma-separated page numbers (physical, 1-based)")
    prev.add_argument("--dpi", type=_dpi, default=60, help=f"resolution, {DPI[0]} to {DPI[1]} (default: 60)")
    _verbosity(prev)

    srv = sub.add_parser("serve", help="a local web page to make the booklet (opens the browser)")
    srv.add_argument("inputs", nargs="*", type=Path, help="text files, editable sources or folders to open")
    srv.add_argument("--port", type=int, help="port (default: 8765, or a free one when it is taken; 0: any)")
    srv.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1 only)")
    srv.add_argument("-o", "--out-dir", type=Path, help="where 保存 writes (default: the inputs' folder)")
    srv.add_argument("--no-browser", action="store_true", help="do not open the browser")
    _verbosity(srv)
    return parser


def _to_simplified(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--to-simplified",
        action="store_true",
        help="convert traditional script (繁体) to simplified (OpenCC)",
    )


def _manifest(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--manifest",
        type=Path,
        help="booklet.toml with the cover, file order and overrides (default: the folder's)",
    )


DPI = (10, 600)  # preview resolutions: 600 dpi is already a 5000 × 7000 pixel A4 page


def _dpi(text: str) -> int:
    """Return ``text`` as a preview resolution; argparse reports the ValueError as a usage error (exit 2)."""
    value = int(text)
    if not DPI[0] <= value <= DPI[1]:
        raise argparse.ArgumentTypeError(f"{value} is out of range ({DPI[0]} to {DPI[1]})")
    return value


def _verbosity(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show a traceback on errors"
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument("-v", "--verbose", action="count", default=0)
    group.add_argument("-q", "--quiet", action="store_true")


class Interrupted(KeyboardInterrupt):
    """Raised in place of SIGTERM or SIGHUP, so they end a build as Ctrl-C does: temporary files removed,
    ``interrupted`` in one line, exit status 130."""


@contextlib.contextmanager
def _signals_interrupt() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into ``Interrupted`` while the command runs (main thread, POSIX)."""
    names = [name for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(number: int, frame: object) -> None:
        raise Interrupted(signal.Signals(number).name)

    previous = {name: signal.signal(getattr(signal, name), interrupt) for name in names}
    try:
        yield
    finally:
        for name, handler in previous.items():
            signal.signal(getattr(signal, name), handler)


def _tolerant(stream: TextIO) -> TextIO:
    """Return ``stream`` set to replace what its encoding cannot take (a cp936 console and 𠀀): a character
    the console cannot show must not end the command."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        with contextlib.suppress(ValueError, OSError):
            reconfigure(errors="replace")
    return stream


def main(
    argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line and return the exit status (130 when interrupted, however early)."""
    with _signals_interrupt():
        try:
            return _main(argv, stdout, stderr)
        except KeyboardInterrupt:  # while the parser is built or the arguments are read
            print("publish: interrupted", file=stderr or sys.stderr)
            return ExitStatus.INTERRUPTED


def _main(argv: Sequence[str] | None, stdout: TextIO | None, stderr: TextIO | None) -> int:
    stdout = stdout or _tolerant(sys.stdout)
    stderr = stderr or _tolerant(sys.stderr)
    parser = _parser()
    try:  # argparse writes to sys.stdout/sys.stderr itself: point those at the given streams meanwhile
        with redirect_stdout(stdout), redirect_stderr(stderr):
            args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits for --help, --version and usage errors
        return int(exc.code or 0)
    console = Console(stdout, stderr, -1 if getattr(args, "quiet", False) else getattr(args, "verbose", 0))
    handler: Callable[[argparse.Namespace, Console], int] = getattr(commands, f"run_{args.command}")
    try:
        return handler(args, console)
    except PublishError as exc:
        if args.debug:
            _traceback(stderr)
        console.fail(f"publish: error: {exc}")
        return exit_status(exc)
    except KeyboardInterrupt:
        console.err("publish: interrupted")
        return ExitStatus.INTERRUPTED
    except BrokenPipeError:  # output piped into a program that stopped reading (`publish fonts | head`)
        if stdout is sys.stdout:  # keep the interpreter's final flush from raising again
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return ExitStatus.OK
    except Exception as exc:  # a bug: one line without --debug, the traceback with it
        if args.debug:
            _traceback(stderr)
        console.fail(f"publish: internal error: {type(exc).__name__}: {exc} (run with --debug and report it)")
        return ExitStatus.INTERNAL


def _traceback(stderr: TextIO) -> None:
    """Print the traceback of the exception being handled (--debug); the module is loaded only then."""
    import traceback

    traceback.print_exc(file=stderr)
