"""What every cleaning rule shares: the change record, the cleaned text, the rule type, character classes."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

__all__ = [
    "CLOSERS",
    "IDEO",
    "IDEO_CHAR",
    "OPENERS",
    "SPACE",
    "Change",
    "CleanText",
    "Edit",
    "Finder",
    "Rule",
    "regex",
    "rx",
]

IDEO = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
IDEO_CHAR = f"[{IDEO}]"
OPENERS = "“‘《（「『【〔〈"
CLOSERS = "”’》）」』】〕〉"
SPACE = " \t\u00a0\u3000"

Edit = tuple[int, int, str]  # start, end, replacement within the current line
Finder = Callable[[str, bool], list[Edit]]  # (line, is the collection title line) -> edits


@dataclass(frozen=True)
class Change:
    """One edit a rule made; ``line`` and ``column`` are 1-based positions in the original file."""

    rule: str
    line: int
    column: int
    removed: str
    inserted: str


@dataclass(frozen=True)
class CleanText:
    """Cleaned text with LF line ends, the changes made and, per cleaned line, its original line number;
    ``page_starts`` are the cleaned lines (1-based) that begin a page of a paged input (a PDF's, a copy's
    with form feeds or folios), empty for text without pages."""

    path: str
    text: str
    encoding: str
    changes: tuple[Change, ...]
    line_map: tuple[int, ...]
    page_starts: tuple[int, ...] = ()

    def original_line(self, line: int) -> int:
        """Return the original line number of cleaned ``line`` (1-based); 0 when it is out of range."""
        return self.line_map[line - 1] if 0 < line <= len(self.line_map) else 0


@dataclass(frozen=True)
class Rule:
    """A named cleaning rule; ``find(line, first)`` returns its edits, ``first`` marking the title line."""

    name: str
    description: str
    find: Finder


def regex(
    pattern: str, replacement: str = "", flags: int = 0, keep: Callable[[re.Match[str]], bool] | None = None
) -> Finder:
    """Return a finder replacing each match of ``pattern`` (kept by ``keep``) with ``replacement``."""

    def find(line: str, first: bool) -> list[Edit]:
        found = rx(pattern, flags).finditer(line)
        return [(m.start(), m.end(), replacement) for m in found if keep is None or keep(m)]

    return find


@functools.cache
def rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Return ``pattern`` compiled on first use: an editable source, which needs no cleaning, never pays the
    ~12 ms the rules' patterns take to compile (their CJK classes reach into plane 2)."""
    return re.compile(pattern, flags)
