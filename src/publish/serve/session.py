"""One editing session of ``publish serve``: the inputs, the editable source, the style form, the last build.

The editable source text is the whole state: every change the page makes (a kept removal, a structure
correction, the cover) is an edit of that text, and each edit is followed by a rebuild through the warm path
(``publish.session.WarmBuilder``: fonts and unchanged speeches' lines are kept between builds, the outputs
are byte-identical to a cold build). Files live in a private working folder the server made; request data
never names a path. A failed rebuild keeps the last good outputs and previews, as ``--watch`` does.
"""

from __future__ import annotations

import shutil
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path

from publish import clean as clean_stage
from publish import parse as parse_stage
from publish.atomic import Outputs
from publish.errors import Diagnostic, Diagnostics, PublishError
from publish.layout.spec import default_spec
from publish.layout.spec_file import load_spec
from publish.model import Booklet
from publish.output.impose import impose
from publish.output.preview import render_pages
from publish.pipeline import BuildOptions, load_collection
from publish.readers.pdf import read_pdf
from publish.readers.word import read_paragraphs
from publish.readers.word_structure import structure, text_of
from publish.serve import choices, edits, messages
from publish.serve.names import REFUSED, SUFFIXES, safe_stem, supplies_title
from publish.serve.report import InputReport, KeepError, build_report, keep
from publish.session import WarmBuilder
from publish.source import SourceText, decode
from publish.sourcefmt import dump_source, is_source, load_source

DOWNLOADS = {"pdf": ".pdf", "docx": ".docx", "imposed": "-imposed.pdf", "source": ".md"}
PREVIEW_DPI = {"thumb": 18, "large": 80}


class SessionError(Exception):
    """Raised for a request the session refuses; its text is a Chinese sentence for the page."""


class StaleError(SessionError):
    """Raised when a change names a revision older than the session's (another tab changed it)."""


@dataclass(frozen=True)
class Good:
    """The last build that succeeded: which revision, its page count, findings and time."""

    rev: int
    number: int
    pages: int
    seconds: float
    diagnostics: tuple[Diagnostic, ...]


