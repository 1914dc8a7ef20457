"""After each kind of edit, a warm session's outputs are byte for byte a cold build's, at two sizes.

``test_session.py`` follows the sample through small edits; this follows the sample and a booklet of its
speeches cycled to 24 (a 目录 of several pages) through the edits that move what the warm path keeps: an edit
in the first and in the last speech, a title that takes another line (every later page moves), speeches
appended and removed again (the 目录 gains a page and loses it: every body page moves), a style file
(another spec), another font for the body (other font files), and a character no font has (in a paragraph,
and in a title the 目录 lists too). After each, the PDF, the DOCX and the findings are compared with a cold
``pipeline.build`` of the same source, under more than the default options (portable DOCX fonts, the
LibreOffice reader, recto starts).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from publish import sourcefmt
from publish.errors import Diagnostics
from publish.model import Booklet, Speech
from publish.pipeline import BuildOptions, build, layout
from publish.session import WarmBuilder
from publish.source import read_source

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "booklet.md"
FIRST = "今天能够站在这里"  # the first speech's first paragraph starts so
LAST = "新时代党的组织路线很明确"  # in the last speech's last paragraph (of every third speech when cycled)
FIRST_TITLE = "# 如何发挥好党建引领作用"
LONGER_TITLE = FIRST_TITLE + "，做到三个坚持，把党建工作抓实抓细抓出成效"  # two lines instead of one
NO_FONT = "\U000f0001"  # a private-use character no bundled font has
SPEECHES = "".join(f"\n# 新增的第{n}篇发言\n\n新增一段正文。\n" for n in range(1, 25))

pytestmark = pytest.mark.skipif(not (ROOT / "fonts" / "FandolFang-Regular.ttf").is_file(), reason="no fonts")

Edit = Callable[[Path], None]


def _replace(old: str, new: str, last: bool = False) -> Edit:
    def apply(source: Path) -> None:
        text = source.read_text(encoding="utf-8")
        at = text.rfind(old) if last else text.find(old)
        assert at >= 0, old
        source.write_text(text[:at] + new + text[at + len(old) :], encoding="utf-8")

    return apply


def _append(source: Path, text: str) -> None:
    source.write_text(source.read_text(encoding="utf-8") + text, encoding="utf-8")


def _style(text: str) -> Edit:
    def apply(source: Path) -> None:
        (source.parent / "style.toml").write_text(text, encoding="utf-8")

    return apply


BODY_KAI = '[fonts.chains]\nfangsong = ["FandolKai-Regular.ttf", "ZhuqueFangsong-fallback.ttf"]\n'
EDITS: list[tuple[str, Edit]] = [
    ("first speech", _replace(FIRST, "今天我能够站在这里")),
    ("last speech", _replace(LAST, "新时代党的组织路线非常明确", last=True)),
    ("a longer first title", _replace(FIRST_TITLE, LONGER_TITLE)),
    ("speeches appended: the 目录 grows", lambda source: _append(source, SPEECHES)),
    ("speeches removed: the 目录 shrinks", _replace(SPEECHES, "")),
    ("uncovered character", _replace("非常明确", "非常明确" + NO_FONT, last=True)),
    ("uncovered character in a title (the 目录's too)", _replace("三个坚持", "三个" + NO_FONT + "坚持")),
    ("an unchanged rebuild", lambda source: None),
    ("uncovered character out of the title", _replace("三个" + NO_FONT + "坚持", "三个坚持")),
    ("style file", _style("latin_spacing = 0.0\n[toc]\ndepth = 1\n")),
    ("body font", _style(BODY_KAI)),
    ("style file removed", lambda source: (source.parent / "style.toml").unlink()),
]


def _cycled(count: int) -> str:
    """Return the sample's source with its speeches cycled to ``count``, titles numbered."""
    sample = sourcefmt.load_source(read_source(SAMPLE), Diagnostics())
    speeches: list[Speech] = []
    for i in range(count):
        speech = sample.speeches[i % len(sample.speeches)]
        speeches.append(replace(speech, title=(*speech.title[:-1], f"{speech.title[-1]}（{i + 1}）")))
    booklet: Booklet = replace(sample, speeches=tuple(speeches))
    return sourcefmt.dump_source(booklet)


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.suffix in (".pdf", ".docx")}


