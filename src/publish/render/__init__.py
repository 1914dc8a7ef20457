"""Renderers: leaves of the pipeline that paint a LayoutPlan into a file format.

``RENDERERS`` maps a format name to its ``render(plan, spec, fonts, path) -> None``; adding a format is
one import and one entry.
"""

from __future__ import annotations

from collections.abc import Callable

from publish.render import docx, pdf

RENDERERS: dict[str, Callable[..., None]] = {
    "pdf": pdf.render,
    "docx": docx.render,
}