@dataclass
class Session:
    """The state behind one page; every method that changes it takes the lock and rebuilds."""

    work: Path
    out_dir: Path
    opened: tuple[Path, ...] = ()
    base_style: Path | None = None
    name: str = ""
    rev: int = 0
    source: str = ""
    style: choices.StyleChoices = field(default_factory=choices.StyleChoices)
    inputs: list[str] = field(default_factory=list)
    reports: list[InputReport] = field(default_factory=list)
    kept: set[str] = field(default_factory=set)
    good: Good | None = None
    error: str = ""
    notes: list[str] = field(default_factory=list)
    lock: threading.RLock = field(default_factory=threading.RLock)
    _builds: int = 0
    _builder: WarmBuilder | None = None  # kept fonts and laid-out speeches (issue 17's warm path)
    _titled: bool = False  # the cover came from an input with a collection title of its own
    _imposed: int = -1

    def __post_init__(self) -> None:
        self.opened = tuple(path.resolve() for path in self.opened)
        base = load_spec(self.base_style) if self.base_style else None
        if base is not None:
            self.style = choices.StyleChoices.of(base)
        self._base = choices.read_base(self.base_style)
        for folder in ("inputs", "source", "out", "preview"):
            (self.work / folder).mkdir(parents=True, exist_ok=True)

    # --- changes -------------------------------------------------------------------------------------------
    def add(self, name: str, data: bytes) -> None:
        """Add one input (its file name only labels it and names the outputs); raise SessionError."""
        suffix = _suffix(name)
        with self.lock:
            booklet, report = self._read(name, suffix, data)
            self.name = self.name or safe_stem(name)
            titled = supplies_title(booklet)
            if self.source:
                current = edits.load(self.source)
                if titled and not self._titled:  # as collection.assemble: the first file with a cover title
                    current = replace(current, title=booklet.title, subtitle=booklet.subtitle,
                                      organisation=booklet.organisation, date=booklet.date)  # fmt: skip
                elif titled and booklet.title != current.title:
                    self.notes.append(f"“{name}”的总标题“{booklet.title}”未用作封面（封面用第一个文件的）")
                booklet = replace(current, speeches=current.speeches + booklet.speeches)
            self._titled = self._titled or titled
            self.reports += [report] if report else []
            self.inputs.append(name)
            self._change(dump_source(booklet))

    def open_files(self, paths: Sequence[Path]) -> None:
        """Open the files and folders named on the command line as ``publish build`` reads them (order,
        ``booklet.toml``'s cover and per-file corrections), with each file's cleaning report."""
        with self.lock:
            try:
                found = load_collection(list(paths), BuildOptions(), Diagnostics())
            except PublishError as exc:
                raise SessionError(messages.error_text(exc)) from None
            for item in found.inputs:
                try:
                    data = item.path.read_bytes()
                except OSError as exc:
                    raise SessionError(f"{item.path}：无法读取（{exc.strerror or exc}）") from None
                _, report = self._read(item.path.name, _suffix(item.path.name), data)
                self.reports += [report] if report else []
                self.inputs.append(item.path.name)
            first = paths[0] if paths else Path("booklet")
            self.name = self.name or safe_stem(first.resolve().name, folder=first.is_dir())
            self._titled = any(item.supplies_title for item in found.inputs)
            self._change(dump_source(found.booklet))

    def _read(self, name: str, suffix: str, data: bytes) -> tuple[Booklet, InputReport | None]:
        """Return the booklet of one input and its cleaning report (None: an editable source, not cleaned)."""
        try:
            return self._parse(name, suffix, data)
        except PublishError as exc:
            raise SessionError(messages.error_text(exc)) from None

    def _parse(self, name: str, suffix: str, data: bytes) -> tuple[Booklet, InputReport | None]:
        diagnostics = Diagnostics()
        kind = SUFFIXES[suffix]
        prefix = str(len(self.inputs))
        if kind != "text":  # the Word and PDF readers take a file: a private one, named by the server
            private = self.work / "inputs" / f"input-{len(self.inputs) + 1}{suffix}"
            private.write_bytes(data)
        if kind == "docx":
            paragraphs = read_paragraphs(private, diagnostics)
            text = replace(text_of(paragraphs, name), path=name)
            report = build_report(prefix, text.text, clean_stage.clean(text), name, unit="段")
            return structure(paragraphs, Path(name), diagnostics), report
        if kind == "pdf":
            src = replace(read_pdf(private, diagnostics).source, path=name)
        else:
            decoded, encoding = decode(data, name)
            src = SourceText(name, decoded, encoding)
        if is_source(src.text):
            return load_source(src, diagnostics), None
        cleaned = clean_stage.clean(src)
        booklet = parse_stage.parse(cleaned, diagnostics)
        return booklet, build_report(prefix, src.text, cleaned, name)

    def keep(self, removal_id: str, rev: int | None = None) -> None:
        """Put a removed piece back into the source (see report.keep)."""
        with self.lock:
            self._fresh(rev)
            removal = next((r for rep in self.reports for r in rep.removals if r.id == removal_id), None)
            if removal is None or not removal.keepable:
                raise SessionError("没有这处可以保留的删除")
            if removal_id in self.kept:
                raise SessionError("这处删除已经保留过了")
            try:
                text = keep(self.source, removal)
                edits.load(text)
            except (KeepError, PublishError) as exc:
                raise SessionError(
                    str(exc) if isinstance(exc, KeepError) else messages.error_text(exc)
                ) from None
            self.kept.add(removal_id)
            self._change(text)

    def edit(self, edit: edits.Edit, rev: int | None = None) -> None:
        """Make one structure correction."""
        with self.lock:
            self._fresh(rev)
            try:
                self._change(edits.apply(self.source, edit))
            except edits.EditError as exc:
                raise SessionError(str(exc)) from None

    def cover(self, fields: dict[str, str], rev: int | None = None) -> None:
        """Replace cover fields."""
        with self.lock:
            self._fresh(rev)
            try:
                self._change(edits.set_cover(self.source, fields))
            except edits.EditError as exc:
                raise SessionError(str(exc)) from None

    def set_style(self, style: choices.StyleChoices, rev: int | None = None) -> None:
        """Take the style form's values."""
        with self.lock:
            self._fresh(rev)
            try:
                choices.check(default_spec(), self._style_data(style.checked()))
            except PublishError as exc:
                raise SessionError(messages.error_text(exc)) from None
            self.style = style
            self._change(self.source)

    def _fresh(self, rev: int | None) -> None:
        if not self.source:
            raise SessionError("请先添加文稿")
        if rev is not None and rev != self.rev:
            raise StaleError("页面内容已过期（可能在另一个窗口改过），已重新载入，请再操作一次")

    def _change(self, text: str) -> None:
        self.source = text
        self.rev += 1
        self._rebuild()

    # --- building ------------------------------------------------------------------------------------------
    def source_path(self) -> Path:
        """Return the private copy of the source the builds read."""
        return self.work / "source" / f"{self.name}.md"

    def style_path(self) -> Path | None:
        """Return the private style file the builds use; None when the defaults apply."""
        return self.work / "source" / f"{self.name}.style.toml" if self._style_data(self.style) else None

    def _style_data(self, style: choices.StyleChoices) -> dict[str, object]:
        return choices.style_data(self._base, style)

    def options(self) -> BuildOptions:
        """Return the build options of the current state (also what the equivalent command line says)."""
        return BuildOptions(
            out_dir=self.work / "out",
            docx_fonts=self.style.docx_fonts,
            style=self.style_path(),
            name=self.name,
            parallel=False,  # no fork from a threaded server (the warm builder renders in-process anyway)
        )

    def _rebuild(self) -> None:
        self.source_path().write_text(self.source, encoding="utf-8")
        style = self.style_path()
        if style is not None:
            style.write_text(choices.dumps(self._style_data(self.style)), encoding="utf-8")
        diagnostics = Diagnostics()
        options = self.options()
        if self._builder is None or self._builder.options != options:
            self._builder = WarmBuilder(options)
        try:
            result = self._builder.build(self.source_path(), diagnostics)
        except PublishError as exc:
            self.error = messages.error_text(exc)
            return
        except Exception as exc:  # a bug: the page keeps working on the last good build, as --watch does
            self.error = messages.error_text(exc)
            return
        self._builds += 1
        self.error = ""
        old = self.good
        self.good = Good(self.rev, self._builds, result.pages, result.seconds, tuple(diagnostics.items))
        if old is not None:
            shutil.rmtree(self.work / "preview" / str(old.number), ignore_errors=True)

    def output(self, kind: str) -> Path:
        """Return the private file of download ``kind`` (from DOWNLOADS); raise SessionError if none yet."""
        with self.lock:
            if kind == "source":
                if not self.source:
                    raise SessionError("还没有源文本")
                return self.source_path()
            if self.good is None or kind not in DOWNLOADS:
                raise SessionError("还没有排好的文件")
            path = self.work / "out" / f"{self.name}{DOWNLOADS[kind]}"
            if kind == "imposed" and self._imposed != self.good.number:
                try:
                    impose(self.work / "out" / f"{self.name}.pdf", path)
                except PublishError as exc:
                    raise SessionError(messages.error_text(exc)) from None
                self._imposed = self.good.number
            return path

    def page_image(self, page: int, size: str) -> bytes:
        """Return page ``page`` (1-based) of the last good PDF as PNG, ``size`` "thumb" or "large"."""
        with self.lock:
            if self.good is None or not 1 <= page <= self.good.pages or size not in PREVIEW_DPI:
                raise SessionError("没有这一页")
            folder = self.work / "preview" / str(self.good.number)
            cached = folder / f"{size}-{page:0{len(str(self.good.pages))}d}.png"  # render_pages' own name
            if not cached.is_file():
                (cached,) = render_pages(self.output("pdf"), folder, [page], PREVIEW_DPI[size], stem=size)
            return cached.read_bytes()

    def save(self) -> list[Path]:
        """Write PDF, DOCX, imposed PDF, the source (and its style file) into ``out_dir``; never an input."""
        with self.lock:
            if self.good is None or self.good.rev != self.rev:
                raise SessionError("当前内容还没有排版成功，不能保存（请先改正页面上的错误）")
            stem = self.name
            while any(target.resolve() in self.opened for target in self._targets(stem).values()):
                stem += "-edited"
            files = {kind: self.output(kind) for kind in DOWNLOADS}
            style = self.style_path()
            if style is not None:
                files["style"] = style
            targets = self._targets(stem)
            with Outputs() as outputs:
                for kind, path in files.items():
                    outputs.write(targets[kind], partial(shutil.copyfile, path))
            return [targets[kind] for kind in files]

    def _targets(self, stem: str) -> dict[str, Path]:
        found = {kind: self.out_dir / f"{stem}{suffix}" for kind, suffix in DOWNLOADS.items()}
        found["style"] = self.out_dir / f"{stem}.style.toml"
        return found

    def command(self, stem: str | None = None) -> str:
        """Return the command line that builds the saved source into the same files."""
        stem = stem or self.name
        words = ["publish", "build", f"{stem}.md"]
        if self.style_path() is not None:
            words += ["--style", f"{stem}.style.toml"]
        if self.style.docx_fonts != "standard":
            words += ["--docx-fonts", self.style.docx_fonts]
        return " ".join(words)


def _suffix(name: str) -> str:
    """Return the input kind's suffix of file ``name``; raise SessionError for one that cannot be read."""
    suffix = Path(name.replace("\\", "/")).suffix.lower()
    if suffix in REFUSED:
        raise SessionError(f"不能读取 {suffix} 文件：请在 Word 或 WPS 中“另存为”.docx 后再添加")
    if suffix not in SUFFIXES:
        raise SessionError(f"不支持的文件类型“{suffix or name}”：请用 .txt、.md、.docx 或 .pdf")
    return suffix
