"""Read a PDF back for tests: lines of text with their positions, fonts, labels, outline, and a text summary.

Positions come from pdfplumber, corrected for a pdfminer error with character spacing (``tc_shifts``).

``summarize`` gives what a golden file stores (style.md rule 9): page count and sizes, page labels, embedded
fonts, bookmarks and the text of every page, one laid-out line per row; never the raw bytes. The other
functions give tests the measured values (baselines, edges, sizes) to check against the layout.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber
from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject, IndirectObject


@dataclass(frozen=True)
class TextLine:
    """Characters sharing one baseline, left to right; y values in points from the page top."""

    page: int  # 0-based
    baseline: float
    text: str
    x0: float
    x1: float
    size: float  # the largest character size on the line
    fonts: tuple[str, ...]  # BaseFont names, in order of first use
    chars: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class FontInfo:
    """One font resource: its BaseFont name, subtype, embedded font stream (empty: none) and ToUnicode; for
    a composite (Type0) font its encoding and its descendant's subtype and CIDToGIDMap."""

    name: str
    subtype: str
    font_file: str  # "FontFile2" (TrueType), "FontFile3", "FontFile" or ""
    to_unicode: bool
    encoding: str = ""  # "Identity-H"
    descendant: str = ""  # "CIDFontType2"
    cid_to_gid: str = ""  # "Identity"

    @property
    def subset_tag(self) -> str:
        """Return the six-letter subset tag (``AAAAAA`` of ``AAAAAA+Name``); empty when there is none."""
        tag, plus, _ = self.name.partition("+")
        return tag if plus and len(tag) == 6 and tag.isalpha() and tag.isupper() else ""


