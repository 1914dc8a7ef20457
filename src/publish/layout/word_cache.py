"""Segmentation results kept on disk between runs, so that a build whose titles were segmented before does not
load the segmenter's dictionary (about 0.15 s CPU, the largest single cost of a small booklet's cold build).

The cache only saves time: an entry holds the (word, tag) pairs rjieba gave for one text, keyed by a hash of
the text under a fingerprint of the installed rjieba (its files' names, sizes and modification times: the
dictionary is compiled into the extension, so a new or reinstalled copy starts a new folder). An entry is
used only when its words put together give the text back; a missing, unreadable, foreign or damaged entry is
a miss. Storage, atomic writes and pruning (at most ``MAX_ENTRIES`` entries, old folders of other builds
removed): ``publish.diskcache``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from publish.digest import hexdigest
from publish.diskcache import DiskCache

FORMAT = "2"  # the entry format below (2: BLAKE2b keys); a new one starts a new folder
MAX_ENTRIES = 5000  # entries in one folder before the oldest go (~20 MB of 4 KiB blocks at most)
KEEP_ENTRIES = 4000  # what pruning leaves
Tagged = list[tuple[str, str]]


class WordCache(DiskCache):
    """The entries of one segmenter build under ``root`` (``root`` need not exist yet)."""

    def __init__(self, root: Path, fingerprint: str) -> None:
        super().__init__(root / "words" / f"{FORMAT}-{fingerprint}", ".txt", MAX_ENTRIES, KEEP_ENTRIES)

    @staticmethod
    def key(text: str) -> str:
        """Return the key of ``text``'s entry."""
        return hexdigest(text.encode("utf-8", "surrogatepass"), 20)

    def get(self, text: str) -> Tagged | None:
        """Return the stored (word, tag) pairs of ``text``; None when there is no usable entry."""
        raw = self.read(self.key(text))
        try:
            data = raw.decode("utf-8") if raw is not None else ""
        except UnicodeError:
            return None
        tagged: Tagged = []
        for line in data.split("\n")[:-1] if data.endswith("\n") else ():
            word, tab, tag = line.partition("\t")
            if not tab or not word or not tag.isascii() or not tag.isalpha():
                return None
            tagged.append((word, tag))
        return tagged if tagged and "".join(w for w, _ in tagged) == text else None

    def put(self, text: str, tagged: Sequence[tuple[str, str]]) -> None:
        """Store the pairs of ``text`` (best effort: a text the format cannot hold or an unwritable folder
        stores nothing)."""
        if "\n" in text or "\t" in text or "".join(w for w, _ in tagged) != text:
            return
        if any(not w or not t.isascii() or not t.isalpha() for w, t in tagged):
            return
        data = "".join(f"{word}\t{tag}\n" for word, tag in tagged)
        self.write(self.key(text), data.encode("utf-8", "surrogatepass"))


def fingerprint(package: Path) -> str:
    """Return a short fingerprint of the files directly in the folder ``package`` (names, sizes, times)."""
    entries = []
    for path in sorted(package.iterdir()):
        if path.is_file():
            stat = path.stat()
            entries.append(f"{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}")
    return hexdigest("\n".join(entries).encode("utf-8", "surrogateescape"), 8)
