"""Chinese wording for what the page shows people: rule names, finding codes and error kinds.

The command line's one-line messages stay as they are (English, with file:line); the page puts a Chinese
label in front of each and keeps the original as the detail, so nothing the CLI says is lost in translation.
A rule or code not listed here (a newer one) is shown by its own name.
"""

from __future__ import annotations

import re

from publish.errors import (
    Diagnostic,
    FontError,
    LayoutError,
    ParseError,
    PublishError,
    RenderError,
    SourceError,
    SpecError,
)

RULES = {
    "invisible": "不可见字符",
    "paid-marker": "付费标记",
    "watermark": "网站水印",
    "watermark-paren": "括号里的网站水印",
    "watermark-bare": "行末的网站水印",
    "indent": "行首空白",
    "trailing-space": "行尾空白",
    "listing-suffix": "标题后的篇数",
    "title-break": "标题中的断行",
    "double-quotes": "直双引号改为弯引号",
    "single-quotes": "直单引号改为弯引号",
    "halfwidth-parens": "半角括号改为全角",
    "halfwidth-punct": "半角标点改为全角",
    "footer": "网站页脚",
}

CODES = {
    "placeholder": "未填写的占位内容",
    "no-final-punct": "段末缺少标点",
    "unbalanced": "引号或括号不成对",
    "heading-gap": "标题序号不连续",
    "halfwidth-punct": "中文中夹有半角标点",
    "missing-glyph": "字体缺字",
    "no-speech-title": "第一段前没有发言标题",
}

_ERRORS: tuple[tuple[type[PublishError], str], ...] = (
    (SourceError, "文件无法读取"),
    (ParseError, "文本格式有误"),
    (SpecError, "样式设置有误"),
    (LayoutError, "版面排不下"),
    (FontError, "字体有问题"),
    (RenderError, "无法写出文件"),
)
_WORK_PATH = re.compile(r"\S*publish-serve-[^/\s]*/\S*?(?=:\d|\s|$)")


def rule_label(rule: str) -> str:
    """Return the Chinese name of cleaning rule ``rule`` (its own name when unlisted)."""
    return RULES.get(rule, rule)


def code_label(code: str) -> str:
    """Return the Chinese name of finding ``code`` (the code itself when unlisted)."""
    return CODES.get(code, code)


def error_text(exc: Exception) -> str:
    """Return a one-line Chinese message for ``exc``: a label, then the original message as detail."""
    label = next((text for kind, text in _ERRORS if isinstance(exc, kind)), "内部错误（请报告）")
    return f"{label}：{hide_work_path(str(exc))}"


def hide_work_path(text: str) -> str:
    """Replace the server's private working file in ``text`` by 源文本 (people never see that folder)."""
    return _WORK_PATH.sub("源文本", text)


def finding(diagnostic: Diagnostic) -> str:
    """Return the message of ``diagnostic`` without its place (the page links the place)."""
    text = diagnostic.message
    if diagnostic.hint:
        text += f"（{diagnostic.hint}）"
    return text
