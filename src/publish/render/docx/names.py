"""Font names for the DOCX renderer: which name each run and style declares, and what each name must draw.

Part of ``render.docx`` (no raw OOXML here). In "standard" mode a run names the product font of its font role
(``spec.fonts.docx_names``: 仿宋_GB2312 …), a fallback file the product font of the role whose chain it heads
or belongs to, and a file with a product name of its own (``spec.fonts.docx_file_names``: Liberation Serif →
Times New Roman) that name in any role; in "portable" mode a run names the family of the bundled file that
drew it, and the text each family sets is recorded so that ``oxml.parts`` can embed a subset holding exactly
those characters.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from publish.layout.spec import LayoutSpec
from publish.render.docx.oxml import parts as fx
from publish.render.protocol import FontSource

# Names Word substitutes for the *_GB2312 product fonts on machines that lack them (Windows Vista and later
# ship 仿宋 and 楷体 instead): the font table's w:altName.
ALT_NAMES = {"仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体"}
Recorded = tuple[str, str, Path | None]  # (name, text, None) for ``use``; (family, "", its file) for a family


class FontNames:
    """Font names written into the DOCX per font role and per font file, and the text each name sets."""

    def __init__(self, spec: LayoutSpec, fonts: FontSource, mode: str) -> None:
        self.spec = spec
        self.fonts = fonts
        self.portable = mode == "portable"
        self.role_of: dict[str, str] = {}
        for role, chain in spec.fonts.chains.items():
            for name in chain:
                self.role_of.setdefault(name, role)
        # every file a run may be drawn from: the role chains' and the class chains'
        self.role_of_any = set(self.role_of) | {
            file for by in spec.fonts.classes.values() for files in by.values() for file in files
        }
        self.text: dict[str, list[str]] = {}
        self.files: dict[str, Path] = {}
        self.used: list[str] = []  # every name a style or run declares (the font table lists them)
        self.log: list[Recorded] | None = None  # when a list: what ``use`` and ``for_run`` record, appended
        self._run_names: dict[tuple[str, str], str] = {}  # (file, font role) → ``for_run``

    def for_role(self, font_role: str) -> str:
        """Return the name for a font role: its product name (standard) or its primary's family (portable)."""
        if not self.portable:
            return self.spec.fonts.docx_names.get(font_role) or font_role
        return self._family(self.spec.fonts.chains[font_role][0])

    def for_run(self, file: str, font_role: str) -> str:
        """Return the name for a run drawn from ``file`` (empty: no font covers it) in a paragraph of
        ``font_role``."""
        key = (file, font_role)
        name = self._run_names.get(key)
        if name is None:
            name = self._run_names[key] = self._for_run(file, font_role)
        return name

    def _for_run(self, file: str, font_role: str) -> str:
        if not file:
            return self.for_role(font_role)
        if self.portable:
            return self._family(file)
        own = self.spec.fonts.docx_file_names.get(file)
        if own:
            return own
        chain = self.spec.fonts.chains.get(font_role, ())
        return self.for_role(font_role if file in chain else self.role_of.get(file, font_role))

    def use(self, name: str, text: str = "") -> None:
        """Record that a style or run declares ``name`` and sets ``text`` (what its subset must hold; the
        text is kept in portable mode only, the one that embeds subsets)."""
        self.used.append(name)
        if self.log is not None:
            self.log.append((name, text, None))
        if text and self.portable:
            self.text.setdefault(name, []).append(text)

    def _family(self, file: str) -> str:
        font = self.fonts.font(file)
        self.files.setdefault(font.family, Path(font.path))
        if self.log is not None:
            self.log.append((font.family, "", Path(font.path)))
        return font.family

    def replay(self, recorded: Sequence[Recorded]) -> None:
        """Record again what ``log`` took down while a kept paragraph was built: names used with their text,
        and the file each family came from."""
        for name, text, path in recorded:
            if path is None:
                self.use(name, text)
            else:
                self.files.setdefault(name, path)

    def entries(self, names: Sequence[str]) -> list[fx.FontEntry]:
        """Return the font-table entries for ``names`` (sorted), with files to embed in portable mode, the
        file that describes each (its own, or the bundled stand-in of the role a product name stands for)
        and the Windows name Word may fall back to (``ALT_NAMES``)."""
        out = []
        for name in sorted(set(names)):
            path = self.files.get(name) if self.portable else None
            text = "".join(sorted(set("".join(self.text.get(name, [])))))
            metrics = path or self._stand_in(name)
            out.append(fx.FontEntry(name, path, text, metrics, ALT_NAMES.get(name, "")))
        return out

    def _stand_in(self, name: str) -> Path | None:
        """Return the file whose own DOCX name is ``name``, else the primary file of the role whose DOCX name
        is ``name``; None when neither has it."""
        for file, own in sorted(self.spec.fonts.docx_file_names.items()):
            if own == name and file in self.role_of_any:
                return Path(self.fonts.font(file).path)
        for role, chain in self.spec.fonts.chains.items():
            if chain and self.for_role(role) == name:
                return Path(self.fonts.font(chain[0]).path)
        return None
