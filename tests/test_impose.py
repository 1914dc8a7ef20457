"""Saddle-stitch imposition: read the imposed PDF back; check sheet size, page order, blanks and the fold."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest
from PIL import Image, ImageChops, ImageStat
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, NameObject
from reportlab.lib.pagesizes import A4, A5
from reportlab.pdfgen import canvas

from publish.errors import SourceError, UsageError
from publish.output.impose import SHEET_HEIGHT, SHEET_WIDTH, Side, impose, padded_count, side_order

Halves = tuple[str, str]


def numbered_pdf(path: Path, count: int, size: tuple[float, float] = A4, link: bool = False) -> Path:
    """Write a ``count``-page PDF whose pages show their number large in the middle, and return ``path``."""
    pdf = canvas.Canvas(str(path), pagesize=size, invariant=1)
    width, height = size
    for number in range(1, count + 1):
        pdf.setFont("Helvetica-Bold", 120)
        pdf.drawCentredString(width / 2, height / 2, str(number))
        if link:
            pdf.linkURL("https://example.org", (50, 50, 150, 80))
        pdf.showPage()
    pdf.save()
    return path


def read_sides(path: Path) -> list[Halves]:
    """Return the text of the left and right half of every side of an imposed PDF, "" for an empty half."""
    sides: list[Halves] = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            middle = page.width / 2
            left = page.crop((0, 0, middle, page.height)).extract_text().strip()
            right = page.crop((middle, 0, page.width, page.height)).extract_text().strip()
            sides.append((left, right))
    return sides


def fold(sides: list[Halves]) -> list[str]:
    """Return the pages of the booklet that the printed sides make, in reading order.

    ``sides[2k]`` and ``sides[2k + 1]`` are the front and back of sheet ``k`` as printed (left, right).
    Turning a sheet over its short edge, as duplex short-edge printing does, puts the back's left half behind
    the front's right half. Folded in the middle with sheet 0 outside, the right halves become the leaves of
    the first half of the booklet (outermost first), the left halves those of the second half (innermost
    first); each leaf reads its recto, then its verso.
    """
    sheets = [(sides[i], sides[i + 1]) for i in range(0, len(sides), 2)]
    leaves = [(front[1], back[0]) for front, back in sheets]
    leaves += [(back[1], front[0]) for front, back in reversed(sheets)]
    return [page for leaf in leaves for page in leaf]


def test_side_order_for_eight_pages_matches_the_printing_table() -> None:
    assert side_order(8) == [Side(8, 1), Side(2, 7), Side(6, 3), Side(4, 5)]


@pytest.mark.parametrize(
    ("pages", "padded"), [(0, 0), (1, 4), (4, 4), (5, 8), (8, 8), (10, 12), (1200, 1200)]
)
def test_padding_is_to_a_multiple_of_four(pages: int, padded: int) -> None:
    assert padded_count(pages) == padded
    assert len(side_order(pages)) == padded // 2


@pytest.mark.parametrize("pages", [1, 2, 3, 4, 6, 9, 16, 30])
def test_side_order_uses_every_page_once_and_folds_into_reading_order(pages: int) -> None:
    sides = side_order(pages)
    numbers = [n for side in sides for n in (side.left, side.right)]
    assert sorted(numbers) == list(range(1, padded_count(pages) + 1))
    as_text = [(str(side.left), str(side.right)) for side in sides]
    assert fold(as_text) == [str(n) for n in range(1, padded_count(pages) + 1)]


def test_eight_pages_make_two_sheets_in_booklet_order(tmp_path: Path) -> None:
    imposed = tmp_path / "imposed.pdf"
    result = impose(numbered_pdf(tmp_path / "booklet.pdf", 8), imposed)
    assert (result.pages, result.blanks, result.sheets, result.sides) == (8, 0, 2, 4)
    assert read_sides(imposed) == [("8", "1"), ("2", "7"), ("6", "3"), ("4", "5")]
    assert fold(read_sides(imposed)) == [str(n) for n in range(1, 9)]


def test_ten_pages_are_padded_to_twelve_with_blanks_at_the_end(tmp_path: Path) -> None:
    imposed = tmp_path / "imposed.pdf"
    result = impose(numbered_pdf(tmp_path / "booklet.pdf", 10), imposed)
    assert (result.pages, result.blanks, result.sheets, result.sides) == (10, 2, 3, 6)
    assert read_sides(imposed) == [("", "1"), ("2", ""), ("10", "3"), ("4", "9"), ("8", "5"), ("6", "7")]
    assert fold(read_sides(imposed)) == [str(n) for n in range(1, 11)] + ["", ""]


def test_sheets_are_a3_landscape_and_pages_upright(tmp_path: Path) -> None:
    imposed = tmp_path / "imposed.pdf"
    impose(numbered_pdf(tmp_path / "booklet.pdf", 6), imposed)
    reader = PdfReader(imposed)
    assert len(reader.pages) == 4
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(1190.55, abs=0.01)
        assert float(page.mediabox.height) == pytest.approx(841.89, abs=0.01)
        assert page.rotation == 0
    with pdfplumber.open(imposed) as pdf:
        for side in pdf.pages:
            for char in side.chars:  # the back is not turned 180°: short-edge flip keeps it upright
                a, b, c, d, _, _ = char["matrix"]
                assert a > 0 and d > 0 and b == 0 and c == 0
                assert side.height * 0.3 < char["top"] < side.height * 0.7


def test_each_page_is_centred_in_its_half(tmp_path: Path) -> None:
    imposed = tmp_path / "imposed.pdf"
    impose(numbered_pdf(tmp_path / "booklet.pdf", 4), imposed)
    with pdfplumber.open(imposed) as pdf:
        chars = pdf.pages[0].chars  # front of the only sheet: 4 | 1
    centres = {c["text"]: (c["x0"] + c["x1"]) / 2 for c in chars}
    assert centres["4"] == pytest.approx(SHEET_WIDTH / 4, abs=1)
    assert centres["1"] == pytest.approx(SHEET_WIDTH * 3 / 4, abs=1)


def test_pages_of_another_size_are_scaled_to_fill_the_half(tmp_path: Path) -> None:
    imposed = tmp_path / "imposed.pdf"
    impose(numbered_pdf(tmp_path / "a5.pdf", 4, size=A5), imposed)
    with pdfplumber.open(imposed) as pdf:
        glyph = next(c for c in pdf.pages[0].chars if c["text"] == "1")
    assert glyph["size"] == pytest.approx(120 * SHEET_HEIGHT / A5[1], rel=0.01)
    assert (glyph["x0"] + glyph["x1"]) / 2 == pytest.approx(SHEET_WIDTH * 3 / 4, abs=1)


def test_each_half_looks_like_its_source_page_whatever_its_rotation_or_content_layout(tmp_path: Path) -> None:
    """Render the sheets and the source pages with PDFium and compare them pixel by pixel, half by half."""
    plain = tmp_path / "plain.pdf"
    pdf = canvas.Canvas(str(plain), pagesize=A4, invariant=1)
    for number in range(1, 9):  # an asymmetric drawing shows any turn or mirror
        pdf.setFont("Helvetica-Bold", 150)
        pdf.drawString(100, 400, str(number))
        pdf.setFont("Helvetica", 40)
        pdf.drawString(40, 780, "TOP LEFT")
        pdf.rect(400, 50, 150, 100, fill=1)
        pdf.showPage()
    pdf.save()
    writer = PdfWriter(clone_from=plain)
    for index, page in enumerate(writer.pages):
        page.rotate([0, 90, 180, 270, 90, -90, 0, 180][index])
        if index in (4, 5):  # content as an array of streams: the merge path
            page[NameObject("/Contents")] = ArrayObject([page.raw_get("/Contents")])
    writer.pages[6].mediabox.lower_left = (20, 30)  # a box not at the origin
    source = tmp_path / "odd.pdf"
    writer.write(source)
    imposed = tmp_path / "imposed.pdf"
    impose(source, imposed)

    originals, sheets = pdfium.PdfDocument(source), pdfium.PdfDocument(imposed)
    try:
        for index, side in enumerate(side_order(8)):
            sheet = sheets[index].render(scale=0.5).to_pil().convert("L")
            half = sheet.width // 2
            for number, left in ((side.left, 0), (side.right, half)):
                got = sheet.crop((left, 0, left + half, sheet.height))
                page = originals[number - 1].render(scale=0.5).to_pil().convert("L")
                fit = min(got.width / page.width, got.height / page.height)
                page = page.resize((round(page.width * fit), round(page.height * fit)))
                expected = Image.new("L", got.size, 255)
                expected.paste(page, ((got.width - page.width) // 2, (got.height - page.height) // 2))
                difference = ImageStat.Stat(ImageChops.difference(expected, got)).mean[0]
                assert difference < 2, f"page {number} differs on sheet side {index + 1}"
    finally:
        originals.close()
        sheets.close()


def test_links_outlines_and_labels_are_left_out(tmp_path: Path) -> None:
    imposed = tmp_path / "imposed.pdf"
    impose(numbered_pdf(tmp_path / "booklet.pdf", 4, link=True), imposed)
    reader = PdfReader(imposed)
    assert all("/Annots" not in page for page in reader.pages)
    root = reader.root_object
    assert "/PageLabels" not in root
    assert "/Outlines" not in root
    assert reader.viewer_preferences is not None
    assert reader.viewer_preferences["/Duplex"] == NameObject("/DuplexFlipShortEdge")


def test_same_input_gives_same_bytes(tmp_path: Path) -> None:
    source = numbered_pdf(tmp_path / "booklet.pdf", 10)
    impose(source, tmp_path / "one.pdf")
    impose(source, tmp_path / "two.pdf")
    assert (tmp_path / "one.pdf").read_bytes() == (tmp_path / "two.pdf").read_bytes()


def test_target_never_replaces_the_source_and_no_temporary_file_is_left(tmp_path: Path) -> None:
    # issue 16: an input is never overwritten (the booklet would be lost for the imposed sheets)
    source = numbered_pdf(tmp_path / "booklet.pdf", 8)
    before = source.read_bytes()
    with pytest.raises(UsageError, match="is an input of this command"):
        impose(source, source)
    with pytest.raises(UsageError):
        impose(source, tmp_path / "." / "booklet.pdf")
    assert source.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["booklet.pdf"]


def test_target_folder_is_created(tmp_path: Path) -> None:
    target = tmp_path / "build" / "print" / "imposed.pdf"
    impose(numbered_pdf(tmp_path / "booklet.pdf", 2), target)
    assert len(PdfReader(target).pages) == 2


def empty_pdf(path: Path) -> None:
    PdfWriter().write(path)


def encrypted_pdf(path: Path) -> None:
    writer = PdfWriter(clone_from=numbered_pdf(path.with_name("plain.pdf"), 1))
    writer.encrypt("secret")
    writer.write(path)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: None, "no such file"),
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_text("一、总体要求\n", encoding="utf-8"), "not a PDF"),
        (lambda p: p.write_bytes(b"%PDF-1.4\n garbage"), "not a readable PDF"),
        (empty_pdf, "no pages"),
        (encrypted_pdf, "encrypted"),
    ],
)
def test_unusable_sources_raise_source_error(tmp_path: Path, make: object, message: str) -> None:
    source = tmp_path / "booklet.pdf"
    make(source)  # type: ignore[operator]
    with pytest.raises(SourceError, match=message) as caught:
        impose(source, tmp_path / "out.pdf")
    assert "\n" not in str(caught.value)
    assert str(source) in str(caught.value)
    assert not (tmp_path / "out.pdf").exists()


def test_result_reads_as_one_line_for_the_cli(tmp_path: Path) -> None:
    result = impose(numbered_pdf(tmp_path / "booklet.pdf", 10), tmp_path / "imposed.pdf")
    assert str(result) == "10 pages + 2 blank on 3 A3 sheets (6 sides)"
