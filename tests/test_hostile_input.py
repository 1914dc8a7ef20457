"""Hostile input and errors at the edge (issue 16): characters no output can hold, long titles, one-line
errors, and a watcher that survives any error of a rebuild."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from publish import render
from publish.cli import ExitStatus
from publish.console import MAX_ERROR, Console
from support.cli import run

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "booklet.md"
UNWRITABLE = ["\x07", "\x1b", "\x0b", "\ufffe", "\uffff"]  # NUL: refused as binary when read (test_source)


def _docx_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        names = [name for name in archive.namelist() if name.endswith("xml")]
        return "".join(archive.read(name).decode("utf-8") for name in names)


@pytest.mark.parametrize("char", UNWRITABLE, ids=lambda c: f"U+{ord(c):04X}")
def test_raw_text_loses_characters_no_output_can_hold(tmp_path: Path, char: str) -> None:
    # in the collection title, a speech title and a paragraph; both formats, every one removed and reported
    raw = tmp_path / "raw.txt"
    raw.write_text(f"汇编{char}标题\n第一篇{char}讲话\n正文{char}内容。\n", encoding="utf-8")
    status, _, err = run("build", str(raw), "-o", str(tmp_path / "out"))
    assert status == ExitStatus.OK, err
    assert char not in _docx_xml(tmp_path / "out" / "raw.docx")
    status, out, _ = run("clean", str(raw), "--report")
    assert status == 0 and out.count("invisible") == 3 and f"U+{ord(char):04X}" in out


@pytest.mark.parametrize("char", UNWRITABLE, ids=lambda c: f"U+{ord(c):04X}")
def test_editable_source_refuses_them_naming_line_and_character(tmp_path: Path, char: str) -> None:
    source = tmp_path / "booklet.md"
    source.write_text(f'+++\ntitle = "标题"\n+++\n\n# 讲话\n\n正文{char}内容。\n', encoding="utf-8")
    status, _, err = run("build", str(source), "-o", str(tmp_path / "out"))
    assert status == ExitStatus.SOURCE and err.count("\n") == 1, err
    assert f"{source}:7: character U+{ord(char):04X} at column 3" in err
    assert not (tmp_path / "out").exists()


def test_a_toml_escape_in_the_front_matter_is_refused_on_its_line(tmp_path: Path) -> None:
    source = tmp_path / "booklet.md"
    source.write_text('+++\ntitle = "标题"\nsubtitle = "副\\u0007标题"\n+++\n\n# 讲话\n\n正文。\n', "utf-8")
    status, _, err = run("build", str(source), "-o", str(tmp_path / "out"))
    assert status == ExitStatus.SOURCE and f"{source}:3: character U+0007" in err


def test_long_titles_build_with_the_core_property_cut(tmp_path: Path) -> None:
    title, subtitle = "长" * 300, "副" * 256
    source = tmp_path / "booklet.md"
    source.write_text(f'+++\ntitle = "{title}"\nsubtitle = "{subtitle}"\n+++\n\n# 讲话\n\n正文。\n', "utf-8")
    status, _, err = run("build", str(source), "-o", str(tmp_path / "out"))
    assert status == ExitStatus.OK, err
    with zipfile.ZipFile(tmp_path / "out" / "booklet.docx") as archive:
        core = archive.read("docProps/core.xml").decode("utf-8")
        document = archive.read("word/document.xml").decode("utf-8")
    assert f"<dc:title>{'长' * 255}</dc:title>" in core
    assert document.count("长") == 300 and document.count("副") == 256  # the cover keeps all of it


def test_library_messages_with_line_breaks_print_as_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Broken:
        name = "pdf"

        def limits(self, *args: object, **kwargs: object) -> list[object]:
            return []

        def render(self, *args: object, **kwargs: object) -> None:
            raise ValueError("first line\n\nsecond line\r\n" + "x" * 2000)

    monkeypatch.setitem(render.RENDERERS, "pdf", Broken())  # type: ignore[arg-type]
    status, _, err = run("build", str(SAMPLE), "-o", str(tmp_path), "--format", "pdf")
    assert status == ExitStatus.INTERNAL
    error = [line for line in err.splitlines() if line.startswith("publish:")]  # after the sample's warnings
    assert len(error) == 1 and "first line second line" in error[0] and len(error[0]) == MAX_ERROR
    assert "second line" not in err.replace(error[0], "")


def test_console_fail_keeps_ideographic_spaces() -> None:
    err = io.StringIO()
    Console(io.StringIO(), err).fail("标题\u3000二\n下一行")
    assert err.getvalue() == "标题\u3000二 下一行\n"


def test_watch_survives_an_internal_error_and_keeps_watching(tmp_path: Path) -> None:
    from publish.watch import watch

    watched = tmp_path / "booklet.md"
    watched.write_text("x", encoding="utf-8")
    calls: list[int] = []

    def rebuild() -> None:
        calls.append(len(calls))
        if len(calls) == 1:
            raise OverflowError("cannot convert float infinity to integer")

    def touch(_: float) -> None:  # one edit after the first build, then quiet
        if not watched.read_text(encoding="utf-8").endswith("edited"):
            watched.write_text("edited", encoding="utf-8")

    out, err = io.StringIO(), io.StringIO()
    assert watch([watched], rebuild, Console(out, err), max_builds=2, sleep=touch) == 0
    assert calls == [0, 1]
    assert err.getvalue().count("\n") == 1 and "internal error: OverflowError" in err.getvalue()
    assert "keeping the last good outputs" in err.getvalue()


def test_watch_reports_a_bad_style_edit_and_rebuilds_after_the_fix(tmp_path: Path) -> None:
    from functools import partial

    from publish.commands import build_once
    from publish.pipeline import BuildOptions, watched_files
    from publish.watch import watch

    source = tmp_path / "booklet.md"
    source.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    style = tmp_path / "style.toml"
    style.write_text("[styles.body]\nsize = inf\n", encoding="utf-8")
    options = BuildOptions(out_dir=tmp_path / "out", formats=("pdf",))
    out, err = io.StringIO(), io.StringIO()
    console = Console(out, err)

    def fix(_: float) -> None:  # one edit after the first build, then quiet
        if "inf" in style.read_text(encoding="utf-8"):
            style.write_text("[styles.body]\nsize = 15.0\n", encoding="utf-8")

    files = watched_files(source, options)
    assert watch(files, partial(build_once, source, options, console), console, max_builds=2, sleep=fix) == 0
    assert "styles.body.size" in err.getvalue() and "keeping the last good outputs" in err.getvalue()
    assert out.getvalue().count("built ") == 1


def test_characters_no_font_covers_stay_in_the_pdf_text_layer_and_the_docx(tmp_path: Path) -> None:
    import pdfplumber

    raw = tmp_path / "raw.txt"
    raw.write_text("汇编标题\n第一篇讲话\n生僻字𠀀与表情😀和私用\ue000在句中。\n", encoding="utf-8")
    status, _, err = run("build", str(raw), "-o", str(tmp_path / "out"))
    assert status == ExitStatus.OK, err
    with pdfplumber.open(tmp_path / "out" / "raw.pdf") as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages)
    assert "生僻字𠀀与表情😀和私用\ue000在句中。" in text  # copied out whole: boxes with the right ToUnicode
    assert "生僻字𠀀与表情😀和私用\ue000在句中。" in _docx_xml(tmp_path / "out" / "raw.docx")
    warning = next(line for line in err.splitlines() if "missing-glyph" in line)
    assert (
        warning.startswith(f"{raw}: warning:")
        and "U+20000, line 3" in warning
        and "U+1F600, line 3" in warning
    )
    first = (tmp_path / "out" / "raw.pdf").read_bytes()
    assert run("build", str(raw), "-o", str(tmp_path / "again"))[0] == 0
    assert (tmp_path / "again" / "raw.pdf").read_bytes() == first  # the placeholder font is deterministic
