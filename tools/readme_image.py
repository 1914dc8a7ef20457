"""Make the README's page images from build/booklet.pdf and from the showcase source.

- ``docs/images/pages.png``: the cover, the 目录 and two body pages of the bundled sample (``make`` first);
- ``docs/images/showcase.png``: the cover, the 目录 and the first body page of ``content/showcase.md`` (a
  cover with organisation and date, bylines, a heading ladder, digits and Latin text), built here;
- ``docs/images/showcase-detail.png``: the upper half of that body page at 150 dpi, where faces can be seen.

Usage: ``.venv/bin/python tools/readme_image.py`` (after ``make``).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import pypdfium2
from PIL import Image

from publish.output.preview import render_pages

ROOT = Path(__file__).resolve().parents[1]
IMAGES = ROOT / "docs" / "images"
SHOWCASE = ROOT / "content" / "showcase.md"
GAP = 12


def strip(images: list[Image.Image], target: Path) -> None:
    """Set ``images`` side by side on a grey strip and save it as ``target``."""
    width = sum(i.width for i in images) + GAP * (len(images) + 1)
    height = max(i.height for i in images) + 2 * GAP
    out = Image.new("RGB", (width, height), (200, 200, 200))
    x = GAP
    for image in images:
        out.paste(image, (x, GAP))
        x += image.width + GAP
    target.parent.mkdir(parents=True, exist_ok=True)
    out.save(target, optimize=True)
    print(f"wrote {target}")


def find_page(pdf: Path, wanted: str) -> int:
    """Return the 1-based number of the first page whose text holds ``wanted`` (spaces ignored)."""
    document = pypdfium2.PdfDocument(str(pdf))
    try:
        for index in range(len(document)):
            text = document[index].get_textpage().get_text_range()
            if wanted in "".join(text.split()):
                return index + 1
    finally:
        document.close()
    raise SystemExit(f"{pdf}: no page holds {wanted!r}")


def main() -> None:
    """Render the sample's pages 1–4 and the showcase's cover, 目录 and first body page."""
    sample = ROOT / "build" / "booklet.pdf"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pages = render_pages(sample, folder / "sample", [1, 2, 3, 4], dpi=50)
        strip([Image.open(p).convert("RGB") for p in pages], IMAGES / "pages.png")
        publish = Path(sys.executable).with_name("publish")
        subprocess.run([str(publish), "build", str(SHOWCASE), "-o", str(folder), "-q"], check=True)
        pdf = folder / "showcase.pdf"
        body = find_page(pdf, "App")  # the first speech's first page: a heading, digits and Latin text
        chosen = [1, find_page(pdf, "目录"), body]
        pages = render_pages(pdf, folder / "showcase", chosen, dpi=50)
        strip([Image.open(p).convert("RGB") for p in pages], IMAGES / "showcase.png")
        (detail,) = render_pages(pdf, folder / "detail", [body], dpi=150)
        image = Image.open(detail).convert("RGB")
        left, top = int(image.width * 0.1), int(image.height * 0.1)
        image.crop((left, top, image.width - left, int(image.height * 0.5))).save(
            IMAGES / "showcase-detail.png", optimize=True
        )
        print(f"wrote {IMAGES / 'showcase-detail.png'}")


if __name__ == "__main__":
    main()
