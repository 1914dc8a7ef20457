"""Turn a Word document's paragraphs into a Booklet, from the structure its author used.

Why straight to the model rather than through the editable source's markup: the styles and formatting
decide only *which role* a paragraph has (speech title, speaker line, heading, body); the text of every
paragraph still goes through the cleaning rules (one paragraph per line, so the line number is the
paragraph number), and body paragraphs through the same ``parse.classify`` as plain text. Writing markup
first would need escaping and a second parse for no gain; ``publish import`` writes the markup from the model.

Roles, strongest signal first:
1. Styles and outline levels. The Title style is a speech title; a paragraph with an outline level (a
   heading style, or ``w:outlineLvl``) is a heading. Without a Title style, top-level headings without a
   heading number are speech titles; so they are too when a Title comes before them and 一、 headings
   stand below them (a 汇编 in one document: the Title is then the collection's title). A heading's level
   is its number's (一、 → 1, （一） → 2, 1. → 3, （1） → 4) when it has one, else its rank among the
   outline levels used.
2. Formatting. A title-like first paragraph that is centred, bold or larger than the body is the title; a
   centred title-like paragraph in bold or larger type later starts another speech; a short centred,
   parenthesised or ——-led line right after a title is the speaker line; a bold numbered paragraph
   (一、加强学习，提高认识。) is a heading even where the text patterns would call it a sentence.
3. Text patterns, as for plain text (``parse.classify``). A document without any style or formatting
   signal is parsed exactly like the same text in a ``.txt`` file (``parse.parse``).
Table cells are body paragraphs, never titles or headings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from publish import parse
from publish.clean import clean
from publish.errors import Diagnostics, Location, ParseError, Severity
from publish.model import Block, Booklet, Heading, Speech
from publish.readers.word import WordParagraph, read_paragraphs
from publish.source import SourceText
from publish.sourcefmt import join_lines

__all__ = ["read_docx", "structure", "text_of"]

LARGER = 2.0  # points above the body size that make a paragraph "large"
MAX_SPEAKER = 40
MAX_TITLE_PARTS = 3
_NO_TITLE_END = "，、：,:…—"
_SPEAKER = re.compile(r"[（(].{1,60}[）)]|——.{1,60}")
_NUMBER_PREFIX = re.compile(r"^[\d０-９]+[\s._\-、．]*")

TITLE, SPEAKER, HEADING, BODY, COLLECTION = "title", "speaker", "heading", "body", "collection"


@dataclass
class _Speech:
    title: list[str]
    line: int
    speaker: str = ""
    blocks: list[Block] = field(default_factory=list)


def read_docx(path: Path, diagnostics: Diagnostics) -> Booklet:
    """Read the Word document ``path`` into a Booklet; raise ``SourceError``/``ParseError`` on failure."""
    return structure(read_paragraphs(path, diagnostics), path, diagnostics)


def structure(paragraphs: Sequence[WordParagraph], path: Path, diagnostics: Diagnostics) -> Booklet:
    """Return the booklet ``paragraphs`` make; ``path`` names the file in messages (and a missing title)."""
    name = str(path)
    toc = [p.number for p in paragraphs if p.toc]
    if toc:
        message = f"the document's own table of contents (paragraphs {toc[0]}–{toc[-1]}) is left out"
        diagnostics.add("docx-toc", message, Location(name, toc[0], unit="paragraph"), Severity.INFO)
    cleaned = clean(text_of(paragraphs, name))
    texts = dict(zip(cleaned.line_map, cleaned.text.split("\n"), strict=False))
    rows = [(p, texts.get(p.number, "").strip()) for p in paragraphs if not p.toc]
    rows = [(p, text) for p, text in rows if text]
    if not rows:
        raise ParseError("the document has no text", name)
    roles = _roles(rows)
    if all(role == BODY and not p.in_table for role, (p, _) in zip(roles, rows, strict=True)):
        return parse.parse(cleaned, diagnostics)  # no signal from styles or formatting: as plain text
    if roles[0] == BODY and not rows[0][0].in_table and _title_like(rows[0][1]) and len(rows) > 1:
        roles[0] = TITLE  # a short first line followed by text, as in plain text
    return _assemble(rows, roles, path, diagnostics)


def text_of(paragraphs: Sequence[WordParagraph], name: str) -> SourceText:
    """Return the text cleaning sees: one line per paragraph (line n is paragraph n), the document's own
    table of contents left blank. ``publish serve`` shows the cleaning report of this text."""
    lines = [""] * (paragraphs[-1].number if paragraphs else 0)
    for para in paragraphs:
        if not para.toc:
            lines[para.number - 1] = _line(para)
    return SourceText(name, "\n".join(lines) + "\n", "docx")


def _line(para: WordParagraph) -> str:
    """Return the paragraph as one line: a title-like paragraph's line breaks as U+3000 (title lines)."""
    if len(para.lines) > 1 and _title_like("".join(para.lines)):
        return "\u3000".join(line.strip() for line in para.lines if line.strip())
    return join_lines(line.strip() for line in para.lines if line.strip())


def _title_like(text: str) -> bool:
    if parse.heading_level(text)[0] or parse.ENUMERATION.match(text) or parse.SENTENCE_END.search(text):
        return False
    parts = parse.title_parts(text)
    return bool(parts) and all(len(p) <= parse.MAX_TITLE for p in parts) and text[-1] not in _NO_TITLE_END


def _speaker_like(para: WordParagraph, text: str) -> bool:
    if len(text) > MAX_SPEAKER or parse.SENTENCE_END.search(text) or parse.heading_level(text)[0]:
        return False
    return para.centred or para.subtitle_style or _SPEAKER.fullmatch(text) is not None


