"""Fuzzing the command line (issue 16): raw text, editable source and style files from hypothesis.

Every build (and, for the texts, every ``clean`` and ``import``) must end with a documented exit status other
than 70, at most one error line and no traceback on stderr, no temporary file in the output folder, and, when
it fails, the last good PDF and DOCX untouched.
Bounded for CI: 50 examples per input kind (``PUBLISH_FUZZ_EXAMPLES`` sets another number), no deadline (a
build takes a few hundred milliseconds).
"""

from __future__ import annotations

import io
import math
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publish.cli import ExitStatus, main
from publish.layout.spec import default_spec

DOCUMENTED = {ExitStatus.OK, ExitStatus.SOURCE, ExitStatus.STYLE, ExitStatus.OUTPUT}
EXAMPLES = settings(
    max_examples=int(os.environ.get("PUBLISH_FUZZ_EXAMPLES", "50")),  # raise it for a longer campaign
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Text pieces that meet the rules: CJK, full- and half-width marks, quotes, brackets, heading numbers,
# watermark words, spaces of every kind, controls and noncharacters, markup, long runs.
PIECES = st.sampled_from(
    [
        "党的建设",
        "，",
        "。",
        ",",
        ":",
        '"',
        "'",
        "(",
        ")",
        "（",
        "）",
        "【",
        "】",
        "一、",
        "（一）",
        "1.",
        "（1）",
        "第一，",
        "一是",
        "更多公文素材，微信：dadawk01",
        "##paidbegin##",
        " ",
        "\u3000",
        "\u00a0",
        "\t",
        "\x07",
        "\x1b",
        "\ufffe",
        "\u200b",
        "#",
        "##",
        ">",
        "\\",
        "+++",
        "X月X日",
        "𠀀",
        "😀",
        "\ue000",
        "www.example.org",
        "3篇",
        "谢谢大家",
        "2024年3月1日",
        "\n",
        "\n\n",
    ]
)
LINES = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=40).map("".join)
NUMBERS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.sampled_from([0, 1, 2, 16.0, 22, 28, 0.2, -2.0, 1e308, 500.0]),
)
STRINGS = st.one_of(st.text(max_size=6), st.sampled_from(["fangsong", "heiti", "center", "gb", "", "\x07"]))


def _keys(obj: object, prefix: str = "") -> Iterator[tuple[str, object]]:
    items = obj.items() if isinstance(obj, dict) else vars(obj).items()
    for key, value in items:
        if isinstance(value, dict) or hasattr(value, "__dataclass_fields__"):
            yield from _keys(value, f"{prefix}{key}.")
        else:
            yield f"{prefix}{key}", value


DEFAULTS = dict(_keys(default_spec()))
KEYS = sorted(DEFAULTS)


@st.composite
def _style_entry(draw: st.DrawFn) -> tuple[str, object]:
    """Return a key and a value: four times in five one of the default's kind near it (so builds run with odd
    but valid styles), else anything at all."""
    key = draw(st.sampled_from(KEYS))
    default = DEFAULTS[key]
    if draw(st.integers(0, 4)) == 0:
        return key, draw(st.one_of(NUMBERS, STRINGS, st.booleans()))
    if isinstance(default, bool):
        return key, draw(st.booleans())
    if isinstance(default, (int, float)):
        value = default * draw(st.floats(0.0, 3.0))
        return key, round(value) if isinstance(default, int) else value
    return key, default  # a string or a font chain: as it is


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    text = str(value)
    return '"' + "".join(f"\\u{ord(c):04x}" if c in '"\\' or not c.isprintable() else c for c in text) + '"'


STYLES = st.lists(_style_entry(), min_size=1, max_size=4)


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


def _run(folder: Path, source: Path, *extra: str) -> None:
    """Build ``source`` into ``folder/out`` and check the promises of the command line."""
    out = folder / "out"
    before = {p.name: p.read_bytes() for p in out.iterdir()} if out.exists() else {}
    stdout, stderr = io.StringIO(), io.StringIO()
    status = main(["build", str(source), "-o", str(out), "--name", "booklet", "-q", *extra], stdout, stderr)
    err = stderr.getvalue()
    assert status in DOCUMENTED and status != ExitStatus.INTERNAL, err
    assert "Traceback" not in err
    assert sum(1 for line in err.splitlines() if line.startswith("publish: error")) <= (status != 0)
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == [] if out.exists() else True
    if status != ExitStatus.OK and before:
        assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def _run_text_commands(source: Path) -> None:
    """Run the commands that print instead of writing files: clean (with and without --report), import."""
    for argv in (["clean", str(source)], ["clean", str(source), "--report"], ["import", str(source)]):
        stderr = io.StringIO()
        status = main([*argv, "-q"], io.StringIO(), stderr)
        err = stderr.getvalue()
        assert status in DOCUMENTED and "Traceback" not in err, (argv, err)
        assert sum(1 for line in err.splitlines() if line.startswith("publish: error")) <= (status != 0)


@EXAMPLES
@given(title=LINES, body=LINES)
def test_raw_text(folder: Path, title: str, body: str) -> None:
    source = folder / "raw.txt"
    source.write_text(f"{title}\n{body}\n", encoding="utf-8")
    _run(folder, source)
    _run_text_commands(source)


@EXAMPLES
@given(
    meta=st.lists(st.tuples(st.sampled_from(["subtitle", "organisation", "date", "x"]), LINES), max_size=3),
    lines=st.lists(st.tuples(st.sampled_from(["", "# ", "## ", "##### ", "> ", "\\"]), LINES), max_size=12),
)
def test_editable_source(folder: Path, meta: list[tuple[str, str]], lines: list[tuple[str, str]]) -> None:
    # a title and a first speech, so that most examples get past the front matter into the body's markup
    front = ['title = "汇编"'] + [f"{key} = {_toml_value(value)}" for key, value in meta if key != "title"]
    body = ["# 讲话"] + [f"{mark}{text}" for mark, text in lines]
    source = folder / "source.md"
    source.write_text("+++\n" + "\n".join(front) + "\n+++\n\n" + "\n\n".join(body) + "\n", encoding="utf-8")
    _run(folder, source)
    _run_text_commands(source)


@EXAMPLES
@given(entries=STYLES)
def test_style_file(folder: Path, entries: list[tuple[str, object]]) -> None:
    tables: dict[str, list[str]] = {}
    for key, value in entries:
        table, _, name = key.rpartition(".")
        tables.setdefault(table, []).append(f'"{name}" = {_toml_value(value)}')
    ordered = sorted(tables.items(), key=lambda item: item[0] != "")  # top-level keys before any [table]
    text = "\n".join(("" if not table else f"[{table}]\n") + "\n".join(rows) for table, rows in ordered)
    style = folder / "style.toml"
    style.write_text(text + "\n", encoding="utf-8")
    source = folder / "raw.txt"
    source.write_text(
        "培训班交流发言汇编\n第一篇讲话\n一、加强学习\n正文内容“引号”（括号）。\n", encoding="utf-8"
    )
    _run(folder, source, "--style", str(style))
