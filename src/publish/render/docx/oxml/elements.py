"""Raw WordprocessingML body elements: with ``parts``, the only code that builds OOXML by hand.

Plain lxml elements (``package`` writes the zip: see there why not python-docx); each helper builds one
piece a GB/T 9704 booklet needs (named in its docstring). Every builder adds children through ``add``, which
puts each where ECMA-376 Part 1's sequence for its parent does (``schema.SEQUENCES``, declared once): Word
rejects a document whose ``w:pPr``/``w:rPr``/``w:sectPr``/``w:settings`` children are out of sequence
("unreadable content"), while LibreOffice accepts it.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from copy import deepcopy
from typing import Any, NamedTuple, TypeAlias, cast

from lxml.etree import Element as _make
from lxml.etree import SubElement

from publish.render.docx.oxml.schema import SEQUENCES

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PREFIXES = {"w": W_NS, "r": R_NS}
_NSMAP = {"w": W_NS}
Element: TypeAlias = Any  # what the builders return: an lxml element (lxml ships no type information)

# Characters Word assigns to the ascii/hAnsi slot unless the run says w:hint="eastAsia" (MS-OI29500 §2.1.88).
EAST_ASIA_HINT_CHARS = frozenset("\u201c\u201d\u2018\u2019\u2014\u2013\u2015\u2026\u00b7")


def el(tag: str, **attrs: str) -> Element:
    """Return a new ``w:`` element; attribute names are ``w:`` local names (``r_id`` becomes ``r:id``).

    A copy of a prototype made once per tag and attributes (a booklet repeats most: ``w:jc``, ``w:fldChar``
    …): lxml copies an element in C some 3 times as fast as it makes one with its namespace and attributes
    (a 1,200-page booklet creates some 35,000 elements).
    """
    return cast(Element, _prototype(tag, tuple(attrs.items())).__copy__())


@functools.lru_cache(maxsize=2048)
def _prototype(tag: str, attrs: tuple[tuple[str, str], ...]) -> Element:
    """Return the element ``el`` copies (never handed out itself)."""
    return _make(_clark(tag), {_attr(k): v for k, v in attrs} if attrs else None, _NSMAP)


def qn(name: str) -> str:
    """Return the Clark name (``{namespace}local``) of a prefixed name such as ``w:pPr`` or ``r:id``."""
    prefix, local = name.split(":")
    return f"{{{_PREFIXES[prefix]}}}{local}"


def root(tag: str) -> Element:
    """Return an empty part root ``w:<tag>`` declaring the ``w`` and ``r`` namespaces (a part's body may name
    relationships: footers and sections their ``r:id``, fonts their ``r:id`` of the embedded file)."""
    return cast(Element, _make(_clark(tag), nsmap={"w": W_NS, "r": R_NS}))


# Clark names of the elements the body writes most (tens of thousands in a long booklet).
_R = qn("w:r")
_T = qn("w:t")
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


@functools.cache
def _clark(tag: str) -> str:
    return qn(f"w:{tag}")


@functools.cache
def _attr(name: str) -> str:
    return qn("r:id") if name == "r_id" else qn(f"w:{name}")


def _onoff(tag: str, value: bool) -> Element:
    return el(tag) if value else el(tag, val="0")


def add(parent: Element, *children: Element) -> Element:
    """Insert ``children`` into ``parent`` where the schema sequence of ``parent`` puts them; return it.

    A child goes before the first sibling the sequence places after it (after its own kind, so repeated
    elements keep the order they were added in); a parent without a declared sequence gets them appended.
    Covers every element the booklet writes (``w:kinsoku``, ``w:autoSpaceDE``, ``w:embedTrueTypeFonts`` …).
    """
    ranks = _ranks(parent.tag)
    if not ranks:
        parent.extend(children)
        return parent
    for child in children:
        rank = ranks.get(child.tag)
        if rank is None:
            parent.append(child)
            continue
        # The place is found from the end: ``add`` is the only way children enter a parent with a sequence,
        # so its ranked children are in order already, and builders add mostly in order (one comparison).
        # Children without a rank (none the booklet writes) are passed over, as they are from the start.
        later = None  # the earliest sibling of the ordered tail the sequence places after ``child``
        sibling = parent[-1] if len(parent) else None
        while sibling is not None:
            placed = ranks.get(sibling.tag)
            if placed is not None:
                if placed <= rank:
                    break
                later = sibling
            sibling = sibling.getprevious()
        if later is None:
            parent.append(child)
        else:
            later.addprevious(child)
    return parent


@functools.cache
def _ranks(parent: str) -> dict[str, int]:
    """Return child Clark name → position in the sequence of the element ``parent`` (a Clark name); empty
    when none is declared (Clark names, so that ``add`` compares tags as lxml gives them)."""
    sequence = SEQUENCES.get(parent.rsplit("}", 1)[-1], ())
    w = f"{{{W_NS}}}"  # not ``_clark``: a sequence names up to ~100 children, most never written
    return {w + name: i for i, group in enumerate(sequence) for name in group.split("|")}


# --- paragraph and run properties ---------------------------------------------------------------------------


# The formats are NamedTuples, not frozen dataclasses (as ``layout.frame.Run``): the DOCX worker imports
# this module on every build, and making the three classes took ~3 ms there as dataclasses, ~0.4 ms as
# NamedTuples; a tuple is also made, hashed (the prototype caches below) and compared in C.


class ParaFormat(NamedTuple):
    """Paragraph properties in twips; None leaves a property to the style."""

    style: str | None = None
    keep_next: bool | None = None
    keep_lines: bool | None = None
    page_break_before: bool = False
    widow_control: bool | None = None
    tabs: tuple[tuple[str, str, int], ...] = ()  # (alignment, leader, position)
    kinsoku: bool | None = None
    overflow_punct: bool | None = None  # w:overflowPunct; True means no hanging punctuation in LibreOffice
    auto_space: bool | None = None  # w:autoSpaceDE and w:autoSpaceDN together
    before: int | None = None
    after: int | None = None
    line: int | None = None  # exact line height
    first_line: int | None = None
    first_line_chars: int | None = None
    left: int | None = None
    left_chars: int | None = None
    right: int | None = None
    jc: str | None = None
    outline_level: int | None = None


class RunFormat(NamedTuple):
    """Run properties; ``font`` fills all four rFonts slots (ascii, hAnsi, eastAsia, cs); None inherits the
    style's (runs name a font only where it differs from their paragraph style's)."""

    font: str | None = None
    hint_east_asia: bool = False
    bold: bool | None = None
    style: str | None = None  # a character style (w:rStyle)
    spacing: int | None = None  # twips added after every character
    size: int | None = None  # half-points
    lang: str | None = None  # East Asian language (w:eastAsia); Latin text is marked en-US


def ppr(fmt: ParaFormat) -> Element:
    """Return a ``w:pPr`` for ``fmt``, children in CT_PPr order.

    python-docx models only some of these (no kinsoku, overflowPunct, autoSpaceDE/DN, firstLineChars, tab
    leaders it can set but not in one pass), so the whole element is built here. A booklet repeats a few
    formats thousands of times: each is built once and copied (lxml copies a subtree in C).
    """
    return cast(Element, _ppr(fmt).__copy__())  # lxml's __copy__ copies the whole subtree


@functools.lru_cache(maxsize=512)
def _ppr(fmt: ParaFormat) -> Element:
    """Build the ``w:pPr`` of ``fmt`` (a prototype: ``ppr`` hands out copies only)."""
    p = el("pPr")
    if fmt.style:
        add(p, el("pStyle", val=fmt.style))
    if fmt.keep_next is not None:
        add(p, _onoff("keepNext", fmt.keep_next))
    if fmt.keep_lines is not None:
        add(p, _onoff("keepLines", fmt.keep_lines))
    if fmt.page_break_before:
        add(p, el("pageBreakBefore"))
    if fmt.widow_control is not None:
        add(p, _onoff("widowControl", fmt.widow_control))
    if fmt.tabs:
        tabs = el("tabs")
        for align, leader, pos in fmt.tabs:
            tabs.append(el("tab", val=align, leader=leader, pos=str(pos)))
        add(p, tabs)
    if fmt.kinsoku is not None:
        add(p, _onoff("kinsoku", fmt.kinsoku))
    if fmt.overflow_punct is not None:
        # ECMA-376 §17.3.1.21: w:overflowPunct on lets punctuation at a line end run past the margin (hang);
        # on is also Word's default, so the Word variant writes it off. LibreOffice 7.4's DOCX import maps it
        # inversely (writerfilter DomainMapper: ParaIsHangingPunctuation = (val == 0)), so its variant writes
        # it on: either way the reader pushes a character down instead of hanging a mark, as the plan does
        # (推出, gbt9704.md §7).
        add(p, _onoff("overflowPunct", fmt.overflow_punct))
    if fmt.auto_space is not None:
        # w:autoSpaceDE/DN (§17.3.1.2/3): Word's CJK/Latin and CJK/digit spacing. LibreOffice 7.4 ignores both
        # on import and always adds font height / 5 (0.2 em) between Asian and Western letters or digits.
        add(p, _onoff("autoSpaceDE", fmt.auto_space))
        add(p, _onoff("autoSpaceDN", fmt.auto_space))
    spacing: dict[str, str] = {}
    if fmt.before is not None:
        spacing["before"] = str(fmt.before)
    if fmt.after is not None:
        spacing["after"] = str(fmt.after)
    if fmt.line is not None:
        spacing["line"] = str(fmt.line)
        spacing["lineRule"] = "exact"
    if spacing:
        add(p, el("spacing", **spacing))
    ind: dict[str, str] = {}
    hanging = fmt.first_line is not None and fmt.first_line < 0  # ST_TwipsMeasure: no negative firstLine
    if fmt.left is not None:
        ind["left"] = str(fmt.left)
    if fmt.left_chars is not None:
        ind["leftChars"] = str(fmt.left_chars)
    if fmt.right is not None:
        ind["right"] = str(fmt.right)
    # LibreOffice ignores firstLineChars alone; firstLine beside it carries the indent (gbt9704.md §3). A
    # negative first-line indent is a hanging one: ECMA-376 §17.3.1.12 allows only w:hanging(Chars) for it.
    if fmt.first_line is not None:
        ind["hanging" if hanging else "firstLine"] = str(abs(fmt.first_line))
    if fmt.first_line_chars is not None:
        chars = fmt.first_line_chars
        ind["hangingChars" if hanging or chars < 0 else "firstLineChars"] = str(abs(chars))
    if ind:
        add(p, el("ind", **ind))
    if fmt.jc:
        add(p, el("jc", val=fmt.jc))
    if fmt.outline_level is not None:
        add(p, el("outlineLvl", val=str(fmt.outline_level)))
    return p


def rpr(fmt: RunFormat) -> Element:
    """Return a ``w:rPr`` for ``fmt``, children in EG_RPrBase order.

    python-docx's ``Font.name`` writes only ``w:ascii``/``w:hAnsi`` (upstream issues #154, #1139), leaving
    Chinese text in the theme's East Asian font; here every slot is named, and ``w:hint="eastAsia"`` is added
    for runs with quotes and dashes, which Word would otherwise set in the Latin font. Built once per format
    and copied, as ``ppr``.
    """
    return cast(Element, _rpr(fmt).__copy__())


@functools.lru_cache(maxsize=512)
def _rpr(fmt: RunFormat) -> Element:
    """Build the ``w:rPr`` of ``fmt`` (a prototype: ``rpr`` hands out copies only)."""
    r = el("rPr")
    if fmt.style:
        add(r, el("rStyle", val=fmt.style))
    if fmt.font or fmt.hint_east_asia:  # a hint alone keeps the style's fonts
        fonts = (
            {"ascii": fmt.font, "hAnsi": fmt.font, "eastAsia": fmt.font, "cs": fmt.font} if fmt.font else {}
        )
        if fmt.hint_east_asia:
            fonts["hint"] = "eastAsia"
        add(r, el("rFonts", **fonts))
    if fmt.bold is not None:
        add(r, _onoff("b", fmt.bold))
        add(r, _onoff("bCs", fmt.bold))
    if fmt.spacing is not None:
        add(r, el("spacing", val=str(fmt.spacing)))
    if fmt.size is not None:
        add(r, el("sz", val=str(fmt.size)))
        add(r, el("szCs", val=str(fmt.size)))
    if fmt.lang:
        # Latin text as en-US: marked zh-CN, LibreOffice breaks inside digit strings ("10|0年").
        add(r, el("lang", val="en-US", eastAsia=fmt.lang, bidi="ar-SA"))
    return r


def needs_hint(text: str) -> bool:
    """Return True when ``text`` holds a character Word would set in the Latin font without a hint."""
    return not EAST_ASIA_HINT_CHARS.isdisjoint(text)


# --- body content -------------------------------------------------------------------------------------------


def paragraph(fmt: ParaFormat | None, content: Iterable[Element] = ()) -> Element:
    """Return a ``w:p`` with properties ``fmt`` (None: none) and the given runs, bookmarks and hyperlinks."""
    p = cast(Element, _paragraph(fmt).__copy__())
    p.extend(content)
    return p


@functools.lru_cache(maxsize=512)
def _paragraph(fmt: ParaFormat | None) -> Element:
    """Return the empty ``w:p`` of ``fmt`` that ``paragraph`` copies (one copy in C, not two elements)."""
    p = el("p")
    if fmt is not None:
        p.append(ppr(fmt))
    return p


_NO_FORMAT = RunFormat()


def run(text: str, fmt: RunFormat | None) -> Element:
    """Return a ``w:r``; ``\\n`` in ``text`` becomes ``w:br`` and ``\\t`` becomes ``w:tab``."""
    r = cast(Element, _run(fmt).__copy__())
    if "\n" not in text and "\t" not in text:
        if text:
            _text(r, text)
        return r
    start = 0
    for i, ch in enumerate(text):
        if ch in "\n\t":
            if i > start:
                _text(r, text[start:i])
            r.append(el("br" if ch == "\n" else "tab"))
            start = i + 1
    if start < len(text):
        _text(r, text[start:])
    return r


@functools.lru_cache(maxsize=512)
def _run(fmt: RunFormat | None) -> Element:
    """Return the empty ``w:r`` of ``fmt`` that ``run`` copies (one copy in C, not two elements)."""
    r = _make(_R, None, _NSMAP)
    if fmt is not None and fmt != _NO_FORMAT:  # an empty w:rPr says nothing
        r.append(rpr(fmt))
    return r


def _text(r: Element, text: str) -> None:
    """Append a ``w:t`` holding ``text`` (not empty) to run ``r``."""
    t = SubElement(r, _T)
    t.text = text
    if text[0] == " " or text[-1] == " ":
        t.set(_XML_SPACE, "preserve")


def field(instr: str, result: str, fmt: RunFormat | None) -> list[Element]:
    """Return the runs of a complex field (begin, code, separate, stored result, end).

    python-docx has no field API. The stored result is what viewers that never update fields (LibreOffice
    headless, previewers) show, so it must already be right: the page number, or the TOC's computed numbers.
    """
    return [*field_start(instr, fmt), run(result, fmt), field_char("end", fmt)]


def field_start(instr: str, fmt: RunFormat | None) -> list[Element]:
    """Return the begin, instruction and separate runs of a complex field whose result follows."""
    code = run("", fmt)
    text = el("instrText")
    text.text = f" {instr} "
    text.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    code.append(text)
    return [field_char("begin", fmt), code, field_char("separate", fmt)]


def field_code(instr: str, fmt: RunFormat | None) -> list[Element]:
    """Return the begin, instruction and end runs of a complex field without a result (a TC entry)."""
    return [*field_start(instr, fmt)[:2], field_char("end", fmt)]


def field_char(kind: str, fmt: RunFormat | None) -> Element:
    """Return a run holding ``w:fldChar`` of type ``kind`` (begin, separate, end)."""
    r = run("", fmt)
    r.append(el("fldChar", fldCharType=kind))
    return r


def bookmark(number: int, name: str) -> tuple[Element, Element]:
    """Return the ``w:bookmarkStart``/``w:bookmarkEnd`` pair; python-docx 1.2 cannot write bookmarks."""
    return el("bookmarkStart", id=str(number), name=name), el("bookmarkEnd", id=str(number))


def hyperlink(anchor: str, content: Iterable[Element]) -> Element:
    """Return an internal ``w:hyperlink`` to bookmark ``anchor``; python-docx has no hyperlink writer."""
    link = el("hyperlink", anchor=anchor, history="1")
    link.extend(content)
    return link


# --- sections -----------------------------------------------------------------------------------------------


class SectionFormat(NamedTuple):
    """Page geometry in twips and the footers and numbering of one section."""

    width: int
    height: int
    top: int
    right: int
    bottom: int
    left: int
    header: int
    footer: int
    footers: tuple[tuple[str, str], ...] = ()  # (default | even, relationship id)
    page_start: int | None = None
    line_pitch: int | None = None


def sect_pr(fmt: SectionFormat) -> Element:
    """Return a ``w:sectPr`` in CT_SectPr order.

    python-docx's Section API adds one footer part per section and cannot restart numbering (``w:pgNumType``);
    the booklet shares one pair of numbered footers and one empty footer among many sections.
    """
    s = el("sectPr")
    for kind, rid in fmt.footers:
        add(s, el("footerReference", type=kind, r_id=rid))
    add(s, el("type", val="nextPage"))
    add(s, el("pgSz", w=str(fmt.width), h=str(fmt.height)))
    add(
        s,
        el(
            "pgMar",
            top=str(fmt.top),
            right=str(fmt.right),
            bottom=str(fmt.bottom),
            left=str(fmt.left),
            header=str(fmt.header),
            footer=str(fmt.footer),
            gutter="0",
        ),
    )
    if fmt.page_start is not None:
        add(s, el("pgNumType", fmt="decimal", start=str(fmt.page_start)))
    add(s, el("cols", space="425"))
    if fmt.line_pitch is not None:
        # No w:type: a line/character grid is not portable to LibreOffice (gbt9704.md §3); the pitch is a hint
        # only.
        add(s, el("docGrid", linePitch=str(fmt.line_pitch)))
    return s


def attach_sect_pr(p: Element, sect: Element) -> None:
    """Put ``sect`` into paragraph ``p``'s properties, ending a section there (creating ``w:pPr`` if
    needed)."""
    props = p.find(qn("w:pPr"))
    if props is None:
        props = el("pPr")
        p.insert(0, props)
    add(props, sect)


def copy(element: Element) -> Element:
    """Return a deep copy of ``element`` (a kept paragraph reused in another document)."""
    copied: Element = deepcopy(element)
    return copied


def body(children: Iterable[Element], final: Element) -> Element:
    """Return a ``w:body`` holding ``children`` followed by the final section properties ``final``."""
    made = el("body")
    made.extend(children)
    made.append(final)
    return made


def app_properties(pages: int) -> bytes:
    """Return a minimal ``docProps/app.xml``: the application and the page count, no editing statistics."""
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Application>publish</Application><Pages>{pages}</Pages><DocSecurity>0</DocSecurity>"
        "</Properties>"
    ).encode()
