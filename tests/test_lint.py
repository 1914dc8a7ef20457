"""Lint: each finding with its code and line, the seed's three, and no noise on clean text."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from publish import lint, parse, pipeline
from publish.clean import clean
from publish.errors import Diagnostics
from publish.model import Booklet, Heading, Paragraph, Speech
from publish.pipeline import BuildOptions
from publish.serve.messages import finding
from publish.source import read_source
from publish.sourcefmt import load_source

SAMPLE = Path(__file__).parents[1] / "content" / "booklet.md"


def findings(*blocks: Heading | Paragraph, title: str = "讲话") -> list[tuple[str, int, str]]:
    diagnostics = Diagnostics()
    lint.check(Booklet("汇编", (Speech((title,), blocks, line=1),)), "b.md", diagnostics)
    return [(d.code, d.location.line if d.location else 0, d.message) for d in diagnostics.items]


def codes(*blocks: Heading | Paragraph) -> list[str]:
    return [code for code, _, _ in findings(*blocks)]


def test_sample_lists_placeholders_and_the_unpunctuated_paragraph() -> None:
    diagnostics = Diagnostics()
    lint.check(load_source(read_source(SAMPLE), Diagnostics()), str(SAMPLE), diagnostics)
    found = [(d.code, d.location.line if d.location else 0, d.message) for d in diagnostics.items]
    assert [(code, line) for code, line, _ in found] == [
        ("no-final-punct", 19),
        ("placeholder", 28),
        ("placeholder", 44),
        ("placeholder", 48),
    ]
    messages = " ".join(message for _, _, message in found)
    assert "X月X日" in messages and "X书记" in messages and "落实好" in messages
    assert all(str(d).startswith(f"{SAMPLE}:") for d in diagnostics.items)


@pytest.mark.parametrize(
    ("text", "placeholder"),
    [
        ("X月X日召开会议。", "X月X日"),
        ("X月X日至X日召开会议。", "X月X日至X日"),
        ("请XX同志发言。", "XX同志"),
        ("由××主持。", "××主持"),
        ("由×××。", "×××"),
        ("ＸＸ局负责。", "ＸＸ局负"),
        ("会议于2021年X月召开。", "X月"),
        ("签名：____。", "____"),
    ],
)
def test_placeholders(text: str, placeholder: str) -> None:
    assert findings(Paragraph(text, line=3)) == [
        ("placeholder", 3, f"unfilled placeholder “{placeholder}”"),
    ]


@pytest.mark.parametrize(
    "text", ["拍X光片。", "用X射线检查。", "iPhone X发布了。", "Windows XP系统。", "3×4的表格。"]
)
def test_not_placeholders(text: str) -> None:
    assert codes(Paragraph(text)) == []


def test_paragraph_without_final_punctuation() -> None:
    assert codes(Paragraph("落实好", line=5)) == ["no-final-punct"]
    for ending in ("完。", "好吗？", "好！", "他说：“好。”", "（完。）", "如下："):
        assert codes(Paragraph(ending)) == [], ending
    assert codes(Heading(1, "一、标题没有句号")) == []


def test_unbalanced_pairs_per_block() -> None:
    assert codes(Paragraph("他说“好。")) == ["unbalanced"]
    assert codes(Paragraph("见》书《。")) == ["unbalanced"]
    assert codes(Paragraph("（一（二）。")) == ["unbalanced"]
    assert codes(Paragraph('落单的"引号。')) == ["unbalanced"]
    assert codes(Heading(2, "（一）标题）")) == ["unbalanced"]
    assert codes(Paragraph("“甲”与‘乙’《丙》（丁）【戊】。")) == []
    assert codes(Paragraph("英文 don’t 中的撇号。")) == []


def test_heading_gaps_and_repeats() -> None:
    found = findings(
        Heading(1, "一、甲", 2),
        Heading(2, "（一）子", 3),
        Heading(2, "（三）子", 4),
        Heading(1, "三、乙", 5),
        Heading(2, "（一）子", 6),
        Heading(1, "三、丙", 7),
        Paragraph("（一）加强学习。正文。", 8, 2, 8),
        Paragraph("（三）加强学习。正文。", 8, 2, 9),
    )
    assert [(code, line) for code, line, _ in found] == [
        ("heading-gap", 4),
        ("heading-gap", 5),
        ("heading-gap", 7),
        ("heading-gap", 9),
    ]
    assert "repeats" in found[2][2] and "follows 一、" in found[1][2]


def test_heading_numbering_must_start_at_one_and_forms_count_separately() -> None:
    assert codes(Heading(1, "二、乙")) == ["heading-gap"]
    assert (
        codes(Heading(1, "第一，甲"), Heading(1, "第二，乙"), Heading(1, "一、丙"), Heading(1, "二、丁"))
        == []
    )
    assert codes(Heading(3, "1.甲"), Heading(3, "2.乙"), Heading(3, "10.丙")) == ["heading-gap"]


def test_halfwidth_punctuation_left_over() -> None:
    found = findings(Paragraph("来了! 一定要,好。", line=4))
    assert [(code, line) for code, line, _ in found] == [("halfwidth-punct", 4)]
    for fine in ("时间12:30开会。", "Hello, world。", "比例3.14。"):
        assert codes(Paragraph(fine)) == [], fine
    assert codes(Paragraph("网址https://example.org/a,b。")) == ["debris"]  # a URL, not half-width marks


@pytest.mark.parametrize(
    "text",
    [
        "详见https://example.org/a页面。",
        "请加微信：abc123联系。",
        "公众号：某某公文。",
        "扫码关注我们。",
        "扫描二维码领取全文。",
        "阅读：1532次正文开始。",
        "首页 > 讲话 > 正文。",
        "一句话。#$%&*还有一句。",
    ],
)
def test_debris_left_over_is_reported(text: str) -> None:
    assert codes(Paragraph(text, line=7)) == ["debris"]


def test_debris_words_in_prose_are_fine() -> None:
    for fine in (
        "我们开通了微信公众号，关注人数达到三万。",
        "信息来源要可靠。",
        "请在____处签名。",
        "比分3:2。",
        "群众扫描二维码即可预约办理23项业务。",
        "通过扫码支付、扫描二维码登记等方式减少排队。",
    ):
        assert "debris" not in codes(Paragraph(fine)), fine


def test_number_values() -> None:
    values = [
        lint.number_value(n)
        for n in ("一、", "十、", "十二、", "（二十三）", "第三，", "12.", "（4）", "一百零三")
    ]
    assert values == [1, 10, 12, 23, 3, 12, 4, 103]


def test_raw_seed_findings_point_at_original_lines() -> None:
    raw = SAMPLE.parent / "speeches-raw.txt"
    diagnostics = Diagnostics()
    lint.check(parse.parse(clean(read_source(raw)), Diagnostics()), str(raw), diagnostics)
    found = [(d.code, d.location.line if d.location else 0) for d in diagnostics.items]
    assert found == [("no-final-punct", 7), ("placeholder", 11), ("placeholder", 19), ("placeholder", 21)]


COVER_SOURCE = """+++
title = "2024年度XX培训班交流发言"
subtitle = "（第X期）"
organisation = "××单位"
date = "2024年X月X日"
+++

