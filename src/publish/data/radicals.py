"""The CJK radicals table: ``radicals.txt``, made by ``tools/radicals.py`` from Unicode's data."""

from __future__ import annotations

import functools
from pathlib import Path

RADICALS_FILE = Path(__file__).with_name("radicals.txt")


@functools.cache
def radical_map() -> dict[int, str]:
    """Return each CJK radical (U+2E80–U+2FDF) mapped to the unified ideograph it stands for."""
    table: dict[int, str] = {}
    for line in RADICALS_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            code, target = line.split()
            table[int(code, 16)] = chr(int(target, 16))
    return table
