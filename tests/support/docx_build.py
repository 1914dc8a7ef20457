"""The DOCX tests' shared inputs: the sample's layout, its standard and portable renderings, a small booklet.

The fixtures are session-scoped (the sample is laid out and rendered once) and registered in conftest.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from publish.errors import Diagnostics
from publish.fonts import FontSet
from publish.layout.frame import LayoutPlan
from publish.layout.plan import plan as make_plan
from publish.layout.spec import LayoutSpec
from publish.model import Booklet, Heading, Paragraph, Speech
from publish.pipeline import BuildOptions, layout
from publish.render.docx import render
from support import docx_norm as dn

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "content" / "booklet.md"
W = dn.w


Sample = tuple[LayoutSpec, FontSet, LayoutPlan]  # the sample's spec, fonts and plan


@pytest.fixture(scope="session")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    _, spec, fonts, laid_out = layout(
        SAMPLE, BuildOptions(out_dir=tmp_path_factory.mktemp("out")), Diagnostics()
    )
    return spec, fonts, laid_out


def render_docx(laid_out: LayoutPlan, fonts: FontSet, tmp: Path, mode: str = "standard") -> bytes:
    target = tmp / f"out-{mode}.docx"
    render(laid_out, fonts, target, font_mode=mode)
    return target.read_bytes()


@pytest.fixture(scope="session")
def standard(
    sample: tuple[LayoutSpec, FontSet, LayoutPlan], tmp_path_factory: pytest.TempPathFactory
) -> bytes:
    _, fonts, laid_out = sample
    return render_docx(laid_out, fonts, tmp_path_factory.mktemp("std"))


@pytest.fixture(scope="session")
def portable(
    sample: tuple[LayoutSpec, FontSet, LayoutPlan], tmp_path_factory: pytest.TempPathFactory
) -> bytes:
    _, fonts, laid_out = sample
    return render_docx(laid_out, fonts, tmp_path_factory.mktemp("port"), "portable")


def small_booklet(speeches: int = 3) -> Booklet:
    body = "这是正文段落，用来检验“引号”与破折号——以及省略号……在DOCX里的字体声明。" * 3
    return Booklet(
        title="测试汇编",
        organisation="测试单位",
        speeches=tuple(
            Speech(
                (f"第{k + 1}篇讲话",), (Heading(1, "一、总体要求"), Paragraph(body), Paragraph("堃喆赟。"))
            )
            for k in range(speeches)
        ),
    )


def plan_of(booklet: Booklet, spec: LayoutSpec) -> tuple[FontSet, LayoutPlan]:
    fonts = FontSet.load(spec.fonts.chains, classes=spec.fonts.classes)
    return fonts, make_plan(booklet, spec, fonts, Diagnostics())


def body_paragraphs(docx: bytes) -> list[etree._Element]:
    return list(dn.xml(docx, "word/document.xml").find("w:body", dn.NS).iterfind("w:p", dn.NS))


def style_of(p: etree._Element) -> str:
    found = p.find("w:pPr/w:pStyle", dn.NS)
    return found.get(W("val")) if found is not None else ""
