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
from typing import TYPE_CHECKING

from publish.errors import Diagnostics, Location, ParseError, Severity
from publish.model import Block, Booklet, Heading, Paragraph, Speech
from publish.numbering import HEADINGS, NUMERAL
from publish.patterns import Lazy

if TYPE_CHECKING:  # the editable source is parsed without the cleaning stage: not imported for it
    from publish.clean import CleanText

__all__ = ["classify", "heading_level", "paragraph", "parse", "title_parts"]

ENUMERATION = re.compile(f"[{NUMERAL}]+是|第[{NUMERAL}]+[，,、]")
SENTENCE_END = re.compile(r"[。！？；!?;]")
LEAD_END = Lazy(r"[：:。！？；!?;]")  # a numbered run-in lead ends at its first colon or sentence end
CLAUSE_BREAK = Lazy(r"[，,；;：:]")
FINAL = "。！？!?"  # a line ending in one of these is a sentence, not a bare heading
# A date line (2024年3月1日, 二〇二四年三月一日) or a closing line (谢谢大家) is never part of a title: it
# belongs to the signature block or the end of the speech before.
_DATE = Lazy(
    r"[0-9０-９]{4}\s*年\s*[0-9０-９]{1,2}\s*月\s*[0-9０-９]{1,2}\s*[日号]"
    r"|[〇○零一二三四五六七八九]{4}年[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日"
)
_CLOSING = Lazy(r"谢谢(?:大家|各位|您们|你们)?[。！!]*")
MAX_TITLE_LINES = 2  # after body text, at most this many short lines before the next text form its title
MAX_HEADING = 100  # a numbered line longer than this without a sentence break is body text
MAX_TITLE = 40  # per title line
_NO_TITLE_END = "，、：,:…—"
_CONTINUED = ("、", "，", ",", "——")  # a title line ending so goes on in the next line
_SPEAKER = Lazy(r"[（(][^（()）]{1,60}[）)]|——.{1,60}")
MAX_BYLINES = 3  # subtitle, speaker, date under a title
# A name under a title: 2–3 characters (王小明, 王　芳), or an organisation or post before it (市残联 王小明).
_NAME = Lazy(r"[\u4e00-\u9fff]{2,3}(?:同志)?")
_ORG_END = Lazy(
    r"(?:委|局|部|办|厅|院|会|处|科|室|所|站|中心|支部|党委|党组|组|公司|集团|学校|大学|小组|队|馆|团|联|社|协|街道|"
    r"社区|村|镇|乡|区|县|市|省|书记|主任|局长|部长|处长|科长|主席|委员|干部|代表|馆长|校长|经理|队长|站长|"
    r"所长|院长|秘书长|员|长)$"
)
# A collection separator starts a speech, part of no title: 篇一： 第1篇: 【范文1】 范文二 发言稿三 材料4
_SEPARATOR = Lazy(
    rf"(?:(?:篇|范文|发言稿|发言材料|材料|讲话稿|稿件|例文)[{NUMERAL}\d]{{1,3}}|第[{NUMERAL}\d]{{1,3}}篇"
    rf"|[【\[](?:范文|篇|材料|发言稿|例文)?[{NUMERAL}\d]{{1,3}}[】\]]|[【\[]第[{NUMERAL}\d]{{1,3}}篇[】\]])"
    r"(?:[：:．.、，,]|\s|$)\s*"
)
# A salutation opens a speech as body text, never as a title or a cover: 同志们： 尊敬的各位领导、各位同事：
_SALUTATION = Lazy(
    r"(?:尊敬的|各位|亲爱的|同志们|同事们|朋友们|老师们|同学们|青年朋友们|大家好).{0,40}?[：:，,！!]$"
)


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


