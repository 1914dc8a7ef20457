"""Build small PDFs for the PDF reader's tests with reportlab: a hard-wrapped copy-out with folios, scans.

Every text here is invented for the tests.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

__all__ = ["BODY", "TITLE", "copy_out", "scan"]

FONT = Path(__file__).resolve().parents[2] / "fonts" / "FandolFang-Regular.ttf"
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
