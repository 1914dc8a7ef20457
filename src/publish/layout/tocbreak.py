"""Word-aware wraps of a 目录 entry: the body's greedy lines, each break moved back to a word boundary
when the greedy one falls inside a word and a better point lies within ``SLACK`` characters.

A 目录 entry is a title set in body type on the 28-cell grid, so it fills its lines as body text does
(``linebreak.break_lines``); but unlike body text its lines have a choice, as titles do: a line may end a few
cells short, and it reads better when the break falls between words. The costs are those of balanced titles
(``words.break_costs``: inside a word or an organisation's name ``WORD``, inside a phrase ``PHRASE``, between
words 0). Each greedy break with a cost moves to the cheapest legal break point (``linebreak.can_break``) at
most ``SLACK`` characters earlier that costs less, the latest among equals (残疾人|事业 → 引领|残疾人事业);
the next line is broken again from there. An entry made of a title's lines (joined by a full-width space,
``JOINT``) breaks where the title's own lines do, whatever the distance, when that takes no more lines than
filling does (深刻理解全面从严治党　/ 以新时代党建工作引领残疾人事业新发展). No line is stretched: in the
DOCX each wrap is a forced break, which Word and LibreOffice leave unstretched under
w:doNotExpandShiftReturn. Moving breaks never makes an entry more than one line longer than its greedy
lines; should it, the greedy lines stand (set unstretched too).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from publish.layout.linebreak import GB_NO_END, NO_END, LineBox, break_lines, can_break
from publish.layout.measure import Measured
from publish.layout.words import ORGANISATION_CHARS

# characters a break may move back: an organisation's name (up to ``ORGANISATION_CHARS``) stays whole; a
# break between words is rarely more than three back, so lines end that short only beside a long name
SLACK = ORGANISATION_CHARS - 1
JOINT = "\u3000"  # joins the lines of a title in its entry (``model.Speech.title_text``)


def word_lines(
    m: Measured,
    width: float,
    *,
    costs: Callable[[str], Sequence[float]],
    first_indent: float = 0.0,
    indent: float = 0.0,
    align: str = "justify",
    kinsoku: str = "basic",
    compress: bool = False,
) -> list[LineBox]:
    """Break ``m`` into lines of ``width`` as ``break_lines`` does, moving breaks back to cheaper points of
    ``costs(text)`` (the cost of a break before each character, ``words.break_costs``); [] for no text."""

    def lines(a: int, b: int) -> list[LineBox]:
        boxes = break_lines(
            _slice(m, a, b),
            width,
            first_indent=first_indent if a == 0 else 0.0,
            indent=indent,
            align=align,
            kinsoku=kinsoku,
            compress=compress,
        )
        return [_shifted(box, a) for box in boxes]

    def set_lines(cost: Sequence[float] | None, joints: bool = False) -> list[LineBox]:
        out: list[LineBox] = []
        a = 0
        while a < n:
            rest = lines(a, n)
            end = rest[0].end
            joint = _joint(m.text, a, end) if joints and len(rest) > 1 else 0
            if joint:
                end = joint
            elif len(rest) > 1 and cost is not None:
                end = _earlier(m.text, a, end, cost, no_end)
            line = lines(a, end)[0] if len(rest) > 1 else rest[0]  # up to the break, unstretched
            out.append(line)
            a = line.end
        return out

    n = len(m.text)
    no_end = GB_NO_END if kinsoku == "gb" else NO_END
    filled = set_lines(None)
    if len(filled) < 2:
        return filled
    cost = costs(m.text)
    if JOINT in m.text:
        parted = set_lines(cost, joints=True)
        if len(parted) <= len(filled):
            return parted
    moved = set_lines(cost)
    return moved if len(moved) <= len(filled) + 1 else filled


def _joint(text: str, a: int, b: int) -> int:
    """Return the latest point after a ``JOINT`` in the line from ``a`` that fills up to ``b`` (``b`` itself
    when the filled line ends with one); 0 for none."""
    at = text.rfind(JOINT, a, b)
    return at + 1 if at >= 0 else 0


def _earlier(text: str, a: int, b: int, cost: Sequence[float], no_end: frozenset[str]) -> int:
    """Return the break point for a line from ``a`` that fills up to ``b``: the cheapest legal point at most
    ``SLACK`` characters before ``b`` that costs less than ``b``, the latest among equals; ``b`` when none."""
    best = b
    for c in range(b - 1, max(a, b - SLACK - 1), -1):
        if cost[c] < cost[best] and can_break(text, c, no_end):
            best = c
    return best


def _slice(m: Measured, a: int, b: int) -> Measured:
    """Return characters ``a``–``b`` of ``m`` as a paragraph of their own (the first one's CJK/Latin space is
    dropped by the breaker, as at any line start)."""
    if a == 0 and b == len(m.text):
        return m
    return Measured(
        m.text[a:b],
        m.faces,
        m.glyphs[a:b],
        m.width[a:b],
        m.offset[a:b] if m.offset is not None else None,
        m.gap[a:b] if m.gap is not None else None,
    )


def _shifted(box: LineBox, a: int) -> LineBox:
    """Return ``box`` of a slice starting at ``a`` with its character positions in the whole paragraph."""
    if a == 0:
        return box
    return box._replace(
        start=box.start + a,
        end=box.end + a,
        squeeze=tuple((i + a, q) for i, q in box.squeeze),
        words=tuple((s + a, e + a) for s, e in box.words),
    )
