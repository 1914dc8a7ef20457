"""The LibreOffice parity matrix: the DOCX paginates like the PDF under every style a README option gives.

One booklet — the bundled sample with organisation and date on its cover, plus a speech without a title
and a Latin-heavy one — is laid out under each style of ``STYLES``; the PDF and the portable DOCX are written
from each plan, and LibreOffice converts each DOCX. For each style either the DOCX renderer names the style
key it cannot express (one warning, ``DocxRenderer.limits``), or LibreOffice's pages match ours: the same page
count, every speech starting on the same page, and at least ``PARITY`` of our text lines set identically on
the same page.
Measured parity is printed for every style, warned ones included.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from publish.errors import Diagnostic, Diagnostics
from publish.fonts import FontSet
from publish.layout.frame import LayoutPlan
from publish.layout.plan import plan as make_plan
from publish.layout.spec_file import load_spec
from publish.model import Booklet, Heading, Paragraph, Speech
from publish.pipeline import load_booklet
from publish.render import RenderOptions
from publish.render.docx import DOCX
from publish.render.docx import render as render_docx
from publish.render.pdf import render as render_pdf
from support.lo_parity import PdfLine, convert, normal, parity, read_pages

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "booklet.md"
PARITY = 0.99  # the bar; every unwarned style achieves 100 % today (the printed figures)

pytestmark = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) not installed: apt-get install libreoffice-writer-nogui",
)

# style name → style file; the warning code expected when the DOCX cannot express the style ("" for none)
STYLES: dict[str, tuple[str, str]] = {
    "default": ("", ""),
    "compressed": ("compress_punctuation = true\n", "docx-compress_punctuation"),
    "latin-spacing-0": ("latin_spacing = 0.0\n", "docx-latin_spacing"),
    "latin-spacing-0.2": ("latin_spacing = 0.2\n", ""),
    "leader-none": ('[toc]\nleader = ""\n', ""),
    "leader-middle-dot": ('[toc]\nleader = "·"\n', ""),
    "toc-depth-2": ("[toc]\ndepth = 2\n", ""),
    "recto": ("recto = true\n", ""),
    "lead-heiti": ('[styles.lead]\nfont = "heiti"\n', ""),
    # every role's own chain for every character class: Latin and digits in FandolFang/Kai/Song/Hei again
    "classes-off": (
        "".join(
            f"[fonts.classes.{role}]\nlatin = []\ndigit = []\npunct = []\n"
            for role in ("fangsong", "kaiti", "songti", "heiti")
        ),
        "",
    ),
}

UNTITLED = Speech(
    (),
    (
        Paragraph("这篇发言没有标题，从新的一页开始。同志们：今天我们在这里召开座谈会，交流学习体会。"),
        Heading(1, "一、认清形势，明确任务"),
        Paragraph("一是要提高认识。" + "各级组织要把思想统一到部署上来，切实增强责任感和紧迫感。" * 6, 4),
    ),
    speaker="李四",
)
LATIN = Speech(
    ("推进数字化办公的几点做法",),
    (
        Paragraph(
            "去年我们上线了OA 2.0系统，全年处理公文12,580件，平均办理时间从3.5天缩短到1.2天。"
            "系统采用B/S架构，支持PDF、DOCX和OFD三种格式，接口遵循RESTful规范，"
            "并通过ISO 27001信息安全认证。下一步，我们将在2025年底前完成与省级平台的API对接。"
        ),
        Heading(1, "一、统一标准，夯实基础"),
        Paragraph(
            "我们制定了《电子公文格式规范（V3.1）》，明确字体、字号和版式要求，"
            "要求所有单位在Q3季度前完成模板升级；对接WPS和Microsoft Office两类客户端，"
            "兼容Windows 10、UOS和macOS 14等操作系统，确保100%的文件能够正常打开。" * 2
        ),
    ),
)


@dataclass(frozen=True)
class Case:
    """One style's plan, its format warnings and both PDFs read back."""

    plan: LayoutPlan
    limits: tuple[Diagnostic, ...]
    ours: list[list[PdfLine]]
    lo: list[list[PdfLine]]


