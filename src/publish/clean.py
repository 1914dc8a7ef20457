"""Clean decoded text: remove site noise and normalise punctuation, conservatively and auditably.

Every edit comes from a named rule in ``RULES`` and is recorded as a ``Change`` with its line and column in
the original file, so ``publish clean --report`` can list it. Nothing a rule does not name is touched, and
cleaning cleaned text changes nothing (each line is run through the rule table until it is stable).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from publish.numbering import NUMERAL

__all__ = ["RULES", "Change", "CleanText", "Rule", "clean", "report"]

IDEO = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
OPENERS = "“‘《（「『【〔〈"
CLOSERS = "”’》）」』】〕〉"
SPACE = " \t\u00a0\u3000"
_URL = r"(?:https?://|ftp://|www\.)[^\s\u3000，。；！？、“”‘’（）《》【】]+"  # with re.IGNORECASE
_IDEO_CHAR = f"[{IDEO}]"

Edit = tuple[int, int, str]  # start, end, replacement within the current line
Finder = Callable[[str, bool], list[Edit]]  # (line, is the collection title line) -> edits


@dataclass(frozen=True)
class Change:
    """One edit a rule made; ``line`` and ``column`` are 1-based positions in the original file."""

    rule: str
    line: int
    column: int
    removed: str
    inserted: str


@dataclass(frozen=True)
class CleanText:
    """Cleaned text with LF line ends, the changes made and, per cleaned line, its original line number."""

    path: str
    text: str
    encoding: str
    changes: tuple[Change, ...]
    line_map: tuple[int, ...]

    def original_line(self, line: int) -> int:
        """Return the original line number of cleaned ``line`` (1-based); 0 when it is out of range."""
        return self.line_map[line - 1] if 0 < line <= len(self.line_map) else 0


class _Text(Protocol):
    """What cleaning reads: a SourceText, or a CleanText cleaned again (read-only attributes)."""

    @property
    def path(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def encoding(self) -> str: ...


@dataclass(frozen=True)
class Rule:
    """A named cleaning rule; ``find(line, first)`` returns its edits, ``first`` marking the title line."""

    name: str
    description: str
    find: Finder


def _regex(
    pattern: str, replacement: str = "", flags: int = 0, keep: Callable[[re.Match[str]], bool] | None = None
) -> Finder:
    """Return a finder replacing each match of ``pattern`` (kept by ``keep``) with ``replacement``."""

    def find(line: str, first: bool) -> list[Edit]:
        found = _rx(pattern, flags).finditer(line)
        return [(m.start(), m.end(), replacement) for m in found if keep is None or keep(m)]

    return find


@functools.cache
def _rx(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Return ``pattern`` compiled on first use: an editable source, which needs no cleaning, never pays the
    ~12 ms the rules' patterns take to compile (their CJK classes reach into plane 2)."""
    return re.compile(pattern, flags)


def _url_test(line: str) -> Callable[[int], bool]:
    """Return a test of whether an index of ``line`` lies in a URL; the URLs are found once, so testing every
    quote or parenthesis of a long line stays linear."""
    spans = [(m.start(), m.end()) for m in _rx(_URL, re.IGNORECASE).finditer(line)]
    starts = [start for start, _ in spans]

    def in_url(index: int) -> bool:
        at = bisect.bisect_right(starts, index) - 1
        return at >= 0 and index < spans[at][1]

    return in_url


def _is_ideo(line: str, index: int) -> bool:
    return 0 <= index < len(line) and bool(_rx(_IDEO_CHAR).match(line[index]))


# --- watermarks: 【更多公文素材，微信：dadawk01】 and its spacing, bracket and channel variants -------------
_BRACKETED = r"[【\[〔［]([^\n【】\[\]〔〕［］]{1,60})[】\]〕］]"
_PARENTHESISED = r"[（(]([^\n（）()]{1,60})[）)]"
_CHANNEL = r"(?:微信公众号|微信号|微信|公众号|QQ群|QQ|VX|WX|V信|薇信|威信|weixin)"
_WATERMARK_BODY = (  # with re.IGNORECASE
    rf"(?P<lead>[^,，:：]{{0,14}}?)[,，]?(?:添加|加|添)?{_CHANNEL}[:：]?(?P<id>.{{1,40}})"
)
_WATERMARK_WORDS = ("更多", "素材", "关注", "添加", "资料", "范文")
_ACCOUNT_WORDS = ("公文", "素材", "范文", "写作", "材料")  # in an account name: 【公众号：笔杆子公文】
_ACCOUNT_ID = r"[A-Za-z0-9_.@-]+"
# A bare watermark at the end of a line (正文。更多公文素材，微信：dadawk01): it must open with 更多 and a
# 素材-like word and end in an account id, so prose that merely mentions 微信 is never touched.
_SP = "[ \u3000\u00a0]*+"  # possessive: two space runs around an optional comma never share spaces
_BARE_WATERMARK = (  # with re.IGNORECASE
    rf"(?:获取)?更多[\u4e00-\u9fff \u3000\u00a0]{{0,8}}?(?:素材|范文|资料|材料){_SP}[,，]?{_SP}"
    rf"(?:添加|加|添)?{_CHANNEL}{_SP}[:：]?{_SP}{_ACCOUNT_ID}+{_SP}$"
)


