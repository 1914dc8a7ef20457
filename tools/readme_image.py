"""Make docs/images/pages.png for the README: the cover, the 目录 and two body pages of build/booklet.pdf.

Usage (after ``make``): ``.venv/bin/python tools/readme_image.py [PDF] [PNG]``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PIL import Image

from publish.output.preview import render_pages

ROOT = Path(__file__).resolve().parents[1]
GAP = 12


def main() -> None:
    """Render pages 1–4 at 50 dpi and set them side by side on a grey strip."""
    pdf = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "booklet.pdf"
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else ROOT / "docs" / "images" / "pages.png"
    with tempfile.TemporaryDirectory() as tmp:
        images = [Image.open(p).convert("RGB") for p in render_pages(pdf, Path(tmp), [1, 2, 3, 4], dpi=50)]
        width = sum(i.width for i in images) + GAP * (len(images) + 1)
        height = max(i.height for i in images) + 2 * GAP
        strip = Image.new("RGB", (width, height), (200, 200, 200))
        x = GAP
        for image in images:
            strip.paste(image, (x, GAP))
            x += image.width + GAP
        target.parent.mkdir(parents=True, exist_ok=True)
        strip.save(target, optimize=True)
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
