"""Run independent render jobs side by side: the first in this process, the others in forked children.

Worth it whenever a second core is idle (``worth_forking``), at any length: the DOCX job (its imports
included) then runs beside the PDF instead of after it (the sample's two-format build 0.33 → 0.25 s on the
2-core machine). On a busy machine the jobs run one after the other, where a fork would
only compete for the same core. For a small booklet the child is forked before the layout (``Standby``): it
loads the DOCX writer while this process lays out, and receives its job pickled.

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
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial

from publish.atomic import HELD, held_signals
from publish.errors import PublishError, RenderError

Job = Callable[[], None]
STAT = "/proc/stat"  # Linux: per-CPU idle time since boot, and the threads runnable at this moment
IDLE_TENTHS = 7  # tenths of one core idle on average since this module loaded, to fork
MIN_TICKS = 4  # clock ticks the cores must have run since then for that average to count


@dataclass(frozen=True)
class _Stat:
    """What ``/proc/stat`` says: (idle, total) clock ticks per CPU number, and the runnable threads."""

    ticks: dict[int, tuple[int, int]]
    running: int | None


def _read_stat() -> _Stat | None:
    """Return the system's CPU counters now; None where there is no ``/proc/stat``."""
    ticks: dict[int, tuple[int, int]] = {}
    running = None
    try:
        with open(STAT, "rb") as stat:
            for line in stat:
                if line.startswith(b"cpu") and line[3:4].isdigit():
                    name, *fields = line.split()
                    values = [int(v) for v in fields[:8]]  # user nice system idle iowait irq softirq steal
                    ticks[int(name[3:])] = (values[3] + values[4], sum(values))
                elif line.startswith(b"procs_running "):
                    running = int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return _Stat(ticks, running)


_START = _read_stat()  # taken when a build loads this module: the window ``worth_forking`` looks back over
_STARTED = time.monotonic()
WINDOW = 10.0  # seconds: a module loaded longer ago (a long-lived process) judges by the present alone


def worth_forking() -> bool:
    """Return whether render jobs should run side by side: a second core, idle now and lately.

    Lately is the time since this module loaded (the build's own start): over it, the cores this process
    may use must have been ``IDLE_TENTHS`` tenths of a core idle on average or more (this build keeps one
    busy), and now no other thread may be runnable. Both from ``/proc/stat``: the instantaneous count alone
    would miss a test suite's short processes, and the 1-minute load average lags a minute behind (the
    bench's Typst runs on both cores would stop the next build forking). Without ``/proc/stat`` the load
    average decides. In a process that loaded this module more than ``WINDOW`` seconds ago (not a one-shot
    build), the present alone decides.
    """
    mine = _cpus()
    cores = len(mine)
    if cores < 2 or not hasattr(os, "fork"):  # one core, or no fork (Windows): one job after the other
        return False
    now = _read_stat()
    if now is None or _START is None or now.running is None:
        return hasattr(os, "getloadavg") and os.getloadavg()[0] < cores - 0.5
    if now.running >= cores:  # this thread and one more on every other core
        return False
    if time.monotonic() - _STARTED > WINDOW:  # nothing recent to judge by
        return True
    idle = total = 0
    for cpu in mine:
        before, after = _START.ticks.get(cpu), now.ticks.get(cpu)
        if before is not None and after is not None:
            idle += after[0] - before[0]
            total += after[1] - before[1]
    if total < MIN_TICKS * cores:  # too short a window to judge: the present decides
        return True
    return idle * cores * 10 >= IDLE_TENTHS * total  # in integers: the limit itself counts


def _cpus() -> set[int]:
    """Return the CPU numbers this process may run on (all of them where the system has no affinity)."""
    if hasattr(os, "sched_getaffinity"):
        return set(os.sched_getaffinity(0))
    return set(range(os.cpu_count() or 1))


def run_all(jobs: Sequence[Job], parallel: bool = True, standby: Standby | None = None) -> None:
    """Run every job; raise the first failure once all of them have ended. ``standby``, when given, runs
    the second job (sent to it pickled), fresh forks the others."""
    if not parallel or len(jobs) < 2 or not hasattr(os, "fork"):
        for job in jobs:
            job()
        return
    sys.stdout.flush()
    sys.stderr.flush()
    reap_exited()
    children: list[tuple[int, int]] = []
    failure: BaseException | None = None
    try:
        for index, job in enumerate(jobs[1:]):
            # held: an interrupt between the fork and this record would leave a child running unseen, writing
            # its output after the caller has removed the temporary files
            with held_signals():
                children.append(standby.send(job) if standby and not index else _start(job))
        jobs[0]()
    except BaseException as exc:  # wait for the children before re-raising
        failure = exc
        if isinstance(exc, KeyboardInterrupt):  # interrupted (Ctrl-C, SIGTERM): stop the children too
            _stop(children)
    failures: list[BaseException | None] = []
    try:
        while children:  # a finished child leaves the list: only the others can be stopped
            failures.append(_finish(*children[0]))
            children.pop(0)
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


