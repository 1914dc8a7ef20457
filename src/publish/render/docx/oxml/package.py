"""The DOCX package (Open Packaging Conventions, ECMA-376 Part 2): parts, relationships, content types, zip.

The third raw-OOXML module. A booklet's package is small and fixed: the main document, styles, settings,
the font table (with embedded fonts in portable mode), footers, a theme, core and extended properties. Every
part is built by ``elements``/``parts``, so nothing is taken from a template. python-docx's package layer
would do the same job, but importing it (its ~100 element classes) costs ~60 ms of a two-format sample
build's ~250 ms, and its template's 430 KB styles part is parsed only to be emptied again; writing the
package here costs ~1 ms. python-docx still reads Word files (``readers.word``).

Deterministic: relationship ids are numbered in the order the relationships are made, every entry of the zip
has the zip format's earliest date and no file attributes, and ``[Content_Types].xml`` and the package
relationships come first (readers sniff them there).
"""

from __future__ import annotations

import io
import posixpath
import zipfile
from datetime import datetime
from typing import NamedTuple

from lxml import etree

from publish.render.docx.oxml.elements import Element

ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the zip format's earliest date: entries carry no build time
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"


class RT:
    """Relationship types the booklet uses (ECMA-376 Part 1 §15, Part 2 annex)."""

    OFFICE_DOCUMENT = f"{_OFFICE}/officeDocument"
    CORE_PROPERTIES = f"{_PACKAGE}/relationships/metadata/core-properties"
    EXTENDED_PROPERTIES = f"{_OFFICE}/extended-properties"
    STYLES = f"{_OFFICE}/styles"
    SETTINGS = f"{_OFFICE}/settings"
    FONT_TABLE = f"{_OFFICE}/fontTable"
    FOOTER = f"{_OFFICE}/footer"
    FONT = f"{_OFFICE}/font"
    THEME = f"{_OFFICE}/theme"


class CT:
    """Content types of the booklet's parts."""

    MAIN = f"{_WML}.document.main+xml"
    STYLES = f"{_WML}.styles+xml"
    SETTINGS = f"{_WML}.settings+xml"
    FONT_TABLE = f"{_WML}.fontTable+xml"
    FOOTER = f"{_WML}.footer+xml"
    CORE = "application/vnd.openxmlformats-package.core-properties+xml"
    APP = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
    FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
    THEME = "application/vnd.openxmlformats-officedocument.theme+xml"
    RELATIONSHIPS = "application/vnd.openxmlformats-package.relationships+xml"
    XML = "application/xml"


# Part and Package are plain classes and CoreProperties a NamedTuple, not dataclasses: the DOCX worker
# imports this module on every build, and each dataclass took ~0.5 ms to make there.


class Part:
    """One part: its name (``/word/document.xml``), content type, content (an element is serialised when
    the package is saved) and the relationships from it, as (id, type, target part name)."""

    __slots__ = ("content", "content_type", "name", "rels")

    def __init__(self, name: str, content_type: str, content: bytes | Element) -> None:
        self.name = name
        self.content_type = content_type
        self.content = content
        self.rels: list[tuple[str, str, str]] = []

    def relate(self, target: Part, reltype: str) -> str:
        """Relate this part to ``target``; return the new relationship's id."""
        rid = f"rId{len(self.rels) + 1}"
        self.rels.append((rid, reltype, target.name))
        return rid


class Package:
    """The parts of one document in the order they were added; ``root`` holds the package relationships."""

    __slots__ = ("parts", "root")

    def __init__(self) -> None:
        self.parts: list[Part] = []
        self.root = Part("/", CT.RELATIONSHIPS, b"")

    def add(self, name: str, content_type: str, content: bytes | Element) -> Part:
        """Add a part named ``name`` and return it."""
        part = Part(name, content_type, content)
        self.parts.append(part)
        return part

    def save(self) -> bytes:
        """Return the package as zip bytes."""
        entries = {"[Content_Types].xml": self._content_types()}
        entries.update(_rels_entry(self.root, "/_rels/.rels"))
        for part in sorted(self.parts, key=lambda p: p.name):
            content = part.content
            entries[part.name[1:]] = content if isinstance(content, bytes) else xml_bytes(content)
            if part.rels:
                folder, base = posixpath.split(part.name)
                entries.update(_rels_entry(part, f"{folder}/_rels/{base}.rels"))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in entries.items():
                info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.create_system = 0
                info.external_attr = 0
                archive.writestr(info, data)
        return out.getvalue()

    def _content_types(self) -> bytes:
        root = etree.Element(f"{{{_PACKAGE}/content-types}}Types", nsmap={None: f"{_PACKAGE}/content-types"})
        for extension, content_type in (("rels", CT.RELATIONSHIPS), ("xml", CT.XML)):
            etree.SubElement(
                root, f"{{{_PACKAGE}/content-types}}Default", Extension=extension, ContentType=content_type
            )
        for part in sorted(self.parts, key=lambda p: p.name):
            etree.SubElement(
                root,
                f"{{{_PACKAGE}/content-types}}Override",
                PartName=part.name,
                ContentType=part.content_type,
            )
        return xml_bytes(root)


def _rels_entry(part: Part, name: str) -> dict[str, bytes]:
    """Return the zip entry of ``part``'s relationships, named ``name`` (targets relative to the part)."""
    namespace = f"{_PACKAGE}/relationships"
    root = etree.Element(f"{{{namespace}}}Relationships", nsmap={None: namespace})
    folder = posixpath.dirname(part.name)
    for rid, reltype, target in part.rels:
        relative = posixpath.relpath(target, folder)
        etree.SubElement(root, f"{{{namespace}}}Relationship", Id=rid, Type=reltype, Target=relative)
    return {name[1:]: xml_bytes(root)}


def xml_bytes(element: Element) -> bytes:
    """Return ``element`` as a part's bytes: UTF-8 with a standalone XML declaration."""
    data: bytes = etree.tostring(element, xml_declaration=True, encoding="UTF-8", standalone=True)
    return data


class CoreProperties(NamedTuple):
    """The core properties (``docProps/core.xml``) of a booklet; empty fields are written empty."""

    title: str
    author: str
    subject: str
    language: str
    created: datetime


def core_properties(props: CoreProperties) -> Element:
    """Return the ``cp:coreProperties`` element of ``props`` (created and modified both ``props.created``,
    revision 1, last modified by the author)."""
    ns = {
        "cp": f"{_PACKAGE}/metadata/core-properties",
        "dc": "http://purl.org/dc/elements/1.1/",
        "dcterms": "http://purl.org/dc/terms/",
        "dcmitype": "http://purl.org/dc/dcmitype/",
        "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    }
    root = etree.Element(f"{{{ns['cp']}}}coreProperties", nsmap=ns)
    stamp = props.created.strftime("%Y-%m-%dT%H:%M:%SZ")
    fields = [
        ("dc", "title", props.title),
        ("dc", "subject", props.subject),
        ("dc", "creator", props.author),
        ("cp", "keywords", ""),
        ("dc", "description", ""),
        ("cp", "lastModifiedBy", props.author),
        ("cp", "revision", "1"),
        ("dcterms", "created", stamp),
        ("dcterms", "modified", stamp),
        ("cp", "category", ""),
        ("dc", "language", props.language),
    ]
    for prefix, name, text in fields:
        child = etree.SubElement(root, f"{{{ns[prefix]}}}{name}")
        child.text = text
        if prefix == "dcterms":
            child.set(f"{{{ns['xsi']}}}type", "dcterms:W3CDTF")
    return root