def _watermark_body(match: re.Match[str]) -> re.Match[str] | None:
    """Return the channel form (lead, channel, id) of bracketed text, spaces dropped; None for none."""
    return _rx(_WATERMARK_BODY, re.IGNORECASE).fullmatch(re.sub(r"\s", "", match.group(1)))


def _is_watermark(match: re.Match[str]) -> bool:
    found = _watermark_body(match)
    if found is None:
        return False
    lead, ident = found.group("lead"), found.group("id")
    return (
        any(word in lead for word in _WATERMARK_WORDS)
        or any(word in ident for word in _ACCOUNT_WORDS)
        or re.fullmatch(_ACCOUNT_ID, ident) is not None
    )


def _is_parenthesised_watermark(match: re.Match[str]) -> bool:
    # Parentheses hold ordinary prose too (（微信：zhangsan01） after a contact's name), so besides the
    # channel form they need a watermark word: （更多公文素材，微信：dadawk01）.
    found = _watermark_body(match)
    return found is not None and any(word in found.group(0) for word in ("素材", "更多"))


# --- title breaks: a run of NBSP, U+3000 or several spaces inside a title-like line becomes one U+3000
_TITLE_BREAK = f"(?<=[^{SPACE}])[{SPACE}]+(?=[^{SPACE}])"


def _title_breaks(line: str, first: bool) -> list[Edit]:
    if len(line) > 60 or re.search(r"[。！？；!?;]", line) or line[-1:] in "，、：,:":
        return []
    return [
        (m.start(), m.end(), "\u3000")
        for m in _rx(_TITLE_BREAK).finditer(line)
        if m.group() != "\u3000" and (len(m.group()) > 1 or m.group() in "\u00a0\u3000")
    ]


# --- straight quotes in Chinese text become paired curly quotes ---------------------------------------------
def _double_quotes(line: str, first: bool) -> list[Edit]:
    if not _rx(_IDEO_CHAR).search(line):
        return []
    in_url = _url_test(line)
    marks = [i for i, char in enumerate(line) if char == '"' and not in_url(i)]
    edits: list[Edit] = []
    for start, end in zip(marks[0::2], marks[1::2], strict=False):
        if _rx(_IDEO_CHAR).search(line[start:end]) or _is_ideo(line, start - 1) or _is_ideo(line, end + 1):
            edits += [(start, start + 1, "“"), (end, end + 1, "”")]
    return edits


def _single_quotes(line: str, first: bool) -> list[Edit]:
    marks = [
        i for i, char in enumerate(line) if char == "'" and (_is_ideo(line, i - 1) or _is_ideo(line, i + 1))
    ]
    edits: list[Edit] = []
    for start, end in zip(marks[0::2], marks[1::2], strict=False):
        edits += [(start, start + 1, "‘"), (end, end + 1, "’")]
    return edits


def _parens(line: str, first: bool) -> list[Edit]:
    edits: list[Edit] = []
    in_url = _url_test(line)
    ideo = _rx(_IDEO_CHAR)
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
_HALF_PUNCT = f"(?<=[{IDEO}{CLOSERS}])[,!?:;](?=[{IDEO}{OPENERS}]|$)"


def _punct(line: str, first: bool) -> list[Edit]:
    return [(m.start(), m.end(), _FULL_WIDTH[m.group()]) for m in _rx(_HALF_PUNCT).finditer(line)]


# Matched on the reversed line, anchored at its start (the line's end): one attempt, and possessive runs that
# never give back what they took, so a long run of digits or spaces costs linear time. Forwards this reads
# [SPACE]* ([（(【[]? [ ]* \d+ [ ]* 篇 [ ]* [）)】]]?)+ $.
_LISTING_SUFFIX_REVERSED = f"(?:[）)】\\]]?[ ]*+篇[ ]*+\\d++[ ]*+[（(【\\[]?)+[{SPACE}]*+"


def _listing_suffix(line: str, first: bool) -> list[Edit]:
    if not first:
        return []
    m = _rx(_LISTING_SUFFIX_REVERSED).match(line[::-1])
    start = len(line) - m.end() if m else 0
    return [(start, len(line), "")] if start > 0 else []


