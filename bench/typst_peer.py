"""The Typst side of the benchmark: the same booklet as a Typst document, compiled by the ``typst`` package.

``typst_source`` writes a Booklet as Typst markup over ``typst/booklet-style.typ`` (titles are level-1
headings, publish's heading levels 1–4 are levels 2–5, the speaker line is ``#speaker``). Run as a script it
compiles a file once (``compile``) or keeps recompiling it (``watch``: Typst's own file watcher), with only
the bundled fonts. Usage:
    python bench/typst_peer.py compile|watch DOC.typ OUT.pdf
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STYLE = Path(__file__).resolve().parent / "typst" / "booklet-style.typ"
_MARKUP = set("\\#*_`$@<>[]=-+/~'\".:")  # characters Typst markup may read as syntax


def _escape(text: str) -> str:
    """Return ``text`` as Typst markup that prints it literally."""
    return "".join(f"\\u{{{ord(c):x}}}" if c in _MARKUP else c for c in text)


def typst_source(booklet: object, style: Path = STYLE) -> str:
    """Return ``booklet`` (a ``publish.model.Booklet``) as a Typst document using ``style``."""
    from publish.model import Booklet, Heading

    assert isinstance(booklet, Booklet)
    title = booklet.title.replace("\\", "\\\\").replace('"', '\\"')
    out = [f'#import "{style.as_posix()}": booklet, speaker', f'#show: booklet.with(title: "{title}")', ""]
    for speech in booklet.speeches:
        out += ["= " + " \\ ".join(_escape(t) for t in speech.title), ""]
        if speech.speaker:
            out += [f"#speaker[{_escape(speech.speaker)}]", ""]
        for block in speech.blocks:
            if isinstance(block, Heading):
                out += ["=" * (block.level + 1) + " " + _escape(block.text), ""]
            else:
                out += [_escape(block.text), ""]
    return "\n".join(out)


def main(argv: list[str]) -> int:
    """Compile or watch ``argv[2]`` into ``argv[3]``."""
    import typst

    action, document, output = argv[1], Path(argv[2]).resolve(), Path(argv[3])
    compiler = typst.Compiler(
        str(document), root="/", font_paths=[str(ROOT / "fonts")], ignore_system_fonts=True
    )
    if action == "watch":
        try:
            compiler.watch(str(output), timestamp=0)
        except KeyboardInterrupt:
            return 0
        return 0
    compiler.compile(output=str(output), timestamp=0)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
