"""The sample booklet end to end (issue 5, "Done when"), measured by reading the PDF back.

The raw seed goes through read → clean → parse → plan → render once per module; every check below reads
only the PDF (pdfplumber with the Tc correction of ``support.pdf_summary``, pypdf, pdffonts), the spec for
the geometry, and the cleaned text for the content.
"""

from __future__ import annotations

import itertools
import re
import shutil
import statistics
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from publish.clean import clean
from publish.errors import Diagnostics
from publish.layout.measure import latin_gaps
from publish.layout.spec import default_spec
from publish.pipeline import BuildOptions, build
from publish.source import read_source
from support.golden import check_text
from support.pdf_summary import TextLine, fonts, outline, read_lines, summarize

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "content" / "speeches-raw.txt"
GOLDEN = ROOT / "tests" / "golden" / "pdf" / "booklet.summary.txt"
PAGE = default_spec().page
FOLIO = default_spec().page_number
LATIN_GAP = default_spec().latin_spacing * 16  # pt between a 汉字 and a Latin letter or digit in body text
EDGE = PAGE.left + PAGE.body_width  # right edge of the 版心
OVERHANG = 16.0 - PAGE.cell  # a 16 pt em box in a 15.79 pt cell reaches 0.21 pt past the cell
FOLIO_RE = re.compile(r"^\u2014 (\d+) \u2014$")
# clreq "basic" (docs/gbt9704.md §7)
NOT_AT_START = set("、，。：；！？．‼⁇”’」』）］｝】〕〗〉》～–—-·・‧/／")
NOT_AT_END = set("“‘「『（［｛【〔〖《〈")


@dataclass(frozen=True)
class Booklet:
    """The built PDF read back: pages of lines, labels, outline, and the cleaned source."""

    path: Path
    reader: PdfReader
    pages: list[list[TextLine]]
    labels: list[str]
    cleaned: str
    removed: list[str]  # watermark, paid-marker and footer text the cleaner took out

    @property
    def body(self) -> list[int]:
        """Return the indexes of the numbered pages."""
        return [i for i, label in enumerate(self.labels) if label.isdigit()]

    def text_lines(self, index: int) -> list[TextLine]:
        """Return page ``index``'s lines without its folio."""
        return [line for line in self.pages[index] if not FOLIO_RE.match(line.text)]


@pytest.fixture(scope="module")
def booklet(tmp_path_factory: pytest.TempPathFactory) -> Booklet:
    out = tmp_path_factory.mktemp("booklet")
    result = build(RAW, BuildOptions(out_dir=out, formats=("pdf",)), Diagnostics())
    path = result.outputs[0]
    reader = PdfReader(path)
    cleaned = clean(read_source(RAW))
    removed = [c.removed for c in cleaned.changes if c.rule in {"watermark", "paid-marker", "footer"}]
    return Booklet(path, reader, read_lines(path), list(reader.page_labels), cleaned.text, removed)


def _grid(line: TextLine) -> float:
    return (line.baseline - PAGE.top) / PAGE.pitch - PAGE.baseline_ratio


def test_pages_are_a4(booklet: Booklet) -> None:
    for page in booklet.reader.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            (595.28, 841.89), abs=0.01
        )


def test_every_baseline_is_on_the_grid(booklet: Booklet) -> None:
    for index in range(len(booklet.pages)):
        for line in booklet.text_lines(index):
            assert _grid(line) == pytest.approx(round(_grid(line)), abs=0.01), (index, line.text)
            assert 0 <= round(_grid(line)) < PAGE.lines, (index, line.text)


def _speech_pages(booklet: Booklet) -> list[list[int]]:
    """Return the pages of each speech, from its bookmark to the page before the next one."""
    starts = [page for level, _, page in outline(booklet.reader) if level == 0]
    ends = [*starts[1:], len(booklet.pages)]
    return [list(range(a, b)) for a, b in zip(starts, ends, strict=True)]


