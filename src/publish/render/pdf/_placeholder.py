"""A placeholder font for the characters no font covers, so the PDF keeps them in its text layer.

The layout keeps such a character in one empty cell (a run with font ``""``). Painting nothing there would
drop it from the PDF's text: copying the line out reads a gap, though the character is in the source and the
DOCX. So each render that has such characters builds a tiny TrueType font (fontTools ``FontBuilder``) with
one em-wide box glyph per character, mapped from exactly those characters (one glyph each: a CID-keyed font's
code is its glyph ID, and each code needs its own ToUnicode entry); ``_fonts`` embeds it like any other font,
so a reader sees a box and copies out the original character.

The font is built from the sorted characters only (fixed ``head`` dates), so the same source gives the same
bytes. fontTools is imported only when a booklet has such characters.
"""

from __future__ import annotations

import hashlib
import io

UNITS = 1000  # units per em; the box glyph is one em wide, like the cell the layout gave the character


def font_key(chars: frozenset[str]) -> str:
    """Return a short digest of ``chars``: the placeholder font's name within the process."""
    text = "".join(sorted(chars)).encode("utf-8", "surrogatepass")
    return hashlib.sha1(text, usedforsecurity=False).hexdigest()[:12]


def build(chars: frozenset[str]) -> bytes:
    """Return the TrueType bytes of the placeholder font for ``chars``."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    def box(inset: int) -> object:
        pen = TTGlyphPen(None)
        outer = (inset, -80), (UNITS - inset, -80), (UNITS - inset, 800), (inset, 800)
        inner = (inset + 60, -20), (inset + 60, 740), (UNITS - inset - 60, 740), (UNITS - inset - 60, -20)
        for contour in (outer, inner):  # clockwise outside, counter-clockwise hole (TrueType winding)
            pen.moveTo(contour[0])
            for point in contour[1:]:
                pen.lineTo(point)
            pen.closePath()
        return pen.glyph()

    mapped = [char for char in sorted(chars) if not 0xD800 <= ord(char) <= 0xDFFF]
    boxes = [f"box{i}" for i in range(len(mapped))]
    builder = FontBuilder(UNITS, isTTF=True)
    builder.setupGlyphOrder([".notdef", *boxes])
    builder.setupCharacterMap({ord(char): name for char, name in zip(mapped, boxes, strict=True)})
    builder.setupGlyf({".notdef": box(150), **{name: box(100) for name in boxes}})
    builder.setupHorizontalMetrics({".notdef": (UNITS, 150), **{name: (UNITS, 100) for name in boxes}})
    builder.setupHorizontalHeader(ascent=880, descent=-120)
    # a name of its own per character set: readers may cache fonts by name
    family = "PublishPlaceholder"
    names = {"familyName": family, "styleName": "Regular", "psName": f"{family}-{font_key(chars)}"}
    builder.setupNameTable(names)
    builder.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    builder.setupPost()
    builder.setupHead(unitsPerEm=UNITS, created=0, modified=0)
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()
