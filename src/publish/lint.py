"""Check a booklet for what an editor should fix before printing; findings are diagnostics, never errors.

Codes (stable, for ``--strict`` and tests): ``placeholder`` (X月X日, X书记, XX同志, ××, ____),
``no-final-punct`` (a paragraph ending without 。！？…), ``unbalanced`` (quotes or brackets within one
paragraph, heading or title), ``heading-gap`` (a numbered heading skipping or repeating a number: 一、 三、),
``halfwidth-punct`` (, ! ? : ; ( ) next to Chinese text), ``debris`` (what still looks like site
debris that no cleaning rule named: a URL, 微信：…, 公众号：…, 扫码关注, 阅读 1532, a > chain, a run of
ASCII symbols; to delete by hand if it is not the speaker's). Characters no bundled font covers are reported
by ``fonts.py``, not here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import replace

from publish.errors import Diagnostic, Diagnostics, Location
from publish.model import Booklet, Heading, Paragraph, Speech
from publish.numbering import heading_number
from publish.patterns import Lazy

__all__ = ["CODES", "LintMemo", "check", "check_cover", "number_value"]

CODES = ("placeholder", "no-final-punct", "unbalanced", "heading-gap", "halfwidth-punct", "debris")
_DEBRIS_PARTS = (
    r"(?:https?://|www\.)\S+",
    r"(?:微信号?|公众号|QQ群?|V信|VX|薇信)\s*[:：]\s*\S{2,}",
    r"扫(?:描二维)?码(?:关注|添加|加入|领取)|长按识别二维码",  # not 群众扫描二维码即可预约: prose
    r"(?:阅读|点击|浏览)(?:量|数|次数)?\s*[:：(（]\s*\d[\d.,]*[KkWw万]?",
    r"\S{1,20}\s*(?:>|»|→)\s*\S{1,20}\s*(?:>|»|→)",  # a breadcrumb chain: _CHAIN
    r"[!-/:-@\[-^`{-~]{4,}",  # not _: ____ is a blank to fill in (placeholder)
)
# The breadcrumb alternative tries up to 400 splits at every position of a text (0.75 µs a character, 95 %
# of the lint time): a text with fewer than two of _ARROWS cannot match it and is searched without it.
_CHAIN = 4
_ARROWS = ">»→"
_DEBRIS = Lazy("|".join(_DEBRIS_PARTS), re.IGNORECASE)  # with a breadcrumb: rare
_DEBRIS_NO_CHAIN = re.compile("|".join(_DEBRIS_PARTS[:_CHAIN] + _DEBRIS_PARTS[_CHAIN + 1 :]), re.IGNORECASE)
_SYMBOL_RUN = re.compile(_DEBRIS_PARTS[-1])  # holds no letter: IGNORECASE would change nothing
_X = "XＸ×"
_PLACEHOLDER = Lazy(  # most sources hold no placeholder mark (2.5 ms to compile)
    rf"(?<![A-Za-z0-9])(?<![A-Za-z0-9] )(?:"
    rf"(?:[{_X}]+[年月日号时])+(?:[至到—~～-](?:[{_X}]+[年月日号时])+)?"  # X月X日, X月X日至X日
    rf"|[{_X}]+(?!光|射线)[\u4e00-\u9fff]{{1,2}}"  # X书记, XX同志
    rf"|[{_X}○]{{2,}}"  # ××, XXX
    r"|_{3,}|＿{2,})"  # blanks to fill in
    r"(?![A-Za-z])"
)
_PLACEHOLDER_MARKS = f"{_X}○_＿"  # every placeholder holds one: a text without is not searched
_FINAL = "。！？…；：!?.;:—"
_CLOSING = "”’」』）)》】]〕"
_PAIRS: tuple[tuple[str, str], ...] = tuple(
    (pair[0], pair[1]) for pair in ("“”", "‘’", "（）", "《》", "【】", "「」", "『』", "〔〕", "()", "[]")
)
_PAIR_MARKS = {opener: re.compile(f"[{re.escape(opener + closer)}]") for opener, closer in _PAIRS}
_HALFWIDTH = re.compile(r"[,!?:;()]")  # one next to an ideograph (``_ideograph``) is a finding
_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}
_UNITS = {"十": 10, "百": 100}


class LintMemo:
    """The findings of each text of the last build (a warm session): a rebuild after an edit checks only the
    texts that changed. A text's findings depend on its characters and kind alone, never on its line."""

    def __init__(self) -> None:
        self._old: dict[tuple[str, str], tuple[Diagnostic, ...]] = {}
        self._new: dict[tuple[str, str], tuple[Diagnostic, ...]] = {}

    def findings(self, text: str, kind: str) -> tuple[Diagnostic, ...]:
        """Return the findings of ``text`` of ``kind`` without a location: kept ones, else found now."""
        key = (text, kind)
        found = self._new.get(key)
        if found is None:
            found = self._old.get(key)
            if found is None:
                found = _findings(text, kind)
            self._new[key] = found
        return found

    def finish(self) -> None:
        """End a build: keep only the texts it checked for the next one."""
        self._old, self._new = self._new, {}


