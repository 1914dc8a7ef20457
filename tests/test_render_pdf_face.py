"""The PDF renderer's lazily decoded font faces give the PDF reportlab's own font parser gives, byte for byte.

Each case is laid out once and rendered twice in this process: with the fonts registered as
``render.pdf._face.LazyFont`` (what publish does) and registered as reportlab's ``TTFont``. Also: every
table the lazy face exposes agrees with reportlab's for every code point of the bundled fonts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from publish.errors import Diagnostics
from publish.pipeline import BuildOptions, layout
from publish.render.pdf import _fonts as pdf_fonts
from publish.render.pdf import render
from publish.render.pdf._face import LazyFont

ROOT = Path(__file__).resolve().parents[1]
FONTS = ROOT / "fonts"
SAMPLE = ROOT / "content" / "booklet.md"
# Latin, digits, NBSP, ASCII punctuation, full-width forms and characters that fall to fallback fonts
MIXED = """+++
title = "混排测试 Mixed 2026"
+++

# 第一篇 ABC\u00a0123 测试

## 一、标题 Title (1)

正文 text with NBSP\u00a0here、半角 ! ? ; : 与全角！？；：，数字 0123456789 和 ½ ⅓ ①②③ 以及
生僻字 𠀀𠀁 和 濛 龘 靐，还有 “引号” ‘单引号’ 《书名》 —— …… ～ ·。
"""

pytestmark = pytest.mark.skipif(not (FONTS / "FandolFang-Regular.ttf").is_file(), reason="no bundled fonts")


def _fresh_registry(monkeypatch: pytest.MonkeyPatch, factory: type) -> None:
    """Make publish register its fonts anew with ``factory``: reportlab keeps the first font registered
    under a name or a face name, so its tables are swapped for copies without publish's fonts."""
    ours = {k for k in pdfmetrics._fonts if k.startswith("publish:")}
    faces = {pdfmetrics._fonts[k].face.name for k in ours}
    monkeypatch.setattr(pdfmetrics, "_fonts", {k: v for k, v in pdfmetrics._fonts.items() if k not in ours})
    kept = {k: v for k, v in pdfmetrics._dynFaceNames.items() if k not in faces}
    monkeypatch.setattr(pdfmetrics, "_dynFaceNames", kept)
    monkeypatch.setattr(pdf_fonts, "_registered", {})
    monkeypatch.setattr(pdf_fonts, "LazyFont", factory)


def _pdf(source: Path, out: Path) -> bytes:
    _, _, fonts, plan = layout(source, BuildOptions(), Diagnostics())
    render(plan, fonts, out)
    return out.read_bytes()


@pytest.mark.parametrize("case", ["sample", "mixed"])
def test_pdf_bytes_equal_reportlabs_parser(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = SAMPLE
    if case == "mixed":
        source = tmp_path / "mixed.md"
        source.write_text(MIXED, encoding="utf-8")
    made: list[type] = []

    def lazy(name: str, path: str) -> LazyFont:
        made.append(LazyFont)
        return LazyFont(name, path)

    _fresh_registry(monkeypatch, lazy)  # type: ignore[arg-type]
    ours = _pdf(source, tmp_path / "lazy.pdf")
    assert made, "the render registered no lazy font"
    _fresh_registry(monkeypatch, TTFont)
    theirs = _pdf(source, tmp_path / "reportlab.pdf")
    assert len(ours) > 10_000
    assert ours == theirs


@pytest.mark.parametrize("name", sorted(p.name for p in FONTS.glob("*.ttf")))
def test_lazy_tables_agree_with_reportlab(name: str) -> None:
    path = str(FONTS / name)
    their_font, our_font = TTFont("theirs", path), LazyFont("ours", path)
    theirs, ours = their_font.face, our_font.face
    text = "中文 Latin 123\u00a0，。𠀀"
    assert our_font.stringWidth(text, 16) == pytest.approx(their_font.stringWidth(text, 16))
    assert ours.defaultWidth == theirs.defaultWidth
    assert (ours.name, ours.bbox, ours.ascent, ours.descent, ours.flags) == (
        theirs.name,
        theirs.bbox,
        theirs.ascent,
        theirs.descent,
        theirs.flags,
    )
    planes = range(0x30000)
    assert [c for c in planes if c in ours.charToGlyph] == sorted(theirs.charToGlyph)
    assert [ours.charToGlyph[c] for c in sorted(theirs.charToGlyph)] == [
        theirs.charToGlyph[c] for c in sorted(theirs.charToGlyph)
    ]
    widths = [ours.charWidths.get(c, ours.defaultWidth) for c in planes]
    assert widths == [theirs.charWidths.get(c, theirs.defaultWidth) for c in planes]
    glyphs = range(theirs.numGlyphs)
    assert [tuple(ours.hmetrics[g]) for g in glyphs] == [tuple(theirs.hmetrics[g]) for g in glyphs]
    assert [ours.glyphPos[g] for g in range(theirs.numGlyphs + 1)] == theirs.glyphPos
    assert ours.glyphToChar == theirs.glyphToChar  # asked for: reportlab's full tables
