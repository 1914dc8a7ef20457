"""A warm session (``session.WarmBuilder``) writes byte for byte what a cold build of the same source writes.

One builder follows a series of edits — in the first speech, in the last, a character no font has (and its
removal), a line added before every speech, a style file appearing — and after each the PDF, the DOCX and
the findings are compared with a cold ``pipeline.build`` of the same source into another folder.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from publish.errors import Diagnostics
from publish.pipeline import BuildOptions, build
from publish.session import WarmBuilder

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "booklet.md"
FIRST = "今天能够站在这里"  # the first speech's first paragraph starts so
LAST = "新时代党的组织路线很明确"  # in the last speech's last paragraph
EDITED = "新时代党的组织路线非常明确"
NO_FONT = "\U000f0001"  # a private-use character no bundled font has

pytestmark = pytest.mark.skipif(not (ROOT / "fonts" / "FandolFang-Regular.ttf").is_file(), reason="no fonts")


def _edit(old: str, new: str) -> Callable[[Path], None]:
    def apply(source: Path) -> None:
        text = source.read_text(encoding="utf-8")
        assert old in text
        source.write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def _style(source: Path) -> None:
    (source.parent / "style.toml").write_text("latin_spacing = 0.0\n[toc]\ndepth = 2\n", encoding="utf-8")


EDITS: list[tuple[str, Callable[[Path], None]]] = [
    ("first speech", _edit(FIRST, "今天我能够站在这里")),
    ("last speech", _edit(LAST, EDITED)),
    ("uncovered character", _edit(EDITED, EDITED + NO_FONT)),
    ("lines shift", _edit("\n# 如何发挥好党建引领作用", "\n\n\n# 如何发挥好党建引领作用")),
    ("uncovered character removed", _edit(NO_FONT, "")),
    (
        "a new speech",
        _edit("\n# 深刻理解全面从严治党", "\n# 新增的发言\n\n新增一段正文。\n\n# 深刻理解全面从严治党"),
    ),
    ("style file", _style),
]


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix in (".pdf", ".docx")}


def test_warm_builds_equal_cold_builds(tmp_path: Path) -> None:
    source = tmp_path / "src" / "booklet.md"
    source.parent.mkdir()
    source.write_bytes(SAMPLE.read_bytes())
    warm_dir, cold_dir = tmp_path / "warm", tmp_path / "cold"
    session = WarmBuilder(BuildOptions(out_dir=warm_dir))
    session.build(source)
    for what, edit in EDITS:
        edit(source)
        warm_found, cold_found = Diagnostics(), Diagnostics()
        warm = session.build(source, warm_found)
        cold = build(source, BuildOptions(out_dir=cold_dir), cold_found)
        assert (warm.pages, warm.speeches) == (cold.pages, cold.speeches), what
        assert [str(d) for d in warm_found.items] == [str(d) for d in cold_found.items], what
        ours, theirs = _outputs(warm_dir), _outputs(cold_dir)
        assert set(ours) == {"booklet.pdf", "booklet.docx"}, what
        assert ours == theirs, what


def test_unchanged_speeches_are_reused(tmp_path: Path) -> None:
    source = tmp_path / "booklet.md"
    source.write_bytes(SAMPLE.read_bytes())
    session = WarmBuilder(BuildOptions(out_dir=tmp_path / "out", formats=("pdf",)))
    session.build(source)
    assert session.cache.plans.reused == 0
    _edit(LAST, EDITED)(source)
    session.build(source)
    assert session.cache.plans.reused == 2  # of three: only the last speech is set again
    _edit(LAST[:4], "新时代党的" + NO_FONT)(source)  # a miss in the last speech: it is set again
    found = Diagnostics()
    session.build(source, found)
    assert session.cache.plans.reused == 2
    assert any(NO_FONT in str(d) for d in found.items)
    _style(source)  # another spec: nothing is reused
    session.build(source)
    assert session.cache.plans.reused == 0
