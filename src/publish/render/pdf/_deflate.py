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
from collections.abc import Hashable
from typing import Generic, TypeVar

from reportlab.pdfbase import pdfdoc

LIMIT = 64 * 1024 * 1024  # bytes of compressed streams kept
FORMATTED_LIMIT = 32 * 1024 * 1024  # bytes of formatted plain streams kept (a page's is ~1.5 KiB)
_lock = threading.Lock()
_Key = TypeVar("_Key", bound=Hashable)


class _Memo(Generic[_Key]):
    """Bytes by key, least recently used first out once the values pass ``limit`` bytes; thread-safe."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.size = 0
        self.items: OrderedDict[_Key, bytes] = OrderedDict()

    def get(self, key: _Key) -> bytes | None:
        """Return the value of ``key`` (now the most recently used), None if it is not kept."""
        with _lock:
            found = self.items.get(key)
            if found is not None:
                self.items.move_to_end(key)
            return found

    def put(self, key: _Key, value: bytes) -> bytes:
        """Keep ``value`` for ``key`` (a value already kept stays) and return ``value``."""
        with _lock:
            if key not in self.items:
                self.items[key] = value
                self.size += len(value)
                while self.size > self.limit and self.items:
                    self.size -= len(self.items.popitem(last=False)[1])
        return value


_memory: _Memo[bytes] = _Memo(LIMIT)
_formatted: _Memo[tuple[object, ...]] = _Memo(FORMATTED_LIMIT)


def _encode(text: str | bytes) -> bytes:
    """Return ``zlib.compress(text)`` (UTF-8 for a str, as reportlab's filter does), remembered."""
    data = text.encode("utf8") if isinstance(text, str) else text
    key = hashlib.blake2b(data, digest_size=16).digest()
    found = _memory.get(key)
    return found if found is not None else _memory.put(key, zlib.compress(data))


_format_stream = pdfdoc.PDFStream.format  # reportlab's own


def _stream(stream: pdfdoc.PDFStream, document: pdfdoc.PDFDocument) -> bytes:
    """Return ``stream`` formatted as reportlab formats it, remembered for plain streams."""
    filters = stream.filters
    plain = type(stream) is pdfdoc.PDFStream and filters is not None and not stream.dictionary.dict
    plain = plain and all(f is pdfdoc.PDFZCompress or f is pdfdoc.PDFBase85Encode for f in filters)
    if not plain or type(document.encrypt) is not pdfdoc.NoEncryption or not isinstance(stream.content, str):
        return _format_stream(stream, document)  # type: ignore[no-any-return]
    key = (stream.content, *(f.pdfname for f in filters))  # reportlab's two module-level filters
    found = _formatted.get(key)
    return found if found is not None else _formatted.put(key, _format_stream(stream, document))


def install() -> None:
    """Make reportlab's shared Flate filter remember what it compressed, and plain streams their formatted
    form (idempotent)."""
    pdfdoc.PDFZCompress.encode = _encode
    pdfdoc.PDFStream.format = _stream
