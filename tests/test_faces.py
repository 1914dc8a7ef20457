"""Faces per character class (issue 15): which font draws each character, read back from the PDF, the DOCX XML
and LibreOffice's rendering of the DOCX.

Under the default style, Latin letters and digits of the body faces (仿宋 body and 目录, 楷体 speaker and
level 2, 宋体 folios) come from Liberation Serif; 黑体 headings take punctuation, Latin and digits from Noto
Sans CJK SC Medium; 小标宋 titles keep Noto Serif CJK SC Black for all. A second style takes the body's class
chains away and sets level 2 in 黑体: the faces follow it. A bad class chain is a style error with file and
line.
"""

from __future__ import annotations

import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
import pytest

from publish.cli import ExitStatus
from publish.errors import Diagnostics
from publish.fonts import char_class, needs_glyph
from publish.layout.frame import LayoutPlan
from publish.pipeline import BuildOptions, layout
from publish.render import docx as docx_renderer
from publish.render import pdf as pdf_renderer
from support import docx_norm as dn
from support.cli import run
from support.lo_parity import bundled_fonts_env, convert

W = dn.w
FONTS = Path(__file__).resolve().parents[1] / "fonts"
SOURCE = """+++
title = "数字化办公经验交流汇编"
+++

# 推进数字化办公的几点做法
> 信息中心 王小明（2024年6月28日）

去年我们上线了OA 2.0系统，全年处理公文12,580件，平均办理时间从3.5天缩短到1.2天，满意度达到98%。\
系统支持PDF、DOCX和OFD三种格式，并通过ISO 27001认证。

## 一、统一标准（2025年版），夯实基础！

我们制定了《电子公文格式规范（V3.1）》，要求所有单位在Q3季度前完成模板升级；兼容Windows 10和UOS。

### （一）加强培训，提升能力（第2期）

全年举办培训班6期，参训人员达到1,200人次，覆盖100%的科室，编印《公文（Gōngwén）写作手册》。

# 以OA 3.0为抓手推动机关效能建设

今年将完成3个平台的对接，实现95%以上的事项网上办理。
"""
OVERRIDE = """[fonts.classes.fangsong]
latin = []
digit = []
[styles.h2]
font = "heiti"
"""
SERIF, HEI_MARKS = "LiberationSerif", "NotoSansCJKsc-Medium"


@dataclass(frozen=True)
class Drawn:
    """One character of a PDF: its text, font (subset prefix dropped), page and baseline from the top."""

    text: str
    font: str
    page: int
    baseline: float


def _chars(pdf: Path) -> list[Drawn]:
    out = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages):
            for c in page.chars:
                out.append(
                    Drawn(c["text"], c["fontname"].split("+")[-1], number, page.height - c["matrix"][5])
                )
    return out


def _by_role(plan: LayoutPlan, drawn: list[Drawn]) -> dict[str, list[Drawn]]:
    """Return the PDF's characters grouped by the plan role of the line they sit on (baseline within 1 pt)."""
    lines = [(i, line.baseline, line.role) for i, page in enumerate(plan.pages) for line in page.lines]
    out: dict[str, list[Drawn]] = {}
    for ch in drawn:
        role = next(r for i, b, r in lines if i == ch.page and abs(b - ch.baseline) < 1.0)
        out.setdefault(role, []).append(ch)
    return out


def _fonts(chars: list[Drawn], *classes: str) -> set[str]:
    return {c.font for c in chars if needs_glyph(c.text) and char_class(c.text) in classes}


@dataclass(frozen=True)
class Built:
    """A booklet laid out under one style, with its PDF and DOCX files."""

    plan: LayoutPlan
    pdf: Path
    roles: dict[str, list[Drawn]]
    work: Path


def _build(work: Path, style: str) -> Built:
    work.mkdir(parents=True, exist_ok=True)
    source = work / "faces.md"
    source.write_text(SOURCE, encoding="utf-8")
    (work / "style.toml").write_text(style, encoding="utf-8")
    _, _, fonts, plan = layout(source, BuildOptions(out_dir=work, style=work / "style.toml"), Diagnostics())
    pdf_renderer.render(plan, fonts, work / "ours.pdf")
    for mode in ("standard", "portable"):
        docx_renderer.render(plan, fonts, work / f"{mode}.docx", font_mode=mode, docx_for="libreoffice")
    return Built(plan, work / "ours.pdf", _by_role(plan, _chars(work / "ours.pdf")), work)


