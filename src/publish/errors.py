"""Errors and diagnostics shared by every stage.

Errors are exceptions a stage raises when it cannot go on; diagnostics are non-fatal findings a stage appends
to a collector that is passed in. Only the command line (``cli``, ``console``) turns either into output and
exit codes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """A place in an input file; ``line`` and ``column`` are 1-based, 0 means unknown.

    ``unit`` says what ``line`` counts: text lines (``file:12:3``) or the paragraphs of a Word document
    (``file.docx: paragraph 12``); with ``page`` set, lines of a PDF page (``file.pdf: page 3, line 5``).
    """

    path: str
    line: int = 0
    column: int = 0
    unit: str = "line"  # "line" or "paragraph"
    page: int = 0  # 1-based page of a PDF; 0 for inputs without pages

    def __str__(self) -> str:
        if self.page:
            return f"{self.path}: page {self.page}" + (f", line {self.line}" if self.line else "")
        if self.unit != "line":
            return f"{self.path}: {self.unit} {self.line}" if self.line else self.path
        text = self.path
        if self.line:
            text += f":{self.line}"
            if self.column:
                text += f":{self.column}"
        return text


class PublishError(Exception):
    """Base of every error ``publish`` raises on purpose; its ``str`` is a one-line message for the user.

    Errors pickle with their fields (the subclasses' constructors take more than ``args`` holds), so a forked
    render worker hands its failure to the parent as it was raised (``workers``).
    """

    def __reduce__(self) -> tuple[object, ...]:
        return (_restored, (type(self), self.args, self.__dict__))


def _restored(cls: type[PublishError], args: tuple[object, ...], state: dict[str, object]) -> PublishError:
    """Return an error of ``cls`` with ``args`` and the fields ``state`` (what ``__reduce__`` saved)."""
    error = cls.__new__(cls)
    Exception.__init__(error, *args)
    error.__dict__.update(state)
    return error


class SourceError(PublishError):
    """Raised when an input file cannot be read or decoded (missing, directory, empty, binary, bad bytes)."""

    def __init__(self, message: str, path: str | Path, line: int = 0, column: int = 0) -> None:
        super().__init__(message)
        self.message = message
        self.location = Location(str(path), line, column)

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class ParseError(PublishError):
    """Raised when a source file's structure or front matter cannot be understood."""

    def __init__(self, message: str, path: str | Path, line: int = 0, excerpt: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.location = Location(str(path), line)
        self.excerpt = excerpt

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        if self.excerpt:
            text += f": {self.excerpt[:40]!r}"
        return text


class SpecError(PublishError):
    """Raised when a style (layout spec) file has an unknown key, a wrong type or an impossible value."""

    def __init__(self, message: str, path: str | Path = "", line: int = 0, key: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.location = Location(str(path), line) if path else None
        self.key = key  # the dotted key at fault, when known: the style file's line is looked up by it

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class FontError(PublishError):
    """Raised when a configured font is missing, unreadable or of an outline flavour we cannot embed."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} (hint: {self.hint})" if self.hint else self.message


class LayoutError(PublishError):
    """Raised when the booklet cannot be laid out with the given spec (e.g. a grid too small for any text)."""


class RenderError(PublishError):
    """Raised when a renderer or an output writer fails (unwritable folder, disk full, library failure)."""


class UsageError(PublishError):
    """Raised for a command-line value that argparse cannot check itself (an unknown format, bad pages)."""


class Severity(Enum):
    """How serious a diagnostic is; ``--strict`` makes warnings fatal."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True)
class Diagnostic:
    """A non-fatal finding with an optional place and hint, e.g. an unfilled placeholder."""

    severity: Severity
    code: str
    message: str
    location: Location | None = None
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        text = f"{where}{self.severity.value}: {self.message} [{self.code}]"
        if self.hint:
            text += f" (hint: {self.hint})"
        return text


@dataclass
class Diagnostics:
    """A collector that stages append findings to; nothing here prints."""

    items: list[Diagnostic] = field(default_factory=list)

    def add(
        self,
        code: str,
        message: str,
        location: Location | None = None,
        severity: Severity = Severity.WARNING,
        hint: str = "",
    ) -> None:
        """Record one finding."""
        self.items.append(Diagnostic(severity, code, message, location, hint))

    def warnings(self) -> list[Diagnostic]:
        """Return the findings of warning severity or worse; empty when there are none."""
        return [d for d in self.items if d.severity is not Severity.INFO]

    def __len__(self) -> int:
        return len(self.items)
