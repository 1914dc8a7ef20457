"""Edit-to-outputs under a watcher: how long after a save the rebuilt files are in place.

A watcher process is started on a copy of the input (``publish build --watch`` writing PDF and DOCX, or
Typst's own watcher writing the PDF) and waits for its first build. Then each edit rewrites the file the way
editors that save safely do (a new file renamed over the old one), toggling one character at the start of a
paragraph of the first or the last speech, and the time until the watcher reports the rebuilt outputs is
taken from the moment before the write. Each watcher reports on its output streams after the outputs are
renamed into place (publish prints ``built …``, Typst ``[typst] compiled …``).
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

MARK = "新"  # the character toggled in and out


@dataclass(frozen=True)
class WatchResult:
    """Edit-to-outputs seconds for edits in the first and in the last speech, and the watcher's peak RSS."""

    first: list[float]
    last: list[float]
    peak_kib: int


def _atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` as a safe-saving editor does: a new file, renamed over the old one."""
    temp = path.with_name(f".{path.name}.swp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)


def _toggle(text: str, anchor: str, from_end: bool) -> str:
    """Return ``text`` with MARK inserted before ``anchor`` (its first occurrence, or its last when
    ``from_end``), or removed from there when it is present."""
    find = text.rfind if from_end else text.find
    at = find(MARK + anchor)
    if at >= 0:
        return text[:at] + text[at + len(MARK) :]
    at = find(anchor)
    if at < 0:
        raise SystemExit(f"edit anchor {anchor!r} not found")
    return text[:at] + MARK + text[at:]


def _reader(stream: object, lines: queue.Queue[str]) -> None:
    for line in iter(stream.readline, ""):  # type: ignore[attr-defined]
        lines.put(line)


def _wait_for(lines: queue.Queue[str], marker: str, timeout: float) -> float:
    """Block until a line containing ``marker`` arrives; return the time it was seen."""
    deadline = time.perf_counter() + timeout
    seen: list[str] = []
    while True:
        left = deadline - time.perf_counter()
        if left <= 0:
            tail = "".join(seen[-5:])
            raise SystemExit(f"watcher gave no '{marker}' line within {timeout:.0f} s; it said:\n{tail}")
        try:
            line = lines.get(timeout=left)
        except queue.Empty:
            continue
        if marker in line:
            return time.perf_counter()
        seen.append(line)


def measure_watch(
    command: Sequence[str],
    document: Path,
    anchors: tuple[str, str],
    marker: str,
    edits: int,
    timeout: float = 600.0,
) -> WatchResult:
    """Run ``command`` (a watcher of ``document``); time ``edits`` edits at each of ``anchors``."""
    process = subprocess.Popen(
        list(command),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
        env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=_reader, args=(process.stdout, lines), daemon=True).start()
    times: dict[str, list[float]] = {"first": [], "last": []}
    try:
        _wait_for(lines, marker, timeout)
        text = document.read_text(encoding="utf-8")
        for _ in range(edits):
            for key, anchor in zip(("first", "last"), anchors, strict=True):
                time.sleep(0.5)  # let the watcher go quiet, as between two real edits
                text = _toggle(text, anchor, from_end=key == "last")
                started = time.perf_counter()
                _atomic_write(document, text)
                times[key].append(_wait_for(lines, marker, timeout) - started)
    finally:
        usage = _stop(process)
    return WatchResult(times["first"], times["last"], usage.ru_maxrss)


def _stop(process: subprocess.Popen[str], wait: float = 5.0) -> os.struct_rusage:  # type: ignore[name-defined]
    """Interrupt the watcher (kill it after ``wait`` seconds); return its resource usage."""
    process.send_signal(signal.SIGINT)
    deadline = time.perf_counter() + wait
    while time.perf_counter() < deadline:
        try:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        except ChildProcessError:  # already reaped: its usage is gone
            return os.getrusage(os.RUSAGE_CHILDREN)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return usage
        time.sleep(0.05)
    process.kill()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    return usage
