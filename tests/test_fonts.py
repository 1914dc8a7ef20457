"""Tests of publish.fonts: the shipped set's coverage and provenance, and error paths on tiny built fonts."""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont

from publish import fonts as fonts_module
from publish.data.charsets import gb2312_chars, gbk_chars, latin_chars, tgh8105_chars
from publish.errors import FontError, Severity
from publish.fonts import (
    CHAR_CLASSES,
    FontSet,
    ResolvedFont,
    char_class,
    describe,
    faces,
    fonts_dir,
    needs_glyph,
)
from publish.layout.gbt9704 import FONT_CHAINS, FONT_CLASS_CHAINS

SAMPLE = Path(__file__).resolve().parents[1] / "content" / "speeches-raw.txt"
# Characters of the Latin/punctuation set that no source package has (fonts/README.md, "Coverage").
UNCOVERED = {"\u2017", "\u2023", "\u2038"}  # ‗ ‣ ‸


@pytest.fixture(scope="module")
def shipped() -> FontSet:
    return FontSet.load(FONT_CHAINS, classes=FONT_CLASS_CHAINS)


# --- tiny fonts ---------------------------------------------------------------------------------------------


def _square(pen: Any, width: int) -> None:
    pen.moveTo((50, 0))
    pen.lineTo((50, 700))
    pen.lineTo((width - 50, 700))
    pen.lineTo((width - 50, 0))
    pen.closePath()


def build_tiny(path: Path, chars: dict[str, int], *, cff: bool = False, name: str = "Tiny") -> Path:
    """Write a font mapping each char of ``chars`` to a square glyph of the given advance (1000 units/em)."""
    order = [".notdef", *(f"g{ord(ch):04X}" for ch in chars)]
    advances = {".notdef": 500, **{f"g{ord(ch):04X}": width for ch, width in chars.items()}}
    builder = FontBuilder(1000, isTTF=not cff)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap({ord(ch): f"g{ord(ch):04X}" for ch in chars})
    if cff:
        strings = {}
        for glyph in order:
            pen = T2CharStringPen(advances[glyph], None)
            _square(pen, advances[glyph])
            strings[glyph] = pen.getCharString()
        builder.setupCFF(f"{name}-Regular", {"FullName": name}, strings, {})
    else:
        glyphs = {}
        for glyph in order:
            pen = TTGlyphPen(None)
            _square(pen, advances[glyph])
            glyphs[glyph] = pen.glyph()
        builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics({glyph: (advances[glyph], 50) for glyph in order})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    builder.setupNameTable(
        {
            "familyName": name,
            "styleName": "Regular",
            "psName": f"{name}-Regular",
            "licenseDescription": "Licensed under the SIL Open Font License, Version 1.1.",
        }
    )
    builder.setupOS2()
    builder.setupPost()
    builder.save(str(path))
    return path


@pytest.fixture
def tiny_dir(tmp_path: Path) -> Path:
    build_tiny(tmp_path / "A.ttf", {"A": 500, "中": 1000, " ": 250}, name="TinyA")
    build_tiny(tmp_path / "B.ttf", {"B": 600, "文": 1000, "中": 900}, name="TinyB")
    build_tiny(tmp_path / "C.otf", {"A": 500}, cff=True, name="TinyC")
    return tmp_path


# --- shipped set: coverage ---------------------------------------------------------------------------


def test_charsets_have_their_documented_sizes() -> None:
    assert len(gbk_chars()) == len(set(gbk_chars())) == 21872
    assert len(gb2312_chars(range(0xB0, 0xF8))) == 6763
    assert len(gb2312_chars(range(0xA1, 0xAA))) == 682
    chars = tgh8105_chars()
    assert len(chars) == len(set(chars)) == 8105
    assert chars[:3] == "一乙二"
    assert "濛" in gbk_chars() and "濛" not in chars


@pytest.mark.parametrize("role", sorted(FONT_CHAINS))
def test_every_chain_covers_gbk_8105_and_latin(shipped: FontSet, role: str) -> None:
    wanted = set(gbk_chars()) | set(tgh8105_chars()) | set(latin_chars()) | {"濛"}
    lacking = {ch for ch in wanted if needs_glyph(ch) and shipped.pick(role, ch) is None}
    assert lacking == UNCOVERED


