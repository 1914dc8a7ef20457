"""Punctuation in Chinese text: straight quotes, half-width brackets and marks become full width; title
breaks (a run of spaces inside a title) become one U+3000; the collection title loses its listing suffix."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable

from publish.clean.base import CLOSERS, IDEO, IDEO_CHAR, OPENERS, SPACE, Edit, rx
from publish.numbering import NUMERAL

__all__ = [
    "URL",
    "double_quotes",
    "halfwidth_punct",
    "listing_suffix",
    "parens",
    "single_quotes",
    "title_breaks",
]

URL = r"(?:https?://|ftp://|www\.)[^\s\u3000，。；！？、“”‘’（）《》【】]+"  # with re.IGNORECASE


def _url_test(line: str) -> Callable[[int], bool]:
    """Return a test of whether an index of ``line`` lies in a URL; the URLs are found once, so testing every
    quote or parenthesis of a long line stays linear."""
    spans = [(m.start(), m.end()) for m in rx(URL, re.IGNORECASE).finditer(line)]
    starts = [start for start, _ in spans]

    def in_url(index: int) -> bool:
        at = bisect.bisect_right(starts, index) - 1
        return at >= 0 and index < spans[at][1]

    return in_url


def _is_ideo(line: str, index: int) -> bool:
    return 0 <= index < len(line) and bool(rx(IDEO_CHAR).match(line[index]))


# --- title breaks: a run of NBSP, U+3000 or several spaces inside a title-like line becomes one U+3000
_TITLE_BREAK = f"(?<=[^{SPACE}])[{SPACE}]+(?=[^{SPACE}])"


def title_breaks(line: str, first: bool) -> list[Edit]:
    if len(line) > 60 or re.search(r"[。！？；!?;]", line) or line[-1:] in "，、：,:":
        return []
    return [
        (m.start(), m.end(), "\u3000")
        for m in rx(_TITLE_BREAK).finditer(line)
        if m.group() != "\u3000" and (len(m.group()) > 1 or m.group() in "\u00a0\u3000")
    ]


# --- straight quotes in Chinese text become paired curly quotes ---------------------------------------------
def double_quotes(line: str, first: bool) -> list[Edit]:
    if not rx(IDEO_CHAR).search(line):
        return []
    in_url = _url_test(line)
    marks = [i for i, char in enumerate(line) if char == '"' and not in_url(i)]
    edits: list[Edit] = []
    for start, end in zip(marks[0::2], marks[1::2], strict=False):
        if rx(IDEO_CHAR).search(line[start:end]) or _is_ideo(line, start - 1) or _is_ideo(line, end + 1):
            edits += [(start, start + 1, "“"), (end, end + 1, "”")]
    return edits


def single_quotes(line: str, first: bool) -> list[Edit]:
    marks = [
        i for i, char in enumerate(line) if char == "'" and (_is_ideo(line, i - 1) or _is_ideo(line, i + 1))
    ]
    edits: list[Edit] = []
    for start, end in zip(marks[0::2], marks[1::2], strict=False):
        edits += [(start, start + 1, "‘"), (end, end + 1, "’")]
    return edits


def parens(line: str, first: bool) -> list[Edit]:
    edits: list[Edit] = []
    in_url = _url_test(line)
    ideo = rx(IDEO_CHAR)
    chinese_line = ideo.search(line) is not None
    for m in re.finditer(r"\(([^()\n]{0,80})\)", line):
        start, end = m.start(), m.end() - 1
        # Chinese content, or a bare number (1) / (一) in Chinese text that is not glued to a Latin word: f(x)
        content, before = m.group(1), line[start - 1 : start]
        numbered = re.fullmatch(f"[0-9{NUMERAL}]+", content) and not (before.isascii() and before.isalnum())
        beside = start == 0 or not before.isascii() or _is_ideo(line, end + 1)
        chinese = ideo.search(content) or (numbered and beside and chinese_line)
        if chinese and not in_url(start):
            edits += [(start, start + 1, "（"), (end, end + 1, "）")]
    return edits


_FULL_WIDTH = {",": "，", "!": "！", "?": "？", ":": "：", ";": "；"}
# A mark between Chinese text and Chinese text, a closing quote, a digit or the line end: 一句,二句 党员!”
# 召开时,13名; or after a digit or % before Chinese text: 共13,其中 下降5%;. Between two digits (3,000 10:30)
# or two Latin letters it stays.
_HALF_PUNCT = (
    f"(?<=[{IDEO}{CLOSERS}])[,!?:;](?=[{IDEO}{OPENERS}{CLOSERS}0-9]|$)"
    f"|(?<=[0-9%])[,!?:;](?=[{IDEO}{OPENERS}]|$)"
)


def halfwidth_punct(line: str, first: bool) -> list[Edit]:
    if not rx(IDEO_CHAR).search(line):
        return []
    return [(m.start(), m.end(), _FULL_WIDTH[m.group()]) for m in rx(_HALF_PUNCT).finditer(line)]


# Matched on the reversed line, anchored at its start (the line's end): one attempt, and possessive runs that
# never give back what they took, so a long run of digits or spaces costs linear time. Forwards this reads
# [SPACE]* ([（(【[]? (精选|共|优选|通用|最新|热门)? [ ]* \d+ [ ]* 篇 [ ]* [）)】]]?)+ $.
_LISTING_SUFFIX_REVERSED = (
    f"(?:[）)】\\]]?[ ]*+篇[ ]*+\\d++[ ]*+(?:选精|共|选优|用通|新最|门热)?[（(【\\[]?)+[{SPACE}]*+"
)


def listing_suffix(line: str, first: bool) -> list[Edit]:
    if not first:
        return []
    m = rx(_LISTING_SUFFIX_REVERSED).match(line[::-1])
    start = len(line) - m.end() if m else 0
    return [(start, len(line), "")] if start > 0 else []
