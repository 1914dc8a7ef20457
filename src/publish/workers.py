"""Run independent render jobs side by side: the first in this process, the others in forked children.

Only worth it for long documents on an idle second core (``worth_forking``); otherwise the jobs run one
after the other.

reportlab and python-docx are pure Python, so threads would queue on the GIL; a forked child shares the
laid-out plan copy-on-write and writes its own file, so the PDF and the DOCX of a long booklet render on two
cores in the time of the slower one. Where ``os.fork`` does not exist (Windows) the jobs run one after
another. A child reports a failure as one line through a pipe, and the parent raises it as a
``RenderError`` after every job has finished, so no job is still writing when the caller cleans up.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Sequence

from publish.atomic import held_signals
from publish.errors import PublishError, RenderError

Job = Callable[[], None]
# A forked worker pays for itself only on a long document with a core to spare: on the 2-core machine it
# gains nothing below ~300 speeches (~1,200 pages; bench/bench.py), and on a busy machine it only competes.
FORK_PAGES = 1000


def worth_forking(pages: int) -> bool:
    """Return whether render jobs for ``pages`` pages should run side by side: a long document, a second
    core, and the machine's load (1-minute average, this process included) leaving one idle."""
    cores = os.cpu_count() or 1
    if pages < FORK_PAGES or cores < 2 or not hasattr(os, "getloadavg"):
        return False
    return os.getloadavg()[0] < cores - 0.5


def run_all(jobs: Sequence[Job], parallel: bool = True) -> None:
    """Run every job; raise the first failure (a child's as RenderError) once all of them have ended."""
    if not parallel or len(jobs) < 2 or not hasattr(os, "fork"):
        for job in jobs:
            job()
        return
    sys.stdout.flush()
    sys.stderr.flush()
    children = [_start(job) for job in jobs[1:]]
    failure: BaseException | None = None
    try:
        jobs[0]()
    except BaseException as exc:  # wait for the children before re-raising
        failure = exc
        if isinstance(exc, KeyboardInterrupt):  # interrupted (Ctrl-C, SIGTERM): stop the children too
            _stop(children)
    try:
        messages = [_finish(pid, reader) for pid, reader in children]
    except KeyboardInterrupt:  # while waiting: stop them and wait until none can write any more
        _stop(children)
        with held_signals():
            for pid, _ in children:
                with contextlib.suppress(ChildProcessError, OSError):
                    os.waitpid(pid, 0)
        raise
    if failure is not None:
        raise failure
    for message in messages:
        if message:
            raise RenderError(message)


def _stop(children: Sequence[tuple[int, int]]) -> None:
    """Ask every child to end (SIGTERM); one that has ended already is no error."""
    for pid, _ in children:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)


def _start(job: Job) -> tuple[int, int]:
    """Fork a child that runs ``job``; return its pid and the read end of its error pipe."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, report, and leave without running the parent's cleanup handlers
        os.close(reader)
        status = 0
        try:
            job()
        except BaseException as exc:
            status = 1
            text = str(exc) if isinstance(exc, PublishError) else f"{type(exc).__name__}: {exc}"
            os.write(writer, text.encode("utf-8", "replace")[:4000])
        finally:
            os._exit(status)
    os.close(writer)
    return pid, reader


def _finish(pid: int, reader: int) -> str:
    """Wait for a child; return its error message, empty when it succeeded."""
    with os.fdopen(reader, "rb") as pipe:
        message = pipe.read().decode("utf-8", "replace")
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0 and not message:
        message = f"a render worker ended abnormally (status {os.waitstatus_to_exitcode(status)})"
    return message
