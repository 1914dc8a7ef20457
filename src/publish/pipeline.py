"""Compose the stages: read → clean → parse → lint → layout → renderers. No logic of its own.

Each stage logs a numbered step through the ``log`` callable it is given; nothing here prints.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from publish import clean as clean_stage
from publish import lint, parse, sourcefmt
from publish.atomic import Outputs, writing
from publish.errors import Diagnostics, Location
from publish.fonts import FontSet
from publish.layout.frame import LayoutPlan
from publish.layout.plan import plan as plan_layout
from publish.layout.spec import LayoutSpec, default_spec
from publish.layout.spec_file import load_spec, merge_spec
from publish.model import Booklet
from publish.render import RENDERERS
from publish.source import read_source
from publish.workers import run_all

Log = Callable[[str], None]
FORMATS = ("pdf", "docx")
STYLE_FILE = "style.toml"  # a style file of this name beside the source is merged over the defaults


def _quiet(_: str) -> None:
    """Discard a log line."""


@dataclass(frozen=True)
class BuildOptions:
    """What to build and where; None for ``style`` means "style.toml beside the source, if any"."""

    out_dir: Path = Path("build")
    formats: tuple[str, ...] = FORMATS
    docx_fonts: str = "standard"
    style: Path | None = None
    recto: bool = False
    name: str = ""  # output file stem; empty means the source's stem
    strict: bool = False  # write nothing when there are warnings


@dataclass(frozen=True)
class BuildResult:
    """What a build produced: the plan's page count, speeches, files written and the time taken."""

    pages: int
    speeches: int
    outputs: tuple[Path, ...]
    seconds: float
    diagnostics: Diagnostics = field(default_factory=Diagnostics)


def load_booklet(path: Path, diagnostics: Diagnostics, log: Log = _quiet) -> Booklet:
    """Read ``path`` (raw text or the editable source) and return its Booklet."""
    src = read_source(path)
    log(f"Step 1 – read {path} ({src.encoding})")
    if sourcefmt.is_source(src.text):
        log("Step 2 – editable source: no cleaning")
        booklet = sourcefmt.load_source(src, diagnostics)
    else:
        cleaned = clean_stage.clean(src)
        log(f"Step 2 – cleaned: {len(cleaned.changes)} changes")
        booklet = parse.parse(cleaned, diagnostics)
    log(f"Step 3 – parsed: {len(booklet.speeches)} speeches")
    return booklet


def resolve_spec(source: Path, options: BuildOptions) -> LayoutSpec:
    """Return the layout spec for ``source``: defaults, the style file, then command-line switches."""
    style = options.style
    if style is None and (source.parent / STYLE_FILE).is_file():
        style = source.parent / STYLE_FILE
    spec = load_spec(style) if style is not None else default_spec()
    if options.recto:
        spec = merge_spec(spec, {"recto": True})
    return spec


def watched_files(source: Path, options: BuildOptions) -> list[Path]:
    """Return the files a build of ``source`` reads besides fonts: the source and its style file."""
    return [source, options.style if options.style is not None else source.parent / STYLE_FILE]


def check(path: Path, diagnostics: Diagnostics, options: BuildOptions | None = None) -> Booklet:
    """Lint ``path``: structure warnings, and (from laying it out) characters no bundled font covers."""
    booklet, *_ = layout(path, options or BuildOptions(), diagnostics)
    return booklet


def layout(
    path: Path, options: BuildOptions, diagnostics: Diagnostics, log: Log = _quiet
) -> tuple[Booklet, LayoutSpec, FontSet, LayoutPlan]:
    """Read, clean, parse, lint and lay out ``path``; return every value the renderers need."""
    spec = resolve_spec(path, options)
    booklet = load_booklet(path, diagnostics, log)
    lint.check(booklet, str(path), diagnostics)
    fonts = FontSet.load(spec.fonts.chains)
    log(f"Step 4 – fonts: {len(fonts.roles)} roles")
    found = Diagnostics()  # the layout knows source lines but not the file: name it here
    laid_out = plan_layout(booklet, spec, fonts, found)
    diagnostics.items += [d if d.location else replace(d, location=Location(str(path))) for d in found.items]
    log(f"Step 5 – laid out: {len(laid_out.pages)} pages")
    return booklet, spec, fonts, laid_out


def build(
    source: Path, options: BuildOptions, diagnostics: Diagnostics | None = None, log: Log = _quiet
) -> BuildResult:
    """Build ``source`` into the requested formats; outputs are replaced only when all of them rendered."""
    started = time.perf_counter()
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    formats = _formats(options.formats)
    booklet, spec, fonts, laid_out = layout(source, options, diagnostics, log)
    if options.strict and diagnostics.warnings():
        log("Step 6 – not rendered: warnings under --strict")
        return BuildResult(
            len(laid_out.pages), len(booklet.speeches), (), time.perf_counter() - started, diagnostics
        )
    stem = options.name or _stem(source)
    targets = [options.out_dir / f"{stem}.{fmt}" for fmt in formats]
    with Outputs() as outputs:
        jobs = []
        for fmt, target in zip(formats, targets, strict=True):
            renderer = RENDERERS[fmt]
            options_for = {"font_mode": options.docx_fonts} if fmt == "docx" else {}
            writer = partial(renderer, laid_out, spec, fonts, **options_for)
            jobs.append(writing(writer, outputs.reserve(target), target))
        run_all(jobs)
        log(f"Step 6 – rendered {', '.join(formats)}")
    return BuildResult(
        len(laid_out.pages), len(booklet.speeches), tuple(targets), time.perf_counter() - started, diagnostics
    )


def _formats(formats: Sequence[str]) -> list[str]:
    """Return ``formats`` without repeats; every name was checked against FORMATS by the CLI."""
    return list(dict.fromkeys(formats))


def _stem(source: Path) -> str:
    """Return the output name for ``source``: its stem, with a raw seed's ``-raw`` suffix dropped."""
    stem = source.stem
    return stem[: -len("-raw")] if stem.endswith("-raw") else stem
