"""Word's automatic numbering turned into the number text the reader saw (ECMA-376 Part 1 §17.9).

A paragraph with ``w:numPr`` (directly or through its style) shows a number Word computes: the level's
``w:lvlText`` (``%1、``, ``（%1）``, ``%1.%2``) with each ``%n`` replaced by level n's counter in its
``w:numFmt`` (decimal, chineseCounting 一二三…十一, 甲乙丙, ①…). Counters are kept per abstract numbering
definition, so lists that share one continue each other, as in Word; a ``w:num`` with ``w:startOverride``
restarts its levels where it is first used ("restart at 1"); a level restarts after a shallower level is
used unless ``w:lvlRestart`` says otherwise. Bullets and ``none`` give no text: they are not numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from docx.oxml.ns import qn

__all__ = ["Numbering", "format_number"]

Element = Any
_VAL = qn("w:val")
_DIGITS = "〇一二三四五六七八九"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PAREN = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
_STOP = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"


def _counting(n: int, digits: str = _DIGITS, ten: str = "十", hundred: str = "百") -> str:
    """Return ``n`` in Chinese counting: 一 … 十 十一 二十 一百零五 一百一十; 1000 and above in digits."""
    if n < 10:
        return digits[n] if n >= 0 else str(n)
    if n < 100:
        tens, ones = divmod(n, 10)
        return (digits[tens] if tens > 1 else "") + ten + (digits[ones] if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        if not rest:
            tail = ""
        elif rest < 10:
            tail = "零" + digits[rest]
        else:
            tail = digits[1] + _counting(rest, digits, ten, hundred) if rest < 20 else _counting(rest, digits)
        return digits[hundreds] + hundred + tail
    return str(n)


def _letters(n: int, base: str) -> str:
    """Return Word's letter numbering: A … Z, then AA … ZZ (the letter repeated)."""
    return base[(n - 1) % 26] * ((n - 1) // 26 + 1) if n > 0 else str(n)


def _roman(n: int) -> str:
    if not 0 < n < 4000:
        return str(n)
    out = ""
    for value, mark in zip(
        (1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1),
        ("M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"),
        strict=True,
    ):
        count, n = divmod(n, value)
        out += mark * count
    return out


def _enclosed(marks: str) -> Callable[[int], str]:
    return lambda n: marks[n - 1] if 0 < n <= len(marks) else str(n)


def _cycle(marks: str) -> Callable[[int], str]:
    return lambda n: marks[(n - 1) % len(marks)] if n > 0 else str(n)


_FORMATS: dict[str, Callable[[int], str]] = {
    "decimal": str,
    "decimalHalfWidth": str,
    "decimalZero": lambda n: f"{n:02d}",
    "decimalFullWidth": lambda n: "".join(chr(ord(c) + 0xFEE0) for c in str(n)),
    "decimalFullWidth2": lambda n: "".join(chr(ord(c) + 0xFEE0) for c in str(n)),
    "decimalEnclosedCircle": _enclosed(_CIRCLED),
    "decimalEnclosedCircleChinese": _enclosed(_CIRCLED),
    "decimalEnclosedParen": _enclosed(_PAREN),
    "decimalEnclosedFullstop": _enclosed(_STOP),
    "chineseCounting": _counting,
    "chineseCountingThousand": _counting,
    "japaneseCounting": _counting,
    "taiwaneseCounting": _counting,
    "taiwaneseCountingThousand": _counting,
    "ideographDigital": lambda n: "".join(_DIGITS[int(c)] for c in str(n)),
    "taiwaneseDigital": lambda n: "".join(_DIGITS[int(c)] for c in str(n)),
    "chineseLegalSimplified": lambda n: _counting(n, _LEGAL, "拾", "佰"),
    "ideographLegalTraditional": lambda n: _counting(n, _LEGAL, "拾", "佰"),
    "ideographTraditional": _cycle(_STEMS),
    "ideographZodiac": _cycle(_BRANCHES),
    "upperLetter": lambda n: _letters(n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ"),
    "lowerLetter": lambda n: _letters(n, "abcdefghijklmnopqrstuvwxyz"),
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
}


def format_number(n: int, fmt: str) -> str:
    """Return counter ``n`` in Word number format ``fmt``; formats we do not know give decimal digits."""
    return _FORMATS.get(fmt, str)(n)


@dataclass(frozen=True)
class _Level:
    start: int = 0  # §17.9.26: 0 when w:start is absent
    fmt: str = "decimal"
    text: str = ""
    restart: int | None = None  # w:lvlRestart: None = after any shallower level, 0 = never
    legal: bool = False  # w:isLgl: every %n in Arabic digits
    suffix: str = "tab"  # w:suff: tab, space or nothing


def _level(lvl: Element) -> _Level:
    def value(name: str) -> str | None:
        found = lvl.find(qn(name))
        return found.get(_VAL) if found is not None else None

    start, restart = value("w:start"), value("w:lvlRestart")
    legal = lvl.find(qn("w:isLgl"))
    return _Level(
        start=int(start) if start and start.lstrip("-").isdigit() else 0,
        fmt=value("w:numFmt") or "decimal",
        text=value("w:lvlText") or "",
        restart=int(restart) if restart and restart.isdigit() else None,
        legal=legal is not None and legal.get(_VAL, "true") not in ("0", "false", "off"),
        suffix=value("w:suff") or "tab",
    )


@dataclass
class _List:
    levels: dict[int, _Level]
    counters: dict[int, int] = field(default_factory=dict)  # level → current value; absent = not started


class Numbering:
    """The numbering definitions of one document and the running counters of its lists."""

    def __init__(self, numbering: Element | None, style_nums: dict[str, str] | None = None) -> None:
        """Read ``numbering`` (the ``w:numbering`` root; None: no numbering part); ``style_nums`` maps a
        numbering style's id to the ``w:numId`` its properties give (for ``w:numStyleLink``)."""
        self._abstract: dict[str, dict[int, _Level]] = {}
        self._links: dict[str, str] = {}
        self._nums: dict[str, tuple[str, dict[int, _Level], dict[int, int]]] = {}
        self._lists: dict[str, _List] = {}
        self._seen: set[str] = set()
        if numbering is None:
            return
        for abstract in numbering.iterchildren(qn("w:abstractNum")):
            key = abstract.get(qn("w:abstractNumId"), "")
            self._abstract[key] = {
                int(lvl.get(qn("w:ilvl"), "0")): _level(lvl) for lvl in abstract.iter(qn("w:lvl"))
            }
            link = abstract.find(qn("w:numStyleLink"))
            if link is not None and style_nums and link.get(_VAL) in style_nums:
                self._links[key] = style_nums[link.get(_VAL)]
        for num in numbering.iterchildren(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            overrides: dict[int, _Level] = {}
            starts: dict[int, int] = {}
            for override in num.iterchildren(qn("w:lvlOverride")):
                ilvl = int(override.get(qn("w:ilvl"), "0"))
                start = override.find(qn("w:startOverride"))
                if start is not None and start.get(_VAL, "").isdigit():
                    starts[ilvl] = int(start.get(_VAL))
                lvl = override.find(qn("w:lvl"))
                if lvl is not None:
                    overrides[ilvl] = _level(lvl)
            self._nums[num.get(qn("w:numId"), "")] = (
                ref.get(_VAL, "") if ref is not None else "",
                overrides,
                starts,
            )

    def _resolve(self, num_id: str, depth: int = 0) -> tuple[str, dict[int, _Level], dict[int, int]] | None:
        found = self._nums.get(num_id)
        if found is None:
            return None
        abstract, overrides, starts = found
        if abstract in self._links and depth < 4:  # a list style's definition lives in another w:num
            linked = self._resolve(self._links[abstract], depth + 1)
            if linked is not None:
                return linked[0], {**linked[1], **overrides}, {**linked[2], **starts}
        return abstract, overrides, starts

    def next_text(self, num_id: str | None, ilvl: int | None) -> tuple[str, str]:
        """Advance the counter of list ``num_id`` at level ``ilvl``; return its number text and the
        separator after it ("", " " or "\\t"). Id "0" or unknown ids give ("", "") (no numbering)."""
        if not num_id or num_id == "0":
            return "", ""
        resolved = self._resolve(num_id)
        if resolved is None or resolved[0] not in self._abstract:
            return "", ""
        abstract, overrides, starts = resolved
        levels = {**self._abstract[abstract], **overrides}
        level = ilvl or 0
        state = self._lists.setdefault(abstract, _List(levels))
        state.levels = levels
        if num_id not in self._seen:  # a "restart at" override takes effect where its list is first used
            self._seen.add(num_id)
            for restarted in starts:
                state.counters.pop(restarted, None)
        definition = levels.get(level, _Level())
        if level in state.counters:
            state.counters[level] += 1
        else:
            state.counters[level] = starts.get(level, definition.start)
        for deeper in [d for d in state.counters if d > level]:
            restart = levels.get(deeper, _Level()).restart
            if restart is None or (restart and level < restart):
                del state.counters[deeper]
        if definition.fmt in ("bullet", "none"):
            return "", ""
        text = definition.text
        for index in range(9):
            mark = f"%{index + 1}"
            if mark in text:
                shown = levels.get(index, _Level())
                value = state.counters.get(index, shown.start)
                fmt = "decimal" if definition.legal else shown.fmt
                text = text.replace(mark, format_number(value, fmt))
        separator = {"tab": "\t", "space": " "}.get(definition.suffix, "")
        return text, separator if text else ""
