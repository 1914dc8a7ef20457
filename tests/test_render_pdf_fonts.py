"""The PDF's CID-keyed fonts, read back: Type0/Identity-H fonts whose codes are glyph IDs, embedded subsets
that keep glyph IDs and outlines, ToUnicode maps that give back every character (beyond the BMP too, and
behind the placeholder boxes), and page streams that depend on their own page only.

Readers: pypdf (structure), fontTools (the embedded programs), pdfplumber, pypdfium2 and poppler (text).
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zlib
from pathlib import Path
from typing import Any

import pdfplumber
import pypdfium2 as pdfium
import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader
from reportlab.pdfbase.ttfonts import TTFontFace

from publish import fonts, sfnt
from publish.fonts import ResolvedFont
from publish.layout.frame import LayoutPlan, Line, Page, PlanMeta, Run
from publish.render.pdf import render
from publish.render.pdf._embed import glyph_chars, to_unicode
from publish.render.pdf._face import Face
from publish.render.pdf._subset import subset
from support.fakefonts import BundledFonts

ROOT = Path(__file__).resolve().parents[1]
FONTS = ROOT / "fonts"
FANG, NOTO, LIBERATION = (
    "FandolFang-Regular.ttf",
    "NotoSansCJKsc-Medium-fallback.ttf",
    "LiberationSerif-Regular.ttf",
)
ASTRAL = "\U00020164"  # beyond the BMP, in the Noto fallback
UNCOVERED = "\U000f0002\ue123"  # private use: no font has them, the plan gives them no font
BODY = "会议强调，要把学习成果转化为推动工作的实际成效。"
LATIN = "Budget ¼ × 2 ½"  # ¼ and ½ are composite glyphs in Liberation Serif

pytestmark = pytest.mark.skipif(
    not all((FONTS / f).is_file() for f in (FANG, NOTO, LIBERATION)), reason=f"bundled fonts not in {FONTS}"
)
POPPLER = pytest.mark.skipif(
    shutil.which("pdffonts") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdffonts, pdftotext) not installed: apt-get install poppler-utils",
)


def _line(baseline: float, *parts: tuple[str, str]) -> Line:
    """Return a line of runs (text, font) set one after the other at their fonts' advances."""
    runs, x = [], 72.0
    for text, font in parts:
        width = (
            sum(ResolvedFont.open(FONTS / font).advance(c) * 16 for c in text) if font else 16.0 * len(text)
        )
        runs.append(Run(text, font, 16.0, x, width, 0.0))
        x += width
    return Line("body", baseline, tuple(runs))


LINES = (
    _line(100.0, (BODY, FANG)),
    _line(140.0, ("生僻字", FANG), (ASTRAL, NOTO), ("照常", FANG), (UNCOVERED, ""), ("复制。", FANG)),
    _line(180.0, (LATIN, LIBERATION)),
)
TEXTS = [BODY, f"生僻字{ASTRAL}照常{UNCOVERED}复制。", LATIN]


def _plan(*pages: tuple[Line, ...]) -> LayoutPlan:
    return LayoutPlan(
        tuple(Page(i, "body", lines, i + 1) for i, lines in enumerate(pages)), (), PlanMeta("t")
    )


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cid") / "cid.pdf"
    render(_plan(LINES), BundledFonts(), path)
    return path


def _fonts(path: Path) -> dict[str, Any]:
    """Return the page's font resources by BaseFont name without the subset tag."""
    resources: Any = PdfReader(path).pages[0]["/Resources"]
    found = {}
    for ref in resources["/Font"].get_object().values():
        font = ref.get_object()
        found[str(font["/BaseFont"])[8:]] = font
    return found


def test_fonts_are_type0_identity_h_with_embedded_cid_truetype(pdf: Path) -> None:
    found = _fonts(pdf)
    assert set(found) == {
        "FandolFang-Regular",
        "NotoSansCJKsc-Medium",
        "LiberationSerif",
        _placeholder_name(),
    }
    for font in found.values():
        assert (font["/Subtype"], font["/Encoding"]) == ("/Type0", "/Identity-H")
        (descendant,) = [ref.get_object() for ref in font["/DescendantFonts"]]
        assert (descendant["/Subtype"], descendant["/CIDToGIDMap"]) == ("/CIDFontType2", "/Identity")
        assert descendant["/BaseFont"] == font["/BaseFont"]
        descriptor = descendant["/FontDescriptor"].get_object()
        assert descriptor["/FontName"] == font["/BaseFont"]
        assert "/FontFile2" in descriptor and "/ToUnicode" in font