def test_sample_has_no_missing_characters_and_reports_fallbacks(shipped: FontSet) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    report = shipped.coverage(text, path=str(SAMPLE))
    assert report.missing == ()
    assert report.diagnostics() == []
    body = [use for use in report.fallback if use.role == "fangsong"]
    assert {use.char for use in body} == {"濛"}
    assert [(use.line, use.column, use.font) for use in body] == [
        (9, 13, "ZhuqueFangsong-fallback.ttf"),
        (9, 14, "ZhuqueFangsong-fallback.ttf"),
    ]
    assert text.split("\n")[8][12:14] == "濛濛"
    heiti = {use.font for use in report.fallback if use.role == "heiti"}
    assert heiti == {"NotoSansCJKsc-Medium-fallback.ttf"}
    assert not [use for use in report.fallback if use.role == "xiaobiaosong"]


def _picked(fonts: FontSet, role: str, ch: str) -> str:
    font = fonts.pick(role, ch)
    assert font is not None, (role, ch)
    return font.name


def test_fallbacks_match_the_role(shipped: FontSet) -> None:
    assert _picked(shipped, "fangsong", "堃") == "ZhuqueFangsong-fallback.ttf"
    assert _picked(shipped, "kaiti", "堃") == "WenKaiGBLite-fallback.ttf"
    assert _picked(shipped, "heiti", "堃") == "NotoSansCJKsc-Medium-fallback.ttf"
    assert _picked(shipped, "xiaobiaosong", "堃") == "NotoSerifCJKsc-Black.ttf"
    assert _picked(shipped, "songti", "1") == "LiberationSerif-Regular.ttf"  # the class chain's
    assert _picked(shipped, "songti", "\u2014") == "FandolSong-Regular.ttf"
    assert _picked(shipped, "songti", "中") == "NotoSerifCJKsc-Light-fallback.ttf"
    assert _picked(shipped, "fangsong", "鍾") == "NotoSerifCJKsc-Light-fallback.ttf"  # GBK-only


def test_shipped_metrics(shipped: FontSet) -> None:
    fang = shipped.font("FandolFang-Regular.ttf")
    assert fang.advance("中") == 1.0
    assert fang.advance("\u2014") == 1.0  # the 一字线 of the page number (fonts.md §2)
    assert shipped.font("FandolSong-Regular.ttf").advance("1") == 0.5
    assert fang.units_per_em == 1000
    with pytest.raises(KeyError):
        fang.advance("濛")


@pytest.mark.parametrize("name", ["FandolFang-Regular.ttf", "NotoSansCJKsc-Medium-fallback.ttf"])
def test_cmap_reader_agrees_with_fonttools(shipped: FontSet, name: str) -> None:
    font = shipped.font(name)  # FandolFang has only a format 4 cmap, the Noto fallback format 12 as well
    reference = TTFont(font.path, lazy=True)
    cmap, order, hmtx = reference.getBestCmap(), reference.getGlyphOrder(), reference["hmtx"]
    assert {code for code in range(0x30000) if font.has(chr(code))} == set(cmap)
    for code, glyph in list(cmap.items())[::97]:
        assert font.advance(chr(code)) == hmtx[glyph][0] / 1000, hex(code)
    assert font.glyph_count == len(order)


def test_shipped_names_and_licences(shipped: FontSet) -> None:
    rows = describe(shipped)
    assert {row["role"] for row in rows} == set(FONT_CHAINS)
    by_file = {row["file"]: row for row in rows}
    assert by_file["FandolFang-Regular.ttf"]["family"] == "FandolFang"
    assert by_file["FandolFang-Regular.ttf"]["licence"] == "GPL-3.0-with-font-exception"
    assert by_file["WenKaiGBLite-fallback.ttf"]["family"] == "WenKai GB Lite Fallback"
    assert by_file["ZhuqueFangsong-fallback.ttf"]["family"] == "Zhuque Fangsong"
    assert all(len(str(row["family"])) < 32 for row in rows)  # Word's font name limit
    for row in rows:
        expected = "GPL-3.0-with-font-exception" if str(row["file"]).startswith("Fandol") else "OFL-1.1"
        assert row["licence"] == expected
    assert [row["position"] for row in rows if row["role"] == "heiti"] == [0, 1, 2, 3]


# --- shipped set: provenance -------------------------------------------------------------------------


