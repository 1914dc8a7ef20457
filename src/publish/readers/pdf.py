"""Read the text layer of a PDF with pypdfium2: one extracted line per line, a form feed line between pages.

pypdfium2 (PDFium, already a dependency for previews) is used rather than pdfminer/pdfplumber because it is
fast, keeps characters outside the BMP (``get_text_bounded``), and gives each page's text in reading order.
The text is plain: it then goes through the same cleaning and parsing as a ``.txt`` file (which joins hard
wraps and drops folios and running heads). A PDF without any text (a scan) is refused in one line; a page
without text that shows an image gets a warning naming the page, since its words are missing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from publish.errors import Diagnostics, Location, SourceError
from publish.source import SourceText, read_bytes

__all__ = ["PAGE_BREAK", "PdfText", "read_pdf"]

PAGE_BREAK = "\f"  # the line between two pages' text


@dataclass(frozen=True)
class PdfText:
    """A PDF's text as a SourceText, and the 1-based line where each page's text starts."""

    source: SourceText
    page_starts: tuple[int, ...]


def read_pdf(path: Path, diagnostics: Diagnostics) -> PdfText:
    """Extract the text of every page of ``path``; raise ``SourceError`` if unreadable or without text."""
    data = read_bytes(path)  # a regular file within the size limit, or a SourceError
    if not data.lstrip()[:5] == b"%PDF-":
        raise SourceError("not a PDF (no %PDF- header)", path)
    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise SourceError(f"cannot open the PDF: {exc}", path) from None
    try:
        pages = [_page_lines(document, index, str(path), diagnostics) for index in range(len(document))]
    finally:
        document.close()
    if not any(line.strip() for page in pages for line in page):
        raise SourceError(
            "the PDF has no text layer (a scan?); run OCR on it first or use the original document", path
        )
    lines: list[str] = []
    starts: list[int] = []
    for number, page in enumerate(pages):
        if number:
            lines.append(PAGE_BREAK)
        starts.append(len(lines) + 1)
        lines += page
    return PdfText(SourceText(str(path), "\n".join(lines) + "\n", "pdf"), tuple(starts))


def _page_lines(document: pdfium.PdfDocument, index: int, path: str, diagnostics: Diagnostics) -> list[str]:
    """Return the text lines of page ``index``; warn when the page has no text but shows an image."""
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            text = textpage.get_text_bounded()
        finally:
            textpage.close()
        if not text.strip() and any(page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=2)):
            message = "page has no text, only an image (scanned?); its words are not in the booklet"
            diagnostics.add("pdf-image-page", message, Location(path, page=index + 1))
    finally:
        page.close()
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace(PAGE_BREAK, "")
    return text.split("\n") if text.strip() else []
