"""The showcase source behind the README's page images: it builds without findings, its first body page holds
what the images claim to show (a heading, digits and Latin text), its cover the organisation and date."""

from __future__ import annotations

from pathlib import Path

import pdfplumber

from support.cli import run

ROOT = Path(__file__).resolve().parents[1]
SHOWCASE = ROOT / "content" / "showcase.md"


def test_showcase_builds_clean_and_shows_what_the_readme_says(tmp_path: Path) -> None:
    status, _, err = run("build", str(SHOWCASE), "-o", str(tmp_path))
    assert status == 0 and "warning" not in err, err
    with pdfplumber.open(tmp_path / "showcase.pdf") as pdf:
        texts = ["".join((page.extract_text() or "").split()) for page in pdf.pages]
    assert "市直机关工委组织部" in texts[0] and "2024年6月28日" in texts[0]
    assert any("目录" in t for t in texts[1:3])
    body = next(t for t in texts if "App" in t)
    assert "一、坚持问题导向" in body and "97.6%" in body and "GB/T22239" in body
