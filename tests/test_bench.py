"""The benchmark's helpers: the Typst document says what the booklet says, and the watch edits toggle one
character at the right place (bench/ is not a package: its folder is put on the path)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from publish.model import Booklet, Heading, Paragraph, Speech

BENCH = Path(__file__).resolve().parents[1] / "bench"
sys.path.insert(0, str(BENCH))
edits = importlib.import_module("edits")
typst_peer = importlib.import_module("typst_peer")

BOOKLET = Booklet(
    '题目 "引号"',
    (
        Speech(
            ("第一篇", "第二行"),
            (Heading(1, "一、标题 #1"), Paragraph("正文 *星* [方括号] $钱 = 1。")),
            "张三",
        ),
        Speech(("第二篇",), (Paragraph("末段正文。"),)),
    ),
)


def test_typst_source_escapes_markup_and_keeps_the_structure() -> None:
    text = typst_peer.typst_source(BOOKLET)
    assert 'booklet.with(title: "题目 \\"引号\\"")' in text
    assert "= 第一篇 \\ 第二行" in text and "#speaker[张三]" in text and "== 一、标题 \\u{23}1" in text
    assert "*" not in text.split("#show")[1].replace("\\u{2a}", "")  # every * is escaped
    assert "正文 \\u{2a}星\\u{2a} \\u{5b}方括号\\u{5d} \\u{24}钱 \\u{3d} 1。" in text


def test_toggle_inserts_and_removes_at_the_first_or_last_occurrence() -> None:
    text = "甲段。乙段。甲段。"
    first = edits._toggle(text, "甲段", from_end=False)
    assert first == edits.MARK + text
    assert edits._toggle(first, "甲段", from_end=False) == text
    last = edits._toggle(text, "甲段", from_end=True)
    assert last == "甲段。乙段。" + edits.MARK + "甲段。"
    assert edits._toggle(last, "甲段", from_end=True) == text
    with pytest.raises(SystemExit):
        edits._toggle(text, "丙", from_end=False)


def _typst_installed() -> bool:
    """Return whether the typst package is installed (bench/typst/, the template folder, is no package)."""
    spec = importlib.util.find_spec("typst")
    return spec is not None and spec.origin not in (None, "namespace")


@pytest.mark.skipif(not _typst_installed(), reason="typst not installed (the bench extra)")
def test_the_typst_document_compiles_with_the_bundled_fonts(tmp_path: Path) -> None:
    document = tmp_path / "booklet.typ"
    document.write_text(typst_peer.typst_source(BOOKLET), encoding="utf-8")
    assert typst_peer.main(["typst_peer.py", "compile", str(document), str(tmp_path / "out.pdf")]) == 0
    assert (tmp_path / "out.pdf").read_bytes().startswith(b"%PDF")
