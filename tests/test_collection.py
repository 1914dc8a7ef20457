"""Many inputs, one booklet: folders in natural order, booklet.toml, import of a folder, -v, check, watch."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest

from publish import model
from publish.collection import expand, natural_key
from publish.console import Console, ExitStatus
from publish.errors import Diagnostics
from publish.pipeline import BuildOptions, layout, watched_files
from support import pdf_fixtures, word_fixtures
from support.cli import run

SPEECH = """{title}
同志们：{topic}工作关系全局，我结合自身岗位谈几点体会。
一、提高{topic}的站位
我们要把{topic}放在突出位置，做到思想上重视、行动上落实。
二、压实{topic}的责任
{topic}不是一个部门的事，各单位要各负其责、协同推进。
以上是我的一点体会，不妥之处请批评指正。
"""


def speech(title: str, speaker: str, topic: str) -> str:
    """Return a speech as raw text, ``speaker`` named in its greeting."""
    return SPEECH.format(title=title, topic=topic).replace("同志们：", f"同志们：我是{speaker}。")


def folder_of_speeches(root: Path) -> Path:
    """Write a folder of three text speeches whose names sort differently as text and as numbers."""
    folder = root / "青年干部培训班"
    folder.mkdir()
    (folder / "10-王五.txt").write_text(speech("谈谈基层治理", "王五", "基层治理"), encoding="utf-8")
    (folder / "2-李四.txt").write_text(speech("谈谈安全生产", "李四", "安全生产"), encoding="utf-8")
    (folder / "1-张三.txt").write_text(speech("谈谈作风建设", "张三", "作风建设"), encoding="utf-8")
    return folder


def titles(booklet: model.Booklet) -> list[str]:
    return [speech.title_text for speech in booklet.speeches]


def test_natural_order_compares_numbers_as_numbers() -> None:
    names = ["10-a.txt", "2-b.txt", "1-c.txt", "B.txt", "a.txt", "第3篇.txt", "第12篇.txt"]
    assert sorted(names, key=natural_key) == [
        "1-c.txt", "2-b.txt", "10-a.txt", "a.txt", "B.txt", "第3篇.txt", "第12篇.txt"
    ]  # fmt: skip


def test_folder_skips_hidden_temporary_and_other_files(tmp_path: Path) -> None:
    folder = folder_of_speeches(tmp_path)
    for name in (".隐藏.txt", "~$1-张三.docx", "2-李四.txt~", "#草稿.txt#", "备份.tmp", "照片.png"):
        (folder / name).write_bytes(b"\x00junk")
    files, folders, skipped = expand([folder])
    assert [f.name for f in files] == ["1-张三.txt", "2-李四.txt", "10-王五.txt"]
    assert folders == [folder] and [s.name for s in skipped] == ["照片.png"]


@pytest.mark.parametrize("name", ["旧稿.doc", "金山.wps", "文档.odt"])
def test_word_formats_we_cannot_read_are_refused_with_how_to_convert(tmp_path: Path, name: str) -> None:
    folder = folder_of_speeches(tmp_path)
    (folder / name).write_bytes(b"\xd0\xcf\x11\xe0 not really a document")
    code, _, err = run("build", str(folder), "-o", str(tmp_path / "out"))
    assert code == ExitStatus.SOURCE and name in err
    assert "另存为 .docx" in err and f"soffice --headless --convert-to docx {name}" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_folder_builds_one_booklet_in_natural_order(tmp_path: Path) -> None:
    folder = folder_of_speeches(tmp_path)
    code, out, err = run("build", str(folder), "-o", str(tmp_path / "out"), "--format", "pdf")
    assert code == ExitStatus.OK, err
    assert (tmp_path / "out" / "青年干部培训班.pdf").is_file()
    assert "3 speeches" in out
    booklet, _, _, plan = layout(folder, BuildOptions(), Diagnostics())
    assert booklet.title == "青年干部培训班"  # no file has a collection title: the folder's name
    assert titles(booklet) == ["谈谈作风建设", "谈谈安全生产", "谈谈基层治理"]
    headings = [b.text for s in booklet.speeches for b in s.blocks if isinstance(b, model.Heading)]
    topics = ("作风建设", "安全生产", "基层治理")
    parts = (("一、", "提高", "站位"), ("二、", "压实", "责任"))
    assert headings == [f"{n}{verb}{topic}的{what}" for topic in topics for n, verb, what in parts]
    entries = [e for e in plan.outline if e.level == 1]
    assert [e.text for e in entries] == titles(booklet)
    assert [plan.pages[e.page_index].number for e in entries] == [e.page_number for e in entries]
    numbers = [e.page_number for e in entries]
    assert numbers == sorted(numbers) and len(set(numbers)) == 3  # each speech starts a page of its own


def test_no_character_of_the_inputs_is_lost(tmp_path: Path) -> None:
    folder = folder_of_speeches(tmp_path)
    booklet, *_ = layout(folder, BuildOptions(), Diagnostics())
    given = "".join(
        p.read_text(encoding="utf-8") for p in sorted(folder.iterdir(), key=lambda p: natural_key(p.name))
    )
    kept = "".join(
        "".join(s.title) + s.speaker + "".join(b.text for b in s.blocks) for s in booklet.speeches
    )  # fmt: skip
    assert re.sub(r"\s", "", given) == kept


def test_several_paths_make_one_booklet(tmp_path: Path) -> None:
    folder = folder_of_speeches(tmp_path)
    extra = tmp_path / "补充.txt"
    extra.write_text(speech("谈谈乡村振兴", "赵六", "乡村振兴"), encoding="utf-8")
    booklet, *_ = layout([extra, folder], BuildOptions(), Diagnostics())
    assert titles(booklet) == ["谈谈乡村振兴", "谈谈作风建设", "谈谈安全生产", "谈谈基层治理"]
    assert booklet.title == "青年干部培训班"


def test_a_file_with_a_collection_title_gives_the_cover(tmp_path: Path) -> None:
    folder = folder_of_speeches(tmp_path)
    (folder / "0-汇编.md").write_text(
        '+++\ntitle = "培训班交流发言汇编"\norganisation = "市委组织部"\n+++\n\n'
        "# 开班致辞\n\n欢迎各位学员。\n",
        encoding="utf-8",
    )
    booklet, *_ = layout(folder, BuildOptions(), Diagnostics())
    assert booklet.title == "培训班交流发言汇编" and booklet.organisation == "市委组织部"
    assert titles(booklet)[0] == "开班致辞" and len(booklet.speeches) == 4


MANIFEST = """title = "2024年青年干部培训班交流发言汇编"
organisation = "市委组织部"
date = 2024-06-28

