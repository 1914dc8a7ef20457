"""Benchmark publish against Typst side by side: cold builds and edit-to-outputs under a watcher.

Cold: for each size (speeches: 1, 3 = the bundled sample, 30, 300, 1000; the others cycle the sample's
speeches with numbered titles) each configuration runs as a fresh process, interpreter start included,
Typst (the ``typst`` package, PDF only, bundled fonts only: ``bench/typst_peer.py``), publish PDF only and
publish PDF + DOCX, interleaved round by round so that load hits all alike: one warm-up round, then
``--runs`` counted rounds. Medians of wall and CPU time (user + system: on a shared machine the CPU ratio is
the steadier one), publish/Typst ratios, and the largest peak RSS of a single process. The counted rounds
find publish's word-segmentation cache filled by the warm-up, as any rebuild does; "first build" is PDF +
DOCX with that cache off, as the very first build of a booklet's titles.
Watch: ``publish build --watch`` (PDF + DOCX) and Typst's watcher on the same input, edits in the first and
in the last speech (``bench/edits.py``). Typst columns need the ``bench`` extra
(``pip install -e '.[bench]'``).
Usage:
    python bench/bench.py [--runs 3] [--sizes 1,3,30,300,1000] [--watch-sizes 3,300] [--edits 3]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from edits import measure_watch
from pypdf import PdfReader
from typst_peer import typst_source

from publish import sourcefmt
from publish.errors import Diagnostics
from publish.model import Booklet, Heading, Speech
from publish.source import read_source

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
SAMPLE = ROOT / "content" / "booklet.md"
_TYPST = importlib.util.find_spec("typst")  # not bench/typst/, the template folder (a namespace here)
HAVE_TYPST = _TYPST is not None and _TYPST.origin not in (None, "namespace")
# bytecode cached as on an installed package, and publish's cache (``commands.cache_dir``: the titles' word
# segmentation) in a folder of this run: the warm-up round writes both, the counted rounds use them, as a
# rebuild does; the "first build" column turns the cache off (PUBLISH_NO_CACHE), as a first build has none
ENV = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PUBLISH_NO_CACHE")}
UNCACHED = {"PUBLISH_NO_CACHE": "1"}


@dataclass(frozen=True)
class Input:
    """One benchmark input: the publish source, the same booklet as a Typst document, and edit anchors."""

    speeches: int
    source: Path
    typst: Path
    anchors: tuple[str, str]  # the first paragraph of the first speech, the last of the last speech


@dataclass
class Runs:
    """Wall times, CPU times (user + system, threads and children included) and peak RSS (KiB) of one
    configuration."""

    walls: list[float] = field(default_factory=list)
    cpus: list[float] = field(default_factory=list)
    peak: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.walls)

    @property
    def cpu(self) -> float:
        return statistics.median(self.cpus)


def sample_booklet() -> Booklet:
    """Return the bundled sample as a Booklet."""
    return sourcefmt.load_source(read_source(SAMPLE), Diagnostics())


def cycled(booklet: Booklet, count: int) -> Booklet:
    """Return ``booklet`` with its speeches cycled to ``count``, titles numbered （1）…（N）."""
    speeches = []
    for i in range(count):
        speech = booklet.speeches[i % len(booklet.speeches)]
        title = (*speech.title[:-1], f"{speech.title[-1]}（{i + 1}）")
        speeches.append(Speech(title, speech.blocks, speech.speaker))
    title = f"{booklet.title}（扩充至{count}篇）"
    return Booklet(title, tuple(speeches), booklet.subtitle, booklet.organisation, booklet.date)


def make_input(count: int, work: Path) -> Input:
    """Write the publish source and the Typst document of ``count`` speeches (3: the sample) in ``work``."""
    sample = sample_booklet()
    booklet = sample if count == len(sample.speeches) else cycled(sample, count)
    folder = work / f"n{count}"
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "booklet.md"
    if booklet is sample:
        source.write_bytes(SAMPLE.read_bytes())
    else:
        source.write_text(sourcefmt.dump_source(booklet), encoding="utf-8")
    document = folder / "booklet.typ"
    document.write_text(typst_source(booklet), encoding="utf-8")
    paragraphs = [
        (s, b.text) for s, sp in enumerate(booklet.speeches) for b in sp.blocks if not isinstance(b, Heading)
    ]
    first = next(text for s, text in paragraphs if s == 0)
    last = [text for s, text in paragraphs if s == len(booklet.speeches) - 1][-1]
    return Input(count, source, document, (first[:12], last[:12]))


def publish_command(source: Path, out: Path, formats: str, *extra: str) -> list[str]:
    """Return the command line of a publish build of ``source`` into ``out``."""
    build = ["build", str(source), "-o", str(out), "--format", formats, *extra]
    return [sys.executable, "-m", "publish", *build]


def typst_command(action: str, document: Path, pdf: Path) -> list[str]:
    """Return the command line of the Typst peer (``compile`` or ``watch``)."""
    return [sys.executable, str(HERE / "typst_peer.py"), action, str(document), str(pdf)]


def run_once(command: list[str], runs: Runs | None, env: dict[str, str] | None = None) -> None:
    """Run ``command`` in a new process (``env`` on top of ``ENV``); add its wall time and peak RSS to
    ``runs`` (None: warm-up)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**ENV, **(env or {})}
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        error = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"{' '.join(command)} failed ({code}): {error}")
    if runs is not None:
        runs.walls.append(wall)
        runs.cpus.append(usage.ru_utime + usage.ru_stime)
        runs.peak = max(runs.peak, usage.ru_maxrss)


def pages(pdf: Path) -> int:
    """Return the page count of ``pdf``."""
    return len(PdfReader(pdf).pages)


