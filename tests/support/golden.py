r"""Golden case files: input and expected output in one file, compared with a unified diff.

A case file holds an optional flag line, the input, a ``# --- expected ---`` line and the expected output::

    # flags: escapes
    标题\u00a0\u00a0第二行
    # --- expected ---
    标题\u3000第二行

With the ``escapes`` flag, ``\uXXXX`` in the file stands for that character (``\\`` for a backslash), so
invisible characters stay visible to a reviewer; output is written back escaped the same way.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

MARKER = "# --- expected ---"
FLAGS = "# flags:"
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})|\\\\")


@dataclass(frozen=True)
class Case:
    """One case file: its flags, input and expected output (escapes already decoded)."""

    path: Path
    flags: tuple[str, ...]
    input: str
    expected: str


def case_files(directory: Path) -> list[Path]:
    """Return the ``*.txt`` case files of ``directory``, sorted; empty when there are none."""
    return sorted(directory.glob("*.txt"))


def read_case(path: Path) -> Case:
    """Read a case file; raise ``ValueError`` when it has no expected marker."""
    text = path.read_text(encoding="utf-8")
    flags: tuple[str, ...] = ()
    if text.startswith(FLAGS):
        head, _, text = text.partition("\n")
        flags = tuple(head[len(FLAGS) :].split())
    if f"\n{MARKER}\n" not in "\n" + text:
        raise ValueError(f"{path}: no {MARKER!r} line")
    given, _, expected = ("\n" + text).partition(f"\n{MARKER}\n")
    given = given[1:] + "\n" if given else ""
    if "escapes" in flags:
        given, expected = unescape(given), unescape(expected)
    return Case(path, flags, given, expected)


def write_case(case: Case, expected: str) -> None:
    """Rewrite ``case``'s file with ``expected`` as its expected output."""
    given = case.input
    if "escapes" in case.flags:
        given, expected = escape(given), escape(expected)
    head = f"{FLAGS} {' '.join(case.flags)}\n" if case.flags else ""
    case.path.write_text(f"{head}{given.removesuffix(chr(10))}\n{MARKER}\n{expected}", encoding="utf-8")


def check_case(case: Case, actual: str, update: bool) -> None:
    """Fail with a diff when ``actual`` is not the case's expected output; ``update`` rewrites the file."""
    if actual == case.expected:
        return
    if update:
        write_case(case, actual)
        return
    raise AssertionError(diff(case.expected, actual, str(case.path)))


def check_text(actual: str, path: Path, update: bool) -> None:
    """Fail with a diff when ``actual`` is not the whole file ``path``; ``update`` rewrites the file."""
    expected = path.read_text(encoding="utf-8") if path.exists() else ""
    if actual == expected:
        return
    if update:
        path.write_text(actual, encoding="utf-8")
        return
    raise AssertionError(diff(expected, actual, str(path)))


def diff(expected: str, actual: str, name: str) -> str:
    """Return a unified diff from ``expected`` to ``actual`` with a hint to update."""
    lines = difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), name, "actual")
    return "".join(lines) + "\n(run pytest --update-golden to accept, then review the diff)"


def escape(text: str) -> str:
    """Spell out invisible and space-like characters (but not space and newline) as ``\\uXXXX``."""
    out = []
    for char in text:
        if char == "\\":
            out.append("\\\\")
        elif char in " \n" or (char.isprintable() and char not in "\u00a0\u3000"):
            out.append(char)
        else:
            out.append(f"\\u{ord(char):04x}")
    return "".join(out)


def unescape(text: str) -> str:
    """Undo ``escape``."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else "\\", text)
