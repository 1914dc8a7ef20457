"""The line breaker: 禁则, 推出, justification to the 版心 edge, Latin words, ——/……, compression, CJK/Latin
spacing."""

from __future__ import annotations

from itertools import pairwise

import pytest

from publish.layout.frame import Run
from publish.layout.linebreak import (
    CLOSE_BEFORE_WORD,
    GB_NO_END,
    NO_END,
    NO_START,
    PAIRED,
    UNIT_AFTER,
    UNIT_BEFORE,
    LineBox,
    break_lines,
    can_break,
    compress_adjacent,
    is_word,
    place,
)
from publish.layout.measure import Measured, Metrics
from publish.layout.titlebreak import balanced_lines
from support.fakefonts import FakeFonts

WIDTH = 442.2  # 版心 width, pt
CELL = WIDTH / 28  # 15.79 pt grid cell
SIZE = 16.0
LEFT = 79.37


def measure(text: str, missing: str = "") -> Measured:
    return Metrics(FakeFonts(missing)).measure([(text, "fangsong", SIZE, CELL)])


def lines_of(text: str, indent: float = 0.0, **options: object) -> list[tuple[str, tuple[Run, ...], LineBox]]:
    m = measure(text)
    if options.get("compress"):
        m = compress_adjacent(m)
    boxes = break_lines(m, WIDTH, first_indent=indent, **options)  # type: ignore[arg-type]
    return [(text[b.start : b.end], place(m, b, LEFT), b) for b in boxes]


def x1(runs: tuple[Run, ...]) -> float:
    return runs[-1].x + runs[-1].width


SAMPLE = (
    "今天能够站在这里，我感到十分荣幸。非常感谢残联机关党委精心组织本次党建工作培训班，为我们提供了一次非常难得的"
    "学习交流机会；也非常感谢各位导师精心授课，让我们学习到了丰富管用的党建知识，这是我们全体学员的共同心声。"
    "这次培训虽然只有短短的3天时间，但学习内容丰富，有理论解读也有业务培训，有领导讲话也有学员发言，有共同研讨"
    "也有个人自学，特别是还组织了现场模拟演示，具有很强的理论性、科学性和可操作性，让我对党建工作有了进一步的认识"
    "和理解，收获颇大，感触颇深。下面，我就从一名党建工作者的角度，就“如何发挥好党建引领作用”，谈一谈个人的粗浅"
    "认识，简单说就是做到“三个坚持”。比如“空谈误国、实干兴邦”、“发扬钉钉子精神”、“抓铁有痕、踏石留印”等。"
)


