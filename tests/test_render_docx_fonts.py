"""The DOCX renderer's fonts: East Asian names on every style and run, no theme fonts, standard names by
role, fallback runs, embedded obfuscated subsets in portable mode, Latin and digits at their own width."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from publish.fonts import char_class
from publish.layout.spec import default_spec
from publish.model import Paragraph
from publish.render.docx.oxml import parts as fx
from support import docx_norm as dn
from support.docx_build import (
    Sample,
    plan_of,
    render_docx,
    small_booklet,
)

W = dn.w
FONTS = Path(__file__).resolve().parents[1] / "fonts"


@pytest.mark.parametrize("mode", ["standard", "portable"])
def test_no_theme_font_attributes_anywhere(mode: str, standard: bytes, portable: bytes) -> None:
    docx = standard if mode == "standard" else portable
    found = [
        (name, dn.local(attr))
        for name, root in dn.xml_parts(docx).items()
        for node in root.iter()
        for attr in node.attrib
        if dn.local(attr).lower().endswith("theme")
    ]
    assert found == []


def test_east_asia_fonts_on_every_style_and_run(standard: bytes) -> None:
    styles = dn.xml(standard, "word/styles.xml")
    default = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:rFonts", dn.NS)
    assert default is not None and default.get(W("eastAsia")) == "仿宋_GB2312"
    for style in styles.iterfind("w:style", dn.NS):
        fonts = style.find("w:rPr/w:rFonts", dn.NS)
        if style.get(W("type")) == "character" and fonts is None:
            continue  # the Lead style in the body's face: the paragraph style's font
        assert fonts is not None and fonts.get(W("eastAsia")), style.get(W("styleId"))
        assert fonts.get(W("ascii")) == fonts.get(W("eastAsia")) == fonts.get(W("hAnsi"))
    by_id = {s.get(W("styleId")): s for s in styles.iterfind("w:style", dn.NS)}
    named = 0
    for name in ("word/document.xml", "word/footer1.xml", "word/footer2.xml"):
        for p in dn.xml(standard, name).iter(W("p")):
            style_id = p.find("w:pPr/w:pStyle", dn.NS)
            style = by_id[style_id.get(W("val"))] if style_id is not None else None
            own = style.find("w:rPr/w:rFonts", dn.NS).get(W("eastAsia")) if style is not None else None
            for r in p.iter(W("r")):
                fonts = r.find("w:rPr/w:rFonts", dn.NS)
                direct = fonts.get(W("eastAsia")) if fonts is not None else None
                assert direct or own, name  # every run resolves to a named East Asian font
                assert direct != own, (name, direct)  # and names one only where it differs from its style
                if direct == "Times New Roman":  # Latin and digits: all four slots name the one serif
                    text = "".join(t.text or "" for t in r.iterfind("w:t", dn.NS)) or "0"
                    assert {fonts.get(W(slot)) for slot in ("ascii", "hAnsi", "cs")} == {direct}
                    assert all(char_class(c) in ("latin", "digit") for c in text), text
                else:
                    named += direct is not None
    assert named < 10  # the sample's other runs follow their styles (a user's change to a style shows)


def test_standard_names_by_role(standard: bytes) -> None:
    styles = {s.get(W("styleId")): s for s in dn.xml(standard, "word/styles.xml").iterfind("w:style", dn.NS)}

    def font(style_id: str) -> str:
        return str(styles[style_id].find("w:rPr/w:rFonts", dn.NS).get(W("eastAsia")))

    assert font("Heading1") == "方正小标宋简体"  # speech titles
    assert font("Normal") == font("Heading4") == font("Heading5") == "仿宋_GB2312"
    assert font("Heading2") == "黑体"  # 一、
    assert font("Heading3") == "楷体_GB2312"  # （一）
    assert font("Footer") == "宋体"
    table = dn.xml(standard, "word/fontTable.xml")
    names = {f.get(W("name")) for f in table.iterfind("w:font", dn.NS)}
    assert {"方正小标宋简体", "仿宋_GB2312", "宋体"} <= names
    assert table.find("w:font/w:embedRegular", dn.NS) is None
    assert not any(n.startswith("word/fonts/") for n in dn.parts(standard))


def test_hint_on_runs_with_shared_punctuation(tmp_path: Path) -> None:
    spec = default_spec()
    fonts, laid_out = plan_of(small_booklet(1), spec)
    docx = render_docx(laid_out, fonts, tmp_path)
    runs = list(dn.xml(docx, "word/document.xml").iter(W("r")))
    for r in runs:
        text = "".join(t.text or "" for t in r.iterfind("w:t", dn.NS))
        hint = r.find("w:rPr/w:rFonts", dn.NS)
        if any(c in text for c in "“”‘’—…·"):
            assert hint.get(W("hint")) == "eastAsia", text
        elif text.isascii() and text:
            assert hint is None or hint.get(W("hint")) is None


@pytest.mark.parametrize("mode,expected", [("standard", "仿宋_GB2312"), ("portable", "Zhuque Fangsong")])
def test_fallback_font_runs(mode: str, expected: str, tmp_path: Path) -> None:
    spec = default_spec()
    fonts, laid_out = plan_of(small_booklet(1), spec)
    docx = render_docx(laid_out, fonts, tmp_path, mode)
    for r in dn.xml(docx, "word/document.xml").iter(W("r")):
        text = "".join(t.text or "" for t in r.iterfind("w:t", dn.NS))
        if "堃" in text:
            fonts = r.find("w:rPr/w:rFonts", dn.NS)
            direct = fonts.get(W("eastAsia")) if fonts is not None else None
            # standard: the role's name, which the Normal style carries; portable: the fallback's family
            assert direct == (None if mode == "standard" else expected)
            # portable: the fallback's own run; standard: one name for the role, so one run with the 。
            assert text == {"standard": "堃喆赟。", "portable": "堃喆赟"}[mode]
            break
    else:
        pytest.fail("no run holds 堃")


def test_portable_fonts_embedded_obfuscated_and_loadable(portable: bytes, sample: Sample) -> None:
    _, _, laid_out = sample
    found = dn.parts(portable)
    rels = dn.xml(portable, "word/_rels/fontTable.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels}
    types = dn.xml(portable, "[Content_Types].xml")
    assert any(
        o.get("ContentType") == "application/vnd.openxmlformats-officedocument.obfuscatedFont" for o in types
    )
    text = "".join(line.text for page in laid_out.pages for line in page.lines)
    families: dict[str, set[int]] = {}
    for entry in dn.xml(portable, "word/fontTable.xml").iterfind("w:font", dn.NS):
        embed = entry.find("w:embedRegular", dn.NS)
        assert embed is not None, entry.get(W("name"))
        assert embed.get(W("subsetted")) == "1"
        key = embed.get(W("fontKey"))
        data = found["word/" + targets[embed.get(f"{{{dn.R}}}id")]]
        assert data[:4] not in (b"\x00\x01\x00\x00", b"true")  # really obfuscated
        plain = fx.obfuscate(data, key)
        font = TTFont(io.BytesIO(plain))
        assert font["name"].getDebugName(1) == entry.get(W("name"))
        assert len(font.getGlyphOrder()) >= 26 + 1  # printable ASCII is always kept
        families[entry.get(W("name"))] = set(font.getBestCmap())
        if any(0x4E00 <= c <= 0x9FFF for c in font.getBestCmap()):
            # Word picks a font for Chinese text by these bits: GB2312 (code page bit 18) and CJK Unified
            # Ideographs (Unicode range bit 59, in ulUnicodeRange2)
            os2 = font["OS/2"]
            assert os2.ulCodePageRange1 >> 18 & 1, entry.get(W("name"))
            assert os2.ulUnicodeRange2 >> (59 - 32) & 1, entry.get(W("name"))
    assert {"FandolFang", "FandolSong", "Noto Serif CJK SC Black", "Liberation Serif"} <= set(families)
    body_chars = {ord(c) for c in text if not c.isspace()}
    covered = set().union(*families.values())
    assert body_chars <= covered
    settings = dn.xml(portable, "word/settings.xml")
    assert settings.find("w:embedTrueTypeFonts", dn.NS) is not None
    assert settings.find("w:saveSubsetFonts", dn.NS) is not None


def test_obfuscation_key_round_trip() -> None:
    data = bytes(range(64))
    key = fx.font_key("X", data)
    assert len(key) == 38 and key.startswith("{") and key.count("-") == 4
    hidden = fx.obfuscate(data, key)
    assert hidden[32:] == data[32:] and hidden[:32] != data[:32]
    assert fx.obfuscate(hidden, key) == data
    # ECMA-376 §17.8.1: byte 0 is XORed with the GUID's last byte, byte 15 with its first.
    digits = key.strip("{}").replace("-", "")
    assert hidden[0] == data[0] ^ int(digits[-2:], 16) and hidden[15] == data[15] ^ int(digits[:2], 16)
    assert hidden[16] == data[16] ^ int(digits[-2:], 16)


def test_latin_and_digits_keep_their_own_width(standard: bytes) -> None:
    """The grid's −5 twips are for full-width characters; the plan sets Latin letters and digits at their own
    advance, so their runs say spacing 0 (and only theirs)."""
    runs = list(dn.xml(standard, "word/document.xml").find("w:body", dn.NS).iter(W("r")))
    natural = []
    for r in runs:
        text = "".join(t.text or "" for t in r.iterfind("w:t", dn.NS))
        spacing = r.find("w:rPr/w:spacing", dn.NS)
        if spacing is not None:
            assert spacing.get(W("val")) == "0" and text.isascii() and text, text
            natural.append(text)
        elif text and next(r.iterancestors(W("p"))).find("w:pPr/w:pStyle", dn.NS) is None:  # body text
            assert not any(c.isascii() and c.isalnum() for c in text), text
    assert {"1921", "100", "X", "2021"} <= set(natural)


@pytest.mark.parametrize("mode", ["standard", "portable"])
def test_font_table_describes_every_font(mode: str, standard: bytes, portable: bytes) -> None:
    # Word matches a missing font by charset, PANOSE and signature, and falls back to w:altName.
    docx = standard if mode == "standard" else portable
    entries = {e.get(W("name")): e for e in dn.xml(docx, "word/fontTable.xml").iterfind("w:font", dn.NS)}
    assert entries
    serif = "Times New Roman" if mode == "standard" else "Liberation Serif"
    assert serif in entries
    for name, entry in entries.items():
        panose = entry.find("w:panose1", dn.NS).get(W("val"))
        assert len(panose) == 20 and int(panose, 16) >= 0, name
        sig = entry.find("w:sig", dn.NS)
        kind = (entry.find("w:charset", dn.NS).get(W("val")), entry.find("w:family", dn.NS).get(W("val")))
        if (
            name == serif
        ):  # the Latin serif: described as Times New Roman is (ANSI, roman, Liberation's PANOSE)
            assert kind == ("00", "roman") and panose.startswith("0202"), name
            assert not int(sig.get(W("csb0")), 16) >> 18 & 1, name
            continue
        assert kind == ("86", "modern"), name
        assert int(sig.get(W("csb0")), 16) >> 18 & 1, name  # GB2312
        assert int(sig.get(W("usb1")), 16) >> (59 - 32) & 1, name  # CJK Unified Ideographs
    if mode == "standard":
        alt = {n: e.find("w:altName", dn.NS) for n, e in entries.items()}
        assert alt["仿宋_GB2312"].get(W("val")) == "仿宋" and alt["楷体_GB2312"].get(W("val")) == "楷体"
        assert alt["黑体"] is None


@pytest.mark.parametrize("face", ["fangsong", "heiti"])
def test_run_in_leads_are_in_the_lead_character_style(face: str, tmp_path: Path) -> None:
    spec = replace(
        default_spec(),
        styles={**default_spec().styles, "lead": replace(default_spec().styles["lead"], font=face)},
    )
    booklet = small_booklet(1)
    lead = Paragraph("一是坚持系统思维。党建工作是一个系统性工程。", 9)
    booklet = replace(booklet, speeches=(replace(booklet.speeches[0], blocks=(lead,)),))
    fonts, laid_out = plan_of(booklet, spec)
    docx = render_docx(laid_out, fonts, tmp_path)
    styles = {s.get(W("styleId")): s for s in dn.xml(docx, "word/styles.xml").iterfind("w:style", dn.NS)}
    assert styles["Lead"].get(W("type")) == "character"
    lead_fonts = styles["Lead"].find("w:rPr/w:rFonts", dn.NS)
    if face == "heiti":
        assert lead_fonts.get(W("eastAsia")) == "黑体"
    else:  # the body's face: the lead follows its paragraph's style
        assert lead_fonts is None
    runs = [r for r in dn.xml(docx, "word/document.xml").iter(W("r")) if r.find("w:t", dn.NS) is not None]
    by_text = {"".join(t.text or "" for t in r.iterfind("w:t", dn.NS)): r for r in runs}
    lead_run = by_text["一是坚持系统思维。"]
    assert lead_run.find("w:rPr/w:rStyle", dn.NS).get(W("val")) == "Lead"
    fonts_el = lead_run.find("w:rPr/w:rFonts", dn.NS)
    assert fonts_el is None or fonts_el.get(W("eastAsia")) is None  # the font comes from the Lead style
    rest = by_text["党建工作是一个系统性工程。"]
    assert rest.find("w:rPr/w:rStyle", dn.NS) is None


def _described_by_fonttools(path: Path) -> tuple[str, dict[str, str]]:
    """The same description through fontTools' parse of the OS/2 table: the oracle of the raw reading."""
    os2 = TTFont(str(path), lazy=True)["OS/2"]
    p = os2.panose
    fields = ["FamilyType", "SerifStyle", "Weight", "Proportion", "Contrast", "StrokeVariation"]
    fields += ["ArmStyle", "LetterForm", "Midline", "XHeight"]
    panose = "".join(f"{getattr(p, 'b' + f):02X}" for f in fields)
    ranges = [os2.ulUnicodeRange1, os2.ulUnicodeRange2, os2.ulUnicodeRange3, os2.ulUnicodeRange4]
    pages = [getattr(os2, "ulCodePageRange1", 0), getattr(os2, "ulCodePageRange2", 0)]
    if pages[0] >> 18 & 1 or ranges[1] >> (59 - 32) & 1:
        pages[0] |= 1 << 18
        ranges[1] |= 1 << (59 - 32)
    keys = ("usb0", "usb1", "usb2", "usb3", "csb0", "csb1")
    return panose, {k: f"{v:08X}" for k, v in zip(keys, [*ranges, *pages], strict=True)}


