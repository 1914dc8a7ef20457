"""Interruptions and concurrent builds (issue 16, classes 6 and 7): after any signal no temporary file is
left, ``interrupted`` is one line and the status is 130; the PDF and the DOCX in a folder always come from the
same build, and a target that cannot be replaced leaves both old files as they were."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from publish.cli import ExitStatus
from support.cli import run

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "booklet.md"
posix = pytest.mark.skipif(os.name != "posix", reason="POSIX signals")


def _command(*argv: str) -> list[str]:
    return [sys.executable, "-m", "publish", *argv]


def _big_source(tmp_path: Path, copies: int = 60) -> Path:
    # the sample's body repeated: a build that runs long enough to be interrupted while it renders
    text = SAMPLE.read_text(encoding="utf-8")
    head, body = text.split("\n+++\n", 1)
    source = tmp_path / "big.md"
    source.write_text(head + "\n+++\n" + body * copies, encoding="utf-8")
    return source


def _parts(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part")) if folder.exists() else []


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if not p.name.startswith(".")}


@posix
@pytest.mark.parametrize(
    ("number", "delay"), [(signal.SIGTERM, 0.0), (signal.SIGTERM, 0.3), (signal.SIGINT, 0.1)]
)
def test_a_signal_while_rendering_leaves_no_temporary_file(tmp_path: Path, number: int, delay: float) -> None:
    # long enough (~0.6 s of rendering here) that the signal 0.3 s into the rendering still finds it running
    source, out = _big_source(tmp_path, copies=150), tmp_path / "out"
    assert subprocess.run(_command("build", str(source), "-o", str(out), "-q"), check=False).returncode == 0
    before = _outputs(out)
    process = subprocess.Popen(
        _command("build", str(source), "-o", str(out), "-q"), stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + 60
    while not _parts(out) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)  # the temporary files appear when rendering starts
    time.sleep(delay)
    process.send_signal(number)
    _, err = process.communicate(timeout=60)
    assert _parts(out) == []
    if process.returncode in (0, -number):  # the command had ended (its handlers gone) when the signal came
        pytest.skip("the build finished before the signal arrived")  # a fast machine; nothing else to check
    assert process.returncode == ExitStatus.INTERRUPTED
    assert err.strip().splitlines()[-1] == "publish: interrupted" and "Traceback" not in err
    assert _parts(out) == []
    assert _outputs(out) == before  # the last good outputs are untouched


@posix
@pytest.mark.parametrize("delay", [0.02, 0.05, 0.1, 0.2])
def test_ctrl_c_while_the_program_loads_prints_no_traceback_of_ours(tmp_path: Path, delay: float) -> None:
    script = Path(sys.executable).parent / "publish"
    command = [str(script)] if script.exists() else _command()
    process = subprocess.Popen(
        [*command, "build", str(SAMPLE), "-o", str(tmp_path / "out")], stderr=subprocess.PIPE, text=True
    )
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    # Before the interpreter has loaded its own startup modules no program can catch Ctrl-C (Python prints
    # that traceback itself); from the first line of publish on, it is one line and status 130.
    assert "publish/" not in err and "publish\\" not in err, err
    assert process.returncode in (ExitStatus.INTERRUPTED, -signal.SIGINT, 1, ExitStatus.OK), err
    assert _parts(tmp_path / "out") == []


def test_an_interrupt_while_the_cli_is_imported_is_one_line() -> None:
    # deterministic: the interrupt is raised by an import hook while publish.commands loads
    code = (
        "import sys\n"
        "class Hook:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'publish.commands':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Hook())\n"
        "from publish.launch import main\n"
        "raise SystemExit(main())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stderr) == (ExitStatus.INTERRUPTED, "publish: interrupted\n")


def _titles(folder: Path) -> tuple[str, str]:
    metadata = PdfReader(folder / "booklet.pdf").metadata
    assert metadata is not None
    pdf = metadata.title
    with zipfile.ZipFile(folder / "booklet.docx") as archive:
        core = archive.read("docProps/core.xml").decode("utf-8")
    return str(pdf), core.split("<dc:title>")[1].split("</dc:title>")[0]


@posix
def test_two_builds_into_one_folder_leave_a_matching_pair(tmp_path: Path) -> None:
    sources = []
    for name in ("甲", "乙"):
        source = tmp_path / name / "booklet.md"
        source.parent.mkdir()
        source.write_text(
            SAMPLE.read_text(encoding="utf-8").replace('title = "', f'title = "{name}'), "utf-8"
        )
        sources.append(source)
    out = tmp_path / "out"
    for _ in range(3):
        runs = [subprocess.Popen(_command("build", str(s), "-o", str(out), "-q")) for s in sources]
        assert [run.wait(timeout=120) for run in runs] == [0, 0]
        pdf_title, docx_title = _titles(out)
        assert pdf_title == docx_title and pdf_title[0] in "甲乙"
        assert _parts(out) == []


def test_a_rename_that_fails_puts_back_the_outputs_already_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    assert run("build", str(SAMPLE), "-o", str(out), "-q")[0] == 0
    before = _outputs(out)
    real = os.replace

    def replace(src: str | Path, dst: str | Path) -> None:
        if str(dst).endswith(".docx") and str(src).endswith(".part"):
            raise PermissionError(13, "Permission denied")  # e.g. another user's file, or a lost race
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)  # the module publish.atomic renames with
    (tmp_path / "booklet.md").write_text(SAMPLE.read_text("utf-8").replace("残联", "新的残联"), "utf-8")
    status, _, err = run("build", str(tmp_path / "booklet.md"), "-o", str(out), "-q")
    assert status == ExitStatus.OUTPUT and "cannot move output into place" in err
    assert _outputs(out) == before  # the PDF renamed first was put back: no mixed pair
    assert _parts(out) == []


def test_another_users_file_in_a_sticky_folder_is_refused_before_any_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "shared"
    assert run("build", str(SAMPLE), "-o", str(folder), "-q")[0] == 0
    before = _outputs(folder)
    folder.chmod(0o1777)  # sticky, like /tmp
    monkeypatch.setattr(os, "geteuid", lambda: os.stat(folder).st_uid + 4242, raising=False)
    status, _, err = run("build", str(SAMPLE), "-o", str(folder), "-q", "--format", "pdf,docx")
    assert status == ExitStatus.OUTPUT and "belongs to another user in a sticky folder" in err
    assert _outputs(folder) == before and _parts(folder) == []