[[file]]
name = "10-王五.txt"
speaker = "王五"
date = 2024-06-20

[[file]]
name = "1-张三.txt"
title = "在作风建设座谈会上的\\n交流发言"
"""


def test_the_manifest_gives_cover_order_and_overrides(tmp_path: Path) -> None:
    folder = folder_of_speeches(tmp_path)
    (folder / "booklet.toml").write_text(MANIFEST, encoding="utf-8")
    diagnostics = Diagnostics()
    booklet, *_ = layout(folder, BuildOptions(), diagnostics)
    assert booklet.title == "2024年青年干部培训班交流发言汇编"
    assert booklet.organisation == "市委组织部" and booklet.date == "2024年6月28日"
    assert [s.title for s in booklet.speeches] == [
        ("谈谈基层治理",), ("在作风建设座谈会上的", "交流发言"), ("谈谈安全生产",)
    ]  # fmt: skip
    assert booklet.speeches[0].speaker == "王五（2024年6月20日）"
    unlisted = [d for d in diagnostics.items if d.code == "manifest-unlisted"]
    assert len(unlisted) == 1 and "2-李四.txt" in unlisted[0].message


def test_manifest_given_on_the_command_line(tmp_path: Path) -> None:
    folder = folder_of_speeches(tmp_path)
    manifest = tmp_path / "house.toml"
    manifest.write_text('title = "另一个封面"\n', encoding="utf-8")
    (folder / "booklet.toml").write_text('title = "不用这个"\n', encoding="utf-8")
    code, out, err = run("import", "--manifest", str(manifest), str(folder))
    assert code == 0, err
    assert 'title = "另一个封面"' in out


@pytest.mark.parametrize(
    ("text", "needles"),
    [
        ('title = "汇编"\ncolour = "red"\n', ["booklet.toml:2", "'colour'", "allowed: title"]),
        ('[[file]]\nname = "1-张三.txt"\nauthor = "张三"\n', ["booklet.toml:3", "'author'", "speaker"]),
        ('[[file]]\nname = "9-缺席.txt"\n', ["booklet.toml:1", "9-缺席.txt", "does not exist"]),
        ("title = 3\n", ["booklet.toml:1", "'title' must be a string"]),
        ('title = "未闭合\n', ["booklet.toml:1", "bad manifest"]),
    ],
)
def test_manifest_errors_name_the_key_or_file(tmp_path: Path, text: str, needles: list[str]) -> None:
    folder = folder_of_speeches(tmp_path)
    (folder / "booklet.toml").write_text(text, encoding="utf-8")
    code, _, err = run("build", str(folder), "-o", str(tmp_path / "out"))
    assert code == ExitStatus.SOURCE, err
    assert all(needle in err for needle in needles), err
    assert len(err.strip().splitlines()) == 1 and not (tmp_path / "out").exists()


def test_verbose_lists_every_input_with_its_speeches(tmp_path: Path) -> None:
    folder = folder_of_speeches(tmp_path)
    (folder / "说明.xlsx").write_bytes(b"PK")
    (folder / "旧稿").mkdir()
    code, _, err = run("build", str(folder), "-o", str(tmp_path / "out"), "--format", "pdf", "-v")
    assert code == 0, err
    listed = [line for line in err.splitlines() if line.startswith("  ")]
    assert [Path(line.split(" (")[0].strip()).name for line in listed[:3]] == [
        "1-张三.txt", "2-李四.txt", "10-王五.txt"
    ]  # fmt: skip
    assert "谈谈安全生产" in listed[1] and "1 speech" in listed[1]
    assert "说明.xlsx: skipped" in err and "旧稿: skipped (a folder: subfolders are not read)" in err


def test_check_folder_names_each_file(tmp_path: Path) -> None:
    folder = folder_of_speeches(tmp_path)
    text = (folder / "2-李四.txt").read_text(encoding="utf-8")
    (folder / "2-李四.txt").write_text(text.replace("协同推进。", "协同推进，请X书记指导"), encoding="utf-8")
    code, out, err = run("check", str(folder))
    assert code == ExitStatus.FINDINGS
    assert re.search(r"2-李四\.txt:6: warning: unfilled placeholder “X书记”", err), err
    assert "1-张三.txt" not in err and "no-speech-title" not in err and "finding(s)" in out


def test_import_of_a_folder_builds_byte_identical_outputs(tmp_path: Path) -> None:
    folder = folder_of_speeches(tmp_path)
    (folder / "booklet.toml").write_text(MANIFEST, encoding="utf-8")
    source = tmp_path / "content" / "booklet.md"
    source.parent.mkdir()
    assert run("import", str(folder), "-o", str(source))[0] == 0
    assert run("build", str(folder), "-o", str(tmp_path / "a"), "-q")[0] == 0
    assert run("build", str(source), "-o", str(tmp_path / "b"), "--name", "青年干部培训班", "-q")[0] == 0
    for suffix in ("pdf", "docx"):
        name = f"青年干部培训班.{suffix}"
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_an_output_never_overwrites_an_input(tmp_path: Path) -> None:
    folder = folder_of_speeches(tmp_path)
    code, out, err = run("build", str(folder), "-o", str(folder), "--format", "pdf")
    assert code == 0 and "3 speeches" in out, err
    built = (folder / f"{folder.name}.pdf").read_bytes()
    code, _, err = run("build", str(folder), "-o", str(folder), "--format", "pdf")  # now an input too
    assert code == ExitStatus.USAGE and "would overwrite the input" in err and len(err.splitlines()) == 1
    assert (folder / f"{folder.name}.pdf").read_bytes() == built
    pdf_fixtures.copy_out(tmp_path / "讲话.pdf")
    before = (tmp_path / "讲话.pdf").read_bytes()
    code, _, err = run("build", str(tmp_path / "讲话.pdf"), "-o", str(tmp_path), "--format", "pdf")
    assert code == ExitStatus.USAGE and (tmp_path / "讲话.pdf").read_bytes() == before


def test_watch_on_a_folder_rebuilds_when_a_file_appears(tmp_path: Path) -> None:
    from publish.commands import build_once
    from publish.watch import watch

    folder = folder_of_speeches(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    ticks = {"n": 0}

    def fake_sleep(_: float) -> None:
        ticks["n"] += 1
        if ticks["n"] == 1:
            (folder / "3-新增.txt").write_text(speech("谈谈数字政府", "钱七", "数字政府"), encoding="utf-8")

    options = BuildOptions(out_dir=tmp_path / "build", formats=("pdf",))
    console = Console(out, err)
    files = lambda: watched_files([folder], options)  # noqa: E731
    assert (
        watch(files, lambda: build_once([folder], options, console), console, max_builds=2, sleep=fake_sleep)
        == 0
    )
    built = [line for line in out.getvalue().splitlines() if line.startswith("built ")]
    assert len(built) == 2 and "3 speeches" in built[0] and "4 speeches" in built[1]


def mixed_folder(root: Path) -> Path:
    """Write a folder of Word documents (styled, formatted), a text file and a hard-wrapped PDF."""
    folder = root / "学习交流材料"
    folder.mkdir()
    word_fixtures.styled(folder / "1-治理.docx")
    word_fixtures.formatted(folder / "2-作风.docx")
    (folder / "3-李四.txt").write_text(speech("谈谈安全生产", "李四", "安全生产"), encoding="utf-8")
    pdf_fixtures.copy_out(folder / "4-青年干部.pdf")
    return folder


def test_a_folder_of_mixed_inputs(tmp_path: Path) -> None:
    folder = mixed_folder(tmp_path)
    diagnostics = Diagnostics()
    booklet, _, _, plan = layout(folder, BuildOptions(), diagnostics)
    # The hard-wrapped PDF is joined again into one speech under its title: its first line is that speech's
    # title, not a collection title of its own, so nothing is reported as an unused title.
    assert not any(d.code == "unused-title" for d in diagnostics.items)
    assert titles(booklet)[:4] == [
        "以实干担当推动基层治理提质增效",
        "关于深化作风建设的几点思考",
        "持续整治形式主义为基层减负",
        "谈谈安全生产",
    ]
    assert titles(booklet)[4:] == [pdf_fixtures.TITLE]  # then the PDF's one speech
    headings = [b.text for b in booklet.speeches[0].blocks if isinstance(b, model.Heading)]
    assert headings == [
        "一、聚焦重点，夯实治理基础",
        "（一）健全网格体系",
        "畅通议事渠道",
        "二、聚焦难点，破解治理难题",
    ]
    entries = [e for e in plan.outline if e.level == 1]
    assert [e.text for e in entries] == titles(booklet)
    numbers = [e.page_number for e in entries]
    assert numbers == sorted(numbers) and [plan.pages[e.page_index].number for e in entries] == numbers
    for name in ("1-治理.docx", "2-作风.docx"):  # every character of the Word documents is in the booklet
        given = "".join(p.text for p in docx.Document(str(folder / name)).paragraphs)
        speeches = [s for s in booklet.speeches if s.line and s.title_text in given]
        kept = "".join("".join(s.title) + s.speaker + "".join(b.text for b in s.blocks) for s in speeches)
        assert re.sub(r"\s", "", given) == kept, name
    pdf_speeches = booklet.speeches[4:]
    pdf_text = re.sub(
        r"\s", "", "".join("".join(s.title) + "".join(b.text for b in s.blocks) for s in pdf_speeches)
    )
    position = 0
    for char in pdf_fixtures.BODY:
        position = pdf_text.index(char, position) + 1


HOUSE_STYLE = 'recto = true\nlatin_spacing = 0.0\n[toc]\ndepth = 2\n[styles.lead]\nfont = "heiti"\n'


@pytest.mark.parametrize("style", ["", HOUSE_STYLE], ids=["default", "house"])
def test_import_of_a_mixed_folder_builds_byte_identical_outputs(tmp_path: Path, style: str) -> None:
    folder = mixed_folder(tmp_path)
    source = tmp_path / "booklet.md"
    switches: list[str] = []
    if style:
        (tmp_path / "house.toml").write_text(style, encoding="utf-8")
        switches = ["--style", str(tmp_path / "house.toml")]
    assert run("import", str(folder), "-o", str(source))[0] == 0
    assert run("build", str(folder), "-o", str(tmp_path / "a"), "-q", *switches)[0] == 0
    assert (
        run("build", str(source), "-o", str(tmp_path / "b"), "--name", folder.name, "-q", *switches)[0] == 0
    )
    for suffix in ("pdf", "docx"):
        name = f"{folder.name}.{suffix}"
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_the_readme_manifest_example_is_valid(tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(title = .*?)```", readme, re.S)
    assert example is not None
    folder = tmp_path / "培训班发言"
    folder.mkdir()
    (folder / "10-王五.txt").write_text(speech("谈谈基层治理", "王五", "基层治理"), encoding="utf-8")
    (folder / "booklet.toml").write_text(example.group(1), encoding="utf-8")
    booklet, *_ = layout(folder, BuildOptions(), Diagnostics())
    assert booklet.title == "2024年青年干部培训班交流发言汇编" and booklet.date == "2024年6月28日"
    assert booklet.speeches[0].title == ("在青年干部座谈会上的", "交流发言")
    assert booklet.speeches[0].speaker == "王五"


def test_a_style_file_in_the_folder_is_used(tmp_path: Path) -> None:
    folder = folder_of_speeches(tmp_path)
    _, plain_spec, _, plain = layout(folder, BuildOptions(), Diagnostics())
    (folder / "style.toml").write_text("recto = true\n", encoding="utf-8")
    _, spec, _, recto = layout(folder, BuildOptions(), Diagnostics())
    assert spec.recto and not plain_spec.recto
    starts = [e.page_number for e in recto.outline if e.level == 1]
    assert all(n % 2 == 1 for n in starts) and len(recto.pages) >= len(plain.pages)


def test_import_never_writes_over_an_input(tmp_path: Path) -> None:
    folder = folder_of_speeches(tmp_path)
    target = folder / "1-张三.txt"
    before = target.read_bytes()
    code, _, err = run("import", str(folder), "-o", str(target))
    assert code == ExitStatus.USAGE and "is one of the inputs" in err
    assert target.read_bytes() == before


def test_import_says_where_the_folder_style_went(tmp_path: Path) -> None:
    folder = folder_of_speeches(tmp_path)
    (folder / "style.toml").write_text("recto = true\n", encoding="utf-8")
    code, out, _ = run("import", str(folder), "-o", str(tmp_path / "booklet.md"))
    assert code == 0 and "style.toml styles builds of the folder" in out


def test_a_manifest_alone_names_its_folder(tmp_path: Path) -> None:
    folder = folder_of_speeches(tmp_path)
    (folder / "booklet.toml").write_text(MANIFEST, encoding="utf-8")
    manifest = str(folder / "booklet.toml")
    code, out, err = run("build", "--manifest", manifest, "-o", str(tmp_path / "out"), "--format", "pdf")
    assert code == 0, err
    assert "3 speeches" in out and (tmp_path / "out" / f"{folder.name}.pdf").is_file()
    code, out, _ = run("check", "--manifest", manifest)
    assert code == ExitStatus.FINDINGS and "finding(s)" in out  # 2-李四.txt is not listed
