"""The editable source: the committed sample is the imported seed, and it builds the same booklet."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from publish.clean import clean
from publish.errors import Diagnostics, ParseError
from publish.model import Booklet, Heading, Paragraph, Speech, dump
from publish.parse import parse
from publish.source import SourceText, read_source
from publish.sourcefmt import dump_source, is_source, load_source
from support.golden import case_files, read_case

ROOT = Path(__file__).parents[1]
RAW = ROOT / "content" / "speeches-raw.txt"
SAMPLE = ROOT / "content" / "booklet.md"
HEAD = '+++\ntitle = "汇编"\n+++\n'


def load(text: str) -> Booklet:
    return load_source(SourceText("b.md", text, "utf-8"), Diagnostics())


def imported() -> Booklet:
    return parse(clean(read_source(RAW)), Diagnostics())


def without_lines(booklet: Booklet) -> Booklet:
    speeches = tuple(
        replace(s, line=0, blocks=tuple(replace(b, line=0) for b in s.blocks)) for s in booklet.speeches
    )
    return replace(booklet, speeches=speeches)


def test_reimporting_the_seed_reproduces_the_sample() -> None:
    assert dump_source(imported()) == SAMPLE.read_text(encoding="utf-8")


def test_sample_builds_the_same_booklet_as_the_raw_seed() -> None:
    from_source = load_source(read_source(SAMPLE), Diagnostics())
    assert dump(from_source) == dump(imported())
    assert without_lines(from_source) == without_lines(imported())


def test_sample_lines_point_into_the_source_file() -> None:
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    booklet = load_source(read_source(SAMPLE), Diagnostics())
    for speech in booklet.speeches:
        assert lines[speech.line - 1] == f"# {speech.title[0]}"
        for block in speech.blocks:
            assert lines[block.line - 1].endswith(block.text)


def test_round_trip_of_every_form() -> None:
    booklet = Booklet(
        '汇编 "引号" \\ 反斜杠',
        (
            Speech(("第一行", "第二行"), (Heading(1, "一、标题"), Heading(4, "（1）四级")), "——张三"),
            Speech(
                ("讲话",),
                (
                    Paragraph("#号开头的段落。"),
                    Paragraph(">号开头。"),
                    Paragraph("\\开头。"),
                    Paragraph("（一）加强学习。正文。", 8, 2),
                    Paragraph("一是坚持。正文。", 5, 0),
                ),
            ),
        ),
        subtitle="副题",
        organisation="某单位",
        date="2021年7月1日",
    )
    text = dump_source(booklet)
    assert is_source(text)
    assert without_lines(load(text)) == booklet
    assert dump_source(load(text)) == text


def test_paragraph_lines_join_and_toml_dates() -> None:
    booklet = load(
        "+++\ntitle = '汇编'\ndate = 2021-07-01\n+++\n# 讲话\n> 李四\n\n"
        "第一行\n  第二行。\nEnglish\nwords。\n\n## 一、标题\n"
    )
    speech = booklet.speeches[0]
    assert booklet.date == "2021年7月1日" and speech.speaker == "李四"
    assert speech.blocks == (Paragraph("第一行第二行。English words。", line=8), Heading(1, "一、标题", 13))


def test_is_source() -> None:
    assert is_source(HEAD) and is_source("\ufeff+++\n") and not is_source("标题\n+++\n")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("+++\ntitle = '汇编'\n", 1, "never closed"),
        ("+++\ntitle = \n+++\n", 2, "bad front matter"),
        ("+++\ntitle = 'a'\nauthor = 'b'\n+++\n", 3, "unknown front matter key 'author'"),
        ("+++\ntitle = 'a'\nsubtitle = 3\n+++\n", 3, "must be a string"),
        (HEAD + "# 讲话\n###### 六级\n", 5, "unknown markup"),
        (HEAD + "# 讲话\n#没有空格\n", 5, "unknown markup"),
        (HEAD + "# 讲话\n\n> 署名\n", 6, "speaker line"),
        (HEAD + "正文。\n", 4, "before the first speech title"),
        (HEAD + "## 一、标题\n", 4, "heading before"),
        (HEAD + "# 讲话\n+++\n", 5, "front matter at the top"),
    ],
    ids=[
        "unclosed",
        "toml",
        "unknown-key",
        "type",
        "six-hashes",
        "no-space",
        "speaker",
        "orphan-text",
        "orphan-heading",
        "fence",
    ],
)
def test_errors_name_file_and_line(text: str, line: int, message: str) -> None:
    with pytest.raises(ParseError, match=message) as caught:
        load(text)
    assert caught.value.location.line == line
    assert str(caught.value).startswith(f"b.md:{line}: ")


def test_untitled_booklet_and_speech_and_bylines_load() -> None:
    # No cover title, a speech without a title (a bare '#'), and three byline lines under a title.
    bylines = "> ——在会上的发言\n> 王小明\n> （2024年5月6日）\n"
    booklet = load("+++\nsubtitle = ''\n+++\n#\n同志们：\n\n# 乙\n" + bylines + "正文。\n")
    assert booklet.title == "" and [s.title for s in booklet.speeches] == [(), ("乙",)]
    assert booklet.speeches[1].speaker == "——在会上的发言\n王小明\n（2024年5月6日）"
    assert without_lines(load(dump_source(booklet))) == without_lines(booklet)


def test_title_lines_adjacent_only() -> None:
    booklet = load(HEAD + "# 甲\n# 乙\n\n# 丙\n正文。\n")
    assert [s.title for s in booklet.speeches] == [("甲", "乙"), ("丙",)]


RAW_CHARS = '党建学习一二三是第、，。！（）()“”"#>+\\ \u3000\u00a0\t-—abc12.\n'


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(RAW_CHARS), max_size=120))
def test_any_imported_text_loads_back_the_same(body: str) -> None:
    try:
        booklet = parse(clean(SourceText("raw.txt", body, "utf-8")), Diagnostics())
    except ParseError:
        return
    assert without_lines(load(dump_source(booklet))) == without_lines(booklet)


@pytest.mark.parametrize("path", case_files(ROOT / "tests" / "cases" / "parse"), ids=lambda p: p.stem)
def test_every_parse_case_loads_back_the_same(path: Path) -> None:
    # One-sentence numbered paragraphs, signature blocks and the rest read back from the source unchanged.
    booklet = parse(clean(SourceText("raw.txt", read_case(path).input, "utf-8")), Diagnostics())
    assert without_lines(load(dump_source(booklet))) == without_lines(booklet)
