"""Remember the compressed form of PDF streams across renders in one process (a warm session).

reportlab compresses every stream — each page's content, each embedded font subset — with
``zlib.compress`` through one shared filter object, ``pdfdoc.PDFZCompress``, when the document is saved.
A rebuild after an edit recompresses the same font subsets and the same unchanged pages again: on the sample
that is a third of the PDF's render time. ``install`` gives that filter an ``encode`` that looks the
content up by its BLAKE2 digest first; a miss compresses exactly as reportlab does (same function, same
level), so the bytes are the same whether or not the memory had them. The memory is bounded (least
recently used entries go first) and shared by every render in the process; entries are immutable bytes, so
concurrent renders (threads) are safe.

One level up, a plain stream's whole formatted form (its dictionary, the compressed content, ``endstream``)
is remembered too, by its content and filters: a page's content stream holds no object number, so an
unchanged page of a rebuild is formatted from memory. Only streams whose form is a function of those alone
qualify: exactly ``pdfdoc.PDFStream``, an empty dictionary of their own, reportlab's Flate or ASCII85
filter objects, no encryption, text content; any other goes through reportlab as before.
"""

from __future__ import annotations

import hashlib
import threading
import zlib
from collections import OrderedDict

from reportlab.pdfbase import pdfdoc

LIMIT = 64 * 1024 * 1024  # bytes of compressed streams kept
FORMATTED_LIMIT = 32 * 1024 * 1024  # bytes of formatted plain streams kept (a page's is ~1.5 KiB)
_memory: OrderedDict[bytes, bytes] = OrderedDict()
_size = 0
_lock = threading.Lock()


def _encode(text: str | bytes) -> bytes:
    """Return ``zlib.compress(text)`` (UTF-8 for a str, as reportlab's filter does), remembered."""
    global _size
    data = text.encode("utf8") if isinstance(text, str) else text
    key = hashlib.blake2b(data, digest_size=16).digest()
    with _lock:
        found = _memory.get(key)
        if found is not None:
            _memory.move_to_end(key)
            return found
    packed = zlib.compress(data)
    with _lock:
        if key not in _memory:
            _memory[key] = packed
            _size += len(packed)
            while _size > LIMIT and _memory:
                _size -= len(_memory.popitem(last=False)[1])
    return packed


_formatted: OrderedDict[tuple[object, ...], bytes] = OrderedDict()
_formatted_size = 0
_format_stream = pdfdoc.PDFStream.format  # reportlab's own


def _stream(stream: pdfdoc.PDFStream, document: pdfdoc.PDFDocument) -> bytes:
    """Return ``stream`` formatted as reportlab formats it, remembered for plain streams."""
    global _formatted_size
    filters = stream.filters
    plain = type(stream) is pdfdoc.PDFStream and filters is not None and not stream.dictionary.dict
    plain = plain and all(f is pdfdoc.PDFZCompress or f is pdfdoc.PDFBase85Encode for f in filters)
    if not plain or type(document.encrypt) is not pdfdoc.NoEncryption or not isinstance(stream.content, str):
        return _format_stream(stream, document)  # type: ignore[no-any-return]
    key = (stream.content, *(f.pdfname for f in filters))  # reportlab's two module-level filters
    with _lock:
        found = _formatted.get(key)
        if found is not None:
            _formatted.move_to_end(key)
            return found
    data: bytes = _format_stream(stream, document)
    with _lock:
        if key not in _formatted:
            _formatted[key] = data
            _formatted_size += len(data)
            while _formatted_size > FORMATTED_LIMIT and _formatted:
                _formatted_size -= len(_formatted.popitem(last=False)[1])
    return data


def install() -> None:
    """Make reportlab's shared Flate filter remember what it compressed, and plain streams their formatted
    form (idempotent)."""
    pdfdoc.PDFZCompress.encode = _encode
    pdfdoc.PDFStream.format = _stream
