"""The subcommands behind ``cli.main``: each takes parsed arguments and a Console, returns a status.

They raise ``PublishError`` for the command line to report; the stages they compose are imported on first use,
so that ``publish --help`` or ``publish clean`` does not pay for reportlab and python-docx.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from publish.console import Console, ExitStatus
from publish.errors import Diagnostics, UsageError

DIAGNOSTICS_SHOWN = 20  # findings a build lists before it only counts the rest
REPO = Path(__file__).resolve().parents[2]

if TYPE_CHECKING:
    from publish.pipeline import BuildOptions, BuildResult, Sources
    from publish.session import WarmBuilder


def default_source() -> Path:
    """Return the bundled sample: content/booklet.md of the checkout, else the installed copy."""
    import sysconfig

    for candidate in (
        REPO / "content" / "booklet.md",
        Path(sysconfig.get_path("data")) / "share" / "publish" / "content" / "booklet.md",
    ):
        if candidate.is_file():
            return candidate
    return REPO / "content" / "booklet.md"


def _source(args: argparse.Namespace) -> list[Path]:
    """Return the inputs named on the command line; none (and no --manifest) means the bundled sample."""
    if args.source or getattr(args, "manifest", None) is not None:
        return list(args.source)
    return [default_source()]


def build_options(args: argparse.Namespace) -> BuildOptions:
    """Return the BuildOptions the build arguments ask for; raise UsageError for an unknown format."""
    from publish.pipeline import FORMATS, BuildOptions

    formats = tuple(f.strip().lower() for f in args.format.split(",") if f.strip())
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise UsageError(f"unknown format {','.join(unknown) or '(none)'} (choose from {', '.join(FORMATS)})")
    options = BuildOptions(
        out_dir=args.out_dir,
        formats=formats,
        docx_fonts=args.docx_fonts,
        docx_for=args.docx_for,
        style=args.style,
        recto=args.recto,
        strict=args.strict,
        name=args.name,
        manifest=args.manifest,
        to_simplified=args.to_simplified,
    )
    created = source_date()
    return options if created is None else dataclasses.replace(options, created=created)


def source_date(environ: Mapping[str, str] = os.environ) -> datetime | None:
    """Return the date ``SOURCE_DATE_EPOCH`` sets for every output (reproducible-builds.org); None when it is
    unset or empty. A value that is not a whole number of seconds is a UsageError: the convention asks a build
    to fail rather than guess."""
    value = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    try:
        if not value.isascii() or not value.isdigit():
            raise ValueError(value)
        return datetime.fromtimestamp(int(value), UTC)
    except (ValueError, OverflowError, OSError):
        message = f"SOURCE_DATE_EPOCH must be whole seconds since 1970-01-01 UTC, not {value[:40]!r}"
        raise UsageError(message) from None


def cache_dir(environ: Mapping[str, str] = os.environ) -> Path | None:
    """Return the folder for data a run derives and a later run may reuse (``layout.word_cache``):
    ``$XDG_CACHE_HOME/publish``, else ``~/.cache/publish``; None (keep nothing) when ``PUBLISH_NO_CACHE`` is
    set to anything but the empty string, or no home folder is known."""
    if environ.get("PUBLISH_NO_CACHE", ""):
        return None
    base = environ.get("XDG_CACHE_HOME", "")
    if base and Path(base).is_absolute():  # the XDG spec: a relative value is to be ignored
        return Path(base) / "publish"
    home = environ.get("HOME", "")
    return Path(home) / ".cache" / "publish" if home and Path(home).is_absolute() else None


def _keep_derived_data() -> None:
    """Let the build keep what it derives (word segmentation, font programs) in ``cache_dir``."""
    from publish import pipeline

    pipeline.keep_derived_data(cache_dir())


def run_build(args: argparse.Namespace, console: Console) -> int:
    """Build once, or keep rebuilding under --watch."""
    if args.watch:
        return _watch(args, console)
    with _one_shot_gc():  # from the pipeline's import on: its modules are most of what a build allocates
        options = build_options(args)
        _keep_derived_data()
        result = build_once(_source(args), options, console)
    if result is None:
        return ExitStatus.FINDINGS
    return ExitStatus.FINDINGS if args.strict and result.diagnostics.warnings() else ExitStatus.OK


def _watch(args: argparse.Namespace, console: Console) -> int:
    """Rebuild whenever the source or the style changes, warm (``session.WarmBuilder``)."""
    from publish.pipeline import watched_files
    from publish.session import WarmBuilder
    from publish.watch import watch

    options = build_options(args)
    _keep_derived_data()
    source = _source(args)
    files = lambda: watched_files(source, options)  # noqa: E731 - taken again at every poll
    session = WarmBuilder(options)

    def rebuild() -> None:
        try:
            build_once(source, options, console, session)
        finally:
            session.tidy()  # once the outputs are out, before waiting for the next change

    return watch(files, rebuild, console)


@contextmanager
def _one_shot_gc() -> Iterator[None]:
    """Tune the cycle collector for one build: the pipeline's modules are loaded with it off, then they and
    everything else alive (tables) are frozen out of its scans, and young collections run 70× less often. A
    build allocates hundreds of thousands of objects (modules' functions and classes, lines, runs, XML
    nodes) that the default thresholds would scan again and again (a young collection after the imports
    scanned them all: 10 ms). Collections stay on: a build makes cyclic garbage too (off, 30 speeches
    peaked at 77 MB instead of 41). The previous settings are restored afterwards (``main`` may run inside
    another program)."""
    import gc

    saved, enabled = gc.get_threshold(), gc.isenabled()
    gc.disable()
    from publish import pipeline  # noqa: F401 - loaded here, with the collector off, to be frozen

    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    gc.enable()
    try:
        yield
    finally:
        gc.freeze()  # the build's objects too: the restored threshold would start a young collection of them
        gc.set_threshold(*saved)
        gc.unfreeze()  # all of it to the oldest generation, for the next full collection
        if not enabled:
            gc.disable()


def build_once(
    source: Sources, options: BuildOptions, console: Console, session: WarmBuilder | None = None
) -> BuildResult | None:
    """Build ``source`` (cold, or warm in ``session``), print diagnostics and a summary; return the result
    (None: --strict stopped it)."""
    from publish.pipeline import build

    diagnostics = Diagnostics()
    try:
        if session is not None:
            result = session.build(source, diagnostics, console.log)
        else:
            result = build(source, options, diagnostics, console.log)
    finally:
        console.diagnostics(diagnostics, limit=DIAGNOSTICS_SHOWN)
    warnings = len(diagnostics.warnings())
    if not result.outputs:
        console.err(f"publish: not built: {warnings} warning(s) under --strict")
        return None
    files = ", ".join(str(p) for p in result.outputs)
    console.out(
        f"built {files}: {result.pages} pages, {result.speeches} speeches, "
        f"{warnings} warning(s), {result.seconds:.2f} s"
    )
    return result


def run_import(args: argparse.Namespace, console: Console) -> int:
    """Write the editable source for raw text, Word or PDF files and folders (one source for all of them);
    an editable source comes back normalised."""
    from publish import sourcefmt
    from publish.atomic import Outputs
    from publish.pipeline import STYLE_FILE, BuildOptions, load_collection

    diagnostics = Diagnostics()
    options = BuildOptions(manifest=args.manifest, name="", to_simplified=args.to_simplified)
    found = load_collection(args.raw, options, diagnostics, console.log)
    if args.output is not None and args.output.resolve() in {item.path.resolve() for item in found.inputs}:
        raise UsageError(f"{args.output} is one of the inputs; write the source to another file")
    text = sourcefmt.dump_source(found.booklet)
    console.diagnostics(diagnostics)
    if args.output is None:
        console.stdout.write(text)
        return 0
    if args.output.exists() and not args.force:
        raise UsageError(f"{args.output} exists and may hold your edits; pass --force to replace it")
    with Outputs(protect=[item.path for item in found.inputs]) as outputs:
        outputs.write(args.output, lambda tmp: tmp.write_text(text, encoding="utf-8"))
    console.out(f"wrote {args.output}: {len(found.booklet.speeches)} speeches")
    styles = [folder / STYLE_FILE for folder in found.folders if (folder / STYLE_FILE).is_file()]
    if styles and not (args.output.parent / STYLE_FILE).is_file():
        hint = f"copy it beside {args.output} or pass --style"
        console.out(f"note: {styles[0]} styles builds of the folder; {hint}")
    return 0


def run_clean(args: argparse.Namespace, console: Console) -> int:
    """Print the cleaned text, or the list of changes with --report (a PDF: of its extracted text)."""
    from publish import clean, sourcefmt
    from publish.source import read_source

    if args.file.suffix.lower() == ".pdf":
        from publish.readers.pdf import read_pdf

        diagnostics = Diagnostics()
        source = read_pdf(args.file, diagnostics).source
        console.diagnostics(diagnostics)
    else:
        source = read_source(args.file)
    if sourcefmt.is_source(source.text):  # taken as written: cleaning would curl its TOML quotes
        note = "editable source: cleaning rules apply to raw text only, nothing was changed"
        console.stdout.write(f"{source.path}: 0 changes ({note})\n" if args.report else source.text)
        return 0
    cleaned = clean.clean(source, to_simplified=args.to_simplified)
    console.stdout.write(clean.report(cleaned) if args.report else cleaned.text)
    return 0


def run_check(args: argparse.Namespace, console: Console) -> int:
    """Lint a source; exit 1 when anything was found."""
    from publish import pipeline

    source = _source(args)
    diagnostics = Diagnostics()
    options = pipeline.BuildOptions(style=args.style, manifest=args.manifest)
    _keep_derived_data()
    pipeline.check(source, diagnostics, options)
    console.diagnostics(diagnostics)
    found = len(diagnostics.warnings())
    named = " ".join(str(path) for path in source) or str(args.manifest)
    console.out(f"{named}: {found} finding(s)")
    return ExitStatus.FINDINGS if found else ExitStatus.OK


def run_fonts(args: argparse.Namespace, console: Console) -> int:
    """List the font roles with their files, families, glyph counts and licences, and per role the face
    that sets each character class (han, punct, latin, digit, other) with the chain it is taken from."""
    import json

    from publish import fonts
    from publish.layout.spec import default_spec
    from publish.layout.spec_file import load_spec

    spec = load_spec(args.style) if args.style else default_spec()
    fontset = fonts.FontSet.load(spec.fonts.chains, classes=spec.fonts.classes)
    faces = fonts.faces(fontset)
    if getattr(args, "json", False):
        report = {"folder": str(fonts.fonts_dir()), "fonts": fonts.describe(fontset), "faces": faces}
        console.out(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    console.out(f"fonts folder: {fonts.fonts_dir()}")
    users = {
        role: [name for name, style in spec.styles.items() if style.font == role] for role in fontset.roles
    }
    users.get(spec.page_number.font, []).append("page_number")
    for role in fontset.roles:
        console.out(f"{role} (styles: {', '.join(users[role]) or 'none'}):")
        for rank, font in enumerate(fontset.chain(role)):
            kind = "primary " if rank == 0 else "fallback"
            console.out(
                f"  {kind} {font.name:<36} {font.family:<28} {font.glyph_count:>6} glyphs  {font.licence}"
            )
        for row in (r for r in faces if r["role"] == role):
            own = " → ".join(row["class_chain"])
            where = f"class chain {own}, then the role's" if own else "role chain"
            console.out(f"  {row['class']:<6} {row['sample']}  {row['family'] or '(no font)':<28} {where}")
    return 0


def run_impose(args: argparse.Namespace, console: Console) -> int:
    """Impose a booklet PDF for saddle stitching."""
    from publish.output.impose import impose

    result = impose(args.pdf, args.output)
    console.out(f"wrote {args.output}: {result}")
    return 0


def run_preview(args: argparse.Namespace, console: Console) -> int:
    """Render chosen pages and a contact sheet to PNG."""
    from publish.output.preview import contact_sheet, render_pages

    try:
        pages = [int(p) for p in args.pages.split(",") if p.strip()]
    except ValueError:
        raise UsageError(f"--pages takes page numbers like 1,2,3, not {args.pages!r}") from None
    written = render_pages(args.pdf, args.out_dir, pages, dpi=args.dpi)
    sheet = contact_sheet(args.pdf, args.out_dir / "contact-sheet.png")
    for path in [*written, sheet]:
        console.out(f"wrote {path}")
    return 0


def run_serve(args: argparse.Namespace, console: Console) -> int:
    """Serve the local web page until Ctrl-C; its builds keep derived data on disk as ``build`` does."""
    from publish.serve import serve

    _keep_derived_data()
    return serve(
        args.inputs,
        host=args.host,
        port=args.port,
        browser=not args.no_browser,
        out_dir=args.out_dir,
        out=console.out,
        err=console.err,
    )