def _is_title(text: str, continued: bool = False) -> bool:
    """Return whether ``text`` can be a title line; ``continued``: it may end with 、 ， or —— (a title
    that goes on in the next line)."""
    numbered = heading_level(text)[0] or ENUMERATION.match(text)
    if numbered or SENTENCE_END.search(text) or _SPEAKER.fullmatch(text) or _is_signature(text):
        return False
    if _SALUTATION.fullmatch(text):
        return False
    parts = title_parts(text)
    if not parts or any(len(part) > MAX_TITLE for part in parts):
        return False
    return text[-1] not in _NO_TITLE_END or (continued and text.endswith(_CONTINUED))


def _title_flags(lines: list[str]) -> list[bool]:
    """Return per line whether it is a title line; a line ending with 、 ， or —— only before another."""
    flags = [False] * len(lines)
    for index in range(len(lines) - 1, -1, -1):
        after = index + 1 < len(lines) and flags[index + 1]
        flags[index] = _is_title(lines[index]) or (after and _is_title(lines[index], continued=True))
    return flags


def _is_byline(text: str, after_title: bool) -> bool:
    """Return whether ``text`` belongs under a title: a subtitle ——…, a date, (…), or a speaker's name."""
    if _SPEAKER.fullmatch(text) or _DATE.fullmatch(text):
        return True
    parts = re.split(r"[\s\u3000]+", text)
    name = "".join(parts)
    if len(parts) <= 3 and _NAME.fullmatch(name) and after_title:
        return True
    if 2 <= len(parts) <= 4 and len(text) <= 30:
        org, person = " ".join(parts[:-1]), parts[-1]
        if len(person) == 1 and len(parts) >= 3:  # 市残联 王 芳: a name spaced out to three cells
            org, person = " ".join(parts[:-2]), parts[-2] + parts[-1]
        return bool(_NAME.fullmatch(person) and _ORG_END.search(org))
    return False


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


def _separators(rows: list[tuple[int, str]]) -> tuple[list[tuple[int, str]], set[int]]:
    """Return ``rows`` with collection separators taken off and the indices of rows that start a speech."""
    out: list[tuple[int, str]] = []
    starts: set[int] = set()
    pending = False
    for number, line in rows:
        found = _SEPARATOR.match(line)
        if found and len(line) - found.end() <= MAX_TITLE:
            rest = line[found.end() :].strip()
            pending = True
            if not rest:
                continue
            line = rest
        if pending:
            starts.add(len(out))
            pending = False
        out.append((number, line))
    return out, starts


