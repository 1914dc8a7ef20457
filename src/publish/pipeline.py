"""Compose the stages: read → clean → parse → lint → layout → renderers. No logic of its own.

Each stage logs a numbered step through the ``log`` callable it is given; nothing here prints.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial
from pathlib import Path

from publish import collection, lint, parse, sourcefmt
from publish.atomic import Outputs, writing
from publish.errors import Diagnostics, Location, UsageError
from publish.fonts import Classes, FontSet
from publish.layout import words
from publish.layout.frame import LayoutPlan
from publish.layout.plan import plan as plan_layout
from publish.layout.reuse import PlanCache
from publish.layout.spec import LayoutSpec, default_spec
from publish.layout.spec_file import load_spec, merge_spec
from publish.model import Booklet
from publish.render import FIXED_DATE, RENDERERS, RenderOptions, use_cache
from publish.source import SourceText, read_source
from publish.workers import Standby, reap_exited, run_all, worth_forking

Log = Callable[[str], None]
FORMATS: tuple[str, ...] = tuple(RENDERERS)  # the registry's formats, in its order
STYLE_FILE = "style.toml"  # a style file of this name beside the source is merged over the defaults
Sources = Path | Sequence[Path]  # one input, or several files and folders making one booklet
# sources up to this size have their second format's renderer forked before the layout (``workers.Standby``)
STANDBY_BYTES = 64 * 1024


def _quiet(_: str) -> None:
    """Discard a log line."""


@dataclass(frozen=True)
class BuildOptions:
    """What to build and where; None for ``style`` means "style.toml beside the source, if any"."""

    out_dir: Path = Path("build")
    formats: tuple[str, ...] = FORMATS
    docx_fonts: str = "standard"
    docx_for: str = "word"  # the DOCX's reader: word (ECMA-376, also WPS) or libreoffice
    style: Path | None = None
    recto: bool = False
    name: str = ""  # output file stem; empty means the source's stem
    strict: bool = False  # write nothing when there are warnings
    manifest: Path | None = None  # booklet.toml; None means the one in the folder given, if any
    parallel: bool = True  # render the formats side by side (False in a threaded server: no fork there)
    to_simplified: bool = False  # convert traditional script in raw inputs (an editable source is as written)
    created: datetime = FIXED_DATE  # the creation date every output carries (the caller may pass the clock)


@dataclass
class BuildCache:
    """What a long-lived process (``session.WarmBuilder``) keeps between builds: the font set, the lint
    findings of each text (``lint.LintMemo``) and the laid-out speeches (``layout.reuse``). Builds with a
    cache render one format after the other in this process."""

    plans: PlanCache = field(default_factory=PlanCache)
    lint: lint.LintMemo = field(default_factory=lint.LintMemo)
    fonts: FontSet | None = None

    def font_set(self, chains: Mapping[str, Sequence[str]], classes: Classes | None = None) -> FontSet:
        """Return the fonts of ``chains`` and ``classes``: the kept set while its files are unchanged (their
        tables are the ones ``fonts`` has cached for the same size and modification time), else a newly
        loaded one."""
        loaded = FontSet.load(chains, classes=classes)
        kept = self.fonts
        if kept is None or not kept.same_files(loaded):
            self.fonts = kept = loaded
        return kept


@dataclass(frozen=True)
class BuildResult:
    """What a build produced: the plan's page count, speeches, files written and the time taken."""

    pages: int
    speeches: int
    outputs: tuple[Path, ...]
    seconds: float
    diagnostics: Diagnostics = field(default_factory=Diagnostics)


def keep_derived_data(root: Path | None) -> None:
    """Let the stages keep what they derive in ``root`` for later builds: the titles' word segmentation
    (``layout.word_cache``) and the PDF's font programs (``render.use_cache``); None: nothing on disk."""
    words.use_cache(root)
    use_cache(root)


def load_booklet(path: Path, diagnostics: Diagnostics, log: Log = _quiet) -> Booklet:
    """Read ``path`` (raw text or the editable source) and return its Booklet."""
    return text_booklet(read_source(path), diagnostics, log)


def text_booklet(
    src: SourceText, diagnostics: Diagnostics, log: Log = _quiet, to_simplified: bool = False
) -> Booklet:
    """Return the Booklet of decoded text: the editable source as written, raw text cleaned and parsed
    (``to_simplified``: traditional script converted)."""
    log(f"Step 1 – read {src.path} ({src.encoding})")
    if sourcefmt.is_source(src.text):
        log("Step 2 – editable source: no cleaning")
        booklet = sourcefmt.load_source(src, diagnostics)
    else:
        from publish import clean as clean_stage  # imported for raw text only (its rules: ~5 ms)

        cleaned = clean_stage.clean(src, to_simplified=to_simplified)
        log(f"Step 2 – cleaned: {len(cleaned.changes)} changes")
        booklet = parse.parse(cleaned, diagnostics)
    log(f"Step 3 – parsed: {len(booklet.speeches)} speeches")
    return booklet