def test_full_continuation_pages_have_22_lines(booklet: Booklet) -> None:
    speeches = _speech_pages(booklet)
    checked = 0
    for pages in speeches:
        for index in pages[1:-1]:  # neither the title page nor the speech's last page
            lines = booklet.text_lines(index)
            next_first = booklet.text_lines(index + 1)[0]
            heading_pushed = next_first.x0 > PAGE.left + 1 and not next_first.text.endswith("。")
            assert len(lines) == PAGE.lines or heading_pushed, (index, len(lines))
            assert [round(_grid(line)) for line in lines] == list(range(len(lines)))
            checked += 1
    assert checked >= 3


def _body_flow(booklet: Booklet) -> list[TextLine]:
    """Return the 16 pt lines of the numbered pages in reading order (titles and folios left out)."""
    return [line for i in booklet.body for line in booklet.text_lines(i) if line.size == pytest.approx(16)]


def _non_final(booklet: Booklet) -> list[TextLine]:
    """Return the lines followed by a line of the same paragraph (which starts at the left edge)."""
    flow = _body_flow(booklet)
    return [line for line, after in itertools.pairwise(flow) if after.x0 == pytest.approx(PAGE.left)]


def test_non_final_lines_end_flush_right(booklet: Booklet) -> None:
    lines = _non_final(booklet)
    flush = [line for line in lines if EDGE - 1.0 <= line.x1 <= EDGE + OVERHANG + 0.01]
    assert len(lines) > 100
    assert len(flush) / len(lines) >= 0.98, [line.text for line in lines if line not in flush][:5]


def _cells(line: TextLine) -> float:
    """Return a line's cells: its indent, one per CJK character or mark, half per Latin letter or digit, and
    the CJK/Latin spaces between 汉字 and Latin letters or digits (``latin_spacing`` em each)."""
    indent = round((line.x0 - PAGE.left) / PAGE.cell)
    chars = sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in line.text)
    return indent + chars + len(latin_gaps(line.text)) * LATIN_GAP / PAGE.cell


def test_median_full_line_holds_28_cells(booklet: Booklet) -> None:
    assert statistics.median(_cells(line) for line in _non_final(booklet)) == PAGE.chars


def test_no_line_breaks_a_kinsoku_rule(booklet: Booklet) -> None:
    bad = [
        (i, line.text)
        for i in range(len(booklet.pages))
        for line in booklet.text_lines(i)
        if line.text[0] in NOT_AT_START or line.text[-1] in NOT_AT_END
    ]
    assert not bad


def test_nothing_crosses_the_margins(booklet: Booklet) -> None:
    for index, lines in enumerate(booklet.pages):
        for line in lines:
            assert line.x0 >= PAGE.left - 0.01, (index, line.text)
            assert line.x1 <= EDGE + OVERHANG + 0.01, (index, line.text)


def test_front_matter_is_unnumbered(booklet: Booklet) -> None:
    assert booklet.labels[0] == "封面"
    front = [i for i, label in enumerate(booklet.labels) if not label.isdigit()]
    assert front == list(range(len(front))) and len(front) >= 2
    for index in front:
        assert not any(
            FOLIO_RE.match(line.text) or line.text.strip().isdigit() for line in booklet.pages[index]
        ), index


def test_folios_are_consecutive_and_placed_per_gbt9704(booklet: Booklet) -> None:
    numbers = []
    for index in booklet.body:
        folios = [line for line in booklet.pages[index] if FOLIO_RE.match(line.text)]
        assert len(folios) == 1, index
        folio = folios[0]
        number = int(FOLIO_RE.match(folio.text).group(1))  # type: ignore[union-attr]
        numbers.append(number)
        assert str(number) == booklet.labels[index]
        assert all(c["size"] == pytest.approx(FOLIO.size) for c in folio.chars)
        digits = [c for c in folio.chars if c["text"].isdigit()]
        assert all(c["adv"] < 0.75 * FOLIO.size for c in digits)  # half-width digits
        top = folio.baseline - 0.88 * FOLIO.size
        assert top == pytest.approx(PAGE.top + PAGE.body_height + FOLIO.drop, abs=0.5)
        pad = FOLIO.pad * FOLIO.size
        if number % 2:
            assert folio.x1 == pytest.approx(EDGE - pad, abs=0.05)
        else:
            assert folio.x0 == pytest.approx(PAGE.left + pad, abs=0.05)
    assert numbers == list(range(1, len(numbers) + 1))


