"""What the page shows, as plain JSON-ready data: the structure, the cleaning report, findings, the build."""

from __future__ import annotations

import bisect
from typing import Any

from publish import lint
from publish.errors import Diagnostic, PublishError
from publish.model import Booklet, Heading
from publish.serve import edits, messages
from publish.serve.report import InputReport
from publish.serve.session import Session

EXCERPT = 48  # characters of a paragraph shown in the structure list


def state(session: Session) -> dict[str, Any]:
    """Return everything the page needs to draw itself."""
    with session.lock:
        booklet = _booklet(session)
        places = _places(booklet) if booklet else ([], [])
        good = session.good
        return {
            "rev": session.rev,
            "name": session.name,
            "inputs": list(session.inputs),
            "notes": list(session.notes),
            "out_dir": str(session.out_dir),
            "command": session.command(),
            "structure": _structure(booklet) if booklet else None,
            "reports": [_report(report, session.kept) for report in session.reports],
            "style": {
                "recto": session.style.recto,
                "toc_depth": session.style.toc_depth,
                "compress_punctuation": session.style.compress_punctuation,
                "docx_fonts": session.style.docx_fonts,
                "toc_speaker": session.style.toc_speaker,
            },
            "build": {
                "ok": not session.error,
                "error": session.error,
                "current": good is not None and good.rev == session.rev,
                "number": good.number if good else 0,
                "pages": good.pages if good else 0,
                "seconds": round(good.seconds, 2) if good else 0,
                "findings": [_finding(d, places) for d in good.diagnostics] if good else [],
            },
        }


def _booklet(session: Session) -> Booklet | None:
    if not session.source:
        return None
    try:
        return edits.load(session.source)
    except PublishError:
        return None


def _structure(booklet: Booklet) -> dict[str, Any]:
    speeches = []
    for s, speech in enumerate(booklet.speeches):
        blocks = []
        for b, block in enumerate(speech.blocks):
            heading = isinstance(block, Heading)
            text = block.text if heading or len(block.text) <= EXCERPT else block.text[:EXCERPT] + "…"
            level = block.level if isinstance(block, Heading) else 0
            blocks.append({"index": b, "heading": heading, "level": level, "text": text, "line": block.line})
        speeches.append(
            {"index": s, "title": list(speech.title), "speaker": speech.speaker, "line": speech.line,
             "blocks": blocks}
        )  # fmt: skip
    cover = {key: getattr(booklet, key) for key in ("title", "subtitle", "organisation", "date")}
    return {"cover": cover, "speeches": speeches}


def _places(booklet: Booklet) -> tuple[list[int], list[tuple[int, int]]]:
    """Return source lines in order and, for each, the (speech, block) it starts; block -1 is the title."""
    found: list[tuple[int, int, int]] = []
    for s, speech in enumerate(booklet.speeches):
        found.append((speech.line, s, -1))
        found += [(block.line, s, b) for b, block in enumerate(speech.blocks)]
    found.sort()
    return [line for line, _, _ in found], [(s, b) for _, s, b in found]


def _finding(diagnostic: Diagnostic, places: tuple[list[int], list[tuple[int, int]]]) -> dict[str, Any]:
    line = diagnostic.location.line if diagnostic.location else 0
    lines, owners = places
    index = bisect.bisect_right(lines, line) - 1 if line else -1
    speech, block = owners[index] if index >= 0 else (-1, -1)
    if not line and diagnostic.code not in lint.CODES:
        speech = block = -2  # no place to show (a missing glyph lists its lines in the message)
    return {
        "code": diagnostic.code,
        "label": messages.code_label(diagnostic.code),
        "message": messages.finding(diagnostic),
        "severity": diagnostic.severity.value,
        "line": line,
        "speech": speech,
        "block": block,
    }


def _report(report: InputReport, kept: set[str]) -> dict[str, Any]:
    shown = [r for r in report.removals if r.keepable]
    counts: dict[str, int] = {}
    for removal in report.removals:
        if not removal.keepable:
            counts[removal.rule] = counts.get(removal.rule, 0) + 1
    removals = [
        {"id": r.id, "rule": r.rule, "label": messages.rule_label(r.rule), "line": r.line,
         "column": r.column, "removed": r.removed, "kept": r.id in kept}
        for r in shown
    ]  # fmt: skip
    lines = []
    for number in sorted({r.line for r in shown}):
        spans = sorted((r.column - 1, r.column - 1 + len(r.removed), r.id) for r in shown if r.line == number)
        lines.append(
            {"line": number, "text": report.lines.get(number, ""), "spans": [list(s) for s in spans]}
        )
    others = [{"rule": k, "label": messages.rule_label(k), "count": n} for k, n in sorted(counts.items())]
    return {
        "name": report.name,
        "encoding": report.encoding,
        "unit": report.unit,
        "removals": removals,
        "lines": lines,
        "others": others,
    }
