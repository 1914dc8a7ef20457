"""Stand-in font sets: for layout tests, fixed advances, chosen gaps, no font files (``FakeFonts``); for
renderer tests, the bundled files by name (``BundledFonts``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FONTS = Path(__file__).resolve().parents[2] / "fonts"


@dataclass(frozen=True)
class BundledFont:
    """A resolved font: its file name and path."""

    name: str
    path: Path


class BundledFonts:
    """The part of ``publish.fonts.FontSet`` the renderers use: file name → the bundled font file."""

    def font(self, name: str) -> BundledFont:
        return BundledFont(name, FONTS / name)


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
