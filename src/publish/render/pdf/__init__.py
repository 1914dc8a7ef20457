"""LayoutPlan → PDF with reportlab's pdfgen canvas: paint the planned runs exactly where the plan puts them.

The renderer makes no layout decisions. Each line becomes one PDF text object (``BT … ET``) holding one
``Tj`` per run (more only where a run crosses one of reportlab's 256-glyph font subsets), set at
``(run.x, page height − baseline)`` with ``Tc = run.char_space``. Platypus is not used: it would wrap and
paginate by its own rules. Around the painted pages the PDF gets what readers expect: bookmarks from
``plan.outline``, named destinations at anchored lines, link annotations on TOC lines, page labels equal to
the printed numbers, document info, ``/Lang``, and subset-embedded fonts with ToUnicode maps (so text copies
out as the original characters).

Output is deterministic: reportlab's invariant mode fixes the dates and derives the document ID from the
content.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from publish.errors import PublishError, RenderError
from publish.layout.frame import LayoutPlan, Line, Page, TocEntry
from publish.layout.spec import LayoutSpec
from publish.render.pdf._fonts import FontRegistry, FontSource
from publish.render.pdf._text import TextEncoder

CREATOR = "publish"


@dataclass(frozen=True)
class _PageLabel:
    """What a viewer shows for a range of pages: ``prefix``, then the number in ``style`` (None: none)."""

    start_page: int  # 0-based physical page where this label range starts
    prefix: str = ""
    style: str | None = None  # "D" decimal, "r" lower-case roman, None: prefix only
    start: int = 1


def render(plan: LayoutPlan, spec: LayoutSpec, fonts: FontSource, path: Path) -> None:
    """Write ``plan`` as a PDF to ``path`` with the font files of ``fonts``; raise RenderError on failure."""
    if not plan.pages:
        raise RenderError("the layout plan has no pages; nothing to render")
    registry = FontRegistry(fonts)
    first_font = _first_font(plan)
    canvas = Canvas(
        str(path),
        pagesize=(spec.page.width, spec.page.height),
        invariant=1,
        pageCompression=1,
        lang=plan.meta.language or None,
        # A TrueType initial font keeps reportlab from putting an unembedded Helvetica into every page.
        initialFontName=registry.name(first_font) if first_font else None,
    )
    _set_info(canvas, plan)
    extra = _page_destinations(plan)
    named: dict[str, object] = {}
    encoder = TextEncoder(canvas)
    for page in plan.pages:
        named.update(_draw_page(canvas, page, spec, registry, encoder, extra.get(page.index, ())))
        canvas.showPage()
    if named:  # also as named destinations, so that ``booklet.pdf#s1`` works in viewers
        canvas.setCatalogEntry("Dests", {k: v for k, v in named.items() if _plain_name(k)})
    _add_outline(canvas, plan.outline)
    for label in _page_labels(plan.pages):
        # reportlab wants its constant names: it mistakes "r" for a name (PDFPageLabel upper-cases it).
        style = {"D": "ARABIC", "r": "ROMAN_LOWER"}.get(label.style or "")
        canvas.addPageLabel(label.start_page, style, label.start if style else None, label.prefix or None)
    try:
        with _binary_streams():
            canvas.save()
    except OSError as exc:
        raise RenderError(f"cannot write {path}: {exc.strerror or exc}") from None
    except PublishError:
        raise
    except Exception as exc:  # reportlab raises bare errors (undefined destination, frozen subset …)
        raise RenderError(f"reportlab failed writing {path}: {exc}") from exc


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


def _first_font(plan: LayoutPlan) -> str:
    """Return the first font file the plan draws with; empty when no run has a font."""
    if plan.fonts_used:
        return plan.fonts_used[0]
    for page in plan.pages:
        for line in page.lines:
            for run in line.runs:
                if run.font and run.text:
                    return run.font
    return ""


def _set_info(canvas: Canvas, plan: LayoutPlan) -> None:
    """Write the document info; empty fields stay empty rather than reportlab's "anonymous"/"unspecified"."""
    canvas.setTitle(plan.meta.title)
    canvas.setAuthor(plan.meta.author)
    canvas.setSubject(plan.meta.subject)
    canvas.setCreator(CREATOR)
    canvas.setKeywords("")
    canvas.setViewerPreference("DisplayDocTitle", "true")
    if plan.outline:
        canvas.showOutline()


def _draw_page(
    canvas: Canvas,
    page: Page,
    spec: LayoutSpec,
    fonts: FontRegistry,
    encoder: TextEncoder,
    destinations: Sequence[str],
) -> dict[str, object]:
    """Paint one page's lines, add its link annotations; return the destinations bound on it by name."""
    height = spec.page.height
    bound = {}
    for name in destinations:  # destinations with no anchored line: the page's top
        bound[name] = canvas.bookmarkPage(name, fit="XYZ", top=height)
    state = _TextState()
    for line in page.lines:
        top, bottom = _line_box(line, spec)
        if line.anchor:
            bound[line.anchor] = canvas.bookmarkPage(line.anchor, fit="XYZ", top=height - top)
        _draw_line(canvas, line, height - line.baseline, fonts, state, encoder)
        if line.link and line.runs:
            canvas.linkAbsolute(
                "",
                line.link,
                (line.x0, height - bottom, line.x1, height - top),
                thickness=0,
                Border="[0 0 0]",
            )
    return bound


