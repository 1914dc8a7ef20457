"""Clean decoded text: remove site noise and normalise punctuation, conservatively and auditably.

Every edit comes from a named rule and is recorded as a ``Change`` with its line and column in the original
file, so ``publish clean --report`` can list it. Nothing a rule does not name is touched, and cleaning
cleaned text changes nothing (each line is run through the rule table until it is stable).

Three tables, applied in this order: ``RULES`` edit inside a line (invisible characters, watermarks,
normalisation, punctuation); ``LINE_RULES`` remove a whole line of site chrome (breadcrumbs, meta,
furniture, paywalls, footers); then ``reflow`` works on the whole document (folios, running heads, a copied
目录, hard wraps). A form feed is a page boundary for the reflow.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Protocol

from publish.clean import normalise, punct, script
from publish.clean.base import IDEO, SPACE, Change, CleanText, Edit, Rule, regex
from publish.clean.chrome import FILENAME, LINE_RULES, is_link_item, is_tail_marker
from publish.clean.reflow import Line, reflow
from publish.clean.watermark import WATERMARK_RULES

__all__ = [
    "LINE_RULES",
    "REFLOW_RULES",
    "RULES",
    "TO_SIMPLIFIED",
    "Change",
    "CleanText",
    "Rule",
    "clean",
    "report",
]


class _Text(Protocol):
    """What cleaning reads: a SourceText, or a CleanText cleaned again (read-only attributes)."""

    @property
    def path(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def encoding(self) -> str: ...


# A single space between two Chinese characters (中国共 产党人) is a line end of a PDF copy; only in prose
# lines (a Chinese sentence mark, 12+ characters), so a title's or a name's spacing stays.
_CJK_SPACE = f"(?<=[{IDEO}]) (?=[{IDEO}])"


def _cjk_spaces(line: str, first: bool) -> list[Edit]:
    if len(line) < 12 or not any(mark in line for mark in "，。；！？"):
        return []
    return regex(_CJK_SPACE)(line, first)


RULES: tuple[Rule, ...] = (
    Rule(
        "invisible",
        "zero-width, bidi and control characters; noncharacters such as U+FFFE (no PDF or DOCX holds them)",
        regex(
            "[\u00ad\u200b-\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064\u2066-\u2069\ufeff\x00-\x08\x0b-\x1f\x7f-\x9f"
            "\ufdd0-\ufdef\ufffe\uffff\ud800-\udfff]"
        ),
    ),
    Rule(
        "paid-marker",
        "##paidbegin## / ##paidend## markers",
        regex(r"##[ \u3000]*paid[ ]*(?:begin|end)[ ]*##", "", re.I),
    ),
    *normalise.NORMALISE_RULES,
    *WATERMARK_RULES,
    Rule("indent", "spaces, tabs and U+3000 at the start of a line", regex(f"^[{SPACE}]+")),
    Rule(
        "trailing-space",
        "spaces, tabs and U+3000 at the end of a line",
        regex(f"(?<![{SPACE}])[{SPACE}]+$"),  # from a run's first space only: linear on long inner runs
    ),
    FILENAME,
    Rule("listing-suffix", "the listing count (3篇) after the collection title", punct.listing_suffix),
    Rule(
        "title-break",
        "NBSP or space run inside a title: an intended line break, kept as one U+3000",
        punct.title_breaks,
    ),
    Rule("reflow-space", "a single space between Chinese characters in prose: 中国共 产党人", _cjk_spaces),
    Rule("double-quotes", 'straight "…" in Chinese text → “…”', punct.double_quotes),
    Rule("single-quotes", "straight '…' next to Chinese text → ‘…’", punct.single_quotes),
    Rule("halfwidth-parens", "(…) in Chinese text → （…）", punct.parens),
    Rule("halfwidth-punct", ", ! ? : ; in Chinese text → full width", punct.halfwidth_punct),
)
# Reflow rules (document level, see reflow.py); the report gives their counts and first positions.
REFLOW_RULES = ("folio", "running-head", "copied-toc", "reflow-join", "page-break")
_SUMMARISED = ("reflow-join", "reflow-space", "page-break")
_MAX_PASSES = 8


TO_SIMPLIFIED = Rule(
    "to-simplified", "traditional script → simplified (OpenCC t2s), on request only", script.simplified_edits
)


def clean(src: _Text, *, to_simplified: bool = False) -> CleanText:
    """Apply the rule tables to ``src`` (with ``to_simplified``, first convert traditional script); the
    result's ``changes`` is empty when nothing changed."""
    rules = (TO_SIMPLIFIED, *RULES) if to_simplified else RULES
    lines = src.text.split("\n")
    final_newline = src.text.endswith("\n")
    if final_newline:
        lines.pop()
    rows: list[Line] = []
    changes: list[Change] = []
    seen_text = False
    page_top = False
    traditional = script.has_traditional(src.text)
    in_links = False  # after 往期推荐 and its like: the bulleted links that follow are furniture too
    chrome = False  # a line rule removed a line since the last line kept
    for number, original in enumerate(lines, 1):
        # A form feed at a line's start or end (pdftotext's, our PDF reader's) is a page boundary; inside a
        # line it is an invisible character like any other control.
        lead = len(original) - len(original.lstrip("\f"))
        piece = original[lead:].rstrip("\f")
        trail = range(lead + len(piece), len(original))
        changes += [Change("page-break", number, i + 1, "\f", "") for i in (*range(lead), *trail)]
        page_top = page_top or lead > 0
        if (lead or trail) and not piece.strip(SPACE):
            page_top = True
            continue
        start = lead + 1
        text, line_changes = _clean_line(piece, number, not seen_text, start, rules)
        removed = _chrome(text, traditional) or (
            "chrome-furniture" if in_links and is_link_item(text) else ""
        )
        in_links = (in_links and bool(removed)) or is_tail_marker(text)
        if removed:
            changes.append(Change(removed, number, start, piece, ""))
            page_top = page_top or bool(trail)
            chrome = True
            continue
        changes += line_changes
        seen_text = seen_text or bool(text)
        indent = piece[:1] != "" and piece[:1] in SPACE
        rows.append(
            Line(text, number, start + len(piece), indent, page_top and bool(text), chrome and bool(text))
        )
        page_top = (page_top and not text) or bool(trail)
        # a file name standing for the title counts as chrome before the title written out again
        chrome = (chrome and not text) or any(change.rule == FILENAME.name for change in line_changes)
    rows, reflowed = reflow(rows)
    changes += reflowed
    text = "\n".join(row.text for row in rows) + ("\n" if final_newline and rows else "")
    changes.sort(key=lambda change: (change.line, change.column))
    pages = tuple(index for index, row in enumerate(rows, 1) if row.page_top)
    return CleanText(src.path, text, src.encoding, tuple(changes), tuple(row.number for row in rows), pages)