def _ratio(ours: float, theirs: float | None) -> str:
    return f"{ours / theirs:5.2f}×" if theirs else "    –"


def cold(item: Input, rounds: int, work: Path) -> str:
    """Return the table row of the cold builds of ``item``."""
    out = work / f"out{item.speeches}"
    configs: dict[str, list[str]] = {
        "pdf": publish_command(item.source, out / "pdf", "pdf", "-q"),
        "both": publish_command(item.source, out / "both", "pdf,docx", "-q"),
        "first": publish_command(item.source, out / "first", "pdf,docx", "-q"),
    }
    if HAVE_TYPST:
        configs["typst"] = typst_command("compile", item.typst, out / "typst.pdf")
    results = {name: Runs() for name in configs}
    for round_ in range(rounds + 1):
        for name, command in configs.items():
            run_once(command, results[name] if round_ else None, UNCACHED if name == "first" else None)
    typst = results.get("typst")
    t_wall = typst.median if typst else None
    t_peak = typst.peak if typst else None
    pub, both, first = results["pdf"], results["both"], results["first"]
    t_pages = pages(out / "typst.pdf") if typst else "–"
    t_cpu = typst.cpu if typst else None
    return (
        f"| {item.speeches:>5} | {pages(out / 'pdf' / 'booklet.pdf'):>5} / {t_pages!s:>5} "
        f"| {t_wall or 0:7.3f} s | {pub.median:7.3f} s {_ratio(pub.median, t_wall)} "
        f"| {both.median:7.3f} s {_ratio(both.median, t_wall)} "
        f"| {t_cpu or 0:6.2f} s | {pub.cpu:6.2f} s {_ratio(pub.cpu, t_cpu)} "
        f"| {both.cpu:6.2f} s {_ratio(both.cpu, t_cpu)} "
        f"| {first.cpu:6.2f} s {_ratio(first.cpu, t_cpu)} "
        f"| {(t_peak or 0) / 1024:6.0f} | {both.peak / 1024:6.0f} {_ratio(both.peak, t_peak)} |"
    )


def watch(item: Input, edits: int, work: Path) -> list[str]:
    """Return the table rows of edit-to-outputs for ``item`` (edits in the first and the last speech)."""
    folder = work / f"watch{item.speeches}"
    folder.mkdir(parents=True, exist_ok=True)
    source, document = folder / "booklet.md", folder / "booklet.typ"
    source.write_bytes(item.source.read_bytes())
    document.write_bytes(item.typst.read_bytes())
    ours = measure_watch(
        publish_command(source, folder / "out", "pdf,docx", "--watch"), source, item.anchors, "built ", edits
    )
    theirs = None
    if HAVE_TYPST:
        typst_anchors = (typst_escape(item.anchors[0]), typst_escape(item.anchors[1]))
        theirs = measure_watch(
            typst_command("watch", document, folder / "typst.pdf"), document, typst_anchors, "compiled", edits
        )
    rows = []
    for where in ("first", "last"):
        mine = statistics.median(getattr(ours, where))
        other = statistics.median(getattr(theirs, where)) if theirs else None
        rows.append(
            f"| {item.speeches:>5} | {where:<5} | {(other or 0) * 1000:6.0f} ms | {mine * 1000:6.0f} ms "
            f"{_ratio(mine, other)} | {(theirs.peak_kib if theirs else 0) / 1024:6.0f} "
            f"| {ours.peak_kib / 1024:6.0f} {_ratio(ours.peak_kib, theirs.peak_kib if theirs else None)} |"
        )
    return rows


def typst_escape(text: str) -> str:
    """Return ``text`` as ``typst_peer`` writes it into the Typst document."""
    from typst_peer import _escape

    return _escape(text)


def _sizes(text: str) -> list[int]:
    return [int(n) for n in text.split(",") if n.strip()]


def main() -> None:
    """Run the benchmark and print two Markdown tables."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", type=_sizes, default=[1, 3, 30, 300, 1000])
    parser.add_argument("--watch-sizes", type=_sizes, default=[3, 300])
    parser.add_argument("--edits", type=int, default=3)
    args = parser.parse_args()
    version = ""
    if HAVE_TYPST:
        from importlib.metadata import version as dist_version

        version = f"typst (PyPI) {dist_version('typst')}"
    else:
        version = "typst not installed (pip install -e '.[bench]'): publish figures only"
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f} at start; "
        f"{version}; median of {args.runs} runs after 1 warm-up; bytecode cached"
    )
    with tempfile.TemporaryDirectory(prefix="publish-bench-") as tmp:
        work = Path(tmp)
        ENV["XDG_CACHE_HOME"] = str(work / "cache")
        inputs = {n: make_input(n, work) for n in dict.fromkeys([*args.sizes, *args.watch_sizes])}
        print("\nCold builds (fresh process each; ratio = publish / Typst PDF-only):\n")
        print(
            "| speeches | pages publish / Typst | Typst PDF | publish PDF | publish PDF+DOCX "
            "| Typst CPU | publish PDF CPU | publish PDF+DOCX CPU | first build CPU "
            "| Typst peak MiB | publish peak MiB |"
        )
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for n in args.sizes:
            print(cold(inputs[n], args.runs, work), flush=True)
        if args.watch_sizes:
            print(
                f"\nEdit to outputs under --watch (median of {args.edits} edits; publish writes PDF+DOCX, "
                "Typst the PDF):\n"
            )
            print(
                "| speeches | edit in | Typst watch | publish --watch | Typst peak MiB | publish peak MiB |"
            )
            print("|---:|---|---:|---:|---:|---:|")
            for n in args.watch_sizes:
                print("\n".join(watch(inputs[n], args.edits, work)), flush=True)
        print(f"\nload {os.getloadavg()[0]:.2f} at the end")


if __name__ == "__main__":
    main()
