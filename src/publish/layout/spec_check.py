"""Check a merged layout spec for values the layout cannot use, so a style file's mistake is a SpecError
naming the key and the allowed range (exit status 4), not a crash deep in the layout, a renderer writing nan
into a content stream, or text set off the page.

Every number is checked: finite, within the range of ``RANGES`` (or the one the page implies), and
consistent with the page (the 版心 on the paper, indents inside the line, a character inside the 版心). Every
string is checked for characters a PDF or DOCX cannot hold (C0 controls, U+FFFE, U+FFFF, surrogates).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import fields, is_dataclass
from typing import Any

from publish.errors import SpecError
from publish.fonts import CHAR_CLASSES
from publish.layout.spec import LayoutSpec

ALIGNMENTS = ("justify", "center", "left", "right")
KINSOKU = ("basic", "gb")
SUBTITLE_PLACES = ("title", "foot")  # the cover's subtitle: under the title, or at the foot
MAX_PAGE = 14400.0  # pt: the largest page a PDF may have (ISO 32000-1 Annex C, 200 in)
MAX_GRID = 200  # lines a page or characters a line: far beyond any 公文 grid (22 × 28)
# Allowed ranges of the numbers that have fixed bounds, by the last part of their key. The ones bound by the
# page (margins, sizes, indents) are checked against it in ``check_spec``.
RANGES: dict[str, tuple[float, float]] = {
    "width": (72.0, MAX_PAGE),
    "height": (72.0, MAX_PAGE),
    "lines": (1, MAX_GRID),
    "chars": (1, MAX_GRID),
    "baseline_ratio": (0.0, 1.0),  # the baseline lies within its grid line
    "latin_spacing": (0.0, 1.0),  # em; clreq asks for at most ¼ em
    "depth": (1, 5),  # speeches, then heading levels 1–4
    "leading": (0.5, 5.0),  # × the size: the grid a line of a style needs
    "ascent": (0.0, 2.0),  # em above the folio's baseline
}
_BAD_CHARS = frozenset(chr(c) for c in (*range(0x20), 0x7F, 0xFFFE, 0xFFFF)) - {"\t", "\n"}


def check_spec(spec: LayoutSpec, origin: str = "") -> LayoutSpec:
    """Return ``spec`` unchanged, or raise SpecError for the first value out of range."""
    for key, value in _leaves(spec, ""):
        _check_leaf(key, value, origin)
    page = spec.page
    _within("page.top", page.top, 0.0, page.height, origin)
    _within("page.left", page.left, 0.0, page.width, origin)
    _within("page.body_width", page.body_width, 1.0, page.width - page.left, origin)
    _within("page.body_height", page.body_height, 1.0, page.height - page.top, origin)
    _within("page.header", page.header, 0.0, page.top, origin)
    roles = spec.fonts.chains
    for role, chain in roles.items():
        key = f"fonts.chains.{role}"
        _require(bool(chain), f"{key} must name at least one font file", origin, key)
    for role, by_class in spec.fonts.classes.items():
        _require(role in roles, f"fonts.classes.{role}: unknown font role", origin, f"fonts.classes.{role}")
        for name, files in by_class.items():
            _require(
                name in CHAR_CLASSES,
                f"fonts.classes.{role}.{name}: unknown character class (known: {', '.join(CHAR_CLASSES)})",
                origin,
                f"fonts.classes.{role}.{name}",
            )
            _require(
                all(file.strip() for file in files),
                f"fonts.classes.{role}.{name}: empty font file name",
                origin,
                f"fonts.classes.{role}.{name}",
            )
    largest = min(page.body_width, page.body_height)  # one character must fit into the 版心
    for name, style in spec.styles.items():
        key = f"styles.{name}"
        _require(
            style.font in roles,
            f"{key}.font: unknown font role {style.font!r} (known: {', '.join(sorted(roles))})",
            origin,
            f"{key}.font",
        )
        align = f"{key}.align"
        _require(style.align in ALIGNMENTS, f"{align} must be one of {', '.join(ALIGNMENTS)}", origin, align)
        _within(f"{key}.size", style.size, 1.0, largest, origin)
        cells = page.chars - 1  # indents leave at least one cell of the line for text
        _within(f"{key}.indent", style.indent, 0.0, cells, origin)
        _within(f"{key}.first_indent", style.first_indent, -style.indent, cells - style.indent, origin)
    toc = spec.toc
    for key in ("level_indent", "number_pad", "leader_room"):  # cells of a 目录 line
        _within(f"toc.{key}", getattr(toc, key), 0.0, page.chars - 1, origin)
    cover = spec.cover
    _within("cover.title_centre", cover.title_centre, 0, page.lines - 1, origin)
    _within("cover.subtitle_space", cover.subtitle_space, 0, page.lines - 1, origin)
    _within("cover.foot_space", cover.foot_space, 0, page.lines - 1, origin)
    places = ", ".join(SUBTITLE_PLACES)
    place = "cover.subtitle_place"
    _require(cover.subtitle_place in SUBTITLE_PLACES, f"{place} must be one of {places}", origin, place)
    number = spec.page_number
    known = ", ".join(sorted(roles))
    message = f"page_number.font: unknown font role {number.font!r} (known: {known})"
    _require(number.font in roles, message, origin, "page_number.font")
    _within("page_number.size", number.size, 1.0, largest, origin)
    _within("page_number.drop", number.drop, 0.0, max(page.bottom - number.size, 0.0), origin)
    _within("page_number.pad", number.pad, 0.0, page.body_width / 2 / number.size, origin)
    _require(spec.kinsoku in KINSOKU, f"kinsoku must be one of {', '.join(KINSOKU)}", origin, "kinsoku")
    return spec


def _leaves(obj: Any, prefix: str) -> Iterator[tuple[str, Any]]:
    """Yield (dotted key, value) for every number and string of ``obj``, into dataclasses, dicts, tuples."""
    if is_dataclass(obj):
        for item in fields(obj):
            yield from _leaves(getattr(obj, item.name), f"{prefix}{item.name}.")
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield from _leaves(value, f"{prefix}{key}.")
    elif isinstance(obj, tuple):
        for index, value in enumerate(obj):
            yield from _leaves(value, f"{prefix}{index}.")
    else:
        yield prefix.rstrip("."), obj


def _check_leaf(key: str, value: Any, origin: str) -> None:
    if isinstance(value, str):
        bad = next((char for char in value if char in _BAD_CHARS or 0xD800 <= ord(char) <= 0xDFFF), None)
        _require(bad is None, f"{key} contains the character U+{ord(bad or ' '):04X}; remove it", origin, key)
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return
    _require(math.isfinite(value), f"{key} = {value} is not a finite number", origin, key)
    bounds = RANGES.get(key.rsplit(".", 1)[-1])
    if bounds is not None:
        _within(key, value, *bounds, origin)


def _within(key: str, value: float, low: float, high: float, origin: str) -> None:
    ok = math.isfinite(value) and low <= value <= high
    _require(ok, f"{key} = {value:g} is out of range (allowed: {low:g} to {high:g})", origin, key)


def _require(ok: bool, message: str, origin: str, key: str = "") -> None:
    """Raise SpecError(``message``) for the dotted ``key`` (the style file's line is found by it) unless
    ``ok``."""
    if not ok:
        raise SpecError(message, origin, key=key)
