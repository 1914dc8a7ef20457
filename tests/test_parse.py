"""Structure: golden cases per form, the seed's three speeches, line numbers, and encodings agreeing."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from publish.clean import clean
from publish.errors import Diagnostics, ParseError
from publish.model import Booklet, Heading, Paragraph, dump
from publish.parse import classify, paragraph, parse
from publish.source import SourceText, read_source
from support.golden import case_files, check_case, read_case

CASES = Path(__file__).parent / "cases" / "parse"
SEED = Path(__file__).parents[1] / "content" / "speeches-raw.txt"
DIAGNOSTICS = "# --- diagnostics ---\n"


def build(text: str, path: str = "input.txt") -> tuple[Booklet, Diagnostics]:
    diagnostics = Diagnostics()
    return parse(clean(SourceText(path, text, "utf-8")), diagnostics), diagnostics


def render(text: str) -> str:
    """Return what a parse case file expects: the model dump, then any diagnostics."""
    booklet, diagnostics = build(text)
    found = "".join(f"{item}\n" for item in diagnostics.items)
    return dump(booklet) + (DIAGNOSTICS + found if found else "")


@pytest.mark.parametrize("path", case_files(CASES), ids=lambda p: p.stem)
def test_case(path: Path, update_golden: bool) -> None:
    # A case flagged text-only expects the model dump alone, whatever diagnostics the parse gives.
    case = read_case(path)
    actual = render(case.input)
    check_case(case, actual.partition(DIAGNOSTICS)[0] if "text-only" in case.flags else actual, update_golden)


def test_seed_has_three_speeches_and_five_headings() -> None:
    booklet, diagnostics = build(SEED.read_text(encoding="utf-8"))
    assert booklet.title == "残联党务干部培训班上的交流发言稿"
    assert [s.title for s in booklet.speeches] == [
        ("如何发挥好党建引领作用",),
        ("深刻理解全面从严治党", "以新时代党建工作引领残疾人事业新发展"),
        ("市残联党务干部培训班学习交流发言",),
    ]
    headings = [
        (n, b.level, b.text[:3])
        for n, s in enumerate(booklet.speeches)
        for b in s.blocks
        if b.__class__ is Heading
    ]
    assert headings == [
        (1, 1, "第一，"),
        (1, 1, "第二，"),
        (2, 1, "一、三"),
        (2, 1, "二、三"),
        (2, 1, "三、三"),
    ]
    # the run-in 一是…/二是…/三是… paragraphs lead with their first sentence; no other paragraph has a lead
    for speech in booklet.speeches:
        for b in speech.blocks:
            if isinstance(b, Paragraph):
                run_in = b.text.startswith(("一是", "二是", "三是"))
                assert b.lead == (b.text.index("。") + 1 if run_in else 0), b.text[:20]
    assert diagnostics.items == []


def test_seed_keeps_every_character_in_order() -> None:
    cleaned = clean(read_source(SEED))
    booklet = parse(cleaned, Diagnostics())
    pieces = [booklet.title]
    for speech in booklet.speeches:
        pieces += [*speech.title, speech.speaker, *(block.text for block in speech.blocks)]
    assert "".join(pieces) == re.sub(r"\s", "", cleaned.text)


def test_seed_line_numbers_are_original_lines() -> None:
    booklet, _ = build(SEED.read_text(encoding="utf-8"))
    original = SEED.read_text(encoding="utf-8").split("\n")
    assert [s.line for s in booklet.speeches] == [2, 8, 18]
    for speech in booklet.speeches:
        for block in speech.blocks:
            assert block.text[:5] in original[block.line - 1], block


def test_gb18030_crlf_and_full_width_indents_give_the_same_booklet(tmp_path: Path) -> None:
    text = SEED.read_text(encoding="utf-8")
    indented = "\r\n".join("\u3000\u3000" + line if line else line for line in text.split("\n"))
    variant = tmp_path / "gb.txt"
    variant.write_bytes(indented.encode("gb18030"))
    src = read_source(variant)
    assert src.encoding == "gb18030"
    assert dump(parse(clean(src), Diagnostics())) == dump(build(text)[0])


def test_numbered_heading_never_swallows_the_paragraph() -> None:
    block = classify("（一）加强学习。正文……", 7)
    assert block == Paragraph("（一）加强学习。正文……", lead=8, lead_level=2, line=7)
    assert classify("（一）加强学习") == Heading(2, "（一）加强学习")
    assert classify("第一，加强学习。") == Paragraph("第一，加强学习。", lead=8, lead_level=0)


def test_enumeration_lead_is_the_first_sentence() -> None:
    assert paragraph("一是坚持系统思维。党建工作是一个系统性工程。").lead == len("一是坚持系统思维。")
    assert paragraph("二是没有句号").lead == 0
    assert paragraph("普通段落。").lead == 0


def test_nothing_left_after_cleaning_is_an_error() -> None:
    with pytest.raises(ParseError, match="no text left"):
        build("【更多公文素材，微信：dadawk01】\n##paidend##\n")


def test_a_cover_page_gives_the_cover_fields() -> None:
    # A PDF booklet read back: its first page holds only the cover's lines, the speeches follow.
    text = (
        "关于加强基层治理\n的交流发言汇编\n——2024年度汇编\n市委组织部\n2024年5月6日\n\f\n"
        "在社区治理工作座谈会上的发言\n同志们：\n今天我们召开座谈会，交流做法和体会。\n"
    )
    booklet = parse(clean(SourceText("a.pdf", text, "pdf")), Diagnostics())
    assert booklet.title == "关于加强基层治理\n的交流发言汇编"
    assert (booklet.subtitle, booklet.organisation, booklet.date) == (
        "——2024年度汇编",
        "市委组织部",
        "2024年5月6日",
    )
    assert [s.title for s in booklet.speeches] == [("在社区治理工作座谈会上的发言",)]
    # without the page break the same lines are a collection title and a speech (no cover page)
    flat = parse(clean(SourceText("a.txt", text.replace("\f\n", ""), "utf-8")), Diagnostics())
    assert flat.title == "关于加强基层治理" and flat.subtitle == ""
