"""LayoutPlan → PDF: paint the planned runs exactly where the plan puts them.

The renderer makes no layout decisions. Each line becomes one PDF text object (``BT … ET``) holding one
``Tj`` per run, set at ``(run.x, page height − baseline)`` with ``Tc = run.char_space``. Platypus is not
used: it would wrap and paginate by its own rules. Around the painted pages the PDF gets what the plan says
readers navigate by: bookmarks from ``plan.outline``, named destinations (``plan.destinations``), link
annotations (``plan.links``), page labels (``plan.labels``); and document info, ``/Lang``, and fonts
embedded as CID-keyed Type0 fonts, one per font file, whose codes are the original glyph IDs, with subsets
and ToUnicode maps (``_embed``; text copies out as the original characters; where two drawn characters share
a glyph, hence a code, the runs of the one the ToUnicode map does not give carry their text as
``/ActualText``). The file is written by
``_writer`` (reportlab wrote it before; see there why no longer). A PDF can express everything the plan
holds: ``limits`` is empty.

Output is deterministic: the document ID is a digest of the objects, and the creation date is the one the
build passes (``RenderOptions.created``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

from publish.errors import Diagnostic, PublishError, RenderError
from publish.layout.frame import LayoutPlan, Line, Link, Page, PageLabel, TocEntry
from publish.render.pdf._deflate import content_stream
from publish.render.pdf._embed import embed, glyph_chars
from publish.render.pdf._fonts import FontRegistry, FontSource, resource
from publish.render.pdf._pages import PageMemory
from publish.render.pdf._text import TextEncoder
from publish.render.pdf._writer import Name, Ref, Text, Value, Writer
from publish.render.protocol import RenderOptions

CREATOR = "publish"
_NONE: frozenset[str] = frozenset()
LABEL_STYLES = {"decimal": "D", "roman": "r"}  # /S of a page label (§12.4.2)
PROC_SET = [Name("PDF"), Name("Text")]


class PdfRenderer:
    """The PDF format (``protocol.Renderer``)."""

    name = "pdf"

    def limits(self, plan: LayoutPlan, options: RenderOptions) -> list[Diagnostic]:
        """Return []: a PDF paints every positioned line as planned."""
        return []

    def prepare(self) -> None:
        """Nothing: this package imports what the PDF needs."""

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
    _check_links(plan)
    runs = (run for page in plan.pages for line in page.lines for run in line.runs)
    registry = FontRegistry(fonts, frozenset(char for run in runs if not run.font for char in run.text))
    encoder = TextEncoder(registry)
    # the folder, not the file: the renderer writes to a temporary name there
    memory = PageMemory(str(Path(path).resolve().parent), registry, encoder, enabled=reuse)
    pdf = Writer()
    catalog, tree, font_dict = pdf.reserve(), pdf.reserve(), pdf.reserve()
    resources = pdf.add({"Font": font_dict, "ProcSet": PROC_SET})
    page_refs = [pdf.reserve() for _ in plan.pages]
    links: dict[int, list[Link]] = {}
    for link in plan.links:
        links.setdefault(link.page, []).append(link)
    targets = {
        dest.name: _destination(page_refs[dest.page], plan.height - dest.top) for dest in plan.destinations
    }
    box = [0, 0, plan.width, plan.height]
    painted = [_operators(page, plan.height, encoder, memory) for page in plan.pages]
    drawn = encoder.drawn()
    copies = {font: glyph_chars(registry.face(font), chars) for font, chars in drawn.items()}
    shared = _shared(drawn, copies, registry)
    if shared:  # rare: repaint the pages that draw them, with their text marked (not kept in the memory)
        for i, page in enumerate(plan.pages):
            if any(
                not shared.get(r.font, _NONE).isdisjoint(r.text) for line in page.lines for r in line.runs
            ):
                painted[i] = "\n".join(_paint(page, plan.height, encoder, shared))
    for page, ref, operators in zip(plan.pages, page_refs, painted, strict=True):
        entry: dict[str, Value] = {
            "Type": Name("Page"),
            "Parent": tree,
            "MediaBox": box,
            "Resources": resources,
        }
        if operators:
            entry["Contents"] = pdf.add(content_stream(operators))
        annotations = [_link(link, plan.height, targets[link.target]) for link in links.get(page.index, ())]
        if annotations:
            entry["Annots"] = [pdf.add(a) for a in annotations]
        pdf.put(ref, entry)
    pdf.put(tree, {"Type": Name("Pages"), "Kids": page_refs, "Count": len(page_refs)})
    order = sorted(copies, key=resource)
    embedded = {resource(f): embed(pdf, registry.face(f), copies[f], registry.identity(f)) for f in order}
    pdf.put(font_dict, embedded)
    root: dict[str, Value] = {"Type": Name("Catalog"), "Pages": tree}
    if plan.outline:
        root["Outlines"] = _outline(pdf, plan.outline, targets)
        root["PageMode"] = Name("UseOutlines")
    plain = {name: target for name, target in targets.items() if _plain_name(name)}
    if plain:  # also as named destinations, so that ``booklet.pdf#s1`` works in viewers
        root["Dests"] = pdf.add(plain)
    if plan.labels:
        root["PageLabels"] = {"Nums": [item for label in plan.labels for item in _label(label)]}
    if plan.meta.language:
        root["Lang"] = Text(plan.meta.language)
    root["ViewerPreferences"] = {"DisplayDocTitle": True}
    pdf.put(catalog, root)
    info = pdf.add(_info(plan, created or RenderOptions().created))
    try:
        Path(path).write_bytes(pdf.file(catalog, info))
        memory.keep()
    except OSError as exc:
        raise RenderError(f"cannot write {path}: {exc.strerror or exc}") from None
    except PublishError:
        raise


def _check_links(plan: LayoutPlan) -> None:
    """Raise RenderError when a link or bookmark leads to a destination the plan does not define."""
    defined = {dest.name for dest in plan.destinations}
    wanted = {link.target for link in plan.links} | {entry.target for entry in plan.outline}
    missing = sorted(wanted - defined)
    if missing:
        raise RenderError(f"the layout plan links to undefined destinations: {', '.join(missing[:5])}")


def _info(plan: LayoutPlan, created: datetime) -> dict[str, Value]:
    """Return the document information dictionary, dated ``created``; empty fields stay empty."""
    stamp = Text(created.strftime("D:%Y%m%d%H%M%S+00'00'"))
    meta = plan.meta
    return {
        "Title": Text(meta.title),
        "Author": Text(meta.author),
        "Subject": Text(meta.subject),
        "Keywords": Text(""),
        "Creator": Text(CREATOR),
        "Producer": Text(CREATOR),
        "CreationDate": stamp,
        "ModDate": stamp,
        "Trapped": Name("False"),
    }


def _destination(page: Ref, top: float) -> list[Value]:
    """Return an explicit destination: ``page`` with ``top`` at the window's top, position and zoom kept."""
    return [page, Name("XYZ"), None, top, None]


