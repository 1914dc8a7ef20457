"""Run independent render jobs side by side: the first in this process, the others in forked children.

Worth it whenever a second core is idle (``worth_forking``), at any length: the DOCX job (its imports
included) then runs beside the PDF instead of after it (the sample's two-format build 0.33 → 0.25 s on the
2-core machine). On a busy machine the jobs run one after the other, where a fork would
only compete for the same core.

reportlab and the DOCX writer (lxml driven from Python) hold the GIL, so threads would queue on it; a
forked child shares the laid-out plan copy-on-write and writes its own file, so the PDF and the DOCX render on
two cores in the time of the slower one. Where ``os.fork`` does not exist (Windows) the jobs run one after
another. A child sends its failure, pickled, through a pipe, and the parent raises it after every job has
finished (so no job is still writing when the caller cleans up), as the job raised it: the exit status is the
same whether or not the job ran in a child. A failure that does not pickle arrives as a ``RenderError`` with
its text.
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
STAT = "/proc/stat"  # Linux: ``procs_running``, the threads running or ready to run at this moment


def worth_forking() -> bool:
    """Return whether render jobs should run side by side: a second core, idle now and over the last minute.

    The 1-minute load average alone lags: a test suite that started a second ago does not show yet, and one
    that has just ended still does for a minute. So the instantaneous count of runnable threads (this one
    included) must also leave a core free; where the system has no such count, the average decides alone.
    """
    cores = _cores()
    if cores < 2 or not hasattr(os, "getloadavg"):
        return False
    running = _running_now()
    return os.getloadavg()[0] < cores - 0.5 and (running is None or running < cores)


def _cores() -> int:
    """Return the cores this process may run on (its affinity, where the system has one)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _running_now() -> int | None:
    """Return the number of threads running or runnable now (this one included), None where unknown."""
    try:
        with open(STAT, "rb") as stat:
            for line in stat:
                if line.startswith(b"procs_running "):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def run_all(jobs: Sequence[Job], parallel: bool = True) -> None:
    """Run every job; raise the first failure once all of them have ended."""
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
        failures = [_finish(pid, reader) for pid, reader in children]
    except KeyboardInterrupt:  # while waiting: stop them and wait until none can write any more
        _stop(children)
        with held_signals():
            for pid, _ in children:
                with contextlib.suppress(ChildProcessError, OSError):
                    os.waitpid(pid, 0)
        raise
    if failure is not None:
        raise failure
    for child_failure in failures:
        if child_failure is not None:
            raise child_failure


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
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(_pickled(exc))
        finally:
            os._exit(status)
    os.close(writer)
    return pid, reader


def _pickled(exc: BaseException) -> bytes:
    """Return ``exc`` pickled, or a RenderError with its text when it does not survive pickling."""
    import pickle  # here and in ``_finish``: only a failure needs it

    try:
        data = pickle.dumps(exc)
        pickle.loads(data)
    except Exception:
        text = str(exc) if isinstance(exc, PublishError) else f"{type(exc).__name__}: {exc}"
        data = pickle.dumps(RenderError(text))
    return data


def _finish(pid: int, reader: int) -> BaseException | None:
    """Wait for a child; return its failure, None when it succeeded."""
    with os.fdopen(reader, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if data:
        import pickle

        try:
            failure = pickle.loads(data)
        except Exception:  # cut short (the child was killed while writing)
            failure = None
        if isinstance(failure, BaseException):
            return failure
    if code != 0:
        return RenderError(f"a render worker ended abnormally (status {code})")
    return None