def test_full_lines_hold_28_cells_and_end_on_the_edge() -> None:
    lines = lines_of(SAMPLE, indent=2 * CELL)
    assert len(lines[0][0]) == 26  # two-cell first-line indent
    for text, runs, _ in lines[:-1]:
        assert x1(runs) == pytest.approx(LEFT + WIDTH, abs=1e-6)
        assert len(text) <= 28
    assert sorted(len(t) for t, _, _ in lines[1:-1])[len(lines) // 2 - 1] == 28  # median 28 per full line
    assert "".join(t for t, _, _ in lines) == SAMPLE


def test_kinsoku_never_violated() -> None:
    text = SAMPLE * 3
    for shift in range(28):  # every alignment of the text against the line ends
        for line, _, _ in lines_of(text, indent=shift * CELL):
            assert line[0] not in NO_START
            assert line[-1] not in NO_END


def test_push_down_before_a_not_at_start_mark() -> None:
    text = "一" * 27 + "二，三四五"  # the comma would be the 29th character
    lines = lines_of(text)
    assert lines[0][0] == "一" * 27  # 推出: 二 goes down with its comma
    assert lines[1][0] == "二，三四五"
    runs = lines[0][1]
    assert x1(runs) == pytest.approx(LEFT + WIDTH, abs=1e-6)  # justified: 27 characters fill the line
    assert runs[0].char_space == pytest.approx(CELL - SIZE + CELL / 26)


def test_push_down_after_a_not_at_end_mark() -> None:
    text = "一" * 27 + "“二三”四"  # the opening quote would end the line
    lines = lines_of(text)
    assert lines[0][0] == "一" * 27
    assert lines[1][0].startswith("“")


def test_closing_marks_in_a_row_push_further() -> None:
    text = "一" * 26 + "二三。”" + "四"  # 。” at cells 29 and 30: 三 goes down with both
    lines = lines_of(text)
    assert lines[0][0] == "一" * 26 + "二"
    assert lines[1][0] == "三。”四"


@pytest.mark.parametrize(
    ("mark", "word"), [("，", "2021年"), ("、", "UOS"), ("。", "ABC"), ("”", "PDF"), ("）", "Q3")]
)
def test_a_closing_mark_keeps_the_latin_word_after_it(mark: str, word: str) -> None:
    # LibreOffice never breaks between them (measured), nor does the plan: the mark's character goes down
    text = "一" * 27 + mark + word + "二" * 5
    lines = [line for line, _, _ in lines_of(text)]
    assert lines[0] == "一" * 26 and lines[1].startswith("一" + mark + word)


@pytest.mark.parametrize("mark", ["：", "！"])
def test_other_marks_may_end_a_line_before_a_latin_word(mark: str) -> None:
    text = "一" * 27 + mark + "ABC" + "二" * 5
    assert lines_of(text)[0][0] == "一" * 27 + mark


@pytest.mark.parametrize("pair", ["——", "……"])
def test_dash_and_ellipsis_are_never_split(pair: str) -> None:
    for k in range(24, 29):
        text = "一" * k + pair + "二" * 10
        for line, _, _ in lines_of(text):
            assert not line.startswith(pair[0])  # not at line start either: the previous character goes down
        joined = [line for line, _, _ in lines_of(text)]
        assert any(pair in line for line in joined)


def test_latin_word_url_and_digits_stay_whole() -> None:
    for word in ("internationalization", "https://example.com/a/b?c=1", "20210701", "85%"):
        for k in range(20, 28):
            text = "一" * k + word + "二" * 30
            lines = [line for line, _, _ in lines_of(text)]
            assert any(word in line for line in lines), (word, k, lines)
            for _, runs, _ in lines_of(text)[:-1]:
                assert x1(runs) == pytest.approx(LEFT + WIDTH, abs=1e-6)


def test_half_width_characters_take_their_own_width_and_line_is_justified() -> None:
    text = "我们党从1921年建立到现在，经历了100年的风风雨雨，从刚成立时仅拥有50多名共产党员的政党。"
    m = measure(text)
    assert m.width[text.index("1")] == pytest.approx(SIZE / 2)
    assert m.width[0] == pytest.approx(CELL)
    lines = lines_of(text)
    first_runs = lines[0][1]
    assert x1(first_runs) == pytest.approx(LEFT + WIDTH, abs=1e-6)
    digits = next(r for r in first_runs if r.text == "1921")
    assert digits.char_space == 0.0  # no letter-spacing inside a number
    for a, b in pairwise(first_runs):
        assert b.x >= a.x + a.width - 1e-6


def test_runs_are_contiguous_and_keep_every_character() -> None:
    text = "中文English混排，URL https://a.b/c 与数字3.14，以及濛字。" * 4
    m = measure(text, missing="濛")
    boxes = break_lines(m, WIDTH)
    out = ""
    for box in boxes:
        runs = place(m, box, LEFT)
        out += "".join(r.text for r in runs)
        for a, b in pairwise(runs):
            assert b.x >= a.x + SIZE / 4  # in order, no overlap
        assert x1(runs) <= LEFT + WIDTH + 1e-6
    assert out == text


def test_missing_glyph_keeps_its_character_in_an_empty_cell() -> None:
    metrics = Metrics(FakeFonts("濛"))
    m = metrics.measure([("濛濛春雨", "fangsong", SIZE, CELL)], line=9)
    assert m.width[0] == pytest.approx(CELL)
    runs = place(m, break_lines(m, WIDTH)[0], LEFT)
    assert runs[0].text == "濛濛" and runs[0].font == ""
    assert runs[1].text == "春雨" and runs[1].font == "fangsong.ttf"
    assert metrics.missing == {"濛": {9}}


def test_word_longer_than_a_line_is_broken_at_the_edge() -> None:
    word = "x" * 200  # 100 pt per 12.5 chars: 1600 pt
    lines = lines_of("前" + word + "后")
    assert "".join(line for line, _, _ in lines) == "前" + word + "后"
    for _, runs, _ in lines:
        assert x1(runs) <= LEFT + WIDTH + 1e-6
    assert len(lines) >= 4


@pytest.mark.parametrize("tail", ["）。下一句。", "；下一句。", "——下一句。", "……下一句。", "/i.html）。"])
@pytest.mark.parametrize("kinsoku", ["basic", "gb"])
def test_kinsoku_holds_where_an_over_long_url_is_split(tail: str, kinsoku: str) -> None:
    # A URL longer than a line must be split, but only where the other 禁则 still hold: the forced break
    # used to fall at the raw edge, leaving ） at a line end and starting the next line with 。, ；, — or /.
    no_end = NO_END | {"/", "／"} if kinsoku == "gb" else NO_END
    for length in range(60, 121):
        path = ("docs/2024/file_" * 10)[:length]
        text = "相关文件（网址：https://www.example.gov.cn/" + path + tail + "其他内容" * 8
        for shift in (0, 2):
            lines = lines_of(text, indent=shift * CELL, kinsoku=kinsoku)
            assert "".join(line for line, _, _ in lines) == text
            for line, runs, _ in lines:
                assert line[0] not in NO_START, (length, shift, line)
                assert line[-1] not in no_end, (length, shift, line)
                assert x1(runs) <= LEFT + WIDTH + 1e-6


def test_long_paragraph_without_punctuation_is_regular() -> None:
    text = "党建引领" * 1250  # 5,000 characters, no punctuation (speed: bench/bench.py, not a timed test)
    lines = lines_of(text, indent=2 * CELL)
    assert len(lines[0][0]) == 26
    assert {len(line) for line, _, _ in lines[1:-1]} == {28}
    assert "".join(line for line, _, _ in lines) == text


def test_compression_pulls_a_mark_in_and_squeezes_adjacent_marks() -> None:
    text = "一二三，" * 7 + "。四五"  # 28 cells, then a full stop
    plain = lines_of(text)
    assert plain[0][0] == text[:26]  # 推出 by default: 三 goes down with ，。
    squeezed = lines_of(text, compress=True)
    assert squeezed[0][0] == text[:29]  # 挤进: the commas give up room and the full stop joins the line
    assert x1(squeezed[0][1]) == pytest.approx(LEFT + WIDTH, abs=1e-6)
    assert lines_of("一" * 28 + "。二三", compress=True)[0][0] == "一" * 27  # no mark to squeeze: 推出
    m = compress_adjacent(measure("好。”你"))
    boxes = break_lines(m, WIDTH, compress=True)
    assert boxes[0].natural == pytest.approx(4 * CELL - SIZE / 2)  # 。” lose half an em between them


def test_compression_squeezes_an_opening_mark_from_the_left() -> None:
    text = "一" * 26 + "，“二”三"
    squeezed = lines_of(text, compress=True)
    assert squeezed[0][1][-1].x + squeezed[0][1][-1].width == pytest.approx(LEFT + WIDTH, abs=1e-6)
    for line, _, _ in squeezed:
        assert line[0] not in NO_START and line[-1] not in NO_END


def test_half_width_punctuation_follows_the_same_rules() -> None:
    text = "一" * 27 + "二),三四五"  # scraped texts mix in ASCII punctuation
    assert lines_of(text)[0][0] == "一" * 27
    text = "一" * 27 + "(二三"
    assert lines_of(text)[0][0] == "一" * 27


def test_gb_level_keeps_a_slash_off_the_line_end() -> None:
    assert can_break("甲／乙", 2)
    assert not can_break("甲／乙", 2, NO_END | frozenset("／"))
    text = "一" * 27 + "／" + "二" * 5
    lines = lines_of(text, kinsoku="gb")
    assert not lines[0][0].endswith("／")


def test_centred_and_right_alignment() -> None:
    m = measure("目录")
    (box,) = break_lines(m, WIDTH, align="center")
    assert box.x == pytest.approx((WIDTH - 2 * CELL) / 2)
    (box,) = break_lines(m, WIDTH, align="right")
    assert box.x + box.natural == pytest.approx(WIDTH)


def test_balanced_title_lines() -> None:
    title = "关于进一步加强新时代基层党组织建设和党员教育管理工作的实施意见"  # 31 cells
    m = Metrics(FakeFonts()).measure([(title, "xiaobiaosong", 22.0, 22.0)])
    boxes = balanced_lines(m, WIDTH)
    assert len(boxes) == 2
    first, second = (b.end - b.start for b in boxes)
    assert first >= second and first - second <= 1  # an even split, the upper line not shorter
    for b in boxes:
        assert b.natural <= WIDTH
        assert title[b.start] not in NO_START
        assert b.x == pytest.approx((WIDTH - b.natural) / 2)


def test_balanced_title_avoids_forbidden_starts() -> None:
    title = "一" * 15 + "，" + "二" * 15  # the even split 15/16 would start the second line with the comma
    m = Metrics(FakeFonts()).measure([(title, "xiaobiaosong", 22.0, 22.0)])
    boxes = balanced_lines(m, WIDTH)
    assert [title[b.start : b.end] for b in boxes] == ["一" * 15 + "，", "二" * 15]


def test_absurdly_long_title_is_still_split() -> None:
    m = Metrics(FakeFonts()).measure([("题" * 3000 + "x" * 500, "xiaobiaosong", 22.0, 22.0)])
    boxes = balanced_lines(m, WIDTH)
    assert boxes[-1].end == len(m.text) and all(b.natural <= WIDTH + 1e-6 for b in boxes)


def spaced(text: str, latin_spacing: float = 0.2) -> Measured:
    return Metrics(FakeFonts(), latin_spacing).measure([(text, "fangsong", SIZE, CELL)])


@pytest.mark.parametrize(
    "text,where",
    [
        ("我们党从1921年建立", [4, 8]),
        ("党组X书记", [2, 3]),
        ("X月X日至X日", [1, 2, 3, 5, 6]),
        ("约ab与α和Ж", [1, 3, 4, 5, 6, 7]),  # Latin, Greek and Cyrillic letters
        ("“2021”年", []),  # quotes are not letters: LibreOffice adds nothing there (measured)
        ("（1）、2，3。", []),
        ("10%的人", []),
        ("党 abc 建", []),  # an existing space is enough
        ("ABC", []),
        ("汉字", []),
    ],
)
def test_latin_spacing_only_between_han_and_latin_letters_or_digits(text: str, where: list[int]) -> None:
    m = spaced(text)
    expected = [SIZE * 0.2 if i in where else 0.0 for i in range(len(text))]
    assert (m.gap or [0.0] * len(text)) == pytest.approx(expected)
    assert measure(text).gap is None  # off by default (latin_spacing 0)


def test_latin_spacing_is_positioning_not_a_character() -> None:
    text = "汉1汉"
    m = spaced(text)
    (box,) = break_lines(m, WIDTH)
    assert box.natural == pytest.approx(2 * CELL + SIZE / 2 + 2 * 3.2)
    runs = place(m, box, LEFT)
    assert "".join(r.text for r in runs) == text  # no space characters inserted
    assert [r.x for r in runs] == pytest.approx([LEFT, LEFT + CELL + 3.2, LEFT + CELL + 3.2 + SIZE / 2 + 3.2])
    assert x1(runs) == pytest.approx(LEFT + box.natural)
    assert m.natural() == pytest.approx(box.natural)


def test_latin_spacing_counts_in_the_line_width_but_not_at_a_line_start() -> None:
    text = "一" * 27 + "a" + "二" * 30  # 27 cells + 8 pt fit 442.2 pt; with 8 pt of space they do not
    assert lines_of(text)[0][0] == "一" * 27 + "a"
    m = spaced(text, 0.5)
    boxes = break_lines(m, WIDTH)
    assert text[boxes[0].start : boxes[0].end] == "一" * 27
    second = boxes[1]
    assert text[second.start] == "a" and second.natural == pytest.approx(SIZE / 2 + 8.0 + 26 * CELL)
    runs = place(m, second, LEFT)
    assert runs[0].x == pytest.approx(LEFT)  # the space before "a" is dropped at the line start


@pytest.mark.parametrize("compress", [False, True])
def test_justified_lines_with_latin_spacing_stay_flush(compress: bool) -> None:
    history = "我们党从1921年建立到现在，经历了100年的风风雨雨。"
    text = SAMPLE.replace("3天", "3天X书记在2021年") * 2 + history * 6
    m = compress_adjacent(spaced(text)) if compress else spaced(text)
    assert m.gap is not None
    boxes = break_lines(m, WIDTH, first_indent=2 * CELL, compress=compress)
    out = ""
    spaced_lines = 0
    for box in boxes:
        runs = place(m, box, LEFT)
        out += "".join(r.text for r in runs)
        if box.end < len(text):
            assert x1(runs) == pytest.approx(LEFT + WIDTH, abs=1e-6)
        if m.gap and any(m.gap[box.start + 1 : box.end]):
            spaced_lines += 1
        for a, b in pairwise(runs):  # (a squeezed mark's run may claim its unsqueezed trailing gap)
            assert b.x >= a.x + a.width - 1e-6 or compress
            assert b.x >= a.x
        assert text[box.start] not in NO_START and text[box.end - 1] not in NO_END
    assert out == text and spaced_lines >= 5


def test_balanced_title_with_latin_spacing() -> None:
    title = "关于2021年度基层党组织建设和党员教育管理工作的实施意见"
    m = Metrics(FakeFonts(), 0.2).measure([(title, "xiaobiaosong", 22.0, 22.0)])
    boxes = balanced_lines(m, WIDTH)
    assert len(boxes) == 2
    assert boxes[0].natural == pytest.approx(m.natural(boxes[0].start, boxes[0].end))
    assert boxes[1].natural == pytest.approx(m.natural(boxes[1].start, boxes[1].end))
    assert m.natural() > sum(m.width) + 2 * 4.4 - 1e-6  # 0.2 em of 22 pt on both sides of 2021


def test_empty_text_gives_no_lines() -> None:
    assert break_lines(measure(""), WIDTH) == []
    assert balanced_lines(measure(""), WIDTH) == []


def test_ideograph_pairs_break_by_every_rule() -> None:
    """``can_break`` answers yes for two ideographs (U+4E00–U+9FFF) before testing its rules: exact, since no
    rule can refuse them (none is in a rule's set, a space, a digit or part of a word)."""
    marks = NO_START | GB_NO_END | PAIRED | CLOSE_BEFORE_WORD | UNIT_AFTER | UNIT_BEFORE
    ideographs = [chr(c) for c in range(0x4E00, 0xA000)]
    assert [c for c in ideographs if c in marks or c.isspace() or c.isdigit() or is_word(c)] == []
    assert can_break("中国", 1) and can_break("中国", 1, GB_NO_END, split_words=True)
