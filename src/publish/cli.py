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


def _parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """Return the command line's parser. When ``argv`` names a command, only that command's arguments are
    declared: declaring all of them took ~10 ms of a build's start (argparse formats and translates each
    argument's help as it is added), and only ``publish --help`` or a mistyped command lists them all."""
    parser = argparse.ArgumentParser(
        prog="publish", description="Chinese speeches → GB/T 9704 booklet (PDF, DOCX)"
    )
    parser.add_argument("--version", action="version", version=f"publish {__version__}")
    parser.add_argument("--debug", action="store_true", help="show a traceback on errors")
    sub = parser.add_subparsers(dest="command", required=True)
    named = _named(sys.argv[1:] if argv is None else argv)
    for name, (text, declare) in COMMANDS.items():
        if named in (None, name):
            declare(sub.add_parser(name, help=text))
    return parser


def _named(argv: Sequence[str]) -> str | None:
    """Return the command ``argv`` names (its first word that is not an option), None when it names none."""
    word = next((arg for arg in argv if not arg.startswith("-")), None)
    return word if word in COMMANDS else None


def _declare_build(parser: argparse.ArgumentParser) -> None:
    """``publish build``'s arguments."""
    parser.add_argument(
        "source",
        nargs="*",
        type=Path,
        help="files (.txt, .md, .docx, .pdf) and folders of them; one booklet (default: the sample)",
    )
    parser.add_argument(
        "-o", "--out-dir", type=Path, default=Path("build"), help="output folder (default: build)"
    )
    parser.add_argument("--format", default="pdf,docx", help="comma-separated: pdf,docx (default: both)")
    parser.add_argument(
        "--docx-fonts",
        choices=("standard", "portable"),
        default="standard",
        help="standard: name the 公文 product fonts; portable: bundled fonts, embedded",
    )
    parser.add_argument(
        "--docx-for",
        choices=("word", "libreoffice"),
        default="word",
        help="word: the DOCX as ECMA-376 says (Word, WPS); libreoffice: the values its import needs",
    )
    parser.add_argument("--style", type=Path, help="TOML style file merged over the GB/T 9704 defaults")
    parser.add_argument(
        "--name", default="", help="output file name without suffix (default: from the source)"
    )
    _manifest(parser)
    _to_simplified(parser)
    parser.add_argument("--recto", action="store_true", help="start the 目录 and every speech on an odd page")
    parser.add_argument("--watch", action="store_true", help="rebuild whenever the source or style changes")
    parser.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1)")
    _verbosity(parser)


def _declare_import(parser: argparse.ArgumentParser) -> None:
    """``publish import``'s arguments."""
    parser.add_argument("raw", nargs="+", type=Path, help="raw text, .docx, .pdf files and folders of them")
    _manifest(parser)
    _to_simplified(parser)
    parser.add_argument("-o", "--output", type=Path, help="source file to write (default: stdout)")
    parser.add_argument("--force", action="store_true", help="replace an existing output file")
    _verbosity(parser)


def _declare_clean(parser: argparse.ArgumentParser) -> None:
    """``publish clean``'s arguments."""
    parser.add_argument("file", type=Path)
    parser.add_argument("--report", action="store_true", help="list every removal and replacement")
    _to_simplified(parser)
    _verbosity(parser)


def _declare_check(parser: argparse.ArgumentParser) -> None:
    """``publish check``'s arguments."""
    parser.add_argument("source", nargs="*", type=Path)
    _manifest(parser)
    parser.add_argument("--style", type=Path)
    _verbosity(parser)


def _declare_fonts(parser: argparse.ArgumentParser) -> None:
    """``publish fonts``'s arguments."""
    parser.add_argument("--style", type=Path)
    parser.add_argument("--json", action="store_true", help="print the chains and faces as JSON")
    _verbosity(parser)


def _declare_impose(parser: argparse.ArgumentParser) -> None:
    """``publish impose``'s arguments."""
    parser.add_argument("pdf", type=Path)
    parser.add_argument("-o", "--output", type=Path, required=True)
    _verbosity(parser)


def _declare_preview(parser: argparse.ArgumentParser) -> None:
    """``publish preview``'s arguments."""
    parser.add_argument("pdf", nargs="?", type=Path, default=Path("build/booklet.pdf"))
    parser.add_argument("-o", "--out-dir", type=Path, default=Path("build/preview"))
    parser.add_argument("--pages", default="1,2,3", help="comma-separated page numbers (physical, 1-based)")
    parser.add_argument(
        "--dpi", type=_dpi, default=60, help=f"resolution, {DPI[0]} to {DPI[1]} (default: 60)"
    )
    _verbosity(parser)


def _declare_serve(parser: argparse.ArgumentParser) -> None:
    """``publish serve``'s arguments."""
    parser.add_argument(
        "inputs", nargs="*", type=Path, help="text files, editable sources or folders to open"
    )
    parser.add_argument(
        "--port", type=int, help="port (default: 8765, or a free one when it is taken; 0: any)"
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1 only)")
    parser.add_argument("-o", "--out-dir", type=Path, help="where 保存 writes (default: the inputs' folder)")
    parser.add_argument("--no-browser", action="store_true", help="do not open the browser")
    _verbosity(parser)


COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None]]] = {
    "build": ("build the booklet PDF and DOCX", _declare_build),
    "import": ("turn raw text into the editable source", _declare_import),
    "clean": ("show the cleaned text, or with --report what cleaning changed", _declare_clean),
    "check": ("lint a source: placeholders, punctuation, headings, missing glyphs", _declare_check),
    "fonts": ("list the bundled fonts per role and the face of each character class", _declare_fonts),
    "impose": ("saddle-stitch imposition: A4 pages two-up on A3 sheets", _declare_impose),
    "preview": ("PNG images of pages and a contact sheet", _declare_preview),
    "serve": ("a local web page to make the booklet (opens the browser)", _declare_serve),
}


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
    parser = _parser(argv)
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
