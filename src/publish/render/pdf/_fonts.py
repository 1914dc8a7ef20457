"""reportlab font registration: the only module that calls ``TTFont``/``registerFont``.

reportlab keeps registered fonts in a process-wide table, so each font file is registered once per process
and reused by every later render. The internal name is derived from the file name
(``publish:FandolFang-Regular``), so it is stable across runs; it never reaches the PDF, which names each
embedded subset after the font's own PostScript name (``AAAAAA+FandolFang-Regular``). A second file with
the same name in another folder (a test's temporary font) gets a suffix from its path's hash instead of
replacing the first.

Fonts are registered as ``_face.LazyFont`` (reportlab's TTFont with character tables decoded on demand).
reportlab embeds TrueType (``glyf``) fonts only, as 256-glyph subsets with a ToUnicode map each;
``fonts.py`` rejects CFF-flavoured files before anything renders, and a file that still fails here becomes
a ``FontError``.
"""

from __future__ import annotations

import hashlib
import io
import re
import threading
from pathlib import Path
from typing import Protocol

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from publish.errors import FontError, RenderError
from publish.render.pdf import _placeholder
from publish.render.pdf._face import LazyFont

_ASTRAL_ENTRY = re.compile(r"<([0-9A-F]{2})> <([0-9A-F]{5,6})>")
_reportlab_cmap = ttfonts.makeToUnicodeCMap


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """Return reportlab's ToUnicode CMap with characters beyond the BMP written as UTF-16BE surrogate pairs.

    reportlab formats every destination as ``%04X``, so U+20000 becomes ``<20000>``, which readers take as
    U+2000 and a stray digit: 𠀀 or 😀 copied out of the PDF read as other characters. A bfchar destination
    is UTF-16BE (ISO 32000-1 §9.10.3), so a supplementary character needs its surrogate pair.
    """

    def pair(found: re.Match[str]) -> str:
        point = int(found.group(2), 16) - 0x10000
        return f"<{found.group(1)}> <{0xD800 + (point >> 10):04X}{0xDC00 + (point & 0x3FF):04X}>"

    return _ASTRAL_ENTRY.sub(pair, _reportlab_cmap(fontname, subset))


ttfonts.makeToUnicodeCMap = _to_unicode_cmap  # reportlab's addObjects looks the function up at call time
_PREFIX = "publish:"
_registered: dict[Path, str] = {}  # resolved file path → reportlab font name
_lock = threading.Lock()


class FontFile(Protocol):
    """What registration needs from a resolved font (``publish.fonts.ResolvedFont`` fits)."""

    @property
    def path(self) -> Path: ...


class FontSource(Protocol):
    """What the PDF renderer needs from a font set: a resolved font per file name (``FontSet`` fits)."""

    def font(self, name: str) -> FontFile: ...


def register(font: FontFile) -> str:
    """Register ``font``'s file with reportlab unless done already; return the name to pass to ``setFont``."""
    given = Path(font.path)
    path = given.resolve()
    with _lock:
        name = _registered.get(path)
        if name is not None:
            return name
        name = _internal_name(given.stem, path)
        try:
            pdfmetrics.registerFont(LazyFont(name, str(path)))
        except TTFError as exc:
            hint = "use a TrueType (glyf) font file; fonts/README.md lists the shipped ones"
            raise FontError(f"reportlab cannot embed {path.name}: {exc}", hint=hint) from None
        except OSError as exc:
            raise FontError(f"cannot read font file {path}: {exc.strerror}") from None
        _registered[path] = name
        return name


def placeholder(chars: frozenset[str]) -> str:
    """Register (once per process) the placeholder font of ``chars`` (``_placeholder``); return its name."""
    name = f"{_PREFIX}placeholder-{_placeholder.font_key(chars)}"
    with _lock:
        try:
            pdfmetrics.getFont(name)
        except KeyError:
            pdfmetrics.registerFont(TTFont(name, io.BytesIO(_placeholder.build(chars))))
    return name


def _internal_name(stem: str, path: Path) -> str:
    """Return ``publish:<stem>``, or ``publish:<stem>~<hash>`` when another file has that name already."""
    name = _PREFIX + stem
    if name in _registered.values():
        digest = hashlib.sha1(str(path).encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
        name = f"{name}~{digest}"
    return name


class FontRegistry:
    """Registration for one render: file name (``Run.font``) → reportlab name, resolved once per name."""

    def __init__(self, fonts: FontSource) -> None:
        self._fonts = fonts
        self._names: dict[str, str] = {}

    def name(self, font: str) -> str:
        """Return the reportlab name of the font file ``font`` (a font set key), registering it first."""
        found = self._names.get(font)
        if found is None:
            try:
                resolved = self._fonts.font(font)
            except KeyError:
                raise RenderError(f"the layout plan draws with {font}, not in the font set") from None
            found = self._names[font] = register(resolved)
        return found
