"""Patterns compiled on first use (``publish.patterns``): nothing is compiled until a method runs, and each
method answers as the compiled pattern's does, positions included."""

from __future__ import annotations

import re

from publish.patterns import Lazy


def test_nothing_is_compiled_until_used() -> None:
    lazy = Lazy(r"[\u4e00-\u9fff]{2,3}(?:同志)?")
    assert "compiled" not in vars(lazy)
    assert lazy.fullmatch("王小明")
    assert isinstance(vars(lazy)["compiled"], re.Pattern)  # once, then kept


def test_methods_answer_as_the_compiled_pattern() -> None:
    source, flags = r"(?:微信|QQ)\s*[:：]\s*(\S+)", re.IGNORECASE
    lazy, compiled = Lazy(source, flags), re.compile(source, flags)
    texts = ["请加qq：12345", "微信: abc 另 QQ:xyz", "没有", ""]
    for text in texts:
        for pos, endpos in ((0, len(text)), (1, len(text)), (0, max(len(text) - 2, 0))):
            for method in ("search", "match", "fullmatch"):
                got = getattr(lazy, method)(text, pos, endpos)
                want = getattr(compiled, method)(text, pos, endpos)
                assert (got and (got.span(), got.groups())) == (want and (want.span(), want.groups()))
            found = [(m.span(), m.groups()) for m in lazy.finditer(text, pos, endpos)]
            assert found == [(m.span(), m.groups()) for m in compiled.finditer(text, pos, endpos)]
