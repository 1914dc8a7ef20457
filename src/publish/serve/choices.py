"""The style form: the few choices the page offers, and the style file they are saved as.

The form covers what people change most (recto starts, 目录 depth and speakers, punctuation compression,
the DOCX font mode); every other style key stays in the user's own ``style.toml`` beside the source, if there
is one. The page's style file is that file's data with the form's values merged over it, written with tomli-w
(a small maintained TOML writer; the standard library reads TOML but cannot write it), so the command line
builds the saved source with exactly the page's style: ``publish build NAME.md --style NAME.style.toml``.
"""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from publish.errors import SpecError
from publish.layout.spec import LayoutSpec
from publish.layout.spec_file import merge_spec

DOCX_FONTS = ("standard", "portable")
TOC_DEPTHS = (1, 2)


@dataclass(frozen=True)
class StyleChoices:
    """The form's values; ``docx_fonts`` is a build option (``--docx-fonts``), the rest are style keys."""

    recto: bool = False
    toc_depth: int = 1
    compress_punctuation: bool = False
    docx_fonts: str = "standard"
    toc_speaker: bool = False

    @classmethod
    def of(cls, spec: LayoutSpec, docx_fonts: str = "standard") -> StyleChoices:
        """Return the form's values as ``spec`` has them."""
        return cls(spec.recto, spec.toc.depth, spec.compress_punctuation, docx_fonts, spec.toc.speaker)

    def checked(self) -> StyleChoices:
        """Return self, or raise SpecError naming a value the form does not offer."""
        if self.docx_fonts not in DOCX_FONTS:
            raise SpecError(f"docx fonts must be one of {', '.join(DOCX_FONTS)}, not {self.docx_fonts!r}")
        if self.toc_depth not in TOC_DEPTHS:
            raise SpecError(f"toc.depth must be one of {TOC_DEPTHS}, not {self.toc_depth!r}")
        return self

    def style_keys(self) -> dict[str, Any]:
        """Return the style-file keys the form sets."""
        return {
            "recto": self.recto,
            "compress_punctuation": self.compress_punctuation,
            "toc": {"depth": self.toc_depth, "speaker": self.toc_speaker},
        }


def read_base(path: Path | None) -> dict[str, Any]:
    """Return the data of the user's style file ``path`` (empty for None); raise SpecError if unreadable."""
    if path is None:
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SpecError(f"cannot read style file: {exc.strerror}", path) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SpecError(f"not valid TOML: {exc}", path) from None


def style_data(base: dict[str, Any], choices: StyleChoices) -> dict[str, Any]:
    """Return ``base`` with the form's keys merged over it; empty when both say nothing beyond defaults."""
    data = copy.deepcopy(base)
    if not base and choices.style_keys() == StyleChoices().style_keys():
        return {}
    for key, value in choices.style_keys().items():
        if isinstance(value, dict):
            data.setdefault(key, {}).update(value)
        else:
            data[key] = value
    return data


def check(spec: LayoutSpec, data: dict[str, Any]) -> None:
    """Raise SpecError when ``data`` does not merge over ``spec`` (an unknown key, a wrong type)."""
    merge_spec(spec, data, "style")


def dumps(data: dict[str, Any]) -> str:
    """Return ``data`` as TOML text."""
    return "# 由 publish serve 写出：封面和正文在同名 .md 中，其余样式见 README「Style」。\n" + tomli_w.dumps(
        data
    )
