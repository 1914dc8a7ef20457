"""Which line of a speech's byline the 目录 shows as its speaker (``toc.speaker``).

A byline (``Speech.speaker``) holds up to three lines under the title: a subtitle (——在…上的发言),
the organisation and name (市残联机关党委　张三, or the name alone), a date (（2024年5月6日）). A 汇编's
目录 names who spoke, not where or when, so the entry shows the organisation-and-name line: the first line
that is neither a subtitle (opening with a dash) nor a date, without parentheses around it. A byline of a
subtitle or a date alone shows nothing.
"""

from __future__ import annotations

from publish.patterns import Lazy

_DASH = ("—", "─", "－－", "--")  # a subtitle ——在…上的讲话 (also typed with box-drawing or ASCII dashes)
_DATE = Lazy(
    r"[0-9０-９]{4}\s*年(?:\s*[0-9０-９]{1,2}\s*月(?:\s*[0-9０-９]{1,2}\s*[日号])?)?"
    r"|[〇○零一二三四五六七八九]{4}年(?:[一二三四五六七八九十]{1,2}月(?:[一二三四五六七八九十]{1,3}日)?)?"
)
_PARENS = ("（）", "()", "〔〕", "[]")


def byline_name(byline: str) -> str:
    """Return the line of ``byline`` (lines joined by "\\n") that names the speaker, or "" when none does."""
    for raw in byline.split("\n"):
        line = raw.strip().strip("\u3000")
        if not line or line.startswith(_DASH):
            continue
        for pair in _PARENS:
            if len(line) > 2 and line[0] == pair[0] and line[-1] == pair[1]:
                line = line[1:-1].strip()
                break
        if line and not _DATE.fullmatch(line):
            return line
    return ""
