"""The 目录 read back from the PDF: recto placement under ``--recto``, numbers, speakers and wraps.

Every booklet here is laid out with the bundled fonts and written as a PDF; the checks read only the PDF
(pdfplumber through ``support.pdf_summary``): which physical page holds the 目录 and each speech's first line,
what folio each page prints, what the 目录 lines say. Run under several styles (TOC depth, leader, recto,
compression), not the defaults alone.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from publish.errors import Diagnostics
from publish.fonts import FontSet
from publish.layout.byline import byline_name
from publish.layout.frame import LayoutPlan
from publish.layout.linebreak import break_lines
from publish.layout.plan import plan as make_plan
from publish.layout.spec import LayoutSpec, default_spec
from publish.layout.spec_file import merge_spec
from publish.model import Booklet, Heading, Paragraph, Speech
from publish.render import pdf as pdf_renderer
from support import docx_norm as dn
from support.docx_build import body_paragraphs, plan_of, render_docx, style_of
from support.pdf_summary import TextLine, read_lines
from support.titlewords import ORGANISATIONS, WORDS

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
    """Return the physical pages (0-based) with text from the one headed 目录 to the first numbered one."""
    heading = default_spec().toc.title
    start = next(i for i, page in enumerate(built.pages) if page and page[0].text == heading)
    end = next(i for i, page in enumerate(built.pages) if _folio(page) is not None)
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


FILLER = "认真学习贯彻全会精神深入推进基层治理体系建设"


def _wrap_titles() -> list[str]:
    """Return titles whose filled first 目录 line would end inside one of the names (at every offset)."""
    count = sum(len(name) - 1 for name in ORGANISATIONS + WORDS)
    # the cells a first 目录 line holds beside the number column of as many one-page speeches
    probe = Booklet("汇编", tuple(Speech((f"第{k}篇",), (Paragraph("正文。"),)) for k in range(count)))
    spec = default_spec()
    laid_out = make_plan(probe, spec, FONTS, Diagnostics())
    entry_cells = math.floor(laid_out.toc_text_width / spec.page.cell + 1e-6)
    titles = []
    for name in ORGANISATIONS + WORDS:
        for inside in range(1, len(name)):
            at = entry_cells - inside
            titles.append((FILLER * 2)[: at - 1] + "的" + name + "工作的几点体会")
    return titles


@pytest.mark.parametrize("name", ["default", "compressed-gb", "recto-no-leader-compressed"])
def test_pdf_toc_lines_never_end_inside_a_name(name: str, tmp_path: Path) -> None:
    styles = {"default": {}, "compressed-gb": {"compress_punctuation": True, "kinsoku": "gb"}, **STYLES}
    spec = merge_spec(default_spec(), styles[name])
    titles = _wrap_titles()
    booklet = Booklet("汇编", tuple(Speech((t,), (Paragraph("正文。"),)) for t in titles))
    built = _build(booklet, spec, tmp_path / "b.pdf")
    lines = [line.text for i in _toc_pages(built) for line in built.pages[i]][1:]
    splits = _splits(lines)
    assert splits.wrapped == len(titles)  # every entry wraps once
    assert splits.inside == [], splits.inside[:5]


def test_pdf_toc_lines_filled_without_words_split_the_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The control: with the breaker's word costs ignored, the same entries split most of the names."""

    def greedy(m: Any, width: float, *, costs: Any, **options: Any) -> Any:
        return break_lines(m, width, **options)

    monkeypatch.setattr("publish.layout.compose.word_lines", greedy)
    titles = _wrap_titles()
    booklet = Booklet("汇编", tuple(Speech((t,), (Paragraph("正文。"),)) for t in titles))
    built = _build(booklet, default_spec(), tmp_path / "b.pdf")
    lines = [line.text for i in _toc_pages(built) for line in built.pages[i]][1:]
    splits = _splits(lines)
    assert splits.wrapped == len(titles) and len(splits.inside) > len(titles) * 0.9


@dataclass(frozen=True)
class Splits:
    """Wrapped 目录 lines read back, and the (word, line, next line) where a wrap splits a word."""

    wrapped: int
    inside: list[tuple[str, str, str]]


def _splits(lines: list[str]) -> Splits:
    wrapped = 0
    inside = []
    for above, below in pairwise(lines):
        if NUMBER_END.search(above):
            continue  # an entry's last line
        wrapped += 1
        for word in ORGANISATIONS + WORDS:
            if any(above.endswith(word[:k]) and below.startswith(word[k:]) for k in range(1, len(word))):
                inside.append((word, above, below))
    return Splits(wrapped, inside)


# --- speakers (toc.speaker) -------------------------------------------------------------------------------

BYLINES = (
    (
        "——在全市培训班上的交流发言\n市残疾人联合会机关党支部　王小明\n（2024年5月6日）",
        "市残疾人联合会机关党支部　王小明",
    ),
    ("李四", "李四"),
    ("（市委组织部　赵六）", "市委组织部　赵六"),
    ("市残联　钱七\n2024年6月28日", "市残联　钱七"),
    ("——在座谈会上的发言", ""),  # a subtitle alone names nobody
    ("（二〇二四年五月六日）", ""),
    ("", ""),
)
SPEAKER_STYLES: dict[str, dict[str, Any]] = {
    "speaker": {"toc": {"speaker": True}},
    "speaker-depth-2": {"toc": {"speaker": True, "depth": 2}},
    "speaker-recto-no-leader": {"recto": True, "toc": {"speaker": True, "leader": ""}},
}