def check(booklet: Booklet, path: str, diagnostics: Diagnostics, memo: LintMemo | None = None) -> None:
    """Append a diagnostic for every problem found in ``booklet``; appending none means all is well.
    ``memo`` (a warm session's) reuses the findings of texts an earlier build checked; None checks all."""
    for line, text, kind in _texts(booklet):
        found = memo.findings(text, kind) if memo is not None else _findings(text, kind)
        if found:
            where = Location(path, line)
            diagnostics.items += [replace(d, location=where) for d in found]
    for speech in booklet.speeches:
        _heading_sequence(speech, path, diagnostics)


def _findings(text: str, kind: str) -> tuple[Diagnostic, ...]:
    """Return the findings of one text of ``kind`` (title, speaker, heading, paragraph), unlocated."""
    found = Diagnostics()
    _placeholders(text, None, found)
    _balance(text, kind, None, found)
    _halfwidth(text, kind, None, found)
    _debris(text, None, found)
    if kind == "paragraph" and text.rstrip(_CLOSING)[-1:] not in _FINAL:
        found.add(
            "no-final-punct",
            f"paragraph ends without final punctuation: “…{text[-12:]}”",
            hint="end it with 。 or check whether text was lost (a removed watermark?)",
        )
    return tuple(found.items)


def check_cover(fields: Sequence[tuple[str, str]], path: str, diagnostics: Diagnostics) -> None:
    """Append a ``placeholder`` diagnostic for each placeholder in the cover's (field name, text) pairs, the
    text as the cover prints it (from the style file's ``[cover]`` or the source); empty text is skipped."""
    for name, text in fields:
        for found in _placeholder_matches(text):
            diagnostics.add(
                "placeholder",
                f"unfilled placeholder “{found.group()}” in the cover's {name}",
                Location(path),
                hint=f"fill in the {name} (style file [cover] {name}, booklet.toml or the source)",
            )


def _texts(booklet: Booklet) -> Iterator[tuple[int, str, str]]:
    """Yield (line, text, kind) for every piece of text; a title counts its parts as one text."""
    yield 0, booklet.title, "title"
    for speech in booklet.speeches:
        yield speech.line, "".join(speech.title), "title"
        if speech.speaker:
            yield speech.line, speech.speaker, "speaker"
        for block in speech.blocks:
            yield block.line, block.text, "heading" if isinstance(block, Heading) else "paragraph"


def _debris(text: str, where: Location | None, diagnostics: Diagnostics) -> None:
    chained = sum(map(text.count, _ARROWS)) >= 2
    if not chained and not _may_be_debris(text):
        return
    found = (_DEBRIS if chained else _DEBRIS_NO_CHAIN).search(text)
    if found:
        diagnostics.add(
            "debris",
            f"looks like site debris no cleaning rule removed: “{found.group()[:40]}”",
            where,
            hint="delete it if it is not part of the speech",
        )


def _may_be_debris(text: str) -> bool:
    """Return False when ``text`` cannot match ``_DEBRIS_NO_CHAIN``: it lacks what each alternative but the
    symbol run must hold (substring tests, ~1 µs a paragraph), and has no run of ASCII symbols. The case-blind
    search visits every position of every text (~0.1 µs a character, on every build)."""
    colon = "：" in text
    return (
        ":" in text  # https?://
        or "." in text  # www.
        or (colon and ("微信" in text or "公众号" in text or "薇信" in text or _has_any(text, "QqVv")))
        or "码" in text  # 扫码…, 长按识别二维码
        or (("阅读" in text or "点击" in text or "浏览" in text) and (colon or _has_any(text, "(（")))
        or _SYMBOL_RUN.search(text) is not None
    )


