"""What every renderer is and takes: the ``Renderer`` protocol, its options and the fonts it reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from publish.errors import Diagnostic
from publish.layout.frame import LayoutPlan

# GB/T 9704-2012 came into force: the creation date every output carries unless the build passes another
# (nothing below the command line reads the clock, so the same source gives the same bytes).
FIXED_DATE = datetime(2012, 7, 1, tzinfo=UTC)


class FontFile(Protocol):
    """What renderers need of a resolved font (``fonts.ResolvedFont`` fits)."""

    @property
    def path(self) -> Path: ...

    @property
    def family(self) -> str: ...


class FontSource(Protocol):
    """What renderers need of a font set: the resolved font of a file name (``fonts.FontSet`` fits)."""

    def font(self, name: str) -> FontFile: ...


@dataclass(frozen=True)
class RenderOptions:
    """What the build passes to every renderer; each reads the fields of its own format.

    ``created``: the one creation date of every output. ``docx_fonts``: "standard" names the product fonts
    recipients have, "portable" the bundled fonts, embedded. ``docx_for``: "word" writes the DOCX as ECMA-376
    says and Word and WPS read it, "libreoffice" with the values LibreOffice's import needs instead.
    """

    created: datetime = FIXED_DATE
    docx_fonts: str = "standard"
    docx_for: str = "word"
    reuse: bool = False  # a warm session: keep and reuse what an unchanged rebuild paints again (PDF pages)


class Renderer(Protocol):
    """One output format."""

    @property
    def name(self) -> str:
        """The format's name and file suffix (``pdf``)."""
        ...

    def limits(self, plan: LayoutPlan, options: RenderOptions) -> list[Diagnostic]:
        """Return a warning for each layout choice of ``plan`` the format cannot express; [] for none."""
        ...

    def prepare(self) -> None:
        """Load what ``render`` needs and has not loaded yet (its modules), ahead of the plan: a process
        forked before the layout (``workers.Standby``) does it on another core meanwhile."""
        ...

    def render(self, plan: LayoutPlan, fonts: FontSource, path: Path, options: RenderOptions) -> None:
        """Write ``plan`` to ``path``; raise RenderError when it cannot."""
        ...
