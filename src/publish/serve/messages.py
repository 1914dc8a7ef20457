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
# The messages people meet most often, in plain Chinese; the original follows in brackets for the details.
_PLAIN: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), text)
    for pattern, text in (
        (r"file is empty", "文件是空的"),
        (r"binary file|not a regular file", "这不是文本文件"),
        (r"cannot decode", "认不出文件的文字编码，请在记事本或 WPS 中另存为 UTF-8 编码的 .txt"),
        (r"no text layer", "这个 PDF 没有文字层（可能是扫描件），请先做文字识别（OCR），或改用原始文档"),
        (r"not a PDF|cannot open the PDF", "这个 PDF 文件已损坏或不是 PDF"),
        (r"not a readable Word", "这个 Word 文件已损坏或不是 .docx"),
        (r"the document has no text|no text left after cleaning", "文件里没有可用的正文"),
        (r"larger than|too large|MiB", "文件太大"),
        (r"cannot read \.|save it as \.docx", "不能读取这种格式：请在 Word 或 WPS 中“另存为”.docx"),
        (r"no font covers", "有字体缺的字"),
        (r"cannot write|cannot move output|cannot create", "无法写出文件（磁盘满了或没有写入权限？）"),
    )
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
    if not isinstance(exc, PublishError):
        return f"内部错误（请把这句话报告给开发者）：{type(exc).__name__}: {hide_work_path(str(exc))}"
    label = next((text for kind, text in _ERRORS if isinstance(exc, kind)), "出错")
    detail = hide_work_path(str(exc))
    plain = next((text for pattern, text in _PLAIN if pattern.search(detail)), "")
    return f"{label}：{plain}（{detail}）" if plain else f"{label}：{detail}"


def hide_work_path(text: str) -> str:
    """Replace the server's private working file in ``text`` by 源文本 (people never see that folder)."""
    return _WORK_PATH.sub("源文本", text)


_KINDS = {"paragraph": "段落", "heading": "标题", "title": "题目", "speaker": "署名"}
# A finding's message in Chinese, from the parts of the English one; a message not matched here (a newer
# finding) is shown as it is, with its hint.
_FINDINGS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), text)
    for pattern, text in (
        (r"^unfilled placeholder (“.*”)$", r"\1 还没有填写（请填上名字或日期）"),
        *(
            (rf"^unfilled placeholder (“.*”) in the cover's {field}$", rf"封面{name}中的 \1 还没有填写")
            for field, name in (
                ("title", "题目"),
                ("subtitle", "副题"),
                ("organisation", "单位"),
                ("date", "日期"),
            )
        ),
        (
            r"^paragraph ends without final punctuation: (“.*”)$",
            r"段末没有句号等标点：\1（请补上，或看看是否误删了文字）",
        ),
        (
            r"^unbalanced (\S) (\S) in (\w+) \((\d+) opening, (\d+) closing\)$",
            r"\3中的 \1\2 不成对（左 \4 个，右 \5 个）",
        ),
        (r'^unbalanced straight quote " in (\w+)$', r'\1中的直引号 " 不成对'),
        (r"^heading number (\S+) repeats the one before$", r"标题序号 \1 与上一个重复"),
        (r"^heading number (\S+) follows (\S+) .*$", r"标题序号 \1 接在 \2 后面（跳号或顺序不对）"),
        (r"^heading numbering starts at (\S+)$", r"标题序号从 \1 开始"),
        (
            r"^half-width punctuation (.+) in Chinese (\w+) \((\d+)×\), first at (“.*”)$",
            r"中文\2中有半角标点 \1（\3 处），第一处在\4",
        ),
        (
            r"^no font covers \d+ characters?: (.*)$",
            r"字体里没有这些字：\1（在文中留作空位；可在样式文件的 fonts.chains 中加入有这些字的字体）",
        ),
    )
)


def finding(diagnostic: Diagnostic) -> str:
    """Return the message of ``diagnostic`` in Chinese where it is known, without its place (the page links
    the place); otherwise the original message and hint."""
    for pattern, text in _FINDINGS:
        found = pattern.match(diagnostic.message)
        if found:
            chinese = found.expand(text)
            for kind, word in _KINDS.items():
                chinese = chinese.replace(f"{kind}中", f"{word}中")
            return chinese
    text = diagnostic.message
    if diagnostic.hint:
        text += f"（{diagnostic.hint}）"
    return text
