"""Cheaper patterns give what the regexes they replace gave: range tests for wide character classes (slow to
compile in every build), and lint's debris search without the breadcrumb alternative where it cannot match,
and none at all where no alternative can match (slow to run on every paragraph)."""

from __future__ import annotations

import random
import re

from publish import lint
from publish.errors import Diagnostics, Location
from publish.layout import measure

IDEO = "\u3400-\u4dbf\u4e00-\u9fff"
OLD_HALFWIDTH = re.compile(rf"(?<=[{IDEO}])[,!?:;()]|[,!?:;()](?=[{IDEO}])")
ALPHABET = "中文一鿿㐀䶿\u33ff\u4dc0\u9fff\ua000,!?:;()，。 aZ9ñЖ"  # the ranges' ends and their neighbours


def test_east_asian_letters_as_the_regex_class() -> None:
    east = re.compile(f"[{measure._EAST}]")
    wrong = [c for c in range(0x110000) if (east.match(chr(c)) is not None) != measure._east(chr(c))]
    assert wrong == []


def test_latin_gaps_as_before() -> None:
    east = re.compile(f"[{measure._EAST}]")
    rng = random.Random(17)
    for _ in range(3000):
        text = "".join(rng.choice(ALPHABET + "かカ한𠀀") for _ in range(rng.randint(0, 12)))
        expected = []
        for run in measure._WEST_RUN.finditer(text):
            start, end = run.span()
            if start and east.match(text, start - 1) and text[start - 1].isalnum() and text[start].isalnum():
                expected.append(start)
            if end < len(text) and east.match(text, end) and text[end - 1].isalnum() and text[end].isalnum():
                expected.append(end)
        assert measure.latin_gaps(text) == expected, text


def test_halfwidth_findings_as_the_regex() -> None:
    rng = random.Random(9704)
    for _ in range(5000):
        text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 10)))
        found = Diagnostics()
        lint._halfwidth(text, "paragraph", Location("x"), found)
        old = list(OLD_HALFWIDTH.finditer(text))
        assert len(found.items) == (1 if old else 0), text
        if old:
            marks = " ".join(sorted({m.group() for m in old}))
            assert f" {marks} in Chinese paragraph ({len(old)}×)" in found.items[0].message, text


OLD_DEBRIS = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|(?:微信号?|公众号|QQ群?|V信|VX|薇信)\s*[:：]\s*\S{2,}"
    r"|扫(?:描二维)?码(?:关注|添加|加入|领取)|长按识别二维码"
    r"|(?:阅读|点击|浏览)(?:量|数|次数)?\s*[:：(（]\s*\d[\d.,]*[KkWw万]?"
    r"|\S{1,20}\s*(?:>|»|→)\s*\S{1,20}\s*(?:>|»|→)"
    r"|[!-/:-@\[-^`{-~]{4,}",
    re.IGNORECASE,
)
PIECES = (
    "首页",
    " > ",
    "»",
    "→",
    ">",
    "http://",
    "www.",
    "微信：",
    "vx:",
    "阅读：",
    "1532",
    "扫码关注",
    "!!",
    "——",
    "。",
    "新闻",
    " ",
    # what ``lint._may_be_debris`` tests for, alone and in other cases
    "HTTPS://",
    "WwW.",
    "QQ群",
    "q",
    "公众号",
    "薇信",
    "V信",
    "Vx",
    "：",
    ":",
    ".",
    "二维码",
    "长按识别",
    "浏览量",
    "点击",
    "（",
    "(",
    "#",
    "%&",
)


def test_debris_findings_as_the_one_regex() -> None:
    assert lint._DEBRIS.pattern == OLD_DEBRIS.pattern  # the parts put together are the regex of old
    rng = random.Random(1532)
    matched = skipped = 0
    for _ in range(8000):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 9)))
        found, old = Diagnostics(), OLD_DEBRIS.search(text)
        lint._debris(text, Location("x"), found)
        assert [d.message for d in found.items] == (
            [f"looks like site debris no cleaning rule removed: “{old.group()[:40]}”"] if old else []
        ), text
        matched += old is not None
        skipped += not lint._may_be_debris(text)
    assert matched > 1000
    assert skipped > 1000  # the texts ``_may_be_debris`` rules out were searched above all the same


def test_placeholder_findings_as_the_regex_alone() -> None:
    pieces = (
        "X",
        "Ｘ",
        "×",
        "○",
        "_",
        "＿",
        "x",
        "月",
        "日",
        "书记",
        "同志",
        "光",
        "a",
        "1",
        " ",
        "。",
        "至",
    )
    rng = random.Random(2012)
    matched = 0
    for _ in range(4000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 8)))
        found = Diagnostics()
        lint._placeholders(text, Location("x"), found)
        old = [m.group() for m in lint._PLACEHOLDER.finditer(text)]
        assert [d.message for d in found.items] == [f"unfilled placeholder “{g}”" for g in old], text
        matched += bool(old)
    assert matched > 500
