"""Page previews: PNG files, their pixel size at the asked dpi, and the contact sheet's grid."""

from __future__ import annotations

import math
import struct
from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from publish.errors import RenderError, SourceError
from publish.output import preview
from publish.output.preview import contact_sheet, render_pages

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
A4_WIDTH, A4_HEIGHT = A4


def small_pdf(path: Path, count: int) -> Path:
    """Write a ``count``-page A4 PDF with a line of text at the top of each page, and return ``path``."""
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for number in range(1, count + 1):
        pdf.setFont("Helvetica", 24)
        pdf.drawString(72, A4_HEIGHT - 72, f"Page {number}")
        pdf.showPage()
    pdf.save()
    return path


def png_size(path: Path) -> tuple[int, int]:
    """Return the width and height from a PNG's IHDR chunk, checking the signature first."""
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    length, kind = struct.unpack(">I4s", data[8:16])
    assert (length, kind) == (13, b"IHDR")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def pixels_at(dpi: int, points: float) -> int:
    return math.ceil(points * dpi / 72)


@pytest.mark.parametrize("dpi", [30, 60, 72, 150])
def test_page_images_have_the_size_the_dpi_gives(tmp_path: Path, dpi: int) -> None:
    paths = render_pages(small_pdf(tmp_path / "b.pdf", 3), tmp_path / "out", [2], dpi=dpi)
    assert paths == [tmp_path / "out" / "page-2.png"]
    width, height = png_size(paths[0])
    assert abs(width - pixels_at(dpi, A4_WIDTH)) <= 1
    assert abs(height - pixels_at(dpi, A4_HEIGHT)) <= 1
    with Image.open(paths[0]) as image:
        assert image.mode == "RGB"
        assert image.info["dpi"] == pytest.approx((dpi, dpi), abs=0.05)  # pHYs stores pixels per metre


def test_all_pages_by_default_with_padded_numbers_and_a_stem(tmp_path: Path) -> None:
    paths = render_pages(small_pdf(tmp_path / "b.pdf", 12), tmp_path / "out", None, stem="booklet")
    assert [p.name for p in paths] == [f"booklet-{n:02d}.png" for n in range(1, 13)]
    assert all(p.read_bytes()[:8] == PNG_SIGNATURE for p in paths)


def test_pages_come_in_the_order_asked_and_repeats_once(tmp_path: Path) -> None:
    paths = render_pages(small_pdf(tmp_path / "b.pdf", 3), tmp_path / "out", [3, 1, 3])
    assert [p.name for p in paths] == ["page-3.png", "page-1.png"]
    assert render_pages(tmp_path / "b.pdf", tmp_path / "none", []) == []


def test_pages_differ_where_the_pdf_does(tmp_path: Path) -> None:
    one, two = render_pages(small_pdf(tmp_path / "b.pdf", 2), tmp_path / "out", [1, 2])
    with Image.open(one) as first, Image.open(two) as second:
        assert first.tobytes() != second.tobytes()
        assert first.getpixel((first.width // 2, first.height // 2)) == (255, 255, 255)


def test_a_page_the_pdf_lacks_is_a_source_error(tmp_path: Path) -> None:
    source = small_pdf(tmp_path / "b.pdf", 3)
    with pytest.raises(SourceError, match=r"has no page 4 \(it has 3\)"):
        render_pages(source, tmp_path / "out", [1, 4])
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("dpi", [0, -5, 601])
def test_dpi_out_of_range_is_a_render_error(tmp_path: Path, dpi: int) -> None:
    with pytest.raises(RenderError, match="dpi"):
        render_pages(small_pdf(tmp_path / "b.pdf", 1), tmp_path / "out", None, dpi=dpi)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda p: None, "no such file"),
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_text("一、总体要求\n", encoding="utf-8"), "not a PDF"),
        (lambda p: p.write_bytes(b"%PDF-1.4\n garbage"), "not a readable PDF"),
    ],
)
def test_unusable_sources_raise_source_error(tmp_path: Path, make: object, message: str) -> None:
    source = tmp_path / "b.pdf"
    make(source)  # type: ignore[operator]
    for call in (
        lambda: render_pages(source, tmp_path / "out", None),
        lambda: contact_sheet(source, tmp_path / "c.png"),
    ):
        with pytest.raises(SourceError, match=message) as caught:
            call()
        assert "\n" not in str(caught.value)


def test_contact_sheet_is_a_grid_of_every_page(tmp_path: Path) -> None:
    target = contact_sheet(
        small_pdf(tmp_path / "b.pdf", 10), tmp_path / "build" / "contact.png", columns=6, dpi=30
    )
    assert target == tmp_path / "build" / "contact.png"
    width, height = png_size(target)
    thumb_w, thumb_h = pixels_at(30, A4_WIDTH), pixels_at(30, A4_HEIGHT)
    # six pages a row, two rows, with gaps and number labels but nothing else
    assert 6 * thumb_w < width < 6 * (thumb_w + 30)
    assert 2 * thumb_h < height < 2 * (thumb_h + 50)
    with Image.open(target) as image:
        cell_w, cell_h = width / 6, height / 2
        for index in range(12):
            x = int((index % 6 + 0.5) * cell_w)
            y = int((index // 6 + 0.5) * cell_h)
            expected = (255, 255, 255) if index < 10 else preview.BACKGROUND
            assert image.getpixel((x, y)) == expected, f"cell {index + 1}"


def test_contact_sheet_columns_shape_the_grid(tmp_path: Path) -> None:
    source = small_pdf(tmp_path / "b.pdf", 4)
    wide = png_size(contact_sheet(source, tmp_path / "wide.png", columns=4))
    tall = png_size(contact_sheet(source, tmp_path / "tall.png", columns=1))
    assert wide[0] > 3 * tall[0] and tall[1] > 3 * wide[1]
    bare = png_size(contact_sheet(source, tmp_path / "bare.png", columns=4, numbers=False))
    assert bare[0] == wide[0] and bare[1] < wide[1]


def test_long_pdfs_shrink_to_the_pixel_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(preview, "MAX_SHEET_PIXELS", 400_000)
    width, height = png_size(contact_sheet(small_pdf(tmp_path / "b.pdf", 24), tmp_path / "c.png", dpi=30))
    assert width * height <= 400_000


def test_contact_sheet_is_deterministic(tmp_path: Path) -> None:
    source = small_pdf(tmp_path / "b.pdf", 5)
    one = contact_sheet(source, tmp_path / "one.png").read_bytes()
    assert one == contact_sheet(source, tmp_path / "two.png").read_bytes()


@pytest.mark.parametrize("columns", [0, -1])
def test_contact_sheet_needs_a_column(tmp_path: Path, columns: int) -> None:
    with pytest.raises(RenderError, match="column"):
        contact_sheet(small_pdf(tmp_path / "b.pdf", 1), tmp_path / "c.png", columns=columns)
