"""Fonts: locate the bundled files, check they can be embedded, and map characters to fonts by role chain.

Each font role (``fangsong``, ``heiti`` …) has a chain of files, primary first. A character takes the
first font of its chain whose cmap maps it (fonts.md §7). Only the raw ``cmap``, ``hmtx``, ``hhea``,
``head``, ``maxp`` and ``name`` tables are read (``sfnt.py``: no font library on the build path), once per
file and process, and decoded lazily: loading the whole set takes milliseconds.
"""

from __future__ import annotations

import os
import struct
import sys
import sysconfig
import unicodedata
from array import array
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypedDict

from publish.errors import Diagnostic, FontError, Location, Severity
from publish.sfnt import Sfnt, SfntError, unicode_cmap
from publish.sfnt import names as name_table

_GLYPHLESS = {"Cc", "Cf", "Zl", "Zp"}  # controls, format characters, line/paragraph separators


def fonts_dir() -> Path:
    """Return the folder of the bundled fonts: $PUBLISH_FONTS_DIR, else ``fonts/`` of the checkout, else the
    installed data folder."""
    env = os.environ.get("PUBLISH_FONTS_DIR")
    if env:
        return Path(env)
    checkout = Path(__file__).resolve().parents[2] / "fonts"
    if checkout.is_dir():
        return checkout
    return Path(sysconfig.get_path("data")) / "share" / "publish" / "fonts"


# Character classes a role may set from a chain of their own (layout spec ``fonts.classes``), docs/fonts.md
# "Faces". ``latin`` holds every ASCII character but the digits (Word sets all of U+0000–007F from a run's
# ascii font, MS-OI29500 §2.1.88) and the Latin letters beyond ASCII; ``punct`` the CJK and general
# punctuation; ``han`` the ideographs; ``other`` the rest (symbols, Greek, Cyrillic, full-width forms …).
CHAR_CLASSES = ("han", "punct", "latin", "digit", "other")
CLASS_SAMPLES = {
    "han": "汉",
    "punct": "，",
    "latin": "A",
    "digit": "0",
    "other": "①",
}  # what ``faces`` reports
_HAN_RANGES = ((0x2E80, 0x2FDF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3FFFF))
_PUNCT_RANGES = (
    (0x00B7, 0x00B7),  # · MIDDLE DOT (间隔号)
    (0x2010, 0x205E),  # general punctuation: dashes, quotes, …, ‰, primes, ※
    (0x3000, 0x303F),  # CJK symbols and punctuation: 、。〈〉《》「」【】〔〕
    (0xFE10, 0xFE19),  # vertical forms
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF01, 0xFF0F),  # ！＂＃＄％＆＇（）＊＋，－．／
    (0xFF1A, 0xFF20),  # ：；＜＝＞？＠
    (0xFF3B, 0xFF40),
    (0xFF5B, 0xFF65),
)


# The han and punct ranges (they do not overlap) sorted by their first code point, for bisection.
_RANGES = sorted([(low, high, "han") for low, high in _HAN_RANGES] + [(*r, "punct") for r in _PUNCT_RANGES])
_RANGE_FIRSTS = [low for low, _, _ in _RANGES]


def char_class(ch: str) -> str:
    """Return the class of ``ch`` (one of ``CHAR_CLASSES``) that a role's class chains are keyed by."""
    code = ord(ch)
    if code < 0x80:
        return "digit" if "0" <= ch <= "9" else "latin"
    i = bisect_right(_RANGE_FIRSTS, code) - 1
    if i >= 0 and code <= _RANGES[i][1]:
        return _RANGES[i][2]
    if 0x0300 <= code <= 0x036F or (unicodedata.name(ch, "").startswith("LATIN ") and code < 0x2C80):
        return "latin"  # Latin letters with diacritics (pinyin ā é ǐ ò ǖ) and combining marks
    return "other"


def needs_glyph(ch: str) -> bool:
    """Return False for characters drawn as nothing (controls, ASCII and other spaces except U+3000)."""
    if ch == "\u3000":
        return True
    return not ch.isspace() and unicodedata.category(ch) not in _GLYPHLESS


