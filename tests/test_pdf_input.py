"""PDF inputs: text by pypdfium2, one extracted line per line, pages apart; scans refused; pages named.

The fixture is a hard-wrapped copy-out with a folio on every page, written here with reportlab. What reflow
(joining the wrapped lines, dropping folios) makes of it is the raw-text path's business; these tests check
what the reader guarantees: every character, in order, page by page, and messages that name the page.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from publish.cli import main
from publish.console import ExitStatus
from publish.errors import Diagnostics
from publish.readers.pdf import PAGE_BREAK, read_pdf

FONT = Path(__file__).resolve().parents[1] / "fonts" / "FandolFang-Regular.ttf"
TITLE = "关于加强青年干部队伍建设的思考"
BODY = (
    "青年干部是事业发展的生力军，我们要把培养青年干部作为一项基础性工作来抓。"
    "一是加强理论学习，引导青年干部读原著、学原文、悟原理，筑牢思想根基。"
    "二是注重实践锻炼，安排青年干部到基层一线和艰苦岗位经受磨炼，增长才干。"
    "三是从严管理监督，请X书记牵头建立谈心谈话制度，及时发现和纠正苗头性问题。"
    "总之，我们要以更高标准、更实举措，推动青年干部工作再上新台阶。"
)
WRAP = 24  # characters per printed line: a hard wrap mid-sentence
LINES_PER_PAGE = 4


def _register() -> str:
    if "FandolFang" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("FandolFang", str(FONT)))
    return "FandolFang"


def copy_out(path: Path) -> list[list[str]]:
    """Write a hard-wrapped PDF with the title on page 1 and a folio on each page; return its lines."""
    font = _register()
    lines = [BODY[i : i + WRAP] for i in range(0, len(BODY), WRAP)]
    pages = [[TITLE, *lines[:LINES_PER_PAGE]]]
    pages += [lines[i : i + LINES_PER_PAGE] for i in range(LINES_PER_PAGE, len(lines), LINES_PER_PAGE)]
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    for number, page in enumerate(pages, 1):
        y = 760.0
        for line in page:
            pdf.setFont(font, 16)
            pdf.drawString(72, y, line)
            y -= 30
        pdf.drawCentredString(A4[0] / 2, 60, f"— {number} —")
        page.append(f"— {number} —")
        pdf.showPage()
    pdf.save()
    return pages


def scan(path: Path, pages: int = 1, text_on_first: bool = False) -> None:
    """Write a PDF whose pages show only an image (a scan); optionally with a text page in front."""
    picture = Image.new("RGB", (60, 80), "white")
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    pdf = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    if text_on_first:
        pdf.setFont(_register(), 16)
        pdf.drawString(72, 760, TITLE)
        pdf.drawString(72, 730, BODY[:WRAP])
        pdf.showPage()
    for _ in range(pages):
        buffer.seek(0)
        pdf.drawImage(ImageReader(buffer), 72, 300, 400, 500)
        pdf.showPage()
    pdf.save()


def test_text_comes_one_line_per_line_with_a_form_feed_line_between_pages(tmp_path: Path) -> None:
    path = tmp_path / "发言.pdf"
    pages = copy_out(path)
    found = read_pdf(path, Diagnostics())
    assert len(pages) >= 2
    expected = [line for number, page in enumerate(pages) for line in ([PAGE_BREAK] if number else []) + page]
    assert found.source.text.split("\n")[:-1] == expected
    starts, line = [], 1
    for page in pages:
        starts.append(line)
        line += len(page) + 1
    assert found.page_starts == tuple(starts)


def test_a_pdf_builds_and_keeps_every_character_in_order(tmp_path: Path) -> None:
    path = tmp_path / "发言.pdf"
    copy_out(path)
    code, out, err = run("build", str(path), "-o", str(tmp_path / "out"), "--format", "pdf")
    assert code == 0, err
    assert (tmp_path / "out" / "发言.pdf").is_file() and "speech" in out
    code, source, _ = run("import", str(path))
    assert code == 0
    text = re.sub(r"\s", "", source[source.index("title = ") :])  # from the cover title on
    position = 0
    for char in TITLE + BODY:  # in order, none lost (folios may stay until reflow removes them)
        position = text.index(char, position) + 1


def test_findings_name_the_page(tmp_path: Path) -> None:
    path = tmp_path / "发言.pdf"
    pages = copy_out(path)
    page = next(n for n, lines in enumerate(pages, 1) if any("X书记" in line for line in lines))
    code, _, err = run("check", str(path))
    assert code == ExitStatus.FINDINGS
    assert re.search(rf"发言\.pdf: page {page}, line \d+: warning: unfilled placeholder “X书记”", err), err


def test_a_scan_is_refused_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "扫描件.pdf"
    scan(path, pages=2)
    code, _, err = run("build", str(path), "-o", str(tmp_path / "out"))
    assert code == ExitStatus.SOURCE
    assert "扫描件.pdf" in err and "no text layer" in err and "OCR" in err
    assert len(err.strip().splitlines()) == 1 and not (tmp_path / "out").exists()


def test_an_image_only_page_is_reported_with_its_page(tmp_path: Path) -> None:
    path = tmp_path / "混合.pdf"
    scan(path, pages=1, text_on_first=True)
    diagnostics = Diagnostics()
    read_pdf(path, diagnostics)
    assert [str(d.location) for d in diagnostics.items] == [f"{path}: page 2"]
    assert diagnostics.items[0].code == "pdf-image-page"


@pytest.mark.parametrize("data", [b"not a pdf at all", b"%PDF-1.4\nbroken"])
def test_a_broken_pdf_is_one_line(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "坏文件.pdf"
    path.write_bytes(data)
    code, _, err = run("build", str(path), "-o", str(tmp_path / "out"))
    assert code == ExitStatus.SOURCE and "坏文件.pdf" in err and "Traceback" not in err


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()
