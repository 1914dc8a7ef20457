"""The 目录 in LibreOffice: the DOCX shows the same front matter and 目录 lines as our PDF.

One booklet (the bundled sample plus invented speeches with long titles and bylines) is laid out under each
style of ``STYLES``; LibreOffice converts the portable DOCX written from each plan. Checked against our PDF
of the same plan: the page sequence (which pages are blank, where the 目录 and every speech start, recto
placement under ``recto``), the folios, and every 目录 line identical (the leader dots apart), so the
entries wrap where the plan wraps them and show the plan's numbers.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from publish.errors import Diagnostics
from publish.fonts import FontSet
from publish.layout.frame import LayoutPlan
from publish.layout.plan import plan as make_plan
from publish.layout.spec import default_spec
from publish.layout.spec_file import load_spec
from publish.model import Booklet, Paragraph, Speech
from publish.pipeline import load_booklet
from publish.render.docx import render as render_docx
from publish.render.pdf import render as render_pdf
from support.lo_parity import PdfLine, Rendered, convert, is_folio, normal, parity, read_pages

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "booklet.md"

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) not installed: apt-get install libreoffice-writer-nogui",
)

STYLES: dict[str, str] = {
    "recto": "recto = true\n",
    "speaker-depth-2": "[toc]\nspeaker = true\ndepth = 2\n",
    "speaker-recto-middle-dot": 'recto = true\n[toc]\nspeaker = true\nleader = "·"\n',
}

BODY = "我们坚持把学习教育贯穿工作全过程，认真落实各项制度要求，切实提高服务群众的能力和水平。" * 4
EXTRA = (
    Speech(
        ("在全市残疾人联合会系统党务干部综合能力提升培训班上的交流发言",),
        (Paragraph(BODY),),
        speaker="——在全市培训班上的发言\n市残疾人联合会机关党支部　王小明\n（2024年5月6日）",
    ),
    Speech(("学以致用推动基层党建工作高质量发展的几点体会和做法",), (Paragraph(BODY),), speaker="李四"),
    # entries whose filled first line would end inside the name (test_toc's construction)
    *(
        Speech((f"认真学习贯彻全会精神深入推进基层治理的{name}工作的几点体会",), (Paragraph(BODY),))
        for name in ("残疾人联合会", "党支部", "培训班", "学以致用", "综合能力", "卫生健康委员会")
    ),
)


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Rendered]:
    work = tmp_path_factory.mktemp("toc-lo")
    sample = load_booklet(SAMPLE, Diagnostics())
    booklet: Booklet = replace(sample, speeches=(*sample.speeches, *EXTRA))
    fonts = FontSet.load(default_spec().fonts.chains)
    plans: dict[str, LayoutPlan] = {}
    for name, style in STYLES.items():
        style_file = work / f"{name}.toml"
        style_file.write_text(style, encoding="utf-8")
        laid_out = make_plan(booklet, load_spec(style_file), fonts, Diagnostics())
        plans[name] = laid_out
        render_pdf(laid_out, fonts, work / f"{name}.pdf")
        render_docx(laid_out, fonts, work / f"{name}.docx", font_mode="portable", docx_for="libreoffice")
    # one LibreOffice run per document (a run keeps the first embedded subset of a family name)
    converted = [convert(work / f"{name}.docx", work / "lo", work / f"profile-{name}")[0] for name in STYLES]
    return {
        name: Rendered(plans[name], read_pages(work / f"{name}.pdf"), read_pages(pdf))
        for name, pdf in zip(STYLES, converted, strict=True)
    }


def _texts(page: list[PdfLine]) -> list[str]:
    return [normal(line.text).rstrip(".·") for line in page]


@pytest.mark.parametrize("name", list(STYLES))
def test_same_page_sequence_and_folios(name: str, cases: dict[str, Rendered]) -> None:
    case = cases[name]
    assert len(case.lo) == len(case.ours) == len(case.plan.pages)
    for page, ours, lo in zip(case.plan.pages, case.ours, case.lo, strict=True):
        if page.kind == "blank":
            assert ours == [] and lo == [], (name, page.index)  # no text, no folio
        folios = [normal(line.text) for line in lo if is_folio(line)]
        assert folios == [normal(line.text) for line in ours if is_folio(line)], (name, page.index)
        assert folios == ([] if page.number is None else [f"—{page.number}—"]), (name, page.index)
    kinds = [p.kind for p in case.plan.pages]
    if case.plan.spec.recto:
        assert kinds[:3] == ["cover", "blank", "toc"]
        first_body = kinds.index("body")
        assert first_body % 2 == 0 and case.plan.pages[first_body].number == 1


@pytest.mark.parametrize("name", list(STYLES))
def test_toc_lines_identical(name: str, cases: dict[str, Rendered]) -> None:
    case = cases[name]
    toc = [i for i, p in enumerate(case.plan.pages) if p.kind == "toc"]
    assert toc
    for i in toc:
        assert _texts(case.lo[i]) == _texts(case.ours[i]), (name, i)


@pytest.mark.parametrize("name", list(STYLES))
def test_wrapped_toc_lines_end_where_ours_do(name: str, cases: dict[str, Rendered]) -> None:
    """A line the plan ends early at a word boundary is not stretched by LibreOffice either (stretched, it
    would end at the text width, 50 pt further on, measured without w:doNotExpandShiftReturn)."""
    case = cases[name]
    toc = [i for i, p in enumerate(case.plan.pages) if p.kind == "toc"]
    compared = 0
    for i in toc:
        for ours, lo in zip(case.ours[i][1:], case.lo[i][1:], strict=True):
            if not normal(ours.text)[-1:].isdigit():  # a wrapped line: no leader and number
                # LibreOffice's cell is 15.75 pt (−5 twips), ours 15.79 pt: 0.04 pt a character apart
                slack = 1.0 + 0.05 * len(ours.text)
                assert abs(ours.x0 - lo.x0) < 1.0 and abs(ours.x1 - lo.x1) < slack, (ours, lo)
                compared += 1
    assert compared >= 6


@pytest.mark.parametrize("name", list(STYLES))
def test_every_line_identical(name: str, cases: dict[str, Rendered]) -> None:
    """The speakers' TC fields and the 目录's forced breaks change nothing else LibreOffice sets."""
    found = parity(cases[name].ours, cases[name].lo)
    print(f"\n{name}: line parity {found.same}/{found.total} = {found.share:.1%}")
    assert found.share == 1.0, found.missing[:10]


def test_speakers_are_shown_in_both(cases: dict[str, Rendered]) -> None:
    case = cases["speaker-depth-2"]
    toc = [i for i, p in enumerate(case.plan.pages) if p.kind == "toc"]
    lo = [line for i in toc for line in _texts(case.lo[i])]
    assert "市残疾人联合会机关党支部\u3000王小明" in [t.rstrip("0123456789") for t in lo]
    assert not [t for t in lo if "2024" in t or "培训班上的发言" in t]  # neither date nor subtitle
    assert "李四" in [t.rstrip("0123456789") for t in lo]
