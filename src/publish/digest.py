"""BLAKE2b digests (RFC 7693) for cache keys and file identifiers, without loading OpenSSL.

``import hashlib`` loads OpenSSL's libcrypto for its other algorithms (~3 ms, a fifth of a small booklet's
PDF rendering). BLAKE2b is CPython's own module, ``_blake2``, which hashlib re-exports: it is taken from
there, and from hashlib on a Python without it (the digests are the same). Every digest of the package is
BLAKE2b: the caches' keys and checks, the PDF's file identifier, the DOCX's font GUIDs.
"""

from __future__ import annotations

try:
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python without CPython's built-in module
    from hashlib import blake2b

__all__ = ["blake2b", "hexdigest"]


def hexdigest(data: bytes, size: int) -> str:
    """Return the ``size``-byte BLAKE2b digest of ``data`` in lowercase hex (2 × ``size`` digits)."""
    return blake2b(data, digest_size=size).hexdigest()
