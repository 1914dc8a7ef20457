"""The editable source format: plain UTF-8 text with TOML front matter and light Markdown-like markup.

::

    +++
    title = "残联党务干部培训班上的交流发言稿"     # cover; subtitle, organisation, date likewise
    +++

    # 深刻理解全面从严治党                         one speech title; adjacent # lines are one title,
    # 以新时代党建工作引领残疾人事业新发展         one title line each
    > 张三                                         speaker line(s), right after the title (optional:
                                                   subtitle ——…, name, date, one a line)

    ## 第一，对这次学习培训的几点感悟               ## … ##### : heading levels 1–4, numbering kept

    一是党组高度重视、培训内容丰富。党组……       a paragraph; blank lines separate paragraphs

The file starts with a ``+++`` line. Paragraph lines are joined without a space (with one between two Latin
letters or digits); run-in leads (一是…。, （一）…。 followed by text) are recognised as in raw text, so they
need no markup. A paragraph that would begin with ``#``, ``>`` or ``\\`` is written with a ``\\`` in front.
The text is taken as written: cleaning rules are for raw text and are not applied here.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field

from publish.errors import Diagnostics, ParseError
from publish.model import Block, Booklet, Heading, Speech
from publish.parse import paragraph, title_parts
from publish.source import SourceText

__all__ = ["FIELDS", "dump_source", "is_source", "join_lines", "load_source"]

FENCE = "+++"
FIELDS = ("title", "subtitle", "organisation", "date")
_MARKUP = re.compile(r"(#+)(?:[ \u3000]+(.*))?")
_GUIDE = (
    "# 封面信息（TOML）。正文：“# ”演讲标题（相邻两行为一个标题的两行），“> ”署名，"
    "“## ”至“##### ”一至四级标题，空行分段。"
)


@dataclass
class _Speech:
    title: list[str]
    line: int
    title_end: int  # the line of the title's last part
    speaker: str = ""
    blocks: list[Block] = field(default_factory=list)


def is_source(text: str) -> bool:
    """Return whether ``text`` is in the editable source format (its first line is ``+++``)."""
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    return first.strip() == FENCE


def load_source(src: SourceText, diagnostics: Diagnostics) -> Booklet:
    """Build the booklet from editable source; raise ``ParseError`` (with the line) on what it cannot read."""
    lines = src.text.lstrip("\ufeff").split("\n")
    _refuse_unwritable(lines, src.path)
    if not lines or lines[0].strip() != FENCE:
        raise ParseError(f"editable source must start with a {FENCE} line (front matter)", src.path, 1)
    try:
        close = next(i for i in range(1, len(lines)) if lines[i].strip() == FENCE)
    except StopIteration:
        raise ParseError(f"front matter opened on line 1 is never closed with {FENCE}", src.path, 1) from None
    meta = _front_matter("\n".join(lines[1:close]), src.path)
    speeches: list[_Speech] = []
    para: list[tuple[int, str]] = []

    def flush() -> None:
        if para:
            speeches[-1].blocks.append(paragraph(join_lines(text for _, text in para), para[0][0]))
            para.clear()

    for number, raw in enumerate(lines[close + 1 :], close + 2):
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#"):
            flush()
            _markup(line, number, raw, src.path, speeches)
        elif line.startswith(">"):
            current = speeches[-1] if speeches else None
            if current is None or current.blocks or current.title_end != number - 1:
                message = "a speaker line (> …) must directly follow a speech title or speaker line"
                raise ParseError(message, src.path, number, raw)
            byline = line[1:].strip()
            current.speaker = f"{current.speaker}\n{byline}" if current.speaker else byline
            current.title_end = number
        elif line == FENCE:
            raise ParseError(f"{FENCE} only delimits the front matter at the top", src.path, number)
        else:
            if not speeches:
                message = "text before the first speech title; start with a '# title' line"
                raise ParseError(message, src.path, number, raw)
            para.append((number, line[1:] if line.startswith("\\") else line))
    if speeches:
        flush()
    return Booklet(
        title=meta["title"],
        speeches=tuple(Speech(tuple(s.title), tuple(s.blocks), s.speaker, s.line) for s in speeches),
        subtitle=meta.get("subtitle", ""),
        organisation=meta.get("organisation", ""),
        date=meta.get("date", ""),
    )


# Characters no PDF text layer or DOCX (XML 1.0) can hold: C0 controls but tab, U+FFFE, U+FFFF, surrogates.
# Cleaning removes them from raw text; the editable source is taken as written, so it refuses them instead.
_UNWRITABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def _refuse_unwritable(lines: list[str], path: str, first: int = 1) -> None:
    """Raise ParseError naming the line and the character of the first character no output can hold."""
    for number, line in enumerate(lines, first):
        found = _UNWRITABLE.search(line)
        if found:
            char = f"U+{ord(found.group()):04X}"
            message = f"character {char} at column {found.start() + 1} cannot be printed or saved; delete it"
            raise ParseError(message, path, number)


def _markup(line: str, number: int, raw: str, path: str, speeches: list[_Speech]) -> None:
    found = _MARKUP.fullmatch(line)
    depth = len(found.group(1)) if found else 0
    text = (found.group(2) or "").strip() if found else ""
    if not found or depth > 5 or (depth > 1 and not text):
        hint = "use '# 标题', '## 一、…' to '##### （1）…', or write \\# for a paragraph starting with #"
        raise ParseError(f"unknown markup ({hint})", path, number, raw)
    if depth > 1:
        if not speeches:
            raise ParseError("heading before the first speech title", path, number, raw)
        speeches[-1].blocks.append(Heading(depth - 1, text, number))
        return
    current = speeches[-1] if speeches else None
    if not text:  # a bare '#': a speech without a title
        speeches.append(_Speech([], number, number))
    elif current is not None and current.title and current.title_end == number - 1 and not current.speaker:
        current.title.extend(title_parts(text))
        current.title_end = number
    else:
        speeches.append(_Speech(list(title_parts(text)), number, number))


def _front_matter(text: str, path: str) -> dict[str, str]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"line (\d+)", str(exc))
        line = int(found.group(1)) + 1 if found else text.count("\n") + 2  # "at end of document"
        raise ParseError(f"bad front matter: {exc}", path, line) from None
    meta: dict[str, str] = {}
    for key, value in data.items():
        line = _key_line(text, key)
        if key not in FIELDS:
            raise ParseError(f"unknown front matter key {key!r}; allowed: {', '.join(FIELDS)}", path, line)
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            value = f"{value.year}年{value.month}月{value.day}日"  # GB/T 9704 §7.3.5: Arabic, unpadded
        if not isinstance(value, str):
            raise ParseError(f"front matter key {key!r} must be a string", path, line)
        _refuse_unwritable([value], path, line)  # a TOML escape such as \u0007
        meta[key] = value.strip()
    meta.setdefault("title", "")  # an empty cover title prints nothing; nothing is invented
    return meta


def _key_line(text: str, key: str) -> int:
    for number, line in enumerate(text.split("\n"), 2):
        if re.match(rf"\s*{re.escape(key)}\s*=", line):
            return number
    return 1


def join_lines(parts: Iterable[str]) -> str:
    """Join the lines of one paragraph: no space, except between two Latin letters or digits."""
    out = ""
    for part in parts:
        if out and out[-1].isascii() and out[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            out += " "
        out += part
    return out


def dump_source(booklet: Booklet) -> str:
    """Return ``booklet`` in the editable source format; loading the result gives the same booklet."""
    out = [FENCE, _GUIDE]
    for key in FIELDS:
        out.append(f"{key} = {_toml_string(getattr(booklet, key))}")
    out.append(FENCE)
    for speech in booklet.speeches:
        out.append("")
        out += [f"# {part}" for part in speech.title] or ["#"]
        out += [f"> {byline}" for byline in speech.speaker.split("\n") if speech.speaker]
        for block in speech.blocks:
            out.append("")
            if isinstance(block, Heading):
                out.append(f"{'#' * (block.level + 1)} {block.text}")
            else:
                escape = block.text[:1] in "#>\\" or block.text.strip() == FENCE
                out.append(("\\" if escape else "") + block.text)
    return "\n".join(out) + "\n"


def _toml_string(value: str) -> str:
    body = value.replace("\\", "\\\\").replace('"', '\\"')
    body = "".join(f"\\u{ord(c):04x}" if ord(c) < 0x20 or ord(c) == 0x7F else c for c in body)
    return f'"{body}"'
