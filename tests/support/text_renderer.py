"""A third renderer, for tests: the plan's pages as plain text, one positioned line a row.

It shows that a new format needs no layout logic of its own: it only paints ``LayoutPlan.pages`` (and reads
the page labels the plan gives), and ``read_text_pages`` turns its output back into the per-page lines the
parity tools compare (``support.pdf_summary.TextLine``-like rows: baseline, x0, x1, text).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from publish.errors import Diagnostic
from publish.layout.frame import LayoutPlan
from publish.render.protocol import FontSource, RenderOptions


class TextRenderer:
    """Plain text: a header per page, then ``baseline x0 x1 text`` per line (points, 2 decimals)."""

    name = "txt"

    def limits(self, plan: LayoutPlan, options: RenderOptions) -> list[Diagnostic]:
        """Return []: positions and text are all the format holds."""
        return []

    def prepare(self) -> None:
        """Nothing to load."""

    def render(self, plan: LayoutPlan, fonts: FontSource, path: Path, options: RenderOptions) -> None:
        """Write the pages of ``plan`` to ``path``."""
        out = [f"created {options.created.isoformat()}"]
        for page in plan.pages:
            out.append(f"--- page {page.index + 1} [{plan.label(page.index)}] {page.kind}")
            for line in page.lines:
                text = "".join(run.text for run in line.runs if run.font)  # uncovered: drawn as nothing
                if text:
                    out.append(f"{line.baseline:.2f} {line.x0:.2f} {line.x1:.2f} {text}")
        Path(path).write_text("\n".join(out) + "\n", encoding="utf-8")


@dataclass(frozen=True)
class TextRow:
    """One line read back from the text renderer's output."""

    baseline: float
    x0: float
    x1: float
    text: str


def read_text_pages(path: Path) -> tuple[list[str], list[list[TextRow]]]:
    """Return the page labels and each page's rows of a file ``TextRenderer`` wrote."""
    labels: list[str] = []
    pages: list[list[TextRow]] = []
    for row in path.read_text(encoding="utf-8").splitlines()[1:]:
        if row.startswith("--- page "):
            labels.append(row.split("[", 1)[1].split("]", 1)[0])
            pages.append([])
        else:
            baseline, x0, x1, text = row.split(" ", 3)
            pages[-1].append(TextRow(float(baseline), float(x0), float(x1), text))
    return labels, pages