def test_readme_lists_the_sha256_of_every_font() -> None:
    folder = fonts_dir()
    readme = (folder / "README.md").read_text(encoding="utf-8")
    listed = dict(
        re.findall(r"^### `([^`]+\.ttf)`.*?\| file sha256 \| `([0-9a-f]{64})` \|", readme, re.M | re.S)
    )
    files = sorted(path.name for path in folder.glob("*.ttf"))
    assert sorted(listed) == files
    for name in files:
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == listed[name], name


def test_licence_files_are_shipped() -> None:
    folder = fonts_dir()
    ofl = (folder / "OFL-1.1.txt").read_text(encoding="utf-8")
    assert "SIL OPEN FONT LICENSE" in ofl and "Copyright 2023 JadeFoci" in ofl
    gpl = (folder / "GPL-3.0-with-font-exception.txt").read_text(encoding="utf-8")
    assert "GNU GENERAL PUBLIC LICENSE" in gpl and "As a special exception" in gpl


def test_every_chain_file_exists_and_is_listed() -> None:
    shipped_files = {path.name for path in fonts_dir().glob("*.ttf")}
    in_classes = {name for by in FONT_CLASS_CHAINS.values() for files in by.values() for name in files}
    assert {name for chain in FONT_CHAINS.values() for name in chain} | in_classes == shipped_files


# --- tiny fonts: behaviour and errors ----------------------------------------------------------------


def test_pick_runs_and_advances(tiny_dir: Path) -> None:
    fonts = FontSet.load({"body": ["A.ttf", "B.ttf"]}, tiny_dir)
    a, b = fonts.chain("body")
    assert fonts.roles == ("body",)
    assert (a.family, a.psname, a.glyph_count, a.licence) == ("TinyA", "TinyA-Regular", 4, "OFL-1.1")
    assert fonts.pick("body", "中") is a and fonts.pick("body", "文") is b and fonts.pick("body", "X") is None
    assert fonts.runs("body", "A中B文X\n") == [(a, "A中"), (b, "B文"), (None, "X\n")]
    assert fonts.runs("body", "\tA A\n") == [(a, "\tA A\n")]
    assert fonts.runs("body", "\n\n") == [(a, "\n\n")]
    assert fonts.runs("body", "") == []
    assert a.advance("A") == 0.5 and a.advance("中") == 1.0 and b.advance("中") == 0.9
    assert a.has("A") and not a.has("B")
    with pytest.raises(KeyError):
        a.advance("B")


def test_coverage_reports_fallback_and_missing_with_positions(tiny_dir: Path) -> None:
    fonts = FontSet.load({"body": ["A.ttf", "B.ttf"], "title": ["B.ttf"]}, tiny_dir)
    report = fonts.coverage("A中\n文X \u3000\t", path="speech.txt")
    assert [(u.char, u.role, u.font, u.line, u.column) for u in report.fallback] == [
        ("文", "body", "B.ttf", 2, 1)
    ]
    assert [(u.char, u.role, u.font, u.line, u.column) for u in report.missing] == [
        ("X", "body", "", 2, 2),
        ("\u3000", "body", "", 2, 4),
        ("A", "title", "", 1, 1),
        ("X", "title", "", 2, 2),
        ("\u3000", "title", "", 2, 4),
    ]
    (first, second) = report.diagnostics()
    assert first.severity is Severity.WARNING and first.code == "font-missing"
    assert "X\u3000" in first.message and str(first.location) == "speech.txt:2:2"
    assert second.message.endswith("AX\u3000")
    only_body = fonts.coverage("X", roles=["body"])
    assert [u.role for u in only_body.missing] == ["body"]


def test_cff_font_is_refused_with_a_hint(tiny_dir: Path) -> None:
    with pytest.raises(FontError) as caught:
        FontSet.load({"body": ["C.otf"]}, tiny_dir)
    assert "CFF" in str(caught.value) and "TrueType" in caught.value.hint


def test_font_collection_is_refused(tiny_dir: Path) -> None:
    collection = TTCollection()
    collection.fonts = [TTFont(tiny_dir / "A.ttf"), TTFont(tiny_dir / "B.ttf")]
    collection.save(tiny_dir / "AB.ttc")
    with pytest.raises(FontError, match="collection"):
        FontSet.load({"body": ["AB.ttc"]}, tiny_dir)