class _Tables:
    """The tables of one font file; the horizontal metrics are decoded on first use."""

    def __init__(self, path: Path) -> None:
        try:
            sfnt = Sfnt(path)
        except OSError as exc:
            raise FontError(f"font file {path} cannot be read ({exc})", hint=_HINT_FORMAT) from None
        except (SfntError, struct.error) as exc:
            what = (
                str(exc) if "collection" in str(exc) or "web font" in str(exc) else f"cannot be read ({exc})"
            )
            raise FontError(f"font file {path} {what}", hint=_HINT_FORMAT) from None
        if sfnt.version == b"OTTO" or "CFF " in sfnt or "CFF2" in sfnt or "glyf" not in sfnt:
            raise FontError(
                f"{path} has PostScript (CFF) outlines, which the PDF renderer cannot embed", hint=_HINT_CFF
            )
        try:
            tables = sfnt.read(("head", "maxp", "hhea", "cmap", "hmtx", "name"))
            self.units_per_em: int = struct.unpack_from(">H", tables["head"], 18)[0]
            self.glyph_count: int = struct.unpack_from(">H", tables["maxp"], 4)[0]
            self.metric_count: int = struct.unpack_from(">H", tables["hhea"], 34)[0]
            self.cmap = unicode_cmap(tables["cmap"])  # cheap: sorted segments, nothing per character
            self._hmtx: bytes = tables["hmtx"]
            names = name_table(tables["name"], _NAME_IDS) if "name" in tables else {}
        except (OSError, KeyError, SfntError, struct.error, ValueError, IndexError) as exc:
            raise FontError(f"font file {path} cannot be read ({exc!r})", hint=_HINT_FORMAT) from None
        self.family = names.get(1, "")
        self.psname = names.get(6, "")
        self.licence = _licence(names.get(13, ""), names.get(14, ""))
        self.path = path

    def __reduce__(self) -> tuple[Callable[[Path], _Tables], tuple[Path]]:
        """Pickle as the file's path: where the font arrives its tables are read on first use (a DOCX
        needs only the font's name and path), instead of travelling parsed (the bundled set's ~430 KB took
        4.5 ms to pickle for ``workers.Standby``, and reading them all again ~3 ms)."""
        return _unread, (self.path,)

    def __getattr__(self, name: str) -> Any:
        """Read the file at the first use of a table of an unpickled font (``_unread``)."""
        if name.startswith("__") or "path" not in vars(self) or "cmap" in vars(self):
            raise AttributeError(name)
        _Tables.__init__(self, self.path)
        return getattr(self, name)

    @cached_property
    def advances(self) -> array[int]:
        """Return the advance width of each of the first ``metric_count`` glyphs, in font units."""
        metrics = array("H", self._hmtx[: 4 * self.metric_count])
        if sys.byteorder == "little":
            metrics.byteswap()
        return metrics[0::2]


def _unread(path: Path) -> _Tables:
    """Return the tables of ``path`` unread: ``_Tables.__getattr__`` reads them when one is first used."""
    tables = _Tables.__new__(_Tables)
    tables.path = path
    return tables


_NAME_IDS = frozenset({1, 6, 13, 14})  # family, PostScript name, licence description and URL
_HINT_FORMAT = (
    "use a TrueType (.ttf, glyf outlines) font file; rebuild the bundled set with tools/prepare_fonts.py"
)
_HINT_CFF = (
    "convert it to TrueType (glyf) outlines first, as tools/prepare_fonts.py does with fontTools' cu2qu, "
    "or choose a .ttf font"
)
_CACHE: dict[tuple[str, int, int], _Tables] = {}


def _load_tables(path: Path) -> _Tables:
    """Return the tables of ``path``, cached per process by path, size and modification time."""
    try:
        stat = path.stat()
    except OSError:
        raise FontError(
            f"font file not found: {path}",
            hint="run tools/prepare_fonts.py, or set PUBLISH_FONTS_DIR to a folder with the fonts",
        ) from None
    key = (str(path), stat.st_size, stat.st_mtime_ns)
    if key not in _CACHE:
        _CACHE[key] = _Tables(path)
    return _CACHE[key]


def _licence(description: str, url: str) -> str:
    text = f"{description} {url}".lower()
    if "open font license" in text or "/ofl" in text or "openfontlicense" in text:
        return "OFL-1.1"
    if "gpl" in text or "general public license" in text:
        return "GPL-3.0-with-font-exception" if "exception" in text else "GPL-3.0"
    return "unknown"


@dataclass(frozen=True)
class ResolvedFont:
    """One font file, checked to be embeddable; ``name`` is its file name, the key layout runs use."""

    name: str
    path: Path
    family: str  # name ID 1
    psname: str  # name ID 6
    glyph_count: int
    licence: str  # "OFL-1.1" | "GPL-3.0-with-font-exception" | "unknown"
    _tables: _Tables = field(repr=False, compare=False)

    @classmethod
    def open(cls, path: Path) -> ResolvedFont:
        """Return the font at ``path``; raise FontError if it is missing, unreadable or CFF-flavoured."""
        t = _load_tables(path)
        return cls(path.name, path, t.family, t.psname, t.glyph_count, t.licence, t)

    @property
    def units_per_em(self) -> int:
        """Return the font's design units per em."""
        return self._tables.units_per_em

    def has(self, ch: str) -> bool:
        """Return True if the cmap maps ``ch``."""
        return self._tables.cmap.get(ord(ch)) != 0

    def advance(self, ch: str) -> float:
        """Return the advance width of ``ch`` in em; raise KeyError if the font does not map it."""
        glyph = self._tables.cmap.get(ord(ch))
        if not glyph:
            raise KeyError(f"U+{ord(ch):04X} {ch!r} is not in {self.name}")
        advances = self._tables.advances
        return advances[min(glyph, len(advances) - 1)] / self._tables.units_per_em


