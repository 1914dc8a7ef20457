"""LibreOffice parity tools: convert a DOCX with LibreOffice headless and compare its pages with our PDF's.

``read_pages`` reads a PDF back as text lines per page (characters within 3 pt vertically form one line);
``parity`` compares two such readings: page count, the lines of every page, and the share of our text lines
that LibreOffice sets identically on the same page (folios apart, dot leaders and spaces ignored, since their
count differs between renderers).
"""

from __future__ import annotations

import os
import subprocess
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber

from publish.layout.frame import LayoutPlan

FONTS = Path(__file__).resolve().parents[2] / "fonts"

TIMEOUT = 600  # seconds for one LibreOffice run (several documents; a loaded machine is slow)


@dataclass(frozen=True)
class PdfLine:
    """One text line read back from a PDF: baseline-ish y (glyph bottom), extent, text and the baseline of
    its first character (from the text matrix: exact, where a glyph bottom depends on the descent each PDF
    writer records for the font)."""

    bottom: float
    x0: float
    x1: float
    text: str
    baseline: float = 0.0


@dataclass(frozen=True)
class Rendered:
    """One plan and both PDFs of it read back: ours and LibreOffice's rendering of the DOCX."""

    plan: LayoutPlan
    ours: list[list[PdfLine]]
    lo: list[list[PdfLine]]


def read_pages(path: Path) -> list[list[PdfLine]]:
    """Return each page's text lines, top to bottom; characters within 3 pt vertically form one line."""
    pages: list[list[PdfLine]] = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            rows: dict[float, list[dict[str, Any]]] = defaultdict(list)
            for ch in page.chars:
                rows[round(ch["bottom"], 1)].append(ch)
            groups: list[list[Any]] = []
            for key in sorted(rows):
                if groups and key - groups[-1][0] <= 3:
                    groups[-1][1].extend(rows[key])
                else:
                    groups.append([key, list(rows[key])])
            lines = []
            for _, chars in groups:
                chars.sort(key=lambda c: c["x0"])
                text = "".join(c["text"] for c in chars)
                baseline = float(page.height) - chars[0]["matrix"][5]
                lines.append(
                    PdfLine(max(c["bottom"] for c in chars), chars[0]["x0"], chars[-1]["x1"], text, baseline)
                )
            pages.append(lines)
    return pages


def convert(
    docx: Path | Sequence[Path], out: Path, profile: Path, env: dict[str, str] | None = None
) -> list[Path]:
    """Convert ``docx`` (one file or several, in one LibreOffice run) to PDF with LibreOffice headless in a
    private profile; return the PDFs' paths in the same order.

    One run keeps the first embedded font of each family name: documents embedding different subsets of one
    family need a run each.
    """
    files = [docx] if isinstance(docx, Path) else list(docx)
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=TIMEOUT,
        env=env,
    )
    pdfs = [out / (f.stem + ".pdf") for f in files]
    missing = [p.name for p in pdfs if not p.exists()]
    assert not missing, f"LibreOffice wrote no PDF for {missing}"
    return pdfs


def is_folio(line: PdfLine) -> bool:
    """Return whether ``line`` is a page number "— N —"."""
    return line.text.startswith("—") and line.text.endswith("—")


def text_lines(page: list[PdfLine]) -> list[PdfLine]:
    """Return the page's lines without its folio."""
    return [line for line in page if not is_folio(line)]


def normal(text: str) -> str:
    """Return ``text`` without dot leaders (their count differs between renderers) and spaces."""
    return text.replace(".", "").replace("…", "").replace("·", "").replace(" ", "")


@dataclass(frozen=True)
class Parity:
    """How LibreOffice's pages compare with ours: lines set identically on the same page, our lines, and
    the ones that differ ("p3: text")."""

    same: int
    total: int
    missing: tuple[str, ...]

    @property
    def share(self) -> float:
        """Return the identical share (1.0 for no lines)."""
        return self.same / self.total if self.total else 1.0


def parity(ours: list[list[PdfLine]], lo: list[list[PdfLine]]) -> Parity:
    """Return the line parity of LibreOffice's pages ``lo`` against ``ours`` (pages compared pairwise)."""
    same = total = 0
    missing: list[str] = []
    for i, (mine, theirs) in enumerate(zip(ours, lo, strict=False)):
        found = {normal(line.text) for line in text_lines(theirs)}
        for line in text_lines(mine):
            total += 1
            if normal(line.text) in found:
                same += 1
            else:
                missing.append(f"p{i + 1}: {line.text}")
    for i in range(len(lo), len(ours)):
        for line in text_lines(ours[i]):
            total += 1
            missing.append(f"p{i + 1}: {line.text}")
    return Parity(same, total, tuple(missing))


def bundled_fonts_env(work: Path) -> dict[str, str]:
    """Return an environment whose fontconfig also finds the bundled fonts (by their family names), so that
    LibreOffice's metric aliases (Times New Roman → Liberation Serif) resolve to the bundled files too."""
    config = work / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{FONTS}</dir>\n  <cachedir>{work / 'fc-cache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    return dict(os.environ, FONTCONFIG_FILE=str(config))
