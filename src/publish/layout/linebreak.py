"""Our own Chinese line breaker: a measured paragraph → lines on the grid, with 禁则, 推出 and justification.

reportlab's CJK wrapping is not used: it starts lines with ，：” and hangs 。） into the margin (gbt9704.md
§7).

- 禁则 at clreq's basic level (``kinsoku="gb"`` adds / not at line end): a line never starts with a mark of
  ``NO_START`` nor ends with one of ``NO_END``; —— and …… are never split; a closing mark keeps the Latin
  letter or digit after it (``CLOSE_BEFORE_WORD``); a run of Latin letters, digits or
  URL characters (any non-space ASCII) is not broken unless it is longer than a line, and then only where the
  other rules hold (the raw edge only when no such point exists); digits keep their units.
- Punctuation on the grid: every full-width character takes one cell, so a full line holds 28. Where a line
  would start with a not-at-start mark, the previous character is pushed down (推出) and the shorter line is
  justified. Nothing hangs past the right edge.
- With ``compress=True`` (先挤进，后推出): adjacent marks (。” ）、 ，“) lose ½ em, and a line that a mark
  would otherwise push is first squeezed by up to ½ em per mark to pull the mark in.
- CJK/Latin spacing (``Measured.gap``, see ``measure``) is part of a line's width wherever a Han letter meets
  a Latin letter or digit inside the line; a line's first character sets no space before it.
- Every line but a paragraph's last fills the measure exactly: the slack is spread over the gaps between
  characters (not inside Latin words), and the last glyph ends on the right edge.

Breaking (``break_lines``) only decides; ``place`` turns a decided line into positioned ``Run``s, one per
stretch of characters sharing font and spacing. Titles are broken into balanced lines by ``titlebreak``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate
from operator import itemgetter
from typing import NamedTuple

from publish.layout.frame import Run
from publish.layout.measure import Measured

# clreq zh-Hans, basic level (gbt9704.md §7), plus … and ⋯ not at line start (from clreq's strict level, as in
# Word's zh-CN defaults), so that …… never opens a line and Word/LibreOffice break the DOCX the same way.
NO_START = frozenset("、，。：；！？．‼⁇”’」』）］｝】〕〗〉》～–—-·・‧/／…⋯" + "!),.:;?]}")
NO_END = frozenset("“‘「『（［｛【〔〖《〈" + "([{")  # with their ASCII kin, which scraped texts mix in
GB_NO_END = NO_END | frozenset("/／")  # GB法: 分隔号 not at line end either
PAIRED = frozenset("—…⋯")  # doubled (——, ……) they form one unit
# Closing marks that stay with a Latin letter or digit right after them (，2021年 、UOS ）ABC): UAX #14's
# classes CL and closing QU, as LibreOffice breaks (measured: it never breaks there, while it does after ：
# and ！), so that the DOCX breaks such lines where the PDF does.
CLOSE_BEFORE_WORD = frozenset("、，。”’」』）］｝】〕〗〉》")
UNIT_AFTER = frozenset("%‰℃°′″％")  # no break between a digit and its unit
UNIT_BEFORE = frozenset("$¥￥£€＄")  # nor between a currency sign and its digits
# Marks with a compressible half-em blank: on the right (点号, closing) or on the left (opening).
RIGHT_BLANK = frozenset("、，。：；”’」』）］｝】〕〗〉》")
LEFT_BLANK = frozenset("“‘「『（［｛【〔〖《〈")
_MARK_RUN = re.compile("[" + re.escape("".join(sorted(RIGHT_BLANK | LEFT_BLANK))) + "]{2,}")  # 。” ）、 ，“

EPS = 1e-6

# Unbreakable words, numbers and URLs: printable non-space ASCII, and Latin, Greek and Cyrillic letters.
_WORD_CLASS = "\x21-\x7e\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff"
WORD_RUN = re.compile(f"[{_WORD_CLASS}]{{2,}}")
_WORD_CHAR = re.compile(f"[{_WORD_CLASS}]")

Span = tuple[int, int]
_NONE: frozenset[int] = frozenset()
_ADVANCE = itemgetter(2)  # a glyph's advance


def is_word(ch: str) -> bool:
    """Return whether ``ch`` is part of an unbreakable word, number or URL (non-space ASCII, letters)."""
    if "\x21" <= ch <= "\x7e":
        return True
    return "\u00c0" <= ch <= "\u04ff" and _WORD_CHAR.match(ch) is not None  # the class ends at U+04FF


def can_break(text: str, i: int, no_end: frozenset[str] = NO_END, *, split_words: bool = False) -> bool:
    """Return whether a line may end before ``text[i]`` (0 < i < len(text)).

    ``split_words`` relaxes only the unbreakable-word rule: for a word longer than a line, which must be
    split somewhere, every other 禁则 still holds.
    """
    before, after = text[i - 1], text[i]
    if "\u4e00" <= before <= "\u9fff" and "\u4e00" <= after <= "\u9fff":
        return True  # two ideographs, the usual case: no rule below holds for them
    if after in NO_START or before in no_end or after.isspace():
        return False
    if before == after and after in PAIRED:
        return False
    if not split_words and is_word(before) and is_word(after):
        return False
    if before in CLOSE_BEFORE_WORD and is_word(after):
        return False
    if after in UNIT_AFTER and before.isdigit():
        return False
    return not (before in UNIT_BEFORE and after.isdigit())


class LineBox(NamedTuple):
    """One broken line of a paragraph: characters ``start``–``end`` and how to set them (a light tuple:
    a booklet has tens of thousands).

    ``x``: the left edge of the first slot, from the column's left (indent plus alignment offset).
    ``avail``: the width the line may fill. ``natural``: the width of its slots and CJK/Latin spaces, after
    any squeeze.
    ``spacing``: the extra space added to each stretchable gap (0 on a paragraph's last line and on
    unjustified lines). ``squeeze``: (character index, points) taken from marks by compression.
    ``words``: the (start, end) spans of the line's Latin words, numbers and URLs; the gaps inside them
    take no justification space, unless the line has no other gap.
    """

    start: int
    end: int
    x: float
    avail: float
    natural: float
    spacing: float = 0.0
    squeeze: tuple[tuple[int, float], ...] = ()
    words: tuple[Span, ...] = ()

    @property
    def slack(self) -> float:
        """Return the width the line leaves empty before justification."""
        return self.avail - self.natural


def compress_adjacent(m: Measured) -> Measured:
    """Return ``m`` with adjacent full-width marks set ½ em closer (。” ）、 ，“), for ``compress=True``."""
    text = m.text
    width = list(m.width)
    glyphs = list(m.glyphs)
    offset = [0.0] * len(text)
    # only where two marks meet, in order (a mark set closer counts for the next pair)
    pairs = (i for run in _MARK_RUN.finditer(text) for i in range(run.start(), run.end() - 1))
    for i in pairs:
        a, b = text[i], text[i + 1]
        if a in RIGHT_BLANK and (b in RIGHT_BLANK or b in LEFT_BLANK) and glyphs[i][3] >= 0:
            k = i  # the blank on the right of the first mark goes
        elif b in LEFT_BLANK and (a in RIGHT_BLANK or a in LEFT_BLANK) and glyphs[i + 1][3] >= 0:
            k = i + 1  # the blank on the left of the second mark goes
            offset[k] = -glyphs[k][2] / 2
        else:
            continue
        face, slot, advance, _, cell = glyphs[k]
        width[k] = slot - advance / 2
        glyphs[k] = (face, width[k], advance, -1, cell)
    return Measured(text, m.faces, glyphs, width, offset, m.gap)


def break_lines(
    m: Measured,
    width: float,
    *,
    first_indent: float = 0.0,
    indent: float = 0.0,
    align: str = "justify",
    kinsoku: str = "basic",
    compress: bool = False,
) -> list[LineBox]:
    """Break ``m`` into lines of ``width`` points; indents in points. An empty text gives no lines.

    With ``compress``, ``m`` must come from ``compress_adjacent`` (and be placed as such).
    """
    n = len(m.text)
    if n == 0:
        return []
    if compress and m.offset is None:
        raise ValueError("compress=True needs the paragraph prepared by compress_adjacent()")
    text = m.text
    no_end = GB_NO_END if kinsoku == "gb" else NO_END
    cum = list(accumulate(m.spaced(), initial=0.0))  # widths with the CJK/Latin space before each character
    lead = m.gap
    words = [w.span() for w in WORD_RUN.finditer(text)]
    nwords = len(words)
    w = 0  # the first word that may reach into the current line (words end in order)
    boxes: list[LineBox] = []
    append = boxes.append
    left = indent + first_indent  # the first line's; every other line's from ``indent + 0.0``
    avail = width - left
    a = 0
    while a < n:
        base = cum[a] + lead[a] if lead else cum[a]  # a line's first character sets no space before it
        b = bisect_right(cum, base + avail + EPS, a) - 1
        squeeze: tuple[tuple[int, float], ...] = ()
        if b >= n:
            b = n
        elif b <= a:
            b = a + 1  # a single character wider than the line: it must go somewhere
        else:
            end = b
            while end > a and not can_break(text, end, no_end):
                end -= 1
            if compress and end < b:
                squeeze, pulled = _squeeze(m, cum, a, b, base + avail, no_end)
                if squeeze:
                    end = pulled
            b = end if end > a else _split_word(text, a, b, no_end)
        natural = cum[b] - base - sum(q for _, q in squeeze) if squeeze else cum[b] - base
        inside: tuple[Span, ...] = ()
        if w < nwords:
            while w < nwords and words[w][1] <= a:
                w += 1
            if w < nwords and words[w][0] < b:
                inside = _clip(words, w, a, b)
        append(_box(a, b, left, avail, natural, squeeze, inside, align, b >= n))
        if a == 0:
            left = indent + 0.0
            avail = width - left
        a = b
    return boxes


def _split_word(text: str, a: int, b: int, no_end: frozenset[str]) -> int:
    """Return where to split a line (from ``a``, full at ``b``) that has no legal break: an over-long word.

    The last point before the edge where only the unbreakable-word rule is broken, so the line still neither
    starts with a not-at-start mark nor ends with a not-at-end one; the raw edge ``b`` when there is none.
    """
    for end in range(b, a, -1):
        if can_break(text, end, no_end, split_words=True):
            return end
    return b


def _squeeze(
    m: Measured, cum: list[float], a: int, b: int, limit: float, no_end: frozenset[str]
) -> tuple[tuple[tuple[int, float], ...], int]:
    """Try 挤进: pull the next break point (≤ 2 characters on) in by squeezing marks; () when impossible.

    ``limit`` is the cumulative width (``cum``) at which the line starting at ``a`` is full.
    """
    text, n = m.text, len(m.text)
    for end in range(b + 1, min(b + 3, n) + 1):
        if end < n and not can_break(text, end, no_end):
            continue
        over = cum[end] - limit
        marks = [
            i
            for i in range(a, end)
            if m.glyphs[i][3] >= 0 and (text[i] in RIGHT_BLANK or text[i] in LEFT_BLANK)
        ]
        room = sum(m.glyphs[i][2] / 2 for i in marks)
        if marks and over <= room + EPS:
            share = over / room
            return tuple((i, m.glyphs[i][2] / 2 * share) for i in marks), end
        return (), b
    return (), b


def _clip(words: list[Span], first: int, a: int, b: int) -> tuple[Span, ...]:
    """Return the parts of the word spans ``words[first:]`` that lie in ``[a, b)`` and hold a gap."""
    clipped = []
    for k in range(first, len(words)):
        s, e = words[k]
        if s >= b:
            break
        s, e = max(s, a), min(e, b)
        if e - s > 1:
            clipped.append((s, e))
    return tuple(clipped)


def _box(
    a: int,
    b: int,
    left: float,
    avail: float,
    natural: float,
    squeeze: tuple[tuple[int, float], ...],
    words: tuple[Span, ...],
    align: str,
    last: bool,
) -> LineBox:
    slack = avail - natural
    if align == "center":
        return LineBox(a, b, left + slack / 2, avail, natural, 0.0, squeeze, words)
    if align == "right":
        return LineBox(a, b, left + slack, avail, natural, 0.0, squeeze, words)
    spacing = 0.0
    if align == "justify" and not last and abs(slack) > EPS:
        gaps = b - a - 1 - (sum(e - s - 1 for s, e in words) if words else 0)
        if gaps <= 0:  # one unbroken word: letter-space it rather than leave the line short
            gaps, words = b - a - 1, ()
        if gaps:
            spacing = slack / gaps
    return LineBox(a, b, left, avail, natural, spacing, squeeze, words)


def place(m: Measured, box: LineBox, x0: float) -> tuple[Run, ...]:
    """Return the runs of ``box``, the column's left edge at ``x0``; the last glyph ends at its slot's end."""
    a, b, bx, _, _, spacing, squeeze, words = box  # unpacked once: a line is placed in every layout
    x = x0 + bx
    if a >= b:
        return ()
    glyphs = m.glyphs
    first = glyphs[a]
    # Fast path: one font, every character exactly one cell (the same glyph tuple), no CJK/Latin space.
    if (
        first[3] >= 0
        and not squeeze
        and not words
        and glyphs[a:b].count(first) == b - a
        and not (m.gap and any(m.gap[a + 1 : b]))
    ):
        name, size = m.faces[first[0]]
        step = first[1]
        gap = step - first[2]
        if spacing == 0.0 or b - a == 1:
            return (Run(m.text[a:b], name, size, x, step * (b - a), gap, True),)
        head_width = (step + spacing) * (b - a - 1)
        return (
            Run(m.text[a : b - 1], name, size, x, head_width, gap + spacing, True),
            Run(m.text[b - 1], name, size, x + head_width, step, gap, True),
        )
    return _place_general(m, box, x)


def _place_general(m: Measured, box: LineBox, x: float) -> tuple[Run, ...]:
    """Place a line glyph by glyph, then group glyphs into runs of one face, one inner spacing and one kind of
    slot (a full-width cell or the glyph's own advance).

    A run's ``char_space`` is the gap between its glyphs; the gap after its last glyph is free (the next run
    starts at its own ``x``), except on the line's last run, whose width ends exactly on the line's end.
    A CJK/Latin space (``m.gap``) always ends a run: the next run starts that much further on, so the space
    is position only and a run's spacing stays the line's.
    """
    a, b = box.start, box.end
    text, glyphs, width, offset, lead = m.text, m.glyphs, m.width, m.offset, m.gap
    words = box.words
    in_word = {i for s, e in words for i in range(s, e)} if words else _NONE
    inner = {i for s, e in words for i in range(s, e - 1)} if words else _NONE  # no justification inside
    spacing = box.spacing
    xs: list[float] = []
    append = xs.append
    pos = x
    if box.squeeze:
        squeezed = dict(box.squeeze)
        for i in range(a, b):
            if lead and i > a:
                pos += lead[i]
            q = squeezed.get(i, 0.0)
            append(pos + (offset[i] if offset else 0.0) - (q if text[i] in LEFT_BLANK else 0.0))
            pos += width[i] - q
            if spacing and i not in inner:
                pos += spacing
    elif offset:  # compressed marks, none squeezed (subtracting a zero squeeze changes no float)
        for i in range(a, b):
            if lead and i > a:
                pos += lead[i]
            append(pos + offset[i])
            pos += width[i]
            if spacing and i not in inner:
                pos += spacing
    elif lead:  # the usual line with a CJK/Latin space: no squeeze, no offsets (the same sums, same order)
        append(pos)
        pos += width[a]
        if spacing and a not in inner:
            pos += spacing
        for i in range(a + 1, b):
            pos += lead[i]
            append(pos)
            pos += width[i]
            if spacing and i not in inner:
                pos += spacing
    else:
        for i in range(a, b):
            append(pos)
            pos += width[i]
            if spacing and i not in inner:
                pos += spacing
    if spacing and b - 1 not in inner:
        pos -= spacing  # no justification space after the line's last glyph
    line = glyphs[a:b]
    after = xs[1:]  # the gap after each glyph but the last (zipped with ``line``, one longer)
    if lead:  # the CJK/Latin space is the next run's offset, not part of a run's spacing
        spaces = lead[a + 1 : b]
        gaps = [x1 - x0 - g[2] - s for x0, x1, g, s in zip(xs, after, line, spaces, strict=False)]
    else:
        gaps = [x1 - x0 - g[2] for x0, x1, g in zip(xs, after, line, strict=False)]
    gaps.append(pos - xs[-1] - line[-1][2])
    runs: list[Run] = []
    start, run_gap = a, None
    face, start_in_word, cell = line[0][0], a in in_word, line[0][4]
    for i in range(a + 1, b):
        g = glyphs[i]
        same = g[0] == face and g[4] == cell and (not words or (i in in_word) == start_in_word)
        if same and not (lead and lead[i]):
            gap = gaps[i - 1 - a]
            if run_gap is None:
                run_gap = gap
                continue
            if gap == run_gap or abs(gap - run_gap) <= EPS:  # mostly equal: no abs() call
                continue
        runs.append(_run(m, start, i, xs[start - a], gaps[i - 1 - a] if run_gap is None else run_gap))
        start, run_gap = i, None
        face, start_in_word, cell = g[0], i in in_word, g[4]
    end = b
    if run_gap is not None and abs(gaps[-1] - run_gap) > EPS:
        end = b - 1  # the line's last glyph keeps its own spacing so the line ends on its edge
    runs.append(_run(m, start, end, xs[start - a], gaps[end - 1 - a] if run_gap is None else run_gap))
    if end < b:
        runs.append(_run(m, end, b, xs[end - a], gaps[-1]))
    return tuple(runs)


def _run(m: Measured, start: int, end: int, x: float, char_space: float) -> Run:
    name, size = m.faces[m.glyphs[start][0]]
    width = sum(map(_ADVANCE, m.glyphs[start:end])) + char_space * (end - start)
    return Run(m.text[start:end], name, size, x, width, char_space, m.glyphs[start][4])
