"""LibreOffice sets the DOCX's cover and speaker lines on the PDF's baselines (docs/cover.md).

Booklets with organisation and date on the cover (several field combinations and styles, a cover title of
two and of three grid lines a line) and speeches with one- and three-line bylines are written as PDF and as
portable DOCX from one plan; LibreOffice converts each DOCX. Every text line of every page must be on the same
page of LibreOffice's rendering with the same text, its baseline within ``TOLERANCE`` of ours: the cover's
title block, subtitle and foot block, the blank line after the byline, and the body below it.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pdfplumber
import pytest

from publish.errors import Diagnostics
from publish.fonts import FontSet
from publish.layout.plan import plan as make_plan
from publish.layout.spec import default_spec
from publish.layout.spec_file import merge_spec
from publish.model import Booklet
from publish.render.docx import render as render_docx
from publish.render.pdf import render as render_pdf
from support.lo_parity import convert, normal
from support.pdf_summary import TextLine, page_lines
from test_cover_layout import FIELDS, SPEECHES, STYLES

# pt between our baseline and LibreOffice's: a 579-twip DOCX line is 0.04 pt short of the 28.99 pt grid
# line, and LibreOffice sets a one-grid-line baseline 0.55 pt below ours (measured: at most 0.65 pt on the
# pages here, 0.3 pt on the covers)
TOLERANCE = 1.0
CASES = {  # name → (cover fields, style)
    "full-default": ("full", "default"),
    "long-title-two-organisations": ("long-title-subtitle", "default"),
    "only-date-moved": ("only-date", "moved"),
    "subtitle-at-the-foot": ("full", "subtitle-foot"),
    "leading-1.6": ("two-organisations", "leading-1.6"),  # cover title 3 grid lines a line, speech title 2
}

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) not installed: apt-get install libreoffice-writer-nogui",
)


def _pages(path: Path) -> list[list[TextLine]]:
    with pdfplumber.open(path) as pdf:
        return [page_lines(page, i) for i, page in enumerate(pdf.pages)]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[list[Any], list[Any]]]:
    work = tmp_path_factory.mktemp("cover-lo")
    fonts = FontSet.load(default_spec().fonts.chains)
    out: dict[str, tuple[list[Any], list[Any]]] = {}
    for name, (fields, style) in CASES.items():
        title, subtitle, organisation, date = FIELDS[fields]
        booklet = Booklet(title, SPEECHES, subtitle=subtitle, organisation=organisation, date=date)
        laid_out = make_plan(booklet, merge_spec(default_spec(), STYLES[style]), fonts, Diagnostics())
        render_pdf(laid_out, fonts, work / f"{name}.pdf")
        render_docx(laid_out, fonts, work / f"{name}.docx", font_mode="portable", docx_for="libreoffice")
        # one LibreOffice run per document: a run keeps the first embedded subset of a family it meets
        (lo,) = convert(work / f"{name}.docx", work / "lo", work / f"profile-{name}")
        out[name] = _pages(work / f"{name}.pdf"), _pages(lo)
    return out


@pytest.mark.parametrize("name", list(CASES))
def test_libreoffice_sets_the_lines_on_our_baselines(
    name: str, rendered: dict[str, tuple[list[list[TextLine]], list[list[TextLine]]]]
) -> None:
    ours, lo = rendered[name]
    assert len(lo) == len(ours)
    shifts = [_shifts(index, mine, theirs) for index, (mine, theirs) in enumerate(zip(ours, lo, strict=True))]
    worst = max((abs(s) for page in shifts for s, _ in page), default=0.0)
    cover = max((abs(s) for s, _ in shifts[0]), default=0.0)
    print(f"\n{name}: worst baseline shift {worst:.2f} pt, on the cover {cover:.2f} pt")
    off = [f"page {i + 1}: {text!r} {s:+.2f} pt" for i, page in enumerate(shifts) for s, text in page]
    assert worst <= TOLERANCE, [x for x in off if abs(float(x.rsplit(" ", 2)[-2])) > TOLERANCE]


def _shifts(index: int, mine: list[TextLine], theirs: list[TextLine]) -> list[tuple[float, str]]:
    """Return (LibreOffice's baseline − ours, text) for each of our lines, matched to LibreOffice's lines of
    the same text on the page in order; fail for a line LibreOffice does not have."""
    found: dict[str, list[float]] = {}
    for line in theirs:
        found.setdefault(normal(line.text), []).append(line.baseline)
    out = []
    for line in mine:
        if line.text.startswith("—") and line.text.endswith(
            "—"
        ):  # a folio: off the grid, placed by the footer (test_docx_lo checks it)
            continue
        same = found.get(normal(line.text))
        assert same, f"page {index + 1}: LibreOffice has no line {line.text!r}"
        out.append((same.pop(0) - line.baseline, line.text))
    return out
