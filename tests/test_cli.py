"""The command line: exit codes, one-line errors, summaries, atomic outputs, watch, determinism."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import redirect_stdout
from functools import partial
from pathlib import Path

import pytest

from publish import __version__, cli, render
from publish.cli import ExitStatus
from publish.errors import Diagnostic
from publish.layout.frame import LayoutPlan
from publish.layout.spec import default_spec
from publish.render.protocol import FontSource, RenderOptions
from support.cli import run

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "booklet.md"
RAW = ROOT / "content" / "speeches-raw.txt"


def test_argparse_writes_to_the_given_streams(capsys: pytest.CaptureFixture[str]) -> None:
    assert run("--version") == (0, f"publish {__version__}\n", "")
    status, out, err = run("build", "--help")
    assert status == 0 and "--docx-fonts" in out and err == ""
    status, out, err = run("build", "--no-such-option")
    assert status == ExitStatus.USAGE and out == "" and "unrecognized arguments" in err
    assert capsys.readouterr() == ("", "")  # nothing reached the process's own streams


def _help(parser: object, argv: list[str]) -> str:
    out = io.StringIO()
    with redirect_stdout(out), pytest.raises(SystemExit):
        parser.parse_args(argv)  # type: ignore[attr-defined]
    return out.getvalue()


@pytest.mark.parametrize("command", sorted(cli.COMMANDS))
def test_a_parser_of_one_command_reads_and_helps_as_the_whole_one(command: str) -> None:
    whole, only = cli._parser([]), cli._parser(["--debug", command])
    assert f"{{{command}}}" in only.format_usage() and f"{{{command}}}" not in whole.format_usage()
    assert _help(only, [command, "--help"]) == _help(whole, [command, "--help"]) != ""
    needed = {"impose": ["a.pdf", "-o", "b.pdf"], "clean": ["a.txt"], "import": ["a.txt"]}
    argv = [command, *needed.get(command, [])]
    assert only.parse_args(argv) == whole.parse_args(argv)


def test_the_whole_help_and_a_mistyped_command_list_every_command() -> None:
    status, out, _ = run("--help")
    assert status == 0 and all(name in out for name in cli.COMMANDS)
    status, _, err = run("biuld", "x.md")
    assert status == ExitStatus.USAGE and all(f"'{name}'" in err for name in cli.COMMANDS), err


def test_build_sample_writes_both_formats_and_a_summary(tmp_path: Path) -> None:
    status, out, err = run("build", str(SAMPLE), "-o", str(tmp_path))
    assert status == ExitStatus.OK, err
    assert (tmp_path / "booklet.pdf").read_bytes().startswith(b"%PDF-")
    assert (tmp_path / "booklet.docx").read_bytes().startswith(b"PK")
    assert "3 speeches" in out and "pages" in out and " s" in out
    assert "placeholder" in err  # the sample's X月X日 is reported but does not stop the build
    assert not list(tmp_path.glob(".*.part"))


def test_build_raw_seed_names_output_after_it(tmp_path: Path) -> None:
    status, _, err = run("build", str(RAW), "-o", str(tmp_path), "--format", "pdf")
    assert status == ExitStatus.OK, err
    assert [p.name for p in tmp_path.iterdir()] == ["speeches.pdf"]


def test_identical_bytes_on_rebuild(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for folder in (first, second):
        assert run("build", str(SAMPLE), "-o", str(folder), "-q")[0] == 0
    for name in ("booklet.pdf", "booklet.docx"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


@pytest.mark.parametrize(
    ("argv", "status", "needle"),
    [
        (["build", "missing.txt"], ExitStatus.SOURCE, "missing.txt"),
        (["build", str(ROOT / "src")], ExitStatus.SOURCE, "folder has no .txt, .md, .docx or .pdf"),
        (["build", str(SAMPLE), "--format", "odt"], ExitStatus.USAGE, "unknown format odt"),
        (["preview", "x.pdf", "--pages", "one"], ExitStatus.USAGE, "--pages"),
    ],
)
def test_bad_input_gives_one_line_and_no_traceback(
    argv: list[str], status: int, needle: str, tmp_path: Path
) -> None:
    code, _, err = run(*argv, "-o", str(tmp_path)) if argv[0] == "build" else run(*argv)
    assert code == status
    assert "Traceback" not in err
    if needle:
        lines = [line for line in err.splitlines() if line.startswith("publish: error")]
        assert len(lines) == 1 and needle in lines[0]


def test_empty_file_names_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n", encoding="utf-8")
    code, _, err = run("build", str(empty), "-o", str(tmp_path / "out"))
    assert code == ExitStatus.SOURCE and str(empty) in err and "Traceback" not in err


def test_unknown_style_key_is_named(tmp_path: Path) -> None:
    style = tmp_path / "house.toml"
    style.write_text("[page]\nlinez = 21\n", encoding="utf-8")
    code, _, err = run("build", str(SAMPLE), "--style", str(style), "-o", str(tmp_path))
    assert code == ExitStatus.STYLE
    assert "page.linez" in err and str(style) in err


def test_style_beside_source_is_used(tmp_path: Path) -> None:
    source = tmp_path / "booklet.md"
    source.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "style.toml").write_text("[page]\nlines = 20\n", encoding="utf-8")
    code, out, _ = run("build", str(source), "-o", str(tmp_path / "out"), "--format", "pdf")
    assert code == 0
    default_pages = int(
        run("build", str(SAMPLE), "-o", str(tmp_path / "d"), "--format", "pdf")[1].split(": ")[1].split()[0]
    )
    assert int(out.split(": ")[1].split()[0]) > default_pages


def test_unwritable_output_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code, _, err = run("build", str(SAMPLE), "-o", str(blocker / "out"))
    assert code == ExitStatus.OUTPUT and "Traceback" not in err


class _Failing:
    """A renderer whose ``render`` calls ``fail`` with the path it was given."""

    def __init__(self, name: str, fail: Callable[[Path], None]) -> None:
        self.name = name
        self.fail = fail

    def limits(self, plan: LayoutPlan, options: RenderOptions) -> list[Diagnostic]:
        return []

    def prepare(self) -> None:
        pass

    def render(self, plan: LayoutPlan, fonts: FontSource, path: Path, options: RenderOptions) -> None:
        self.fail(path)


def test_failed_render_keeps_previous_outputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("build", str(SAMPLE), "-o", str(tmp_path), "-q")[0] == 0
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}

    def crash(path: Path) -> None:
        path.write_bytes(b"half a docx")
        raise OSError(28, "No space left on device")

    monkeypatch.setitem(render.RENDERERS, "docx", _Failing("docx", crash))
    source = tmp_path / "edited.md"
    source.write_text(SAMPLE.read_text(encoding="utf-8").replace("今天能够", "今天"), encoding="utf-8")
    code, _, err = run("build", str(source), "-o", str(tmp_path), "--debug")
    assert code == ExitStatus.OUTPUT and "No space left" in err
    after = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.suffix in (".pdf", ".docx")}
    assert after == before  # the PDF rendered fine, but nothing replaces the last good pair unless both did
    assert not list(tmp_path.glob(".*.part"))


def test_strict_refuses_to_build_with_warnings(tmp_path: Path) -> None:
    code, _, err = run("build", str(SAMPLE), "-o", str(tmp_path), "--strict")
    assert code == ExitStatus.FINDINGS and "strict" in err
    assert not list(tmp_path.iterdir())


def test_check_sample_lists_placeholders_and_missing_punctuation() -> None:
    code, out, err = run("check", str(SAMPLE))
    assert code == ExitStatus.FINDINGS
    assert "X月X日" in err and "X书记" in err
    assert "no-final-punct" in err
    assert "finding" in out


def test_internal_error_is_one_line_without_debug(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def boom(_: Path) -> None:
        raise ZeroDivisionError("bug")

    monkeypatch.setitem(render.RENDERERS, "pdf", _Failing("pdf", boom))
    code, _, err = run("build", str(SAMPLE), "-o", str(tmp_path), "--format", "pdf")
    assert code == ExitStatus.INTERNAL and "Traceback" not in err and "internal error" in err
    code, _, err = run("--debug", "build", str(SAMPLE), "-o", str(tmp_path), "--format", "pdf")
    assert "Traceback" in err


def test_fonts_lists_five_roles() -> None:
    code, out, _ = run("fonts")
    assert code == 0
    for role in default_spec().fonts.chains:
        assert f"\n{role} (styles: " in out
    assert "OFL-1.1" in out and "GPL-3.0" in out


def test_import_writes_the_editable_source(tmp_path: Path) -> None:
    target = tmp_path / "booklet.md"
    code, _, err = run("import", str(RAW), "-o", str(target))
    assert code == 0, err
    assert target.read_text(encoding="utf-8") == SAMPLE.read_text(encoding="utf-8")


def test_clean_report_lists_watermarks() -> None:
    code, out, _ = run("clean", str(RAW), "--report")
    assert code == 0
    assert out.count("微信") >= 3 and "paidbegin" in out


TRADITIONAL = "在社區工作者培訓班上的講話\n來源：兩岸公文網\n同志們：\n我們要把服務做實。\n"


def test_to_simplified_on_clean_import_and_build(tmp_path: Path) -> None:
    raw = tmp_path / "繁体.txt"
    raw.write_text(TRADITIONAL, encoding="utf-8")
    code, out, _ = run("clean", str(raw))
    assert (
        code == 0 and out == "在社區工作者培訓班上的講話\n同志們：\n我們要把服務做實。\n"
    )  # kept as written
    code, out, _ = run("clean", "--to-simplified", str(raw))
    assert code == 0 and out == "在社区工作者培训班上的讲话\n同志们：\n我们要把服务做实。\n"
    target = tmp_path / "booklet.md"
    code, _, err = run("import", "--to-simplified", str(raw), "-o", str(target))
    assert code == 0, err
    source = target.read_text(encoding="utf-8")
    assert (
        "# 在社区工作者培训班上的讲话" in source and "我们要把服务做实。" in source and "來源" not in source
    )
    code, _, err = run("build", "--to-simplified", str(raw), "-o", str(tmp_path / "out"), "--format", "pdf")
    assert code == 0, err
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(tmp_path / "out" / "繁体.pdf"))
    text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    assert "服务做实" in text.replace(" ", "") and "服務" not in text


def test_watch_rebuilds_after_an_edit_and_survives_an_error(tmp_path: Path) -> None:
    from publish.commands import build_once
    from publish.console import Console
    from publish.pipeline import BuildOptions, watched_files
    from publish.watch import watch

    source = tmp_path / "booklet.md"
    good = SAMPLE.read_text(encoding="utf-8")
    source.write_text(good, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    edits: Iterator[Callable[[], object]] = iter(
        [lambda: source.write_bytes(b"\x00\x01binary"), lambda: None, lambda: None]
    )
    ticks = {"n": 0}

    def fake_sleep(_: float) -> None:
        ticks["n"] += 1
        if ticks["n"] == 1:
            next(edits)()
            import os

            os.utime(source, (1, 1))

    options = BuildOptions(out_dir=tmp_path / "build", formats=("pdf",))
    console = Console(out, err)
    files = watched_files(source, options)
    rebuild = partial(build_once, source, options, console)
    assert watch(files, rebuild, console, max_builds=2, sleep=fake_sleep) == 0
    assert out.getvalue().count("built ") == 1
    assert "keeping the last good outputs" in err.getvalue()
    assert (tmp_path / "build" / "booklet.pdf").exists()


@pytest.mark.parametrize(
    ("style", "needle"),
    [
        ('[styles.body]\nfont = "nosuch"\n', "styles.body.font"),
        ("[page]\nlines = 0\n", "page.lines"),
        ('[styles.h1]\nalign = "middle"\n', "styles.h1.align"),
        ('kinsoku = "strictest"\n', "kinsoku"),
    ],
)
def test_impossible_style_values_are_named(tmp_path: Path, style: str, needle: str) -> None:
    path = tmp_path / "house.toml"
    path.write_text(style, encoding="utf-8")
    code, _, err = run("build", str(SAMPLE), "--style", str(path), "-o", str(tmp_path / "out"))
    assert code == ExitStatus.STYLE and needle in err and "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_a_target_that_cannot_be_replaced_leaves_every_output_alone(tmp_path: Path) -> None:
    assert run("build", str(SAMPLE), "-o", str(tmp_path), "--format", "pdf", "-q")[0] == 0
    before = (tmp_path / "booklet.pdf").read_bytes()
    (tmp_path / "booklet.docx").mkdir()
    edited = tmp_path / "src" / "booklet.md"
    edited.parent.mkdir()
    edited.write_text(SAMPLE.read_text(encoding="utf-8").replace("今天能够", "今天"), encoding="utf-8")
    code, _, err = run("build", str(edited), "-o", str(tmp_path))
    assert code == ExitStatus.OUTPUT and "is a directory" in err
    assert (tmp_path / "booklet.pdf").read_bytes() == before
    assert not list(tmp_path.glob(".*.part"))


def test_import_of_the_editable_source_gives_it_back(tmp_path: Path) -> None:
    target = tmp_path / "again.md"
    assert run("import", str(SAMPLE), "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8") == SAMPLE.read_text(encoding="utf-8")
