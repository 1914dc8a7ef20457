"""Structure corrections made on the page, as edits of the editable source text.

Each edit loads the current source with ``sourcefmt``, changes the booklet (frozen dataclasses, so by
``replace``) and writes it back with ``sourcefmt.dump_source``: whatever the page changes is exactly what a
person would have typed into the source, and building the saved source from the command line gives the same
booklet. A block is addressed by its speech and block index in the booklet the page was shown.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from publish.errors import Diagnostics
from publish.model import Block, Booklet, Heading, Speech
from publish.parse import paragraph
from publish.source import SourceText
from publish.sourcefmt import FIELDS, dump_source, load_source

MAX_LEVEL = 4
OPERATIONS = ("level", "merge", "split", "title-line", "speaker")


class EditError(Exception):
    """Raised for an edit that does not apply to the booklet shown (a stale index, a first speech merged)."""


@dataclass(frozen=True)
class Edit:
    """One correction: ``op`` from OPERATIONS, the speech and block it applies to, and a level for "level"."""

    op: str
    speech: int
    block: int = -1
    level: int = 0


def load(source: str) -> Booklet:
    """Return the booklet of the editable source ``source`` (raise ParseError if it is malformed)."""
    return load_source(SourceText("booklet.md", source, "utf-8"), Diagnostics())


def apply(source: str, edit: Edit) -> str:
    """Return ``source`` with ``edit`` made; raise EditError when it does not apply."""
    booklet = load(source)
    if not 0 <= edit.speech < len(booklet.speeches):
        raise EditError("这篇发言已不存在，请刷新页面")
    speeches = list(booklet.speeches)
    speech = speeches[edit.speech]
    if edit.op == "merge":
        if edit.speech == 0:
            raise EditError("第一篇发言前面没有可以并入的发言")
        speeches[edit.speech - 1 : edit.speech + 1] = [_merged(speeches[edit.speech - 1], speech)]
    elif edit.op in {"level", "split", "title-line", "speaker"}:
        if not 0 <= edit.block < len(speech.blocks):
            raise EditError("这一段已不存在，请刷新页面")
        if edit.op == "level":
            speeches[edit.speech] = _with_level(speech, edit.block, edit.level)
        elif edit.op == "split":
            speeches[edit.speech : edit.speech + 1] = _split(speech, edit.block)
        else:
            speeches[edit.speech] = _into_head(speech, edit.block, edit.op)
    else:
        raise EditError(f"未知的操作 {edit.op!r}")
    return dump_source(replace(booklet, speeches=tuple(speeches)))


def set_cover(source: str, fields: dict[str, str]) -> str:
    """Return ``source`` with the cover fields in ``fields`` (keys from sourcefmt.FIELDS) replaced."""
    unknown = sorted(set(fields) - set(FIELDS))
    if unknown:
        raise EditError(f"未知的封面项 {', '.join(unknown)}")
    values = {key: " ".join(str(value).split("\n")).strip() for key, value in fields.items()}
    if "title" in values and not values["title"]:
        raise EditError("封面标题不能为空")
    booklet = load(source)
    return dump_source(
        replace(
            booklet,
            title=values.get("title", booklet.title),
            subtitle=values.get("subtitle", booklet.subtitle),
            organisation=values.get("organisation", booklet.organisation),
            date=values.get("date", booklet.date),
        )
    )


def _with_level(speech: Speech, index: int, level: int) -> Speech:
    """Make block ``index`` a heading of ``level`` (1–4), or a body paragraph for level 0."""
    if not 0 <= level <= MAX_LEVEL:
        raise EditError(f"标题级别应为 0 到 {MAX_LEVEL}")
    block = speech.blocks[index]
    new: Block = Heading(level, block.text, block.line) if level else paragraph(block.text, block.line)
    return replace(speech, blocks=(*speech.blocks[:index], new, *speech.blocks[index + 1 :]))


def _merged(first: Speech, second: Speech) -> Speech:
    """Join ``second`` to ``first``: its title lines and speaker become paragraphs, then its blocks follow."""
    head = [paragraph(part, second.line) for part in second.title]
    if second.speaker:
        head.append(paragraph(second.speaker, second.line))
    return replace(first, blocks=(*first.blocks, *head, *second.blocks))


def _split(speech: Speech, index: int) -> list[Speech]:
    """Start a new speech at block ``index``, whose text becomes its title."""
    block = speech.blocks[index]
    before = replace(speech, blocks=speech.blocks[:index])
    after = Speech((block.text,), speech.blocks[index + 1 :], "", block.line)
    return [before, after]


def _into_head(speech: Speech, index: int, op: str) -> Speech:
    """Move the first block into the speech's head: a further title line, or the speaker line."""
    if index != 0:
        raise EditError("只有紧接标题的第一段可以并入标题或设为署名")
    block = speech.blocks[0]
    if op == "speaker":
        if speech.speaker:
            raise EditError("这篇发言已有署名")
        return replace(speech, speaker=block.text, blocks=speech.blocks[1:])
    if speech.speaker:
        raise EditError("标题和这一段之间有署名，不能并入标题")
    return replace(speech, title=(*speech.title, block.text), blocks=speech.blocks[1:])
