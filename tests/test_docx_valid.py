"""Every DOCX variant the tests build is valid OOXML: openxml-audit reports zero errors for each.

openxml-audit checks the package (parts, content types, relationships), every XML part against the
ECMA-376 schemas (element order, attribute types and value ranges) and Word's semantic rules (style and
numbering references, unique ids); it is pure Python, so the check needs no Office. The variants: the
sample in standard and portable font mode for each reader (``docx_for``), the style files of the
LibreOffice parity matrix, and the edges where our markup differs — a speech without a title, a byline of
several lines (subtitle, name, date) as speaker, a booklet without a cover title.
"""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from openxml_audit import OpenXmlValidator, ValidationResult

from publish.errors import Diagnostics
from publish.layout.spec import LayoutSpec, default_spec
from publish.layout.spec_file import load_spec, merge_spec
from publish.model import Booklet, Heading, Paragraph, Speech
from publish.pipeline import load_booklet
from publish.render.docx import render
from support.docx_build import SAMPLE, Sample, plan_of, small_booklet
from test_docx_lo_matrix import LATIN, STYLES, UNTITLED

MODES = ("standard", "portable")
READERS = ("word", "libreoffice")
BYLINES = Speech(
    ("关于基层治理的几点思考",),
    (
        Paragraph("各位同志：下面我结合本单位的实践，谈几点粗浅的认识，不妥之处请大家批评指正。" * 2),
        Heading(1, "一、把服务送到群众身边"),
        Paragraph("我们在每个社区设立了便民服务点，推行一窗受理、限时办结。" * 3),
    ),
    speaker="——在全市基层治理工作推进会上的交流发言\n王五\n2024年5月20日",
)


@pytest.fixture(scope="module")
def validator() -> OpenXmlValidator:
    return OpenXmlValidator(max_errors=0)  # 0: collect every error, not only the first hundred


def findings(result: ValidationResult) -> list[str]:
    """Return one line per finding, warnings included: the part, the element path and what is wrong."""
    return [f"{e.part_uri} {e.path}: {e.description} ({e.severity.value})" for e in result.errors]


def write(booklet: Booklet, spec: LayoutSpec, target: Path, mode: str, reader: str) -> Path:
    fonts, laid_out = plan_of(booklet, spec)
    render(laid_out, fonts, target, font_mode=mode, docx_for=reader)
    return target


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("mode", MODES)
def test_sample_is_valid(
    sample: Sample, validator: OpenXmlValidator, tmp_path: Path, mode: str, reader: str
) -> None:
    _, fonts, laid_out = sample
    target = tmp_path / f"sample-{mode}-{reader}.docx"
    render(laid_out, fonts, target, font_mode=mode, docx_for=reader)
    assert findings(validator.validate(target)) == []


@pytest.mark.parametrize("name", STYLES)
def test_parity_matrix_styles_are_valid(validator: OpenXmlValidator, tmp_path: Path, name: str) -> None:
    """The LibreOffice matrix's booklet under each of its styles, portable, for LibreOffice and for Word."""
    style_file = tmp_path / f"{name}.toml"
    style_file.write_text(STYLES[name][0], encoding="utf-8")
    spec = load_spec(style_file)
    sample = load_booklet(SAMPLE, Diagnostics())
    booklet = replace(sample, speeches=(*sample.speeches[:2], UNTITLED, *sample.speeches[2:], LATIN))
    for reader in READERS:
        target = write(booklet, spec, tmp_path / f"{name}-{reader}.docx", "portable", reader)
        assert findings(validator.validate(target)) == [], reader


EDGES: dict[str, Booklet] = {
    "titleless speech": replace(small_booklet(1), speeches=(UNTITLED, *small_booklet(1).speeches)),
    "byline lines": replace(small_booklet(1), speeches=(*small_booklet(1).speeches, BYLINES)),
    "no cover title": replace(small_booklet(2), title=""),
}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", EDGES)
def test_edges_are_valid(validator: OpenXmlValidator, tmp_path: Path, name: str, mode: str) -> None:
    for reader in READERS:
        target = write(EDGES[name], default_spec(), tmp_path / f"edge-{mode}-{reader}.docx", mode, reader)
        assert findings(validator.validate(target)) == [], reader


@pytest.mark.parametrize("mode", MODES)
def test_toc_speakers_are_valid(validator: OpenXmlValidator, tmp_path: Path, mode: str) -> None:
    """toc.speaker: speaker lines in the TOC field's result, TC fields in the speaker paragraphs, toc 3."""
    spec = merge_spec(default_spec(), {"recto": True, "toc": {"speaker": True, "depth": 2}})
    for reader in READERS:
        target = write(EDGES["byline lines"], spec, tmp_path / f"speakers-{mode}-{reader}.docx", mode, reader)
        assert findings(validator.validate(target)) == [], reader


# One schema violation in each of our parts, as (part, original, replacement): the check can fail on each.
BROKEN = {
    # w:sectPr is the body's last child (ECMA-376 Part 1, 17.2.2 body): a paragraph after it is out of order
    "document order": ("word/document.xml", b"</w:body>", b"<w:p/></w:body>"),
    # w:panose1's value is ten bytes as twenty hex digits (17.8.3.13 panose1, ST_Panose)
    "font table panose": ("word/fontTable.xml", b'<w:panose1 w:val="', b'<w:panose1 w:val="0'),
    # run properties have no w:bogus child (17.3.2)
    "styles unknown element": ("word/styles.xml", b"<w:rPr>", b"<w:rPr><w:bogus/>"),
    # CT_Settings opens with w:writeProtection, w:view, w:zoom (17.15.1): a late w:zoom is out of order
    "settings order": ("word/settings.xml", b"</w:settings>", b'<w:zoom w:percent="100"/></w:settings>'),
}


@pytest.mark.parametrize("name", BROKEN)
def test_validator_catches_a_schema_violation(
    sample: Sample, validator: OpenXmlValidator, tmp_path: Path, name: str
) -> None:
    """The check can fail: one violation injected into one of our own parts is reported in that part."""
    part, old, new = BROKEN[name]
    _, fonts, laid_out = sample
    good = tmp_path / "good.docx"
    render(laid_out, fonts, good)
    bad = tmp_path / "bad.docx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == part:
                assert old in data, f"{part} has no {old!r} to break"
                data = data.replace(old, new, 1)
            target.writestr(item, data)
    found = findings(validator.validate(bad))
    assert found, f"{name}: the broken {part} went unreported"
    assert all(line.startswith(f"/{part} ") for line in found), found