@pytest.fixture(scope="module")
def default(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(tmp_path_factory.mktemp("faces"), "")


@pytest.fixture(scope="module")
def override(tmp_path_factory: pytest.TempPathFactory) -> Built:
    return _build(tmp_path_factory.mktemp("faces-override"), OVERRIDE)


# --- the PDF ------------------------------------------------------------------------------------------------


def test_body_faces_set_latin_and_digits_in_the_latin_serif(default: Built) -> None:
    roles = default.roles
    for role in ("body", "speaker", "h2", "toc", "page_number"):
        assert _fonts(roles[role], "latin", "digit") == {SERIF}, role
    assert _fonts(roles["body"], "han") == {"FandolFang-Regular"}
    assert _fonts(roles["body"], "punct") == {"FandolFang-Regular"}
    assert _fonts(roles["speaker"], "han") == {"FandolKai-Regular"}
    assert _fonts(roles["page_number"], "punct") == {"FandolSong-Regular"}  # the 一字线
    # the 目录's numbers and the folios: one digit face, the body's
    assert (
        _fonts(roles["toc"], "digit")
        == _fonts(roles["page_number"], "digit")
        == _fonts(roles["body"], "digit")
    )
    body_latin = Counter(c.text for c in roles["body"] if char_class(c.text) in ("latin", "digit"))
    assert body_latin["0"] >= 5 and body_latin["O"] >= 2  # the check saw real Latin text
    assert "ō" in body_latin and "é" in body_latin  # Latin letters beyond ASCII (pinyin) too


def test_heiti_headings_take_marks_of_matching_weight(default: Built) -> None:
    h1 = default.roles["h1"]
    assert _fonts(h1, "han") == {"FandolHei-Regular"}
    assert _fonts(h1, "punct", "latin", "digit") == {HEI_MARKS}
    assert {c.text for c in h1} >= set("（）！，2025")
    # 小标宋 titles: Noto Serif CJK SC Black's own marks, digits and Latin, of one weight
    assert _fonts(default.roles["title"], "han", "punct", "latin", "digit") == {"NotoSerifCJKsc-Black"}


def test_a_style_overrides_the_class_chains(override: Built, default: Built) -> None:
    roles = override.roles
    assert _fonts(roles["body"], "latin", "digit") == {"FandolFang-Regular"}  # the body's chain taken away
    assert _fonts(roles["toc"], "digit") == {"FandolFang-Regular"}
    assert _fonts(roles["page_number"], "digit") == {SERIF}  # 宋体 keeps its own
    assert _fonts(roles["h2"], "han") == {"FandolHei-Regular"}  # level 2 now in 黑体, with its marks
    assert _fonts(roles["h2"], "punct", "digit") == {HEI_MARKS}


@pytest.mark.parametrize(
    ("style", "line", "words"),
    [
        (
            '# house\n[fonts.classes.fangsong]\nlatin = ["LiberationSerif-Regular.ttf"]\ngreek = []\n',
            4,
            "greek",
        ),
        (
            '[fonts.classes.fangsong]\ndigit = "LiberationSerif-Regular.ttf"\n',
            2,
            "fonts.classes.fangsong.digit",
        ),
        ("[fonts.classes.nope]\nlatin = []\n", 1, "fonts.classes.nope"),
        ('[fonts.classes.heiti]\npunct = [" "]\n', 2, "empty font file name"),
    ],
)
def test_a_bad_class_chain_is_a_style_error_with_its_line(
    tmp_path: Path, style: str, line: int, words: str
) -> None:
    source = tmp_path / "faces.md"
    source.write_text(SOURCE, encoding="utf-8")
    (tmp_path / "bad.toml").write_text(style, encoding="utf-8")
    status, _, err = run(
        "build", str(source), "-o", str(tmp_path / "out"), "--style", str(tmp_path / "bad.toml")
    )
    assert status == ExitStatus.STYLE, err
    assert f"bad.toml:{line}:" in err and words in err, err
    assert "Traceback" not in err and not (tmp_path / "out" / "faces.pdf").exists()


def test_publish_fonts_reports_the_face_of_every_class(tmp_path: Path) -> None:
    status, out, _ = run("fonts")
    assert status == 0
    assert "  digit  0  Liberation Serif" in out and "  punct  ，  Noto Sans CJK SC Medium" in out
    status, out, _ = run("fonts", "--json")
    import json

    faces = {(r["role"], r["class"]): r for r in json.loads(out)["faces"]}
    assert faces["fangsong", "latin"]["file"] == "LiberationSerif-Regular.ttf"
    assert faces["heiti", "punct"]["class_chain"] == ["NotoSansCJKsc-Medium-fallback.ttf"]
    (tmp_path / "style.toml").write_text(OVERRIDE, encoding="utf-8")
    status, out, _ = run("fonts", "--style", str(tmp_path / "style.toml"), "--json")
    faces = {(r["role"], r["class"]): r for r in json.loads(out)["faces"]}
    assert faces["fangsong", "digit"]["file"] == "FandolFang-Regular.ttf"
    assert faces["fangsong", "digit"]["class_chain"] == []


# --- the DOCX -----------------------------------------------------------------------------------------------


def _runs(docx: bytes, part: str = "word/document.xml") -> Iterator[tuple[str, dict[str, str]]]:
    """Yield each run's text (a field's cached result included) and its direct rFonts attributes."""
    for r in dn.xml(docx, part).iter(W("r")):
        text = "".join(t.text or "" for t in r.iterfind("w:t", dn.NS))
        fonts = r.find("w:rPr/w:rFonts", dn.NS)
        yield text, {dn.local(k): v for k, v in (fonts.attrib.items() if fonts is not None else ())}


@pytest.mark.parametrize(
    ("mode", "name"), [("standard", "Times New Roman"), ("portable", "Liberation Serif")]
)
def test_docx_names_the_latin_serif_on_latin_and_digit_runs(default: Built, mode: str, name: str) -> None:
    docx = (default.work / f"{mode}.docx").read_bytes()
    seen = 0
    for text, fonts in _runs(docx):
        western = [c for c in text if char_class(c) in ("latin", "digit") and needs_glyph(c)]
        if fonts.get("ascii") == name:
            # all four slots: Word (ascii/hAnsi by code point) and LibreOffice (by script) pick the same font
            assert {fonts[s] for s in ("ascii", "hAnsi", "eastAsia", "cs")} == {name}, text
            assert all(char_class(c) in ("latin", "digit") for c in text), text
            seen += 1
        elif western:  # Latin or digits outside the serif: only in 黑体 and 小标宋 paragraphs
            assert fonts.get("ascii") in (None, "黑体", "Noto Sans CJK SC Medium"), (text, fonts)
    assert seen >= 10
    # the 目录's numbers: each entry's link ends with the PAGEREF field, whose result names the serif
    links = list(dn.xml(docx, "word/document.xml").iter(W("hyperlink")))
    assert len(links) == len(default.plan.toc) == 2
    for link in links:
        number = [r for r in link.iter(W("r")) if r.find("w:t", dn.NS) is not None][-1]
        assert number.find("w:t", dn.NS).text.isdigit()
        assert number.find("w:rPr/w:rFonts", dn.NS).get(W("ascii")) == name
    footers = [_runs(docx, f"word/footer{n}.xml") for n in (1, 2)]
    for runs in footers:
        digits = [fonts for text, fonts in runs if text == "1"]  # the PAGE field's cached result
        assert digits and all(f.get("ascii") == name for f in digits)
    table = {e.get(W("name")): e for e in dn.xml(docx, "word/fontTable.xml").iterfind("w:font", dn.NS)}
    assert name in table
    assert (table[name].find("w:embedRegular", dn.NS) is not None) == (mode == "portable")


# --- LibreOffice ------------------------------------------------------------------------------------------

needs_lo = pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) not installed: apt-get install libreoffice-writer-nogui",
)


