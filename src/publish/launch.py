"""The ``publish`` command's entry point: ``cli.main``, with an interrupt that arrives while the program is
still loading (Ctrl-C in its first tens of milliseconds) reported like any other, not as a traceback."""

from __future__ import annotations

import sys


def main() -> int:
    """Load and run the command line; return its exit status, 130 when interrupted while loading."""
    try:
        from publish.cli import main as run

        return run()
    except KeyboardInterrupt:
        print("publish: interrupted", file=sys.stderr)
        return 130  # cli.ExitStatus.INTERRUPTED: that module may not have finished loading
