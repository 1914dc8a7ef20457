"""Reflow copied-out text: page furniture of PDF and print copies, and hard-wrapped lines joined again.

Runs on whole documents after the line rules (it needs to see repetition and line lengths):

1. ``folio`` — page numbers standing alone: — 3 —, - 12 -, 第 3 页 共 18 页, 3/18, Page 3 (a bare number
   only in a copied-out document). A removed folio marks a page boundary, like a form feed.
2. ``running-head`` — in a paged text (form feeds or folios), a short line that is not a sentence repeated
   at page tops or bottoms, or three times or more: every occurrence after the first goes; so does
   the title repeated within the first lines after site chrome (with or without its listing suffix 3篇).
3. ``copied-toc`` — a 目录 copied with the text (标题……12, 标题 12) before the first speech.
4. ``reflow-join`` — when the text is hard-wrapped (most lines about one width and ending mid-sentence), the
   lines of a paragraph are joined again. A paragraph ends only where the text says so: a blank line, a
   short line, an indented next line (when the text uses indents), or a heading after a sentence end. A
   sentence cut by a page boundary is joined across it. No space is put between Chinese characters; two
   Latin words get one.

Text that is not hard-wrapped and has no page furniture comes out unchanged.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, replace

from publish.clean.base import Change, rx
from publish.numbering import HEADINGS

__all__ = ["Line", "reflow"]

_FOLIO = (
    r"[—–\-－~～·]{1,3}[ \u3000]*\d{1,4}[ \u3000]*[—–\-－~～·]{1,3}",
    r"第[ \u3000]*\d{1,4}[ \u3000]*页(?:[ \u3000]*[,，/／]?[ \u3000]*共[ \u3000]*\d{1,4}[ \u3000]*页)?",
    r"共[ \u3000]*\d{1,4}[ \u3000]*页[ \u3000]*[,，/／]?[ \u3000]*第[ \u3000]*\d{1,4}[ \u3000]*页",
    r"\d{1,4}[ \u3000]*/[ \u3000]*\d{1,4}",
    r"(?:Page|page|PAGE)[ ]*\d{1,4}(?:[ ]*(?:of|/)[ ]*\d{1,4})?",
)
_BARE_NUMBER = r"\d{1,4}"
_SENTENCE_END = "。！？；!?;…"
_CLOSE = "”’）》」』】〕)"
_TOC_HEAD = r"目[ \u3000]*录|目[ \u3000]*次|CONTENTS|Contents"
# An entry: text, then a leader (dots with optional spaces around, or spaces) and a page number; the runs
# are possessive, so a long run of spaces costs one pass (and only lines up to _TOC_MAX are tried).
_TOC_ENTRY = (
    r"(?P<text>.{1,79}[^ \u3000\t.．…·・⋯\-_])"
    r"(?P<leader>[ \u3000\t]*+[.．…·・⋯\-_]{2,}+[ \u3000\t]*+|[ \u3000\t]++)(?P<page>\d{1,4})"
)
_TOC_MAX = 100  # a line longer than this is no 目录 entry
_SEPARATOR = (
    r"(?:篇|范文|发言稿|发言材料|材料|讲话稿|稿件|例文)[一二三四五六七八九十\d]{1,3}"
    r"|第[一二三四五六七八九十\d]{1,3}篇|[【\[].{0,6}\d{1,3}[】\]]"
)
_MIN_LINES = 3  # fewer prose lines than this are never taken for a hard-wrapped text


@dataclass(frozen=True)
class Line:
    """A line after the line rules: its text, original line number and end column, whether it was indented,
    whether a page boundary (form feed or removed folio) comes before it and whether site chrome did."""

    text: str
    number: int
    end_column: int
    indent: bool = False
    page_top: bool = False
    after_chrome: bool = False


def reflow(lines: list[Line]) -> tuple[list[Line], list[Change]]:
    """Return ``lines`` with folios, running heads and a copied 目录 removed and hard wraps joined."""
    changes: list[Change] = []
    paged = any(line.page_top for line in lines)
    lines = _drop(lines, _copied_toc(lines), "copied-toc", changes, boundary=False)
    wrapped = _is_wrapped(lines)
    lines = _drop(lines, _folios(lines, paged or wrapped), "folio", changes, boundary=True)
    paged = paged or any(line.page_top for line in lines)
    lines = _drop(lines, _running_heads(lines, paged), "running-head", changes, boundary=False)
    if wrapped or paged:
        lines = _join(lines, wrapped, changes)
    return lines, changes


def width(text: str) -> int:
    """Return the display width of ``text`` in half-width cells (a Chinese character is two)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _is_wrapped(lines: list[Line]) -> bool:
    """Return whether most lines are about one width and end mid-sentence: a hard-wrapped copy."""
    texts = [line.text for line in lines if line.text and not _is_folio(line.text)]
    # titles and names say nothing of the wrapping, nor do numbered lines (a long heading is wide and open)
    prose = [t for t in texts if rx("[，。、；：,;:]").search(t) and not any(p.match(t) for _, p in HEADINGS)]
    if len(prose) < _MIN_LINES:
        return False
    full_width = _full_width(prose)
    if not 20 <= full_width <= 120:
        return False
    full = [text for text in prose if width(text) >= _threshold(full_width)]
    open_ends = sum(1 for text in full if text[-1] not in _SENTENCE_END + _CLOSE + "：:")
    # (unwrapped text fails on the open ends: its wide lines are whole paragraphs, ending with 。)
    return len(full) >= 0.3 * len(prose) and open_ends >= max(2, 0.5 * len(full))