def load_collection(
    sources: Sources, options: BuildOptions, diagnostics: Diagnostics, log: Log = _quiet
) -> collection.Collection:
    """Read every input of ``sources`` (files, folders, the manifest) into one booklet; log each input."""
    paths = _paths(sources, options.manifest)
    read = partial(text_booklet, log=log, to_simplified=options.to_simplified)
    found = collection.assemble(paths, read, diagnostics, options.manifest)
    if found.inputs:
        manifest = f", manifest {found.manifest}" if found.manifest else ""
        log(f"Step 1 – {len(found.inputs)} input(s){manifest}:")
        for item in found.inputs:
            titles = "; ".join(speech.title_text for speech in item.booklet.speeches)
            log(f"  {item.path} ({item.kind}): {len(item.booklet.speeches)} speech(es): {titles}")
        for path in found.skipped:
            why = "a folder: subfolders are not read" if path.is_dir() else "not .txt, .md, .docx or .pdf"
            log(f"  {path}: skipped ({why})")
    return found


def resolve_spec(source: Path, options: BuildOptions) -> LayoutSpec:
    """Return the layout spec for ``source``: defaults, the style file, then command-line switches."""
    style = options.style
    folder = source if source.is_dir() else source.parent
    if style is None and (folder / STYLE_FILE).is_file():
        style = folder / STYLE_FILE
    spec = load_spec(style) if style is not None else default_spec()
    if options.recto:
        spec = merge_spec(spec, {"recto": True})
    return spec


def watched_files(source: Sources, options: BuildOptions) -> list[Path]:
    """Return the files a build of ``source`` reads besides fonts: the inputs (a folder's too, and the
    folder itself, whose listing changes when a file appears or goes), the manifest and the style file."""
    paths = _paths(source, options.manifest)
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = path.iterdir()
            inputs = (p for p in found if p.suffix.lower() in collection.INPUT_SUFFIXES)
            files += [
                path,
                *sorted(p for p in inputs if not collection.is_hidden(p.name)),
                path / collection.MANIFEST,
            ]
        else:
            files.append(path)
    first = paths[0] if paths else Path(".")
    folder = first if first.is_dir() else first.parent
    extra = [options.manifest] if options.manifest is not None else []
    files += [*extra, options.style if options.style is not None else folder / STYLE_FILE]
    return list(dict.fromkeys(files))


COVER_FIELDS = ("title", "subtitle", "organisation", "date")


def check(path: Sources, diagnostics: Diagnostics, options: BuildOptions | None = None) -> Booklet:
    """Lint ``path``: structure warnings, and (from laying it out) characters no bundled font covers."""
    booklet, *_ = layout(path, options or BuildOptions(), diagnostics)
    return booklet


def layout(
    path: Sources,
    options: BuildOptions,
    diagnostics: Diagnostics,
    log: Log = _quiet,
    cache: BuildCache | None = None,
) -> tuple[Booklet, LayoutSpec, FontSet, LayoutPlan]:
    """Read, clean, parse, lint and lay out ``path``; return every value the renderers need."""
    paths = _paths(path, options.manifest)
    first = paths[0] if paths else Path(".")
    spec = resolve_spec(first, options)
    inputs = load_collection(paths, options, diagnostics, log)
    booklet = inputs.booklet
    memo = cache.lint if cache else None
    if len(inputs.inputs) == 1 and not inputs.folders:
        _lint(booklet, inputs.inputs[0], diagnostics, memo)
    else:  # the cover once, then each file's speeches under its own name
        lint.check(replace(booklet, speeches=()), str(first), diagnostics, memo)
        for item in inputs.inputs:
            _lint(replace(item.booklet, title=""), item, diagnostics, memo)
    if memo is not None:
        memo.finish()
    cover = spec.cover  # the title is linted with the text (unless the style file replaces it)
    fields = [(name, getattr(cover, name) or getattr(booklet, name)) for name in COVER_FIELDS]
    lint.check_cover([(n, t) for n, t in fields if n != "title" or cover.title], str(first), diagnostics)
    chains, classes = spec.fonts.chains, spec.fonts.classes
    fonts = cache.font_set(chains, classes) if cache else FontSet.load(chains, classes=classes)
    log(f"Step 4 – fonts: {len(fonts.roles)} roles")
    found = Diagnostics()  # the layout knows source lines but not the file: name it here
    laid_out = plan_layout(booklet, spec, fonts, found, cache.plans if cache else None)
    if cache:
        log(f"  reused {cache.plans.reused} of {len(booklet.speeches)} speeches")
    diagnostics.items += [d if d.location else replace(d, location=Location(str(first))) for d in found.items]
    log(f"Step 5 – laid out: {len(laid_out.pages)} pages")
    return booklet, spec, fonts, laid_out


