"""Reuse a page's painted operators from the last render of the same output file (a warm session).

A page's content stream is a pure function of what the page draws (each run's text, font, size, position
and spacing) and of the codes the document's font subsets give its characters. Those codes depend on the
order in which the whole document first used each character (reportlab assigns them as it meets them), so
a page is reused only after a check: the encoder first learns the page's characters exactly as painting
would (per font, in the page's order; the font's resource name assigned at the same point), then the codes
and subset names of the page's distinct characters are compared with those the stored operators were made
with. Equal: the stored operators are the ones painting would produce, byte for byte. Otherwise the page
is painted and stored anew. An edit in one speech therefore repaints its pages (and, when it brings new
characters, the pages whose codes moved), and reuses the rest.

One memory per output folder (the renderer writes to a temporary name there), holding only the pages of
the last render into it; a few folders at most. Since every reuse is checked, a memory that holds another
document's pages costs a miss, never a wrong page.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from publish.layout.frame import Page
from publish.render.pdf._text import TextEncoder

PATHS = 4  # output folders remembered


@dataclass(frozen=True)
class _Painted:
    """A page's operators; per font (reportlab name) its text on the page and the codes they used."""

    literals: tuple[str, ...]
    fonts: tuple[tuple[str, str, str], ...]  # (font, the page's text in it, fingerprint of its codes)


_memory: dict[str, dict[Hashable, _Painted]] = {}
_lock = threading.Lock()


class PageMemory:
    """The stored pages of one output path for one render; ``reused`` counts the pages taken from it."""

    def __init__(self, path: str, enabled: bool = True) -> None:
        self.path = path
        self.enabled = enabled  # False (a cold build): paint every page, store nothing
        with _lock:
            self._old = _memory.pop(path, {}) if enabled else {}
        self._new: dict[Hashable, _Painted] = {}
        self.reused = 0

    def paint(
        self,
        page: Page,
        height: float,
        encoder: TextEncoder,
        name: Callable[[str], str],
        draw: Callable[[], list[str]],
    ) -> list[str]:
        """Return the page's operators: the stored ones when their codes still hold, else ``draw()``'s.
        ``name`` gives a font file's reportlab name."""
        if not self.enabled:
            return draw()
        key = (height, tuple((line.baseline, line.runs) for line in page.lines))
        texts: dict[str, list[str]] = {}
        for line in page.lines:
            for run in line.runs:
                if run.font and run.text:
                    texts.setdefault(name(run.font), []).append(run.text)
        joined = {font: "".join(parts) for font, parts in texts.items()}
        stored = self._old.get(key)
        if stored is not None and stored.fonts and [f for f, *_ in stored.fonts] == list(joined):
            for font, text in joined.items():  # what painting would teach the encoder, in its order
                encoder.prepare(font, text)
            if all(encoder.fingerprint(font, text) == mark for font, text, mark in stored.fonts):
                self._new[key] = stored
                self.reused += 1
                return list(stored.literals)
        literals = draw()
        marks = tuple((font, text, encoder.fingerprint(font, text)) for font, text in joined.items())
        self._new[key] = _Painted(tuple(literals), marks)
        return literals

    def keep(self) -> None:
        """Store this render's pages for the next render of the same path (after a successful save)."""
        if not self.enabled:
            return
        with _lock:
            _memory[self.path] = self._new
            while len(_memory) > PATHS:
                del _memory[next(iter(_memory))]