def _body_size(rows: Sequence[tuple[WordParagraph, str]]) -> float:
    """Return the size most characters are set in."""
    sizes: dict[float, int] = {}
    for para, text in rows:
        sizes[para.size] = sizes.get(para.size, 0) + len(text)
    return max(sizes, key=lambda size: (sizes[size], -size))


def _rare(rows: Sequence[tuple[WordParagraph, str]], signal: str) -> bool:
    """Return whether at most half the text has ``signal`` (bold, centred): only then does it single out
    titles and headings (a document set all in bold says nothing by its bold)."""
    marked = sum(len(text) for para, text in rows if getattr(para, signal))
    return marked * 2 <= sum(len(text) for _, text in rows)


def _collection(rows: Sequence[tuple[WordParagraph, str]], top: int | None) -> bool:
    """Return whether the Title style names a collection: it comes before the first top-level heading, and
    under the (unnumbered) top level there are 一、 headings, so the top level is a title above them."""
    first_top = next(
        (i for i, (p, _) in enumerate(rows) if p.outline == top and not p.title_style), len(rows)
    )
    titles = [i for i, (p, _) in enumerate(rows) if p.title_style]
    return (
        bool(titles)
        and titles[-1] < first_top
        and any(parse.heading_level(t)[0] == 1 for p, t in rows if p.outline is not None and p.outline != top)
    )


def _roles(rows: Sequence[tuple[WordParagraph, str]]) -> list[str | tuple[str, int]]:
    """Return each row's role: TITLE, SPEAKER, BODY or (HEADING, level)."""
    body = _body_size(rows)
    bold, centred = _rare(rows, "bold"), _rare(rows, "centred")
    rows = [(replace(p, bold=p.bold and bold, centred=p.centred and centred), t) for p, t in rows]
    has_title_style = any(p.title_style for p, _ in rows)
    outlines = sorted(
        {p.outline for p, _ in rows if p.outline is not None and not p.title_style and not p.in_table}
    )
    top = outlines[0] if outlines else None
    top_numbered = all(parse.heading_level(t)[0] for p, t in rows if p.outline == top)  # 一、…: headings
    top_is_title = bool(outlines) and not top_numbered and (not has_title_style or _collection(rows, top))
    ranks = [level for level in outlines if not (top_is_title and level == top)]
    roles: list[str | tuple[str, int]] = []
    title_parts = 0
    for index, (para, text) in enumerate(rows):
        previous = roles[-1] if roles else None
        number = parse.heading_level(text)[0]
        large = para.size >= body + LARGER
        role: str | tuple[str, int] = BODY
        if para.in_table:
            role = BODY
        elif para.title_style and has_title_style and top_is_title:
            role = COLLECTION  # a Title above speeches titled by the top heading level
        elif para.title_style or (top_is_title and para.outline == top and not number):
            role = TITLE
        elif para.outline is not None:
            role = (HEADING, number or min(ranks.index(para.outline) + 1 if para.outline in ranks else 1, 4))
        elif previous == TITLE and _speaker_like(para, text) and index + 1 < len(rows):
            role = SPEAKER
        elif para.subtitle_style and previous == TITLE:
            role = TITLE
        elif _title_like(text) and index + 1 < len(rows):
            first = not roles or all(r == TITLE for r in roles)
            formatted = para.centred or para.bold or large
            if (first and formatted) or (para.centred and (para.bold or large)):
                role = TITLE
        elif para.bold and number and len(text) <= parse.MAX_HEADING:
            role = (HEADING, number)
        if role == TITLE:
            title_parts = title_parts + 1 if previous == TITLE else 1
            if title_parts > MAX_TITLE_PARTS:
                role = BODY
        roles.append(role)
    return roles


def _assemble(
    rows: Sequence[tuple[WordParagraph, str]],
    roles: Sequence[str | tuple[str, int]],
    path: Path,
    diagnostics: Diagnostics,
) -> Booklet:
    speeches: list[_Speech] = []
    collection: list[str] = []
    previous: str | tuple[str, int] | None = None
    for (para, text), role in zip(rows, roles, strict=True):
        current = speeches[-1] if speeches else None
        if role == COLLECTION:
            collection.append(text)
        elif role == TITLE:
            if current is not None and previous == TITLE:
                current.title.extend(parse.title_parts(text))
            else:
                speeches.append(_Speech(list(parse.title_parts(text)), para.number))
        elif role == SPEAKER and current is not None:
            current.speaker = f"{current.speaker}\u3000{text}" if current.speaker else text
        else:
            if current is None:
                current = _untitled(path, para.number, diagnostics)
                speeches.append(current)
            if isinstance(role, tuple):
                current.blocks.append(Heading(role[1], text, para.number))
            elif para.in_table:
                current.blocks.append(parse.paragraph(text, para.number))
            else:
                current.blocks.append(parse.classify(text, para.number))
        previous = role
    return Booklet(
        title="\u3000".join(collection) or "\u3000".join(speeches[0].title) or path.stem,
        speeches=tuple(Speech(tuple(s.title), tuple(s.blocks), s.speaker, s.line) for s in speeches),
    )


def _untitled(path: Path, number: int, diagnostics: Diagnostics) -> _Speech:
    """Return a speech titled after the file (its leading number dropped): the text has no title."""
    title = _NUMBER_PREFIX.sub("", path.stem).strip() or path.stem
    message = f"no speech title before the first paragraph; the file name “{title}” is used"
    diagnostics.add("docx-no-title", message, Location(str(path), number, unit="paragraph"), Severity.INFO)
    return _Speech([title], number)
