"""Character normalisation and debris inside lines: what PDF extractors, reading-aid pages and forums leave.

- Kangxi radicals and CJK radicals (⼀ ⽂, U+2E80–U+2FDF) and CJK compatibility ideographs (U+F900–U+FAFF,
  U+2F800–U+2FA1F) become the unified ideographs they stand for (Unicode's own mappings: the
  EquivalentUnifiedIdeograph table and the canonical decompositions), so text prints right and is searchable.
- Full-width ASCII letters and digits (２０２４ ＧＤＰ) become half-width, as 公文 write them.
- A pinyin gloss after a character (戰(zhàn)略) goes; it needs a tone-marked vowel, so (a) or (ABC) stay.
- A forum anti-scraping string (。3 k% Q* x: m! 同志们) goes: three or more short space-separated
  ASCII tokens, at least two with a symbol and one with a letter, after Chinese text (or at the line
  start) and before Chinese text (or at the line end).
"""

from __future__ import annotations

import unicodedata

from publish.clean.base import IDEO, Edit, Rule, regex, rx
from publish.data.radicals import radical_map

__all__ = ["NORMALISE_RULES"]

_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_PINYIN = f"(?<=[{IDEO}])[(（]([a-zü{_TONED}]{{1,8}}(?: [a-zü{_TONED}]{{1,8}}){{0,3}})[)）]"
_TOKEN = r"[!-~]{1,3}"
_SYMBOL = r"[^A-Za-z0-9]"
_ANTI_SCRAPE = (
    rf"(?:(?<=[{IDEO}。！？；，、：”])|^)[ \u3000]*"
    rf"(?:{_TOKEN}[ \u3000]+){{2,}}{_TOKEN}[ \u3000]*(?=[{IDEO}“‘《（]|$)"
)


def _radicals(line: str, first: bool) -> list[Edit]:
    table = radical_map()
    return [(i, i + 1, table[ord(c)]) for i, c in enumerate(line) if ord(c) in table]


def _compat(line: str, first: bool) -> list[Edit]:
    edits: list[Edit] = []
    for i, char in enumerate(line):
        code = ord(char)
        if 0xF900 <= code <= 0xFAFF or 0x2F800 <= code <= 0x2FA1F:
            unified = unicodedata.normalize("NFC", char)
            if unified != char:
                edits.append((i, i + 1, unified))
    return edits


def _fullwidth(line: str, first: bool) -> list[Edit]:
    return [
        (m.start(), m.end(), "".join(chr(ord(c) - 0xFEE0) for c in m.group()))
        for m in rx("[０-９Ａ-Ｚａ-ｚ]+").finditer(line)
    ]


def _anti_scrape(line: str, first: bool) -> list[Edit]:
    edits: list[Edit] = []
    for m in rx(_ANTI_SCRAPE).finditer(line):
        tokens = m.group().split()
        whole = m.start() == 0 and m.end() == len(line)  # a line of its own (- 1 -) is for the folio rules
        lettered = rx("[A-Za-z]").search(m.group()) is not None
        if not whole and lettered and sum(1 for token in tokens if rx(_SYMBOL).search(token)) >= 2:
            edits.append((m.start(), m.end(), ""))
    return edits


NORMALISE_RULES: tuple[Rule, ...] = (
    Rule("kangxi", "Kangxi and CJK radicals (⼀ ⽂) → the unified ideographs they stand for", _radicals),
    Rule("compat-ideograph", "CJK compatibility ideographs → their unified ideographs", _compat),
    Rule("fullwidth-ascii", "full-width Latin letters and digits (２０２４ ＧＤＰ) → half-width", _fullwidth),
    Rule(
        "pinyin-gloss",
        "a pinyin gloss after a character: 戰(zhàn)略 → 戰略",
        regex(_PINYIN, keep=lambda m: any(c in _TONED for c in m.group(1))),
    ),
    Rule("anti-scrape", "forum anti-scraping strings between sentences: 。3 k% Q* x: 同志们", _anti_scrape),
)
