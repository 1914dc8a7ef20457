"""The layout's geometry guard: a 版心 or a line grid too small for the body text is a LayoutError naming the
spec keys to change."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from publish.errors import Diagnostics, LayoutError
from publish.layout.gbt9704 import mm
from publish.layout.plan import plan
from publish.layout.spec import LayoutSpec, PageSpec, default_spec
from publish.model import Booklet, Paragraph, Speech
from support.fakefonts import FakeFonts

BOOKLET = Booklet("汇编", (Speech(("标题",), (Paragraph("正文段落。" * 20),)),))


def _plan(**page: Any) -> None:
    base = default_spec()
    spec: LayoutSpec = replace(base, page=replace(base.page, **page))
    plan(BOOKLET, spec, FakeFonts(), Diagnostics())


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
def test_a_small_but_sufficient_grid_is_laid_out(page: dict[str, float]) -> None:
    assert PageSpec(**page).pitch >= 16.0  # type: ignore[arg-type]
    _plan(**page)
