"""PDF inputs: text by pypdfium2, one extracted line per line, pages apart; scans refused; pages named.

The fixture is a hard-wrapped copy-out with a folio on every page, written here with reportlab. What reflow
(joining the wrapped lines, dropping folios) makes of it is the raw-text path's business; these tests check
what the reader guarantees: every character, in order, page by page, and messages that name the page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from publish.console import ExitStatus
from publish.errors import Diagnostics
from publish.readers.pdf import PAGE_BREAK, read_pdf
from support.cli import run
from support.pdf_fixtures import BODY, TITLE, copy_out, scan


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
    assert page > 1
    code, _, err = run("check", str(path))
    assert code == ExitStatus.FINDINGS
    # The body is one paragraph hard-wrapped over the pages: the reflow joins it, and a finding names the
    # page and line where its paragraph begins (page 1, line 2, under the title).
    assert re.search(r"发言\.pdf: page 1, line 2: warning: unfilled placeholder “X书记”", err), err


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


def test_clean_shows_what_cleaning_makes_of_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "发言.pdf"
    pages = copy_out(path)
    code, out, _ = run("clean", str(path))
    assert code == 0
    assert pages[0][0] in out
    text, position = re.sub(r"\s", "", out), 0
    for char in BODY:  # every character, in order (folios may stay until reflow removes them)
        position = text.index(char, position) + 1


def test_a_hard_wrapped_pdf_reads_as_one_speech_after_reflow(tmp_path: Path) -> None:
    path = tmp_path / "发言.pdf"
    copy_out(path)
    code, source, err = run("import", str(path))
    assert code == 0, err
    assert "— 1 —" not in source and "— 2 —" not in source
    from publish.source import SourceText
    from publish.sourcefmt import load_source

    booklet = load_source(SourceText("x.md", source, "utf-8"), Diagnostics())
    assert [s.title_text for s in booklet.speeches] == [TITLE]
    assert "".join(b.text for b in booklet.speeches[0].blocks) == BODY
