"""``publish.digest``: hashlib's BLAKE2b, without hashlib's import of OpenSSL."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest

from publish.digest import blake2b, hexdigest


@pytest.mark.parametrize("size", [4, 6, 8, 16, 20, 32, 64])
def test_the_digests_are_hashlibs(size: int) -> None:
    for data in (b"", "汇编\U00020000".encode(), bytes(range(256)) * 9):
        assert hexdigest(data, size) == hashlib.blake2b(data, digest_size=size).hexdigest()
        assert len(hexdigest(data, size)) == 2 * size
    running = blake2b(digest_size=16)
    running.update(b"part one, ")
    running.update(b"part two")
    assert running.digest() == hashlib.blake2b(b"part one, part two", digest_size=16).digest()


def test_importing_it_loads_no_openssl() -> None:
    code = "import sys, publish.digest; print('_hashlib' in sys.modules, 'hashlib' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]