RULES: tuple[Rule, ...] = (
    Rule(
        "invisible",
        "zero-width, bidi and control characters; noncharacters such as U+FFFE (no PDF or DOCX holds them)",
        _regex(
            "[\u00ad\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064\u2066-\u2069\ufeff\x00-\x08\x0b-\x1f\x7f-\x9f"
            "\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]"
        ),
    ),
    Rule(
        "paid-marker",
        "##paidbegin## / ##paidend## markers",
        _regex(r"##[ \u3000]*paid[ ]*(?:begin|end)[ ]*##", "", re.I),
    ),
    Rule(
        "watermark",
        "bracketed site watermark such as 【更多公文素材，微信：…】",
        _regex(_BRACKETED, keep=_is_watermark),
    ),
    Rule(
        "watermark-paren",
        "parenthesised site watermark with a watermark word such as （更多公文素材，微信：…）",
        _regex(_PARENTHESISED, keep=_is_parenthesised_watermark),
    ),
    Rule(
        "watermark-bare",
        "unbracketed site watermark at a line end such as 更多公文素材，微信：…",
        _regex(_BARE_WATERMARK, flags=re.IGNORECASE),
    ),
    Rule("indent", "spaces, tabs and U+3000 at the start of a line", _regex(f"^[{SPACE}]+")),
    Rule(
        "trailing-space",
        "spaces, tabs and U+3000 at the end of a line",
        _regex(f"(?<![{SPACE}])[{SPACE}]+$"),  # from a run's first space only: linear on long inner runs
    ),
    Rule("listing-suffix", "the listing count (3篇) after the collection title", _listing_suffix),
    Rule(
        "title-break",
        "NBSP or space run inside a title: an intended line break, kept as one U+3000",
        _title_breaks,
    ),
    Rule("double-quotes", 'straight "…" in Chinese text → “…”', _double_quotes),
    Rule("single-quotes", "straight '…' next to Chinese text → ‘…’", _single_quotes),
    Rule("halfwidth-parens", "(…) in Chinese text → （…）", _parens),
    Rule("halfwidth-punct", ", ! ? : ; between Chinese characters → full width", _punct),
)
FOOTER = Rule(
    "footer",
    "the portal footer line 公文写作门户网站…",
    _regex(r"^公文写作门户网站.{0,70}$"),
)
_MAX_PASSES = 8


def clean(src: _Text) -> CleanText:
    """Apply ``RULES`` to every line of ``src``; the result's ``changes`` is empty when nothing changed."""
    lines = src.text.split("\n")
    final_newline = src.text.endswith("\n")
    if final_newline:
        lines.pop()
    out: list[str] = []
    line_map: list[int] = []
    changes: list[Change] = []
    seen_text = False
    for number, original in enumerate(lines, 1):
        text, line_changes = _clean_line(original, number, first=not seen_text)
        if FOOTER.find(text, False):
            changes.append(Change(FOOTER.name, number, 1, original, ""))
            continue
        changes += line_changes
        seen_text = seen_text or bool(text)
        out.append(text)
        line_map.append(number)
    text = "\n".join(out) + ("\n" if final_newline and out else "")
    changes.sort(key=lambda change: (change.line, change.column))
    return CleanText(src.path, text, src.encoding, tuple(changes), tuple(line_map))


def _clean_line(line: str, number: int, first: bool) -> tuple[str, list[Change]]:
    """Run the rules over ``line`` until it is stable; columns are tracked back to the original line."""
    columns = list(range(len(line)))
    changes: list[Change] = []
    for _ in range(_MAX_PASSES):
        changed = False
        for rule in RULES:
            edits = rule.find(line, first)
            if edits:
                line, columns = _apply(rule.name, number, line, columns, edits, changes)
                changed = True
        if not changed:
            break
    return line, changes


def _apply(
    rule: str, number: int, line: str, columns: list[int], edits: list[Edit], changes: list[Change]
) -> tuple[str, list[int]]:
    """Return ``line`` and its column map with ``edits`` applied in one pass (linear in the line, however many
    edits), recording each in ``changes``; edits that overlap one already applied are dropped."""
    pieces: list[str] = []
    mapped: list[int] = []
    at = 0
    for start, end, new in sorted(edits):
        if start < at:
            continue
        column = columns[start] if start < len(columns) else (columns[-1] + 1 if columns else 0)
        changes.append(Change(rule, number, column + 1, line[start:end], new))
        pieces += [line[at:start], new]
        mapped += columns[at:start] + [column] * len(new)
        at = end
    pieces.append(line[at:])
    mapped += columns[at:]
    return "".join(pieces), mapped


def report(cleaned: CleanText) -> str:
    """Return a listing of every change with ``line:column``, one a line, after a summary line."""
    count = len(cleaned.changes)
    head = f"{cleaned.path}: {count} change{'s' if count != 1 else ''} ({cleaned.encoding})"
    rows = [head]
    width = max((len(change.rule) for change in cleaned.changes), default=0)
    for change in cleaned.changes:
        where = f"{change.line}:{change.column}"
        if change.inserted:
            what = f"{_show(change.removed)} → {_show(change.inserted)}"
        else:
            what = f"removed {_show(change.removed)}"
        rows.append(f"{where:>8}  {change.rule:<{width}}  {what}")
    return "\n".join(rows) + "\n"


def _show(text: str) -> str:
    """Quote ``text``, spelling out characters a reader cannot see as <U+XXXX>."""
    visible = "".join(
        char if char == " " or (char.isprintable() and char not in "\u00a0\u3000") else f"<U+{ord(char):04X}>"
        for char in text
    )
    return f"'{visible}'" if '"' in text and "'" not in text else f'"{visible}"'