@dataclass(frozen=True)
class CharUse:
    """One occurrence of a character set by a font other than its role's primary; ``font`` "" means none."""

    char: str
    role: str
    font: str
    line: int  # 1-based, in the checked text
    column: int  # 1-based, in code points


@dataclass(frozen=True)
class CoverageReport:
    """Characters of a text that fall to a fallback font, and characters no font of the chain maps."""

    fallback: tuple[CharUse, ...] = ()
    missing: tuple[CharUse, ...] = ()
    path: str = ""

    def diagnostics(self) -> list[Diagnostic]:
        """Return one warning per role listing its missing characters and first place; empty if none."""
        out: list[Diagnostic] = []
        for role in dict.fromkeys(use.role for use in self.missing):
            uses = [use for use in self.missing if use.role == role]
            chars = "".join(dict.fromkeys(use.char for use in uses))
            first = uses[0]
            out.append(
                Diagnostic(
                    Severity.WARNING,
                    "font-missing",
                    f"no font of role {role} has {len(chars)} character(s): {chars}",
                    Location(self.path, first.line, first.column),
                    "extend the font chain (layout spec [fonts.chains]) or replace the characters",
                )
            )
        return out


Classes = Mapping[str, Mapping[str, Sequence[str]]]  # role → character class → file names