def _western(drawn: list[Drawn]) -> Counter[tuple[int, str, str]]:
    """Return (page, character, font) of every Latin letter and digit; dots apart, as a 目录 leader's count
    differs between renderers."""
    drawn = [c for c in drawn if c.text != "."]
    return Counter(
        (c.page, c.text, c.font)
        for c in drawn
        if char_class(c.text) in ("latin", "digit") and needs_glyph(c.text)
    )


@needs_lo
@pytest.mark.parametrize("mode", ["portable", "standard"])
def test_libreoffice_draws_latin_and_digits_in_the_same_faces(default: Built, mode: str) -> None:
    work = default.work
    env = bundled_fonts_env(work) if mode == "standard" else None
    (lo_pdf,) = convert(work / f"{mode}.docx", work / f"lo-{mode}", work / f"profile-{mode}", env)
    lo = _western(_chars(lo_pdf))
    ours = _western(_chars(default.pdf))
    serif = sorted(k for k in ours.elements() if k[2] == SERIF)
    assert len(serif) > 50
    # every Latin letter and digit that our PDF draws in Liberation Serif, LibreOffice draws in it too, on the
    # same page (folios, 目录 numbers, body, speaker, level 2)
    assert sorted(k for k in lo.elements() if k[2] == SERIF) == serif
    if mode == "portable":  # the embedded families: 黑体's marks too
        assert lo == ours
