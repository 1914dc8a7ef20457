"""Page previews: PNG images of chosen pages and a contact sheet of a whole PDF.

Pages are rasterised by PDFium (pypdfium2) and written by Pillow, which reportlab already depends on. Both
give the same pixels and bytes for the same PDF, library versions and arguments.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]  # ships no type information
from PIL import Image, ImageDraw, ImageFont

from publish.atomic import Outputs
from publish.errors import RenderError, SourceError
from publish.output._pdf_file import require_pdf

MAX_DPI = 600
MAX_SHEET_PIXELS = 24_000_000  # ≈ 72 MB of RGB; a 1,200-page booklet is drawn at about 14 dpi
BACKGROUND = (232, 232, 232)
BORDER = (128, 128, 128)
LABEL = (64, 64, 64)
PNG_LEVEL = 3  # zlib level: on rendered pages both smaller and faster than Pillow's default 6


def render_pages(
    pdf: Path, out_dir: Path, pages: Sequence[int] | None = None, dpi: int = 60, stem: str = "page"
) -> list[Path]:
    """Write one PNG per chosen page of ``pdf`` into ``out_dir`` and return their paths in the order asked.

    ``pages`` holds 1-based page numbers (repeats are written once); ``None`` means every page and an empty
    sequence writes nothing. Files are named ``{stem}-{n}.png`` with ``n`` zero-padded to the width of the
    page count (``page-07.png`` in a 15-page PDF) and carry ``dpi`` in their pHYs chunk. ``out_dir`` is
    created if needed. Raises ``SourceError`` for an unreadable PDF or a page it does not have, and
    ``RenderError`` for a ``dpi`` outside 1–600 or a file that cannot be written.
    """
    _check_dpi(dpi)
    written: list[Path] = []
    with _document(pdf) as document:
        count = len(document)
        chosen = list(range(1, count + 1)) if pages is None else list(dict.fromkeys(pages))
        for number in chosen:
            if not 1 <= number <= count:
                raise SourceError(f"has no page {number} (it has {count})", pdf)
        _make_dir(out_dir)
        width = len(str(count))
        for number in chosen:
            image = _render(document, number - 1, dpi / 72)
            written.append(_save(image, out_dir / f"{stem}-{number:0{width}d}.png", dpi))
    return written


def contact_sheet(pdf: Path, target: Path, columns: int = 6, dpi: int = 30, *, numbers: bool = True) -> Path:
    """Write ``target``: one PNG showing every page of ``pdf`` in a grid, ``columns`` pages a row; return it.

    Each page gets a thin grey border and, when ``numbers`` is true, its 1-based position underneath. For long
    PDFs ``dpi`` is lowered so the sheet stays under ``MAX_SHEET_PIXELS``. Raises ``SourceError`` for an
    unreadable or empty PDF and ``RenderError`` for ``columns`` below 1, a ``dpi`` outside 1–600 or a file
    that cannot be written.
    """
    _check_dpi(dpi)
    if columns < 1:
        raise RenderError(f"a contact sheet needs at least one column, not {columns}")
    with _document(pdf) as document:
        count = len(document)
        if count == 0:
            raise SourceError("the PDF has no pages", pdf)
        sizes = [document.get_page_size(i) for i in range(count)]
        rows = math.ceil(count / columns)
        page_w = max(w for w, _ in sizes)
        page_h = max(h for _, h in sizes)
        needed = (columns * page_w) * (rows * page_h) * (dpi / 72) ** 2
        scale = min(dpi / 72, dpi / 72 * math.sqrt(MAX_SHEET_PIXELS / needed) * 0.9)
        gap = max(4, round(scale * 18))  # ¼ inch at the asked dpi
        label = max(10, round(scale * 28)) if numbers else 0
        cell_w = math.ceil(page_w * scale) + gap
        cell_h = math.ceil(page_h * scale) + gap + label
        sheet = Image.new("RGB", (columns * cell_w + gap, rows * cell_h + gap), BACKGROUND)
        draw = ImageDraw.Draw(sheet)
        font = ImageFont.load_default(size=label * 0.8) if numbers else None
        for index in range(count):
            image = _render(document, index, scale)
            left = gap + (index % columns) * cell_w
            x = left + (cell_w - gap - image.width) // 2
            y = gap + (index // columns) * cell_h
            sheet.paste(image, (x, y))
            draw.rectangle((x - 1, y - 1, x + image.width, y + image.height), outline=BORDER)
            if font is not None:
                centre = (
                    gap + (index % columns) * cell_w + (cell_w - gap) // 2,
                    y + image.height + label // 2,
                )
                draw.text(centre, str(index + 1), fill=LABEL, font=font, anchor="mm")
    _make_dir(target.parent)
    return _save(sheet, target, max(1, round(scale * 72)))


@contextmanager
def _document(pdf: Path) -> Iterator[pdfium.PdfDocument]:
    """Open ``pdf`` with PDFium for the ``with`` block, or raise ``SourceError`` saying why it cannot."""
    require_pdf(pdf)
    try:
        document = pdfium.PdfDocument(pdf)
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}", pdf) from exc
    except pdfium.PdfiumError as exc:
        raise SourceError(f"not a readable PDF: {exc}", pdf) from exc
    try:
        yield document
    finally:
        document.close()


def _render(document: pdfium.PdfDocument, index: int, scale: float) -> Image.Image:
    """Return the page at 0-based ``index`` rendered at ``scale`` pixels per point as an RGB image."""
    page = document[index]
    try:
        bitmap = page.render(scale=scale, rev_byteorder=True)
        try:
            image: Image.Image = bitmap.to_pil().convert("RGB")  # a copy, so the bitmap can be freed
            return image
        finally:
            bitmap.close()
    except pdfium.PdfiumError as exc:
        raise RenderError(f"cannot render page {index + 1}: {exc}") from exc
    finally:
        page.close()


def _save(image: Image.Image, path: Path, dpi: int) -> Path:
    """Write ``image`` to ``path`` as PNG with ``dpi`` recorded (atomically), and return ``path``."""

    def write(temp: Path) -> None:
        image.save(temp, format="PNG", dpi=(dpi, dpi), compress_level=PNG_LEVEL)

    with Outputs() as outputs:
        outputs.write(path, write)
    return path


def _make_dir(folder: Path) -> None:
    """Create ``folder`` and its parents, or raise ``RenderError``."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RenderError(f"cannot create {folder}: {exc.strerror or exc}") from exc


def _check_dpi(dpi: int) -> None:
    """Raise ``RenderError`` unless ``dpi`` is between 1 and ``MAX_DPI``."""
    if not 1 <= dpi <= MAX_DPI:
        raise RenderError(f"dpi must be between 1 and {MAX_DPI}, not {dpi}")
