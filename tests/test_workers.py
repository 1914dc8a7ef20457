"""Render jobs in forked workers: results, failures and equality with a sequential run."""

from __future__ import annotations

import os
import time
from functools import partial
from pathlib import Path

import pytest

from publish import pipeline, workers
from publish.errors import FontError, RenderError, SourceError, SpecError
from publish.pipeline import BuildOptions, build
from publish.workers import Standby, run_all

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


def _stat(cpus: dict[int, tuple[int, int]], running: int | None) -> str:
    """Return a /proc/stat text whose CPUs have these (busy, idle) ticks and ``running`` runnable threads."""
    total_busy, total_idle = (sum(v[i] for v in cpus.values()) for i in (0, 1))
    lines = [f"cpu  {total_busy} 0 0 {total_idle} 0 0 0 0 0 0"]
    for n, (busy, idle) in cpus.items():
        lines.append(f"cpu{n} {busy} 0 0 {idle // 2} {idle - idle // 2} 0 0 0 0 0")
    lines += ["intr 1 2 3", "ctxt 99"] + ([f"procs_running {running}"] if running is not None else [])
    return "\n".join([*lines, "procs_blocked 0", ""])


def test_forking_only_with_a_core_idle_now_and_since_the_build_began(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from publish import workers

    stat = tmp_path / "stat"
    monkeypatch.setattr(workers, "STAT", str(stat))
    monkeypatch.setattr(workers, "_cpus", lambda: {0, 1})
    stat.write_text(_stat({0: (1000, 500), 1: (800, 700), 2: (5, 5)}, 3), encoding="ascii")
    monkeypatch.setattr(workers, "_START", workers._read_stat())
    monkeypatch.setattr(workers, "_STARTED", time.monotonic())

    def later(cpus: dict[int, tuple[int, int]], running: int | None) -> bool:
        stat.write_text(_stat(cpus, running), encoding="ascii")
        return workers.worth_forking()

    assert later({0: (1020, 500), 1: (800, 720), 2: (25, 5)}, 1)  # cpu1 idle throughout (cpu2 is not ours)
    assert later({0: (1020, 500), 1: (806, 714), 2: (5, 5)}, 1)  # 0.7 of a core idle on average (the limit)
    assert not later({0: (1020, 500), 1: (807, 713), 2: (5, 5)}, 1)  # 0.65
    assert not later({0: (1020, 500), 1: (810, 710), 2: (5, 5)}, 1)  # only half a core idle
    assert not later({0: (1020, 500), 1: (800, 720), 2: (5, 5)}, 2)  # idle so far, but something runs now
    assert later({0: (1002, 500), 1: (800, 701), 2: (5, 5)}, 1)  # 3 ticks: too soon to judge; free now
    assert not later({0: (1002, 500), 1: (801, 700), 2: (5, 5)}, 2)
    monkeypatch.setattr(workers, "_STARTED", time.monotonic() - workers.WINDOW - 1)  # a long-lived process
    assert later({0: (1020, 500), 1: (810, 710), 2: (5, 5)}, 1)  # the old average no longer counts
    monkeypatch.setattr(workers, "_cpus", lambda: {0})
    assert not later({0: (1020, 500), 1: (800, 720), 2: (5, 5)}, 1)  # one core: never


def test_without_proc_stat_the_load_average_decides(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from publish import workers

    monkeypatch.setattr(workers, "STAT", str(tmp_path / "absent"))
    monkeypatch.setattr(workers, "_cpus", lambda: {0, 1})
    monkeypatch.setattr(os, "getloadavg", lambda: (0.9, 0.0, 0.0))
    assert workers.worth_forking()
    monkeypatch.setattr(os, "getloadavg", lambda: (1.6, 0.0, 0.0))
    assert not workers.worth_forking()


def test_the_counters_are_read_from_this_system() -> None:
    from publish import workers

    if not Path(workers.STAT).exists():
        pytest.skip(f"{workers.STAT} does not exist on this system")
    found = workers._read_stat()
    assert found is not None and found.running is not None and found.running >= 1  # this test is running
    assert workers._cpus() <= set(found.ticks)
    assert all(0 <= idle <= total for idle, total in found.ticks.values())


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


def test_an_interrupt_right_after_the_fork_stops_that_child(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the signal lands between the fork and run_all's record of the child: held until the child is recorded,
    # then stopped and waited for like any other, so it never writes after the caller has cleaned up
    import signal as signals

    real_fork = os.fork

    def fork_then_interrupt() -> int:
        pid = real_fork()
        if pid:
            os.kill(os.getpid(), signals.SIGTERM)
        return pid

    def interrupt(*_: object) -> None:
        raise KeyboardInterrupt

    def slow_writer() -> None:
        time.sleep(0.5)
        (tmp_path / "late.part").write_text("written after the interrupt", encoding="utf-8")

    previous = signals.signal(signals.SIGTERM, interrupt)
    monkeypatch.setattr(os, "fork", fork_then_interrupt)
    try:
        with pytest.raises(KeyboardInterrupt):
            run_all([lambda: None, slow_writer])
    finally:
        signals.signal(signals.SIGTERM, previous)
    time.sleep(0.8)
    assert not (tmp_path / "late.part").exists()


def _write_pid(path: Path) -> None:
    path.write_text(str(os.getpid()), encoding="utf-8")


def _raise(error: Exception) -> None:
    raise error


def test_a_standby_prepares_before_its_job_exists_then_runs_the_job_sent(tmp_path: Path) -> None:
    standby = Standby(partial(_write_pid, tmp_path / "prepared"))
    try:
        deadline = time.monotonic() + 30
        while not (tmp_path / "prepared").exists():  # prepared while no job exists yet
            assert time.monotonic() < deadline
            time.sleep(0.01)
        run_all(
            [partial(_write_pid, tmp_path / "here"), partial(_write_pid, tmp_path / "sent")], standby=standby
        )
    finally:
        standby.close()
    prepared, sent, here = ((tmp_path / n).read_text(encoding="utf-8") for n in ("prepared", "sent", "here"))
    assert prepared == sent != here == str(os.getpid())


def test_a_standby_sent_no_job_runs_none_and_is_waited_for(tmp_path: Path) -> None:
    standby = Standby(partial(_write_pid, tmp_path / "prepared"))
    standby.close()  # the layout failed, say: no job will come
    with pytest.raises(ChildProcessError):  # already waited for
        os.waitpid(standby.pid, 0)
    assert (tmp_path / "prepared").exists()  # it prepared, then left at the end of its pipe
    standby.close()  # twice is harmless


@pytest.mark.parametrize("where", ["job", "prepare"])
def test_a_standby_failure_arrives_as_raised(where: str) -> None:
    error = SourceError("bad bytes", "a.txt", 3, 7)
    standby = Standby(partial(_raise, error) if where == "prepare" else lambda: None)
    job = partial(_raise, error) if where == "job" else partial(time.sleep, 0)
    try:
        with pytest.raises(SourceError) as raised:
            run_all([lambda: None, job], standby=standby)
    finally:
        standby.close()
    assert vars(raised.value) == vars(error)


def test_a_job_that_does_not_pickle_fails_here_and_the_standby_still_ends() -> None:
    standby = Standby(lambda: None)
    with pytest.raises((AttributeError, TypeError, ValueError)):  # pickle's "Can't pickle local object"
        run_all([lambda: None, lambda: None], standby=standby)
    standby.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(standby.pid, 0)


def test_a_small_build_renders_through_a_standby_as_a_sequential_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sent: list[int] = []

    class Spy(Standby):
        def send(self, job: object) -> tuple[int, int]:
            sent.append(self.pid)
            return super().send(job)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline, "worth_forking", lambda: True)
    monkeypatch.setattr(pipeline, "Standby", Spy)
    monkeypatch.setattr(workers, "_reap", workers._EXITING.append)  # as if every child were still exiting
    source = ROOT / "content" / "booklet.md"
    build(source, BuildOptions(out_dir=tmp_path / "standby"))
    assert len(sent) == 1
    with pytest.raises(ChildProcessError):  # its exit collected once the outputs were in place
        os.waitpid(sent[0], os.WNOHANG)
    build(source, BuildOptions(out_dir=tmp_path / "sequential", parallel=False))
    for name in ("booklet.pdf", "booklet.docx"):
        assert (tmp_path / "standby" / name).read_bytes() == (tmp_path / "sequential" / name).read_bytes()
    big = tmp_path / "big.md"  # over STANDBY_BYTES: forked after the layout, as before
    big.write_bytes(source.read_bytes() + "\n正文。".encode() * (pipeline.STANDBY_BYTES // 9))
    build(big, BuildOptions(out_dir=tmp_path / "big"))
    assert len(sent) == 1 and (tmp_path / "big" / "big.docx").exists()


def test_small_sources_are_measured_by_their_files(tmp_path: Path) -> None:
    folder = tmp_path / "speeches"
    folder.mkdir()
    for n in range(3):
        (folder / f"{n}.txt").write_bytes(b"x" * (pipeline.STANDBY_BYTES // 3))
    assert pipeline._small([folder]) and pipeline._small([folder / "0.txt"])
    (folder / "3.txt").write_bytes(b"x" * 10)
    assert not pipeline._small([folder]) and not pipeline._small([folder / "0.txt", folder])
    assert not pipeline._small([tmp_path / "missing.txt"])


def test_a_child_that_reported_is_not_awaited_but_reaped_by_the_next_run(tmp_path: Path) -> None:
    from publish import workers

    run_all([lambda: None, partial(_write_pid, tmp_path / "child")])
    pid = int((tmp_path / "child").read_text(encoding="utf-8"))
    assert set(workers._EXITING) <= {pid}  # reaped already, or left exiting
    run_all([lambda: None, lambda: None])  # the next run collects it first
    assert pid not in workers._EXITING
    with pytest.raises(ChildProcessError):  # no zombie left of it
        os.waitpid(pid, os.WNOHANG)


def test_a_child_killed_after_its_job_is_still_a_failure() -> None:
    # no report, so its exit status is awaited: a job that kills its own process is not taken for done
    with pytest.raises(RenderError, match="ended abnormally"):
        run_all([lambda: None, lambda: os.kill(os.getpid(), 9)])


def test_without_fork_nothing_forks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delattr(os, "fork")
    assert not workers.worth_forking()


def test_a_core_is_asked_for_before_a_small_layout_and_after_a_large_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    order: list[str] = []
    layout = pipeline.layout

    def laid_out(*args: object, **kwargs: object) -> object:
        order.append("layout")
        return layout(*args, **kwargs)  # type: ignore[arg-type]

    def asked() -> bool:
        order.append("asked")
        return False  # never forks: each question is asked

    monkeypatch.setattr(pipeline, "layout", laid_out)
    monkeypatch.setattr(pipeline, "worth_forking", asked)
    source = ROOT / "content" / "booklet.md"
    build(source, BuildOptions(out_dir=tmp_path / "small"))
    assert order == ["asked", "layout", "asked"]  # no standby was forked: asked again for the other fork
    big = tmp_path / "big.md"
    big.write_bytes(source.read_bytes() + "\n正文。".encode() * (pipeline.STANDBY_BYTES // 9))
    order.clear()
    build(big, BuildOptions(out_dir=tmp_path / "big"))
    assert order == ["layout", "asked"]  # what a long layout saw of the machine decides