def _link(link: Link, height: float, target: list[Value]) -> dict[str, Value]:
    """Return a link annotation over the plan's box of ``link``, leading to ``target``, drawn without a
    border."""
    return {
        "Type": Name("Annot"),
        "Subtype": Name("Link"),
        "Rect": [link.x0, height - link.bottom, link.x1, height - link.top],
        "Border": [0, 0, 0],
        "Dest": target,
    }


def _label(label: PageLabel) -> list[Value]:
    """Return the ``/Nums`` pair of a page label range (§12.4.2)."""
    entry: dict[str, Value] = {}
    style = LABEL_STYLES.get(label.style)
    if style:
        entry["S"] = Name(style)
        if label.start != 1:
            entry["St"] = label.start
    if label.prefix:
        entry["P"] = Text(label.prefix)
    return [label.start_page, entry]


def _operators(page: Page, height: float, encoder: TextEncoder, memory: PageMemory) -> str:
    """Return the content stream of one page's lines (or the stored one from ``memory``); "" when nothing
    draws."""
    return "\n".join(memory.paint(page, height, partial(_paint, page, height, encoder)))


def _paint(
    page: Page, height: float, encoder: TextEncoder, shared: Mapping[str, frozenset[str]] | None = None
) -> list[str]:
    """Return the text objects of a page's lines; runs holding a character of ``shared`` (per font) carry
    their text as ``/ActualText``."""
    state = _TextState()
    drawn = (_draw_line(line, height - line.baseline, state, encoder, shared or {}) for line in page.lines)
    return [literal for literal in drawn if literal]


