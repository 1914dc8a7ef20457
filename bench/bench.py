"""Benchmark: build the sample and a generated 300-speech booklet; print wall time, peak memory, pages, sizes.

Each configuration runs as a fresh ``publish build`` process (interpreter start included): one warm-up, then
``--runs`` counted runs; the median wall time and the largest peak RSS are printed. Usage:
    python bench/bench.py [--runs 3] [--speeches 300] [--only seed|big]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from publish import sourcefmt
from publish.errors import Diagnostics
from publish.model import Booklet, Speech
from publish.source import read_source

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "booklet.md"
FORMATS = ("pdf", "docx", "pdf,docx")


def make_big(count: int, target: Path) -> Path:
    """Write a source of ``count`` speeches: the sample's speeches cycled, titles numbered （1）…（N）."""
    booklet = sourcefmt.load_source(read_source(SAMPLE), Diagnostics())
    speeches = []
    for i in range(count):
        speech = booklet.speeches[i % len(booklet.speeches)]
        title = (*speech.title[:-1], f"{speech.title[-1]}（{i + 1}）")
        speeches.append(Speech(title, speech.blocks, speech.speaker))
    big = Booklet(
        f"{booklet.title}（扩充至{count}篇）",
        tuple(speeches),
        booklet.subtitle,
        booklet.organisation,
        booklet.date,
    )
    target.write_text(sourcefmt.dump_source(big), encoding="utf-8")
    return target


def run_once(source: Path, formats: str, out: Path) -> tuple[float, int]:
    """Run one build in a new process; return (wall seconds, peak RSS in KiB)."""
    command = [
        sys.executable,
        "-m",
        "publish",
        "build",
        str(source),
        "-o",
        str(out),
        "--format",
        formats,
        "-q",
    ]
    # as on an installed package, bytecode is cached: the warm-up run writes it, the counted runs use it
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(
            f"build failed ({process.returncode}): {process.stderr.read().decode() if process.stderr else ''}"
        )
    return wall, usage.ru_maxrss


def measure(name: str, source: Path, runs: int, work: Path) -> None:
    """Print one table row per format for ``source``."""
    for formats in FORMATS:
        out = work / f"{name}-{formats.replace(',', '+')}"
        run_once(source, formats, out)  # warm-up
        walls, peaks = [], []
        for _ in range(runs):
            wall, peak = run_once(source, formats, out)
            walls.append(wall)
            peaks.append(peak)
        files = sorted(out.glob("*.*"))
        pdf = next((f for f in files if f.suffix == ".pdf"), None)
        pages = len(PdfReader(pdf).pages) if pdf else "-"
        sizes = ", ".join(f"{f.suffix[1:]} {f.stat().st_size / 1024:.0f} KiB" for f in files)
        print(
            f"| {name:<5} | {formats:<8} | {statistics.median(walls):7.3f} s | "
            f"{min(walls):6.3f}–{max(walls):6.3f} | {max(peaks) / 1024:6.1f} MiB | {pages!s:>5} | {sizes} |"
        )


def main() -> None:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--speeches", type=int, default=300)
    parser.add_argument("--only", choices=("seed", "big"))
    args = parser.parse_args()
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.2f}; "
        f"median of {args.runs} runs after 1 warm-up; bytecode cached as on an installed package"
    )
    print("| input | formats  |  wall median | min–max         | peak RSS   | pages | outputs |")
    print("|-------|----------|-------------:|-----------------|-----------:|------:|---------|")
    with tempfile.TemporaryDirectory(prefix="publish-bench-") as tmp:
        work = Path(tmp)
        if args.only in (None, "seed"):
            measure("seed", SAMPLE, args.runs, work)
        if args.only in (None, "big"):
            measure("big", make_big(args.speeches, work / "big.md"), args.runs, work)


if __name__ == "__main__":
    main()
