"""Cleaning: golden cases per rule, the seed, positions in the original, idempotence and no silent loss."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from publish.clean import RULES, CleanText, clean, report
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
    case = read_case(path)
    check_case(case, render(case.input), update_golden)


def test_every_rule_has_a_case() -> None:
    reports = "".join(read_case(path).expected for path in case_files(CASES))
    for name in (*(rule.name for rule in RULES), "footer"):
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
    delta = sum(len(c.removed) - len(c.inserted) for c in cleaned.changes)
    assert len(text) - delta - dropped == len(cleaned.text)
    assert all(c.rule != "footer" or c.column == 1 for c in cleaned.changes)