def parse(text: CleanText, diagnostics: Diagnostics) -> Booklet:
    """Build the booklet from cleaned text; raise ``ParseError`` when no text is left.

    The first line is the collection title unless it is a salutation or prose (then there is no title), a
    collection separator, or a speech title (it goes on in the next line, or a byline follows it); without
    a collection title the cover takes the title of a single speech, or stays empty. A paged input (a PDF)
    whose first page holds only short lines has a cover page: its lines are the cover's fields.
    """
    numbered = [
        (number, line.strip()) for number, line in enumerate(text.text.split("\n"), 1) if line.strip()
    ]
    rows = [(text.original_line(number), line) for number, line in numbered]
    if not rows:
        raise ParseError("no text left after cleaning", text.path)
    cover = _cover_page(numbered, text.page_starts)
    cover_rows, rows = rows[: len(cover)], rows[len(cover) :]
    if not rows:
        raise ParseError("no text left after cleaning", text.path)
    rows, starts = _separators(rows)
    if not rows:
        raise ParseError("no text left after cleaning", text.path)
    lines = [line for _, line in rows]
    title_flags = _title_flags(lines)
    short = [flag or _is_signature(line) for flag, line in zip(title_flags, lines, strict=True)]
    collection = title_flags[0] and 0 not in starts and not lines[0].endswith(_CONTINUED)
    collection = collection and not (len(rows) > 1 and _is_byline(lines[1], after_title=False))
    collection = collection and not cover  # a cover page holds the collection title
    speeches: list[_Speech] = []

    def add_block(number: int, line: str) -> None:
        if not speeches:
            title = title_parts(lines[0]) if collection else ()
            speeches.append(_Speech(title, rows[0][0] if collection else number))
            where = Location(text.path, number)
            if collection:
                message = "no speech title before the first paragraph; the collection title is used"
            else:
                message = "the first speech has no title"
            diagnostics.add("no-speech-title", message, where, Severity.INFO)
        speeches[-1].blocks.append(classify(line, number))

    index = 1 if collection else 0
    while index < len(rows):
        end = index
        while end < len(rows) and short[end] and (end == index or end not in starts):
            end += 1
        bylines: list[str] = []
        # a date under a title (one line, before the text) is its byline; after an organisation it is a
        # signature of the speech before
        dated = end < len(rows) and end - 1 > index and _DATE.fullmatch(lines[end - 1]) is not None
        if dated and not _ORG_END.search(lines[end - 2]):
            end -= 1
        if (end > index and end < len(rows)) or index in starts:
            after_text = bool(speeches and speeches[-1].blocks) and index not in starts
            begin = _title_start(title_flags, index, end, after_text)
            for number, line in rows[index:begin]:
                add_block(number, line)
            if begin < end or index in starts:
                last = end - 1  # a name closing the short lines is the speaker, not a title line
                if end - begin >= 2 and _is_byline(lines[last], after_title=True):
                    bylines.append(lines[last])
                else:
                    last = end
                parts = tuple(part for _, row in rows[begin:last] for part in title_parts(row))
                speeches.append(_Speech(parts, rows[begin][0] if begin < len(rows) else rows[-1][0]))
                while end < len(rows) and len(bylines) < MAX_BYLINES and end not in starts:
                    if not _is_byline(lines[end], after_title=bool(parts)):
                        break
                    bylines.append(lines[end])
                    end += 1
                speeches[-1].speaker = "\n".join(bylines)
            index = end
            continue
        # a run of short lines that reaches the end is body text, line by line (in one step: scanning the
        # run again from each of its lines would be quadratic)
        for row in rows[index : max(end, index + 1)]:
            add_block(*row)
        index = max(end, index + 1)
    title = lines[0] if collection else ""
    if not collection and len(speeches) == 1:
        title = "\n".join(speeches[0].title)  # the cover breaks where the title does
    meta = _cover_fields([line for _, line in cover_rows])
    return Booklet(
        title=meta.get("title", title),
        speeches=tuple(Speech(s.title, tuple(s.blocks), s.speaker, s.line) for s in speeches),
        subtitle=meta.get("subtitle", ""),
        organisation=meta.get("organisation", ""),
        date=meta.get("date", ""),
    )


def _cover_page(rows: list[tuple[int, str]], page_starts: tuple[int, ...]) -> list[tuple[int, str]]:
    """Return the rows of a cover: a first page of short lines only (title, subtitle, organisation, date)
    before more pages; none when the input has no pages or its first page holds text."""
    if not page_starts:
        return []
    first = [row for row in rows if row[0] < page_starts[0]]
    if not first or len(first) == len(rows) or len(first) > 8:
        return []
    flags = _title_flags([line for _, line in first])
    short = all(
        flag or _is_byline(line, True) or _DATE.fullmatch(line)
        for flag, (_, line) in zip(flags, first, strict=True)
    )
    return first if short and flags[0] else []


def _cover_fields(lines: list[str]) -> dict[str, str]:
    """Return the cover fields of a cover page's lines: the title lines (one cover line each), then a
    subtitle ——…, a date and the organisation."""
    meta: dict[str, str] = {}
    flags = _title_flags(lines)
    count = next((i for i, flag in enumerate(flags) if not flag), len(lines))
    if lines:
        meta["title"] = "\n".join(lines[:count])
    for line in lines[count:]:
        key = "subtitle" if line.startswith("——") else "date" if _DATE.fullmatch(line) else "organisation"
        meta[key] = f"{meta[key]}\n{line}" if key in meta else line
    return meta