def _plain_name(name: str) -> bool:
    """Return whether ``name`` can be a PDF name as reportlab writes it (printable ASCII only)."""
    return name.isascii() and name.isprintable() and " " not in name


@dataclass
class _TextState:
    """Text state already set in the page's content stream (PDF keeps Tc across text objects, §9.3.1)."""

    char_space: float = 0.0


def _draw_line(
    canvas: Canvas, line: Line, y: float, fonts: FontRegistry, state: _TextState, encoder: TextEncoder
) -> None:
    """Paint a line's runs as one text object; runs without a font (uncovered characters) draw nothing."""
    ops: list[str] = []
    for run in line.runs:
        if not run.font or not run.text:
            continue
        ops.append(f"1 0 0 1 {run.x:.4f} {y:.4f} Tm")
        if run.char_space != state.char_space:
            ops.append(f"{run.char_space:.4f} Tc")
            state.char_space = run.char_space
        ops.append(encoder.show(fonts.name(run.font), run.size, run.text))
    if ops:
        canvas.addLiteral(f"BT {' '.join(ops)} ET")


def _line_box(line: Line, spec: LayoutSpec) -> tuple[float, float]:
    """Return the top and bottom of ``line`` in points from the page top: its grid cell, or its em box."""
    if line.grid_line >= 0:
        top = line.baseline - spec.page.baseline_ratio * spec.page.pitch
        return top, top + spec.page.pitch
    size = max((run.size for run in line.runs), default=0.0)
    # Off the grid (cover, folio): the em box around the baseline, with the ratio the grid itself uses.
    ratio = spec.page.baseline_ratio
    return line.baseline - ratio * size, line.baseline + (1 - ratio) * size


def _page_destinations(plan: LayoutPlan) -> dict[int, list[str]]:
    """Return page index → destinations the outline or the TOC name but no line anchors (bound at page top).

    Raise RenderError when a line links to a destination nothing defines.
    """
    anchored = {line.anchor for page in plan.pages for line in page.lines if line.anchor}
    extra: dict[int, list[str]] = {}
    seen: set[str] = set()
    entries: list[TocEntry] = [*plan.outline, *plan.toc]
    for entry in entries:
        key = _destination(entry)
        if key not in anchored and key not in seen:
            seen.add(key)
            if 0 <= entry.page_index < len(plan.pages):
                extra.setdefault(entry.page_index, []).append(key)
    links = {line.link for page in plan.pages for line in page.lines if line.link}
    missing = sorted(links - anchored - seen)
    if missing:
        raise RenderError(f"the layout plan links to undefined destinations: {', '.join(missing[:5])}")
    return extra


def _destination(entry: TocEntry) -> str:
    """Return the destination name of an outline or TOC entry: its anchor, or its page when it has none."""
    return entry.anchor or f"page-{entry.page_index + 1}"


def _add_outline(canvas: Canvas, outline: Sequence[TocEntry]) -> None:
    """Add bookmarks: a speech (entry level 1) at outline level 0, its headings one level deeper."""
    previous = -1
    for entry in outline:
        # reportlab refuses a level more than one deeper than the previous entry; clamp rather than fail.
        level = min(max(entry.level - 1, 0), previous + 1)
        canvas.addOutlineEntry(entry.text, _destination(entry), level=level, closed=None)
        previous = level


def _page_labels(pages: Sequence[Page]) -> list[_PageLabel]:
    """Return the label ranges: 封面, 目录 (目录1, 目录2 … when several), printed numbers, roman elsewhere.

    A blank page without a number (recto mode) continues the count of the page before it, so the labels of
    the following pages still equal their printed numbers (a blank after a single 目录 page repeats 目录).
    """
    toc_total = sum(1 for p in pages if p.kind == "toc")
    labels: list[_PageLabel] = []
    toc_seen = 0
    previous: tuple[str, str | None, int] | None = None
    for index, page in enumerate(pages):
        if page.number is not None:
            current: tuple[str, str | None, int] = ("", "D", page.number)
        elif page.kind == "blank" and previous is not None:  # counted like the page before it
            current = (previous[0], previous[1], previous[2] + 1 if previous[1] else previous[2])
        elif page.kind == "cover":
            current = ("封面", None, 0)
        elif page.kind == "toc":
            toc_seen += 1
            current = ("目录", "D", toc_seen) if toc_total > 1 else ("目录", None, 0)
        else:
            current = ("", "r", index + 1)
        continues = (
            previous is not None
            and current[:2] == previous[:2]
            and (current[1] is None or current[2] == previous[2] + 1)
        )
        if not continues:
            labels.append(_PageLabel(index, current[0], current[1], current[2] if current[1] else 1))
        previous = current
    return labels
