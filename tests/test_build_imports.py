"""A cold build imports only what it uses (issue 17's cold path): no fontTools without embedded DOCX fonts
(not for a character no font covers either: the PDF's placeholder font is written by hand), no Pillow,
reportlab or python-docx at all (the PDF and the DOCX are written by our own code: ``render.pdf._writer``,
``render.docx.oxml.package``), pypdf only for PDF inputs, the cleaning rules only for raw text, rjieba not
once its results are on disk (``test_word_cache``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "booklet.md"
SCRIPT = """
import json, sys
from publish.cli import main
status = main(sys.argv[1:])
print(json.dumps({"status": status, "modules": sorted(sys.modules)}))
"""


def _build(tmp_path: Path, *argv: str, source: Path = SAMPLE) -> dict[str, object]:
    env = {**os.environ, "PUBLISH_NO_CACHE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, "build", str(source), "-o", str(tmp_path), "-q", *argv],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    found: dict[str, object] = json.loads(done.stdout)
    return found


def _modules(found: dict[str, object]) -> list[str]:
    modules = found["modules"]
    assert isinstance(modules, list)
    return modules


def _packages(modules: list[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


@pytest.mark.parametrize("formats", ["pdf", "docx", "pdf,docx"])
def test_standard_build_imports_only_what_it_uses(tmp_path: Path, formats: str) -> None:
    found = _build(tmp_path, "--format", formats)
    assert found["status"] == 0
    packages = _packages(_modules(found))
    assert not packages & {"fontTools", "pypdf", "pypdfium2", "watchfiles", "docx", "reportlab", "PIL"}, (
        packages
    )
    modules = _modules(found)
    assert "_hashlib" not in modules  # OpenSSL (~3 ms): every digest is BLAKE2b from ``publish.digest``
    assert "publish.readers.word" not in modules
    assert "publish.manifest" not in modules  # read only for a booklet with a booklet.toml
    assert not [m for m in modules if m.startswith("publish.clean")]  # an editable source is not cleaned
    if formats == "pdf":
        assert "publish.render.pdf._writer" in modules and "lxml" not in packages
    if formats == "docx":  # rendered in this process (with both formats, maybe in a forked child)
        assert "lxml" in packages and "publish.render.docx.document" in modules


def test_a_character_no_font_covers_needs_no_fonttools(tmp_path: Path) -> None:
    source = tmp_path / "booklet.md"
    text = SAMPLE.read_text(encoding="utf-8")
    source.write_text(text.replace("今天能够", "今天\U000f0001能够", 1), encoding="utf-8")
    found = _build(tmp_path / "out", "--format", "pdf", source=source)
    assert found["status"] == 0  # a warning, not a failure
    assert b"/BaseFont /" in (pdf := (tmp_path / "out" / "booklet.pdf").read_bytes())
    assert b"+PublishPlaceholder-" in pdf  # the box font was made and embedded
    assert "fontTools" not in _packages(_modules(found))


def test_portable_docx_still_subsets_with_fonttools(tmp_path: Path) -> None:
    found = _build(tmp_path, "--format", "docx", "--docx-fonts", "portable")
    assert "fontTools" in _packages(_modules(found))
