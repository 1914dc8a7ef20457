"""The PDF object writer (``render.pdf._writer``): the syntax of each kind of value, a cross-reference table
whose every offset is its object's, and files that strict readers open (pypdf, poppler when installed)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest

from publish.errors import Diagnostics
from publish.pipeline import BuildOptions, layout
from publish.render.pdf import render
from publish.render.pdf._writer import Name, Raw, Ref, Text, Writer, fmt, name, number, stream, text

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "content" / "booklet.md"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        *[(1.0, "1"), (-3, "-3"), (0.5, "0.5"), (595.2756, "595.2756"), (1 / 3, "0.3333"), (2.00004, "2")],
        *[(1e-7, "0"), (-0.00001, "0"), (12345678.9, "12345678.9"), (-17.25, "-17.25"), (1e20, str(10**20))],
    ],
)
def test_numbers_have_no_exponent_and_at_most_four_decimals(value: float, expected: str) -> None:
    assert number(value) == expected


def test_names_escape_what_is_not_regular() -> None:
    assert name("F1a2b3c4d") == "/F1a2b3c4d"
    assert name("speech-1") == "/speech-1"
    assert name("a b") == "/a#20b" and name("x/y") == "/x#2Fy" and name("(p)") == "/#28p#29"
    assert name("名") == "/#E5#90#8D"  # UTF-8 bytes, each escaped


def test_text_strings_are_literals_or_utf16() -> None:
    assert text("abc") == "(abc)"
    assert text(r"a(b)\c") == r"(a\(b\)\\c)"
    assert text("中文 1") == "<FEFF4E2D658700200031>"
    assert text("中") == "<FEFF4E2D>"
    assert text("😀") == "<FEFFD83DDE00>"  # beyond the BMP: a surrogate pair
    assert text("a\nb") == "<FEFF0061000A0062>"  # not printable: UTF-16 keeps it exactly


def test_values_nest() -> None:
    value = {"Type": Name("Page"), "Kids": [Ref(3), Ref(4)], "Zoom": None, "Open": True, "Raw": Raw("<00FF>")}
    assert fmt(value) == "<< /Type /Page /Kids [3 0 R 4 0 R] /Zoom null /Open true /Raw <00FF> >>"
    assert fmt(b"Adobe") == "(Adobe)" and fmt(Text("é")) == "<FEFF00E9>"
    with pytest.raises(TypeError):
        fmt("a bare str is ambiguous")


def _offsets_hold_their_objects(data: bytes) -> int:
    """Check every in-use xref entry points at its ``n 0 obj``; return how many there are."""
    start = int(re.search(rb"startxref\n(\d+)\n%%EOF\n$", data).group(1))  # type: ignore[union-attr]
    assert data[start:].startswith(b"xref\n0 ")
    lines = data[start:].split(b"\n")
    count = int(lines[1].split()[1])
    entries = lines[2 : 2 + count]
    assert entries[0] == b"0000000000 65535 f "
    for number_, entry in enumerate(entries[1:], 1):
        offset = int(entry[:10])
        assert entry.endswith(b" 00000 n ") and data[offset:].startswith(b"%d 0 obj\n" % number_), number_
    return count - 1


def test_a_small_file_has_exact_offsets_and_opens_strictly() -> None:
    pdf = Writer()
    catalog, pages = pdf.reserve(), pdf.reserve()
    content = pdf.add(stream({}, b"BT ET"))
    page = pdf.add({"Type": Name("Page"), "Parent": pages, "MediaBox": [0, 0, 200, 100], "Contents": content})
    pdf.put(pages, {"Type": Name("Pages"), "Kids": [page], "Count": 1})
    pdf.put(catalog, {"Type": Name("Catalog"), "Pages": pages})
    info = pdf.add({"Title": Text("标题 (test)"), "Producer": Text("publish")})
    data = pdf.file(catalog, info)
    assert _offsets_hold_their_objects(data) == 5
    reader = pypdf.PdfReader(io.BytesIO(data), strict=True)
    assert len(reader.pages) == 1 and reader.metadata is not None and reader.metadata.title == "标题 (test)"
    assert data == pdf.file(catalog, info)  # the ID is a digest: the same objects, the same bytes


def test_an_object_reserved_and_never_written_is_an_error() -> None:
    pdf = Writer()
    catalog = pdf.reserve()
    pdf.reserve()
    pdf.put(catalog, {"Type": Name("Catalog")})
    with pytest.raises(ValueError, match="object 2"):
        pdf.file(catalog, catalog)


@pytest.fixture(scope="module")
def booklet_pdf(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    _, _, fonts, plan = layout(SAMPLE, BuildOptions(), Diagnostics())
    path = tmp_path_factory.mktemp("writer") / "booklet.pdf"
    render(plan, fonts, path)
    return path.read_bytes()


def test_the_booklet_has_exact_offsets_and_opens_strictly(booklet_pdf: bytes) -> None:
    assert _offsets_hold_their_objects(booklet_pdf) > 50
    reader = pypdf.PdfReader(io.BytesIO(booklet_pdf), strict=True)
    assert len(reader.pages) == 14
    titles = [str(o["/Title"]) for o in reader.outline if isinstance(o, dict)]
    assert titles[0] == "如何发挥好党建引领作用"


def test_poppler_reads_the_booklet_without_complaint(booklet_pdf: bytes, tmp_path: Path) -> None:
    if shutil.which("pdfinfo") is None:
        pytest.skip("poppler-utils (pdfinfo) is not installed")
    path = tmp_path / "b.pdf"
    path.write_bytes(booklet_pdf)
    for option in ([], ["-dests"]):
        done = subprocess.run(["pdfinfo", *option, str(path)], capture_output=True, text=True, check=True)
        assert not done.stderr.strip(), done.stderr  # poppler reports a broken xref or object on stderr
        assert ("speech-1" if option else "Pages:           14") in done.stdout
