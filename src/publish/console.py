"""The command line's edge, shared by ``cli``, ``commands`` and ``watch``: the output streams, the exit
statuses and the one mapping from errors to statuses. A leaf: it imports only ``errors``."""

from __future__ import annotations

import re
from enum import IntEnum
from typing import TextIO

from publish.errors import (
    Diagnostics,
    FontError,
    LayoutError,
    ParseError,
    PublishError,
    RenderError,
    SourceError,
    SpecError,
    UsageError,
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
    (UsageError, ExitStatus.USAGE),
    (SourceError, ExitStatus.SOURCE),
    (ParseError, ExitStatus.SOURCE),
    (SpecError, ExitStatus.STYLE),
    (LayoutError, ExitStatus.STYLE),  # the spec leaves no room to set text
    (FontError, ExitStatus.FONT),
    (RenderError, ExitStatus.OUTPUT),
)


def exit_status(error: PublishError) -> ExitStatus:
    """Return the exit status for ``error``; INTERNAL for a kind the table does not name."""
    return next((status for kind, status in ERROR_STATUS if isinstance(error, kind)), ExitStatus.INTERNAL)


MAX_ERROR = 500  # characters of an error line


class Console:
    """The two output streams and the verbosity (-1 quiet, 0 normal, 1+ verbose)."""

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

    def fail(self, text: str) -> None:
        """Print an error as one line: line breaks in it (a library's message, an excerpt) become spaces and a
        message longer than ``MAX_ERROR`` characters is cut."""
        line = re.sub(r"\s*[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+\s*", " ", text).strip()
        self.err(line if len(line) <= MAX_ERROR else line[: MAX_ERROR - 1] + "…")

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
