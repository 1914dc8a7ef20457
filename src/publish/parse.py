"""Recognise the structure of cleaned text and build the document model.

One non-blank line is one block. The first line is the collection title. A short line without numbering or
sentence punctuation that is followed by text opens a speech (consecutive such lines form one title, one part
a line; a U+3000 inside a title, from the ``title-break`` cleaning rule, splits it too), and a line in
parentheses or opening with —— right after a title is the speaker line. After body text a title is at most
two lines: short lines before them, and date (2024年3月1日) or closing (谢谢大家) lines, are the signature
block of the speech before and stay its paragraphs. Numbered lines 一、 第一， （一） 1. （1） are headings
when they stand alone; when body text follows their lead (up to a colon or sentence end), or they are one
sentence with a clause break, they are paragraphs with a run-in lead, so a heading never swallows the
paragraph behind it. 一是…。 and 第一，…。 leads are marked too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from publish.clean import CleanText
from publish.errors import Diagnostics, Location, ParseError, Severity
from publish.model import Block, Booklet, Heading, Paragraph, Speech
from publish.numbering import HEADINGS, NUMERAL

__all__ = ["classify", "heading_level", "paragraph", "parse", "title_parts"]

ENUMERATION = re.compile(f"[{NUMERAL}]+是|第[{NUMERAL}]+[，,、]")
SENTENCE_END = re.compile(r"[。！？；!?;]")
LEAD_END = re.compile(r"[：:。！？；!?;]")  # a numbered run-in lead ends at its first colon or sentence end
CLAUSE_BREAK = re.compile(r"[，,；;：:]")
FINAL = "。！？!?"  # a line ending in one of these is a sentence, not a bare heading
# A date line (2024年3月1日, 二〇二四年三月一日) or a closing line (谢谢大家) is never part of a title: it
# belongs to the signature block or the end of the speech before.
_DATE = re.compile(
    r"[0-9０-９]{4}\s*年\s*[0-9０-９]{1,2}\s*月\s*[0-9０-９]{1,2}\s*[日号]"
    r"|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日"
)
_CLOSING = re.compile(r"谢谢(?:大家|各位|您们|你们)?[。！!]*")
MAX_TITLE_LINES = 2  # after body text, at most this many short lines before the next text form its title
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
    """Return ``text`` as a paragraph, marking the run-in heading or enumeration lead it opens with.

    A numbered lead (一、 （一） 1. （1）) ends at the first colon or sentence end; when that is the end of
    the text (the paragraph is one sentence), it ends at the first clause break instead, so the lead never
    covers the whole paragraph. An enumeration lead (一是 第一，) is the first sentence.
    """
    level, size = heading_level(text)
    if level and not text.startswith("第"):
        end = LEAD_END.search(text, size)
        if end is not None and end.end() == len(text):
            end = CLAUSE_BREAK.search(text, size) or end
        return Paragraph(text, end.end() if end else 0, level if end else 0, line)
    if ENUMERATION.match(text):
        end = SENTENCE_END.search(text)
        return Paragraph(text, end.end() if end else 0, 0, line)
    return Paragraph(text, 0, 0, line)


def classify(text: str, line: int = 0) -> Block:
    """Return a numbered line standing alone as a ``Heading``, anything else as a ``paragraph``.

    A numbered line stands alone when it has no sentence end, or one only at its end without a clause break
    before it: （一）加强学习。 is a heading, （一）加强领导，确保落实。 a one-sentence paragraph.
    """
    level, size = heading_level(text)
    if level and len(text) <= MAX_HEADING:
        end = SENTENCE_END.search(text)
        if end is None:
            return Heading(level, text, line)
        sentence = text[-1] in FINAL and CLAUSE_BREAK.search(text, size) is not None
        if end.end() == len(text) and not text.startswith("第") and not sentence:
            return Heading(level, text, line)
    return paragraph(text, line)


def title_parts(text: str) -> tuple[str, ...]:
    """Split a title line at its break marks (U+3000, NBSP or several spaces); empty parts are dropped."""
    return tuple(part.strip() for part in re.split(r"[\u3000\u00a0]+| {2,}", text) if part.strip())


def _is_title(text: str) -> bool:
    numbered = heading_level(text)[0] or ENUMERATION.match(text)
    if numbered or SENTENCE_END.search(text) or _SPEAKER.fullmatch(text) or _is_signature(text):
        return False
    parts = title_parts(text)
    return bool(parts) and all(len(part) <= MAX_TITLE for part in parts) and text[-1] not in _NO_TITLE_END


def _is_signature(text: str) -> bool:
    """Return whether ``text`` is a date or closing line, which ends a speech and never starts a title."""
    return _DATE.fullmatch(text) is not None or _CLOSING.fullmatch(text) is not None


def _title_start(flags: list[bool], start: int, end: int, after_text: bool) -> int:
    """Return where the title begins among the short lines ``start:end`` (``end`` when there is none).

    The title follows the last date or closing line of the run; after body text it is at most the last
    ``MAX_TITLE_LINES`` lines, the lines before (a signature block) staying with the speech before.
    """
    begin = start
    for index in range(start, end):
        if not flags[index]:
            begin = index + 1
    return max(begin, end - MAX_TITLE_LINES) if after_text else begin


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
    short = [flag or _is_signature(line) for flag, (_, line) in zip(title_flags, rows, strict=True)]
    speeches: list[_Speech] = []

    def add_block(number: int, line: str) -> None:
        if not speeches:
            speeches.append(_Speech(title_parts(rows[0][1]), rows[0][0]))
            where = Location(text.path, number)
            message = "no speech title before the first paragraph; the collection title is used"
            diagnostics.add("no-speech-title", message, where, Severity.INFO)
        speeches[-1].blocks.append(classify(line, number))

    index = 1
    while index < len(rows):
        end = index
        while end < len(rows) and short[end]:
            end += 1
        if end > index and end < len(rows):
            after_text = bool(speeches and speeches[-1].blocks)
            begin = _title_start(title_flags, index, end, after_text)
            for number, line in rows[index:begin]:
                add_block(number, line)
            if begin < end:
                parts = tuple(part for _, row in rows[begin:end] for part in title_parts(row))
                speeches.append(_Speech(parts, rows[begin][0]))
                if _SPEAKER.fullmatch(rows[end][1]):
                    speeches[-1].speaker = rows[end][1]
                    end += 1
            index = end
            continue
        # a run of short lines that reaches the end is body text, line by line (in one step: scanning the
        # run again from each of its lines would be quadratic)
        for row in rows[index : max(end, index + 1)]:
            add_block(*row)
        index = max(end, index + 1)
    return Booklet(
        title=rows[0][1],
        speeches=tuple(Speech(s.title, tuple(s.blocks), s.speaker, s.line) for s in speeches),
    )
