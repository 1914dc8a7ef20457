"""Write src/publish/data/radicals.txt: each CJK radical (U+2E80–U+2FDF) and its unified ideograph.

Source: the Unicode Character Database's EquivalentUnifiedIdeograph.txt (Debian package ``unicode-data``,
``/usr/share/unicode/``), the normative-in-spirit mapping that Unicode publishes for exactly this purpose.
Run ``python tools/radicals.py [UCD_FILE]``; the output is sorted, so reruns give the same file.
"""

from __future__ import annotations

import sys
from pathlib import Path

UCD = Path("/usr/share/unicode/EquivalentUnifiedIdeograph.txt")
OUT = Path(__file__).resolve().parents[1] / "src" / "publish" / "data" / "radicals.txt"


def main(argv: list[str]) -> int:
    """Read the UCD file and write the table; return the exit status."""
    source = Path(argv[0]) if argv else UCD
    pairs: dict[int, int] = {}
    version = ""
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.startswith("# EquivalentUnifiedIdeograph-"):
            version = line[2:].strip()
        body = line.split("#", 1)[0].strip()
        if not body:
            continue
        points, target = (part.strip() for part in body.split(";"))
        first, _, last = points.partition("..")
        for code in range(int(first, 16), int(last or first, 16) + 1):
            if 0x2E80 <= code <= 0x2FDF:
                pairs[code] = int(target, 16)
    head = f"# CJK radical → unified ideograph, from {version} (Unicode Character Database)\n"
    rows = "".join(f"{code:04X} {target:04X}\n" for code, target in sorted(pairs.items()))
    OUT.write_text(head + rows, encoding="utf-8")
    print(f"{OUT}: {len(pairs)} radicals")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