class Standby:
    """A child forked before its job exists: it runs ``prepare`` (loading the modules the job needs) on the
    second core while this process lays the booklet out, then the one job ``send`` hands it, pickled. On
    the sample the DOCX writer's imports (~12 ms) so leave the critical path, for ~1.5 ms of pickling the
    plan; pickling grows with the plan, so the caller keeps this for small documents."""

    def __init__(self, prepare: Job) -> None:
        """Fork the child (where ``worth_forking`` said so: it is False without ``os.fork``)."""
        reader, self._jobs = os.pipe()
        with contextlib.suppress(AttributeError, OSError):  # Linux: room for the job, so send never waits
            import fcntl

            fcntl.fcntl(self._jobs, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
        with held_signals():  # see run_all: no interrupt between the fork and the record of the child
            self.pid, self._errors = _start(partial(_awaited, prepare, reader), close=(self._jobs,))
        os.close(reader)
        self._open = True

    def send(self, job: Job) -> tuple[int, int]:
        """Hand ``job`` to the child; return its pid and failure pipe (as ``_start`` does)."""
        import pickle

        data = memoryview(pickle.dumps(job, pickle.HIGHEST_PROTOCOL))
        self._open = False
        try:
            while data:
                data = data[os.write(self._jobs, data) :]
        except BrokenPipeError:  # the child ended before reading it: _finish reports how
            pass
        finally:
            os.close(self._jobs)
        return self.pid, self._errors

    def close(self) -> None:
        """End the child if it was sent no job (the layout failed, or nothing is rendered) and wait for it."""
        if self._open:
            self._open = False
            os.close(self._jobs)  # the child reads the end of its pipe and leaves
            os.close(self._errors)
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitpid(self.pid, 0)


PIPE_BYTES = 1 << 20  # Linux's default limit for an unprivileged pipe


def _awaited(prepare: Job, reader: int) -> None:
    """In a standby child: prepare, then run the job that arrives on ``reader`` (none: leave)."""
    prepare()
    with os.fdopen(reader, "rb") as pipe:
        data = pipe.read()
    if data:
        import pickle

        pickle.loads(data)()


def _stop(children: Sequence[tuple[int, int]]) -> None:
    """Ask every child to end (SIGTERM); one that has ended already is no error."""
    for pid, _ in children:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGTERM)


def _start(job: Job, close: Sequence[int] = ()) -> tuple[int, int]:
    """Fork a child that runs ``job`` (with the descriptors ``close`` closed); return its pid and the read
    end of its error pipe."""
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: run, report, and leave without running the parent's cleanup handlers
        if hasattr(signal, "pthread_sigmask"):  # forked while the parent held them: the child takes its own
            signal.pthread_sigmask(signal.SIG_UNBLOCK, HELD)
        for descriptor in (reader, *close):
            os.close(descriptor)
        status = 1
        try:
            try:
                job()
                report, status = DONE, 0
            except BaseException as exc:
                report = _pickled(exc)
            with os.fdopen(writer, "wb") as pipe:  # closed before the exit, which the parent need not await
                pipe.write(report)
        finally:
            os._exit(status)
    os.close(writer)
    return pid, reader


# what a child that ran its job writes before it leaves (a failure writes a pickle, starting b"\x80"): its
# exit, the release of its copy of this process's memory, takes ~2 ms, which the caller's renames can overlap;
# it collects the exit afterwards (``reap_exited``), so that the child's CPU time still counts as its
DONE = b"done"
_EXITING: list[int] = []  # children that reported DONE and were still exiting


def _reap(pid: int) -> None:
    """Collect the exit of ``pid`` if it has ended; otherwise leave it to ``reap_exited``."""
    with contextlib.suppress(ChildProcessError):
        if os.waitpid(pid, os.WNOHANG) == (0, 0):
            _EXITING.append(pid)


def reap_exited() -> None:
    """Collect the exits of the children ``run_all`` left exiting (they ran their jobs: a wait of ~2 ms at
    most); ``run_all`` calls it first, a caller when it has used the time."""
    while _EXITING:
        with contextlib.suppress(ChildProcessError):
            os.waitpid(_EXITING.pop(), 0)


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
    """Wait for a child's report; return its failure, None when it succeeded."""
    with os.fdopen(reader, "rb") as pipe:
        data = pipe.read()
    if data == DONE:  # its output is written and closed: the child is only exiting now
        _reap(pid)
        return None
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