def _full_width(texts: list[str]) -> int:
    """Return the typical width of a full line: the median of the wider half of the lines."""
    widths = sorted(width(text) for text in texts)
    upper = widths[len(widths) // 2 :]
    return upper[len(upper) // 2]


def _threshold(full_width: int) -> int:
    """Return the width from which a line counts as full (it was broken by the margin, not by the author)."""
    return full_width - max(4, full_width // 10)


def _is_folio(text: str) -> bool:
    return any(rx(pattern).fullmatch(text) for pattern in _FOLIO)


def _folios(lines: list[Line], copied: bool) -> set[int]:
    found = set()
    for index, line in enumerate(lines):
        text = line.text
        if text and (_is_folio(text) or (copied and rx(_BARE_NUMBER).fullmatch(text))):
            found.add(index)
    return found


def _is_head_candidate(text: str) -> bool:
    return (
        0 < len(text) <= 40
        and not rx("[。！？；，、：,;:!?]").search(text)
        and not any(pattern.match(text) for _, pattern in HEADINGS)
        and not rx("谢谢").match(text)
    )


_LISTING = r"[ \u3000]*(?:[（(【\[]?(?:精选|共|优选|通用|最新|热门)?[ ]*\d{1,3}[ ]*篇[ ]*[）)】\]]?)$"
_TITLE_REPEAT = 8  # the document's title repeated within its first lines (after meta, a file name) goes


def _running_heads(lines: list[Line], paged: bool) -> set[int]:
    counts = Counter(line.text for line in lines if _is_head_candidate(line.text))
    found = set()
    nonblank = [i for i, line in enumerate(lines) if line.text]
    if nonblank:
        first = lines[nonblank[0]].text
        title = rx(_LISTING).sub("", first) if len(first) <= _TOC_MAX else first
        # a page's title and the article's, with site chrome between (meta, a file-info line): the second
        # goes; two equal lines with nothing removed between them are both the author's
        chrome = False
        for index in nonblank[1:_TITLE_REPEAT]:
            text = lines[index].text
            chrome = chrome or lines[index].after_chrome
            if chrome and _is_head_candidate(text) and rx(_LISTING).sub("", text) == title:
                found.add(index)  # (a candidate is short: the pattern never meets a long line)
    places: dict[str, list[int]] = {}
    for index, line in enumerate(lines):
        if counts.get(line.text, 0) >= 2:
            places.setdefault(line.text, []).append(index)
    head = set(nonblank[:2])  # the document's own first lines: its title (and byline), kept once
    for indices in places.values():
        edges = [i for i in indices if lines[i].page_top or (i + 1 < len(lines) and lines[i + 1].page_top)]
        if paged and len(edges) == len(indices) and indices[0] not in head:
            found.update(indices)  # a head on every page it appears on, never the title: all of it goes
        elif paged and (len(indices) >= 3 or edges):  # without pages a repeated line is the author's
            found.update(i for i in indices[1:] if len(indices) >= 3 or i in edges)
    return found


def _copied_toc(lines: list[Line]) -> set[int]:
    """Return the lines of a 目录 copied before the first speech: entries ending in page numbers."""
    nonblank = [i for i, line in enumerate(lines) if line.text]
    for start_pos, start in enumerate(nonblank[:4]):
        head = bool(rx(_TOC_HEAD).fullmatch(lines[start].text))
        entries: list[int] = []
        texts: list[str] = []  # each entry's title, as matched
        leaders = 0
        for index in nonblank[start_pos + (1 if head else 0) :]:
            text = lines[index].text
            found = rx(_TOC_ENTRY).fullmatch(text) if len(text) <= _TOC_MAX else None
            if not found or not rx("[\u4e00-\u9fff]").search(found.group("text")):
                break
            entries.append(index)
            texts.append(found.group("text"))
            leaders += int(found.group("leader").strip() != "")
        if not entries:
            continue
        later = {line.text.strip() for line in lines[entries[-1] + 1 :]}
        titled = sum(1 for entry in texts if entry in later)
        if (head and entries) or (len(entries) >= 2 and (leaders >= 2 or titled * 2 >= len(entries))):
            return {start, *entries} if head else set(entries)
    return set()


def _drop(
    lines: list[Line], indices: set[int], rule: str, changes: list[Change], boundary: bool
) -> list[Line]:
    """Remove ``indices`` (recording each as a change); a removed page-furniture line leaves a boundary."""
    kept: list[Line] = []
    pending = False
    for index, line in enumerate(lines):
        if index in indices:
            changes.append(Change(rule, line.number, 1, line.text, ""))
            pending = pending or boundary or line.page_top
            continue
        if pending and line.text:
            line = replace(line, page_top=True)
            pending = False
        kept.append(line)
    return kept


def _join(lines: list[Line], wrapped: bool, changes: list[Change]) -> list[Line]:
    """Join hard-wrapped lines (``wrapped``) and sentences cut by a page boundary."""
    texts = [line.text for line in lines if line.text]
    full_at = _threshold(_full_width(texts)) if texts else 0
    indents = sum(1 for line in lines if line.text and line.indent)
    uses_indent = 0 < indents < len(texts)
    out: list[Line] = []
    last = Line(
        "", 0, 0
    )  # the last physical line of out[-1]: the width test looks at it, not at the joined text
    for line in lines:
        prev = out[-1] if out else None
        if prev and prev.text and line.text and _continues(last.text, line, full_at, wrapped, uses_indent):
            glue = " " if _latin(prev.text[-1]) and _latin(line.text[0]) else ""
            changes.append(Change("reflow-join", last.number, last.end_column, "\n", glue))
            out[-1] = replace(prev, text=prev.text + glue + line.text)
        else:
            out.append(line)
        last = line
    return out


def _continues(last: str, line: Line, full_at: int, wrapped: bool, uses_indent: bool) -> bool:
    """Return whether ``line`` continues the paragraph whose last physical line is ``last``."""
    ended = last[-1] in _SENTENCE_END + _CLOSE + "：:"
    starts_block = any(p.match(line.text) for _, p in HEADINGS) or bool(rx(_SEPARATOR).match(line.text))
    if uses_indent and line.indent:
        return False  # where the text indents its paragraphs, an unindented line goes on
    if wrapped and width(last) >= full_at:
        # after a sentence end, a heading or a short line without any punctuation (a title) starts anew
        titled = width(line.text) < full_at and not rx("[，。、；：！？,.;:!?]").search(line.text)
        return not (ended and (starts_block or titled))
    heading = any(p.match(last) for _, p in HEADINGS)  # a heading at a page's foot stays a heading
    prose = rx("[，、；：,;:]").search(last) is not None  # a title or a name at a page's foot is no sentence
    return line.page_top and not ended and not starts_block and not heading and prose


def _latin(char: str) -> bool:
    return char.isascii() and char.isalnum()
