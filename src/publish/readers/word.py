"""Read a Word document (.docx) with python-docx: its paragraphs in order, with what shapes their structure.

python-docx opens the package and resolves styles and run formatting (bold, size, alignment through the
style chain); ``_docx_xml`` walks the XML where python-docx has no API (content controls, revisions,
numbering, outline levels), and ``_docx_numbering`` turns automatic numbering into the text Word shows.
Every ``w:p`` of the body counts as one paragraph, empty ones and those in tables included: that is the
paragraph number messages give. Headers, footers, comments and footnotes are not body text. Tables are kept
as paragraphs and images are left out, each with a warning naming the paragraph.
"""

from __future__ import annotations

import gc
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.exceptions import PackageNotFoundError
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from publish.errors import Diagnostics, Location, SourceError
from publish.readers import _docx_xml as xml
from publish.readers._docx_numbering import Numbering

__all__ = ["WordParagraph", "read_paragraphs"]

_OLE = b"\xd0\xcf\x11\xe0"  # the signature of .doc/.wps (OLE compound files)


@dataclass(frozen=True)
class WordParagraph:
    """One body paragraph: its text lines (split at line breaks) and the signals of its role.

    ``outline`` is the outline level 0–8 from the paragraph, its style or a heading style; None for body text.
    ``size`` is the point size of most of its text; ``bold`` means all of its text is bold.
    """

    number: int
    lines: tuple[str, ...]
    style: str = ""
    outline: int | None = None
    title_style: bool = False  # the Title style (or 标题)
    subtitle_style: bool = False
    toc: bool = False  # a TOC n style: the document's own 目录
    centred: bool = False
    bold: bool = False
    size: float = 0.0
    in_table: bool = False
    numbered: bool = False  # the first line starts with an automatic number

    @property
    def text(self) -> str:
        """Return the lines joined without separator (for role tests)."""
        return "".join(self.lines)


def read_paragraphs(path: Path, diagnostics: Diagnostics) -> list[WordParagraph]:
    """Return the body paragraphs of ``path``; raise ``SourceError`` if it is not a readable .docx."""
    document = _open(path)
    styles = document.styles.element
    numbering = _numbering(document)
    default = xml.default_size(styles) or 10.0
    reader = _Reader(document, numbering, default, str(path), diagnostics)
    paragraphs = list(reader.paragraphs())
    # python-docx's package, parts and proxies refer to each other: only the cycle collector frees a
    # document, and the command line raises its threshold for speed. Collect now, or a folder of 30 Word
    # files peaks at 173 MB instead of 31 MB (and reads slower: the heap keeps growing).
    del document, reader
    gc.collect()
    return paragraphs


def _open(path: Path) -> Any:
    try:
        head = path.read_bytes()[:4]
    except OSError as exc:
        raise SourceError(f"cannot read: {exc.strerror or exc}", path) from exc
    if head == _OLE:
        raise SourceError(
            "is an old Word/WPS file (.doc or .wps) named .docx; save it as .docx (Word or WPS: "
            f"另存为 .docx) or convert it with: soffice --headless --convert-to docx {path.name}",
            path,
        )
    try:
        return docx.Document(str(path))
    except (
        zipfile.BadZipFile,
        ValueError,
        KeyError,
        OSError,
        PackageNotFoundError,
    ) as exc:
        raise SourceError(f"not a readable Word .docx file ({type(exc).__name__}: {exc})", path) from None


def _numbering(document: Any) -> Numbering:
    try:
        root = document.part.numbering_part.element
    except (KeyError, NotImplementedError):
        return Numbering(None)
    return Numbering(root, xml.style_num_ids(document.styles.element))


def _chain(style: Any) -> Iterator[Any]:
    """Yield ``style`` and its base styles (at most 16: a cycle in a damaged file ends there)."""
    for _ in range(16):
        if style is None:
            return
        yield style
        style = style.base_style


def _style_kind(name: str) -> tuple[int | None, str]:
    """Return the outline level a style name implies (Heading 1 → 0) and "title"/"subtitle"/"toc"/""."""
    lowered = name.casefold().replace(" ", "")
    for prefix in ("heading", "标题"):
        if lowered.startswith(prefix) and lowered[len(prefix) :].isdigit():
            return int(lowered[len(prefix) :]) - 1, ""
    if lowered in ("title", "标题"):
        return None, "title"
    if lowered in ("subtitle", "副标题"):
        return None, "subtitle"
    if (lowered.startswith("toc") and lowered[3:].isdigit()) or lowered.startswith("目录"):
        return None, "toc"
    return None, ""


@dataclass(frozen=True)
class _StyleInfo:
    """What a style and its base styles say, resolved once per style (python-docx's lookups are slow)."""

    name: str = ""
    kind: str = ""  # "title", "subtitle", "toc" or ""
    outline: int | None = None
    num_id: str | None = None
    ilvl: int | None = None
    alignment: str | None = None  # w:jc: "center", "both", "start", "left", …
    bold: bool | None = None
    size: float | None = None


