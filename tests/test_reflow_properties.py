"""Reflow properties on generated copy-outs: wrapping a text and cleaning it gives its paragraphs back.

The paragraphs are random Chinese sentences (no numerals, so no line can look like a heading or an
enumeration, and no ASCII, so no other rule applies). They are hard-wrapped the way a PDF copy-out is: every
line full to the same width, broken anywhere except before closing punctuation, paragraphs marked by an
indent or by a clearly short last line; headings (一、…) stand on lines of their own between paragraphs;
folios may stand between pages, also inside a sentence.
"""

from __future__ import annotations

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from publish.clean import clean
from publish.source import SourceText

TITLE = "关于加强基层治理工作的讲话"
_CHARS = (
    "我们要坚持发展建设推进工作服务群众加强基层组织干部改革创新"
    "经济社会治理保障落实责任制度质量水平能力实际深入全面持续稳定提升重要任务"
)
_NO_LINE_START = "，。、；：？！”’）》"
INDENT = "\u3000\u3000"

words = st.text(st.sampled_from(_CHARS), min_size=4, max_size=14)
sentences = st.lists(words, min_size=1, max_size=4).map(lambda parts: "，".join(parts) + "。")
paragraphs = st.lists(sentences, min_size=3, max_size=7).map("".join).filter(lambda p: len(p) >= 45)
texts = st.lists(paragraphs, min_size=4, max_size=8)
headed = st.lists(st.booleans(), min_size=8, max_size=8)  # whether a heading line (一、…) goes before each
_NUMERALS = "一二三四五六七八"


def _clean(text: str) -> list[str]:
    return [line for line in clean(SourceText("input.txt", text, "utf-8")).text.split("\n") if line]


def wrap(paragraph: str, width: int) -> list[str]:
    """Break ``paragraph`` into lines of ``width`` characters, never before a closing mark."""
    lines: list[str] = []
    line = ""
    for char in paragraph:
        if len(line) >= width and char not in _NO_LINE_START:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line] if line else lines


def with_headings(pars: list[str], heads: list[bool]) -> list[tuple[str, str]]:
    """Return (heading or "", paragraph) pairs, the headings numbered 一、 二、 … in order."""
    out: list[tuple[str, str]] = []
    for paragraph, head in zip(pars, heads, strict=False):
        number = _NUMERALS[sum(1 for h, _ in out if h)]
        out.append((f"{number}、{paragraph[:6].rstrip('，。')}" if head else "", paragraph))
    return out


def short_ending(paragraph: str, width: int) -> str:
    """Return ``paragraph`` cut so that its last wrapped line is about a third of ``width``."""
    full = max(1, len(paragraph) // width - 1)
    return paragraph[: full * width + width // 3].rstrip("，。") + "。"


def distinct(lines: list[str]) -> bool:
    """Return whether no line repeats: only running heads repeat in a real copy-out."""
    return len(set(lines)) == len(lines)


def paginate(lines: list[str], page: int) -> list[str]:
    """Insert a folio line (— N —) after every ``page`` lines."""
    out: list[str] = []
    for number, line in enumerate(lines, 1):
        out.append(line)
        if number % page == 0:
            out.append(f"— {number // page} —")
    return out


@settings(max_examples=25, deadline=None)
@given(texts, headed, st.integers(24, 40), st.integers(8, 30))
def test_indented_copy_out_gives_its_paragraphs_back(
    pars: list[str], heads: list[bool], width: int, page: int
) -> None:
    lines, blocks = [TITLE], [TITLE]
    for heading, paragraph in with_headings(pars, heads):
        wrapped = wrap(paragraph, width)
        lines += [*([heading] if heading else []), INDENT + wrapped[0], *wrapped[1:]]
        blocks += [*([heading] if heading else []), paragraph]
    assume(distinct(lines))
    assert _clean("\n".join(paginate(lines, page)) + "\n") == blocks


@settings(max_examples=25, deadline=None)
@given(texts, headed, st.integers(24, 40), st.integers(8, 30))
def test_unindented_copy_out_gives_its_paragraphs_back(
    pars: list[str], heads: list[bool], width: int, page: int
) -> None:
    # without indents a paragraph ends on a clearly short line: only such texts are meaningful
    pars = [short_ending(paragraph, width) for paragraph in pars]
    assume(all(len(wrap(p, width)[-1]) <= 0.6 * width for p in pars))
    lines, blocks = [TITLE], [TITLE]
    for heading, paragraph in with_headings(pars, heads):
        lines += [*([heading] if heading else []), *wrap(paragraph, width)]
        blocks += [*([heading] if heading else []), paragraph]
    assume(distinct(lines))
    # a copy whose full lines mostly end at a sentence end reads like one sentence a line, wrapped or not
    full = [line for line in lines if len(line) == width]
    assume(sum(1 for line in full if line[-1] not in "。！？；") * 2 >= len(full))
    assert _clean("\n".join(paginate(lines, page)) + "\n") == blocks


@settings(max_examples=25, deadline=None)
@given(texts)
def test_unwrapped_text_is_left_as_it_is(pars: list[str]) -> None:
    text = "\n".join([TITLE, *pars]) + "\n"
    cleaned = clean(SourceText("input.txt", text, "utf-8"))
    assert cleaned.text == text and cleaned.changes == ()
