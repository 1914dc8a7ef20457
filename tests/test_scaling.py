"""Pathological sizes take linear time (issue 16, classes 3 and 4).

No wall-time limits: each case runs at two sizes in one process and the time ratio for 4× the input must stay
far below the 16× a quadratic algorithm (or a backtracking regex, worse still) would need. A case is timed as
the least CPU time of a few runs, so a busy machine does not make it fail; the bound (8×) leaves room for
noise.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from publish import clean, lint, parse, sourcefmt
from publish.errors import Diagnostics
from publish.layout.plan import plan
from publish.layout.spec import default_spec
from publish.model import Booklet, Heading, Speech
from publish.source import SourceText
from support.fakefonts import FakeFonts

SMALL = 2000
GROWTH = 4
BOUND = 8.0  # linear gives ~4, quadratic ~16

# Characters and tokens the patterns of clean, parse, lint and sourcefmt quantify over: spaces of each kind,
# quotes, brackets, digits and numerals, placeholder marks, watermark words, URL starts, heading marks.
FILLERS = (
    " ",
    "\u3000",
    "\u00a0",
    "\t",
    " \u3000",
    '"',
    "'",
    '中"',
    "中'",
    "(",
    ")",
    "中(文)",
    "（",
    "【",
    "1",
    "1篇",
    " 1 篇",
    "一",
    "一是",
    "第",
    "X",
    "×",
    "X月",
    "_",
    "#",
    "更多素材",
    "微信",
    "更多素材 ",
    "a",
    "www.",
    "http://",
    "—",
    "，",
    ",",
    "中,",
    "。",
    "谢谢",
    "2024年",
)


def _seconds(run: Callable[[], object], repeats: int = 5) -> float:
    """Return the least CPU time of ``repeats`` runs: CPU time, so other processes on a busy machine do not
    count; the least, so a run that a cache miss or a collection slowed does not either."""
    best = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        run()
        best = min(best, time.process_time() - started)
    return best


def _ratio(make: Callable[[int], Callable[[], object]], small: int = SMALL) -> float:
    """Return time(GROWTH × small) / time(small), measured up to three times before a high one is believed."""
    ratio = 0.0
    for _ in range(3):
        quick, slow = make(small), make(small * GROWTH)
        ratio = _seconds(slow) / max(_seconds(quick), 1e-6)
        if ratio < BOUND:
            break
    return ratio


def _raw(text: str) -> Callable[[], object]:
    def run() -> object:
        booklet = parse.parse(clean.clean(SourceText("x.txt", text, "utf-8")), Diagnostics())
        lint.check(booklet, "x.txt", Diagnostics())
        return booklet

    return run


def _source(text: str) -> Callable[[], object]:
    def run() -> object:
        booklet = sourcefmt.load_source(SourceText("x.md", text, "utf-8"), Diagnostics())
        lint.check(booklet, "x.md", Diagnostics())
        return booklet

    return run


@pytest.mark.parametrize("filler", FILLERS, ids=[repr(f) for f in FILLERS])
def test_raw_text_is_linear_in_a_long_line(filler: str) -> None:
    def make(n: int) -> Callable[[], object]:
        run = filler * (n // len(filler))
        # as the title line (listing-suffix, title-break rules) and as a body line (every other rule)
        return _raw(f"标题{run}题\n第一篇讲话\n正文{run}题。\n")

    assert _ratio(make) < BOUND


@pytest.mark.parametrize("filler", ["#", "> ", "\\", "中"], ids=repr)
def test_editable_source_is_linear_in_a_long_line(filler: str) -> None:
    def make(n: int) -> Callable[[], object]:
        run = filler * (n // len(filler))
        return _source(f'+++\ntitle = "标题"\n+++\n# 讲话\n\n正文{run}题。\n\n## {run}\n')

    assert _ratio(make) < BOUND


@pytest.mark.parametrize("line", ["##", "一、", "正文", "2024年3月1日", "谢谢大家"], ids=repr)
def test_raw_text_is_linear_in_many_short_lines(line: str) -> None:
    # short lines are title candidates: a run of them reaching the end of the text must be read once
    def make(n: int) -> Callable[[], object]:
        return _raw("标题\n第一篇讲话\n正文。\n" + f"{line}\n" * (n // 4))

    assert _ratio(make) < BOUND


def test_layout_is_linear_in_a_long_run_of_headings() -> None:
    # every heading keeps with the next: the chain is measured only as far as a page can hold
    fonts, spec = FakeFonts(), default_spec()

    def make(n: int) -> Callable[[], object]:
        blocks = tuple(Heading(1, f"一、标题{i}", i) for i in range(n))
        booklet = Booklet("汇编", (Speech(("讲话",), blocks),))
        return lambda: plan(booklet, spec, fonts, Diagnostics())

    assert _ratio(make, small=300) < BOUND
