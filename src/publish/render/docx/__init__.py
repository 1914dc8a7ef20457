"""LayoutPlan → DOCX with python-docx: the same pages as the PDF, as an editable Word document.

The renderer makes no layout decisions. It rebuilds editable paragraphs from the planned lines
(``content``), maps each role to a named style whose values come from the spec (``styles``), and
reproduces the plan's vertical structure: blank grid lines become paragraph spacing, a speech start a page
break, cover/目录/body/blank pages separate sections (``sections``). Word or LibreOffice then break and
paginate the text themselves, with settings chosen so that they land where the plan did (22 lines × 28
cells, gbt9704.md §3):

- exact line height ``⌊pitch⌋`` twips (579) and a character spacing of ``⌊cell − size⌋`` twips (−5) on the
  full-width characters of body-size styles; ``w:firstLine`` beside ``w:firstLineChars``;
- kinsoku on, no punctuation compression, no hanging punctuation, no widow control (the plan keeps headings
  with the next line and nothing else), and automatic CJK/Latin spacing (w:autoSpaceDE/DN) exactly when the
  plan adds it (``spec.latin_spacing`` > 0; LibreOffice 7.4 adds its 0.2 em whatever the setting);
- the 目录 as a real TOC field whose stored result holds the plan's entries and numbers, linked to bookmarks;
- footers "— PAGE —" (odd right, even left, padded on the outer side) in the body sections only; blank pages
  (recto starts) are counted but carry an empty footer.

Raw OOXML is built only in ``_xml`` and ``_fonts``. ``font_mode`` "standard" names the product fonts
of ``spec.fonts.docx_names``; "portable" names the bundled fonts' families and embeds per-document subsets
(``names``). Output is deterministic: fixed core-property dates, GUIDs derived from content, and a zip
with fixed timestamps.

This module only checks its arguments; the document is built in ``document``, imported on first use:
python-docx and lxml take ~0.1 s to import, which a PDF-only build never needs and a two-format build pays
in the forked DOCX worker, beside the PDF rather than before it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from publish.errors import RenderError
from publish.layout.frame import LayoutPlan
from publish.layout.spec import LayoutSpec

if TYPE_CHECKING:  # names imports the OOXML layer, which this module defers
    from publish.render.docx.names import FontSource

FONT_MODES = ("standard", "portable")


def render(
    plan: LayoutPlan, spec: LayoutSpec, fonts: FontSource, path: Path, *, font_mode: str = "standard"
) -> None:
    """Write ``plan`` as a DOCX to ``path``; ``font_mode`` is "standard" or "portable" (embedded subsets).

    Raise RenderError when the plan is empty, the mode unknown, or the file cannot be written.
    """
    if font_mode not in FONT_MODES:
        raise RenderError(f"unknown DOCX font mode {font_mode!r} (use standard or portable)")
    if not plan.pages:
        raise RenderError("the layout plan has no pages; nothing to render")
    from publish.render.docx.document import build  # deferred: see the module docstring

    data = build(plan, spec, fonts, font_mode)
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise RenderError(f"cannot write {path}: {exc.strerror or exc}") from None
