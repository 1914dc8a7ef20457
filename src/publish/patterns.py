"""Regular expressions compiled on first use.

A build compiles every module-level pattern of the modules it imports, ~40 of them, whether or not its input
needs them: the structure of raw text (``parse``), site debris (``lint``), a style file's tables. A class of
CJK characters costs about 1 ms to compile (``re`` fills a 65,536-entry table in Python), so the patterns
only some inputs use are ``Lazy``: an editable source's build compiles ~9 ms fewer.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from functools import cached_property


class Lazy:
    """A pattern compiled the first time it is used; the methods are ``re.Pattern``'s."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self.pattern = pattern
        self.flags = flags

    @cached_property
    def compiled(self) -> re.Pattern[str]:
        """The compiled pattern."""
        return re.compile(self.pattern, self.flags)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """As ``re.Pattern.search``."""
        return self.compiled.search(text, pos, endpos)

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """As ``re.Pattern.match``."""
        return self.compiled.match(text, pos, endpos)

    def fullmatch(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        """As ``re.Pattern.fullmatch``."""
        return self.compiled.fullmatch(text, pos, endpos)

    def finditer(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> Iterator[re.Match[str]]:
        """As ``re.Pattern.finditer``."""
        return self.compiled.finditer(text, pos, endpos)
