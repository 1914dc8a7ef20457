"""Check a merged layout spec for values the layout cannot use, so a style file's mistake is a SpecError
naming the key (exit status 4), not a crash deep in the layout or a renderer."""

from __future__ import annotations

from publish.errors import SpecError
from publish.layout.spec import LayoutSpec

ALIGNMENTS = ("justify", "center", "left", "right")
KINSOKU = ("basic", "gb")


def check_spec(spec: LayoutSpec, origin: str = "") -> LayoutSpec:
    """Return ``spec`` unchanged, or raise SpecError for the first value out of range."""
    roles = spec.fonts.chains
    for role, chain in roles.items():
        _require(bool(chain), f"fonts.chains.{role} must name at least one font file", origin)
    for name, style in spec.styles.items():
        key = f"styles.{name}"
        _require(
            style.font in roles,
            f"{key}.font: unknown font role {style.font!r} (known: {', '.join(sorted(roles))})",
            origin,
        )
        _require(style.align in ALIGNMENTS, f"{key}.align must be one of {', '.join(ALIGNMENTS)}", origin)
        _require(style.size > 0, f"{key}.size must be above 0", origin)
    number = spec.page_number
    _require(number.font in roles, f"page_number.font: unknown font role {number.font!r}", origin)
    _require(number.size > 0, "page_number.size must be above 0", origin)
    page = spec.page
    for key in ("width", "height", "body_width", "body_height", "lines", "chars"):
        _require(getattr(page, key) > 0, f"page.{key} must be above 0", origin)
    _require(
        page.top + page.body_height <= page.height, "page.top + page.body_height exceed page.height", origin
    )
    _require(
        page.left + page.body_width <= page.width, "page.left + page.body_width exceed page.width", origin
    )
    _require(spec.kinsoku in KINSOKU, f"kinsoku must be one of {', '.join(KINSOKU)}", origin)
    _require(spec.toc.depth >= 1, "toc.depth must be 1 (speeches) or more (also headings)", origin)
    _require(spec.latin_spacing >= 0, "latin_spacing must not be negative", origin)
    return spec


def _require(ok: bool, message: str, origin: str) -> None:
    if not ok:
        raise SpecError(message, origin)
