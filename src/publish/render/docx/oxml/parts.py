"""The DOCX parts that declare fonts and languages: font table with embedded fonts, styles, settings.

The second raw-OOXML module (``elements`` builds body elements, ``package`` the zip). The font table embeds
fonts (ECMA-376 Part 1 §17.8): each font subset with fontTools and stored obfuscated as
``word/fonts/fontN.odttf`` (docs/fonts.md §9). Styles and settings name no theme font and no theme language
(a theme font beats the explicit name beside it, gbt9704.md §9).
"""

from __future__ import annotations

import functools
import io
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from publish.digest import hexdigest
from publish.render.docx.oxml.elements import Element, ParaFormat, RunFormat, add, el, ppr, root, rpr
from publish.render.docx.oxml.package import CT, RT, Package, Part
from publish.sfnt import Sfnt, SfntError

PRINTABLE_ASCII = "".join(chr(c) for c in range(0x20, 0x7F))
GB2312_CHARSET = "86"
ANSI_CHARSET = "00"
MIN_GLYPHS = 32


# FontEntry and StyleDef are NamedTuples, not frozen dataclasses: the DOCX worker imports this module on
# every build, and each dataclass took ~0.7 ms to make there (a NamedTuple ~0.1 ms).


class FontEntry(NamedTuple):
    """One font-table entry: the name runs use and, when embedded, the file to subset and the characters
    used; ``metrics`` a file whose OS/2 table describes the font (its PANOSE and signature; None: none is
    written), ``alt_name`` the name Word falls back to when the font is missing ("" for none)."""

    name: str
    path: Path | None = None
    text: str = ""
    metrics: Path | None = None
    alt_name: str = ""