def test_missing_unreadable_and_empty(tiny_dir: Path) -> None:
    with pytest.raises(FontError, match="not found") as caught:
        FontSet.load({"body": ["A.ttf", "Nope.ttf"]}, tiny_dir)
    assert "PUBLISH_FONTS_DIR" in caught.value.hint
    (tiny_dir / "junk.ttf").write_bytes(b"not a font at all" * 10)
    with pytest.raises(FontError, match="cannot be read") as caught:
        FontSet.load({"body": ["junk.ttf"]}, tiny_dir)
    assert caught.value.hint
    with pytest.raises(FontError, match="no fonts"):
        FontSet.load({"body": []}, tiny_dir)


def test_loading_is_cached(tiny_dir: Path) -> None:
    first = ResolvedFont.open(tiny_dir / "A.ttf")
    second = ResolvedFont.open(tiny_dir / "A.ttf")
    assert first == second and first._tables is second._tables


def test_fonts_dir_honours_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PUBLISH_FONTS_DIR", str(tmp_path))
    assert fonts_dir() == tmp_path
    monkeypatch.delenv("PUBLISH_FONTS_DIR")
    assert fonts_dir() == Path(fonts_module.__file__).resolve().parents[2] / "fonts"


def test_needs_glyph() -> None:
    assert (
        not needs_glyph("\n") and not needs_glyph("\t") and not needs_glyph(" ") and not needs_glyph("\u200b")
    )
    assert needs_glyph("\u3000") and needs_glyph("中") and needs_glyph("，")


# --- character classes and class chains --------------------------------------------------------------------


def test_char_classes_follow_word_for_ascii() -> None:
    # every ASCII character but the digits is Latin: Word sets all of U+0000–007F from the ascii font
    assert {char_class(chr(c)) for c in range(0x20, 0x7F)} == {"latin", "digit"}
    assert "".join(ch for ch in map(chr, range(0x20, 0x7F)) if char_class(ch) == "digit") == "0123456789"
    assert [char_class(ch) for ch in "āéǐòǖÀñ"] == ["latin"] * 7  # pinyin and Latin-1 letters
    assert [char_class(ch) for ch in "，。、“”‘’—…·《》（）！？：；〔〕"] == ["punct"] * 20
    assert [char_class(ch) for ch in "中𠀀濛"] == ["han"] * 3
    assert [char_class(ch) for ch in "①Ⅰ×°１Ａα"] == ["other"] * 7  # full-width forms stay CJK-styled
    assert set(CHAR_CLASSES) == {"han", "punct", "latin", "digit", "other"}


def test_char_classes_by_bisection_agree_with_the_ranges() -> None:
    # char_class bisects the han and punct ranges: at and next to every bound it says what they say
    han, punct = fonts_module._HAN_RANGES, fonts_module._PUNCT_RANGES
    edges = {c + d for low, high in (*han, *punct) for c in (low, high) for d in (-1, 0, 1)}
    for code in sorted(edges | set(range(0x2000, 0x3100))):
        ch = chr(code)
        if any(low <= code <= high for low, high in han):
            assert char_class(ch) == "han", hex(code)
        elif any(low <= code <= high for low, high in punct):
            assert char_class(ch) == "punct", hex(code)
        else:
            assert char_class(ch) in ("latin", "digit", "other"), hex(code)


def test_name_table_decodes_the_wanted_records_alike(shipped: FontSet) -> None:
    from publish.sfnt import Sfnt, names

    for font in (shipped.font("FandolFang-Regular.ttf"), shipped.font("LiberationSerif-Regular.ttf")):
        table = Sfnt(font.path).read(["name"])["name"]
        every = names(table)
        assert names(table, {1, 6, 99}) == {1: every[1], 6: every[6]}
        assert every[1] == font.family and every[6] == font.psname


def test_class_chain_is_tried_before_the_role_chain(tiny_dir: Path) -> None:
    fonts = FontSet.load({"body": ["A.ttf", "B.ttf"]}, tiny_dir, classes={"body": {"latin": ["B.ttf"]}})
    a, b = fonts.chain("body")
    assert fonts.class_chain("body", "latin") == (b,) and fonts.class_chain("body", "han") == ()
    assert fonts.font("B.ttf") is b  # one object per file: runs merge neighbours
    # B has "B" but not "A": the class chain falls through to the role chain for what it lacks
    assert fonts.pick("body", "B") is b and fonts.pick("body", "A") is a and fonts.pick("body", "中") is a
    assert fonts.runs("body", "中BB中") == [(a, "中"), (b, "BB"), (a, "中")]
    assert fonts.first("body", "B") is b and fonts.first("body", "中") is a
    # set by its class chain's font, B is no fallback; A, which that chain lacks, is reported as one
    report = fonts.coverage("AB中")
    assert [(u.char, u.font) for u in report.fallback] == [("A", "A.ttf")]