# 一篇发言

正文。
"""


def test_placeholders_in_every_cover_field(tmp_path: Path) -> None:
    source = tmp_path / "booklet.md"
    source.write_text(COVER_SOURCE, encoding="utf-8")
    diagnostics = Diagnostics()
    pipeline.check(source, diagnostics, BuildOptions(out_dir=tmp_path))
    messages = [d.message for d in diagnostics.items if d.code == "placeholder"]
    assert "unfilled placeholder “XX培训”" in messages  # the title, linted with the text
    assert "unfilled placeholder “X期” in the cover's subtitle" in messages
    assert "unfilled placeholder “××单位” in the cover's organisation" in messages
    assert "unfilled placeholder “X月X日” in the cover's date" in messages
    assert all(str(d).startswith(str(source)) for d in diagnostics.items)


def test_cover_fields_from_the_style_file_are_linted_as_printed(tmp_path: Path) -> None:
    source = tmp_path / "booklet.md"
    source.write_text(COVER_SOURCE, encoding="utf-8")
    style = tmp_path / "house.toml"
    style.write_text('[cover]\norganisation = "市残联机关党委"\ntitle = "汇编（XX版）"\n', encoding="utf-8")
    diagnostics = Diagnostics()
    pipeline.check(source, diagnostics, BuildOptions(out_dir=tmp_path, style=style))
    messages = [d.message for d in diagnostics.items if d.code == "placeholder"]
    assert not [m for m in messages if "organisation" in m]  # the style file's name is what prints
    assert "unfilled placeholder “XX版” in the cover's title" in messages
    assert "unfilled placeholder “X月X日” in the cover's date" in messages


def test_cover_findings_read_in_chinese_on_the_page(tmp_path: Path) -> None:
    source = tmp_path / "booklet.md"
    source.write_text(COVER_SOURCE, encoding="utf-8")
    diagnostics = Diagnostics()
    pipeline.check(source, diagnostics, BuildOptions(out_dir=tmp_path))
    texts = [finding(d) for d in diagnostics.items if "cover" in d.message]
    assert any("封面日期中的 “X月X日” 还没有填写" in t for t in texts), texts
    assert any("封面单位中的 “××单位” 还没有填写" in t for t in texts), texts


def test_a_memo_gives_the_findings_of_a_fresh_check_at_the_new_lines() -> None:
    """A warm session's memo reuses a text's findings; the lines are those of the booklet checked now."""
    blocks = (
        Paragraph("X月X日召开会议", line=3),
        Heading(1, "一、总体（要求", line=4),
        Paragraph("好。", line=5),
    )
    memo = lint.LintMemo()
    for shift in (0, 7, 7, 2):  # the same texts moved down (an edit above them), then kept, then moved back
        moved = tuple(replace(b, line=b.line + shift) for b in blocks)
        booklet = Booklet("汇编", (Speech(("讲话",), moved),))
        fresh, warm = Diagnostics(), Diagnostics()
        lint.check(booklet, "b.md", fresh)
        lint.check(booklet, "b.md", warm, memo)
        memo.finish()
        assert [str(d) for d in warm.items] == [str(d) for d in fresh.items]
        assert {d.location.line for d in warm.items if d.location} == {3 + shift, 4 + shift}
