"""Tests that replace wide regex character classes (slow to compile in every build) with range tests: each
gives exactly what the regex it replaces gave."""

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
