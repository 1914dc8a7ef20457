"""Recognise the structure of cleaned text and build the document model.

One non-blank line is one block. The first line is the collection title. A short line without numbering or
sentence punctuation that is followed by text opens a speech (consecutive such lines form one title, one part
a line; a U+3000 inside a title, from the ``title-break`` cleaning rule, splits it too), and a line in
parentheses or opening with —— right after a title is the speaker line. Numbered lines 一、 第一， （一） 1.
（1） are headings when they stand alone; when body text follows their first sentence they are paragraphs with
a run-in lead, so a heading never swallows the paragraph behind it. 一是…。 and 第一，…。 leads are marked
too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from publish.clean import CleanText
from publish.errors import Diagnostics, Location, ParseError, Severity
from publish.model import Block, Booklet, Heading, Paragraph, Speech

__all__ = ["HEADINGS", "classify", "heading_level", "paragraph", "parse", "title_parts"]

NUMERAL = "一二三四五六七八九十百零〇"
# Level and pattern of each numbered heading form (gbt9704.md §4); the match is the number with its mark.
HEADINGS: tuple[tuple[int, re.Pattern[str]], ...] = (
    (1, re.compile(f"[{NUMERAL}]+、")),
    (1, re.compile(f"第[{NUMERAL}]+[，,、]")),
    (2, re.compile(f"[（(][{NUMERAL}]+[）)]")),
    (3, re.compile(r"\d{1,3}[.．、](?![\d.．])")),
    (4, re.compile(r"[（(]\d{1,3}[）)]")),
)
ENUMERATION = re.compile(f"[{NUMERAL}]+是|第[{NUMERAL}]+[，,、]")
SENTENCE_END = re.compile(r"[。！？；!?;]")
MAX_HEADING = 60  # a numbered line longer than this without a sentence break is body text
MAX_TITLE = 40  # per title line
_NO_TITLE_END = "，、：,:…—"
_SPEAKER = re.compile(r"[（(][^（()）]{1,60}[）)]|——.{1,60}")


@dataclass
class _Speech:
    title: tuple[str, ...]
    line: int
    speaker: str = ""
    blocks: list[Block] = field(default_factory=list)


def heading_level(text: str) -> tuple[int, int]:
    """Return the level (1–4) and length of the heading number ``text`` starts with; (0, 0) for none."""
    for level, pattern in HEADINGS:
        found = pattern.match(text)
        if found:
            return level, found.end()
    return 0, 0


def paragraph(text: str, line: int = 0) -> Paragraph:
    """Return ``text`` as a paragraph, marking the run-in heading or enumeration lead it opens with."""
    level, _ = heading_level(text)
    if level and not text.startswith("第"):
        end = SENTENCE_END.search(text)
        return Paragraph(text, end.end() if end else 0, level if end else 0, line)
    if ENUMERATION.match(text):
        end = SENTENCE_END.search(text)
        return Paragraph(text, end.end() if end else 0, 0, line)
    return Paragraph(text, 0, 0, line)


def classify(text: str, line: int = 0) -> Block:
    """Return a numbered line standing alone as a ``Heading``, anything else as a ``paragraph``."""
    level, _ = heading_level(text)
    if level and len(text) <= MAX_HEADING:
        end = SENTENCE_END.search(text)
        if end is None or (end.end() == len(text) and not text.startswith("第")):
            return Heading(level, text, line)
    return paragraph(text, line)


def title_parts(text: str) -> tuple[str, ...]:
    """Split a title line at its break marks (U+3000, NBSP or several spaces); empty parts are dropped."""
    return tuple(part.strip() for part in re.split(r"[\u3000\u00a0]+| {2,}", text) if part.strip())


def _is_title(text: str) -> bool:
    numbered = heading_level(text)[0] or ENUMERATION.match(text)
    if numbered or SENTENCE_END.search(text) or _SPEAKER.fullmatch(text):
        return False
    parts = title_parts(text)
    return bool(parts) and all(len(part) <= MAX_TITLE for part in parts) and text[-1] not in _NO_TITLE_END


def parse(text: CleanText, diagnostics: Diagnostics) -> Booklet:
    """Build the booklet from cleaned text; raise ``ParseError`` when no text is left."""
    rows = [
        (text.original_line(number), line.strip())
        for number, line in enumerate(text.text.split("\n"), 1)
        if line.strip()
    ]
    if not rows:
        raise ParseError("no text left after cleaning", text.path)
    title_flags = [_is_title(line) for _, line in rows]
    speeches: list[_Speech] = []
    index = 1
    while index < len(rows):
        number, line = rows[index]
        end = index
        while end < len(rows) and title_flags[end]:
            end += 1
        if end > index and end < len(rows):
            parts = tuple(part for _, row in rows[index:end] for part in title_parts(row))
            speeches.append(_Speech(parts, number))
            index = end
            if _SPEAKER.fullmatch(rows[index][1]):
                speeches[-1].speaker = rows[index][1]
                index += 1
            continue
        if not speeches:
            speeches.append(_Speech(title_parts(rows[0][1]), rows[0][0]))
            where = Location(text.path, number)
            message = "no speech title before the first paragraph; the collection title is used"
            diagnostics.add("no-speech-title", message, where, Severity.INFO)
        speeches[-1].blocks.append(classify(line, number))
        index += 1
    return Booklet(
        title=rows[0][1],
        speeches=tuple(Speech(s.title, tuple(s.blocks), s.speaker, s.line) for s in speeches),
    )
