"""A PDF file written object by object (ISO 32000-1 §7.3, §7.5): the only code that spells PDF syntax.

The booklet needs few kinds of object — page dictionaries, content and font streams, link annotations,
outline items, a catalog — so each value is formatted once, when it is added, straight into the file's
bytes. reportlab wrote the file before: its object model (a Python class per name, number, string and
dictionary, formatted again at save) took 60 % of the PDF's render time at 300 speeches, and importing it
20 ms of a small booklet's ~100 ms budget.

Values: ``None`` (null), ``bool``, ``int``, ``float`` (at most four decimals, no exponent), ``Name``,
``Text`` (a text string: literal when printable ASCII, else UTF-16BE hex with its byte-order mark, §7.9.2.2),
``bytes`` (a literal byte string), ``Ref``, ``Raw`` (already PDF syntax), lists (arrays) and dicts with
``str`` keys (names). Output is deterministic: the file ID is a digest of the objects' bytes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from publish.digest import blake2b

HEADER = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"  # a binary comment: the file holds 8-bit data (§7.5.2)
_NAME_SAFE = frozenset(b"!\"&'*+,-.0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ^_`abcdefghijklmnopqrstuvwxyz|~")
_LITERAL = str.maketrans({"\\": "\\\\", "(": "\\(", ")": "\\)", "\r": "\\r", "\n": "\\n"})


class Name(str):
    """A PDF name (written ``/Name``, characters outside the regular set as ``#xx``, §7.3.5)."""


class Text(str):
    """A PDF text string (outline titles, document information)."""


class Raw(str):
    """PDF syntax written as it is (a content stream's operators are built elsewhere)."""


@dataclass(frozen=True)
class Ref:
    """An indirect reference to object ``number`` (generation 0)."""

    number: int


Value = (
    None | bool | int | float | str | bytes | Ref | Sequence["Value"] | Mapping[str, "Value"]
)  # str: Name, Text or Raw


def number(value: float) -> str:
    """Return ``value`` as a PDF number: an integer as such, else at most four decimals, no exponent."""
    if value == int(value):
        return str(int(value))
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def name(text: str) -> str:
    """Return ``text`` as a PDF name token."""
    data = text.encode("utf-8")
    if all(b in _NAME_SAFE for b in data):
        return "/" + text
    return "/" + "".join(chr(b) if b in _NAME_SAFE else f"#{b:02X}" for b in data)


def text(value: str) -> str:
    """Return ``value`` as a PDF text string: a literal for printable ASCII, else UTF-16BE hex with BOM."""
    if value.isascii() and value.isprintable():
        return f"({value.translate(_LITERAL)})"
    return "<FEFF" + value.encode("utf-16-be", "surrogatepass").hex().upper() + ">"


def fmt(value: Value) -> str:
    """Return ``value`` in PDF syntax."""
    if isinstance(value, str):
        if isinstance(value, Name):
            return name(value)
        if isinstance(value, Text):
            return text(value)
        if isinstance(value, Raw):
            return str(value)
        raise TypeError(f"a PDF string must be a Name, Text or Raw, not {value!r}")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return number(value)
    if isinstance(value, Ref):
        return f"{value.number} 0 R"
    if value is None:
        return "null"
    if isinstance(value, bytes):
        return "(" + value.decode("latin-1").translate(_LITERAL) + ")"
    if isinstance(value, Mapping):
        return "<<" + "".join(f" {name(k)} {fmt(v)}" for k, v in value.items()) + " >>"
    return "[" + " ".join(fmt(v) for v in value) + "]"


def stream(entries: Mapping[str, Value], data: bytes) -> bytes:
    """Return a stream object's body: ``entries`` (``/Length`` added) and ``data`` (already filtered)."""
    head = fmt({**entries, "Length": len(data)})
    return b"%s\nstream\n%s\nendstream" % (head.encode("latin-1"), data)


class Writer:
    """The objects of one PDF file, numbered from 1, written in number order when the file is made."""

    def __init__(self) -> None:
        self._bodies: list[bytes | None] = []

    def reserve(self) -> Ref:
        """Return the reference of a new object whose body ``put`` gives later."""
        self._bodies.append(None)
        return Ref(len(self._bodies))

    def put(self, ref: Ref, body: Value | bytes) -> Ref:
        """Give the reserved object ``ref`` its body (a value, or a formatted stream from ``stream``)."""
        self._bodies[ref.number - 1] = body if isinstance(body, bytes) else fmt(body).encode("latin-1")
        return ref

    def add(self, body: Value | bytes) -> Ref:
        """Add an object; return its reference."""
        return self.put(self.reserve(), body)

    def file(self, root: Ref, info: Ref) -> bytes:
        """Return the whole file: header, objects, cross-reference table and trailer (§7.5.4, §7.5.5)."""
        out = [HEADER]
        offsets = []
        at = len(HEADER)
        digest = blake2b(digest_size=16)
        for n, body in enumerate(self._bodies, 1):
            if body is None:
                raise ValueError(f"PDF object {n} was reserved but never written")
            piece = b"%d 0 obj\n%s\nendobj\n" % (n, body)
            digest.update(piece)
            offsets.append(at)
            at += len(piece)
            out.append(piece)
        size = len(self._bodies) + 1
        xref = [b"xref\n0 %d\n0000000000 65535 f \n" % size]
        xref += [b"%010d 00000 n \n" % offset for offset in offsets]
        ident = digest.hexdigest().upper()
        trailer: dict[str, Value] = {
            "Size": size,
            "Root": root,
            "Info": info,
            "ID": [Raw(f"<{ident}>"), Raw(f"<{ident}>")],
        }
        out += xref
        out.append(b"trailer\n%s\nstartxref\n%d\n%%%%EOF\n" % (fmt(trailer).encode("latin-1"), at))
        return b"".join(out)
