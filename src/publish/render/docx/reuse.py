"""Reuse a block's paragraph from the last DOCX render of the same output (a warm session).

Part of ``render.docx``. A body paragraph (``content.Content.paragraph``) is a pure function of its block's
content (``Content._key``), of whether it opens its section, of its bookmark (number and name, when the
block is a destination) and of the document's context: the spec the plan carries, its roles, the font
files, the font mode and the reader. A rebuild after an edit in one speech therefore takes every other
speech's paragraphs from here (the kept element itself, moved into the new document) and builds only the
changed ones, byte for byte as a cold build would. What building a paragraph records besides the element
(the font names it declares, with their text and files) is kept with it and recorded again on reuse. The
key is what the paragraph shows, not where: an edit that moves every later block onto another page still
reuses them.

One memory per output folder (the renderer writes to a temporary name there), holding the paragraphs of the
last render into it; a few folders at most. A memory made in another context is dropped whole.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from typing import NamedTuple

from publish.render.docx.names import Recorded
from publish.render.docx.oxml import elements as ox

PATHS = 4  # output folders remembered

Uses = tuple[Recorded, ...]  # what ``names.FontNames`` recorded while the paragraph was built


class Kept(NamedTuple):
    """A paragraph as built, and the font names (with text) building it recorded (a NamedTuple: a
    dataclass took ~0.5 ms to make on the import every DOCX build pays)."""

    element: ox.Element
    uses: Uses


class _Generation:
    """The paragraphs of one render and the context they were built in."""

    def __init__(self, context: tuple[object, ...]) -> None:
        self.context = context
        self.paragraphs: dict[Hashable, list[Kept]] = {}  # one element per use: equal paragraphs repeat


_memory: dict[str, _Generation] = {}
_lock = threading.Lock()


class ParagraphMemory:
    """The kept paragraphs of one output folder for one render; ``reused`` counts those taken from it.

    ``context`` holds what every paragraph depends on besides its block (each value the same object or
    equal: the font source is compared by identity first, its files being what it holds)."""

    def __init__(self, path: str, context: tuple[object, ...], enabled: bool = True) -> None:
        self.path = path
        self.enabled = enabled  # False (a cold build): build every paragraph, keep nothing
        old = None
        if enabled:
            with _lock:
                old = _memory.pop(path, None)
        self._old = old.paragraphs if old is not None and _same(old.context, context) else {}
        self._new = _Generation(context)
        self.reused = 0

    def get(self, key: Hashable) -> Kept | None:
        """Return the paragraph kept under ``key`` (None: build it), kept again for the next render: the
        element itself (it moves into the new document, whose section properties go onto copies:
        ``sections.body``). An element is in one place only, so the n-th use of ``key`` in a render takes the
        n-th element kept (an equal paragraph may come several times), or a copy of the first."""
        if not self.enabled:
            return None
        taken = self._new.paragraphs.get(key)
        used = len(taken) if taken is not None else 0
        olds = self._old.get(key)
        if olds is not None and used < len(olds):
            kept = olds[used]
            self.reused += 1
        elif taken is not None:
            kept = Kept(ox.copy(taken[0].element), taken[0].uses)
        else:
            return None
        self._new.paragraphs.setdefault(key, []).append(kept)
        return kept

    def put(self, key: Hashable, kept: Kept) -> None:
        """Keep a newly built paragraph under ``key``."""
        if self.enabled:
            self._new.paragraphs.setdefault(key, []).append(kept)

    def keep(self) -> None:
        """Store this render's paragraphs for the next render into the same folder (after a success)."""
        if not self.enabled:
            return
        with _lock:
            _memory[self.path] = self._new
            while len(_memory) > PATHS:
                del _memory[next(iter(_memory))]


def _same(old: tuple[object, ...], new: tuple[object, ...]) -> bool:
    """Return whether two contexts are the same: each value the same object or equal."""
    return len(old) == len(new) and all(a is b or a == b for a, b in zip(old, new, strict=True))
