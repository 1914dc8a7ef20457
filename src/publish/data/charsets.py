"""Character sets the bundled fonts must cover: GBK, GB2312, the 8105 通用规范汉字 and Latin/punctuation.

Shared by ``tools/prepare_fonts.py`` (which subsets the fonts to them) and the font tests (which check
every role's chain covers them). Definitions: docs/fonts.md §4.4–4.5.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

TGH8105_FILE = Path(__file__).with_name("tgh8105.txt")

# fonts.md §4.5: ranges added to the GB2312 symbols to make the Latin/punctuation set.
LATIN_RANGES = (
    (0x0020, 0x007E),  # ASCII
    (0x00A0, 0x00FF),  # Latin-1
    (0x2010, 0x2027),  # dashes, quotes, …
    (0x2030, 0x203B),  # ‰, primes, ※
    (0x2160, 0x216B),  # Ⅰ–Ⅻ
    (0x2460, 0x249B),  # ① ⑴ ⒈
    (0x3000, 0x303F),  # CJK symbols and punctuation
    (0x3220, 0x3229),  # ㈠–㈩
    (0xFF01, 0xFF5E),  # full-width ASCII
    (0xFFE0, 0xFFE6),  # full-width signs
)


def gb2312_chars(rows: range = range(0xA1, 0xF8)) -> str:
    """Return the characters GB2312 assigns in ``rows`` (cells 0xA1–0xFE), in code order.

    Rows 0xA1–0xA9 are the 682 symbols, 0xB0–0xF7 the 6763 hanzi.
    """
    out: list[str] = []
    for row in rows:
        for cell in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                out.append(bytes((row, cell)).decode("gb2312"))
    return "".join(out)


def latin_chars() -> str:
    """Return the Latin/punctuation set (936 characters): GB2312 symbols plus ``LATIN_RANGES``, sorted."""
    chars = set(gb2312_chars(range(0xA1, 0xAA)))
    for first, last in LATIN_RANGES:
        chars.update(chr(code) for code in range(first, last + 1))
    return "".join(sorted(chars))


def gbk_chars() -> str:
    """Return every character GBK encodes, in code order (21 872).

    Python's ``gbk`` codec decodes 21 791 two-byte codes; GB18030 maps 81 more GBK codes (€, ⿰ … ⿻,
    䶮 …). Of GBK's nominal 21 886, the other 14 (FE51 … FEA0) decode only to private-use code points
    and are left out.
    """
    out: list[str] = []
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            if trail == 0x7F:
                continue
            code = bytes((lead, trail))
            try:
                out.append(code.decode("gbk"))
                continue
            except UnicodeDecodeError:
                pass
            try:
                ch = code.decode("gb18030")
            except UnicodeDecodeError:
                continue
            if not 0xE000 <= ord(ch) <= 0xF8FF:
                out.append(ch)
    return "".join(out)


def tgh8105_chars() -> str:
    """Return the 8105 characters of 《通用规范汉字表》 (2013) in table order, from ``tgh8105.txt``."""
    text = TGH8105_FILE.read_text(encoding="utf-8")
    return "".join(line for line in text.splitlines() if not line.startswith("#"))
