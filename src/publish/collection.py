"""Gather the inputs of one booklet (files and folders, the manifest) and assemble one Booklet from them.

A folder stands for every ``.txt``, ``.md``, ``.docx`` and ``.pdf`` directly in it, in natural order (``2-…``
before ``10-…``), hidden and temporary files (``.x``, ``~$x.docx``, ``x~``) skipped. Word formats we cannot
read (``.doc``, ``.wps``, …) are refused with how to convert them, whether named or found in a folder. Each
file gives its speeches in order; the cover comes from ``booklet.toml`` (see ``manifest``), else from the
first file that has a collection title of its own, else the folder's name.

Plain text (raw or editable source) is read by the function the caller passes in, so that text from a
PDF takes exactly the path a ``.txt`` file takes; Word documents and PDFs have their readers in ``readers/``.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from publish.errors import Diagnostics, Location, ParseError, Severity, SourceError
from publish.model import Booklet, Speech
from publish.parse import title_parts
from publish.source import SourceText, check_file, read_source

if TYPE_CHECKING:
    from publish.manifest import Manifest

__all__ = [
    "INPUT_SUFFIXES",
    "Collection",
    "Input",
    "assemble",
    "expand",
    "is_hidden",
    "natural_key",
    "read_input",
    "refusal",
    "supplies_title",
]

INPUT_SUFFIXES = (".txt", ".md", ".docx", ".pdf")
MANIFEST = "booklet.toml"  # a folder's manifest: the cover, the order of its files, overrides (``manifest``)
# Document formats that look like inputs but that we cannot read: refused with how to convert them.
REFUSED = (".doc", ".wps", ".wpt", ".dot", ".dotx", ".docm", ".dotm", ".rtf", ".odt", ".pages", ".wpd")
TextReader = Callable[[SourceText, Diagnostics], Booklet]
Relocate = Callable[[Location], Location]


def _same(location: Location) -> Location:
    return location


@dataclass(frozen=True)
class Input:
    """One input file and the booklet it gives; ``relocate`` turns its text lines into paragraphs or pages."""

    path: Path
    kind: str  # "text", "docx" or "pdf"
    booklet: Booklet
    supplies_title: bool  # the file has a collection title of its own (not just its speech's title)
    relocate: Relocate = _same


@dataclass(frozen=True)
class Collection:
    """The assembled booklet, the inputs in order, the manifest used and the folders named."""

    booklet: Booklet
    inputs: tuple[Input, ...]
    manifest: Path | None = None
    folders: tuple[Path, ...] = ()
    skipped: tuple[Path, ...] = field(default=())  # files in the folders that are no input


def natural_key(name: str) -> tuple[tuple[int, int, str], ...]:
    """Return a sort key comparing the digit runs of ``name`` as numbers: 2-a before 10-a."""
    parts = re.split(r"(\d+)", name.casefold())
    return tuple((0, int(part), part) if part.isdigit() else (1, 0, part) for part in parts if part)


def is_hidden(name: str) -> bool:
    """Return whether ``name`` is a hidden, lock or temporary file (.x, ~$x.docx, x~, #x#, x.tmp)."""
    return name.startswith((".", "~", "#")) or name.endswith(("~", "#")) or name.lower().endswith(".tmp")


def refusal(path: Path) -> str:
    """Return the one-line message refusing ``path``, a document format we cannot read."""
    return (
        f"cannot read {path.suffix} files; save it as .docx (Word or WPS: 另存为 .docx) "
        f"or convert it with: soffice --headless --convert-to docx {path.name}"
    )


def expand(
    paths: Sequence[Path],
) -> tuple[list[Path], list[Path], list[Path]]:
    """Return the input files ``paths`` stand for, the folders among them and the folder files skipped.

    Raise ``SourceError`` for a missing path, a refused format, or a folder without any input.
    """
    files: list[Path] = []
    folders: list[Path] = []
    skipped: list[Path] = []
    for path in paths:
        if path.is_dir():
            folders.append(path)
            found: list[Path] = []
            for entry in sorted(path.iterdir(), key=lambda p: (natural_key(p.name), p.name)):
                if is_hidden(entry.name):
                    continue
                if not entry.is_file():  # subfolders are not read: listed under -v
                    skipped.append(entry)
                    continue
                suffix = entry.suffix.lower()
                if suffix in REFUSED:
                    raise SourceError(refusal(entry), entry)
                (found if suffix in INPUT_SUFFIXES else skipped).append(entry)
            if not found:
                raise SourceError("folder has no .txt, .md, .docx or .pdf file", path)
            files += found
        elif not path.exists():
            raise SourceError("no such file", path)
        elif path.suffix.lower() in REFUSED:
            raise SourceError(refusal(path), path)
        else:
            files.append(path)
    unique = list({file.resolve(): file for file in reversed(files)}.values())[::-1]
    return unique, folders, skipped


def assemble(
    paths: Sequence[Path],
    read_text: TextReader,
    diagnostics: Diagnostics,
    manifest: Path | None = None,
) -> Collection:
    """Read every input of ``paths`` (and the manifest) and return the one booklet they make."""
    if not paths and manifest is not None:
        paths = [manifest.parent]
    files, folders, skipped = expand(paths)
    if manifest is None and len(folders) == 1 and (folders[0] / MANIFEST).is_file():
        manifest = folders[0] / MANIFEST
    found = None
    if manifest is not None:
        from publish.manifest import load_manifest  # only a booklet with a manifest reads one (~1.5 ms)

        found = load_manifest(manifest)
    if found is not None:
        files = _ordered(files, found, diagnostics)
    found_here = Diagnostics()
    inputs = [read_input(file, read_text, found_here) for file in files]
    if len(inputs) > 1 or folders:  # in a collection, a file holding one speech without a cover is normal
        found_here.items = [d for d in found_here.items if d.code != "no-speech-title"]
    diagnostics.items += found_here.items
    if found is not None:
        inputs = [_override(item, found) for item in inputs]
    if len(inputs) == 1 and not folders and found is None:
        booklet = inputs[0].booklet
    else:
        booklet = _merge(inputs, found, folders, diagnostics)
    return Collection(booklet, tuple(inputs), manifest, tuple(folders), tuple(skipped))


def read_input(path: Path, read_text: TextReader, diagnostics: Diagnostics) -> Input:
    """Read one file by its kind; its diagnostics and errors name its paragraphs (DOCX) or pages (PDF)."""
    suffix = path.suffix.lower()
    found = Diagnostics()
    kind = "text"
    relocate: Relocate = _same
    try:
        if suffix in REFUSED:
            raise SourceError(refusal(path), path)
        # the readers import python-docx and pypdf: only when such an input is met (a text build skips ~0.1 s)
        if suffix == ".docx":
            from publish.readers.word_structure import read_docx

            kind, relocate = "docx", _paragraphs(str(path))
            check_file(path)
            booklet = read_docx(path, found)
        elif suffix == ".pdf":
            from publish.readers.pdf import read_pdf

            pdf = read_pdf(path, found)
            kind, relocate = "pdf", _pages(str(path), pdf.page_starts)
            booklet = read_text(pdf.source, found)
        else:
            booklet = read_text(read_source(path), found)
    except (SourceError, ParseError) as exc:
        exc.location = relocate(exc.location)
        raise
    finally:
        diagnostics.items += [
            replace(d, location=relocate(d.location)) if d.location else d for d in found.items
        ]
    return Input(path, kind, booklet, supplies_title(booklet), relocate)


def _paragraphs(path: str) -> Relocate:
    def relocate(location: Location) -> Location:
        if location.path != path or location.unit != "line" or location.page:
            return location
        return replace(location, unit="paragraph", column=0)

    return relocate


def _pages(path: str, starts: Sequence[int]) -> Relocate:
    """Return a relocation from lines of a PDF's text to (page, line on the page); ``starts`` 1-based."""

    def relocate(location: Location) -> Location:
        if location.path != path or not location.line or location.page or not starts:
            return location
        page = max(bisect.bisect_right(starts, location.line), 1)
        return replace(location, line=location.line - starts[page - 1] + 1, page=page, column=0)

    return relocate


def supplies_title(booklet: Booklet) -> bool:
    """Return whether the booklet's title is a collection title, not merely its only speech's title."""
    squeeze = re.compile(r"\s")
    titles = {squeeze.sub("", "".join(speech.title)) for speech in booklet.speeches[:1]}
    return bool(booklet.title) and squeeze.sub("", booklet.title) not in titles


def _ordered(files: list[Path], manifest: Manifest, diagnostics: Diagnostics) -> list[Path]:
    """Return ``files`` in the manifest's order; unlisted files follow, each with a warning."""
    if not manifest.files:
        return files
    by_key = {file.resolve(): file for file in files}
    ordered: list[Path] = []
    for entry in manifest.files:
        target = (manifest.folder / entry.name).resolve()
        if target not in by_key:
            why = "is not an input file" if target.exists() else "does not exist"
            raise SourceError(f"file {entry.name!r} named in the manifest {why}", manifest.path, entry.line)
        ordered.append(by_key.pop(target))
    for file in by_key.values():
        message = f"{file.name} is not listed in the manifest; it is added at the end"
        diagnostics.add("manifest-unlisted", message, Location(str(manifest.path)))
        ordered.append(file)
    return ordered


def _override(item: Input, manifest: Manifest) -> Input:
    """Apply the manifest's title, speaker and date for ``item``; raise ``ParseError`` if they cannot."""
    entry = next(
        (e for e in manifest.files if (manifest.folder / e.name).resolve() == item.path.resolve()), None
    )
    if entry is None or not (entry.title or entry.speaker or entry.date):
        return item
    speeches = item.booklet.speeches
    if len(speeches) != 1:
        message = f"title, speaker and date apply to one speech; {entry.name} has {len(speeches)}"
        raise ParseError(message, manifest.path, entry.line)
    speech = speeches[0]
    title = tuple(part for line in entry.title.split("\n") for part in title_parts(line)) or speech.title
    speaker = entry.speaker or speech.speaker
    if entry.date:
        speaker = f"{speaker}（{entry.date}）" if speaker else f"（{entry.date}）"
    changed = replace(speech, title=title, speaker=speaker)
    return replace(item, booklet=replace(item.booklet, speeches=(changed,)))


def _merge(
    inputs: Sequence[Input], manifest: Manifest | None, folders: Sequence[Path], diagnostics: Diagnostics
) -> Booklet:
    """Join the speeches of ``inputs``; cover fields from the manifest, then the first titled file.

    A file's own collection title that does not become the cover is reported (info), not silently dropped.
    """
    speeches: tuple[Speech, ...] = tuple(s for item in inputs for s in item.booklet.speeches)
    titled = next((item.booklet for item in inputs if item.supplies_title), None)
    cover = dict(manifest.cover) if manifest is not None else {}
    fallback = folders[0].resolve().name if folders else inputs[0].booklet.title
    fields = {
        "title": cover.get("title") or (titled.title if titled else fallback),
        "subtitle": cover.get("subtitle", titled.subtitle if titled else ""),
        "organisation": cover.get("organisation", titled.organisation if titled else ""),
        "date": cover.get("date", titled.date if titled else ""),
    }
    for item in inputs:
        if item.supplies_title and item.booklet.title != fields["title"]:
            shown = fields["title"]
            message = (
                f"this file's collection title “{item.booklet.title}” is not used; the cover is “{shown}”"
            )
            diagnostics.add("unused-title", message, Location(str(item.path)), Severity.INFO)
    return Booklet(speeches=speeches, **fields)