def _has_any(text: str, chars: str) -> bool:
    """Return whether ``text`` holds one of ``chars`` (one substring test each: far faster than a set's
    ``isdisjoint``, which makes a string of every character of ``text``)."""
    return any(c in text for c in chars)


def _placeholder_matches(text: str) -> Iterator[re.Match[str]]:
    """Return the placeholders of ``text``; a text without a placeholder mark is not searched (the search
    runs two lookbehinds at every position, 20 µs a paragraph, and compiling it costs 2.5 ms)."""
    return _PLACEHOLDER.finditer(text) if _has_any(text, _PLACEHOLDER_MARKS) else iter(())


def _placeholders(text: str, where: Location | None, diagnostics: Diagnostics) -> None:
    for found in _placeholder_matches(text):
        diagnostics.add(
            "placeholder", f"unfilled placeholder “{found.group()}”", where, hint="fill in the name or date"
        )


def _balance(text: str, kind: str, where: Location | None, diagnostics: Diagnostics) -> None:
    for opener, closer in _PAIRS:
        if opener not in text and closer not in text:
            continue  # most paragraphs hold few of the pairs: skip the scan (lint runs on every build)
        depth, broken = 0, False
        for found in _PAIR_MARKS[opener].finditer(text):
            index, char = found.start(), found.group()
            if char == closer and closer == "’" and _latin_around(text, index):
                continue  # an apostrophe: don’t
            if char == opener:
                depth += 1
            elif char == closer:
                depth -= 1
                broken = broken or depth < 0
        if depth or broken:
            diagnostics.add(
                "unbalanced",
                f"unbalanced {opener} {closer} in {kind} "
                f"({text.count(opener)} opening, {text.count(closer)} closing)",
                where,
            )
    if text.count('"') % 2:
        diagnostics.add("unbalanced", f'unbalanced straight quote " in {kind}', where)


def _latin_around(text: str, index: int) -> bool:
    return 0 < index < len(text) - 1 and text[index - 1].isascii() and text[index + 1].isascii()


def _ideograph(text: str, index: int) -> bool:
    """Return whether ``text[index]`` exists and is a CJK ideograph (Extension A or the unified block); a
    test rather than a regex class, which would cost milliseconds to compile in every build."""
    return 0 <= index < len(text) and (
        "\u3400" <= text[index] <= "\u4dbf" or "\u4e00" <= text[index] <= "\u9fff"
    )


def _halfwidth(text: str, kind: str, where: Location | None, diagnostics: Diagnostics) -> None:
    found = [
        m for m in _HALFWIDTH.finditer(text) if _ideograph(text, m.start() - 1) or _ideograph(text, m.end())
    ]
    if found:
        first = found[0].start()
        marks = " ".join(sorted({m.group() for m in found}))
        context = text[max(0, first - 6) : first + 6]
        diagnostics.add(
            "halfwidth-punct",
            f"half-width punctuation {marks} in Chinese {kind} ({len(found)}×), first at “{context}”",
            where,
            hint="use full-width ，！？：；（） in Chinese text",
        )


def number_value(number: str) -> int:
    """Return the value of a heading number such as 一、 （十二） 第三， 12. or （4）; 0 when it has none."""
    digits = re.sub(r"\D", "", number)
    if digits:
        return int(digits)
    total = current = 0
    for char in number:
        if char in _DIGITS:
            current = current * 10 + _DIGITS[char] if current else _DIGITS[char]
        elif char in _UNITS:
            total += (current or 1) * _UNITS[char]
            current = 0
    return total + current


def _heading_sequence(speech: Speech, path: str, diagnostics: Diagnostics) -> None:
    """Check the numbers of the headings (and run-in headings) of one speech, level by level."""
    last: dict[tuple[int, int], tuple[int, str]] = {}
    for block in speech.blocks:
        if isinstance(block, Paragraph) and not block.lead_level:
            continue
        numbered = heading_number(block.text)
        if numbered is None:
            continue
        level, form, mark = numbered
        for key in [key for key in last if key[0] > level]:
            del last[key]
        value = number_value(mark)
        previous, previous_mark = last.get((level, form), (0, ""))
        last[(level, form)] = (value, mark)
        if value == previous + 1:
            continue
        if value == previous:
            message = f"heading number {mark} repeats the one before"
        elif previous:
            message = f"heading number {mark} follows {previous_mark} (a number is skipped or out of order)"
        else:
            message = f"heading numbering starts at {mark}"
        diagnostics.add("heading-gap", message, Location(path, block.line), hint="renumber the headings")