def _toc_entries(booklet: Booklet) -> list[tuple[str, int]]:
    """Return (title, number) per TOC entry, joining wrapped lines and dropping the dot leader."""
    entries, pending = [], ""
    for index, label in enumerate(booklet.labels):
        if not label.startswith("目录"):
            continue
        for line in booklet.pages[index][1:]:  # after the 目录 heading
            match = re.match(r"^(.*?)\.*(\d+)$", line.text)
            if match:
                entries.append((pending + match.group(1), int(match.group(2))))
                pending = ""
            else:
                pending += line.text
    return entries


def _title_on(booklet: Booklet, index: int) -> str:
    """Return the speech title at the top of page ``index``: its 22 pt lines, joined."""
    return "".join(line.text for line in booklet.pages[index] if line.size == pytest.approx(22))


def test_toc_numbers_are_the_title_pages_numbers(booklet: Booklet) -> None:
    entries = _toc_entries(booklet)
    starts = [pages[0] for pages in _speech_pages(booklet)]
    assert len(entries) == len(starts) == 3
    for (title, number), start in zip(entries, starts, strict=True):
        assert _squash(title) == _squash(_title_on(booklet, start))
        assert str(number) == booklet.labels[start]


def test_toc_entries_link_to_the_title_pages(booklet: Booklet) -> None:
    reader = booklet.reader
    starts = [pages[0] for pages in _speech_pages(booklet)]
    targets = []
    for index, label in enumerate(booklet.labels):
        if label.startswith("目录"):
            for annot in reader.pages[index].get("/Annots", []):
                dest = annot.get_object()["/Dest"]
                targets.append(reader.get_page_number(dest[0].get_object()) or 0)
    assert sorted(set(targets)) == starts


def test_bookmarks_for_the_three_speeches(booklet: Booklet) -> None:
    speeches = [(title, page) for level, title, page in outline(booklet.reader) if level == 0]
    assert len(speeches) == 3
    for title, page in speeches:
        assert _squash(title) == _squash(_title_on(booklet, page))


def test_every_font_is_embedded(booklet: Booklet) -> None:
    found = fonts(booklet.reader)
    assert found
    for font in found:
        assert (font.font_file, font.to_unicode, bool(font.subset_tag)) == ("FontFile2", True, True), font


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_pdffonts_sees_only_embedded_subsets(booklet: Booklet) -> None:
    rows = subprocess.run(
        ["pdffonts", str(booklet.path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    assert rows and all(row.split()[-5:-2] == ["yes", "yes", "yes"] for row in rows)


def _squash(text: str) -> str:
    return "".join(text.split())


def test_every_cleaned_character_is_present_in_order(booklet: Booklet) -> None:
    cover_title = "".join(line.text for line in booklet.pages[0] if line.size > 30)
    body = "".join(line.text for i in booklet.body for line in booklet.text_lines(i))
    assert _squash(cover_title + body) == _squash(booklet.cleaned)


def test_no_watermark_residue(booklet: Booklet) -> None:
    text = _squash("".join(line.text for lines in booklet.pages for line in lines))
    assert booklet.removed
    for removed in booklet.removed:
        for piece in re.findall(r"[A-Za-z0-9#]{4,}|[\u4e00-\u9fff]{4,}", removed):
            assert piece not in text, piece
    for marker in ("微信", "paid", "公文素材"):
        assert marker not in text


def test_summary_matches_golden(booklet: Booklet, update_golden: bool) -> None:
    check_text(summarize(booklet.path, booklet.pages), GOLDEN, update_golden)
