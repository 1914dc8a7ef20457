"""A face as a CID-keyed PDF font: Type0, ``/Identity-H``, a CIDFontType2 with ``/CIDToGIDMap /Identity``.

What professional tools embed for CJK (ISO 32000-1 §9.7): one composite font per font file per document,
whose two-byte codes are the original glyph IDs. A run's codes therefore depend on its text and its font
only, never on what the document drew first, and one font resource serves every character (reportlab's
simple TrueType fonts cut a font into 256-glyph subsets, ten of them for a CJK booklet's body font, and a
line into a ``Tf``/``Tj`` pair per subset). The objects (``_writer``), the Type0 font named in the one font
resource dictionary every page points to:

- the Type0 font: ``/Encoding /Identity-H``, the descendant, and a ToUnicode CMap (bfchar/bfrange, a
  character beyond the BMP as its UTF-16BE surrogate pair, §9.10.3), so text copies out as the characters;
- the CIDFontType2: ``/DW`` (the commonest advance) and ``/W`` (the others), in 1/1000 em;
- the FontDescriptor (``_face.Metrics``) with ``/FontFile2``: the glyph-ID-keeping subset (``_subset``).

Both font dictionaries are named ``ABCDEF+<PostScript name>``, the tag derived from the glyph set, so the
same glyphs give the same name in every build.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping

from publish.digest import blake2b
from publish.render.pdf import _font_cache
from publish.render.pdf._deflate import font_stream
from publish.render.pdf._face import Face
from publish.render.pdf._writer import Name, Ref, Value, Writer

_BLOCK = 100  # entries per bfchar/bfrange block (a CMap's limit)
_CMAP_HEAD = """/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
"""
_CMAP_TAIL = """endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""


def glyph_chars(face: Face, chars: Iterable[str]) -> dict[int, str]:
    """Return glyph ID → the character it copies out as, for the glyphs drawing ``chars``.

    Two characters a font draws with one glyph (a Kangxi radical and its ideograph, NBSP and space, · and •
    in Fandol) share one code, so one of them is chosen: the one that is its own NFKC form (the ideograph,
    the space), then the lowest code point; the choice depends on the set only, not on the order of use.
    The renderer marks the runs of the others with their text (``/ActualText``)."""
    found: dict[int, list[str]] = {}
    for char in chars:
        found.setdefault(face.glyph(char), []).append(char)
    return {
        glyph: min(group, key=lambda c: (unicodedata.normalize("NFKC", c) != c, ord(c)))
        if len(group) > 1
        else group[0]
        for glyph, group in found.items()
    }


def embed(pdf: Writer, face: Face, mapping: Mapping[int, str], identity: Hashable = None) -> Ref:
    """Add ``face`` as a Type0 font drawing the glyphs of ``mapping`` (glyph ID → the character it copies
    out as: ``glyph_chars``); return the reference pages' resources name it by. ``identity``: what names
    the face's file (``_fonts``), for the font stream cache; None: not cached."""
    glyphs = sorted(mapping)
    m = face.metrics
    name = Name(f"{_tag(m.name, glyphs)}+{m.name}")

    def make() -> _font_cache.Streams:
        data = face.subset(glyphs)
        cmap = to_unicode(mapping).encode("ascii")
        return font_stream(data, Length1=len(data)), font_stream(cmap)

    chars = "".join(mapping[glyph] for glyph in glyphs)
    program, cmap = _font_cache.streams(identity, glyphs, chars, make) if identity else make()

    descriptor: dict[str, Value] = {
        "Type": Name("FontDescriptor"),
        "FontName": name,
        "Flags": m.flags,
        "FontBBox": list(m.bbox),
        "ItalicAngle": m.italic_angle,
        "Ascent": m.ascent,
        "Descent": m.descent,
        "CapHeight": m.cap_height,
        "StemV": m.stem_v,
        "FontFile2": pdf.add(program),
    }
    default, widths = _widths(face, glyphs)
    cid_font: dict[str, Value] = {
        "Type": Name("Font"),
        "Subtype": Name("CIDFontType2"),
        "BaseFont": name,
        "CIDSystemInfo": {"Registry": b"Adobe", "Ordering": b"Identity", "Supplement": 0},
        "FontDescriptor": pdf.add(descriptor),
        "DW": default,
        "W": widths,
        "CIDToGIDMap": Name("Identity"),
    }
    font: dict[str, Value] = {
        "Type": Name("Font"),
        "Subtype": Name("Type0"),
        "BaseFont": name,
        "Encoding": Name("Identity-H"),
        "DescendantFonts": [pdf.add(cid_font)],
        "ToUnicode": pdf.add(cmap),
    }
    return pdf.add(font)


