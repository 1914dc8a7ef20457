"""publish serve's session: inputs, keeping a removal, structure corrections, cover, style, saving."""

from __future__ import annotations

import contextlib
import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from publish.cli import main
from publish.errors import RenderError
from publish.model import Heading, Paragraph
from publish.serve import edits, input_files
from publish.serve.choices import StyleChoices
from publish.serve.names import safe_stem
from publish.serve.server import Running, prepare
from publish.serve.session import Session, SessionError, StaleError
from publish.serve.view import state
from publish.session import WarmBuilder
from support import word_fixtures

CASES = Path(__file__).parent / "cases" / "serve"
COMMUNITY = (CASES / "community-raw.txt").read_bytes()
RIVER = (CASES / "river-raw.txt").read_bytes()
WATERMARK = "【更多公文素材，微信：abc123】"
FOOTER = "公文写作门户网站，请认准某某平台"


@pytest.fixture
def session(tmp_path: Path) -> Session:
    made = Session(tmp_path / "work", tmp_path / "out")
    made.add("community-raw.txt", COMMUNITY)
    return made


def removal_id(session: Session, removed: str) -> str:
    return next(r.id for rep in session.reports for r in rep.removals if r.removed.strip() == removed)


def test_raw_input_is_cleaned_reported_and_built(session: Session) -> None:
    shown = state(session)
    assert shown["build"]["ok"] and shown["build"]["pages"] >= 4
    removals = {r["removed"].strip(): r["label"] for r in shown["reports"][0]["removals"]}
    assert removals[WATERMARK] == "网站水印"
    assert removals[FOOTER] == "网站页脚"
    assert removals["2篇"] == "标题后的篇数"
    assert WATERMARK not in session.source and FOOTER not in session.source
    titles = [s["title"] for s in shown["structure"]["speeches"]]
    assert titles == [["在社区治理工作座谈会上的发言"], ["以实干笃定前行"]]
    assert shown["structure"]["cover"]["title"] == "关于加强基层治理的交流发言汇编"


def test_keep_puts_an_inline_removal_back_where_it_was(session: Session) -> None:
    session.keep(removal_id(session, WATERMARK))
    assert f"交流社区治理的做法和体会。{WATERMARK}\n" in session.source
    booklet = edits.load(session.source)
    assert booklet.speeches[0].blocks[1].text.endswith(WATERMARK)
    # the choice is in the source, so it survives later edits and rebuilds
    session.edit(edits.Edit("level", 0, 2, 2))
    session.cover({"title": "新的封面标题"})
    assert WATERMARK in session.source and session.error == ""
    with pytest.raises(SessionError, match="已经保留"):
        session.keep(removal_id(session, WATERMARK))


def test_keep_a_removed_whole_line_and_the_title_suffix(session: Session) -> None:
    session.keep(removal_id(session, FOOTER))
    assert session.source.rstrip().endswith(f"一件一件办好身边事。\n\n{FOOTER}")
    session.keep(removal_id(session, "2篇"))
    assert edits.load(session.source).title == "关于加强基层治理的交流发言汇编 2篇"


def test_keep_refuses_when_the_place_is_gone(session: Session) -> None:
    session.source = session.source.replace("交流社区治理的做法和体会。", "交流做法。")
    with pytest.raises(SessionError, match="找不到"):
        session.keep(removal_id(session, WATERMARK))


def test_replacements_and_blank_removals_are_not_offered(session: Session) -> None:
    for report in session.reports:
        for removal in report.removals:
            if removal.inserted or not removal.removed.strip():
                assert not removal.keepable
                with pytest.raises(SessionError):
                    session.keep(removal.id)


