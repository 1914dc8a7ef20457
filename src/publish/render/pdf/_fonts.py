"""The faces a PDF render draws with, and the font resource name each has on every page.

A face (``_face.Face``) is opened once per font file per process (keyed by path, size and modification
time) and reused by every later render; the placeholder face of a set of uncovered characters
(``_placeholder``) is built once per set. Every face is embedded as one CID-keyed font per document
(``_embed``); ``fonts.py`` has already rejected CFF-flavoured files, and a file that still fails here becomes
a ``FontError``.

A font's resource name (``/F`` and eight hex digits) is a digest of its font set key, the file name runs
carry: the same in every build and independent of which other fonts a document uses or in what order, so a
page's content stream depends on its own lines only (``_pages`` relies on it).
"""

from __future__ import annotations

import struct
import threading
from collections import OrderedDict
from collections.abc import Hashable
from functools import cache
from pathlib import Path
from typing import Protocol

from publish.digest import blake2b
from publish.errors import FontError, RenderError
from publish.render.pdf import _placeholder
from publish.render.pdf._face import Face
from publish.sfnt import SfntError

PLACEHOLDER = "FBox"  # the placeholder's resource name (no digest is spelled with capitals)
PLACEHOLDERS = 8  # placeholder faces kept (one per set of uncovered characters)
_faces: dict[tuple[Path, int, int], Face] = {}
_placeholders: OrderedDict[str, Face] = OrderedDict()
_lock = threading.Lock()


class FontFile(Protocol):
    """What embedding needs from a resolved font (``publish.fonts.ResolvedFont`` fits)."""

    @property
    def path(self) -> Path: ...


class FontSource(Protocol):
    """What the PDF renderer needs from a font set: a resolved font per file name (``FontSet`` fits)."""

    def font(self, name: str) -> FontFile: ...


def face(font: FontFile) -> tuple[Face, Hashable]:
    """Return the face of ``font``'s file (opened once per process) and what identifies that file's
    version: (resolved path, size, modification time)."""
    path = Path(font.path).resolve()
    try:
        stat = path.stat()
    except OSError as exc:
        raise FontError(f"cannot read font file {path}: {exc.strerror}") from None
    key = (path, stat.st_size, stat.st_mtime_ns)
    with _lock:
        found = _faces.get(key)
        if found is None:
            try:
                found = Face.open(path)
                if "glyf" not in found.tables or "loca" not in found.tables:
                    raise SfntError("it has no TrueType (glyf) outlines")
            except OSError as exc:
                raise FontError(f"cannot read font file {path}: {exc.strerror}") from None
            except (SfntError, struct.error, KeyError, ValueError, IndexError) as exc:
                hint = "use a TrueType (glyf) font file; fonts/README.md lists the shipped ones"
                raise FontError(f"cannot embed {path.name}: {exc}", hint=hint) from None
            _faces[key] = found
    return found, key


def placeholder(chars: frozenset[str]) -> Face:
    """Return the placeholder face of ``chars`` (``_placeholder``), built once per set in the process."""
    key = _placeholder.font_key(chars)
    with _lock:
        found = _placeholders.get(key)
        if found is None:
            found = _placeholders[key] = Face(_placeholder.build(chars), "PublishPlaceholder")
            while len(_placeholders) > PLACEHOLDERS:
                _placeholders.popitem(last=False)
    return found


@cache
def resource(font: str) -> str:
    """Return the font resource name (without "/") of the font set key ``font``; "" is the placeholder."""
    if not font:
        return PLACEHOLDER
    return "F" + blake2b(font.encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()


class FontRegistry:
    """The faces of one render: font set key (``Run.font``; "" for the placeholder of ``uncovered``) →
    face, resolved once per key; ``identity(key)`` tells whether a later render draws the same file."""

    def __init__(self, fonts: FontSource, uncovered: frozenset[str] = frozenset()) -> None:
        self._fonts = fonts
        self._uncovered = uncovered
        self._faces: dict[str, tuple[Face, Hashable]] = {}
        self._names: dict[str, str] = {}  # resource name → key, to catch a collision

    def face(self, font: str) -> Face:
        """Return the face drawing runs of ``font``."""
        return self._entry(font)[0]

    def identity(self, font: str) -> Hashable:
        """Return what identifies the file behind ``font`` (for the placeholder: its characters)."""
        return self._entry(font)[1]

    def used(self) -> list[str]:
        """Return the keys asked for so far, in order."""
        return list(self._faces)

    def _entry(self, font: str) -> tuple[Face, Hashable]:
        found = self._faces.get(font)
        if found is None:
            if not font:
                found = (placeholder(self._uncovered), self._uncovered)
            else:
                try:
                    resolved = self._fonts.font(font)
                except KeyError:
                    raise RenderError(f"the layout plan draws with {font}, not in the font set") from None
                found = face(resolved)
            other = self._names.setdefault(resource(font), font)
            if other != font:
                raise RenderError(f"the fonts {other} and {font} have the same PDF resource name")
            self._faces[font] = found
        return found
