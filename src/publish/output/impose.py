"""Saddle-stitch imposition: a finished A4 booklet PDF → A3 landscape sheets, two pages a side.

The order (``side_order``) is for sheets printed duplex with *flip on short edge*, kept in printed order with
the first sheet outermost, folded in the middle and stapled through the fold. With ``N`` the page count padded
to a multiple of four and ``k`` the 0-based sheet, the front of sheet ``k`` carries pages ``N−2k`` (left) and
``2k+1`` (right), its back ``2k+2`` (left) and ``N−2k−1`` (right), all upright. Turning a landscape sheet over
its short edge keeps the back upright and brings the back's left half behind the front's right half, so page
``2k+2`` is printed on the reverse of page ``2k+1``. The derivation and a by-hand check are in
``docs/printing.md``; the tests fold the sheets in code and read the pages back in order.

Blank pages pad the booklet at its end. Only the drawn page content is placed on the sheets: links,
annotations, outlines and page labels of the source are left out, since a folded sheet needs none of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import cast

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.errors import PyPdfError
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ContentStream,
    DictionaryObject,
    FloatObject,
    NameObject,
    PdfObject,
    RectangleObject,
    StreamObject,
)

from publish.atomic import Outputs
from publish.errors import RenderError, SourceError
from publish.output._pdf_file import require_pdf

MM = 72 / 25.4
SHEET_WIDTH = 420 * MM  # A3 landscape, 1190.55 pt
SHEET_HEIGHT = 297 * MM  # 841.89 pt
CELL_WIDTH = SHEET_WIDTH / 2  # one A4 portrait page, 595.28 pt


@dataclass(frozen=True)
class Side:
    """One printed side of a sheet: 1-based page numbers of the padded booklet, left and right half."""

    left: int
    right: int


@dataclass(frozen=True)
class ImposeResult:
    """What ``impose`` wrote: source ``pages``, ``blanks`` added, physical ``sheets`` (two sides each)."""

    target: Path
    pages: int
    blanks: int
    sheets: int

    @property
    def sides(self) -> int:
        """Return the number of pages in the imposed PDF (front and back of every sheet)."""
        return 2 * self.sheets

    def __str__(self) -> str:
        blanks = f" + {self.blanks} blank" if self.blanks else ""
        return f"{self.pages} pages{blanks} on {self.sheets} A3 sheets ({self.sides} sides)"


def padded_count(pages: int) -> int:
    """Return ``pages`` rounded up to a multiple of four (a folded sheet holds four pages); 0 stays 0."""
    return -(-pages // 4) * 4


def side_order(pages: int) -> list[Side]:
    """Return the sides in print order (sheet 1 front, sheet 1 back, sheet 2 front, …) for ``pages`` pages.

    Numbers above ``pages`` are the padding blanks. An empty list means ``pages`` is 0.
    """
    total = padded_count(pages)
    sides: list[Side] = []
    for k in range(total // 4):
        sides.append(Side(left=total - 2 * k, right=2 * k + 1))
        sides.append(Side(left=2 * k + 2, right=total - 2 * k - 1))
    return sides


def impose(source: Path, target: Path) -> ImposeResult:
    """Write ``target``: the pages of ``source`` two-up on A3 landscape sheets in saddle-stitch order.

    ``target`` (its folder is created if needed) is written through a temporary file beside it and renamed
    into place, so a failed run leaves an earlier file untouched; ``target`` may be ``source``. Raises
    ``SourceError`` when ``source`` is missing, not a PDF, encrypted or empty, and ``RenderError`` when the
    sheets cannot be composed or written.
    """
    reader = _open(source)
    pages = list(reader.pages)
    writer = PdfWriter()
    writer.pdf_header = "%PDF-1.7"  # the /Duplex viewer preference is PDF 1.7, which covers all before it
    try:
        for side in side_order(len(pages)):
            sheet = writer.add_blank_page(SHEET_WIDTH, SHEET_HEIGHT)
            cells = [(n, x) for n, x in ((side.left, 0.0), (side.right, CELL_WIDTH)) if n <= len(pages)]
            _place(writer, sheet, [(pages[n - 1], x) for n, x in cells])
        # A hint for the print dialog (ISO 32000-1 §12.2, table 150); the user still confirms it.
        preferences = writer.create_viewer_preferences()
        preferences[NameObject("/Duplex")] = NameObject("/DuplexFlipShortEdge")
        preferences[NameObject("/PickTrayByPDFSize")] = BooleanObject(True)
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise RenderError(f"cannot impose {source}: {_first_line(exc)}") from exc
    _write(writer, target, source)
    total = padded_count(len(pages))
    return ImposeResult(target=target, pages=len(pages), blanks=total - len(pages), sheets=total // 4)


def _open(source: Path) -> PdfReader:
    """Read ``source`` fully into memory, or raise ``SourceError`` saying why it is no usable PDF."""
    require_pdf(source)
    try:
        reader = PdfReader(source)
        if reader.is_encrypted:
            raise SourceError("the PDF is encrypted; impose the unencrypted booklet", source)
        count = len(reader.pages)
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}", source) from exc
    except (PyPdfError, ValueError, KeyError, TypeError) as exc:
        raise SourceError(f"not a readable PDF: {_first_line(exc)}", source) from exc
    if count == 0:
        raise SourceError("the PDF has no pages", source)
    return reader


def _place(writer: PdfWriter, sheet: PageObject, cells: list[tuple[PageObject, float]]) -> None:
    """Draw each page centred in the A4 cell starting at its x offset on ``sheet``, scaled to fit if not A4.

    A page with one content stream (what reportlab writes) becomes a Form XObject drawn with one matrix: its
    compressed content is copied as is, never parsed. A page whose content is an array of streams goes
    through pypdf's ``merge_transformed_page``, which parses and rewrites it and is about ten times slower.
    """
    operations: list[tuple[list[PdfObject], bytes]] = []
    merged: list[tuple[PageObject, Transformation]] = []
    for index, (page, cell_left) in enumerate(cells):
        contents = page.get("/Contents")
        if contents is None:  # nothing drawn on this page
            continue
        placement = _fit(page.cropbox, page.rotation, cell_left)
        if not isinstance(contents.get_object(), StreamObject):
            merged.append((page, placement))
            continue
        name = NameObject(f"/Page{index}")
        _xobjects(sheet)[name] = _form(writer, page).indirect_reference
        matrix: list[PdfObject] = [FloatObject(v) for v in placement.ctm]
        operations += [([], b"q"), (matrix, b"cm"), ([name], b"Do"), ([], b"Q")]
    if operations:
        content = ContentStream(None, writer)
        content.operations = operations
        sheet.replace_contents(content)
    for page, placement in merged:
        # merge would copy links and form fields onto the sheet; imposed sheets are for print only
        if "/Annots" in page:
            del page["/Annots"]
        sheet.merge_transformed_page(page, placement)


def _form(writer: PdfWriter, page: PageObject) -> StreamObject:
    """Return a copy in ``writer`` of ``page``'s content stream, made a Form XObject clipped to its box."""
    contents = cast(StreamObject, page["/Contents"].get_object())
    form = cast(StreamObject, contents.clone(writer, force_duplicate=True))
    form[NameObject("/Type")] = NameObject("/XObject")
    form[NameObject("/Subtype")] = NameObject("/Form")
    form[NameObject("/BBox")] = ArrayObject(FloatObject(float(v)) for v in page.cropbox)
    resources = page.get("/Resources")
    form[NameObject("/Resources")] = resources.clone(writer) if resources is not None else DictionaryObject()
    if "/Group" in page:  # a page's transparency group applies to the form that replaces it
        form[NameObject("/Group")] = page["/Group"].clone(writer)
    return form


