"""LayoutPlan → PDF with reportlab's pdfgen canvas: paint the planned runs exactly where the plan puts them.

The renderer makes no layout decisions. Each line becomes one PDF text object (``BT … ET``) holding one
``Tj`` per run, set at ``(run.x, page height − baseline)`` with ``Tc = run.char_space``. Platypus is not
used: it would wrap and paginate by its own rules. Around the painted pages the PDF gets what the plan says
readers navigate by: bookmarks from ``plan.outline``, named destinations (``plan.destinations``), link
annotations (``plan.links``), page labels (``plan.labels``); and document info, ``/Lang``, and fonts
embedded as CID-keyed Type0 fonts, one per font file, whose codes are the original glyph IDs, with subsets
and ToUnicode maps (``_embed``; text copies out as the original characters). reportlab writes the PDF; its
own font embedding is not used. A PDF can express everything the plan holds: ``limits`` is empty.

Output is deterministic: reportlab's invariant mode derives the document ID from the content, and the
creation date is the one the build passes (``RenderOptions.created``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from publish.errors import Diagnostic, PublishError, RenderError
from publish.layout.frame import Destination, LayoutPlan, Line, Link, Page, TocEntry
from publish.render.pdf._deflate import install as remember_compressed
from publish.render.pdf._embed import embed
from publish.render.pdf._fonts import FontRegistry, FontSource, resource
from publish.render.pdf._pages import PageMemory
from publish.render.pdf._text import TextEncoder
from publish.render.protocol import RenderOptions

CREATOR = "publish"
LABEL_STYLES = {"decimal": "ARABIC", "roman": "ROMAN_LOWER"}  # reportlab's names (it upper-cases "r")


class PdfRenderer:
    """The PDF format (``protocol.Renderer``)."""

    name = "pdf"

    def limits(self, plan: LayoutPlan, options: RenderOptions) -> list[Diagnostic]:
        """Return []: a PDF paints every positioned line as planned."""
        return []

    def render(self, plan: LayoutPlan, fonts: FontSource, path: Path, options: RenderOptions) -> None:
        """Write ``plan`` as a PDF to ``path``; raise RenderError on failure."""
        render(plan, fonts, path, created=options.created, reuse=options.reuse)


def render(
    plan: LayoutPlan, fonts: FontSource, path: Path, *, created: datetime | None = None, reuse: bool = False
) -> None:
    """Write ``plan`` as a PDF to ``path`` with the font files of ``fonts``, dated ``created`` (None: the
    fixed date of ``RenderOptions``); raise RenderError on failure. ``reuse``: take unchanged pages from the
    last render into the same folder (``_pages``; the bytes are the same either way)."""
    if not plan.pages:
        raise RenderError("the layout plan has no pages; nothing to render")
    remember_compressed()
    _check_links(plan)
    runs = (run for page in plan.pages for line in page.lines for run in line.runs)
    registry = FontRegistry(fonts, frozenset(char for run in runs if not run.font for char in run.text))
    canvas = _Canvas(
        str(path),
        pagesize=(plan.width, plan.height),
        invariant=1,
        pageCompression=1,
        lang=plan.meta.language or None,
    )
    _set_info(canvas, plan, created or RenderOptions().created)
    dests: dict[int, list[Destination]] = {}
    for dest in plan.destinations:
        dests.setdefault(dest.page, []).append(dest)
    link_areas: dict[int, list[Link]] = {}
    for link in plan.links:
        link_areas.setdefault(link.page, []).append(link)
    named: dict[str, object] = {}
    encoder = TextEncoder(registry)
    # the folder, not the file: the renderer writes to a temporary name there
    pages = PageMemory(str(Path(path).resolve().parent), registry, encoder, enabled=reuse)
    for page in plan.pages:
        index = page.index
        named.update(_draw_page(canvas, page, plan.height, encoder, dests.get(index, ()), pages))
        for link in link_areas.get(index, ()):
            box = (link.x0, plan.height - link.bottom, link.x1, plan.height - link.top)
            canvas.linkAbsolute("", link.target, box, thickness=0, Border="[0 0 0]")
        canvas.showPage()
    for font, chars in sorted(encoder.drawn().items(), key=lambda item: resource(item[0])):
        embed(canvas._doc, resource(font), registry.face(font), chars)
    if named:  # also as named destinations, so that ``booklet.pdf#s1`` works in viewers
        canvas.setCatalogEntry("Dests", {k: v for k, v in named.items() if _plain_name(k)})
    _add_outline(canvas, plan.outline)
    for label in plan.labels:
        style = LABEL_STYLES.get(label.style)
        canvas.addPageLabel(label.start_page, style, label.start if style else None, label.prefix or None)
    try:
        with _binary_streams():
            canvas.save()
        pages.keep()
    except OSError as exc:
        raise RenderError(f"cannot write {path}: {exc.strerror or exc}") from None
    except PublishError:
        raise
    except Exception as exc:  # reportlab raises bare errors (an undefined destination …)
        raise RenderError(f"reportlab failed writing {path}: {exc}") from exc


class _Canvas(Canvas):  # type: ignore[misc]
    """reportlab's canvas without its initial font: each text object sets its own (reportlab's default would
    put an unembedded Helvetica into every page)."""

    def _make_preamble(self) -> None:
        self._preamble = "1 0 0 1 0 0 cm"


@contextmanager
def _binary_streams() -> Iterator[None]:
    """Save streams without ASCII85 on top of Flate (reportlab reads ``useA85`` only while writing).

    The text encoding adds a quarter to every content stream and a fifth to the render time, for nothing a
    PDF reader needs.
    """
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


def _check_links(plan: LayoutPlan) -> None:
    """Raise RenderError when a link or bookmark leads to a destination the plan does not define."""
    defined = {dest.name for dest in plan.destinations}
    wanted = {link.target for link in plan.links} | {entry.target for entry in plan.outline}
    missing = sorted(wanted - defined)
    if missing:
        raise RenderError(f"the layout plan links to undefined destinations: {', '.join(missing[:5])}")


def _set_info(canvas: Canvas, plan: LayoutPlan, created: datetime) -> None:
    """Write the document info, dated ``created``; empty fields stay empty rather than reportlab's
    "anonymous"/"unspecified"."""
    canvas.setTitle(plan.meta.title)
    canvas.setAuthor(plan.meta.author)
    canvas.setSubject(plan.meta.subject)
    canvas.setCreator(CREATOR)
    canvas.setKeywords("")
    canvas.setViewerPreference("DisplayDocTitle", "true")
    stamp = created.strftime("D:%Y%m%d%H%M%S+00'00'")
    canvas.setDateFormatter(lambda *_: stamp)  # CreationDate and ModDate
    if plan.outline:
        canvas.showOutline()


def _draw_page(
    canvas: Canvas,
    page: Page,
    height: float,
    encoder: TextEncoder,
    destinations: Sequence[Destination],
    memory: PageMemory,
) -> dict[str, object]:
    """Paint one page's lines (or reuse them from ``memory``) and bind its destinations; return them by
    name."""
    bound = {}
    for dest in destinations:
        bound[dest.name] = canvas.bookmarkPage(dest.name, fit="XYZ", top=height - dest.top)

    def draw() -> list[str]:
        state = _TextState()
        drawn = (_draw_line(line, height - line.baseline, state, encoder) for line in page.lines)
        return [literal for literal in drawn if literal]

    literals = memory.paint(page, height, draw)
    if literals:  # one addition: reportlab joins the page's literals with newlines anyway
        canvas.addLiteral("\n".join(literals))
    return bound


def _plain_name(name: str) -> bool:
    """Return whether ``name`` can be a PDF name as reportlab writes it (printable ASCII only)."""
    return name.isascii() and name.isprintable() and " " not in name


@dataclass
class _TextState:
    """Text state already set in the page's content stream (PDF keeps Tc and Tf across text objects,
    §9.3.1)."""

    char_space: float = 0.0
    font: tuple[str, float] = ("", 0.0)  # the font set key and size of the last Tf


def _draw_line(line: Line, y: float, state: _TextState, encoder: TextEncoder) -> str:
    """Return a line's runs as one text object ("" when nothing draws); runs without a font (uncovered
    characters) as boxes of the placeholder font, which keep the characters in the text layer."""
    ops: list[str] = []
    at = f" {y:.4f} Tm"
    for run in line.runs:
        if not run.text:
            continue
        ops.append(f"1 0 0 1 {run.x:.4f}{at}")
        if run.char_space != state.char_space:
            ops.append(f"{run.char_space:.4f} Tc")
            state.char_space = run.char_space
        if (run.font, run.size) != state.font:
            ops.append(f"/{resource(run.font)} {run.size:.6g} Tf")
            state.font = (run.font, run.size)
        ops.append(f"{encoder.hex(run.font, run.text)} Tj")
    return f"BT {' '.join(ops)} ET" if ops else ""


def _add_outline(canvas: Canvas, outline: Sequence[TocEntry]) -> None:
    """Add bookmarks: a speech (entry level 1) at outline level 0, its headings one level deeper."""
    previous = -1
    for entry in outline:
        # reportlab refuses a level more than one deeper than the previous entry; clamp rather than fail.
        level = min(max(entry.level - 1, 0), previous + 1)
        canvas.addOutlineEntry(entry.text, entry.target, level=level, closed=None)
        previous = level


PDF = PdfRenderer()