def tc_shifts(reader: PdfReader, index: int) -> list[float]:
    """Return, per glyph shown on page ``index`` in content order, what to add to pdfminer's x positions.

    pdfminer (hence pdfplumber) applies the character spacing Tc between the glyphs of one text-showing
    operator but not after its last glyph (pdfminer.six issue #1128; PDF 32000 §9.4.4 adds it after every
    glyph), so each later string of the same text line starts Tc too far left (a line of several runs).
    Simple fonts (one byte a glyph) and Identity-H Type0 fonts (two bytes a glyph) are handled.
    """
    page = reader.pages[index]
    contents = page.get_contents()
    if contents is None:
        return []
    resources: Any = page.get("/Resources")
    fonts: Any = resources.get_object().get("/Font", {}) if resources is not None else {}
    fonts = fonts.get_object() if isinstance(fonts, IndirectObject) else fonts
    shifts: list[float] = []
    tc = shift = 0.0
    width = 1  # bytes a glyph
    for args, op in ContentStream(contents, reader).operations:
        if op == b"Tc":
            tc = float(args[0])
        elif op == b"Tf":
            width = 2 if fonts[args[0]].get_object().get("/Subtype") == "/Type0" else 1
        elif op in (b"BT", b"Tm", b"Td", b"TD", b"T*"):
            shift = 0.0  # a new position: pdfminer's error starts again from nothing
        elif op == b"Tj":
            shifts.extend([shift] * (len(_raw(args[0])) // width))
            shift += tc
        elif op in (b"TJ", b"'", b'"'):
            raise NotImplementedError(f"operator {op!r} is not produced by our renderer")
    return shifts


def _raw(value: Any) -> bytes:
    """Return the bytes of a PDF string operand as written in the file."""
    original = getattr(value, "original_bytes", None)
    return bytes(original) if original is not None else bytes(value)


def page_lines(page: Any, index: int = 0, shifts: list[float] | None = None) -> list[TextLine]:
    """Return the text lines of a pdfplumber page, top to bottom, grouping characters by exact baseline.

    ``shifts`` (from ``tc_shifts``) corrects the x positions of the characters, in content order.
    """
    groups: dict[float, list[dict[str, Any]]] = defaultdict(list)
    chars = page.chars
    if shifts is not None:
        if len(shifts) != len(chars):
            raise ValueError(f"page {index + 1}: {len(chars)} characters but {len(shifts)} shown glyphs")
        chars = [dict(c, x0=c["x0"] + d, x1=c["x1"] + d) for c, d in zip(chars, shifts, strict=True)]
    for char in chars:
        groups[round(float(page.height) - char["matrix"][5], 2)].append(char)
    lines = []
    for baseline in sorted(groups):
        line = sorted(groups[baseline], key=lambda c: c["x0"])
        fonts = tuple(dict.fromkeys(c["fontname"] for c in line))
        lines.append(
            TextLine(
                index,
                baseline,
                "".join(c["text"] for c in line),
                line[0]["x0"],
                line[-1]["x1"],
                max(c["size"] for c in line),
                fonts,
                tuple(line),
            )
        )
    return lines


def read_lines(path: Path) -> list[list[TextLine]]:
    """Return the text lines of every page of the PDF at ``path``, with x positions corrected for Tc."""
    reader = PdfReader(path)
    with pdfplumber.open(path) as pdf:
        return [page_lines(page, i, tc_shifts(reader, i)) for i, page in enumerate(pdf.pages)]


def fonts(reader: PdfReader) -> list[FontInfo]:
    """Return every font resource of every page, once each, in order of first use."""
    found: dict[str, FontInfo] = {}
    for page in reader.pages:
        resources = page.get("/Resources")
        resources = resources.get_object() if isinstance(resources, IndirectObject) else resources
        if not isinstance(resources, DictionaryObject) or "/Font" not in resources:
            continue
        font_dict: Any = resources["/Font"]
        for ref in font_dict.get_object().values():
            font = ref.get_object()
            name = str(font.get("/BaseFont", ""))[1:]
            if name in found:
                continue
            subtype, cid_font = str(font.get("/Subtype", ""))[1:], font
            if subtype == "Type0":
                cid_font = font["/DescendantFonts"][0].get_object()
            descriptor = cid_font.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            kind = next((k[1:] for k in ("/FontFile2", "/FontFile3", "/FontFile") if k in descriptor), "")
            extra: list[str] = []
            if subtype == "Type0":
                extra = [
                    str(v)[1:] for v in (font["/Encoding"], cid_font["/Subtype"], cid_font["/CIDToGIDMap"])
                ]
            found[name] = FontInfo(name, subtype, kind, "/ToUnicode" in font, *extra)
    return list(found.values())


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    """Return the bookmarks as (level, title, 0-based page index), depth first."""
    out: list[tuple[int, str, int]] = []

    def walk(items: list[Any], level: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((level, str(item.title), reader.get_destination_page_number(item) or 0))

    walk(reader.outline, 0)
    return out


def summarize(path: Path, lines: list[list[TextLine]] | None = None) -> str:
    """Return a reviewable text summary of the PDF at ``path`` (see the module docstring); ``lines`` are its
    pages' lines when already read (``read_lines``)."""
    reader = PdfReader(path)
    sizes = [(float(p.mediabox.width), float(p.mediabox.height)) for p in reader.pages]
    labels = list(reader.page_labels)
    out = [f"pages: {len(reader.pages)}"]
    for size in dict.fromkeys(sizes):
        out.append(f"size: {size[0]:.2f} x {size[1]:.2f} pt ({sizes.count(size)} pages)")
    out.append(f"labels: {' '.join(labels)}")
    root: Any = reader.trailer["/Root"]
    info: Any = reader.metadata or {}
    out.append(f"lang: {root.get('/Lang', '')}")
    for key in ("/Title", "/Author", "/Subject"):
        out.append(f"{key[1:].lower()}: {info.get(key, '')}")
    out.append("fonts:")
    for font in sorted(fonts(reader), key=lambda f: (f.name.partition("+")[2], f.name)):
        unicode = " tounicode" if font.to_unicode else ""
        kind = f"{font.subtype}/{font.descendant} {font.encoding}" if font.descendant else font.subtype
        name = f"XXXXXX+{font.name[7:]}" if font.subset_tag else font.name  # the tag follows the glyph set
        out.append(f"  {name} {kind} {font.font_file or 'NOT EMBEDDED'}{unicode}")
    out.append("outline:")
    for level, title, page in outline(reader):
        out.append(f"  {'  ' * level}{title} -> {labels[page]}")
    for index, page_lines_ in enumerate(lines if lines is not None else read_lines(path)):
        out.append(f"--- page {index + 1} [{labels[index]}] ---")
        out.extend(line.text for line in page_lines_)
    return "\n".join(out) + "\n"