def _placeholder_name() -> str:
    from publish.render.pdf._placeholder import font_key

    return f"PublishPlaceholder-{font_key(frozenset(UNCOVERED))}"


def _program(font: Any) -> TTFont:
    descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    return TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))


def test_embedded_subsets_keep_glyph_ids_and_outlines(pdf: Path) -> None:
    for name, file in (("FandolFang-Regular", FANG), ("LiberationSerif", LIBERATION)):
        text = "".join(run.text for line in LINES for run in line.runs if run.font == file)
        embedded = _program(_fonts(pdf)[name])
        original = TTFont(FONTS / file)
        glyphs = {original.getGlyphID(original.getBestCmap()[ord(c)]) for c in text}
        order = original.getGlyphOrder()
        ours, theirs = embedded["glyf"], original["glyf"]
        kept = set()
        for gid in range(embedded["maxp"].numGlyphs):
            glyph = ours[embedded.getGlyphOrder()[gid]]
            if glyph.numberOfContours:
                kept.add(gid)
                assert glyph.compile(ours) == theirs[order[gid]].compile(theirs), (name, gid)
                assert embedded["hmtx"][embedded.getGlyphOrder()[gid]][0] == original["hmtx"][order[gid]][0]
        components = {
            original.getGlyphID(c.glyphName)
            for g in glyphs
            if theirs[order[g]].isComposite()
            for c in theirs[order[g]].components
        }
        assert kept == {g for g in glyphs | components | {0} if theirs[order[g]].numberOfContours}
        if name == "LiberationSerif":
            assert components, "the Latin line has composite glyphs"


@pytest.mark.parametrize("name", [FANG, LIBERATION, NOTO])
def test_subset_is_a_valid_font(name: str) -> None:
    face = Face.open(FONTS / name)
    glyphs = [face.glyph(c) for c in BODY + LATIN + ASTRAL]
    data = subset(face.tables, glyphs)
    words = memoryview(data + bytes(-len(data) % 4)).cast("I")
    total = sum(int.from_bytes(words[i : i + 1].tobytes(), "big") for i in range(len(words))) & 0xFFFFFFFF
    assert total == 0xB1B0AFBA  # head.checkSumAdjustment makes the file's checksum the magic number
    font = TTFont(io.BytesIO(data), checkChecksums=2)  # every table's checksum holds, or fontTools raises
    count = font["maxp"].numGlyphs  # up to the last kept glyph (a composite's component may come after)
    assert count == font["hhea"].numberOfHMetrics and count > max(glyphs)
    assert font["glyf"][font.getGlyphOrder()[count - 1]].numberOfContours
    assert font["head"].indexToLocFormat == 1 and font["post"].formatType == 3.0
    font.saveXML(io.StringIO())  # every table decompiles


def test_descriptor_values_are_reportlabs() -> None:
    for path in sorted(FONTS.glob("*.ttf")):
        ours, theirs = Face.open(path).metrics, TTFontFace(str(path))
        assert ours.name == theirs.name.decode("latin-1")
        assert (ours.ascent, ours.descent, ours.cap_height, list(ours.bbox)) == (
            theirs.ascent,
            theirs.descent,
            theirs.capHeight,
            theirs.bbox,
        ), path.name
        assert (ours.flags, ours.stem_v, ours.italic_angle) == (
            theirs.flags,
            theirs.stemV,
            theirs.italicAngle,
        )


def test_glyphs_and_advances_are_the_ones_the_layout_measured() -> None:
    for path in sorted(FONTS.glob("*.ttf")):
        reference = TTFont(path, lazy=True)
        face, resolved, cmap = Face.open(path), ResolvedFont.open(path), reference.getBestCmap()
        for char in BODY + LATIN + ASTRAL + "\u00a0·":
            if resolved.has(char):
                glyph = face.glyph(char)
                assert glyph == reference.getGlyphID(cmap[ord(char)])
                assert face.width(glyph) == pytest.approx(resolved.advance(char) * 1000)


