"""Raw WordprocessingML for the DOCX reader: the only reader module that touches XML.

python-docx gives paragraphs, runs, styles and formatting, but its ``Document.paragraphs`` and
``Paragraph.text`` see only direct ``w:p``/``w:r`` children: text inside content controls (``w:sdt``),
inserted revisions (``w:ins``), smart tags, simple fields and ruby bases is missed, and it has no API for
automatic numbering (``w:numPr``, numbering.xml) or outline levels. This module walks the XML for those, in
document order (ECMA-376 Part 1 §17.3 paragraphs and runs, §17.5.2 content controls, §17.13.5 revisions, §17.9
numbering). Deleted revisions (``w:del``, ``w:moveFrom``), hidden text (``w:vanish``), a content control's
placeholder text, field instructions, footnote and comment marks and ruby annotations are not text.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from docx.oxml.ns import qn

__all__ = [
    "Block",
    "Piece",
    "body_blocks",
    "default_size",
    "justification",
    "num_pr",
    "outline_level",
    "paragraph_pieces",
    "paragraph_properties",
    "row_count",
    "run_style_id",
    "style_id",
    "style_num_ids",
    "table_paragraphs",
]

Element = Any  # an lxml element (python-docx's oxml classes ship no type information)

_P, _TBL, _SDT, _SDT_CONTENT, _CUSTOM_XML = (
    qn("w:p"),
    qn("w:tbl"),
    qn("w:sdt"),
    qn("w:sdtContent"),
    qn("w:customXml"),
)
_R, _T, _TAB, _PTAB, _BR, _CR = qn("w:r"), qn("w:t"), qn("w:tab"), qn("w:ptab"), qn("w:br"), qn("w:cr")
_NB_HYPHEN, _SYM = qn("w:noBreakHyphen"), qn("w:sym")
_RPR, _PPR, _VANISH = qn("w:rPr"), qn("w:pPr"), qn("w:vanish")
_FLD_CHAR, _FLD_TYPE = qn("w:fldChar"), qn("w:fldCharType")
_IMAGES = {qn("w:drawing"), qn("w:pict"), qn("w:object")}
_ALTERNATE = "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent"
_TEXTBOX = qn("w:txbxContent")
# containers whose runs are text: inserted and moved-in revisions, hyperlinks, smart tags, custom XML,
# simple fields (their result), content controls (their content), ruby bases
_INLINE_CONTAINERS = {
    qn(name)
    for name in (
        "w:ins",
        "w:moveTo",
        "w:hyperlink",
        "w:smartTag",
        "w:customXml",
        "w:fldSimple",
        "w:dir",
        "w:bdo",
    )
}
_RUBY, _RUBY_BASE = qn("w:ruby"), qn("w:rubyBase")
_VAL = qn("w:val")


@dataclass(frozen=True)
class Block:
    """A body-level item in document order: a paragraph, a table, or an embedded chunk we cannot read."""

    kind: str  # "p", "tbl" or "altChunk"
    element: Element


@dataclass
class Piece:
    """What a paragraph holds: text lines (split at line breaks), the runs that carry text, images seen."""

    lines: list[str] = field(default_factory=lambda: [""])
    runs: list[tuple[Element, int]] = field(default_factory=list)  # (w:r, characters of text it gave)
    images: int = 0
    textboxes: list[str] = field(default_factory=list)  # text found in text boxes (not read as body text)


def body_blocks(body: Element) -> Iterator[Block]:
    """Yield the paragraphs and tables of ``body`` (or a cell) in order, content controls opened."""
    for child in body.iterchildren():
        tag = child.tag
        if tag == _P:
            yield Block("p", child)
        elif tag == _TBL:
            yield Block("tbl", child)
        elif tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None and not _shows_placeholder(child):
                yield from body_blocks(content)
        elif tag == _CUSTOM_XML:
            yield from body_blocks(child)
        elif tag == qn("w:altChunk"):
            yield Block("altChunk", child)


def table_paragraphs(table: Element) -> Iterator[Element]:
    """Yield every paragraph of ``table`` row by row, cell by cell, nested tables flattened."""
    for row in table.iterchildren(qn("w:tr")):
        for cell in _cells(row):
            for block in body_blocks(cell):
                if block.kind == "p":
                    yield block.element
                elif block.kind == "tbl":
                    yield from table_paragraphs(block.element)


def _cells(row: Element) -> Iterator[Element]:
    for child in row.iterchildren():
        if child.tag == qn("w:tc"):
            yield child
        elif child.tag in (_SDT, _CUSTOM_XML):
            content = child.find(_SDT_CONTENT) if child.tag == _SDT else child
            if content is not None:
                yield from _cells(content)


def paragraph_pieces(paragraph: Element) -> Piece:
    """Return the text of ``paragraph`` (a ``w:p``) as the reader sees it, line breaks kept apart."""
    piece = Piece()
    _walk(paragraph, piece, [False])
    return piece


def _walk(parent: Element, piece: Piece, in_instruction: list[bool]) -> None:
    for child in parent.iterchildren():
        tag = child.tag
        if tag == _R:
            _run(child, piece, in_instruction)
        elif tag in _INLINE_CONTAINERS:
            _walk(child, piece, in_instruction)
        elif tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None and not _shows_placeholder(child):
                _walk(content, piece, in_instruction)
        elif tag == _RUBY:
            base = child.find(_RUBY_BASE)
            if base is not None:
                _walk(base, piece, in_instruction)


def _run(run: Element, piece: Piece, in_instruction: list[bool]) -> None:
    props = run.find(_RPR)
    hidden = props is not None and _on(props.find(_VANISH))
    before = sum(len(line) for line in piece.lines)
    for child in run.iterchildren():
        tag = child.tag
        if tag == _FLD_CHAR:  # between begin and separate is the field's instruction, not its result
            kind = child.get(_FLD_TYPE)
            in_instruction[0] = kind == "begin" or (in_instruction[0] and kind not in ("separate", "end"))
        elif tag in _IMAGES or tag == _ALTERNATE:
            piece.images += 1
            piece.textboxes += ["".join(t.text or "" for t in box.iter(_T)) for box in child.iter(_TEXTBOX)]
        elif hidden or in_instruction[0]:
            continue
        elif tag == _T:
            piece.lines[-1] += child.text or ""
        elif tag in (_TAB, _PTAB):
            piece.lines[-1] += " "
        elif tag == _NB_HYPHEN:
            piece.lines[-1] += "-"
        elif tag == _SYM:
            code = int(child.get(qn("w:char"), "0"), 16)
            if code and not 0xE000 <= code <= 0xF8FF:  # symbol-font code points (F0xx) have no character
                piece.lines[-1] += chr(code)
        elif tag == _CR or (tag == _BR and child.get(qn("w:type"), "textWrapping") == "textWrapping"):
            piece.lines.append("")  # a page or column break separates nothing
    added = sum(len(line) for line in piece.lines) - before
    if added:
        piece.runs.append((run, added))


def _on(element: Element | None) -> bool:
    """Return whether an on/off property element is present and not switched off."""
    return element is not None and element.get(_VAL, "true") not in ("0", "false", "off")


def _shows_placeholder(sdt: Element) -> bool:
    """Return whether a content control shows its placeholder text (单击此处输入文字), not the author's."""
    props = sdt.find(qn("w:sdtPr"))
    return props is not None and props.find(qn("w:showingPlcHdr")) is not None


