"""Style values: every number finite, in range and consistent with the page; strings a PDF and DOCX can hold
(issue 16, classes 1 and 2). A bad value is exit status 4 naming the key, never a crash or a broken PDF."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from publish.cli import ExitStatus, main
from publish.errors import SpecError
from publish.layout.spec import default_spec
from publish.layout.spec_check import check_spec
from publish.layout.spec_file import load_spec, merge_spec

SAMPLE = Path(__file__).resolve().parents[1] / "content" / "booklet.md"


def _numeric_keys(obj: Any, prefix: str = "") -> list[tuple[str, ...]]:
    """Return the key path of every number in the default spec (bools excluded)."""
    out: list[tuple[str, ...]] = []
    items = obj.items() if isinstance(obj, dict) else vars(obj).items()
    for key, value in items:
        if isinstance(value, (bool, str, tuple)):
            continue
        if isinstance(value, (int, float)):
            out.append((*prefix.split(".")[:-1], key) if prefix else (key,))
        elif isinstance(value, dict) or hasattr(value, "__dataclass_fields__"):
            out += _numeric_keys(value, f"{prefix}{key}.")
    return out


NUMERIC = _numeric_keys(default_spec())


def _nested(path: tuple[str, ...], value: object) -> dict[str, Any]:
    data: dict[str, Any] = {path[-1]: value}
    for key in reversed(path[:-1]):
        data = {key: data}
    return data


def test_every_numeric_key_is_covered() -> None:
    # the walk finds the page grid, every style's size and indents, the folio and the spacing
    keys = {".".join(path) for path in NUMERIC}
    assert {"page.width", "page.lines", "styles.body.size", "styles.toc.first_indent"} <= keys
    assert "latin_spacing" in keys
    assert {"page_number.pad", "page_number.drop", "toc.depth", "page.baseline_ratio"} <= keys
    assert len(keys) > 50


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf"), 1e308, -1e308, -500])
@pytest.mark.parametrize("path", NUMERIC, ids=[".".join(p) for p in NUMERIC])
def test_every_numeric_key_refuses_absurd_values(path: tuple[str, ...], value: float) -> None:
    key = ".".join(path)
    with pytest.raises(SpecError) as caught:
        merge_spec(default_spec(), _nested(path, value), "house.toml")
    message = str(caught.value)
    assert message.startswith("house.toml: ") and key in message and "\n" not in message


@pytest.mark.parametrize(
    ("style", "key", "allowed"),
    [
        ("[page]\nleft = -500\n", "page.left", "0 to 595"),
        ("[page]\nbaseline_ratio = nan\n", "page.baseline_ratio", "not a finite number"),
        ("latin_spacing = inf\n", "latin_spacing", "not a finite number"),
        ("[styles.body]\nfirst_indent = 1000\n", "styles.body.first_indent", "-0 to 27"),
        ("[styles.body]\nsize = 1e308\n", "styles.body.size", "1 to 442"),
        ("[page]\nwidth = 1e30\n", "page.width", "72 to 14400"),
        ("[page_number]\npad = nan\n", "page_number.pad", "not a finite number"),
        ("[page]\nbody_width = 600\n", "page.body_width", "1 to 515"),
        ("[styles.toc]\nindent = 30\n", "styles.toc.indent", "0 to 27"),
        ("[toc]\ndepth = 9\n", "toc.depth", "1 to 5"),
    ],
)
def test_out_of_range_names_key_and_range(tmp_path: Path, style: str, key: str, allowed: str) -> None:
    path = tmp_path / "house.toml"
    path.write_text(style, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    status = main(["build", str(SAMPLE), "--style", str(path), "-o", str(tmp_path / "out")], out, err)
    lines = err.getvalue().splitlines()
    assert status == ExitStatus.STYLE and len(lines) == 1, err.getvalue()
    assert key in lines[0] and allowed in lines[0] and str(path) in lines[0]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "style",
    [
        '[cover]\ntitle = "封面\\u0007标题"\n',
        '[toc]\nleader = "\\uFFFE"\n',
        '[page_number]\ndash = "\\u001b"\n',
        '[fonts.docx_names]\nfangsong = "仿宋\\u0000"\n',
    ],
)
def test_strings_with_characters_no_output_can_hold(tmp_path: Path, style: str) -> None:
    path = tmp_path / "house.toml"
    path.write_text(style, encoding="utf-8")
    with pytest.raises(SpecError, match=r"contains the character U\+[0-9A-F]{4}; remove it"):
        load_spec(path)


def test_valid_variations_still_pass() -> None:
    spec = default_spec()
    assert check_spec(spec) is spec
    for data in (
        {"styles": {"toc": {"first_indent": -2.0, "indent": 2.0}}},  # hanging indent
        {"page": {"lines": 20, "chars": 26}, "latin_spacing": 0.0},
        {"page_number": {"pad": 0.0, "drop": 0.0}, "toc": {"depth": 5}},
        {"styles": {"cover_title": {"size": 60.0}}},
    ):
        merge_spec(spec, data)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero on this system")
def test_style_file_that_is_a_device_is_not_read() -> None:
    with pytest.raises(SpecError, match="not a regular file"):
        load_spec("/dev/zero")


def test_key_line_finds_the_line_of_a_key() -> None:
    from publish.layout.spec_file import key_line

    text = (
        "# house style\n"  # 1
        "latin_spacing = 0.2  # em\n"  # 2
        "[toc]  # the 目录\n"  # 3
        'leader = "#"\n'  # 4
        "[ fonts.classes.'fangsong' ]\n"  # 5
        '"latin" = []\n'  # 6
        "styles.body.size = 16\n"  # 7: a dotted key inside [fonts.classes.fangsong]
        "[styles.h1]\n"  # 8
    )
    assert key_line(text, "latin_spacing") == 2
    assert key_line(text, "toc.leader") == 4
    assert key_line(text, "fonts.classes.fangsong.latin") == 6
    assert key_line(text, "fonts.classes.fangsong.digit") == 5  # not set: the table that holds it
    assert key_line(text, "fonts.classes.fangsong.styles.body.size") == 7
    assert key_line(text, "styles.h1.size") == 8
    assert key_line(text, "page.width") == 0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '# house\n[page]\nlines = 22\n\n[styles.body]\nsize = 1e9\nalign = "left"\n',
            ":6: styles.body.size = 1e+09 is out of range",
        ),
        ("[page]\nlines = 22\ncolour = 1\n", ":3: unknown key page.colour"),
        ('[page]\nlines = 22\n[styles.h1]\nalign = "centre"\n', ":4: styles.h1.align must be one of"),
        (
            'kinsoku = "basic"\n[styles.body]\nfont = "mingti"\n',
            ":3: styles.body.font: unknown font role 'mingti'",
        ),
    ],
)
def test_style_errors_name_the_line(tmp_path: Path, text: str, expected: str) -> None:
    style = tmp_path / "house.toml"
    style.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        load_spec(style)
    assert str(caught.value).startswith(f"{style}{expected}")
