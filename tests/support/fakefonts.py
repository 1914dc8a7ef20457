"""A stand-in font set for layout tests: fixed advances, chosen gaps, no font files."""

from __future__ import annotations


class FakeFont:
    """A font whose ideographs and full-width marks are 1 em and ASCII is 0.5 em."""

    def __init__(self, name: str) -> None:
        self.name = name

    def advance(self, ch: str) -> float:
        """Return the advance of ``ch`` in em."""
        return 0.5 if ch.isascii() else 1.0


class FakeFonts:
    """A font set mapping everything except ``missing``; each role has one font named after it."""

    def __init__(self, missing: str = "") -> None:
        self.missing = set(missing)
        self.fonts: dict[str, FakeFont] = {}

    def pick(self, role: str, ch: str) -> FakeFont | None:
        """Return the role's font, or None for a character in ``missing``."""
        if ch in self.missing:
            return None
        return self.fonts.setdefault(role, FakeFont(f"{role}.ttf"))