def test_the_pdf_and_the_layout_share_one_cmap_per_font_file(monkeypatch: pytest.MonkeyPatch) -> None:
    # one parsed cmap per distinct table in the process (among the last SHARED_CMAPS parsed): the PDF's glyph
    # lookups reuse the layout's. Fresh caches: earlier tests' fonts may have pushed these tables out
    monkeypatch.setattr(sfnt, "_shared", {})
    monkeypatch.setattr(fonts, "_CACHE", {})
    for name in (FANG, NOTO, LIBERATION):
        face, resolved = Face.open(FONTS / name), ResolvedFont.open(FONTS / name)
        assert face._cmap is resolved._tables.cmap
    assert Face.open(FONTS / FANG)._cmap is not Face.open(FONTS / NOTO)._cmap


def test_a_build_searches_each_cmap_once_per_code(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # measuring (pick's has(), then advance()) and the PDF's encoding ask for the same glyphs: the shared,
    # remembering cmap (sfnt.unicode_cmap) bisects each code once per cmap table in the whole build
    from publish import pipeline
    from publish.errors import Diagnostics
    from publish.render.pdf import _fonts

    for module, cache in ((sfnt, "_shared"), (fonts, "_CACHE"), (_fonts, "_faces")):
        monkeypatch.setattr(module, cache, {})
    searched: dict[tuple[bytes, int], int] = {}
    original = sfnt.Cmap.segment

    def segment(self: sfnt.Cmap, code: int) -> int:
        key = (self.starts.tobytes() + self.ends.tobytes(), code)  # the table, whichever object reads it
        searched[key] = searched.get(key, 0) + 1
        return original(self, code)

    monkeypatch.setattr(sfnt.Cmap, "segment", segment)
    sample = ROOT / "content" / "booklet.md"
    _, _, font_set, plan = pipeline.layout(sample, pipeline.BuildOptions(), Diagnostics())
    render(plan, font_set, tmp_path / "booklet.pdf")
    assert len(searched) > 500  # the sample's characters, in the fonts tried for them
    assert max(searched.values()) == 1


def _content(path: Path, index: int) -> bytes:
    contents = PdfReader(path).pages[index].get_contents()
    assert contents is not None
    return bytes(contents.get_data())


def test_a_page_stream_depends_on_its_own_page_only(tmp_path: Path) -> None:
    other = (
        _line(100.0, ("另一页的文字：全新的字符集合，鑫淼焱。", FANG)),
        _line(140.0, (LATIN[::-1], LIBERATION)),
    )
    render(_plan(LINES), BundledFonts(), tmp_path / "alone.pdf")
    render(_plan(other, LINES), BundledFonts(), tmp_path / "after.pdf")
    assert _content(tmp_path / "alone.pdf", 0) == _content(tmp_path / "after.pdf", 1)
    assert _content(tmp_path / "after.pdf", 0) != _content(tmp_path / "after.pdf", 1)


def test_text_extracts_as_the_original_characters(pdf: Path) -> None:
    with pdfplumber.open(pdf) as opened:
        assert opened.pages[0].extract_text().splitlines() == TEXTS
    page = pdfium.PdfDocument(pdf)[0]
    assert page.get_textpage().get_text_range().replace("\r\n", "\n").splitlines() == TEXTS


@POPPLER
def test_poppler_reads_the_fonts_and_the_text(pdf: Path) -> None:
    rows = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    kinds = [row.split()[1:6] for row in rows.splitlines()[2:]]
    assert kinds == [["CID", "TrueType", "Identity-H", "yes", "yes"]] * 4, rows
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert [line for line in text.splitlines() if line.strip()] == TEXTS


def test_the_to_unicode_map_writes_ranges_and_surrogate_pairs() -> None:
    cmap = to_unicode({3: "一", 4: "丁", 5: "丂", 9: ASTRAL, 10: "A"})
    assert "<0003> <0005> <4E00>" in cmap  # consecutive IDs and code points: one range
    assert "<0009> <D840DD64>" in cmap and "<000A> <0041>" in cmap
    assert "3 beginbfchar" not in cmap and "2 beginbfchar" in cmap and "1 beginbfrange" in cmap


def test_a_glyph_two_characters_share_copies_out_as_one_of_them() -> None:
    face = Face.open(FONTS / FANG)  # one glyph for · (U+00B7), • and ・, and one for space and NBSP
    assert face.glyph("·") == face.glyph("•") and face.glyph(" ") == face.glyph("\u00a0")
    assert glyph_chars(face, "•") == {face.glyph("•"): "•"}  # alone: itself
    assert glyph_chars(face, "•・·") == {face.glyph("•"): "·"}  # the lowest code point, whatever the order
    assert glyph_chars(face, "\u00a0 ") == {face.glyph(" "): " "}


def test_font_streams_are_compressed_and_sized(pdf: Path) -> None:
    font = _fonts(pdf)["FandolFang-Regular"]
    descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
    stream = descriptor["/FontFile2"].get_object()
    assert stream["/Filter"] in ("/FlateDecode", ["/FlateDecode"])
    assert stream["/Length1"] == len(zlib.decompress(stream._data))


def test_the_placeholder_font_is_a_valid_font_with_a_box_per_character() -> None:
    from publish.render.pdf._placeholder import build, font_key

    chars = frozenset("\U000f0001\ue123\U0010fffdA")
    font = TTFont(io.BytesIO(build(chars)), checkChecksums=2)
    font.saveXML(io.StringIO())  # every table decompiles
    cmap = font.getBestCmap()
    assert sorted(cmap) == sorted(map(ord, chars))
    assert [font.getGlyphID(cmap[c]) for c in sorted(cmap)] == [1, 2, 3, 4]  # one glyph each, in order
    glyf = font["glyf"]
    for name in font.getGlyphOrder():
        assert glyf[name].numberOfContours == 2 and font["hmtx"][name][0] == 1000  # an em-wide box
    assert font["name"].getDebugName(6) == f"PublishPlaceholder-{font_key(chars)}"


SHARED = (  # FandolFang draws ·, • and ・ with one glyph
    _line(100.0, ("马克思·恩格斯", FANG)),
    _line(140.0, ("要点•第一", FANG)),
    _line(180.0, ("中点・日本", FANG)),
)


@pytest.fixture(scope="module")
def shared_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("shared") / "shared.pdf"
    render(_plan(SHARED), BundledFonts(), path)
    return path


def test_characters_sharing_a_glyph_copy_out_as_themselves(shared_pdf: Path, tmp_path: Path) -> None:
    content = _content(shared_pdf, 0)
    assert content.count(b"/ActualText") == 2  # • and ・: the glyph's ToUnicode entry gives ·
    page = pdfium.PdfDocument(shared_pdf)[0]
    assert page.get_textpage().get_text_range().splitlines() == [line.text for line in SHARED]
    alone = tmp_path / "alone.pdf"
    render(_plan(SHARED[1:2]), BundledFonts(), alone)
    assert b"/ActualText" not in _content(alone, 0)  # • alone is the glyph's own character


@POPPLER
def test_poppler_copies_characters_sharing_a_glyph_out_as_themselves(shared_pdf: Path) -> None:
    text = subprocess.run(["pdftotext", str(shared_pdf), "-"], check=True, capture_output=True, text=True)
    assert [line for line in text.stdout.splitlines() if line.strip()] == [line.text for line in SHARED]


def test_a_reused_page_is_marked_when_another_page_brings_a_character_of_its_glyph(tmp_path: Path) -> None:
    first, second = _plan(SHARED[1:2], (LINES[0],)), _plan(SHARED[1:2], SHARED[:1])
    (tmp_path / "out").mkdir()
    render(first, BundledFonts(), tmp_path / "out" / "booklet.pdf", reuse=True)
    render(second, BundledFonts(), tmp_path / "out" / "booklet.pdf", reuse=True)
    render(second, BundledFonts(), tmp_path / "fresh.pdf")
    assert (tmp_path / "out" / "booklet.pdf").read_bytes() == (tmp_path / "fresh.pdf").read_bytes()
    assert b"/ActualText" in _content(tmp_path / "fresh.pdf", 0)
