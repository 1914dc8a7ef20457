"""The layout's geometry guard: a 版心 or a line grid too small for the body text is a LayoutError naming the
spec keys to change."""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from typing import Any

import pytest

from publish.errors import Diagnostics, LayoutError
from publish.layout.frame import LayoutPlan
from publish.layout.gbt9704 import mm
from publish.layout.plan import plan
from publish.layout.spec import LayoutSpec, default_spec
from publish.model import Booklet, Paragraph, Speech
from support.fakefonts import FakeFonts

BOOKLET = Booklet("汇编", (Speech(("标题",), (Paragraph("正文段落。" * 20),)),))


def _plan(**page: Any) -> LayoutPlan:
    base = default_spec()
    spec: LayoutSpec = replace(base, page=replace(base.page, **page))
    return plan(BOOKLET, spec, FakeFonts(), Diagnostics())


@pytest.mark.parametrize(
    "page,keys",
    [
        # 56 pt is 28 cells of 2 pt: chars ≥ 4, yet not 4 characters of 16 pt (the old test compared cells)
        ({"body_width": 56.0}, ("page.body_width", "styles.body.size")),
        ({"body_width": 4 * 16.0 - 1, "chars": 4}, ("page.body_width", "styles.body.size")),
        ({"lines": 60}, ("page.body_height", "page.lines", "styles.body.size")),  # 10.6 pt pitch
        ({"chars": 0}, ("page.chars",)),
        ({"header": mm(40)}, ("page.header", "page.top")),
    ],
)
def test_too_small_a_grid_is_a_layout_error_naming_the_keys(page: dict[str, float], keys: tuple[str]) -> None:
    with pytest.raises(LayoutError) as caught:
        _plan(**page)
    for key in keys:
        assert key in str(caught.value)


@pytest.mark.parametrize("page", [{"body_width": 4 * 16.0, "chars": 4}, {"lines": 38}, {}])
def test_a_small_but_sufficient_grid_is_laid_out(page: dict[str, Any]) -> None:
    laid_out = _plan(**page)
    grid = laid_out.spec.page
    body = [line for p in laid_out.pages if p.kind == "body" for line in p.lines if line.role == "body"]
    assert "".join(line.text for line in body) == "正文段落。" * 20  # all of it, inside the 版心
    assert all(grid.left - 1e-6 <= line.x0 and line.x1 <= grid.left + grid.body_width + 1e-6 for line in body)
    for a, b in pairwise(body):  # consecutive lines on a page: their span of grid lines apart
        assert b.baseline - a.baseline == pytest.approx(grid.pitch * b.span) or b.baseline < a.baseline