def _xobjects(sheet: PageObject) -> DictionaryObject:
    """Return the sheet's /XObject resource dictionary, creating it when missing."""
    resources = cast(DictionaryObject, sheet[NameObject("/Resources")].get_object())
    if "/XObject" not in resources:
        resources[NameObject("/XObject")] = DictionaryObject()
    return cast(DictionaryObject, resources["/XObject"].get_object())


def _fit(box: RectangleObject, rotation: int, cell_left: float) -> Transformation:
    """Return the matrix that shows ``box`` turned by ``rotation`` (its /Rotate) centred in the A4 cell.

    The page is scaled to fit the cell when it is not A4 (or A4 landscape once turned) and keeps its shape.
    """
    width, height = float(box.width), float(box.height)
    if width <= 0 or height <= 0:
        raise RenderError(f"a page has an empty crop box {[float(v) for v in box]}")
    turn = rotation % 360
    if turn % 90:
        raise RenderError(f"a page has /Rotate {rotation}, which is not a multiple of 90")
    # /Rotate turns the page clockwise for display (ISO 32000-1 §7.7.3.3); this shift keeps it in the
    # positive quadrant once turned
    shift = {0: (0.0, 0.0), 90: (0.0, width), 180: (width, height), 270: (height, 0.0)}[turn]
    if turn in (90, 270):
        width, height = height, width
    scale = min(CELL_WIDTH / width, SHEET_HEIGHT / height)
    if abs(scale - 1) < 1e-3:  # A4 written with rounded sizes (595.28 × 841.89) is placed unscaled
        scale = 1.0
    dx = cell_left + (CELL_WIDTH - width * scale) / 2
    dy = (SHEET_HEIGHT - height * scale) / 2
    upright = Transformation().translate(-float(box.left), -float(box.bottom)).rotate(-turn).translate(*shift)
    return upright.scale(scale, scale).translate(dx, dy)


def _write(writer: PdfWriter, target: Path, source: Path) -> None:
    """Write ``writer`` through a temporary file beside ``target``, renamed into place (publish.atomic)."""
    with Outputs(protect=[source]) as outputs:
        outputs.write(target, lambda temp: writer.write(temp))


def _first_line(exc: Exception) -> str:
    """Return the first line of an exception's message, or its type name when it has none."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