def _speaker_booklet() -> Booklet:
    speeches = []
    for k, (byline, _) in enumerate(BYLINES, 1):
        title = (
            f"第{k}篇发言" if k % 2 else f"在全市残疾人联合会系统第{k}期党务干部综合能力提升培训班上的发言"
        )
        blocks = (Heading(1, f"一、第{k}篇的体会"), Paragraph("正文。" * 20))
        speeches.append(Speech((title,), blocks, speaker=byline))
    return Booklet("汇编", tuple(speeches))


def test_byline_rule() -> None:
    for byline, shown in BYLINES:
        assert byline_name(byline) == shown, byline


@pytest.mark.parametrize("name", list(SPEAKER_STYLES))
def test_pdf_toc_shows_each_speaker_under_its_title(name: str, tmp_path: Path) -> None:
    spec = merge_spec(default_spec(), SPEAKER_STYLES[name])
    built = _build(_speaker_booklet(), spec, tmp_path / "b.pdf")
    lines = [line for i in _toc_pages(built) for line in built.pages[i]][1:]
    texts = [line.text.rstrip("0123456789").rstrip(".·") for line in lines]
    starts = {e.text: e.page_number for e in built.plan.toc if e.level == 1}
    cell = spec.page.cell
    for k, (_, shown) in enumerate(BYLINES):
        title = [e.text for e in built.plan.toc if e.level == 1][k]
        # the title's lines, then the speaker's line, which ends in the leader and the number
        at = next(i for i, t in enumerate(texts) if title.startswith(t))
        end = at
        while "".join(texts[at : end + 1]) != title:
            end += 1
        if not shown:
            assert lines[end].text.endswith(str(starts[title])), (title, lines[end].text)
            assert end + 1 == len(lines) or texts[end + 1] != shown
            continue
        speaker = lines[end + 1]
        assert texts[end + 1] == shown, (title, texts[end + 1])
        assert speaker.text.endswith(str(starts[title])) and not NUMBER_END.search(lines[end].text)
        assert any("Kai" in f for f in speaker.fonts), speaker.fonts  # 楷体
        assert speaker.x0 == pytest.approx(spec.page.left + 2 * cell, abs=0.5)  # at the hanging indent
    flat = "".join(texts)
    assert "2024" not in flat and "二〇二四" not in flat and "——" not in flat  # no date, no subtitle


def test_pdf_toc_without_the_key_shows_no_speaker(tmp_path: Path) -> None:
    built = _build(_speaker_booklet(), default_spec(), tmp_path / "b.pdf")
    flat = "".join(line.text for i in _toc_pages(built) for line in built.pages[i])
    assert all(shown not in flat for _, shown in BYLINES if shown)
    assert not any(b.toc_mark for b in built.plan.blocks)


@pytest.mark.parametrize("name", ["speaker", "speaker-depth-2"])
def test_docx_toc_result_and_tc_fields_carry_the_speakers(name: str, tmp_path: Path) -> None:
    """The TOC field's result holds each speaker on the plan's line, in the speaker's face; each speaker
    paragraph holds a TC entry the field collects (\\f s, level 3, no page number) when Word updates it."""
    spec = merge_spec(default_spec(), SPEAKER_STYLES[name])
    fonts, laid_out = plan_of(_speaker_booklet(), spec)
    data = render_docx(laid_out, fonts, tmp_path)
    paras = body_paragraphs(data)
    entries = [p for p in paras if style_of(p).startswith("TOC") and style_of(p) != "TOCHeading"]
    codes = [t.text.strip() for t in entries[0].iter(dn.w("instrText"))]
    assert codes[0].startswith("TOC ") and '\\f s \\l "3-3"' in codes[0]
    items = [b.toc for b in laid_out.blocks if b.toc is not None]
    shown = [s for _, s in BYLINES]
    level1 = [item for item in items if item.level == 1]
    for item, speaker in zip(level1, shown, strict=True):
        assert item.speaker == (1 if speaker else 0)
    for p, item in zip(entries, items, strict=True):
        lines = ["".join(r.text for r in line) for line in item.lines]
        assert dn.paragraph_text(p.find("w:hyperlink", dn.NS)) == "\n".join(lines) + f"\t{item.number}"
        if item.speaker:
            assert lines[-1] in shown
            runs = [
                r for r in p.iter(dn.w("r")) if "".join(t.text or "" for t in r.iter(dn.w("t"))) == lines[-1]
            ]
            fonts_of = {f.get(dn.w("eastAsia")) for r in runs for f in r.iter(dn.w("rFonts"))}
            assert fonts_of == {spec.fonts.docx_names["kaiti"]}, fonts_of
    speakers = [p for p in paras if style_of(p) == "Speaker"]
    tc = [c.strip() for p in speakers for c in (t.text for t in p.iter(dn.w("instrText")))]
    assert tc == [f'TC "{s}" \\f s \\l 3 \\n' for s in shown if s]
    toc3 = {s.get(dn.w("styleId")): s for s in dn.xml(data, "word/styles.xml").iterfind("w:style", dn.NS)}
    assert toc3["TOC3"].find("w:name", dn.NS).get(dn.w("val")) == "toc 3"
    kai = toc3["TOC3"].find("w:rPr/w:rFonts", dn.NS)
    assert kai is not None and kai.get(dn.w("eastAsia")) == spec.fonts.docx_names["kaiti"]


def test_docx_without_the_key_has_no_tc_field(tmp_path: Path) -> None:
    fonts, laid_out = plan_of(_speaker_booklet(), default_spec())
    data = render_docx(laid_out, fonts, tmp_path)
    codes = [t.text for t in dn.xml(data, "word/document.xml").iter(dn.w("instrText"))]
    assert not [c for c in codes if c.strip().startswith("TC ")] and "\\f" not in codes[0]
    styles = {s.get(dn.w("styleId")) for s in dn.xml(data, "word/styles.xml").iterfind("w:style", dn.NS)}
    assert "TOC3" not in styles