def _tag(name: str, glyphs: list[int]) -> str:
    """Return the six capital letters naming the subset of ``glyphs`` of the font ``name`` (§9.6.4)."""
    digest = blake2b(f"{name}:{glyphs}".encode(), digest_size=8).digest()
    return "".join(chr(65 + b % 26) for b in digest[:6])


def _widths(face: Face, glyphs: list[int]) -> tuple[float, list[Value]]:
    """Return the commonest advance (``/DW``) and the ``/W`` array of the glyphs with another advance:
    ``first [w …]`` per run of consecutive glyph IDs."""
    advances = {glyph: face.width(glyph) for glyph in glyphs}
    counts = Counter(advances.values())
    default = min(counts, key=lambda w: (-counts[w], w)) if counts else 0.0
    runs: list[tuple[int, list[float]]] = []
    previous = -2
    for glyph, width in advances.items():
        if width == default:
            continue
        if glyph != previous + 1:
            runs.append((glyph, []))
        runs[-1][1].append(width)
        previous = glyph
    return default, [item for g, ws in runs for item in (g, ws)]


def _utf16(point: int) -> str:
    """Return code point ``point`` as UTF-16BE hex (a surrogate pair beyond the BMP; a lone surrogate as
    itself, as Python's ``surrogatepass`` writes it)."""
    if point < 0x10000:
        return f"{point:04X}"
    point -= 0x10000
    return f"{0xD800 | point >> 10:04X}{0xDC00 | point & 0x3FF:04X}"


def to_unicode(mapping: Mapping[int, str]) -> str:
    """Return the ToUnicode CMap of glyph ID → character ``mapping``: runs of consecutive IDs and BMP code
    points within one 256-block as bfrange entries, the rest as bfchar."""
    ranges: list[tuple[int, int, int]] = []
    singles: list[tuple[int, int]] = []
    glyphs = sorted(mapping)
    points = [ord(mapping[glyph]) for glyph in glyphs]
    count = len(glyphs)
    i = 0
    while i < count:
        first, point = glyphs[i], points[i]
        j = i + 1
        if point < 0xD800:  # a range may run while both go up by one inside their 256-blocks
            last = min(count, i + 256 - max(first & 0xFF, point & 0xFF))
            while j < last and glyphs[j] == first + j - i and points[j] == point + j - i:
                j += 1
        if j - i > 1:
            ranges.append((first, glyphs[j - 1], point))
        else:
            singles.append((first, point))
        i = j
    parts = [_CMAP_HEAD]
    for at in range(0, len(singles), _BLOCK):
        block = singles[at : at + _BLOCK]
        parts.append(f"{len(block)} beginbfchar\n")
        parts.extend(f"<{glyph:04X}> <{_utf16(point)}>\n" for glyph, point in block)
        parts.append("endbfchar\n")
    for at in range(0, len(ranges), _BLOCK):
        spans = ranges[at : at + _BLOCK]
        parts.append(f"{len(spans)} beginbfrange\n")
        parts.extend(f"<{lo:04X}> <{hi:04X}> <{point:04X}>\n" for lo, hi, point in spans)
        parts.append("endbfrange\n")
    parts.append(_CMAP_TAIL)
    return "".join(parts)
