"""The segmentation cache on disk (``layout.word_cache``): the same words and breaks as the segmenter, a
second build that never loads the dictionary, damaged or foreign entries taken as misses, no error when the
folder cannot be written, whole entries under concurrent writers, and the folder the command line picks."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import rjieba

from publish.commands import cache_dir
from publish.layout import words
from publish.layout.word_cache import WordCache, fingerprint
from support.cli import run

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "booklet.md"
TITLES = (  # invented titles: organisations, set phrases, Latin letters and digits, punctuation
    "残联党务干部培训班上的交流发言稿",
    "在全市基层卫生健康委员会工作会议上的交流发言",
    "深入推进从严治党 着力提升干部队伍综合能力",
    "关于2024年UOS系统在政务服务中心推广应用的情况汇报",
    "认真学习贯彻新时代中国特色社会主义思想的几点体会",
    "以高质量党建引领乡村振兴——青年志愿者协会的实践与思考",
    "县妇女联合会、县总工会联合开展“巾帼建功”活动的经验",
)


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """Segment through a disk cache in ``tmp_path`` during the test; restore the caller's setting after."""
    saved = list(words._disk)
    words.use_cache(tmp_path)
    words.break_costs.cache_clear()
    yield tmp_path
    words._disk[:] = saved
    words.break_costs.cache_clear()


def _entries(root: Path) -> list[Path]:
    return sorted(root.glob("words/*/*.txt"))


def test_cached_words_and_breaks_equal_the_segmenters(disk: Path) -> None:
    fresh = {text: words.break_costs(text) for text in TITLES}  # segmented, then stored
    assert len(_entries(disk)) == len(TITLES)
    words.break_costs.cache_clear()
    for text in TITLES:
        expected = [(w, t) for w, t in rjieba.tag(text) if w]
        assert words._disk[0].get(text) == expected
        assert words.segment(text) == expected
        assert words.break_costs(text) == fresh[text]


def test_second_build_does_not_load_the_dictionary(tmp_path: Path) -> None:
    script = (
        "import sys\nfrom publish.cli import main\n"
        "status = main(['build', sys.argv[1], '-o', sys.argv[2], '-q'])\n"
        "print(status, 'rjieba' in sys.modules)\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    env.pop("PUBLISH_NO_CACHE", None)
    runs = []
    for name, extra in (("first", {}), ("second", {}), ("off", {"PUBLISH_NO_CACHE": "1"})):
        out = tmp_path / name
        done = subprocess.run(
            [sys.executable, "-c", script, str(SAMPLE), str(out)],
            env={**env, **extra},
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(done.stdout.split())
    assert runs == [["0", "True"], ["0", "False"], ["0", "True"]]
    assert _entries(tmp_path / "cache" / "publish")
    for fmt in ("pdf", "docx"):
        first, second, off = (tmp_path / n / f"booklet.{fmt}" for n in ("first", "second", "off"))
        assert first.read_bytes() == second.read_bytes() == off.read_bytes()


def test_damaged_and_foreign_entries_are_misses(disk: Path) -> None:
    text = TITLES[1]
    words.segment(text)
    [entry] = _entries(disk)
    good = entry.read_text(encoding="utf-8")
    other = "".join(f"{w}\t{t}\n" for w, t in rjieba.tag(TITLES[2]))
    bad = [
        "",
        good[: len(good) // 2],  # cut short
        good.rstrip("\n"),  # no final newline
        good.replace("\t", " ", 1),  # a line without a tag
        good.replace("\tn", "\t名", 1),  # a tag that is no tag
        other,  # another text's words
    ]
    for damaged in bad:
        entry.write_text(damaged, encoding="utf-8")
        assert words._disk[0].get(text) is None, damaged
        assert words.segment(text) == [(w, t) for w, t in rjieba.tag(text) if w]
        assert entry.read_text(encoding="utf-8") == good  # written again whole
    entry.write_bytes(b"\xff\xfe broken")
    assert words._disk[0].get(text) is None


def test_unwritable_folder_is_no_error(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    cache = WordCache(blocked, "x")
    cache.put(TITLES[0], rjieba.tag(TITLES[0]))
    assert cache.get(TITLES[0]) is None


def test_texts_the_format_cannot_hold_are_not_stored(tmp_path: Path) -> None:
    cache = WordCache(tmp_path, "x")
    cache.put("甲\t乙", [("甲", "n"), ("\t", "x"), ("乙", "n")])
    cache.put("甲乙", [("甲", "n")])  # words that do not give the text back
    assert not _entries(tmp_path)


def test_concurrent_writers_leave_whole_entries(tmp_path: Path) -> None:
    pairs = [(w, t) for w, t in rjieba.tag(TITLES[3]) if w]
    seen: list[object] = []

    def work() -> None:
        cache = WordCache(tmp_path, "x")
        for _ in range(100):
            cache.put(TITLES[3], pairs)
            seen.append(cache.get(TITLES[3]))

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 600 and all(found == pairs for found in seen)
    assert len(_entries(tmp_path)) == 1 and not list(tmp_path.glob("words/*/.*.tmp"))


def test_another_segmenter_build_gets_another_folder(tmp_path: Path) -> None:
    package = tmp_path / "package"
    package.mkdir()
    (package / "lib.so").write_bytes(b"dictionary one")
    before = fingerprint(package)
    assert fingerprint(package) == before
    (package / "lib.so").write_bytes(b"dictionary two, longer")
    assert fingerprint(package) != before
    assert WordCache(tmp_path, before).folder != WordCache(tmp_path, fingerprint(package)).folder


def test_cache_folder_from_the_environment() -> None:
    assert cache_dir({"XDG_CACHE_HOME": "/var/c", "HOME": "/home/u"}) == Path("/var/c/publish")
    assert cache_dir({"HOME": "/home/u"}) == Path("/home/u/.cache/publish")
    assert cache_dir({"XDG_CACHE_HOME": "relative", "HOME": "/home/u"}) == Path("/home/u/.cache/publish")
    assert cache_dir({"XDG_CACHE_HOME": "/var/c", "PUBLISH_NO_CACHE": "1"}) is None
    assert cache_dir({"XDG_CACHE_HOME": "/var/c", "PUBLISH_NO_CACHE": ""}) == Path("/var/c/publish")
    assert cache_dir({}) is None


def test_without_a_cache_nothing_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    saved = list(words._disk)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("PUBLISH_NO_CACHE", "1")
    try:
        words.break_costs.cache_clear()
        status, _, err = run("build", str(SAMPLE), "-o", str(tmp_path / "out"), "-q")
        assert status == 0, err
        assert (tmp_path / "out" / "booklet.pdf").is_file()
        assert not words._disk and not (tmp_path / "cache").exists()
    finally:
        words._disk[:] = saved
        words.break_costs.cache_clear()


def test_serve_keeps_words_on_disk_as_build_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import publish.serve

    saved = list(words._disk)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("PUBLISH_NO_CACHE", raising=False)
    monkeypatch.setattr(publish.serve, "serve", lambda *args, **kwargs: 0)  # set up, then no server
    try:
        words._disk.clear()
        assert run("serve", "--no-browser")[0] == 0
        assert [cache.folder.parents[1] for cache in words._disk] == [tmp_path / "cache" / "publish"]
    finally:
        words._disk[:] = saved