def _shared(
    drawn: Mapping[str, str], copies: Mapping[str, Mapping[int, str]], fonts: FontRegistry
) -> dict[str, frozenset[str]]:
    """Return per font the ``drawn`` characters whose glyph copies out as another drawn character (two
    characters a font draws with one glyph share one code: ``_embed.glyph_chars``)."""
    found: dict[str, frozenset[str]] = {}
    for font, mapping in copies.items():
        if len(mapping) < len(chars := drawn[font]):
            glyph = fonts.face(font).glyph
            found[font] = frozenset(c for c in chars if mapping[glyph(c)] != c)
    return found


def _plain_name(name: str) -> bool:
    """Return whether ``name`` is printable ASCII without spaces: what a URL fragment can name."""
    return name.isascii() and name.isprintable() and " " not in name


@dataclass
class _TextState:
    """Text state already set in the page's content stream (PDF keeps Tc and Tf across text objects,
    §9.3.1)."""

    char_space: float = 0.0
    font: tuple[str, float] = ("", 0.0)  # the font set key and size of the last Tf


def _draw_line(
    line: Line, y: float, state: _TextState, encoder: TextEncoder, shared: Mapping[str, frozenset[str]]
) -> str:
    """Return a line's runs as one text object ("" when nothing draws); runs without a font (uncovered
    characters) as boxes of the placeholder font, which keep the characters in the text layer; a run with
    a character of ``shared`` as a marked-content span with its text as ``/ActualText`` (§14.9.4)."""
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
        show = f"{encoder.hex(run.font, run.text)} Tj"
        if shared and not shared.get(run.font, _NONE).isdisjoint(run.text):
            text = run.text.encode("utf-16-be", "surrogatepass").hex().upper()
            show = f"/Span <</ActualText <FEFF{text}>>> BDC {show} EMC"
        ops.append(show)
    return f"BT {' '.join(ops)} ET" if ops else ""


def _outline(pdf: Writer, outline: Sequence[TocEntry], targets: dict[str, list[Value]]) -> Ref:
    """Add the bookmarks, all open: a speech (entry level 1) at the top, its headings one level deeper (a
    level more than one deeper than the previous entry's is taken as one deeper); return the outline root."""
    root = pdf.reserve()
    items: list[tuple[Ref, TocEntry, list[int]]] = []  # reference, entry, children (indexes into items)
    parents: list[int] = []  # the open items above the next entry, by depth
    tops: list[int] = []
    for entry in outline:
        level = min(max(entry.level - 1, 0), len(parents))
        del parents[level:]
        index = len(items)
        items.append((pdf.reserve(), entry, []))
        (items[parents[-1]][2] if parents else tops).append(index)
        parents.append(index)

    def count(index: int) -> int:
        children = items[index][2]
        return len(children) + sum(count(c) for c in children)

    def write(siblings: list[int], parent: Ref) -> None:
        for at, index in enumerate(siblings):
            ref, entry, children = items[index]
            item: dict[str, Value] = {
                "Title": Text(entry.text),
                "Parent": parent,
                "Dest": targets[entry.target],
            }
            if at:
                item["Prev"] = items[siblings[at - 1]][0]
            if at + 1 < len(siblings):
                item["Next"] = items[siblings[at + 1]][0]
            if children:
                item.update(First=items[children[0]][0], Last=items[children[-1]][0], Count=count(index))
                write(children, ref)
            pdf.put(ref, item)

    write(tops, root)
    entry_root: dict[str, Value] = {"Type": Name("Outlines"), "Count": len(items)}
    if tops:
        entry_root.update(First=items[tops[0]][0], Last=items[tops[-1]][0])
    return pdf.put(root, entry_root)


PDF = PdfRenderer()
