"""The cleaning report of a raw input, and "keep": putting a removed piece back into the editable source.

The page edits one thing, the editable source text, which is written once from the cleaned and parsed input.
Cleaning rules stay as they are; keeping a removal re-inserts the removed text into that source where it was
cut out. Each removal carries anchors, the cleaned text just before and just after its place (for a removed
whole line: the lines around it), and keeping finds them in the current source. The choice therefore lives in
the source itself: it survives every rebuild and every later structure edit that leaves the anchors' text
alone, and a saved source carries it to the command line.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from difflib import SequenceMatcher

from publish.clean import CleanText
from publish.sourcefmt import FENCE

ANCHOR = (
    16  # characters of context on each side; enough to be unique in a booklet, short enough to survive edits
)
# Rules whose removals are invisible or blank: listed as counts, with no "keep" (nothing to put back).
SILENT = frozenset({"invisible", "indent", "trailing-space"})


class KeepError(Exception):
    """Raised when a removal cannot be put back: its place is no longer in the source."""


@dataclass(frozen=True)
class Removal:
    """One change cleaning made to a raw input, with what keeping it needs."""

    id: str
    rule: str
    line: int  # 1-based, in the original input
    column: int
    removed: str
    inserted: str
    whole_line: bool  # the line itself is gone (or nothing else was on it)
    before: str  # cleaned text just before the removal's place (whole line: end of the line before)
    after: str  # cleaned text just after it (whole line: start of the line after)

    @property
    def keepable(self) -> bool:
        """Return whether the page offers to keep it: a removal of visible text, not a replacement."""
        return not self.inserted and bool(self.removed.strip()) and self.rule not in SILENT


@dataclass(frozen=True)
class InputReport:
    """The changes cleaning made to one input, and its original lines that had any."""

    name: str
    encoding: str
    removals: tuple[Removal, ...]
    lines: dict[int, str]
    unit: str = "行"  # what a line number counts: 行 of text, 段 (paragraphs) of a Word document


def build_report(prefix: str, original: str, cleaned: CleanText, name: str, unit: str = "行") -> InputReport:
    """Return the report of ``cleaned``; removal ids are ``{prefix}.{n}``."""
    source_lines = original.split("\n")
    kept_numbers = list(cleaned.line_map)
    clean_lines = cleaned.text.split("\n")
    removals = []
    for index, change in enumerate(cleaned.changes):
        line = source_lines[change.line - 1] if change.line <= len(source_lines) else ""
        position = bisect.bisect_left(kept_numbers, change.line)
        here = position < len(kept_numbers) and kept_numbers[position] == change.line
        text = clean_lines[position] if here and position < len(clean_lines) else ""
        if here and text.strip():
            offset = _cleaned_offset(line, text, change.column - 1)
            before, after, whole = text[:offset][-ANCHOR:], text[offset:][:ANCHOR], False
        else:
            before = next((t for t in reversed(clean_lines[:position]) if t.strip()), "").strip()[-ANCHOR:]
            later = clean_lines[position + 1 if here else position :]
            after = next((t for t in later if t.strip()), "").strip()[:ANCHOR]
            whole = True
        removal = Removal(
            f"{prefix}.{index}", change.rule, change.line, change.column, change.removed, change.inserted,
            whole, before, after,
        )  # fmt: skip
        removals.append(removal)
    lines = {r.line: source_lines[r.line - 1] for r in removals if r.line <= len(source_lines)}
    return InputReport(name, cleaned.encoding, tuple(removals), lines, unit)


def _cleaned_offset(original: str, cleaned: str, column: int) -> int:
    """Return where ``column`` of the original line lies in its cleaned text (a cut maps to its edge)."""
    for tag, i1, i2, j1, _ in SequenceMatcher(None, original, cleaned, autojunk=False).get_opcodes():
        if i1 <= column < i2:
            return j1 + (column - i1) if tag == "equal" else j1
    return len(cleaned)


def keep(source: str, removal: Removal) -> str:
    """Return ``source`` with ``removal``'s text put back at its place; raise KeepError when it is gone."""
    lines = source.split("\n")
    body = _body_start(lines)
    if removal.whole_line:
        return "\n".join(_keep_line(lines, body, removal))
    head, text = "\n".join(lines[:body]) + "\n", "\n".join(lines[body:])
    for before, after in ((removal.before, removal.after), (removal.before, ""), ("", removal.after)):
        if not before and not after:
            continue
        found = _unique(text, before + after)
        if found is not None:
            at = found + len(before)
            piece = removal.removed
            if at == text.rfind("\n", 0, at) + 1 and _needs_escape(piece):
                piece = "\\" + piece
            return head + text[:at] + piece + text[at:]
        found = _unique(head, before + after)
        if found is not None:  # in a cover field (the collection title's 3篇): a TOML string
            at = found + len(before)
            piece = removal.removed.replace("\\", "\\\\").replace('"', '\\"')
            return head[:at] + piece + head[at:] + text
    raise KeepError(f"找不到第 {removal.line} 行被删除内容原来的位置（附近的文字已改动）")


def _keep_line(lines: list[str], body: int, removal: Removal) -> list[str]:
    """Insert a removed whole line as a paragraph of its own between its neighbours."""
    paragraph = removal.removed.strip()
    paragraph = "\\" + paragraph if _needs_escape(paragraph) else paragraph
    if removal.before:
        number = _line_with(lines, body, removal.before, at_end=True)
        if number is not None:
            while number + 1 < len(lines) and lines[number + 1].strip():
                number += 1  # to the end of the group: a title's other lines, the speaker, the paragraph
            return [*lines[: number + 1], "", paragraph, *lines[number + 1 :]]
    if removal.after:
        number = _line_with(lines, body, removal.after, at_end=False)
        if number is not None:
            while number - 1 > body and lines[number - 1].strip():
                number -= 1
            return [*lines[:number], paragraph, "", *lines[number:]]
    raise KeepError(f"找不到第 {removal.line} 行原来的位置（前后的文字已改动）")


def _line_with(lines: list[str], body: int, anchor: str, at_end: bool) -> int | None:
    """Return the index of the one body line ending (or starting, after markup) with ``anchor``."""
    found = [
        n
        for n in range(body, len(lines))
        if (lines[n].rstrip().endswith(anchor) if at_end else _content(lines[n]).startswith(anchor))
    ]
    return found[0] if len(found) == 1 else None


def _content(line: str) -> str:
    """Return a source line without its markup (``# ``, ``## ``, ``> ``, ``\\``)."""
    stripped = line.strip()
    if stripped.startswith(("#", ">")):
        return stripped.lstrip("#>").strip()
    return stripped[1:] if stripped.startswith("\\") else stripped


def _unique(text: str, needle: str) -> int | None:
    """Return the index of ``needle`` in ``text`` when it occurs exactly once."""
    first = text.find(needle)
    return first if first >= 0 and text.find(needle, first + 1) < 0 else None


def _body_start(lines: list[str]) -> int:
    """Return the index of the first line after the front matter."""
    for index in range(1, len(lines)):
        if lines[index].strip() == FENCE:
            return index + 1
    return len(lines)


def _needs_escape(text: str) -> bool:
    return text[:1] in "#>\\" or text.strip() == FENCE
