"""Heading numbers: the one table of the numbered heading forms that cleaning, parsing and lint share.

The forms and their levels follow GB/T 9704 §7.3.3 (gbt9704.md §4): 一、 (or 第一，) for level 1,
（一） for level 2, 1. for level 3 and （1） for level 4. Nothing here depends on the rest of the package.
"""

from __future__ import annotations

import re

__all__ = ["HEADINGS", "NUMERAL", "heading_number"]

NUMERAL = "一二三四五六七八九十百零〇"  # the characters of a Chinese heading number
# Level and pattern of each numbered heading form; a match is the number with its mark (一、 （二） 3.).
HEADINGS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(f"[{NUMERAL}]+、")),
    (1, re.compile(f"第[{NUMERAL}]+[，,、]")),
    (2, re.compile(f"[（(][{NUMERAL}]+[）)]")),
    (3, re.compile(r"\d{1,3}[.．、](?![\d.．])")),
    (4, re.compile(r"[（(]\d{1,3}[）)]")),
)


def heading_number(text: str) -> tuple[int, int, str] | None:
    """Return the level, form (index in ``HEADINGS``) and number ``text`` starts with; None if it has none."""
    for form, (level, pattern) in enumerate(HEADINGS):
        found = pattern.match(text)
        if found:
            return level, form, found.group()
    return None
