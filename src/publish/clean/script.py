"""Traditional and simplified script, through OpenCC (a maintained converter with phrase tables, where a
hand-made character table would get 乾/干, 後/后 and their kind wrong).

Cleaning keeps the script as written; the chrome rules match a traditional line through its simplified
form, and ``--to-simplified`` converts the text on the user's explicit request (rule ``to-simplified``).
"""

from __future__ import annotations

import difflib
import functools
from typing import TYPE_CHECKING

from publish.clean.base import Edit

if TYPE_CHECKING:
    import opencc

__all__ = ["has_traditional", "simplified_edits", "to_simplified"]


@functools.cache
def _converter() -> opencc.OpenCC:
    """Return the t2s converter, loaded on first use (an editable source never needs it)."""
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Return ``text`` in simplified characters (OpenCC's t2s: characters and phrases)."""
    return str(_converter().convert(text))


def has_traditional(text: str) -> bool:
    """Return whether converting ``text`` to simplified changes it."""
    return to_simplified(text) != text


def simplified_edits(line: str, first: bool) -> list[Edit]:
    """Return the edits turning ``line`` into simplified script, one per changed run."""
    target = to_simplified(line)
    if target == line:
        return []
    matcher = difflib.SequenceMatcher(None, line, target, autojunk=False)
    return [(i1, i2, target[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"]
