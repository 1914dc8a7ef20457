"""Command line: argparse, the only place that prints diagnostics and maps errors to exit codes."""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from enum import IntEnum
from pathlib import Path
from typing import TextIO

from publish import __version__
from publish.errors import (
    Diagnostics,
    FontError,
    LayoutError,
    ParseError,
    PublishError,
    RenderError,
    SourceError,
    SpecError,
)


class ExitStatus(IntEnum):
    """Every exit code ``publish`` returns."""

    OK = 0
    FINDINGS = 1  # check found something, or --strict met a warning
    USAGE = 2  # bad command line (argparse's own code)
    SOURCE = 3  # input missing, unreadable or undecodable; bad front matter
    STYLE = 4  # bad style file
    FONT = 5  # a font is missing or unusable
    OUTPUT = 6  # an output could not be written
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT, as shells report it)
    INTERNAL = 70  # a bug: please report it with --debug output


ERROR_STATUS: tuple[tuple[type[PublishError], ExitStatus], ...] = (
    (SourceError, ExitStatus.SOURCE),
    (ParseError, ExitStatus.SOURCE),
    (SpecError, ExitStatus.STYLE),
    (LayoutError, ExitStatus.STYLE),  # the spec leaves no room to set text
    (FontError, ExitStatus.FONT),
    (RenderError, ExitStatus.OUTPUT),
)

REPO = Path(__file__).resolve().parents[2]


def default_source() -> Path:
    """Return the bundled sample: content/booklet.md of the checkout, else the installed copy."""
    import sysconfig

    for candidate in (
        REPO / "content" / "booklet.md",
        Path(sysconfig.get_path("data")) / "share" / "publish" / "content" / "booklet.md",
    ):
        if candidate.is_file():
            return candidate
    return REPO / "content" / "booklet.md"


class Console:
    """The two output streams and the verbosity."""

    def __init__(self, stdout: TextIO, stderr: TextIO, verbosity: int = 0) -> None:
        self.stdout, self.stderr, self.verbosity = stdout, stderr, verbosity

    def out(self, text: str) -> None:
        """Print a result line (suppressed by -q)."""
        if self.verbosity >= 0:
            print(text, file=self.stdout)

    def log(self, text: str) -> None:
        """Print a stage log line (only with -v)."""
        if self.verbosity > 0:
            print(text, file=self.stderr)

    def err(self, text: str) -> None:
        """Print an error or warning line (always)."""
        print(text, file=self.stderr)

    def diagnostics(self, diagnostics: Diagnostics, limit: int | None = None) -> None:
        """Print the findings one a line: all with -v or without ``limit``, else ``limit``; -q: a count."""
        items = diagnostics.items
        if self.verbosity < 0:
            if items:
                self.err(f"publish: {len(items)} finding(s); run without -q to list them")
            return
        shown = items if limit is None or self.verbosity > 0 else items[:limit]
        for item in shown:
            self.err(str(item))
        if len(shown) < len(items):
            self.err(f"… and {len(items) - len(shown)} more (run with -v or `publish check` to list all)")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="publish", description="Chinese speeches → GB/T 9704 booklet (PDF, DOCX)"
    )
    parser.add_argument("--version", action="version", version=f"publish {__version__}")
    parser.add_argument("--debug", action="store_true", help="show a traceback on errors")
    sub = parser.add_subparsers(dest="command", required=True)

    build = sub.add_parser("build", help="build the booklet PDF and DOCX")
    build.add_argument(
        "source", nargs="?", type=Path, help="raw text or editable source (default: the sample)"
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
    build.add_argument("--style", type=Path, help="TOML style file merged over the GB/T 9704 defaults")
    build.add_argument("--recto", action="store_true", help="start every speech on an odd page")
    build.add_argument("--watch", action="store_true", help="rebuild whenever the source or style changes")
    build.add_argument("--strict", action="store_true", help="treat warnings as errors (exit 1)")
    _verbosity(build)

    imp = sub.add_parser("import", help="turn raw text into the editable source")
    imp.add_argument("raw", type=Path)
    imp.add_argument("-o", "--output", type=Path, help="source file to write (default: stdout)")
    _verbosity(imp)

    cln = sub.add_parser("clean", help="show the cleaned text, or with --report what cleaning changed")
    cln.add_argument("file", type=Path)
    cln.add_argument("--report", action="store_true", help="list every removal and replacement")
    _verbosity(cln)

    chk = sub.add_parser("check", help="lint a source: placeholders, punctuation, headings, missing glyphs")
    chk.add_argument("source", nargs="?", type=Path)
    chk.add_argument("--style", type=Path)
    _verbosity(chk)

    fnt = sub.add_parser("fonts", help="list the bundled fonts per role")
    fnt.add_argument("--style", type=Path)
    _verbosity(fnt)

    imposer = sub.add_parser("impose", help="saddle-stitch imposition: A4 pages two-up on A3 sheets")
    imposer.add_argument("pdf", type=Path)
    imposer.add_argument("-o", "--output", type=Path, required=True)
    _verbosity(imposer)

    prev = sub.add_parser("preview", help="PNG images of pages and a contact sheet")
    prev.add_argument("pdf", nargs="?", type=Path, default=Path("build/booklet.pdf"))
    prev.add_argument("-o", "--out-dir", type=Path, default=Path("build/preview"))
    prev.add_argument("--pages", default="1,2,3", help="comma-separated page numbers (physical, 1-based)")
    prev.add_argument("--dpi", type=int, default=60)
    _verbosity(prev)
    return parser


def _verbosity(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show a traceback on errors"
    )
    group = parser.add_mutually_exclusive_group()
    group.add_argument("-v", "--verbose", action="count", default=0)
    group.add_argument("-q", "--quiet", action="store_true")


def main(
    argv: Sequence[str] | None = None, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    """Run the command line and return the exit status."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits for --help, --version and usage errors
        return int(exc.code or 0)
    console = Console(stdout, stderr, -1 if getattr(args, "quiet", False) else getattr(args, "verbose", 0))
    from publish import commands

    handler: Callable[[argparse.Namespace, Console], int] = getattr(commands, f"run_{args.command}")
    try:
        return handler(args, console)
    except PublishError as exc:
        if args.debug:
            traceback.print_exc(file=stderr)
        console.err(f"publish: error: {exc}")
        return next((status for kind, status in ERROR_STATUS if isinstance(exc, kind)), ExitStatus.INTERNAL)
    except KeyboardInterrupt:
        console.err("publish: interrupted")
        return ExitStatus.INTERRUPTED
    except BrokenPipeError:  # output piped into a program that stopped reading (`publish fonts | head`)
        if stdout is sys.stdout:  # keep the interpreter's final flush from raising again
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return ExitStatus.OK
    except Exception as exc:  # a bug: one line without --debug, the traceback with it
        if args.debug:
            traceback.print_exc(file=stderr)
        console.err(f"publish: internal error: {type(exc).__name__}: {exc} (run with --debug and report it)")
        return ExitStatus.INTERNAL
