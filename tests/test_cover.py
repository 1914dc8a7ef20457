"""The cover's organisation and date lines: set without CJK/Latin space (2024年6月28日), in both formats."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from publish.errors import Diagnostics
from publish.fonts import FontSet
from publish.layout.frame import BlockKind, LayoutPlan
from publish.layout.plan import plan as make_plan
from publish.layout.spec import default_spec
from publish.model import Booklet, Paragraph, Speech
from publish.render import docx as docx_renderer
from support import docx_norm as dn

DATE = "2024年6月28日"


@pytest.fixture(scope="module")
def laid_out() -> tuple[FontSet, LayoutPlan]:
    spec = default_spec()
    fonts = FontSet.load(spec.fonts.chains, classes=spec.fonts.classes)
    booklet = Booklet(
        "交流发言汇编",
        (Speech(("发言",), (Paragraph(f"会议于{DATE}召开。"),)),),
        organisation="市委组织部2024届",
        date=DATE,
    )
    return fonts, make_plan(booklet, spec, fonts, Diagnostics())


def _gaps(plan: LayoutPlan, text: str) -> list[float]:
    line = next(line for page in plan.pages for line in page.lines if line.text == text)
    return [b.x - (a.x + a.width) for a, b in pairwise(line.runs)]


def test_cover_date_has_no_latin_gaps(laid_out: tuple[FontSet, LayoutPlan]) -> None:
    _, plan = laid_out
    gaps = _gaps(plan, DATE)
    assert len(gaps) >= 4  # digits and 年月日 alternate runs
    assert all(abs(g) < 1e-6 for g in gaps), gaps
    assert all(abs(g) < 1e-6 for g in _gaps(plan, "市委组织部2024届"))
    body = next(line for page in plan.pages for line in page.lines if line.role == "body")
    assert any(g > 1.0 for g in [b.x - (a.x + a.width) for a, b in pairwise(body.runs)])  # body keeps them


def test_docx_cover_lines_turn_word_spacing_off(laid_out: tuple[FontSet, LayoutPlan], tmp_path: Path) -> None:
    fonts, plan = laid_out
    assert [b.latin_spacing for b in plan.blocks if b.id.kind is BlockKind.COVER_META] == [False, False]
    target = tmp_path / "cover.docx"
    docx_renderer.render(plan, fonts, target)
    body = dn.xml(target.read_bytes(), "word/document.xml").find("w:body", dn.NS)
    found = {}
    for p in body.iterfind("w:p", dn.NS):
        text = "".join(t.text or "" for t in p.iterfind(".//w:t", dn.NS))
        space = p.find("w:pPr/w:autoSpaceDN", dn.NS)
        found[text] = None if space is None else space.get(dn.w("val"))
    assert found[DATE] == "0" and found["市委组织部2024届"] == "0"
    assert found[f"会议于{DATE}召开。"] is None  # the style's (on)