def test_heading_level_paragraph_and_back(session: Session) -> None:
    session.edit(edits.Edit("level", 0, 2, 3))
    assert "\n#### 一、抓好网格管理\n" in session.source
    session.edit(edits.Edit("level", 0, 2, 0))
    block = edits.load(session.source).speeches[0].blocks[2]
    assert isinstance(block, Paragraph) and block.text == "一、抓好网格管理"
    session.edit(edits.Edit("level", 0, 2, 1))
    assert edits.load(session.source).speeches[0].blocks[2] == Heading(1, "一、抓好网格管理", block.line)
    with pytest.raises(SessionError):
        session.edit(edits.Edit("level", 0, 2, 5))


def test_merge_and_split_speeches(session: Session) -> None:
    session.edit(edits.Edit("merge", 1))
    merged = edits.load(session.source)
    assert len(merged.speeches) == 1
    texts = [b.text for b in merged.speeches[0].blocks]
    assert texts[-3:] == ["以实干笃定前行", "各位领导、同志们：", texts[-1]]
    index = texts.index("以实干笃定前行")
    session.edit(edits.Edit("split", 0, index))
    split = edits.load(session.source)
    assert [s.title for s in split.speeches] == [("在社区治理工作座谈会上的发言",), ("以实干笃定前行",)]
    with pytest.raises(SessionError, match="第一篇"):
        session.edit(edits.Edit("merge", 0))


def test_title_line_and_speaker(session: Session) -> None:
    session.edit(edits.Edit("speaker", 1, 0))
    assert edits.load(session.source).speeches[1].speaker == "各位领导、同志们："
    assert "\n# 以实干笃定前行\n> 各位领导、同志们：\n" in session.source
    with pytest.raises(SessionError):
        session.edit(edits.Edit("title-line", 1, 0))  # a speaker stands between
    session.edit(edits.Edit("title-line", 0, 0))
    assert edits.load(session.source).speeches[0].title == ("在社区治理工作座谈会上的发言", "同志们：")
    with pytest.raises(SessionError):
        session.edit(edits.Edit("speaker", 0, 3))  # only the first block


def test_cover_fields(session: Session) -> None:
    session.cover(
        {"title": "二〇二四年培训班\n交流材料", "organisation": "某某街道党工委", "date": "2024年3月1日"}
    )
    booklet = edits.load(session.source)
    assert (booklet.title, booklet.organisation, booklet.date) == (
        "二〇二四年培训班 交流材料",
        "某某街道党工委",
        "2024年3月1日",
    )
    for bad in ({"title": ""}, {"colour": "红"}):
        with pytest.raises(SessionError):
            session.cover(bad)


def test_stale_revision_is_refused(session: Session) -> None:
    old = session.rev
    session.edit(edits.Edit("level", 0, 2, 2), old)
    with pytest.raises(StaleError):
        session.edit(edits.Edit("level", 0, 2, 3), old)


def test_second_input_appends_its_speeches(session: Session) -> None:
    session.edit(edits.Edit("level", 0, 2, 2))
    session.add("river-raw.txt", RIVER)
    booklet = edits.load(session.source)
    assert [s.title[0] for s in booklet.speeches][-1] == "守护一江清水的几点体会"
    assert booklet.title == "关于加强基层治理的交流发言汇编"  # the first input's cover
    assert isinstance(booklet.speeches[0].blocks[2], Heading) and booklet.speeches[0].blocks[2].level == 2
    assert any("河湖长制工作交流材料" in note for note in session.notes)
    assert [r.id.split(".")[0] for r in session.reports[1].removals] == ["1"] * len(
        session.reports[1].removals
    )


def test_inputs_that_cannot_be_read(tmp_path: Path) -> None:
    made = Session(tmp_path / "work", tmp_path / "out")
    with pytest.raises(SessionError, match="不支持"):
        made.add("notes.xyz", b"text")
    with pytest.raises(SessionError, match="另存为"):
        made.add("notes.doc", b"\xd0\xcf\x11\xe0")
    with pytest.raises(SessionError, match="文件无法读取"):
        made.add("x.txt", b"\x00\x01\x02binary")
    with pytest.raises(SessionError, match="请先添加"):
        made.edit(edits.Edit("merge", 1))
    assert made.source == "" and made.inputs == []


