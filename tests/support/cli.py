"""Run the command line in-process, as the tests of every command do."""

from __future__ import annotations

import io

from publish.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    """Run ``publish ARGV`` in-process; return (status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()
