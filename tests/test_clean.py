"""Cleaning: golden cases per rule, the seed, positions in the original, idempotence and no silent loss."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from publish.clean import LINE_RULES, REFLOW_RULES, RULES, TO_SIMPLIFIED, CleanText, clean, report
from publish.source import SourceText
from support.golden import case_files, check_case, read_case

CASES = Path(__file__).parent / "cases" / "clean"
SEED = Path(__file__).parents[1] / "content" / "speeches-raw.txt"
REPORT = "# --- report ---\n"


def _clean(text: str) -> CleanText:
    return clean(SourceText("input.txt", text, "utf-8"))


def render(text: str) -> str:
    """Return what a clean case file expects: the cleaned text, then the change report."""
    cleaned = _clean(text)
    body = cleaned.text if cleaned.text.endswith("\n") or not cleaned.text else cleaned.text + "\n"
    return body + REPORT + report(cleaned)


@pytest.mark.parametrize("path", case_files(CASES), ids=lambda p: p.stem)
def test_case(path: Path, update_golden: bool) -> None:
    # A case flagged text-only expects the cleaned text alone: its report's columns are not its point.
    case = read_case(path)
    actual = render(case.input)
    check_case(case, actual.partition(REPORT)[0] if "text-only" in case.flags else actual, update_golden)


def test_every_rule_has_a_case() -> None:
    reports = "".join(read_case(path).expected for path in case_files(CASES))
    for name in (*(rule.name for rule in (*RULES, *LINE_RULES)), *REFLOW_RULES):
        assert f" {name} " in reports, f"no case exercises rule {name}"


def test_seed_changes_point_into_the_original() -> None:
    original = SEED.read_text(encoding="utf-8").split("\n")
    cleaned = _clean(SEED.read_text(encoding="utf-8"))
    assert {c.rule for c in cleaned.changes} == {
        "listing-suffix",
        "watermark",
        "paid-marker",
        "title-break",
        "halfwidth-punct",
        "footer",
    }
    for change in cleaned.changes:
        assert original[change.line - 1][change.column - 1 :].startswith(change.removed), change
    assert len([c for c in cleaned.changes if c.rule == "watermark"]) == 3


def test_line_map_skips_the_removed_footer() -> None:
    cleaned = _clean("标题\n正文。\n公文写作门户网站，请认准\n后文。\n")
    assert cleaned.text == "标题\n正文。\n后文。\n"
    assert cleaned.line_map == (1, 2, 4)
    assert cleaned.original_line(3) == 4 and cleaned.original_line(9) == 0


def test_report_lists_positions_and_invisible_characters() -> None:
    text = report(_clean("标题\n正文\u200b一句,二句。\n"))
    assert text.splitlines()[0] == "input.txt: 2 changes (utf-8)"
    assert "2:3" in text and "<U+200B>" in text and '"," → "，"' in text
    assert report(_clean("标题\n")).startswith("input.txt: 0 changes")


def test_cleaning_cleaned_text_changes_nothing() -> None:
    once = _clean(SEED.read_text(encoding="utf-8"))
    twice = clean(once)
    assert twice.text == once.text and twice.changes == ()


# --- properties -----------------------------------------------------------------------------------------
PLAIN = st.text(
    st.sampled_from("党建工作引领发展学习我们一二三是第、，。；：！？“”（）《》abcXYZ0123 "), max_size=30
)
NOISY_CHARS = (
    "党建学习ab12 ,.!?:;()\"'\u3000\u00a0\u200b\x07【】[]〔〕微信：更多素材#paidbeginend公文写作门户网站篇\n"
)
NOISY = st.text(st.sampled_from(NOISY_CHARS), max_size=80)
NOISE = st.sampled_from(
    [
        "【更多公文素材，微信：dadawk01】",
        "【更多公文 素材，微信： dad awk01】",
        "[更多公文素材,公众号:gw2021]",
        "〔微信：abc_123〕",
        "【微信公众号：公文素材库】",
        "【更多公文素材,加微信dadawk01】",
        "（更多公文素材，微信：dadawk01）",
        "(更多公文素材,微信:dadawk01)",
        "##paidbegin##",
        "##paidend##",
        "\u200b",
        "\ufeff",
        "\x07",
    ]
)
LINE_END_NOISE = st.sampled_from(["", "更多公文素材，微信：dadawk01", " 更多公文素材,微信: dadawk01"])


@settings(max_examples=300, deadline=None)
@given(NOISY)
def test_idempotent(text: str) -> None:
    once = _clean(text)
    assert _clean(once.text).text == once.text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(PLAIN, NOISE), max_size=6), PLAIN, LINE_END_NOISE)
def test_only_named_noise_is_removed(pieces: list[tuple[str, str]], tail: str, end: str) -> None:
    # The plain text comes out as written (apart from the spaces at its line edges), whatever noise is mixed
    # in: compared with the literal text, not with a second cleaning, so a rule that eats plain text fails.
    plain = "".join(p for p, _ in pieces) + tail
    assume("  " not in plain)  # a run of spaces is an intended title break (the title-break rule)
    assume(not re.search("[\u4e00-\u9fff] [\u4e00-\u9fff]", plain))  # a PDF line end (the reflow-space rule)
    noisy = "\n".join(["标题", "".join(p + n for p, n in pieces) + tail + end])
    cleaned = _clean(noisy)
    assert cleaned.text == "标题\n" + plain.strip(" ")
    removals = {"watermark", "watermark-paren", "watermark-bare", "paid-marker", "invisible"}
    assert {c.rule for c in cleaned.changes} <= removals | {"indent", "trailing-space"}


@settings(max_examples=300, deadline=None)
@given(NOISY)
def test_changes_account_for_every_difference(text: str) -> None:
    cleaned = _clean(text)
    dropped = len(text.split("\n")) - len(cleaned.text.split("\n"))
    # a removed line's line end, and a join's, are counted in ``dropped``
    delta = sum(len(c.removed) - len(c.inserted) for c in cleaned.changes if c.removed != "\n")
    assert len(text) - delta - dropped == len(cleaned.text)
    assert all(c.rule != "footer" or c.column == 1 for c in cleaned.changes)


# --- reflow ------------------------------------------------------------------------------------------------
SENTENCE = st.text(
    st.sampled_from("党建工作引领发展学习我们基层组织群众服务落实责任"), min_size=4, max_size=30
).map(lambda s: s + "，" + s[::-1] + "。")
PARAGRAPH = st.lists(SENTENCE, min_size=3, max_size=6).map("".join)


@settings(max_examples=100, deadline=None)
@given(st.lists(PARAGRAPH, min_size=3, max_size=6), st.integers(min_value=22, max_value=34), st.booleans())
def test_hard_wraps_are_joined_back(paragraphs: list[str], width: int, indent: bool) -> None:
    # Paragraphs wrapped at a fixed width, each starting with an indent (or, without indents, each
    # separated by a blank line), come back as the paragraphs that were written, character for character.
    lines = ["学习体会"]
    full = [text[i : i + width] for text in paragraphs for i in range(0, len(text) - width + 1, width)]
    # (a copy whose full lines often end at a sentence end reads like one sentence a line: not this test)
    assume(sum(1 for line in full if line[-1] != "。") * 3 >= len(full) * 2)
    for text in paragraphs:
        wrapped = [text[i : i + width] for i in range(0, len(text), width)]
        lines += ["\u3000\u3000" + wrapped[0] if indent else wrapped[0], *wrapped[1:]]
        if not indent:
            lines.append("")
    cleaned = _clean("\n".join(lines) + "\n")
    assert [line for line in cleaned.text.split("\n") if line][1:] == paragraphs


@settings(max_examples=200, deadline=None)
@given(st.lists(PARAGRAPH, min_size=1, max_size=8))
def test_unwrapped_text_is_not_reflowed(paragraphs: list[str]) -> None:
    # One paragraph a line, as web pages give it: nothing is joined, nothing is removed.
    text = "学习体会\n" + "\n".join(paragraphs) + "\n"
    cleaned = _clean(text)
    assert cleaned.text == text and cleaned.changes == ()


def test_folios_and_running_heads_go_and_the_sentence_is_joined_across_the_page() -> None:
    page = "党建引领发展，基层组织建设要落实到每一个支部每一名党员，不能"
    text = f"党建引领发展\n{page}\n— 1 —\n党建引领发展\n停在口头上，要抓出实效。\n第 2 页 共 3 页\n"
    cleaned = _clean(text)
    assert cleaned.text == f"党建引领发展\n{page}停在口头上，要抓出实效。\n"
    assert {c.rule for c in cleaned.changes} == {"folio", "running-head", "reflow-join"}
    assert "reflow-join" in report(cleaned) and "×1" in report(cleaned)


def test_traditional_script_is_kept_unless_asked() -> None:
    text = "在社區工作者培訓班上的講話\n來源：兩岸公文網\n同志們：\n"
    kept = _clean(text)
    assert kept.text == "在社區工作者培訓班上的講話\n同志們：\n"  # chrome matched through simplified
    converted = clean(SourceText("input.txt", text, "utf-8"), to_simplified=True)
    assert converted.text == "在社区工作者培训班上的讲话\n同志们：\n"
    assert {c.rule for c in converted.changes} == {TO_SIMPLIFIED.name, "chrome-meta"}


@pytest.mark.parametrize(
    "line",
    [
        "点赞新时代，奋进新征程",
        "今年预计阅读人数将超过十万人次。",
        "一、党建/业务/服务深度融合",
        "党建/业务/服务",
        "扫码办事更便捷",
        "关注微信公众号的同志可以获取更多学习资料。",
        "下面是我的几点体会，供大家参考。",
        "时间：2024年5月6日上午开会，地点在三楼。",
        "作者认为，基层减负要从源头抓起。",
        "未完成的任务要列出清单。",
        "成为会员以后，职工可以享受更多服务。",
        "我们开通了微信公众号，关注人数达到三万。",
        "上一篇文章讲到的问题要解决。",
    ],
)
def test_prose_that_looks_like_chrome_survives(line: str) -> None:
    cleaned = _clean(f"标题\n{line}\n")
    assert cleaned.text == f"标题\n{line}\n", [c.rule for c in cleaned.changes]


def test_repeated_lines_without_pages_or_chrome_are_the_authors() -> None:
    # Three equal lines with no page furniture, and a title written twice with nothing removed between,
    # are text (a Word document may well hold them); only pages or site chrome make a repeat debris.
    text = "加强学习\n加强学习\n正文一句。\n加强学习\n"
    assert _clean(text).text == text
    chrome = "加强学习\n来源：某某网  作者：佚名\n加强学习\n正文一句。\n"
    assert _clean(chrome).text == "加强学习\n正文一句。\n"
