"""The command line's edges (issue 16, classes 10–14): SOURCE_DATE_EPOCH in both formats, inputs and edited
sources never overwritten, odd names and values, clean of an editable source, a console that is not UTF-8."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from publish.cli import ExitStatus
from publish.render import FIXED_DATE
from support.cli import run

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "booklet.md"
RAW = ROOT / "content" / "speeches-raw.txt"


def _dates(folder: Path) -> tuple[str, str]:
    metadata = PdfReader(folder / "booklet.pdf").metadata
    assert metadata is not None
    pdf = metadata["/CreationDate"]
    with zipfile.ZipFile(folder / "booklet.docx") as archive:
        core = archive.read("docProps/core.xml").decode("utf-8")
    return str(pdf), core.split('<dcterms:created xsi:type="dcterms:W3CDTF">')[1].split("<")[0]


def _build(folder: Path) -> dict[str, bytes]:
    assert run("build", str(SAMPLE), "-o", str(folder), "-q")[0] == 0
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_source_date_epoch_dates_both_formats_reproducibly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    default = _build(tmp_path / "default")
    assert _dates(tmp_path / "default") == ("D:20120701000000+00'00'", "2012-07-01T00:00:00Z")
    assert FIXED_DATE.year == 2012  # the same fixed default in both formats
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first, second = _build(tmp_path / "a"), _build(tmp_path / "b")
    assert first == second  # byte-identical for the same value
    assert _dates(tmp_path / "a") == ("D:20231114221320+00'00'", "2023-11-14T22:13:20Z")
    assert first["booklet.pdf"] != default["booklet.pdf"] and first["booklet.docx"] != default["booklet.docx"]


@pytest.mark.parametrize("value", ["abc", "-5", "1.5", "99999999999999999999"])
def test_a_malformed_source_date_epoch_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    status, _, err = run("build", str(SAMPLE), "-o", str(tmp_path / "out"))
    assert status == ExitStatus.USAGE and "SOURCE_DATE_EPOCH" in err and err.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_import_never_replaces_an_existing_source_without_force(tmp_path: Path) -> None:
    edited = tmp_path / "edited.md"
    edited.write_text(SAMPLE.read_text(encoding="utf-8") + "\n# 手工加的讲话\n\n正文。\n", encoding="utf-8")
    before = edited.read_bytes()
    status, _, err = run("import", str(RAW), "-o", str(edited))
    assert status == ExitStatus.USAGE and "--force" in err and edited.read_bytes() == before
    status, out, _ = run("import", str(RAW), "-o", str(edited), "--force")
    assert status == 0 and f"wrote {edited}" in out and edited.read_bytes() != before


def test_import_and_impose_never_write_onto_their_input(tmp_path: Path) -> None:
    raw = tmp_path / "x.txt"
    raw.write_bytes(RAW.read_bytes())
    for force in ([], ["--force"]):
        status, _, err = run("import", str(raw), "-o", str(raw), *force)
        assert status == ExitStatus.USAGE and raw.read_bytes() == RAW.read_bytes(), err
    pdf = _build(tmp_path / "out")["booklet.pdf"]
    target = tmp_path / "out" / "booklet.pdf"
    status, _, err = run("impose", str(target), "-o", str(target))
    assert status == ExitStatus.USAGE and "input" in err and target.read_bytes() == pdf


def test_a_source_named_like_a_suffix_gives_visible_outputs(tmp_path: Path) -> None:
    source = tmp_path / "-raw.txt"
    source.write_bytes(RAW.read_bytes())
    status, _, err = run("build", str(source), "-o", str(tmp_path / "out"), "-q")
    assert status == 0, err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["booklet.docx", "booklet.pdf"]


def test_format_names_ignore_case(tmp_path: Path) -> None:
    status, _, err = run("build", str(SAMPLE), "-o", str(tmp_path), "--format", "PDF,Docx", "-q")
    assert status == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["booklet.docx", "booklet.pdf"]


@pytest.mark.parametrize("dpi", ["10000", "0", "-3", "many"])
def test_preview_resolution_out_of_range_is_a_usage_error(tmp_path: Path, dpi: str) -> None:
    status, _, err = run("preview", str(tmp_path / "x.pdf"), "--dpi", dpi, "-o", str(tmp_path / "p"))
    assert status == ExitStatus.USAGE and "--dpi" in err
    assert not (tmp_path / "p").exists()


def test_readme_documents_every_exit_status() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    paragraph = next(p for p in readme.split("\n\n") if p.startswith("Exit status:"))
    for status in ExitStatus:
        assert f"{int(status)} " in paragraph, status
    assert "50 MiB" in paragraph and "SOURCE_DATE_EPOCH" in readme


def test_clean_of_an_editable_source_changes_nothing(tmp_path: Path) -> None:
    status, out, _ = run("clean", str(SAMPLE))
    assert status == 0 and out == SAMPLE.read_text(encoding="utf-8")
    status, out, _ = run("clean", str(SAMPLE), "--report")
    assert status == 0 and "0 changes" in out and "editable source" in out
    cleaned = tmp_path / "booklet.md"
    cleaned.write_text(run("clean", str(SAMPLE))[1], encoding="utf-8")
    assert run("build", str(cleaned), "-o", str(tmp_path / "out"), "-q")[0] == 0  # it still builds


@pytest.mark.parametrize("encoding", ["cp936", "ascii", "latin-1"])
def test_a_console_that_is_not_utf8_never_crashes_the_output(tmp_path: Path, encoding: str) -> None:
    raw = tmp_path / "raw.txt"
    raw.write_text("汇编标题\n第一篇讲话\n生僻字𠀀与表情😀在句中。\n", encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    for argv in (["clean", str(raw)], ["clean", str(raw), "--report"], ["check", str(raw)]):
        done = subprocess.run(
            [sys.executable, "-m", "publish", *argv], capture_output=True, env=env, check=False
        )
        assert done.returncode in (0, 1), done.stderr.decode(encoding, "replace")
        assert b"Traceback" not in done.stderr
    done = subprocess.run([sys.executable, "-m", "publish", "clean", str(raw)], capture_output=True, env=env)
    assert done.stdout.decode(encoding).startswith("汇编标题" if encoding == "cp936" else "????")