def test_style_choices_are_a_style_file_over_the_users_own(tmp_path: Path) -> None:
    base = tmp_path / "style.toml"
    base.write_text('latin_spacing = 0.0\n[toc]\nleader = "·"\n', encoding="utf-8")
    made = Session(tmp_path / "work", tmp_path / "out", base_style=base)
    made.add("community-raw.txt", COMMUNITY)
    made.set_style(
        StyleChoices(
            recto=True, toc_depth=2, compress_punctuation=True, docx_fonts="portable", toc_speaker=True
        )
    )
    style = made.style_path()
    assert style is not None
    data = tomllib.loads(style.read_text(encoding="utf-8"))
    assert data == {
        "latin_spacing": 0.0,
        "toc": {"leader": "·", "depth": 2, "speaker": True},
        "recto": True,
        "compress_punctuation": True,
    }
    assert made.command() == "publish build community.md --style community.style.toml --docx-fonts portable"
    with pytest.raises(SessionError):
        made.set_style(StyleChoices(toc_depth=7))


def test_default_style_writes_no_style_file(session: Session) -> None:
    assert session.style_path() is None
    assert session.command() == "publish build community.md"


def test_failed_rebuild_keeps_the_last_good_build(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    good = session.good
    assert good is not None
    pdf = session.output("pdf").read_bytes()

    def broken(*args: object, **kwargs: object) -> None:
        raise RenderError("disk full")

    monkeypatch.setattr(WarmBuilder, "build", broken)
    session.cover({"title": "改了以后排版失败"})
    assert session.good == good and session.error.startswith("无法写出文件")

    def buggy(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(WarmBuilder, "build", buggy)
    session.cover({"title": "再改一次"})
    assert session.good == good and session.error.startswith("内部错误")
    assert session.output("pdf").read_bytes() == pdf
    assert session.page_image(1, "thumb")[:8] == b"\x89PNG\r\n\x1a\n"
    with pytest.raises(SessionError, match="不能保存"):
        session.save()


def test_save_writes_next_to_the_inputs_and_matches_the_cli(tmp_path: Path) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    source = folder / "booklet.md"
    made = Session(tmp_path / "work", folder, opened=(source,))
    made.add("community-raw.txt", COMMUNITY)
    source.write_text(made.source, encoding="utf-8")
    made.name = "booklet"
    made.cover({"subtitle": "第二期"})
    made.keep(removal_id(made, WATERMARK))
    written = made.save()
    names = sorted(p.name for p in written)
    assert names == [
        "booklet-edited-imposed.pdf",
        "booklet-edited.docx",
        "booklet-edited.md",
        "booklet-edited.pdf",
    ]
    assert "第二期" not in source.read_text(encoding="utf-8")  # the input is never overwritten
    saved = folder / "booklet-edited.md"
    assert WATERMARK in saved.read_text(encoding="utf-8")
    assert main(["build", str(saved), "-o", str(tmp_path / "cli"), "-q"]) == 0
    for suffix in (".pdf", ".docx"):
        assert (tmp_path / "cli" / f"booklet-edited{suffix}").read_bytes() == (
            folder / f"booklet-edited{suffix}"
        ).read_bytes()


def test_previews_are_png_pages_of_the_last_build(session: Session) -> None:
    thumb, large = session.page_image(1, "thumb"), session.page_image(1, "large")
    assert thumb[:4] == large[:4] == b"\x89PNG" and len(large) > len(thumb)
    for page, size in ((0, "thumb"), (999, "thumb"), (1, "huge")):
        with pytest.raises(SessionError):
            session.page_image(page, size)
    assert session.output("imposed").read_bytes()[:5] == b"%PDF-"


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("speeches-raw.txt", "speeches"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\张三\\发言稿.docx", "发言稿"),
        ("..", "booklet"),
        (".hidden.txt", "hidden"),
        ("a/b/c:d*e?.txt", "c_d_e"),
        ("", "booklet"),
    ],
)
def test_safe_stem(name: str, stem: str) -> None:
    assert safe_stem(name) == stem


def test_input_files_of_a_folder_in_natural_order(tmp_path: Path) -> None:
    for name in ("10-b.txt", "2-a.txt", "~$tmp.docx", ".hidden.txt", "style.toml"):
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [p.name for p in input_files([tmp_path])] == ["2-a.txt", "10-b.txt"]
    with pytest.raises(SessionError):
        input_files([tmp_path / "missing"])
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(SessionError, match="docx"):
        input_files([tmp_path])


def test_pdf_input_goes_through_cleaning_and_the_report(session: Session, tmp_path: Path) -> None:
    assert (
        main(["build", str(CASES / "river-raw.txt"), "-o", str(tmp_path / "pdf"), "--format", "pdf", "-q"])
        == 0
    )
    session.add("河湖长制.pdf", (tmp_path / "pdf" / "river.pdf").read_bytes())
    titles = [s.title_text for s in edits.load(session.source).speeches]
    assert "守护一江清水的几点体会" in titles
    assert session.inputs[-1] == "河湖长制.pdf" and session.reports[-1].name == "河湖长制.pdf"
    assert session.good is not None and session.good.rev == session.rev


def test_cli_serve_refuses_a_missing_input_and_a_taken_port(tmp_path: Path) -> None:
    import io
    import socket

    err = io.StringIO()
    assert main(["serve", str(tmp_path / "missing.txt"), "--no-browser"], io.StringIO(), err) == 1
    assert "missing.txt" in err.getvalue() and "Traceback" not in err.getvalue()
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        err = io.StringIO()
        status = main(
            ["serve", str(CASES / "river-raw.txt"), "--port", str(port), "--no-browser"], io.StringIO(), err
        )
        assert status == 1 and f"127.0.0.1:{port}" in err.getvalue()


def test_docx_input_has_its_report_by_paragraph_and_keep(session: Session, tmp_path: Path) -> None:
    lines = [
        "推进乡村振兴的几点做法",
        "各位同志：",
        f"我们坚持因地制宜发展特色产业。{WATERMARK}",
        "谢谢大家。",
    ]
    path = word_fixtures.plain(tmp_path / "振兴.docx", lines)
    session.add("振兴.docx", path.read_bytes())
    report = session.reports[-1]
    assert report.name == "振兴.docx" and report.unit == "段"
    removal = next(r for r in report.removals if r.removed == WATERMARK)
    assert removal.line == 3  # the paragraph number
    assert "推进乡村振兴的几点做法" in [s.title_text for s in edits.load(session.source).speeches]
    session.keep(removal.id)
    assert f"我们坚持因地制宜发展特色产业。{WATERMARK}\n" in session.source


def test_docx_structure_from_word_styles(session: Session, tmp_path: Path) -> None:
    path = word_fixtures.styled(tmp_path / "治理.docx")
    session.add("治理.docx", path.read_bytes())
    speech = edits.load(session.source).speeches[-1]
    assert speech.title == ("以实干担当推动基层治理提质增效",)
    levels = [(b.level, b.text) for b in speech.blocks if isinstance(b, Heading)]
    assert levels[:2] == [(1, "一、聚焦重点，夯实治理基础"), (2, "（一）健全网格体系")]
    assert session.good is not None and session.good.rev == session.rev


def test_errors_read_in_plain_chinese_with_the_original(tmp_path: Path) -> None:
    made = Session(tmp_path / "work", tmp_path / "out")
    with pytest.raises(SessionError) as caught:
        made.add("扫描件.pdf", b"%PDF-1.4\n%%EOF\n")
    assert str(caught.value).startswith("文件无法读取：这个 PDF 文件已损坏或不是 PDF（")
    with pytest.raises(SessionError) as caught:
        made.add("空.txt", b"   \n")
    assert (
        str(caught.value) == "文件无法读取：文件是空的（空.txt: file is empty or contains only whitespace）"
    )


def test_findings_point_at_their_block(session: Session) -> None:
    text = RIVER.decode().replace("一、压实河长责任", "三、压实河长责任").replace("乡镇党委书记", "X书记")
    session.add("river-raw.txt", text.encode())
    findings = state(session)["build"]["findings"]
    gap = next(f for f in findings if f["code"] == "heading-gap")
    assert gap["label"] == "标题序号不连续" and gap["message"] == "标题序号从 三、 开始"
    placeholder = next(f for f in findings if f["code"] == "placeholder")
    assert placeholder["message"] == "“X书记” 还没有填写（请填上名字或日期）"
    speech = edits.load(session.source).speeches[gap["speech"]]
    assert speech.blocks[gap["block"]].text == "三、压实河长责任"


def test_serve_opens_the_inputs_and_the_browser_on_its_address(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The whole of ``publish serve``: inputs from the folder, its manifest's cover, the address printed and
    opened, the page answering on it; with the default port taken it takes a free one."""
    import io
    import socket
    import threading
    import urllib.request

    from publish import serve as serve_package

    folder = tmp_path / "发言"
    folder.mkdir()
    (folder / "1-community-raw.txt").write_bytes(COMMUNITY)
    (folder / "2-river-raw.txt").write_bytes(RIVER)
    manifest = 'title = "基层工作交流材料汇编"\n[[file]]\nname = "2-river-raw.txt"\nspeaker = "李四"\n'
    (folder / "booklet.toml").write_text(manifest, encoding="utf-8")
    opened: list[str] = []
    servers: list[Running] = []

    def recording(*args: Any, **kwargs: Any) -> Running:
        running = prepare(*args, **kwargs)  # the real one, recorded
        servers.append(running)
        return running

    monkeypatch.setattr(serve_package, "prepare", recording)
    monkeypatch.setattr(serve_package, "open_browser", opened.append)
    out = io.StringIO()
    with socket.socket() as taken:
        with contextlib.suppress(OSError):  # already in use by something else: taken all the same
            taken.bind(("127.0.0.1", serve_package.DEFAULT_PORT))
            taken.listen(1)
        worker = threading.Thread(target=main, args=(["serve", str(folder)], out, io.StringIO()), daemon=True)
        worker.start()
        for _ in range(600):
            if opened:
                break
            worker.join(0.05)
    assert opened and opened[0].startswith("http://127.0.0.1:") and "?token=" in opened[0]
    assert f":{serve_package.DEFAULT_PORT}/" not in opened[0]  # taken: another port
    assert opened[0] in out.getvalue() and str(folder) in out.getvalue()
    with urllib.request.urlopen(opened[0].replace("/?", "/api/state?"), timeout=10) as response:
        shown = json.loads(response.read())
    assert shown["inputs"] == ["2-river-raw.txt", "1-community-raw.txt"]  # the manifest's order
    assert shown["structure"]["cover"]["title"] == "基层工作交流材料汇编"
    assert shown["structure"]["speeches"][0]["speaker"] == "李四"
    assert shown["out_dir"] == str(folder) and shown["name"] == "发言"
    assert [r["name"] for r in shown["reports"]] == shown["inputs"]
    # the page's first build is the command line's build of the folder, byte for byte
    assert main(["build", str(folder), "-o", str(tmp_path / "cli"), "-q"]) == 0
    for suffix in (".pdf", ".docx"):
        page = urllib.request.urlopen(opened[0].replace("/?", f"/api/download/{suffix[1:]}?"), timeout=10)
        with page:
            assert page.read() == (tmp_path / "cli" / f"发言{suffix}").read_bytes()
    servers[0].stop()
    worker.join(10)
    assert not worker.is_alive()