class FontSet:
    """The resolved chains of every font role, and per role and character class the fonts tried first."""

    def __init__(
        self,
        chains: Mapping[str, tuple[ResolvedFont, ...]],
        classes: Mapping[str, Mapping[str, tuple[ResolvedFont, ...]]] | None = None,
    ) -> None:
        self._chains = dict(chains)
        self._classes = {
            role: {name: fonts for name, fonts in (classes or {}).get(role, {}).items() if fonts}
            for role in chains
        }
        self.roles: tuple[str, ...] = tuple(chains)
        every = [*chains.values(), *(f for by in self._classes.values() for f in by.values())]
        self._by_name = {font.name: font for chain in every for font in chain}
        self._picks: dict[str, dict[str, ResolvedFont | None]] = {role: {} for role in chains}
        # per role and character class, the fonts ``pick`` tries: the class chain, then the role's chain
        self._walks = {
            role: {name: (*self._classes[role].get(name, ()), *chain) for name in CHAR_CLASSES}
            for role, chain in self._chains.items()
        }

    @classmethod
    def load(
        cls,
        chains: Mapping[str, Sequence[str]],
        directory: Path | None = None,
        classes: Classes | None = None,
    ) -> FontSet:
        """Return the fonts of ``chains`` (role → file names) and of ``classes`` (role → character class →
        file names tried before the role's chain) in ``directory`` (``fonts_dir()`` if None)."""
        folder = directory if directory is not None else fonts_dir()
        opened: dict[str, ResolvedFont] = {}  # one object per file: runs merge neighbours by identity

        def font(name: str) -> ResolvedFont:
            if name not in opened:
                opened[name] = ResolvedFont.open(folder / name)
            return opened[name]

        resolved: dict[str, tuple[ResolvedFont, ...]] = {}
        for role, names in chains.items():
            if not names:
                raise FontError(f"font role {role} has no fonts", hint="give the role at least one font file")
            resolved[role] = tuple(map(font, names))
        by_class = {
            role: {name: tuple(map(font, files)) for name, files in by.items()}
            for role, by in (classes or {}).items()
            if role in resolved
        }
        return cls(resolved, by_class)

    def __getstate__(self) -> dict[str, object]:
        """Pickle without ``pick``'s memory: every character asked for so far, per role."""
        state = dict(vars(self))
        state["_picks"] = {role: {} for role in self._picks}
        return state

    def same_files(self, other: FontSet) -> bool:
        """Return whether ``other`` has the same chains read from the same, unchanged files."""
        if self.roles != other.roles:
            return False
        pairs = [(self._chains[r], other._chains[r]) for r in self.roles]
        for role in self.roles:
            mine, theirs = self._classes[role], other._classes[role]
            if mine.keys() != theirs.keys():
                return False
            pairs += [(mine[name], theirs[name]) for name in mine]
        return all(
            len(a) == len(b) and all(x._tables is y._tables for x, y in zip(a, b, strict=True))
            for a, b in pairs
        )

    def chain(self, role: str) -> tuple[ResolvedFont, ...]:
        """Return the fonts of ``role``, primary first."""
        return self._chains[role]

    def class_chain(self, role: str, name: str) -> tuple[ResolvedFont, ...]:
        """Return the fonts ``role`` tries first for characters of class ``name``; () when it has none."""
        return self._classes[role].get(name, ())

    def first(self, role: str, ch: str) -> ResolvedFont:
        """Return the font meant to set ``ch`` in ``role``: its class chain's first, else the primary."""
        return (self._classes[role].get(char_class(ch)) or self._chains[role])[0]

    def font(self, name: str) -> ResolvedFont:
        """Return the loaded font with file name ``name``."""
        return self._by_name[name]

    def pick(self, role: str, ch: str) -> ResolvedFont | None:
        """Return the first font that maps ``ch`` of ``role``'s chain for the class of ``ch``, then of the
        role's chain; None if none does."""
        cache = self._picks[role]
        if ch in cache:
            return cache[ch]
        found = None
        for font in self._walks[role][char_class(ch)]:
            if font.has(ch):
                found = font
                break
        cache[ch] = found
        return found

    def runs(self, role: str, text: str) -> list[tuple[ResolvedFont | None, str]]:
        """Split ``text`` into maximal runs set in one font; None marks characters no font maps.

        Characters that draw nothing (controls, spaces) and that no font maps join the run before them
        (or after them at the start); a text of only such characters is one run in the primary font.
        """
        runs: list[tuple[ResolvedFont | None, str]] = []
        pending = ""
        for ch in text:
            font = self.pick(role, ch)
            if font is None and not needs_glyph(ch):
                if runs:
                    runs[-1] = (runs[-1][0], runs[-1][1] + ch)
                else:
                    pending += ch
                continue
            if runs and runs[-1][0] is font:
                runs[-1] = (font, runs[-1][1] + ch)
            else:
                runs.append((font, pending + ch))
                pending = ""
        if pending:
            runs.append((self._chains[role][0], pending))
        return runs

    def coverage(self, text: str, roles: Sequence[str] | None = None, path: str = "") -> CoverageReport:
        """Return where ``text`` needs fallbacks (a font other than ``first``) or has characters no font
        maps; ``roles`` None = all."""
        wanted = tuple(roles) if roles is not None else self.roles
        special: dict[str, list[tuple[str, ResolvedFont | None]]] = {}  # char → roles it is not primary in
        for ch in set(text):
            if needs_glyph(ch):
                for role in wanted:
                    font = self.pick(role, ch)
                    if font is not self.first(role, ch):
                        special.setdefault(ch, []).append((role, font))
        fallback: dict[str, list[CharUse]] = {role: [] for role in wanted}
        missing: dict[str, list[CharUse]] = {role: [] for role in wanted}
        if special:
            for number, line in enumerate(text.split("\n"), 1):
                for column, ch in enumerate(line, 1):
                    for role, font in special.get(ch, ()):
                        use = CharUse(ch, role, font.name if font else "", number, column)
                        (fallback if font else missing)[role].append(use)
        return CoverageReport(
            tuple(u for r in wanted for u in fallback[r]), tuple(u for r in wanted for u in missing[r]), path
        )


def describe(fonts: FontSet) -> list[dict[str, object]]:
    """Return one row per role and file: role, position (0 = primary), file, family, glyphs, licence, path."""
    return [
        {
            "role": role,
            "position": i,
            "file": font.name,
            "family": font.family,
            "psname": font.psname,
            "glyphs": font.glyph_count,
            "licence": font.licence,
            "path": str(font.path),
        }
        for role in fonts.roles
        for i, font in enumerate(fonts.chain(role))
    ]


# One row of ``faces`` ("class" is a keyword, hence the functional form).
Face = TypedDict(
    "Face",
    {
        "role": str,
        "class": str,
        "sample": str,
        "file": str,
        "family": str,
        "class_chain": list[str],
        "chain": list[str],
    },
)


def faces(fonts: FontSet) -> list[Face]:
    """Return one row per role and character class: the files tried (class chain, then the role's chain),
    the file and family that set the class's sample character (``CLASS_SAMPLES``), and the class's own
    chain ([] when the role's chain alone serves it)."""
    rows: list[Face] = []
    for role in fonts.roles:
        for name in CHAR_CLASSES:
            own = fonts.class_chain(role, name)
            face = fonts.pick(role, CLASS_SAMPLES[name])
            rows.append(
                {
                    "role": role,
                    "class": name,
                    "sample": CLASS_SAMPLES[name],
                    "file": face.name if face else "",
                    "family": face.family if face else "",
                    "class_chain": [font.name for font in own],
                    "chain": [font.name for font in dict.fromkeys((*own, *fonts.chain(role)))],
                }
            )
    return rows