def subset_font(path: Path, text: str) -> bytes:
    """Return TrueType bytes of the font at ``path`` cut down to ``text`` plus printable ASCII.

    LibreOffice ignores a subsetted embedded font with fewer than 26 glyphs (fonts.md §9), so printable ASCII
    stays in every subset, and a font without ASCII (a fallback) keeps its first mapped characters up to
    MIN_GLYPHS. The head timestamp is kept from the source, so the bytes depend on the inputs only.
    """
    # Imported here: only portable mode subsets, and the imports cost ~0.1 s of a build's 0.8 s budget.
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = []
    options.hinting = True  # the bundled fonts carry none; dropping it would recompile every glyph (slow)
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.recalc_timestamp = False
    options.drop_tables += [
        "FFTM"
    ]  # FontForge's timestamps (Liberation Serif): fontTools would warn, then drop
    font = TTFont(str(path), lazy=True, recalcTimestamp=False, recalcBBoxes=False)
    cmap = font.getBestCmap()
    wanted = {ord(c) for c in set(text) | set(PRINTABLE_ASCII)} & set(cmap)
    for code in sorted(cmap):
        if len({cmap[c] for c in wanted}) >= MIN_GLYPHS:
            break
        wanted.add(code)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    _mark_chinese(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _mark_chinese(font: Any) -> None:
    """Set the OS/2 bits Word chooses a font for Chinese text by, when the subset maps ideographs: code page
    GB2312 (ulCodePageRange1 bit 18) and CJK Unified Ideographs (Unicode range bit 59). fontTools recomputes
    both from the subset's characters, and its code-page test knows no Chinese; the Fandol fonts also lack
    the Unicode-range bit in the original."""
    if not any(0x4E00 <= code <= 0x9FFF for code in font.getBestCmap()):
        return
    os2 = font["OS/2"]
    os2.ulCodePageRange1 |= 1 << 18
    os2.ulUnicodeRange2 |= 1 << (59 - 32)


@functools.cache
def font_description(path: Path) -> tuple[str, dict[str, str]] | None:
    """Return the PANOSE (20 hex digits) and the w:sig attributes (Unicode ranges usb0–3 and code pages
    csb0–1, 8 hex digits each) of the font at ``path``, which Word matches a missing font by (ECMA-376 Part 1
    §17.8.3.13/§17.8.3.16); None when the font has no OS/2 table. A Chinese font (one declaring GB2312 or CJK
    ideographs) is marked with both, as ``_mark_chinese`` marks subsets.

    Read from the raw table (OpenType OS/2: panose at byte 32, ulUnicodeRange1–4 at 42, ulCodePageRange1–2
    at 78 from version 1 on, else zero) so that a DOCX build without embedding never imports fontTools.
    """
    try:
        os2 = Sfnt(path).read(["OS/2"]).get("OS/2", b"")
    except (OSError, SfntError):
        return None
    if len(os2) < 58:
        return None
    panose = os2[32:42].hex().upper()
    ranges = list(struct.unpack_from(">4I", os2, 42))
    version = struct.unpack_from(">H", os2, 0)[0]
    pages = list(struct.unpack_from(">2I", os2, 78)) if version >= 1 and len(os2) >= 86 else [0, 0]
    if pages[0] >> 18 & 1 or ranges[1] >> (59 - 32) & 1:
        pages[0] |= 1 << 18
        ranges[1] |= 1 << (59 - 32)
    keys = ("usb0", "usb1", "usb2", "usb3", "csb0", "csb1")
    return panose, {k: f"{v:08X}" for k, v in zip(keys, [*ranges, *pages], strict=True)}


def font_kind(panose: str, signature: dict[str, str]) -> tuple[str, str]:
    """Return the font table's w:charset and w:family for a font of ``panose`` and ``signature``
    (``font_description``): GB2312 and "modern" for a Chinese font (or one not described), else ANSI and
    "roman" for a serif (PANOSE Latin text with serifs: family type 2, serif style 2–10) or "swiss"."""
    if not signature or int(signature["csb0"], 16) >> 18 & 1:
        return GB2312_CHARSET, "modern"
    serif = len(panose) == 20 and panose[:2] == "02" and 2 <= int(panose[2:4], 16) <= 10
    return ANSI_CHARSET, "roman" if serif else "swiss"


def font_key(name: str, data: bytes) -> str:
    """Return a GUID string ``{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`` derived from the font's name and bytes.

    ECMA-376 wants a GUID per embedded font; hashing instead of ``uuid4`` keeps the DOCX byte-identical.
    """
    h = hexdigest(name.encode() + b"\0" + data, 16).upper()
    return f"{{{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}}}"


def obfuscate(data: bytes, key: str) -> bytes:
    """Return ``data`` with bytes 0–31 XORed with the GUID ``key`` read as 16 bytes in reverse (§17.8.1).

    The operation is its own inverse, so it also de-obfuscates.
    """
    digits = key.strip("{}").replace("-", "")
    mask = bytes.fromhex(digits)[::-1]
    head = bytes(b ^ mask[i % 16] for i, b in enumerate(data[:32]))
    return head + data[32:]


def font_table(package: Package, entries: Sequence[FontEntry]) -> Part:
    """Add the font table part of ``entries`` to ``package``, embedding those with a path; return the part.

    Each embedded font becomes a part ``word/fonts/fontN.odttf`` related from the font table; its entry gets
    ``w:embedRegular`` with the relationship id, the key and ``w:subsetted``.
    """
    fonts = root("fonts")
    table = package.add("/word/fontTable.xml", CT.FONT_TABLE, fonts)
    for number, entry in enumerate(entries, 1):
        font = el("font", name=entry.name)
        fonts.append(font)
        if entry.path is not None:
            data = subset_font(entry.path, entry.text)
            key = font_key(entry.name, data)
            part = package.add(f"/word/fonts/font{number}.odttf", CT.FONT, obfuscate(data, key))
            add(font, el("embedRegular", r_id=table.relate(part, RT.FONT), fontKey=key, subsetted="1"))
        # added after the embedding on purpose: ``add`` puts them before it, in CT_Font order
        described = font_description(entry.metrics) if entry.metrics is not None else None
        charset, family = font_kind(described[0] if described else "", described[1] if described else {})
        add(font, el("charset", val=charset), el("family", val=family), el("pitch", val="variable"))
        if entry.alt_name:
            add(font, el("altName", val=entry.alt_name))
        if described is not None:
            add(font, el("panose1", val=described[0]), el("sig", **described[1]))
    return table


# --- styles -------------------------------------------------------------------------------------------------


class StyleDef(NamedTuple):
    """One paragraph style: id, real name (Word's built-in English name for built-ins) and its properties."""

    style_id: str
    name: str
    para: ParaFormat | None  # None for a character style
    run: RunFormat
    based_on: str | None = None
    next_style: str | None = None
    default: bool = False
    custom: bool = False
    ui_priority: int | None = None
    quick: bool = False


def style_element(style: StyleDef) -> Element:
    """Return a ``w:style`` in CT_Style order: a paragraph style, a character style when ``para`` is None."""
    attrs = {"type": "paragraph" if style.para is not None else "character", "styleId": style.style_id}
    if style.default:
        attrs["default"] = "1"
    if style.custom:
        attrs["customStyle"] = "1"
    s = add(el("style", **attrs), el("name", val=style.name), rpr(style.run))
    if style.para is not None:
        add(s, ppr(style.para))
    if style.based_on:
        add(s, el("basedOn", val=style.based_on))
    if style.next_style:
        add(s, el("next", val=style.next_style))
    if style.ui_priority is not None:
        add(s, el("uiPriority", val=str(style.ui_priority)))
    if style.quick:
        add(s, el("qFormat"))
    return s


def styles_part(para: ParaFormat, run_fmt: RunFormat, styles: Sequence[StyleDef]) -> Element:
    """Return the styles part's root: explicit defaults and ``styles``, no theme font and no colour."""
    defaults = el("docDefaults")
    rdef = el("rPrDefault")
    rdef.append(rpr(run_fmt))
    pdef = el("pPrDefault")
    pdef.append(ppr(para))
    defaults.extend([rdef, pdef])
    return add(root("styles"), *(style_element(s) for s in styles), defaults)


# --- settings -----------------------------------------------------------------------------------------------


def settings_part(
    *,
    embed_fonts: bool,
    default_tab: int,
    lang: str,
    kinsoku: tuple[str, str] = ("", ""),
    compat_mode: int = 14,
) -> Element:
    """Return the settings part's root: the booklet's settings, in CT_Settings order.

    ``compat_mode``: w:compat's compatibilityMode (15 for Word, 14 for LibreOffice: see below).

    ``kinsoku``: the marks no line starts with and no line ends with, pinned for ``lang``
    (w:noLineBreaksBefore, w:noLineBreaksAfter) so that Word breaks as the layout does, not by its defaults.

    ``themeFontLang`` names ``lang`` for East Asian text (python-docx's template said ja-JP: Japanese fonts
    for Chinese text); no rsids and no docId, which would differ from build to build.
    """
    children = [el("zoom", percent="100")]
    if embed_fonts:
        children += [el("embedTrueTypeFonts"), el("saveSubsetFonts")]
    children += [
        el("defaultTabStop", val=str(default_tab)),
        el("evenAndOddHeaders"),
        # Like the PDF, keep every mark in a full cell: no punctuation compression (gbt9704.md §3).
        el("characterSpacingControl", val="doNotCompress"),
    ]
    no_start, no_end = kinsoku
    if no_end:
        children.append(el("noLineBreaksAfter", lang=lang, val=no_end))
    if no_start:
        children.append(el("noLineBreaksBefore", lang=lang, val=no_start))
    compat = el("compat")
    # A line ending in a forced break is not stretched in a justified paragraph (Word and LibreOffice stretch
    # it otherwise, measured in LibreOffice 7.4): the 目录 entries' wraps are forced breaks at the plan's
    # unstretched lines (layout/tocbreak.py); titles, the other paragraphs with forced breaks, are centred.
    compat.append(el("doNotExpandShiftReturn"))
    compat.append(el("useFELayout"))
    # Mode 15 (Word 2013+) for Word; 14 (Word 2010, python-docx's template) for LibreOffice: in mode 15
    # LibreOffice drops a right tab stop that lies past the right indent (TabOverMargin off), which loses the
    # 目录's page numbers and leaders (measured in mode 15: tests/test_docx_lo.py's TOC and line-parity
    # tests fail; the matrix's unwarned styles fall to 96–99 %).
    compat.append(
        el(
            "compatSetting",
            name="compatibilityMode",
            uri="http://schemas.microsoft.com/office/word",
            val=str(compat_mode),
        )
    )
    children += [
        compat,
        el("themeFontLang", val="en-US", eastAsia=lang),
        el("decimalSymbol", val="."),
        el("listSeparator", val=","),
    ]
    return add(root("settings"), *children)


# --- theme --------------------------------------------------------------------------------------------------

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_COLOURS = (  # the scheme's 12 colours: what Word's colour picker offers (the booklet itself is black)
    ("dk1", "000000"),
    ("lt1", "FFFFFF"),
    ("dk2", "1F1F1F"),
    ("lt2", "EEEEEE"),
    ("accent1", "C00000"),
    ("accent2", "7F7F7F"),
    ("accent3", "404040"),
    ("accent4", "A6A6A6"),
    ("accent5", "800000"),
    ("accent6", "595959"),
    ("hlink", "0000FF"),
    ("folHlink", "800080"),
)


def theme_part() -> bytes:
    """Return a minimal theme (``word/theme/theme1.xml``): black-and-red colours, Times New Roman as its
    Latin fonts, and three plain entries in each format list (the schema's minimum).

    The main document must relate to a theme (the Open XML SDK's validator reports its absence as an error),
    but nothing in the booklet refers to it: styles and runs name their fonts, and ``w:*Theme`` attributes
    are never written (a theme font would beat the explicit name, gbt9704.md §9).
    """
    colours = "".join(f'<a:{name}><a:srgbClr val="{rgb}"/></a:{name}>' for name, rgb in _COLOURS)
    font = '<a:latin typeface="Times New Roman"/><a:ea typeface=""/><a:cs typeface=""/>'
    fill = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
    line = f'<a:ln w="9525">{fill}</a:ln>'
    effect = "<a:effectStyle><a:effectLst/></a:effectStyle>"
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        f'<a:theme xmlns:a="{_A}" name="publish">'
        f'<a:themeElements><a:clrScheme name="publish">{colours}</a:clrScheme>'
        f'<a:fontScheme name="publish"><a:majorFont>{font}</a:majorFont><a:minorFont>{font}</a:minorFont>'
        f'</a:fontScheme><a:fmtScheme name="publish"><a:fillStyleLst>{fill * 3}</a:fillStyleLst>'
        f"<a:lnStyleLst>{line * 3}</a:lnStyleLst><a:effectStyleLst>{effect * 3}</a:effectStyleLst>"
        f"<a:bgFillStyleLst>{fill * 3}</a:bgFillStyleLst></a:fmtScheme></a:themeElements>"
        "<a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"
    ).encode()