def _resolve(style: Any) -> _StyleInfo:
    """Return what ``style`` (None: no style) and its base styles set, the nearest setting winning."""
    info: dict[str, Any] = {"name": style.name or "" if style is not None else "", "kind": ""}
    for base in _chain(style):
        level, kind = _style_kind(base.name or "")
        ppr = xml.paragraph_properties(base.element)
        num_id, ilvl = xml.num_pr(ppr)
        outline = xml.outline_level(ppr)
        font = getattr(base, "font", None)  # a numbering or table style named by mistake has none
        bold, size = _font(font) if font is not None else (None, None)
        for key, value in (
            ("kind", kind or None),
            ("outline", outline if outline is not None else level),
            ("num_id", num_id),
            ("ilvl", ilvl),
            ("alignment", xml.justification(ppr)),
            ("bold", bold),
            ("size", size),
        ):
            if info.get(key) in (None, "") and value is not None:
                info[key] = value
    return _StyleInfo(**info)


class _Reader:
    def __init__(self, document: Any, numbering: Numbering, default: float, path: str, found: Diagnostics):
        self.document, self.numbering, self.default = document, numbering, default
        self.path, self.found = path, found
        self.count = 0
        self.by_id = {style.style_id: style for style in document.styles}
        self.default_style = _resolve(document.styles.default(WD_STYLE_TYPE.PARAGRAPH))
        self.infos: dict[str | None, _StyleInfo] = {}

    def _info(self, style_id: str | None, paragraph_style: bool = True) -> _StyleInfo:
        """Return the resolved style ``style_id``; the default (or nothing) for None or an unknown id."""
        key = style_id if paragraph_style else f"run:{style_id}"
        if key not in self.infos:
            style = self.by_id.get(style_id) if style_id is not None else None
            if style is None:
                self.infos[key] = self.default_style if paragraph_style else _StyleInfo()
            else:
                self.infos[key] = _resolve(style)
        return self.infos[key]

    def paragraphs(self) -> Iterator[WordParagraph]:
        for block in xml.body_blocks(self.document.element.body):
            if block.kind == "p":
                yield self._paragraph(block.element, in_table=False)
            elif block.kind == "tbl":
                first = self.count + 1
                rows = xml.row_count(block.element)
                for element in xml.table_paragraphs(block.element):
                    yield self._paragraph(element, in_table=True)
                message = f"a table ({rows} rows) is kept as paragraphs: the booklet cannot hold tables yet"
                self.found.add("docx-table", message, Location(self.path, first, unit="paragraph"))
            else:
                message = "an embedded document (altChunk) cannot be read; its text is not in the booklet"
                where = Location(self.path, self.count + 1, unit="paragraph")
                self.found.add("docx-embedded", message, where)

    def _paragraph(self, element: Any, in_table: bool) -> WordParagraph:
        self.count += 1
        paragraph = Paragraph(element, self.document)
        piece = xml.paragraph_pieces(element)
        if piece.images:
            boxes = [box for box in piece.textboxes if box.strip()]
            what = f"text box “{boxes[0][:20]}”" if boxes else f"{piece.images} image(s)"
            where = Location(self.path, self.count, unit="paragraph")
            self.found.add(
                "docx-image", f"{what} left out: the booklet cannot hold images or text boxes yet", where
            )
        style = self._info(xml.style_id(element))
        ppr = xml.paragraph_properties(element)
        outline = xml.outline_level(ppr)
        num_id, ilvl = xml.num_pr(ppr)
        number, separator = self.numbering.next_text(
            num_id if num_id is not None else style.num_id, ilvl if ilvl is not None else style.ilvl
        )
        lines = list(piece.lines)
        if number:
            lines[0] = number + _separator(number, separator) + lines[0].lstrip()
        alignment = xml.justification(ppr)
        bold, size = self._formatting(piece.runs, paragraph, style)
        return WordParagraph(
            number=self.count,
            lines=tuple(lines),
            style=style.name,
            outline=outline if outline is not None else style.outline,
            title_style=style.kind == "title",
            subtitle_style=style.kind == "subtitle",
            toc=style.kind == "toc",
            centred=(alignment if alignment is not None else style.alignment) == "center",
            bold=bold,
            size=size,
            in_table=in_table,
            numbered=bool(number),
        )

    def _formatting(
        self, runs: list[tuple[Any, int]], paragraph: Paragraph, style: _StyleInfo
    ) -> tuple[bool, float]:
        """Return whether every character is bold, and the size most characters have."""
        sizes: dict[float, int] = {}
        bold = bool(runs)
        for element, count in runs:
            character = self._info(xml.run_style_id(element), paragraph_style=False)
            run_bold, size = _font(Run(element, paragraph).font)
            run_bold = run_bold if run_bold is not None else character.bold
            run_bold = run_bold if run_bold is not None else style.bold
            points = size or character.size or style.size or self.default
            bold = bold and bool(run_bold)
            sizes[points] = sizes.get(points, 0) + count
        return bold, max(sizes, key=lambda s: (sizes[s], s)) if sizes else self.default


def _font(font: Any) -> tuple[bool | None, float | None]:
    """Return a python-docx Font's bold and size in points (None: not set, or a value it cannot parse)."""
    try:
        bold, size = font.bold, font.size
    except (ValueError, KeyError, TypeError):  # e.g. a measure with units, which python-docx rejects
        return None, None
    return bold, size.pt if size is not None else None


def _separator(number: str, separator: str) -> str:
    """Return what stands between a number and its text: nothing after a mark (一、 1.), else a space."""
    if not separator or not number[-1].isalnum():
        return ""
    return " " if number[-1].isascii() else "\u3000"