def test_shipped_faces_per_class(shipped: FontSet) -> None:
    rows = {(row["role"], row["class"]): row for row in faces(shipped)}
    assert len(rows) == len(FONT_CHAINS) * len(CHAR_CLASSES)
    for role in ("fangsong", "kaiti", "songti"):  # body faces: one Times-metric serif for Latin and digits
        assert rows[role, "latin"]["family"] == rows[role, "digit"]["family"] == "Liberation Serif"
        assert rows[role, "han"]["file"] == FONT_CHAINS[role][0] or role == "songti"
    for name in ("punct", "latin", "digit"):  # 黑体: marks of matching weight
        assert rows["heiti", name]["file"] == "NotoSansCJKsc-Medium-fallback.ttf"
    assert rows["heiti", "han"]["file"] == "FandolHei-Regular.ttf"
    assert {rows["xiaobiaosong", name]["file"] for name in CHAR_CLASSES} == {"NotoSerifCJKsc-Black.ttf"}
    assert rows["fangsong", "latin"]["chain"][:2] == ["LiberationSerif-Regular.ttf", "FandolFang-Regular.ttf"]
    assert rows["fangsong", "latin"]["class_chain"] == ["LiberationSerif-Regular.ttf"]
    assert rows["fangsong", "han"]["class_chain"] == []
    liberation = shipped.font("LiberationSerif-Regular.ttf")
    assert (liberation.licence, liberation.units_per_em) == ("OFL-1.1", 2048)
    assert liberation.advance("0") == 0.5 and liberation.advance("A") == pytest.approx(1479 / 2048)


def test_heiti_marks_cover_the_punctuation_and_latin_set(shipped: FontSet) -> None:
    marks = shipped.font("NotoSansCJKsc-Medium-fallback.ttf")
    wanted = [ch for ch in latin_chars() if char_class(ch) in ("punct", "latin", "digit") and needs_glyph(ch)]
    lacking = {ch for ch in wanted if not marks.has(ch)}
    # what no Noto face has (fonts/README.md, "Last resort"): those fall through to the role's chain
    assert len(wanted) > 300 and lacking == UNCOVERED | set("‛‟‱‴‶‷․"), sorted(lacking)


def test_the_preparation_script_builds_the_chains_the_spec_uses(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    path = Path(__file__).resolve().parents[1] / "tools" / "prepare_fonts.py"
    spec = importlib.util.spec_from_file_location("prepare_fonts", path)
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "prepare_fonts", script)  # its dataclasses look their module up
    spec.loader.exec_module(script)
    assert {role: tuple(f for f, _ in chain) for role, chain in script.CHAINS.items()} == FONT_CHAINS
    classes = {
        role: {name: tuple(f for f, _ in files) for name, files in by.items()}
        for role, by in script.CLASS_CHAINS.items()
    }
    assert classes == FONT_CLASS_CHAINS
    assert {out.file for out in script.OUTPUTS} == {path.name for path in fonts_dir().glob("*.ttf")}


def test_a_font_set_pickles_as_its_files_and_answers_the_same(shipped: FontSet) -> None:
    import pickle

    for ch in map(chr, range(0x4E00, 0x9FA6)):  # a long memory of picks, which is not pickled
        shipped.pick(shipped.roles[0], ch)
    data = pickle.dumps(shipped, pickle.HIGHEST_PROTOCOL)
    assert len(data) < 20_000  # paths, names and chains: the parsed tables are read again where unpickled
    back = pickle.loads(data)
    assert back.roles == shipped.roles
    for role in shipped.roles:
        for ch in "汇编，AZ09“𠀀\u3000":
            mine, theirs = back.pick(role, ch), shipped.pick(role, ch)
            assert (mine and mine.name) == (theirs and theirs.name), (role, ch)
            if theirs is not None:
                assert mine is not None and mine.advance(ch) == theirs.advance(ch)
                assert (mine.path, mine.family, mine.psname) == (theirs.path, theirs.family, theirs.psname)
