"""LayoutPlan → DOCX (lxml, our own package writer): the same pages as the PDF, as an editable Word document.

The renderer makes no layout decisions. It writes one editable paragraph per block of the plan's flow
(``content``), maps each role to a named style whose values come from the spec the plan carries (``styles``),
and reproduces the plan's vertical structure: blank grid lines become paragraph spacing, a page the plan
starts a page break, cover/目录/body/blank pages separate sections (``sections``). Word or LibreOffice
then break and paginate the text themselves, with settings chosen so that they land where the plan did
(22 lines × 28 cells, gbt9704.md §3):

- exact line height ``⌊pitch⌋`` twips (579) and a character spacing of ``⌊cell − size⌋`` twips (−5) on the
  full-width characters of body-size styles; ``w:firstLine`` beside ``w:firstLineChars``;
- kinsoku on, no punctuation compression, no hanging punctuation, widow control on exactly when the plan
  applies it (its rule is Word's and LibreOffice's: two lines at least on each side of a break), headings
  kept with the next paragraph and their lines together as the plan keeps them, and automatic CJK/Latin
  spacing (w:autoSpaceDE/DN) exactly when the plan adds it (``latin_spacing`` > 0; LibreOffice 7.4 adds its
  0.2 em whatever the setting);
- the 目录 as a real TOC field whose stored result holds the plan's entries and numbers, linked to bookmarks;
- footers "— PAGE —" (odd right, even left, padded on the outer side) in the body sections only; blank pages
  (recto starts) are counted but carry an empty footer.

What Word and LibreOffice cannot do as the plan does is one warning each, naming the style key (``limits``):
compressed punctuation (先挤进: both set every mark in a full cell, so lines break elsewhere), a CJK/Latin
space other than LibreOffice's fixed 0.2 em, and a 目录 leader no tab stop can draw.

Raw OOXML is built only in the ``oxml`` package. ``font_mode`` "standard" names the product fonts of
``spec.fonts.docx_names``; "portable" names the bundled fonts' families and embeds per-document subsets
(``names``). Output is deterministic: fixed core-property dates, GUIDs derived from content, and a zip
with fixed timestamps.

This module only checks its arguments; the document is built in ``document``, imported on first use:
lxml takes ~15 ms to import, which a PDF-only build never needs and a two-format build pays in the forked
DOCX worker when a core is idle, beside the PDF rather than before it; for a small booklet that worker is
forked before the layout and imports it meanwhile (``prepare``, ``workers.Standby``).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from publish.errors import Diagnostic, RenderError, Severity
from publish.layout.frame import LayoutPlan
from publish.render.protocol import FontSource, RenderOptions

FONT_MODES = ("standard", "portable")
READERS = ("word", "libreoffice")  # what ``docx_for`` may name (styles.OVERFLOW_PUNCT holds the difference)
LIBREOFFICE_LATIN_SPACING = 0.2  # em LibreOffice 7.4 adds between Asian and Western letters (measured)
TAB_LEADER_CHARACTERS = ("", ".", "·", "-", "_")  # what a Word tab stop draws (styles.TAB_LEADERS)


class DocxRenderer:
    """The DOCX format (``protocol.Renderer``)."""

    name = "docx"

    def limits(self, plan: LayoutPlan, options: RenderOptions) -> list[Diagnostic]:
        """Return a warning for each choice of ``plan`` Word or LibreOffice cannot reproduce from a DOCX."""
        found: list[Diagnostic] = []

        def warn(code: str, message: str, hint: str) -> None:
            found.append(Diagnostic(Severity.WARNING, code, message, hint=hint))

        if plan.compress_punctuation:
            warn(
                "docx-compress_punctuation",
                "the DOCX cannot compress punctuation as the PDF does (compress_punctuation = true): "
                "Word and LibreOffice set every mark in a full cell, so lines with compressed marks break "
                "elsewhere",
                "build the DOCX with compress_punctuation = false, or use the PDF",
            )
        if abs(plan.latin_spacing - LIBREOFFICE_LATIN_SPACING) > 1e-9:
            warn(
                "docx-latin_spacing",
                f"the DOCX cannot carry latin_spacing = {plan.latin_spacing:g} into LibreOffice, which "
                f"always adds {LIBREOFFICE_LATIN_SPACING:g} em between 汉字 and Latin letters or digits; "
                "lines with them may break elsewhere there (Word follows the setting)",
                f"use latin_spacing = {LIBREOFFICE_LATIN_SPACING:g} for a DOCX LibreOffice sets like the PDF",
            )
        leaders = {b.toc.leader for b in plan.blocks if b.toc is not None}
        for leader in sorted(leaders - set(TAB_LEADER_CHARACTERS)):
            warn(
                "docx-toc.leader",
                f"the DOCX 目录 cannot draw toc.leader = {leader!r} (a Word tab stop draws "
                f"{', '.join(repr(c) for c in TAB_LEADER_CHARACTERS)}); it draws dots instead",
                "choose one of those leaders",
            )
        return found

    def prepare(self) -> None:
        """Import the DOCX writer (lxml and the ``oxml`` package: ~20 ms)."""
        import publish.render.docx.document  # noqa: F401  (loaded for render)

    def render(self, plan: LayoutPlan, fonts: FontSource, path: Path, options: RenderOptions) -> None:
        """Write ``plan`` as a DOCX to ``path``; raise RenderError when it cannot."""
        render(
            plan,
            fonts,
            path,
            font_mode=options.docx_fonts,
            created=options.created,
            docx_for=options.docx_for,
            reuse=options.reuse,
        )


def render(
    plan: LayoutPlan,
    fonts: FontSource,
    path: Path,
    *,
    font_mode: str = "standard",
    created: datetime | None = None,
    docx_for: str = "word",
    reuse: bool = False,
) -> None:
    """Write ``plan`` as a DOCX to ``path``; ``font_mode`` is "standard" or "portable" (embedded subsets),
    ``docx_for`` "word" (ECMA-376 as Word and WPS read it) or "libreoffice" (LibreOffice's import readings).
    ``reuse``: take the paragraphs of unchanged blocks from the last render into the same folder
    (``reuse``; the bytes are the same either way).

    Raise RenderError when the plan is empty, the mode or reader unknown, or the file cannot be written.
    """
    if docx_for not in READERS:
        raise RenderError(f"unknown DOCX reader {docx_for!r} (use word or libreoffice)")
    if font_mode not in FONT_MODES:
        raise RenderError(f"unknown DOCX font mode {font_mode!r} (use standard or portable)")
    if not plan.pages:
        raise RenderError("the layout plan has no pages; nothing to render")
    from publish.render.docx.document import build, memory  # deferred: see the module docstring

    # the folder, not the file: the renderer writes to a temporary name there
    kept = memory(plan, fonts, font_mode, docx_for, str(Path(path).resolve().parent)) if reuse else None
    data = build(plan, fonts, font_mode, created or RenderOptions().created, docx_for, kept)
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise RenderError(f"cannot write {path}: {exc.strerror or exc}") from None
    if kept is not None:
        kept.keep()


DOCX = DocxRenderer()
