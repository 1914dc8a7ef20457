"""The corpus: invented pasted speeches built end to end and checked against what a user expects.

Each ``tests/corpus/<entry>/`` holds ``input.txt`` (the text as a user pastes it from a 范文 site, a forum,
WeChat, a document-sharing site, a PDF or Word, debris and all), ``expected.toml`` (the facts below) and
``reference.md`` (the expected body text, one block a line: ``#`` title lines, ``>`` speaker lines, ``##``–
``#####`` headings of levels 1–4, paragraphs as plain lines; its first line is ``cover: …``). The texts are
written for this corpus; the expectations come from the user's side (docs/scraped-text.md), not from the
implementation.

``expected.toml``:

- ``cover``: the booklet title (the collection title; the speech title of a single speech; "" when none),
  compared with whitespace removed.
- ``speeches``; per ``[[speech]]``: ``title`` (its lines, exactly), ``speaker`` (the line or lines under the
  title, whitespace removed), ``headings`` (levels of the heading blocks in order), ``paragraphs`` (how many
  paragraph blocks). A line opening with —— under a title is a speaker line in the model; one that reads as a
  subtitle may equally be the title's last line, so either place is accepted for such a line only.
- ``absent``: debris that must not survive, in the model, the PDF or the DOCX (whitespace removed: PDF text
  extraction inserts and drops spaces; the booklet's own page numbers are left out of the PDF text).
- ``present``: real text that must survive in all three (whitespace removed), such as 来源 or 公众号 in prose.
- ``joined``: text that was hard-wrapped or interrupted in the input and must stand whole, exactly, in one
  paragraph of the model and of the DOCX.
- ``verbatim``: text that must appear exactly (spaces included) in a block or title of the model and in a
  DOCX paragraph: one space between Latin words, half-width digits, full-width punctuation.
- ``notinbody``: text that may be a title but must not be in any block (a running head repeated at page tops,
  a copied 目录).
- ``wrapped``: whether the input is a hard-wrapped copy-out; lines of one that is not are never joined.

Besides, no block may hold a space between two Chinese characters, and the body text of the model and of
the PDF must be the reference's, character for character apart from whitespace: no real text is lost.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from publish.clean import clean
from publish.cli import main
from publish.errors import Diagnostics
from publish.model import Booklet, Heading, Paragraph, Speech
from publish.pipeline import load_booklet
from publish.source import read_source
from support.pdf_summary import read_lines

CORPUS = Path(__file__).parent / "corpus"
ENTRIES = sorted(path for path in CORPUS.iterdir() if (path / "input.txt").is_file())
_FOLIO = re.compile(r"—\s*\d+\s*—")
_SPACED_HAN = re.compile(r"[\u3400-\u9fff][ \u00a0][\u3400-\u9fff]")
_REFERENCE_PREFIX = re.compile(r"^(?:#{1,5} |> )")


def squash(text: str) -> str:
    """Return ``text`` without any whitespace."""
    return re.sub(r"\s", "", text)


@dataclass(frozen=True)
class Entry:
    """One corpus entry: its input file, the expected facts and the reference body text."""

    path: Path
    facts: dict[str, Any]
    reference: tuple[tuple[str, ...], ...]  # per speech, its headings and paragraphs in order

    def strings(self, key: str) -> list[str]:
        value = self.facts.get(key, [])
        assert isinstance(value, list), f"{self.path.name}: {key} must be a list"
        return [str(item) for item in value]


@cache
def entry(path: Path) -> Entry:
    facts = tomllib.loads((path / "expected.toml").read_text(encoding="utf-8"))
    _, *speeches = (path / "reference.md").read_text(encoding="utf-8").split("\n\n")
    reference = tuple(
        tuple(
            _REFERENCE_PREFIX.sub("", line)
            for line in speech.splitlines()
            if line and not line.startswith(("# ", "> "))
        )
        for speech in speeches
    )
    return Entry(path, facts, reference)


@cache
def booklet(path: Path) -> Booklet:
    return load_booklet(path / "input.txt", Diagnostics())


def blocks(book: Booklet) -> list[Heading | Paragraph]:
    return [block for speech in book.speeches for block in speech.blocks]


def model_text(book: Booklet) -> str:
    """Return every string of the model in reading order, cover fields first."""
    pieces = [book.title, book.subtitle, book.organisation, book.date]
    for speech in book.speeches:
        pieces += [*speech.title, speech.speaker, *(block.text for block in speech.blocks)]
    return "\n".join(pieces)


def _heads(speech: Speech) -> tuple[tuple[str, ...], str]:
    return tuple(part.strip() for part in speech.title), squash(speech.speaker)


def _accepted_heads(expected: dict[str, Any]) -> list[tuple[tuple[str, ...], str]]:
    """Return the (title, speaker) forms accepted for an expected speech (see the module docstring)."""
    title, speaker = tuple(expected["title"]), str(expected["speaker"])
    forms = [(title, squash(speaker))]
    if speaker.startswith("——"):
        forms.append(((*title, speaker), ""))
    if title and title[-1].startswith("——") and not speaker:
        forms.append((title[:-1], squash(title[-1])))
    return forms


def ids(path: Path) -> str:
    return path.name


def test_the_corpus_is_large_and_consistent() -> None:
    assert len(ENTRIES) >= 20
    for path in ENTRIES:
        facts = entry(path).facts
        assert facts["speeches"] == len(facts["speech"]), path.name


@pytest.mark.parametrize("path", ENTRIES, ids=ids)
def test_structure(path: Path) -> None:
    expected, book = entry(path).facts, booklet(path)
    assert squash(book.title) == squash(expected["cover"]), "cover title"
    got = [(_heads(s), [b.level for b in s.blocks if isinstance(b, Heading)]) for s in book.speeches]
    want = [(_accepted_heads(s)[0], list(s["headings"])) for s in expected["speech"]]
    assert len(book.speeches) == expected["speeches"], f"speeches: {got} != {want}"
    for number, (speech, wanted) in enumerate(zip(book.speeches, expected["speech"], strict=True), 1):
        assert _heads(speech) in _accepted_heads(wanted), f"speech {number}: title and speaker"
        levels = [b.level for b in speech.blocks if isinstance(b, Heading)]
        assert levels == list(wanted["headings"]), f"speech {number}: heading levels"
        count = sum(isinstance(b, Paragraph) for b in speech.blocks)
        assert count == wanted["paragraphs"], f"speech {number}: paragraphs"


@pytest.mark.parametrize("path", ENTRIES, ids=ids)
def test_text(path: Path) -> None:
    case, book = entry(path), booklet(path)
    text = squash(model_text(book))
    texts = [block.text for block in blocks(book)]
    exact = [*texts, book.title, *(part for s in book.speeches for part in s.title)]
    found = {
        "debris left": [a for a in case.strings("absent") if squash(a) in text],
        "real text lost": [p for p in case.strings("present") if squash(p) not in text],
        "not joined in one paragraph": [j for j in case.strings("joined") if not any(j in t for t in texts)],
        "not verbatim": [v for v in case.strings("verbatim") if not any(v in t for t in exact)],
        "in the body": [n for n in case.strings("notinbody") if any(squash(n) in squash(t) for t in texts)],
        "space between Chinese characters": [t[:30] for t in texts if _SPACED_HAN.search(t)],
    }
    assert {k: v for k, v in found.items() if v} == {}


@pytest.mark.parametrize("path", ENTRIES, ids=ids)
def test_every_real_character_is_kept(path: Path) -> None:
    expected = [squash(text) for speech in entry(path).reference for text in speech]
    actual = [squash(block.text) for block in blocks(booklet(path))]
    if "".join(actual) != "".join(expected):
        pytest.fail(_first_difference("".join(expected), "".join(actual)))


@pytest.mark.parametrize("path", ENTRIES, ids=ids)
def test_cleaning_is_idempotent_and_joins_only_wrapped_text(path: Path) -> None:
    once = clean(read_source(path / "input.txt"))
    assert clean(once).text == once.text
    if not entry(path).facts["wrapped"]:
        assert [c for c in once.changes if c.rule == "reflow-join"] == [], "an unwrapped text was reflowed"


def _first_difference(expected: str, actual: str) -> str:
    at = next((i for i, (a, b) in enumerate(zip(expected, actual, strict=False)) if a != b), None)
    at = min(len(expected), len(actual)) if at is None else at
    start = max(0, at - 20)
    return (
        f"body text differs at {at}: expected …{expected[start : at + 20]}… got …{actual[start : at + 20]}…"
    )


def _pdf_text(pdf: Path) -> str:
    """Return the PDF's text without the booklet's own page numbers (the last line of a page, — N —)."""
    pages = []
    for page in read_lines(pdf):
        lines = [line.text for line in page]
        if lines and _FOLIO.fullmatch(lines[-1].strip()):
            lines.pop()
        pages.append("\n".join(lines))
    return "\n".join(pages)


def _docx_paragraphs(docx: Path) -> list[str]:
    document = Document(str(docx))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        texts += [p.text for row in table.rows for cell in row.cells for p in cell.paragraphs]
    return texts


@pytest.mark.parametrize("path", ENTRIES, ids=ids)
def test_pdf_and_docx(path: Path, tmp_path: Path) -> None:
    case = entry(path)
    status = main(["build", str(path / "input.txt"), "-o", str(tmp_path), "-q"])
    assert status == 0
    pdf = squash(_pdf_text(tmp_path / "input.pdf"))
    paragraphs = _docx_paragraphs(tmp_path / "input.docx")
    docx = squash("".join(paragraphs))
    found: dict[str, list[str]] = {}
    for name, text in (("PDF", pdf), ("DOCX", docx)):
        found[f"debris in the {name}"] = [a for a in case.strings("absent") if squash(a) in text]
        found[f"lost in the {name}"] = [p for p in case.strings("present") if squash(p) not in text]
    found["not joined in the PDF"] = [j for j in case.strings("joined") if squash(j) not in pdf]
    found["not joined in a DOCX paragraph"] = [
        j for j in case.strings("joined") if not any(j in p for p in paragraphs)
    ]
    found["not verbatim in the DOCX"] = [
        v for v in case.strings("verbatim") if not any(v in p for p in paragraphs)
    ]
    found["body text not in the PDF (speech numbers)"] = [
        str(number) for number, speech in enumerate(case.reference, 1) if squash("".join(speech)) not in pdf
    ]
    assert {k: v for k, v in found.items() if v} == {}