def _booklet() -> Booklet:
    sample = load_booklet(SAMPLE, Diagnostics())
    speeches = (*sample.speeches[:2], UNTITLED, *sample.speeches[2:], LATIN)
    # a cover with its foot block too (the sample's organisation and date are empty)
    return replace(sample, speeches=speeches, organisation="市残疾人联合会机关党委", date="2024年6月28日")


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Case]:
    work = tmp_path_factory.mktemp("lo-matrix")
    booklet = _booklet()
    made: dict[str, tuple[LayoutPlan, tuple[Diagnostic, ...]]] = {}
    for name, (style, _) in STYLES.items():
        style_file = work / f"{name}.toml"
        style_file.write_text(style, encoding="utf-8")
        spec = load_spec(style_file)
        fonts = FontSet.load(spec.fonts.chains, classes=spec.fonts.classes)
        laid_out = make_plan(booklet, spec, fonts, Diagnostics())
        made[name] = laid_out, tuple(DOCX.limits(laid_out, RenderOptions()))
        render_pdf(laid_out, fonts, work / f"{name}.pdf")
        render_docx(laid_out, fonts, work / f"{name}.docx", font_mode="portable", docx_for="libreoffice")
    # One LibreOffice run per document: a run keeps the first embedded font of a family name it meets, so
    # later documents with other subsets of the same family would be drawn with the wrong glyphs.
    converted = [convert(work / f"{name}.docx", work / "lo", work / f"profile-{name}")[0] for name in STYLES]
    return {
        name: Case(*made[name], read_pages(work / f"{name}.pdf"), read_pages(pdf))
        for name, pdf in zip(STYLES, converted, strict=True)
    }


def _speech_starts(laid_out: LayoutPlan) -> dict[int, tuple[int, str]]:
    """Return speech → (its first page, the text of its first line)."""
    starts: dict[int, tuple[int, str]] = {}
    for block in laid_out.blocks:
        if block.id.speech is not None and block.id.speech not in starts:
            starts[block.id.speech] = (block.page, block.lines[0].text)
    return starts


@pytest.mark.parametrize("name", list(STYLES))
def test_libreoffice_paginates_like_the_pdf_or_the_build_warns(name: str, cases: dict[str, Case]) -> None:
    case = cases[name]
    found = parity(case.ours, case.lo)
    print(
        f"\n{name}: {len(case.lo)} LibreOffice pages for {len(case.ours)}; line parity "
        f"{found.same}/{found.total} = {found.share:.1%}; warnings {[d.code for d in case.limits]}"
    )
    for line in found.missing[:8]:
        print("  differs:", line)
    expected = STYLES[name][1]
    assert [d.code for d in case.limits] == ([expected] if expected else [])
    if expected:
        key = expected.removeprefix("docx-")
        assert key in case.limits[0].message  # the warning names the style key
        return
    assert len(case.lo) == len(case.ours) == len(case.plan.pages)
    for speech, (page, first) in _speech_starts(case.plan).items():
        lo_pages = [i for i, p in enumerate(case.lo) if normal(first) in {normal(x.text) for x in p}]
        body = [i for i in lo_pages if case.plan.pages[i].kind == "body"]
        assert body[:1] == [page], (name, speech, first)
    assert found.share >= PARITY, f"{name}: line parity {found.share:.1%}; {found.missing[:10]}"


def test_the_matrix_covers_the_readme_options() -> None:
    booklet = _booklet()
    assert any(not s.title for s in booklet.speeches)  # a titleless speech
    assert booklet.organisation and booklet.date  # the cover's foot block
    latin = sum(c.isascii() and c.isalnum() for b in LATIN.blocks for c in b.text)
    assert LATIN in booklet.speeches and latin > 120  # a Latin-heavy speech: one Latin letter or digit in 3
    styles = "".join(style for style, _ in STYLES.values())
    for key in (
        "compress_punctuation",
        "latin_spacing",
        "leader",
        "depth",
        "recto",
        "[styles.lead]",
        "[fonts.classes.",
    ):
        assert key in styles