def num_pr(ppr: Element | None) -> tuple[str | None, int | None]:
    """Return the numbering id and level a ``w:pPr`` (of a paragraph or style) sets; None for unset."""
    if ppr is None:
        return None, None
    numbering = ppr.find(qn("w:numPr"))
    if numbering is None:
        return None, None
    num_id, ilvl = numbering.find(qn("w:numId")), numbering.find(qn("w:ilvl"))
    level = ilvl.get(_VAL) if ilvl is not None else None
    return (num_id.get(_VAL) if num_id is not None else None), (int(level) if level is not None else None)


def outline_level(ppr: Element | None) -> int | None:
    """Return the outline level (0–8) a ``w:pPr`` sets; 9 (body text) or unset give None."""
    found = ppr.find(qn("w:outlineLvl")) if ppr is not None else None
    if found is None:
        return None
    level = int(found.get(_VAL, "9"))
    return level if 0 <= level <= 8 else None


def justification(ppr: Element | None) -> str | None:
    """Return the ``w:jc`` value a ``w:pPr`` sets ("center", "both", "start", …); None when unset.

    Read here, not through python-docx: its alignment enum raises on the ECMA-376 values ``start`` and
    ``end`` that LibreOffice writes."""
    found = ppr.find(qn("w:jc")) if ppr is not None else None
    return found.get(_VAL) if found is not None else None


def paragraph_properties(paragraph: Element) -> Element | None:
    """Return the ``w:pPr`` of a paragraph or style; None when it has none."""
    return paragraph.find(_PPR)


def style_id(paragraph: Element) -> str | None:
    """Return the paragraph style id a ``w:p`` names; None for the default style."""
    ppr = paragraph.find(_PPR)
    found = ppr.find(qn("w:pStyle")) if ppr is not None else None
    return found.get(_VAL) if found is not None else None


def run_style_id(run: Element) -> str | None:
    """Return the character style id a ``w:r`` names; None for none."""
    props = run.find(_RPR)
    found = props.find(qn("w:rStyle")) if props is not None else None
    return found.get(_VAL) if found is not None else None


def style_num_ids(styles: Element) -> dict[str, str]:
    """Return, for every style of ``styles`` (``w:styles``) that sets numbering, its id → ``w:numId``."""
    found: dict[str, str] = {}
    for style in styles.iterchildren(qn("w:style")):
        num_id, _ = num_pr(style.find(_PPR))
        if num_id:
            found[style.get(qn("w:styleId"), "")] = num_id
    return found


def row_count(table: Element) -> int:
    """Return the number of rows of a ``w:tbl``."""
    return len(table.findall(qn("w:tr")))


def default_size(styles: Element) -> float | None:
    """Return the document's default font size in points (``w:docDefaults``); None when unset."""
    size = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:sz')}")
    return int(size.get(_VAL)) / 2 if size is not None and size.get(_VAL, "").isdigit() else None
