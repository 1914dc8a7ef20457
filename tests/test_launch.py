"""The entry point's early exit (``launch.leave``): the interpreter's teardown is skipped, never what a
program still has to do at exit: buffered output, exit status, ``atexit`` handlers, other threads."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from publish.cli import ExitStatus

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "booklet.md"

# a module-level object whose finaliser only the interpreter's teardown runs
TORN_DOWN = (
    "import sys\n"
    "class Witness:\n"
    "    def __del__(self):\n"
    "        sys.stdout.write('torn down\\n'); sys.stdout.flush()\n"
    "witness = Witness()\n"
)
LAUNCH = "from publish.launch import main\nraise SystemExit(main())\n"
# block-buffered streams, as a program's output into a pipe or a file is by default
ENV = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}


def _python(code: str, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=False, timeout=120, env=ENV
    )


def _publish(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "publish", *argv],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env=ENV,
    )


def test_a_command_ends_without_the_teardown() -> None:
    done = _python(TORN_DOWN + LAUNCH, "--version")
    assert done.returncode == 0 and done.stdout.startswith("publish "), done
    assert "torn down" not in done.stdout


def test_an_atexit_handler_keeps_the_usual_exit() -> None:
    code = TORN_DOWN + "import atexit\natexit.register(lambda: print('handler ran'))\n" + LAUNCH
    done = _python(code, "--version")
    assert done.returncode == 0 and "handler ran" in done.stdout and "torn down" in done.stdout, done


def test_a_running_thread_keeps_the_usual_exit() -> None:
    code = (
        TORN_DOWN
        + "import threading, time\n"
        + "threading.Thread(target=lambda: (time.sleep(0.3), print('thread finished'))).start()\n"
        + LAUNCH
    )
    done = _python(code, "--version")
    assert done.returncode == 0 and "thread finished" in done.stdout and "torn down" in done.stdout, done


def test_buffered_output_reaches_a_pipe_whole() -> None:
    done = _publish("fonts", "--json")  # tens of kilobytes into a pipe
    assert done.returncode == 0, done.stderr
    assert len(done.stdout) > 8192 and json.loads(done.stdout)
    # text still in the streams' buffers (a pipe's are 8 KiB blocks) when the command ends is written out
    code = "import sys\nsys.stdout.write('kept ' * 100)\nsys.stderr.write('also kept')\n" + LAUNCH
    done = _python(code, "--version")
    assert done.stdout.startswith("kept " * 100) and done.stderr.endswith("also kept"), done


def test_a_build_and_a_failure_keep_their_outputs_and_statuses(tmp_path: Path) -> None:
    built = _publish("build", str(SAMPLE), "-o", str(tmp_path))
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "booklet.pdf").read_bytes().startswith(b"%PDF-")
    assert (tmp_path / "booklet.docx").read_bytes().startswith(b"PK")
    assert str(tmp_path / "booklet.pdf") in built.stdout + built.stderr
    failed = _publish("build", str(tmp_path / "missing.md"), "-o", str(tmp_path / "x"))
    assert failed.returncode == ExitStatus.SOURCE
    assert failed.stderr.count("\n") == 1 and "missing.md" in failed.stderr


def test_the_collector_scans_what_a_build_makes_not_the_modules(tmp_path: Path) -> None:
    # the modules are loaded with the collector off and frozen: the default young threshold right after
    # them once started a collection of every object they made (~10 ms on the sample's build)
    code = (
        "import gc, sys\n"
        "runs = []\n"
        "gc.callbacks.append(lambda phase, info: phase == 'stop' and runs.append(info['generation']))\n"
        f"sys.argv = ['publish', 'build', {str(SAMPLE)!r}, '-o', {str(tmp_path)!r}, '-q']\n"
        "from publish import launch\n"
        "before = len(runs)\n"
        "status = launch._run()\n"
        "print(status, len(runs) - before)\n"
    )
    env = {**ENV, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    for _ in range(2):  # the second finds the titles' words on disk, as any rebuild
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True, timeout=120
        )
    status, collections = map(int, done.stdout.split())
    assert status == 0 and collections <= 1, done.stdout


def test_a_one_shot_build_restores_the_collector_without_starting_a_collection() -> None:
    import gc

    from publish.commands import _one_shot_gc

    saved = gc.get_threshold()
    with _one_shot_gc():
        assert gc.isenabled() and gc.get_threshold()[0] == 50_000 and gc.get_freeze_count() > 0
        made = [[n] for n in range(10_000)]  # young objects
    assert gc.get_threshold() == saved and gc.get_freeze_count() == 0
    assert gc.get_count()[0] < saved[0]  # the build's objects went to the oldest generation
    del made
