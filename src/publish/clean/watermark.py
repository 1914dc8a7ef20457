"""Site watermarks: 【更多公文素材，微信：dadawk01】 and its spacing, bracket, channel and wording variants.

A watermark is removed where it stands (inside or at the end of a line); prose that merely mentions 微信 or
公众号 is never touched: a bracketed or parenthesised text must have the channel form (lead, channel, account)
and a watermark word or an account-like id, and a bare one must open with 更多 and end in an account id.
"""

from __future__ import annotations

import re

from publish.clean.base import Rule, regex, rx

__all__ = ["CHANNEL", "WATERMARK_RULES"]

_BRACKETED = r"[【\[〔［]([^\n【】\[\]〔〕［］]{1,60})[】\]〕］]"
_PARENTHESISED = r"[（(]([^\n（）()]{1,60})[）)]"
CHANNEL = r"(?:微信公众号|微信号|微信|公众号|QQ群|QQ|VX|WX|V信|薇信|威信|weixin)"
_WATERMARK_BODY = (  # with re.IGNORECASE
    rf"(?P<lead>[^,，:：]{{0,14}}?)[,，]?请?(?:添加|加|添)?{CHANNEL}[:：]?(?P<id>.{{1,40}})"
)
_WATERMARK_WORDS = ("更多", "素材", "关注", "添加", "资料", "范文")
_ACCOUNT_WORDS = ("公文", "素材", "范文", "写作", "材料")  # in an account name: 【公众号：笔杆子公文】
_ACCOUNT_ID = r"[A-Za-z0-9_.@-]+"
_GET_WORDS = ("获取", "领取", "下载", "更多", "素材", "范文", "Word", "word")  # 【加微信：abc，获取Word版】
# A bare watermark at the end of a line (正文。更多公文素材，微信：dadawk01): it must open with 更多 and a
# 素材-like word and end in an account id, so prose that merely mentions 微信 is never touched.
_SP = "[ \u3000\u00a0]*+"  # possessive: two space runs around an optional comma never share spaces
# 正文。关注公众号“笔杆子工坊”领取全部范文: glued after a sentence end, a follow-and-get line
_FOLLOW = (
    rf"(?<=[。！？”])(?P<more>更多(?:公文|精品)?(?:范文|素材|资料)?请?)?(?:请|欢迎)?(?:扫码)?关注(?:微信)?{CHANNEL}[:：]?"
    r"[“\"「]?(?P<account>[^”\"」。！？，,]{1,20})[”\"」]?"
    r"(?P<get>[，,]?(?:即可)?(?:免费)?(?:领取|获取|下载|查看)[^。！？]{0,20})?$"
)


def _is_follow(match: re.Match[str]) -> bool:
    account = match.group("account")
    return bool(match.group("more") or match.group("get") or any(w in account for w in _ACCOUNT_WORDS))


_BARE_WATERMARK = (  # with re.IGNORECASE
    rf"(?:获取)?更多[\u4e00-\u9fff \u3000\u00a0]{{0,8}}?(?:素材|范文|资料|材料){_SP}[,，]?{_SP}"
    rf"(?:添加|加|添)?{CHANNEL}{_SP}[:：]?{_SP}{_ACCOUNT_ID}+{_SP}$"
)


def _watermark_body(match: re.Match[str]) -> re.Match[str] | None:
    """Return the channel form (lead, channel, id) of bracketed text, spaces dropped; None for none."""
    return rx(_WATERMARK_BODY, re.IGNORECASE).fullmatch(re.sub(r"\s", "", match.group(1)))


def _is_watermark(match: re.Match[str]) -> bool:
    found = _watermark_body(match)
    if found is None:
        return False
    lead, ident = found.group("lead"), found.group("id")
    return (
        any(word in lead for word in _WATERMARK_WORDS)
        or any(word in ident for word in _ACCOUNT_WORDS)
        or re.fullmatch(_ACCOUNT_ID, ident) is not None
        or (re.match(_ACCOUNT_ID + "[，,]", ident) is not None and any(w in ident for w in _GET_WORDS))
    )


def _is_parenthesised_watermark(match: re.Match[str]) -> bool:
    # Parentheses hold ordinary prose too (（微信：zhangsan01） after a contact's name), so besides the
    # channel form they need a watermark word: （更多公文素材，微信：dadawk01）.
    found = _watermark_body(match)
    return found is not None and any(word in found.group(0) for word in ("素材", "更多"))


WATERMARK_RULES: tuple[Rule, ...] = (
    Rule(
        "watermark",
        "bracketed site watermark such as 【更多公文素材，微信：…】",
        regex(_BRACKETED, keep=_is_watermark),
    ),
    Rule(
        "watermark-paren",
        "parenthesised site watermark with a watermark word such as （更多公文素材，微信：…）",
        regex(_PARENTHESISED, keep=_is_parenthesised_watermark),
    ),
    Rule(
        "watermark-bare",
        "unbracketed site watermark at a line end such as 更多公文素材，微信：…",
        regex(_BARE_WATERMARK, flags=re.IGNORECASE),
    ),
    Rule(
        "watermark-follow",
        "a glued follow-and-get watermark: 。关注公众号“…”领取全部范文",
        regex(_FOLLOW, keep=_is_follow),
    ),
)
