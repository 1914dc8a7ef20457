"""The watcher on real file events (watchfiles): a safe save (write, rename, delete) is one rebuild, rapid
saves are one rebuild, and files in the folder that are not watched (outputs, swap files) cause none.

The watcher runs in a thread with ``max_builds``; the test waits for each rebuild through an event with a
generous timeout (synchronisation only: nothing asserts how long a rebuild takes).
"""

from __future__ import annotations

import io
import os
import threading
import time
from pathlib import Path

import pytest

from publish.console import Console
from publish.watch import watch

pytest.importorskip("watchfiles")
TIMEOUT = 20.0


class _Watcher:
    """``watch`` in a thread over ``files``; ``builds`` counts rebuilds, ``built`` is set after each."""

    def __init__(self, files: list[Path], max_builds: int, settle: float = 0.05) -> None:
        self.builds = 0
        self.built = threading.Event()
        self.console = Console(io.StringIO(), io.StringIO())
        self.thread = threading.Thread(
            target=watch,
            args=(files, self._rebuild, self.console),
            kwargs={"max_builds": max_builds, "settle": settle},
            daemon=True,
        )
        self.thread.start()

    def _rebuild(self) -> None:
        self.builds += 1
        self.built.set()

    def wait_build(self) -> None:
        assert self.built.wait(TIMEOUT), "no rebuild"
        self.built.clear()
        time.sleep(0.2)  # the watcher is waiting for events again (its folders are watched)


def _safe_save(path: Path, text: str) -> None:
    """Save as editors that keep a backup do: write a new file, keep the old as a backup, rename, delete."""
    temp = path.with_name(path.name + ".new")
    temp.write_text(text, encoding="utf-8")
    backup = path.with_name(path.name + "~")
    os.replace(path, backup)
    os.replace(temp, path)
    backup.unlink()


def test_a_safe_save_is_one_rebuild_and_other_files_none(tmp_path: Path) -> None:
    source = tmp_path / "booklet.md"
    source.write_text("一", encoding="utf-8")
    watcher = _Watcher([source, tmp_path / "style.toml"], max_builds=3)
    watcher.wait_build()
    (tmp_path / "booklet.pdf").write_bytes(b"output")  # what a build writes beside its source
    (tmp_path / ".booklet.md.swp").write_bytes(b"swap")
    time.sleep(0.5)  # ten settle times: a rebuild for those would have started
    assert watcher.builds == 1 and not watcher.built.is_set()
    _safe_save(source, "二")
    watcher.wait_build()
    assert watcher.builds == 2
    (tmp_path / "style.toml").write_text("recto = true\n", encoding="utf-8")  # appears: watched too
    watcher.wait_build()
    watcher.thread.join(TIMEOUT)
    assert not watcher.thread.is_alive() and watcher.builds == 3


def test_rapid_saves_give_one_rebuild(tmp_path: Path) -> None:
    source = tmp_path / "booklet.md"
    source.write_text("一", encoding="utf-8")
    watcher = _Watcher([source], max_builds=3, settle=1.0)
    watcher.wait_build()
    for n in range(5):  # five saves 10 ms apart, well within one settle time even on a loaded machine
        source.write_text("二" * (n + 1), encoding="utf-8")
        time.sleep(0.01)
    watcher.wait_build()
    time.sleep(2.0)  # two settle times: a second rebuild for the same burst would have started
    assert watcher.builds == 2
    source.write_text("三", encoding="utf-8")
    watcher.wait_build()
    watcher.thread.join(TIMEOUT)
    assert watcher.builds == 3
