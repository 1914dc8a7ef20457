"""A warm build session: one process building the same booklet again and again (``--watch``, the web page).

``WarmBuilder`` keeps what a cold build recomputes every time: the imported libraries, the fonts (their
tables and reportlab registrations live per process anyway), the composer with its width tables, and each
speech's laid-out lines (``layout.reuse``), so a rebuild after an edit sets only the speeches that changed.
Formats render one after the other in this process: forking a worker costs more than it saves on two cores
for a small booklet and copies a large heap for a big one. The outputs are byte for byte those of a cold
build of the same source (``tests/test_session.py``).

The cycle collector is paused while a warm build runs: the kept work is a heap of some 170,000 objects at
300 speeches, which its scans would visit again and again (a fifth of a rebuild's time); ``tidy``, called
once the outputs are out (the watcher calls it before waiting again), collects what a build left.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from publish.errors import Diagnostics
from publish.pipeline import BuildCache, BuildOptions, BuildResult, Log, Sources, build


def _quiet(_: str) -> None:
    """Discard a log line."""


class WarmBuilder:
    """Builds ``options``' outputs from a source, reusing what earlier builds of this builder kept."""

    def __init__(self, options: BuildOptions) -> None:
        self.options = options
        self.cache = BuildCache()

    def build(
        self, source: Sources, diagnostics: Diagnostics | None = None, log: Log = _quiet
    ) -> BuildResult:
        """Build ``source`` as ``pipeline.build`` does (same errors, same outputs), reusing kept work."""
        with _collector_paused():
            return build(source, self.options, diagnostics, log, self.cache)

    def tidy(self) -> None:
        """Collect the cyclic garbage the last builds left (call when idle: it takes a full collection)."""
        gc.collect()

    def forget(self) -> None:
        """Drop everything kept: the next build is cold apart from the imports and the font tables."""
        self.cache = BuildCache()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cycle collector for the block; its previous state is restored (builds in threads too)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
