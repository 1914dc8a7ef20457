"""Read a DOCX for tests: its parts, parsed XML, and a normalised text dump that golden files compare.

The dump pretty-prints each XML part with attributes sorted and drops ``dcterms:created``/``dcterms:modified``
(style.md rule 9), so a reviewer reads a diff of elements, never of zip bytes.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"w": W, "r": R}
VOLATILE = {"{http://purl.org/dc/terms/}created", "{http://purl.org/dc/terms/}modified"}


def w(name: str) -> str:
    """Return the Clark name of a ``w:`` element or attribute."""
    return f"{{{W}}}{name}"


def local(tag: str) -> str:
    """Return an element's local name."""
    return tag.rsplit("}", 1)[-1]


def parts(docx: bytes | Path) -> dict[str, bytes]:
    """Return every zip entry of ``docx`` by name, in archive order."""
    data = docx.read_bytes() if isinstance(docx, Path) else docx
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def xml(docx: bytes | Path, name: str) -> etree._Element:
    """Return the parsed root of part ``name`` of ``docx``."""
    return etree.fromstring(parts(docx)[name])


def xml_parts(docx: bytes | Path) -> dict[str, etree._Element]:
    """Return every XML part (``.xml`` and ``.rels``) of ``docx``, parsed."""
    return {
        name: etree.fromstring(data) for name, data in parts(docx).items() if name.endswith((".xml", ".rels"))
    }


def normalise(data: bytes) -> str:
    """Return an XML part pretty-printed with sorted attributes and without volatile dates."""
    root = etree.fromstring(data)
    for node in list(root.iter()):
        if node.tag in VOLATILE:
            node.getparent().remove(node)
            continue
        items = sorted(node.attrib.items())
        node.attrib.clear()
        node.attrib.update(items)
    etree.indent(root, space="  ")
    return str(etree.tostring(root, encoding="unicode")) + "\n"


def dump(docx: bytes | Path, names: tuple[str, ...]) -> dict[str, str]:
    """Return the normalised text of the parts ``names`` of ``docx`` (missing parts are left out)."""
    found = parts(docx)
    return {name: normalise(found[name]) for name in names if name in found}


def paragraph_text(p: etree._Element) -> str:
    """Return the visible text of a ``w:p``: its ``w:t`` text, ``w:tab`` as a tab and ``w:br`` as a newline,
    leaving out field codes."""
    out: list[str] = []
    for node in p.iter(w("t"), w("tab"), w("br")):
        if local(node.tag) == "t":
            out.append(node.text or "")
        elif node.getparent() is not None and local(node.getparent().tag) == "r":
            out.append("\t" if local(node.tag) == "tab" else "\n")
    return "".join(out)
