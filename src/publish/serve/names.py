"""Names taken from the page: an uploaded file's name labels the input and names the outputs, never a path."""

from __future__ import annotations

import re
import unicodedata

from publish.collection import INPUT_SUFFIXES, REFUSED
from publish.model import Booklet

SUFFIXES = {".txt": "text", ".md": "text", ".docx": "docx", ".pdf": "pdf"}
assert set(SUFFIXES) == set(INPUT_SUFFIXES)
__all__ = ["REFUSED", "SUFFIXES", "safe_stem", "supplies_title"]
MAX_STEM = 60
DEFAULT_STEM = "booklet"
_UNSAFE = re.compile(r"[^\w\-.（）()\u3000-\u303f]+")


def safe_stem(name: str, *, folder: bool = False) -> str:
    """Return an output stem for an uploaded file called ``name``: its last component without the suffix
    (a ``folder``'s whole name).

    Folders (``../``, ``C:\\``), control and reserved characters are dropped; a raw seed's ``-raw`` suffix
    goes as in ``publish build``; an empty result is ``booklet``.
    """
    last = re.split(r"[\\/]", unicodedata.normalize("NFC", name))[-1]
    stem = last.rsplit(".", 1)[0] if "." in last.lstrip(".") and not folder else last
    stem = stem.removesuffix("-raw")
    stem = _UNSAFE.sub("_", stem).strip("._ ")[:MAX_STEM].strip("._ ")
    return stem or DEFAULT_STEM


def supplies_title(booklet: Booklet) -> bool:
    """Return whether the booklet's title is a collection title, not merely its only speech's title.

    The same test as ``collection`` applies when it assembles many files into one booklet.
    """
    squeeze = re.compile(r"\s")
    titles = {squeeze.sub("", "".join(speech.title)) for speech in booklet.speeches[:1]}
    return bool(booklet.title) and squeeze.sub("", booklet.title) not in titles
