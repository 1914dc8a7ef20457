"""Renderers: leaves of the pipeline that paint a LayoutPlan into a file format.

A renderer is a ``protocol.Renderer``: a format name (also the file suffix), ``limits`` — the layout choices
in the plan the format cannot express, as warnings naming the style key — and ``render``, which writes it.
It reads only the plan (``layout.frame``, with the spec the plan carries for style names and values), never
measures text and makes no layout decision: a new format adds painting code only. ``RENDERERS`` is the
registry and ``FORMATS`` the names it offers; the pipeline knows no format by name.
"""

from __future__ import annotations

from pathlib import Path

from publish.render.docx import DOCX
from publish.render.pdf import PDF, _font_cache
from publish.render.protocol import FIXED_DATE, Renderer, RenderOptions

__all__ = ["FIXED_DATE", "FORMATS", "RENDERERS", "RenderOptions", "Renderer", "use_cache"]

RENDERERS: dict[str, Renderer] = {renderer.name: renderer for renderer in (PDF, DOCX)}
FORMATS: tuple[str, ...] = tuple(RENDERERS)


def use_cache(root: Path | None) -> None:
    """Let the renderers keep what they derive and a later build reuses in ``root`` (the PDF's font
    programs and their ToUnicode maps: ``pdf._font_cache``); None: nothing on disk. The bytes of every
    output are the same either way."""
    _font_cache.use_cache(root)
