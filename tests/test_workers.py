"""Render jobs in forked workers: results, failures and equality with a sequential run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from publish.errors import RenderError
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

    with pytest.raises(RenderError, match="ZeroDivisionError: bug in a renderer"):
        run_all([slow_ok, fails])
    assert (tmp_path / "done").read_text(encoding="utf-8") == "yes"


def test_parallel_and_sequential_builds_give_the_same_bytes(tmp_path: Path) -> None:
    source = ROOT / "content" / "booklet.md"
    build(source, BuildOptions(out_dir=tmp_path / "parallel"))
    build(source, BuildOptions(out_dir=tmp_path / "sequential", parallel=False))
    for name in ("booklet.pdf", "booklet.docx"):
        assert (tmp_path / "parallel" / name).read_bytes() == (tmp_path / "sequential" / name).read_bytes()


def test_forking_only_for_a_long_document_with_an_idle_core(monkeypatch: pytest.MonkeyPatch) -> None:
    from publish import workers

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(os, "getloadavg", lambda: (0.9, 0.0, 0.0))
    assert not workers.worth_forking(workers.FORK_PAGES - 1)
    assert workers.worth_forking(workers.FORK_PAGES)
    monkeypatch.setattr(os, "getloadavg", lambda: (1.7, 0.0, 0.0))  # the other core is busy
    assert not workers.worth_forking(5 * workers.FORK_PAGES)
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert not workers.worth_forking(5 * workers.FORK_PAGES)


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