def build(
    source: Sources,
    options: BuildOptions,
    diagnostics: Diagnostics | None = None,
    log: Log = _quiet,
    cache: BuildCache | None = None,
) -> BuildResult:
    """Build ``source`` into the requested formats; outputs are replaced only when all of them rendered.
    ``cache`` None is a cold build; a ``BuildCache`` reuses what earlier builds kept in it."""
    started = time.perf_counter()
    diagnostics = diagnostics if diagnostics is not None else Diagnostics()
    formats = _formats(options.formats)
    paths = _paths(source, options.manifest)
    stem = options.name or (_stem(paths[0]) if paths else "booklet")
    targets = [options.out_dir / f"{stem}.{fmt}" for fmt in formats]
    _refuse_overwriting_inputs(paths, targets)
    # the formats may render side by side; whether a core is idle is asked when they do: before the layout
    # for a small booklet's standby worker, after it (what a long layout saw) for the others
    side_by_side = options.parallel and cache is None and len(formats) > 1
    early = side_by_side and _small(paths) and worth_forking()
    standby = Standby(RENDERERS[formats[1]].prepare) if early else None
    try:
        booklet, _, fonts, laid_out = layout(source, options, diagnostics, log, cache)
        render_options = RenderOptions(
            created=options.created,
            docx_fonts=options.docx_fonts,
            docx_for=options.docx_for,
            reuse=cache is not None,
        )
        for fmt in formats:  # what a format cannot express is a warning (and so stops a --strict build)
            diagnostics.items += RENDERERS[fmt].limits(laid_out, render_options)
        if options.strict and diagnostics.warnings():
            log("Step 6 – not rendered: warnings under --strict")
            return BuildResult(
                len(laid_out.pages), len(booklet.speeches), (), time.perf_counter() - started, diagnostics
            )
        with Outputs() as outputs:
            jobs = [
                partial(_render, fmt, laid_out, fonts, outputs.reserve(target), target, render_options)
                for fmt, target in zip(formats, targets, strict=True)
            ]
            run_all(jobs, early or (side_by_side and worth_forking()), standby)
            log(f"Step 6 – rendered {', '.join(formats)}")
    finally:
        if standby is not None:
            standby.close()
        reap_exited()  # the workers' exits overlapped the renames
    return BuildResult(
        len(laid_out.pages), len(booklet.speeches), tuple(targets), time.perf_counter() - started, diagnostics
    )


def _render(
    fmt: str, plan: LayoutPlan, fonts: FontSet, temp: Path, target: Path, options: RenderOptions
) -> None:
    """Render ``plan`` as ``fmt`` into ``temp``, the staged file of ``target`` (a module-level job: a
    ``workers.Standby`` receives it pickled)."""
    writing(partial(RENDERERS[fmt].render, plan, fonts, options=options), temp, target)()


def _small(paths: Sequence[Path]) -> bool:
    """Return whether the sources are small enough that sending their plan to a ``workers.Standby`` costs
    less than the imports it saves (``STANDBY_BYTES``); unreadable sizes count as large."""
    try:
        return sum(_size(path) for path in paths) <= STANDBY_BYTES
    except OSError:
        return False


def _size(path: Path) -> int:
    """Return the bytes of a source file, or of the files directly in a source folder."""
    if not path.is_dir():
        return path.stat().st_size
    with os.scandir(path) as entries:
        return sum(entry.stat().st_size for entry in entries if entry.is_file())


def _refuse_overwriting_inputs(paths: Sequence[Path], targets: Sequence[Path]) -> None:
    """Raise ``UsageError`` when an output would replace one of the inputs (a PDF built onto itself)."""
    if not paths:
        return
    inputs = {path.resolve(): path for path in collection.expand(paths)[0]}
    for target in targets:
        if target.resolve() in inputs:
            message = f"the output {target} would overwrite the input {inputs[target.resolve()]}"
            raise UsageError(f"{message}; build into another folder (-o) or name the output (--name)")


def _formats(formats: Sequence[str]) -> list[str]:
    """Return ``formats`` without repeats; every name was checked against FORMATS by the CLI."""
    return list(dict.fromkeys(formats))


def _lint(
    booklet: Booklet, item: collection.Input, diagnostics: Diagnostics, memo: lint.LintMemo | None
) -> None:
    """Lint one input's booklet; the findings name its lines, paragraphs (DOCX) or pages (PDF)."""
    found = Diagnostics()
    lint.check(booklet, str(item.path), found, memo)
    diagnostics.items += [
        replace(d, location=item.relocate(d.location)) if d.location else d for d in found.items
    ]


def _paths(sources: Sources, manifest: Path | None = None) -> list[Path]:
    """Return ``sources`` as a list of paths; none but a ``manifest`` stand for the manifest's folder."""
    paths = [sources] if isinstance(sources, Path) else list(sources)
    return paths or ([manifest.parent] if manifest is not None else [])


def _stem(source: Path) -> str:
    """Return the output name for ``source``: a folder's name, a file's stem without a ``-raw`` suffix."""
    if source.is_dir():
        return source.resolve().name
    stem = source.stem
    stem = stem[: -len("-raw")] if stem.endswith("-raw") else stem
    # never a hidden output (a source named -raw.txt or .txt): fall back to the default name
    return stem.lstrip(".") or "booklet"
