"""The renderer registry and protocol: formats come from the registry, a third renderer needs no layout code,
what a format cannot express is one warning naming the style key, one creation date reaches every output."""

from __future__ import annotations

import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

from publish import render
from publish.errors import Diagnostics
from publish.pipeline import FORMATS, BuildOptions, build
from publish.render import RENDERERS
from support.pdf_summary import read_lines
from support.text_renderer import TextRenderer, read_text_pages

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "booklet.md"


def test_formats_are_the_registry() -> None:
    assert FORMATS == render.FORMATS == tuple(RENDERERS) == ("pdf", "docx")
    for name, renderer in RENDERERS.items():
        assert renderer.name == name


def test_a_third_renderer_paints_the_plan_as_the_pdf_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(RENDERERS, "txt", TextRenderer())
    result = build(SAMPLE, BuildOptions(out_dir=tmp_path, formats=("pdf", "txt")))
    assert [p.name for p in result.outputs] == ["booklet.pdf", "booklet.txt"]
    labels, text_pages = read_text_pages(tmp_path / "booklet.txt")
    pdf_pages = read_lines(tmp_path / "booklet.pdf")
    assert len(text_pages) == len(pdf_pages) == result.pages
    for k, (ours, pdf) in enumerate(zip(text_pages, pdf_pages, strict=True)):
        # the same lines, in the same order, on the same baselines (pdfplumber rounds to 0.01 pt)
        assert [row.text.replace(" ", "") for row in ours] == [line.text.replace(" ", "") for line in pdf], k
        assert [row.baseline for row in ours] == pytest.approx([line.baseline for line in pdf], abs=0.02)
    assert labels[:2] == ["封面", "目录"] and labels[2] == "1"


@pytest.mark.parametrize(
    ("style", "code", "key"),
    [
        ("compress_punctuation = true\n", "docx-compress_punctuation", "compress_punctuation = true"),
        ("latin_spacing = 0.0\n", "docx-latin_spacing", "latin_spacing = 0"),
        ('[toc]\nleader = "～"\n', "docx-toc.leader", "toc.leader = '～'"),
    ],
)
def test_what_the_docx_cannot_express_is_one_warning_naming_the_key(
    style: str, code: str, key: str, tmp_path: Path
) -> None:
    style_file = tmp_path / "house.toml"
    style_file.write_text(style, encoding="utf-8")
    found = Diagnostics()
    build(SAMPLE, BuildOptions(out_dir=tmp_path / "both", style=style_file), found)
    limits = [d for d in found.items if d.code.startswith("docx-")]
    assert [d.code for d in limits] == [code]
    assert key in limits[0].message
    found = Diagnostics()
    build(SAMPLE, BuildOptions(out_dir=tmp_path / "pdf", style=style_file, formats=("pdf",)), found)
    assert not [d for d in found.items if d.code.startswith("docx-")]  # the PDF expresses it
    found = Diagnostics()
    strict = build(SAMPLE, BuildOptions(out_dir=tmp_path / "strict", style=style_file, strict=True), found)
    assert strict.outputs == () and not (tmp_path / "strict").exists()


def test_the_default_style_has_no_format_limits(tmp_path: Path) -> None:
    found = Diagnostics()
    build(SAMPLE, BuildOptions(out_dir=tmp_path), found)
    assert not [d for d in found.items if d.code.startswith("docx-")]


def test_one_creation_date_reaches_both_formats(tmp_path: Path) -> None:
    when = datetime(2024, 3, 5, 6, 7, 8, tzinfo=UTC)
    build(SAMPLE, BuildOptions(out_dir=tmp_path, created=when))
    assert b"/CreationDate (D:20240305060708+00'00')" in (tmp_path / "booklet.pdf").read_bytes()
    core = zipfile.ZipFile(tmp_path / "booklet.docx").read("docProps/core.xml").decode()
    assert "<dcterms:created" in core and ">2024-03-05T06:07:08Z<" in core