def _toc_pages(source: Path, options: BuildOptions) -> int:
    *_, plan = layout(source, options, Diagnostics())
    return sum(page.kind == "toc" for page in plan.pages)


CASES = [
    pytest.param(3, BuildOptions(), id="sample"),
    pytest.param(
        3, BuildOptions(docx_fonts="portable", docx_for="libreoffice", recto=True), id="sample-portable-recto"
    ),
    pytest.param(24, BuildOptions(), id="24-speeches"),
]


@pytest.mark.parametrize(("speeches", "options"), CASES)
def test_warm_builds_equal_cold_builds_after_every_kind_of_edit(
    tmp_path: Path, speeches: int, options: BuildOptions
) -> None:
    source = tmp_path / "src" / "booklet.md"
    source.parent.mkdir()
    source.write_text(SAMPLE.read_text(encoding="utf-8") if speeches == 3 else _cycled(speeches), "utf-8")
    warm_dir, cold_dir = tmp_path / "warm", tmp_path / "cold"
    warm_options, cold_options = replace(options, out_dir=warm_dir), replace(options, out_dir=cold_dir)
    session = WarmBuilder(warm_options)
    session.build(source)
    toc_pages = {"": _toc_pages(source, cold_options)}
    for what, edit in EDITS:
        edit(source)
        warm_found, cold_found = Diagnostics(), Diagnostics()
        warm = session.build(source, warm_found)
        cold = build(source, cold_options, cold_found)
        assert (warm.pages, warm.speeches) == (cold.pages, cold.speeches), what
        assert [str(d) for d in warm_found.items] == [str(d) for d in cold_found.items], what
        ours, theirs = _outputs(warm_dir), _outputs(cold_dir)
        assert set(ours) == {"booklet.pdf", "booklet.docx"}, what
        for name in ours:
            assert ours[name] == theirs[name], f"{what}: {name}"
        toc_pages[what] = _toc_pages(source, cold_options)
    # the edits did what they are named for: the 目录 gained a page and lost it again
    before, grown, shrunk = (toc_pages[k] for k in ("a longer first title", EDITS[3][0], EDITS[4][0]))
    assert grown > before and shrunk < grown, toc_pages


def test_a_rebuild_reuses_what_an_edit_in_the_last_speech_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The warm path is taken, not only equal: after an edit in the last speech the earlier speeches' lines
    and pages, their PDF pages and their DOCX paragraphs come from what the last build kept."""
    from publish.render.docx import reuse as docx_reuse
    from publish.render.pdf import _pages

    counts: dict[str, list[int]] = {"pdf": [], "docx": []}
    for fmt, memory in (("pdf", _pages.PageMemory), ("docx", docx_reuse.ParagraphMemory)):

        def counting(self: Any, fmt: str = fmt, keep: Callable[[Any], None] = memory.keep) -> None:
            counts[fmt].append(self.reused)
            keep(self)

        monkeypatch.setattr(memory, "keep", counting)
    source = tmp_path / "booklet.md"
    source.write_text(_cycled(24), encoding="utf-8")
    session = WarmBuilder(BuildOptions(out_dir=tmp_path / "out"))
    first = session.build(source)
    _replace(LAST, "新时代党的组织路线非常明确", last=True)(source)
    session.build(source)
    plans = session.cache.plans
    assert plans.reused == 23  # of 24 speeches
    assert plans.reused_pages >= first.pages * 0.8
    assert counts["pdf"][0] == 0 and counts["pdf"][1] >= first.pages * 0.8
    assert counts["docx"][0] == 0 and counts["docx"][1] >= 80  # distinct ones: the cycled speeches repeat
