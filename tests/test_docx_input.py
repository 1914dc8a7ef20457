"""Word documents as input: styles, direct formatting, automatic numbering, revisions, tables, images."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publish import model
from publish.clean import clean
from publish.console import ExitStatus
from publish.errors import Diagnostics
from publish.parse import parse
from publish.readers._docx_numbering import format_number
from publish.readers.word_structure import read_docx
from publish.source import SourceText
from support import word_fixtures as fixtures
from support.cli import run


def blocks(booklet: model.Booklet, speech: int = 0) -> list[str]:
    """Return the blocks of one speech as h1: … / p: … lines."""
    return [
        f"h{b.level}: {b.text}" if isinstance(b, model.Heading) else f"p: {b.text}"
        for b in booklet.speeches[speech].blocks
    ]


def test_heading_styles_give_title_and_heading_levels(tmp_path: Path) -> None:
    booklet = read_docx(fixtures.styled(tmp_path / "治理.docx"), Diagnostics())
    assert [s.title for s in booklet.speeches] == [("以实干担当推动基层治理提质增效",)]
    assert booklet.speeches[0].speaker == "（在全市基层治理工作会议上的发言）"
    assert blocks(booklet) == [
        "p: 同志们：今年以来，我们聚焦群众急难愁盼问题，推动基层治理不断取得新成效。",
        "h1: 一、聚焦重点，夯实治理基础",
        "h2: （一）健全网格体系",
        "p: 我们把全街道划分为四十个网格，每个网格配备专职网格员。",
        "h2: 畅通议事渠道",  # no number: the level of its style's rank
        "p: 一是建立居民议事会，二是开通线上意见箱。",
        "h1: 二、聚焦难点，破解治理难题",
        "p: 下一步，我们将持续用力，久久为功。",
    ]


def test_direct_formatting_gives_titles_speaker_and_bold_headings(tmp_path: Path) -> None:
    booklet = read_docx(fixtures.formatted(tmp_path / "作风.docx"), Diagnostics())
    assert [s.title_text for s in booklet.speeches] == [
        "关于深化作风建设的几点思考",
        "持续整治形式主义为基层减负",
    ]
    assert booklet.speeches[0].speaker == "——在机关作风建设推进会上的交流发言"
    # 一、加强学习，提高认识。 reads as a sentence to the text patterns; bold makes it a heading
    assert [line for line in blocks(booklet) if line.startswith("h")] == [
        "h1: 一、加强学习，提高认识。",
        "h1: 二、转变作风，狠抓落实",
    ]
    assert blocks(booklet, 1) == ["p: 基层减负是一项长期任务，必须常抓不懈。"]


ITEMS = [
    (1, 0, "加强组织领导"),
    (1, 1, "健全工作机制"),
    (1, 1, "压实工作责任"),
    (1, 0, "突出工作重点"),
    (1, 1, "发展特色产业"),  # restarts at （一） under a new level-one item
    (1, 2, "培育龙头企业"),
    (1, 3, "加大扶持力度"),
    (0, 0, "这是正文段落，没有编号。"),
    (1, 0, "强化要素保障"),  # the same list continues after a paragraph without numbering
    (2, 0, "重新开始编号"),  # a list instance with startOverride: restarts at 一、
]


def test_automatic_numbering_is_materialised(tmp_path: Path) -> None:
    booklet = read_docx(fixtures.numbered(tmp_path / "振兴.docx", ITEMS), Diagnostics())
    assert blocks(booklet) == [
        "h1: 一、加强组织领导",
        "h2: （一）健全工作机制",
        "h2: （二）压实工作责任",
        "h1: 二、突出工作重点",
        "h2: （一）发展特色产业",
        "h3: 1.培育龙头企业",
        "h4: （1）加大扶持力度",
        "p: 这是正文段落，没有编号。",
        "h1: 三、强化要素保障",
        "h1: 一、重新开始编号",
    ]


def test_chinese_counting_goes_past_ten(tmp_path: Path) -> None:
    items = [(1, 0, f"第{n}项工作") for n in range(1, 13)]
    booklet = read_docx(fixtures.numbered(tmp_path / "多项.docx", items), Diagnostics())
    numbers = [b.text.split("第")[0] for b in booklet.speeches[0].blocks]
    assert numbers[8:] == ["九、", "十、", "十一、", "十二、"]


@pytest.mark.parametrize(
    ("n", "fmt", "text"),
    [
        (1, "chineseCounting", "一"),
        (10, "chineseCounting", "十"),
        (21, "chineseCounting", "二十一"),
        (105, "chineseCounting", "一百零五"),
        (110, "chineseCountingThousand", "一百一十"),
        (3, "chineseLegalSimplified", "叁"),
        (12, "ideographDigital", "一二"),
        (2, "ideographTraditional", "乙"),
        (3, "decimalEnclosedCircle", "③"),
        (4, "lowerLetter", "d"),
        (28, "upperLetter", "BB"),
        (14, "upperRoman", "XIV"),
        (7, "decimalZero", "07"),
        (5, "decimalFullWidth", "５"),
        (9, "somethingNew", "9"),
    ],
)
def test_number_formats(n: int, fmt: str, text: str) -> None:
    assert format_number(n, fmt) == text


def test_revisions_controls_breaks_tables_and_images(tmp_path: Path) -> None:
    path = fixtures.revised(tmp_path / "数字政府.docx")
    diagnostics = Diagnostics()
    booklet = read_docx(path, diagnostics)
    text = "".join(blocks(booklet))
    assert "我们坚持系统谋划、整体推进，让数据多跑路、群众少跑腿。" in text  # insertion in, line break joined
    assert "草率上马" not in text and "页眉" not in text and "单击此处" not in text
    assert "p: 政务服务事项全部实现网上可办。" in blocks(booklet)  # a block-level content control
    assert "p: 我们还打通了数据壁垒。" in blocks(booklet)  # an inline one
    assert blocks(booklet)[3:7] == ["p: 指标", "p: 完成值", "p: 网办率", "p: 百分之九十八"]  # table text kept
    found = {d.code: str(d) for d in diagnostics.items}
    assert re.match(
        r".*数字政府\.docx: paragraph 5: warning: a table \(2 rows\) is kept as paragraphs",
        found["docx-table"],
    )
    assert re.match(r".*数字政府\.docx: paragraph 10: warning: 1 image\(s\) left out", found["docx-image"])


def test_a_plain_document_reads_like_the_same_text_file(tmp_path: Path) -> None:
    lines = [
        "培训班交流发言汇编",
        "提高政治站位",
        "这次培训让我深受教育，收获很大。",
        "一、深化理论武装",
        "我们要原原本本学、逐字逐句悟。",
        "增强斗争本领",
        "本领不是天生的，要在实践中磨砺。",
    ]
    from_docx = read_docx(fixtures.plain(tmp_path / "汇编.docx", lines), Diagnostics())
    from_text = parse(clean(SourceText("汇编.txt", "\n".join(lines) + "\n", "utf-8")), Diagnostics())
    assert model.dump(from_docx) == model.dump(from_text)
    assert [s.title_text for s in from_docx.speeches] == ["提高政治站位", "增强斗争本领"]


def test_findings_name_the_paragraph(tmp_path: Path) -> None:
    path = fixtures.plain(tmp_path / "发言.docx", ["谈谈调查研究", "请X书记审定后印发。", "调研要深入基层。"])
    code, _, err = run("check", str(path))
    assert code == ExitStatus.FINDINGS
    assert re.search(r"发言\.docx: paragraph 2: warning: unfilled placeholder “X书记”", err), err


def test_an_old_word_file_named_docx_is_refused_with_how_to_convert(tmp_path: Path) -> None:
    path = tmp_path / "旧稿.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    code, _, err = run("build", str(path), "-o", str(tmp_path / "out"))
    assert code == ExitStatus.SOURCE and "旧稿.docx" in err and "另存为 .docx" in err
    assert "soffice --headless --convert-to docx 旧稿.docx" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("data", [b"plain text, not a zip", b"PK\x03\x04broken zip"])
def test_a_broken_docx_is_one_line(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "坏.docx"
    path.write_bytes(data)
    code, _, err = run("build", str(path), "-o", str(tmp_path / "out"))
    assert code == ExitStatus.SOURCE and "坏.docx" in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_heading_one_titles_outline_styles_and_style_numbering(tmp_path: Path) -> None:
    diagnostics = Diagnostics()
    booklet = read_docx(fixtures.heading_titles(tmp_path / "宣传.docx"), diagnostics)
    assert [s.title for s in booklet.speeches] == [
        ("守正创新", "奋力开创宣传思想工作新局面"),  # Heading 1 without a number; its line break kept
        ("加强文化建设的几点思考",),
    ]
    assert blocks(booklet) == [
        "p: 宣传思想工作是做人的工作，必须把握好时度效。",
        "h1: 一、坚持正确导向",  # Heading 2 numbered through its style
        "h2: （一）把牢政治方向",  # a custom style with an outline level
        "p: 导向正确是宣传工作的生命线。",
        "h1: 二、创新方式方法",
    ]
    assert [str(d) for d in diagnostics.items] == [
        f"{tmp_path / '宣传.docx'}: paragraph 9: warning: text box “文本框里的说明文字” left out: "
        "the booklet cannot hold images or text boxes yet [docx-image]"
    ]


def test_styles_are_resolved_once_per_document(tmp_path: Path) -> None:
    """python-docx looks a default style up by scanning every style: once per document, not per paragraph."""
    import docx as python_docx

    def lookups(speeches: int) -> int:
        document = python_docx.Document()
        for n in range(speeches):
            document.add_paragraph(f"第{n}篇发言的标题", style="Title")
            document.add_heading("一、提高认识", level=1)
            document.add_paragraph("我们要提高认识，狠抓落实。")
        path = tmp_path / f"{speeches}.docx"
        document.save(str(path))
        calls = {"n": 0}
        original = python_docx.styles.styles.Styles.default

        def counting(self: object, style_type: object) -> object:
            calls["n"] += 1
            return original(self, style_type)  # type: ignore[arg-type]

        python_docx.styles.styles.Styles.default = counting  # type: ignore[method-assign]
        try:
            assert len(read_docx(path, Diagnostics()).speeches) == speeches
        finally:
            python_docx.styles.styles.Styles.default = original  # type: ignore[method-assign]
        return calls["n"]

    assert lookups(20) == lookups(40)  # resolved once per document, not once per paragraph


def test_verbose_lists_a_single_document_with_its_speeches(tmp_path: Path) -> None:
    path = fixtures.formatted(tmp_path / "作风.docx")
    code, _, err = run("build", str(path), "-o", str(tmp_path / "out"), "--format", "pdf", "-v")
    assert code == 0, err
    assert f"  {path} (docx): 2 speech(es): 关于深化作风建设的几点思考; 持续整治形式主义为基层减负" in err
    assert (tmp_path / "out" / "作风.pdf").is_file()


def test_formatting_used_everywhere_singles_nothing_out(tmp_path: Path) -> None:
    """A document set all in bold and centred reads like the same text without formatting."""
    import docx as python_docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    lines = ["谈谈调查研究", "调研要深入基层，摸清实情。", "一、坚持问题导向，聚焦难点。", "要把问题找准。"]
    document = python_docx.Document()
    for line in lines:
        paragraph = document.add_paragraph()
        paragraph.add_run(line).bold = True
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    document.save(str(tmp_path / "全粗.docx"))
    formatted = read_docx(tmp_path / "全粗.docx", Diagnostics())
    plain = read_docx(fixtures.plain(tmp_path / "无格式.docx", lines), Diagnostics())
    assert model.dump(formatted) == model.dump(plain)
    assert blocks(formatted)[1] == "p: 一、坚持问题导向，聚焦难点。"  # a sentence, bold or not


def test_a_collection_in_one_document(tmp_path: Path) -> None:
    booklet = read_docx(fixtures.assembled(tmp_path / "汇编.docx"), Diagnostics())
    assert booklet.title == "2024年度基层党建工作交流材料汇编"
    assert [s.title_text for s in booklet.speeches] == ["抓实支部建设", "做优党员教育"]
    assert blocks(booklet, 1) == [
        "p: 今年以来，我们把党员教育作为重点工作。",
        "h1: 一、党员教育的主要做法",
        "p: 主要做法有三条。",
    ]


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) not installed: apt-get install libreoffice-writer-nogui",
)
def test_documents_saved_again_by_another_word_processor_read_the_same(tmp_path: Path) -> None:
    """LibreOffice writes its own styles, numbering and run XML: the booklet must not change."""
    made = [
        fixtures.styled(tmp_path / "styled.docx"),
        fixtures.formatted(tmp_path / "formatted.docx"),
        fixtures.numbered(tmp_path / "numbered.docx", ITEMS),
        fixtures.heading_titles(tmp_path / "heading.docx"),
    ]
    out = tmp_path / "saved"
    profile = tmp_path / "profile"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            "docx",
            "--outdir",
            str(out),
            *map(str, made),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    for path in made:
        again = out / path.name
        assert model.dump(read_docx(again, Diagnostics())) == model.dump(read_docx(path, Diagnostics())), (
            path.name
        )


PIECES = [
    "加强学习",
    "提高认识",
    "狠抓落实",
    "一、",
    "（一）",
    "1.",
    "一是",
    "同志们：",
    "，",
    "。",
    "！",
    "——",
    "（张三）",
]
STYLES = ["Normal", "Normal", "Normal", "Heading 1", "Heading 2", "Title", "Subtitle"]


def test_a_cover_title_repeated_as_the_speech_title_is_kept_twice(tmp_path: Path) -> None:
    """加强学习 / 加强学习 / 一、: the first is the collection title, the second the speech's (found by the
    property test below); both are printed, on the cover and over the speech."""
    import docx as python_docx

    document = python_docx.Document()
    for text in ("加强学习", "加强学习", "一、"):
        document.add_paragraph(text)
    path = tmp_path / "twice.docx"
    document.save(str(path))
    booklet = read_docx(path, Diagnostics())
    assert booklet.title == "加强学习"
    assert [s.title for s in booklet.speeches] == [("加强学习",)]
    assert [b.text for b in booklet.speeches[0].blocks] == ["一、"]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(PIECES), min_size=1, max_size=6).map("".join),
            st.sampled_from(STYLES),
            st.booleans(),
            st.booleans(),
            st.sampled_from([None, 16.0, 22.0]),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_every_chinese_character_of_any_document_is_kept(
    tmp_path: Path, paragraphs: list[tuple[str, str, bool, bool, float | None]]
) -> None:
    """Whatever the styles and formatting, the booklet holds each 汉字 of the document exactly once."""
    import docx as python_docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    from publish.collection import supplies_title

    document = python_docx.Document()
    for text, style, bold, centre, size in paragraphs:
        paragraph = document.add_paragraph(style=style)
        run = paragraph.add_run(text)
        run.bold = bold or None
        if size:
            run.font.size = Pt(size)
        if centre:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    path = tmp_path / "random.docx"
    document.save(str(path))
    booklet = read_docx(path, Diagnostics())
    kept = "".join("".join(s.title) + s.speaker + "".join(b.text for b in s.blocks) for s in booklet.speeches)
    ideographs = re.compile(r"[\u4e00-\u9fff]")
    given = sorted(ideographs.findall("".join(text for text, *_ in paragraphs)))
    if supplies_title(booklet):
        kept += booklet.title
    elif booklet.title and sorted(ideographs.findall(kept)) != given:
        # a cover title equal to the only speech's title may be the document's own paragraph
        # (加强学习 / 加强学习 / 一、: cover and speech title both set) rather than taken from the speech
        kept += booklet.title
    assert sorted(ideographs.findall(kept)) == given
