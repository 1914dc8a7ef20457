"""Hostile text never breaks the build or the output (issue 7)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pdfplumber
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publish.errors import Diagnostics, ParseError, PublishError, SourceError
from publish.pipeline import BuildOptions, build

HEAD = "汇编标题\n第一篇讲话\n"


def _build(tmp_path: Path, body: str, formats: tuple[str, ...] = ("pdf",)) -> tuple[Path, Diagnostics]:
    source = tmp_path / "in.txt"
    source.write_text(HEAD + body, encoding="utf-8")
    diagnostics = Diagnostics()
    build(source, BuildOptions(out_dir=tmp_path / "out", formats=formats), diagnostics)
    return tmp_path / "out" / "in.pdf", diagnostics


def _text(pdf: Path) -> str:
    # x_tolerance above the 3.2 pt CJK/Latin spacing (spec.latin_spacing): a gap, not a space character
    with pdfplumber.open(pdf) as doc:
        return "".join(page.extract_text(x_tolerance=3.5) or "" for page in doc.pages)


def test_markup_characters_appear_literally(tmp_path: Path) -> None:
    body = "我们要写<b>加粗</b>和&amp;以及<para>标签，原样显示。\n"
    pdf, _ = _build(tmp_path, body, ("pdf", "docx"))
    text = _text(pdf).replace("\n", "")
    for piece in ("<b>加粗</b>", "&amp;", "<para>"):
        assert piece in text


def test_emoji_and_extension_b_are_rendered_or_reported(tmp_path: Path) -> None:
    body = "表情😀与生僻字𠀀在句中。\n"
    pdf, diagnostics = _build(tmp_path, body, ("pdf", "docx"))
    text = _text(pdf)
    reported = " ".join(d.message for d in diagnostics.items if d.code == "missing-glyph")
    for char in "😀𠀀":
        assert char in text or char in reported, char


def test_control_and_zero_width_characters(tmp_path: Path) -> None:
    body = "零宽\u200b字符\u200d与控制\x07符号\x1b不会出错。\n"
    pdf, _ = _build(tmp_path, body)
    assert "零宽字符与控制符号不会出错。" in _text(pdf).replace("\n", "")


def test_long_paragraph_without_punctuation(tmp_path: Path) -> None:
    body = "党" * 5000 + "\n"
    pdf, _ = _build(tmp_path, body)
    with pdfplumber.open(pdf) as doc:
        assert sum((page.extract_text() or "").count("党") for page in doc.pages) >= 5000


def test_latin_word_and_url_longer_than_a_line(tmp_path: Path) -> None:
    url = "https://example.org/" + "a" * 120 + "/index.html"
    body = f"网址{url}很长。{'W' * 90}也很长。\n"
    pdf, _ = _build(tmp_path, body)
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            for char in page.chars:
                assert char["x1"] <= page.width - 73.7 + 0.5  # nothing past the 版心's right edge


def test_speech_with_only_a_title_and_many_headings(tmp_path: Path) -> None:
    headings = "".join(f"{i}.第{i}个小标题\n" for i in range(1, 201))
    body = "只有标题的讲话\n" + "正文。\n" + headings + "结尾一段。\n"
    pdf, _ = _build(tmp_path, body, ("pdf", "docx"))
    assert "第200个小标题" in _text(pdf)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=300))
def test_random_unicode_never_crashes(tmp_path: Path, body: str) -> None:
    # a clear refusal of the input (e.g. binary-looking text) is fine; a render or internal error is not
    with contextlib.suppress(SourceError, ParseError):
        _build(tmp_path, body + "\n", ("pdf", "docx"))


@pytest.mark.parametrize("text", ["\x00\x01\x02", "\ufeff", "\r\n\r\n"])
def test_degenerate_inputs_are_refused_cleanly(tmp_path: Path, text: str) -> None:
    source = tmp_path / "bad.txt"
    source.write_text(text, encoding="utf-8")
    with pytest.raises(PublishError) as caught:
        build(source, BuildOptions(out_dir=tmp_path / "out"))
    assert str(source) in str(caught.value)
