"""The ``publish`` command's entry point: ``cli.main``, with an interrupt that arrives while the program is
still loading (Ctrl-C in its first tens of milliseconds) reported like any other, not as a traceback, and an
exit that skips the interpreter's teardown when nothing is left to run at exit (``leave``)."""

from __future__ import annotations

import atexit
import gc
import os
import sys


def main() -> int:
    """Load and run the command line; end the process with its exit status (130 when interrupted while
    loading), or return that status where ``leave`` cannot end it early."""
    status = _run()
    leave(status)
    return status


def _run() -> int:
    try:
        gc.disable()  # what loading the CLI creates lives until the end: frozen, never scanned
        try:
            from publish.cli import main as run
        finally:
            gc.freeze()
            gc.enable()
        return run()
    except KeyboardInterrupt:
        print("publish: interrupted", file=sys.stderr)
        return 130  # cli.ExitStatus.INTERRUPTED: that module may not have finished loading


def leave(status: int) -> None:
    """End the process now with ``status``: flush the standard streams and skip the interpreter's teardown,
    which frees every object and module one by one (~17 ms after the sample's build, more than its PDF's
    writing). Outputs are closed and in place by then. Returns instead, for the usual exit, when an
    ``atexit`` handler is registered (a coverage tool, an embedding program), a second thread still runs, or
    a stream does not flush (the usual exit reports that)."""
    pending = getattr(atexit, "_ncallbacks", None)  # CPython's count; elsewhere assume some are pending
    threading = sys.modules.get("threading")
    if pending is not None and not pending() and (threading is None or threading.active_count() == 1):
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):  # a broken pipe or a closed stream
            pass
        else:
            os._exit(status)
    gc.unfreeze()  # the usual teardown finalises what ``_run`` froze
