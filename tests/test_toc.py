"""The 目录 read back from the PDF: recto placement under ``--recto``, numbers, speakers and wraps.

Every booklet here is laid out with the bundled fonts and written as a PDF; the checks read only the PDF
(pdfplumber through ``support.pdf_summary``): which physical page holds the 目录 and each speech's first line,
what folio each page prints, what the 目录 lines say. Run under several styles (TOC depth, leader, recto,
compression), not the defaults alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest

from publish.errors import Diagnostics
from publish.fonts import FontSet
from publish.layout.frame import LayoutPlan
from publish.layout.plan import plan as make_plan
from publish.layout.spec import LayoutSpec, default_spec
from publish.layout.spec_file import merge_spec
from publish.model import Booklet, Heading, Paragraph, Speech
from publish.render import pdf as pdf_renderer
from support.pdf_summary import TextLine, read_lines

FOLIO = re.compile(r"^\u2014 (\d+) \u2014$")
NUMBER_END = re.compile(r"(\d+)$")
FONTS = FontSet.load(default_spec().fonts.chains)

# style name → overrides; every test below runs under each
STYLES: dict[str, dict[str, Any]] = {
    "recto": {"recto": True},
    "recto-depth-2": {"recto": True, "toc": {"depth": 2}},
    "recto-no-leader-compressed": {"recto": True, "compress_punctuation": True, "toc": {"leader": ""}},
}


def _speech(k: int, paragraphs: int) -> Speech:
    body = "我们坚持把学习教育贯穿工作全过程，认真落实各项制度要求，切实提高服务群众的能力和水平。" * 3
    blocks: list[Heading | Paragraph] = [Heading(1, f"一、第{k}篇的第一部分")]
    blocks += [Paragraph(body) for _ in range(paragraphs)]
    return Speech((f"第{k}篇交流发言的标题",), tuple(blocks), speaker=f"市残联　发言人{k}")


def _booklet(speeches: int, title: str = "交流发言汇编") -> Booklet:
    # paragraph counts vary so that speeches end on odd and on even pages
    return Booklet(title, tuple(_speech(k, 2 + (k * 7) % 9) for k in range(1, speeches + 1)))


@dataclass(frozen=True)
class Built:
    """A plan and its PDF read back."""

    plan: LayoutPlan
    pages: list[list[TextLine]]


def _build(booklet: Booklet, spec: LayoutSpec, path: Path) -> Built:
    laid_out = make_plan(booklet, spec, FONTS, Diagnostics())
    pdf_renderer.render(laid_out, FONTS, path)
    return Built(laid_out, read_lines(path))


def _folio(page: list[TextLine]) -> int | None:
    found = [int(m.group(1)) for line in page if (m := FOLIO.match(line.text))]
    assert len(found) <= 1
    return found[0] if found else None


def _toc_pages(built: Built) -> list[int]:
    """Return the physical pages (0-based) from the one headed 目录 to the last before the first speech."""
    heading = default_spec().toc.title
    start = next(i for i, page in enumerate(built.pages) if page and page[0].text == heading)
    first_title = built.plan.toc[0].text
    end = next(i for i, page in enumerate(built.pages) if page and page[0].text == first_title)
    return [i for i in range(start, end) if built.pages[i]]


@pytest.mark.parametrize("name", list(STYLES))
@pytest.mark.parametrize("speeches", [3, 40])
def test_recto_puts_toc_and_first_speech_on_odd_pages(name: str, speeches: int, tmp_path: Path) -> None:
    spec = merge_spec(default_spec(), STYLES[name])
    built = _build(_booklet(speeches), spec, tmp_path / "b.pdf")
    pages = built.pages
    assert pages[0] and _folio(pages[0]) is None  # the cover
    toc = _toc_pages(built)
    assert toc[0] % 2 == 0, f"目录 on physical page {toc[0] + 1}"  # page 3, not the back of the cover
    assert pages[1] == []  # the cover's back is blank: no text, no folio
    if speeches == 40:
        assert len(toc) > 1  # a 目录 of several pages
    first_speech = toc[-1] + 1
    while not pages[first_speech]:
        first_speech += 1
    assert first_speech % 2 == 0 and _folio(pages[first_speech]) == 1
    assert all(not pages[i] for i in range(toc[-1] + 1, first_speech))  # fillers are blank
    # every speech starts on a recto whose printed number is odd and equals the 目录's
    titles = {e.text: e for e in built.plan.toc if e.level == 1}
    starts = {page[0].text: i for i, page in enumerate(pages) if page and page[0].text in titles}
    assert len(starts) == speeches
    listed = _listed_numbers(built, toc)
    for text, index in starts.items():
        number = _folio(pages[index])
        assert index % 2 == 0 and number is not None and number % 2 == 1, (text, index, number)
        assert listed[text] == number, (text, listed[text], number)
    for i, page in enumerate(pages):
        if i > 0 and not page:
            continue
        if i < first_speech:
            assert _folio(page) is None, i  # front matter is unnumbered
        else:
            assert _folio(page) is not None, i  # every body page with text prints its number


def _listed_numbers(built: Built, toc: list[int]) -> dict[str, int]:
    """Return each level-1 entry's text → the number its 目录 line ends with (entries may wrap)."""
    lines = [line.text for i in toc for line in built.pages[i]][1:]
    out: dict[str, int] = {}
    pending = ""
    for text in lines:
        found = NUMBER_END.search(text)
        pending += text if found is None else text[: found.start()]
        if found is not None:
            out[pending.rstrip(". ·")] = int(found.group(1))
            pending = ""
    titles = {e.text for e in built.plan.toc if e.level == 1}
    result = {}
    for key, number in out.items():
        match = [t for t in titles if key.startswith(t)]
        if match:
            result[match[0]] = number
    return result


def test_recto_without_a_cover_puts_the_toc_on_page_1(tmp_path: Path) -> None:
    spec = replace(default_spec(), recto=True)
    built = _build(_booklet(3, title=""), spec, tmp_path / "b.pdf")
    assert built.plan.pages[0].kind == "toc"
    assert _toc_pages(built)[0] == 0


def test_without_recto_the_toc_follows_the_cover(tmp_path: Path) -> None:
    built = _build(_booklet(3), default_spec(), tmp_path / "b.pdf")
    assert _toc_pages(built)[0] == 1  # the control: the back of the cover
    assert [p.kind for p in built.plan.pages[:3]] == ["cover", "toc", "body"]
