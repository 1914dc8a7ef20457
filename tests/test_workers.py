"""Render jobs in forked workers: results, failures and equality with a sequential run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from publish.errors import FontError, RenderError, SourceError, SpecError
from publish.pipeline import BuildOptions, build
from publish.workers import run_all

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork on this platform")


def test_every_job_runs_in_its_own_process(tmp_path: Path) -> None:
    def job(name: str) -> None:
        (tmp_path / name).write_text(str(os.getpid()), encoding="utf-8")

    run_all([lambda: job("a"), lambda: job("b"), lambda: job("c")])
    pids = {(tmp_path / n).read_text(encoding="utf-8") for n in "abc"}
    assert len(pids) == 3 and str(os.getpid()) in pids


def test_a_child_failure_is_raised_after_all_jobs_ended(tmp_path: Path) -> None:
    def fails() -> None:
        raise ZeroDivisionError("bug in a renderer")

    def slow_ok() -> None:
        (tmp_path / "done").write_text("yes", encoding="utf-8")

    with pytest.raises(ZeroDivisionError, match=r"^bug in a renderer$"):  # as if it had run here
        run_all([slow_ok, fails])
    assert (tmp_path / "done").read_text(encoding="utf-8") == "yes"


@pytest.mark.parametrize(
    "error",
    [
        SourceError("bad bytes", "a.txt", 3, 7),
        FontError("cannot read font file x.ttf", hint="reinstall"),
        SpecError("unknown key", "style.toml", 4, key="cover.x"),
        RenderError("/out/booklet.docx: cannot write: No space left on device"),
        OSError(28, "No space left on device"),
    ],
    ids=lambda e: type(e).__name__,
)
def test_a_child_failure_keeps_its_class_and_fields(error: Exception) -> None:
    def fails() -> None:
        raise error

    with pytest.raises(type(error)) as raised:
        run_all([lambda: None, fails])
    assert raised.value is not error  # it came through the pipe
    assert str(raised.value) == str(error) and vars(raised.value) == vars(error)


def test_a_child_failure_that_does_not_pickle_arrives_as_its_text() -> None:
    class Local(Exception):  # defined in a function: pickle cannot find the class by name
        pass

    def fails() -> None:
        raise Local("odd failure")

    with pytest.raises(RenderError, match=r"^Local: odd failure$"):
        run_all([lambda: None, fails])


def test_a_child_that_dies_is_a_render_error() -> None:
    with pytest.raises(RenderError, match="ended abnormally"):
        run_all([lambda: None, lambda: os._exit(3)])


def test_parallel_and_sequential_builds_give_the_same_bytes(tmp_path: Path) -> None:
    source = ROOT / "content" / "booklet.md"
    build(source, BuildOptions(out_dir=tmp_path / "parallel"))
    build(source, BuildOptions(out_dir=tmp_path / "sequential", parallel=False))
    for name in ("booklet.pdf", "booklet.docx"):
        assert (tmp_path / "parallel" / name).read_bytes() == (tmp_path / "sequential" / name).read_bytes()


def test_forking_only_with_a_core_idle_now_and_over_the_last_minute(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from publish import workers

    stat = tmp_path / "stat"
    monkeypatch.setattr(workers, "STAT", str(stat))
    monkeypatch.setattr(workers, "_cores", lambda: 2)

    def machine(average: float, running: int | None, stat_file: bool = True) -> bool:
        monkeypatch.setattr(os, "getloadavg", lambda: (average, 0.0, 0.0))
        lines = ["cpu  1 2 3 4", "ctxt 99"] + ([f"procs_running {running}"] if running is not None else [])
        stat.write_text("\n".join([*lines, "procs_blocked 0", ""]), encoding="ascii")
        if not stat_file:
            stat.unlink()
        return workers.worth_forking()

    assert machine(0.9, 1)  # only this build runs: the other core is free
    assert not machine(0.9, 2)  # something else started a moment ago (the average has not caught up)
    assert not machine(1.7, 1)  # the other core was busy over the last minute
    assert machine(0.9, None)  # no instantaneous count: the average decides
    assert machine(0.9, 1, stat_file=False) and not machine(1.6, 1, stat_file=False)  # not Linux: the same
    monkeypatch.setattr(workers, "_cores", lambda: 1)
    assert not machine(0.0, 1)


def test_the_running_count_is_read_from_this_system() -> None:
    from publish import workers

    if not Path(workers.STAT).exists():
        pytest.skip(f"{workers.STAT} does not exist on this system")
    running = workers._running_now()
    assert running is not None and running >= 1  # this test is running


def test_an_interrupt_stops_the_children_before_it_is_raised(tmp_path: Path) -> None:
    # issue 16: after Ctrl-C or SIGTERM the caller removes the temporary files; no child may write one later
    import time

    def interrupted() -> None:
        time.sleep(0.2)  # the child has started
        raise KeyboardInterrupt

    def slow_writer() -> None:
        time.sleep(1.0)
        (tmp_path / "late.part").write_text("written after the interrupt", encoding="utf-8")

    with pytest.raises(KeyboardInterrupt):
        run_all([interrupted, slow_writer])
    time.sleep(1.2)
    assert not (tmp_path / "late.part").exists()