@pytest.mark.parametrize("path", sorted(FONTS.glob("*.ttf")), ids=lambda p: p.name)
def test_font_description_reads_os2_as_fonttools_does(path: Path) -> None:
    assert fx.font_description(path) == _described_by_fonttools(path)


def test_font_description_of_built_fonts(tmp_path: Path) -> None:
    from test_fonts import build_tiny

    font = build_tiny(tmp_path / "Tiny.ttf", {"A": 500, "中": 1000})
    tt = TTFont(str(font))
    os2 = tt["OS/2"]
    os2.panose.bWeight, os2.panose.bXHeight = 6, 9
    os2.ulUnicodeRange1, os2.ulCodePageRange2 = 0x80000003, 0x12345678
    tt.save(str(tmp_path / "Set.ttf"))
    for built in (font, tmp_path / "Set.ttf"):
        assert fx.font_description(built) == _described_by_fonttools(built), built.name
    described = fx.font_description(tmp_path / "Set.ttf")
    assert described is not None and described[0][4:6] == "06" and described[1]["csb1"] == "12345678"
    os2.version = 0  # no code page ranges before version 1
    tt.save(str(tmp_path / "V0.ttf"))
    v0 = fx.font_description(tmp_path / "V0.ttf")
    assert v0 == _described_by_fonttools(tmp_path / "V0.ttf") and v0 is not None and v0[1]["csb1"] == "0" * 8
    del tt["OS/2"]
    tt.save(str(tmp_path / "None.ttf"))
    assert fx.font_description(tmp_path / "None.ttf") is None
