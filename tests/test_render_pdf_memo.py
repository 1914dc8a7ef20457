"""Remembered compression and formatted streams (``render.pdf._deflate``), subsets (``Face.subset``)
and painted pages (``_pages``) change no byte.

A render with an empty memory and one where every stream and subset is already remembered write the same
PDF, and what is remembered is what zlib gives.
"""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from publish.errors import Diagnostics
from publish.pipeline import BuildOptions, layout
from publish.render.pdf import _deflate, render

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "booklet.md"

pytestmark = pytest.mark.skipif(not (ROOT / "fonts" / "FandolFang-Regular.ttf").is_file(), reason="no fonts")


def test_remembered_streams_give_the_same_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _, _, fonts, plan = layout(SAMPLE, BuildOptions(), Diagnostics())
    monkeypatch.setattr(_deflate, "_memory", _deflate._Memo(_deflate.LIMIT))
    monkeypatch.setattr(_deflate, "_formatted", _deflate._Memo(_deflate.FORMATTED_LIMIT))
    render(plan, fonts, tmp_path / "first.pdf")
    remembered = len(_deflate._memory.items)
    assert remembered > 10  # pages and font subsets
    assert len(_deflate._formatted.items) >= len(plan.pages)  # every page's content stream, formatted
    formatted = len(_deflate._formatted.items)
    render(plan, fonts, tmp_path / "second.pdf")
    assert len(_deflate._memory.items) == remembered  # every stream was found
    assert len(_deflate._formatted.items) == formatted
    assert (tmp_path / "first.pdf").read_bytes() == (tmp_path / "second.pdf").read_bytes()


@pytest.mark.parametrize("level", [_deflate.TEXT_LEVEL, _deflate.FONT_LEVEL])
def test_compressed_is_zlib_and_bounded(monkeypatch: pytest.MonkeyPatch, level: int) -> None:
    monkeypatch.setattr(_deflate, "_memory", _deflate._Memo(200))
    texts = [(f"BT /F1 16 Tf <{n:04X}> Tj ET " * 20).encode() for n in range(10)]
    for text in texts:
        assert _deflate.compressed(text, level) == zlib.compress(text, level)
        assert zlib.decompress(_deflate.compressed(text, level)) == text
    assert 0 < _deflate._memory.size <= 200
    assert _deflate.compressed(texts[-1], level) == zlib.compress(texts[-1], level)


def _plan(tmp_path: Path, name: str, old: str = "", new: str = "") -> tuple[object, object]:
    source = tmp_path / f"{name}.md"
    source.write_text(SAMPLE.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    _, _, fonts, plan = layout(source, BuildOptions(), Diagnostics())
    return plan, fonts


def _page_keys(plan: object) -> list[object]:
    return [tuple((line.baseline, line.runs) for line in page.lines) for page in plan.pages]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("新时代党的组织路线很明确", "新时代党的组织路线非常明确"),  # the last speech
        ("今天能够站在这里", "今天鑫能够站在这里"),  # a character the document had not drawn, on page 3
    ],
)
def test_reused_pages_give_the_bytes_of_a_fresh_render(
    tmp_path: Path, old: str, new: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every page whose lines an edit left alone is reused, even after a character new to the document
    (codes are glyph IDs: no page depends on another), and the PDF is a fresh render's."""
    from publish.render.pdf import _pages

    counts: list[int] = []
    keep = _pages.PageMemory.keep

    def counting(self: _pages.PageMemory) -> None:
        counts.append(self.reused)
        keep(self)

    monkeypatch.setattr(_pages.PageMemory, "keep", counting)
    folder = tmp_path / "out"
    folder.mkdir()
    before, fonts = _plan(tmp_path, "before")
    after, _ = _plan(tmp_path, "after", old, new)
    render(before, fonts, folder / "booklet.pdf", reuse=True)  # type: ignore[arg-type]
    render(after, fonts, folder / "booklet.pdf", reuse=True)  # type: ignore[arg-type]
    render(after, fonts, tmp_path / "fresh.pdf")  # type: ignore[arg-type]
    assert (folder / "booklet.pdf").read_bytes() == (tmp_path / "fresh.pdf").read_bytes()
    unchanged = set(_page_keys(before))
    same = sum(1 for key in _page_keys(after) if key in unchanged)
    assert 5 < same < len(_page_keys(after))  # the edit changed some pages and left most
    assert counts[:2] == [0, same]