def _chrome(text: str, traditional: bool) -> str:
    """Return the name of the line rule that removes ``text`` whole, or "" for none. The rules are written
    in simplified characters; a traditional-script line is matched through its simplified form (OpenCC)."""
    found = next((rule.name for rule in LINE_RULES if rule.find(text, False)), "")
    if not found and traditional:
        simplified = script.to_simplified(text)
        if simplified != text:
            found = next((rule.name for rule in LINE_RULES if rule.find(simplified, False)), "")
    return found


def _clean_line(
    line: str, number: int, first: bool, start: int = 1, rules: tuple[Rule, ...] = RULES
) -> tuple[str, list[Change]]:
    """Run the rules over ``line`` until it is stable; columns are tracked back to the original line
    (``start`` is the 1-based column where ``line`` begins in it)."""
    columns = list(range(start - 1, start - 1 + len(line)))
    changes: list[Change] = []
    for _ in range(_MAX_PASSES):
        changed = False
        for rule in rules:
            edits = rule.find(line, first)
            if edits:
                line, columns = _apply(rule.name, number, line, columns, edits, changes)
                changed = True
        if not changed:
            break
    return line, changes


def _apply(
    rule: str, number: int, line: str, columns: list[int], edits: list[Edit], changes: list[Change]
) -> tuple[str, list[int]]:
    """Return ``line`` and its column map with ``edits`` applied in one pass (linear in the line, however many
    edits), recording each in ``changes``; edits that overlap one already applied are dropped."""
    pieces: list[str] = []
    mapped: list[int] = []
    at = 0
    for start, end, new in sorted(edits):
        if start < at:
            continue
        column = columns[start] if start < len(columns) else (columns[-1] + 1 if columns else 0)
        changes.append(Change(rule, number, column + 1, line[start:end], new))
        pieces += [line[at:start], new]
        mapped += columns[at:start] + [column] * len(new)
        at = end
    pieces.append(line[at:])
    mapped += columns[at:]
    return "".join(pieces), mapped


def report(cleaned: CleanText) -> str:
    """Return a listing of every change with ``line:column`` after a summary line; joins, spaces between
    Chinese characters and page breaks are summarised per rule (count and first positions)."""
    count = len(cleaned.changes)
    head = f"{cleaned.path}: {count} change{'s' if count != 1 else ''} ({cleaned.encoding})"
    rows = [head]
    listed = [change for change in cleaned.changes if change.rule not in _SUMMARISED]
    width = max((len(change.rule) for change in cleaned.changes), default=0)
    for change in listed:
        where = f"{change.line}:{change.column}"
        if change.inserted:
            what = f"{_show(change.removed)} → {_show(change.inserted)}"
        else:
            what = f"removed {_show(change.removed)}"
        rows.append(f"{where:>8}  {change.rule:<{width}}  {what}")
    tally = Counter(change.rule for change in cleaned.changes if change.rule in _SUMMARISED)
    for rule in _SUMMARISED:
        if tally[rule]:
            first = [f"{c.line}:{c.column}" for c in cleaned.changes if c.rule == rule][:5]
            more = " …" if tally[rule] > len(first) else ""
            rows.append(f"{'×' + str(tally[rule]):>8}  {rule:<{width}}  at {', '.join(first)}{more}")
    return "\n".join(rows) + "\n"


def _show(text: str) -> str:
    """Quote ``text``, spelling out characters a reader cannot see as <U+XXXX>."""
    visible = "".join(
        char if char == " " or (char.isprintable() and char not in "\u00a0\u3000") else f"<U+{ord(char):04X}>"
        for char in text
    )
    return f"'{visible}'" if '"' in text and "'" not in text else f'"{visible}"'
