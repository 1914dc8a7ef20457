"""Balanced title lines: the fewest centred lines, as even as possible, an (inverted) trapezoid (§7.3.1).

Break points are those of ``linebreak.can_break``; a title with none, or too long to search, is broken by
``linebreak.break_lines`` and centred. Among the points, a break inside a word, an organisation's name or a
phrase costs extra (``words.break_costs``, in em² of the title's size, beside the squared imbalance), so the
lines are as even as the words allow: 残联党务干部培训班 / 上的交流发言稿, not 残联党务干部培训 /
班上的交流发言稿. A title takes one more line (up to two) rather than split a word, and phrase costs give way
(halved, then quartered) while a line would be shorter than half another.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import accumulate, pairwise

from publish.layout.linebreak import EPS, GB_NO_END, NO_END, LineBox, break_lines, can_break
from publish.layout.measure import Measured
from publish.layout.words import WORD

MAX_BALANCED_POINTS = 400  # longer "titles" are broken greedily and centred


def balanced_lines(
    m: Measured,
    width: float,
    *,
    kinsoku: str = "basic",
    costs: Callable[[str], Sequence[float]] | None = None,
) -> list[LineBox]:
    """Break a title into the fewest centred lines of ``width``, as even as possible, the upper not shorter.

    Lines break only where ``can_break`` allows (so no line starts with a not-at-start mark and no Latin word
    is split); with no such point the title falls back to ``break_lines``. A title that fits is one line.
    ``costs(text)`` gives the extra cost in em² of a break before each character (None: every point alike).
    """
    n = len(m.text)
    if n == 0:
        return []
    cum = list(accumulate(m.spaced(), initial=0.0))
    # A line's first character sets no CJK/Latin space: each line counts from after it.
    start = [c + g for c, g in zip(cum, m.gap, strict=False)] if m.gap else cum
    if cum[n] <= width + EPS:
        return [_centred(0, n, cum, start, width)]
    no_end = GB_NO_END if kinsoku == "gb" else NO_END
    points = [0, *(i for i in range(1, n) if can_break(m.text, i, no_end)), n]
    fewest = max(2, int(cum[n] // width) + 1)
    if len(points) <= MAX_BALANCED_POINTS:  # a title, not a paragraph: keep the search small
        em = cum[n] / n
        extra = [c * em * em for c in costs(m.text)] if costs is not None else [0.0] * (n + 1)
        inside = WORD * em * em  # a cut that costs this much or more splits a word or a name
        found: list[int] = []
        for k in range(fewest, min(fewest + 3, len(points))):
            cuts = _even_cuts(cum, start, points, k, width, extra, inside)
            if cuts and not found:
                found = cuts
            if cuts and all(extra[c] < inside for c in cuts):
                found = cuts  # one more line rather than a word split (第七|次, 联合|会)
                break
        if found:
            return [_centred(a, b, cum, start, width) for a, b in pairwise(found)]
    return break_lines(m, width, align="center", kinsoku=kinsoku)


def _even_cuts(
    cum: list[float],
    start: list[float],
    points: list[int],
    k: int,
    width: float,
    extra: Sequence[float],
    inside: float,
) -> list[int]:
    """Return ``_best_cuts``, with the phrase costs halved, then quartered, while a line is shorter than half
    another (4 / 8 / 10): a phrase gives way to the shape, a word never does. When no scale evens the lines,
    the unscaled cuts stand."""
    unscaled: list[int] = []
    for scale in (1.0, 0.5, 0.25):
        scaled = extra if scale == 1.0 else [c if c >= inside else c * scale for c in extra]
        cuts = _best_cuts(cum, start, points, k, width, scaled)
        lengths = [cum[b] - start[a] for a, b in pairwise(cuts)]
        if not cuts or min(lengths) * 2 >= max(lengths) - EPS:
            return cuts
        unscaled = unscaled or cuts
    return unscaled


def _centred(a: int, b: int, cum: list[float], start: list[float], width: float) -> LineBox:
    natural = cum[b] - start[a]
    return LineBox(a, b, (width - natural) / 2, width, natural)


def _best_cuts(
    cum: list[float], start: list[float], points: list[int], k: int, width: float, extra: Sequence[float]
) -> list[int]:
    """Return the cut positions (with 0 and n) of the most even k-line split; [] when none fits.

    A line from ``a`` to ``b`` is ``cum[b] - start[a]`` wide (``start`` drops the space before ``a``); a cut
    at ``i`` adds ``extra[i]``.
    """
    target = cum[-1] / k
    count = len(points)
    inf = float("inf")
    # cost[j][p]: best cost of setting text[:points[p]] in j lines; back[j][p]: the previous cut's index.
    cost = [[inf] * count for _ in range(k + 1)]
    back = [[-1] * count for _ in range(k + 1)]
    cost[0][0] = 0.0
    ends = [cum[i] for i in points]  # per point, hoisted out of the search (the same values)
    starts = [start[i] for i in points[:-1]]  # a line never starts at the end (``start`` may lack it)
    extras = [extra[i] for i in points]
    limit, upper = width + EPS, target + EPS
    for j in range(1, k + 1):
        before, row, came = cost[j - 1], cost[j], back[j]
        for p in range(1, count):
            end = ends[p]
            for q in range(p - 1, -1, -1):
                w = end - starts[q]
                if w > limit:
                    break  # earlier cuts only make the line longer
                if before[q] == inf:
                    continue
                # A shorter upper line costs a little more: titles are set as an (inverted) trapezoid.
                c = before[q] + (w - target) ** 2 + (0.0 if j == 1 or w <= upper else EPS)
                c += extras[p]
                if c < row[p]:
                    row[p], came[p] = c, q
    if cost[k][count - 1] == inf:
        return []
    cuts = [count - 1]
    for j in range(k, 0, -1):
        cuts.append(back[j][cuts[-1]])
    return [points[p] for p in reversed(cuts)]
