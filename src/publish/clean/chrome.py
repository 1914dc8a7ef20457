"""Site chrome: whole lines that pages, forums and document-sharing sites put around a speech.

Each rule names one class of docs/scraped-text.md §1 and removes a line only when the WHOLE line is such
debris (matched from its first to its last character, after the inline rules), so the same words in prose
survive: a speech may well say 来源, 公众号 or 上一篇. Patterns are bounded (no nested quantifiers) and
anchored, so each line costs linear time.
"""

from __future__ import annotations

import unicodedata

from publish.clean.base import Edit, Finder, Rule, rx
from publish.clean.watermark import CHANNEL
from publish.numbering import HEADINGS

__all__ = ["FILENAME", "LINE_RULES", "is_link_item", "is_tail_marker"]

_S = "[ \u3000\u00a0\t]"  # a space inside a chrome line
_SPACES = " \u3000\u00a0\t"
_DECORATION = "▲△▼▽◆◇●○■□★☆※•·*#~=_↓↑→←☞►▶"
_NO_SENTENCE = "[^。！？!?]"

# --- breadcrumbs: 当前位置：某某范文网 > 讲话发言 > 正文, 首页 » 心得体会
_SEP = r"(?:>>?|»|›|→|＞|/|\\|-&gt;|&gt;)"
_SEGMENT = r"[^>»›→＞/\\。！？，]{1,30}"
_BREADCRUMB = (
    rf"(?:当前位置|您的位置|你的位置|您现在的位置|现在位置|所在位置|位置){_S}*[:：]{_NO_SENTENCE}{{0,100}}",
    rf"{_SEGMENT}(?:{_S}*{_SEP}{_S}*{_SEGMENT}){{2,8}}{_S}*{_SEP}?",
    rf"(?:首页|主页|网站首页){_S}*{_SEP}{_S}*{_SEGMENT}(?:{_S}*{_SEP}{_S}*{_SEGMENT}){{0,8}}",
    rf"{_SEGMENT}{_S}*{_SEP}{_S}*{_SEGMENT}",  # one separator: only with a site word (below)
)
_SITE_WORDS = ("首页", "主页", "正文", "频道", "栏目", "大全", "范文", "列表", "网")

# --- article meta: 来源：某某网  作者：佚名  时间：2024-03-05  点击：1532次
_META_KEYS = (
    "文章来源|来源|文章作者|作者|发布时间|发表时间|更新时间|发布日期|时间|日期|点击数|点击量|点击|阅读量|阅读数|"
    "阅读|浏览次数|浏览量|浏览|责任编辑|编辑|字数|投稿|审核|发布者|发布人|出处|供稿|人气|访问量|分类|栏目|"
    "标签|关键词|热度|评论数|评论|文档大小|文件大小|页数|下载积分|下载次数|下载量|上传者|上传时间|贡献者|格式|大小|"
    "文章标签|责编|审校|校对|排版|美编|摄影|监制|出品|统筹|初审|复审|终审|来自|链接|图片来源|图文|图"
)
_AMBIGUOUS_KEYS = {
    "链接",
    "图",
    "图文",
    "时间",
    "日期",
    "分类",
    "栏目",
    "标签",
    "关键词",
    "评论",
    "审核",
    "出处",
    "格式",
    "大小",
    "页数",
}
_META_FIELD = rf"(?:{_META_KEYS}){_S}*[:：|｜]"
_DATE = r"\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?"
_COUNT = (
    rf"(?:阅读|浏览|点击|点赞|评论|收藏|分享|人气|热度|访问)(?:量|数|次数)?{_S}*[:：(（]?{_S}*"
    rf"[\d.,]{{1,12}}[KkWw万千+]?{_S}*[)）]?{_S}*次?"
)
_COUNTS = (
    rf"(?:{_COUNT}{_S}*[|｜·]?{_S}*){{1,6}}",
    rf"[\d.,]{{1,12}}[KkWw万+]?{_S}*(?:次|人){_S}*(?:阅读|浏览|点击|围观)",
    rf"{_DATE}{_S}+\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?:{_S}+{_NO_SENTENCE}{{0,40}})?",
)

# --- blurbs and mottos
_BLURBS = (
    r".{0,80}小编.{0,120}",
    r"(?:下面|以下)(?:是|为)(?:小编|本站|我们|笔者)?.{0,100}?(?:欢迎阅读|欢迎借鉴|欢迎收藏|欢迎下载|欢迎参考|"
    r"希望对(?:您|你|大家)有(?:所)?帮助|希望能(?:够)?(?:帮助|帮到)).{0,30}",
    # 供大家参考 alone is also a speaker's modesty (下面是我的几点体会，供大家参考): only with a site word
    r"(?=.{0,100}(?:小编|本站|整理|收集|精选|范文|汇编|推荐))(?:下面|以下)(?:是|为).{0,100}?"
    r"(?:供大家参考|供您参考|仅供参考|供参考借鉴).{0,30}",
    r"著作权归.{0,10}所有.{0,100}|.{0,20}(?:商业转载|非商业转载).{0,80}",
    r"(?:本文|全文)共计?\d{1,6}字.{0,40}|.{0,20}预计阅读(?:时间|时长)?[:：]?\s*\d{1,3}\s*分钟.{0,10}",
    r"(?:精品文档|优质文档|精选文档|欢迎下载|word版可编辑|Word版可编辑|WORD版可编辑|word版本可编辑|下载后可编辑|"
    r"可编辑修改|学习资料|内部资料|仅供学习参考|仅供参考)",
    r"[^，,]{1,30}(?:网|站|平台|频道)(?:为您|为你|为大家)?(?:精心)?(?:提供|收集|整理|汇集|分享)(?:了)?"
    r"[^，,]{0,20}(?:范文|素材|模板|写作)[^，,]{0,30}",
    r"本文(?:由|系)?.{0,20}(?:网友|用户|会员|作者)?(?:投稿|上传|发布).{0,40}",
    r"(?:本文|文章|内容|以上内容)(?:来源于|来自|转载自|整理自|摘自)(?:网络|互联网|网友).{0,60}",
    r".{0,30}(?:如有侵权|若有侵权|侵权请联系|侵删|版权归原作者).{0,60}",
    r"(?:免责声明|版权声明)[:：].{0,160}",
    r"[（(【\[]?(?:精选文档|精选范文|精选|最新版|最新|推荐|荐|热门|必备|优秀范文|word版|WORD版|Word版|可编辑|"
    r"可编辑版|完整版|原创|精品|优质|范文|通用版|整理版)[）)】\]]?",
)

# --- page furniture
_FURNITURE_WORDS = (
    "手机版|电脑版|手机阅读|移动版|关灯|开灯|分享到|分享|复制链接|复制本文链接|收藏|收藏本文|加入收藏|举报|打印|打印本文|"
    "打印此文|关闭|关闭窗口|上一页|下一页|尾页|相关推荐|相关阅读|相关文章|相关内容|猜你喜欢|热门推荐|推荐阅读|"
    "热门文章|最新文章|网友评论|发表评论|我要评论|查看评论|返回顶部|回到顶部|返回首页|返回列表|顶部|显示全部楼层|"
    "只看该作者|只看楼主|倒序浏览|正序浏览|阅读模式|楼主|沙发|板凳|地板|回复|引用|点赞|扫一扫|扫码阅读|扫码分享|"
    "在手机上阅读|查看全文|展开全文|阅读全文|全文阅读|下载本文|立即下载|免费下载|打赏|微博|QQ空间|朋友圈|微信|"
    "阅读原文|轻触阅读原文|写留言|留言|在看|微信扫一扫关注该公众号|预览时标签不可点|喜欢此内容的人还喜欢|"
    "向上滑动看下一个|继续滑动看下一个|知道了|END|End|往期推荐|往期回顾|精彩推荐|类似文章|更多|发表|评分|"
    "评论公约"
)
_FURNITURE = (
    rf"[\[【]?(?:{_FURNITURE_WORDS})[\]】]?(?:{_S}*[|｜/·、]?{_S}*[\[【]?(?:{_FURNITURE_WORDS})[\]】]?){{0,12}}",
    rf"(?:分享到|分享至|移动端|手机版|手机站|手机访问){_S}*[:：].{{0,60}}",
    rf"(?:上一篇|下一篇|上一章|下一章|上一条|下一条|上篇|下篇){_S}*[:：].{{0,100}}",
    rf"[【\[]?(?:字号|字体){_S}*[:：]?{_S}*(?:大{_S}*中{_S}*小|[\u4e00-\u9fff]{{1,2}}{_S}*大{_S}*中{_S}*小){_S}*[】\]]?",
    rf".{{1,30}}{_S}+发表于{_S}*{_DATE}.{{0,60}}",
    rf"发表于{_S}*{_DATE}.{{0,60}}",
    r"本帖最后由.{1,40}编辑",
    rf"(?:原创{_S}+)?.{{0,40}}{_S}*{_DATE}{_S}+\d{{1,2}}:\d{{2}}(?:{_S}*发表于.{{1,10}})?",  # a WeChat header
    r"点击(?:上方|下方|蓝字|上方蓝字)[^。！？]{0,20}(?:关注|订阅)[^。！？]{0,20}",
    r"[（(]?(?:扫码|长按(?:识别)?二维码|扫描(?:下方)?二维码|识别二维码)(?:关注|识别|阅读|添加|加入|进群|下载)"
    r"[^。！？]{0,20}[)）]?",
    r"(?:喜欢就|觉得不错就?|记得)(?:点|点个|点一下)(?:在看|赞)[^。]{0,10}|点个?在看(?:吧|哦|呀)?[！!]?",
    r"回复\s*\d{1,5}#.{0,60}",
    r"\d{1,6}条评论|请遵守.{0,20}公约",
    r"微信扫一扫.{0,20}",
    r"(?:\d{1,4}|沙发|板凳|地板)[#楼]|#\d{1,4}",
    r"(?:Powered by|Copyright|©|版权所有).{0,100}",
    r".{0,40}ICP备.{0,40}",
)

# --- paywalls and truncation
_PAYWALL = (
    r".{0,20}预览结束.{0,60}",
    r"(?=.{0,60}(?:扫码|联系|积分|付费|VIP|vip|会员|点击|客服|微信|购买|下载|登录|注册))"
    r".{0,30}(?:获取|查看|下载|阅读)(?:全文|完整版|完整内容|原文|全部内容).{0,40}",
    r"[（(](?:未完|待续).{0,40}[）)]|未完待续.{0,10}|[（(]?(?:全文共|本文共)\d{1,6}字.{0,40}",
    r".{0,30}点击(?:下载|查看|获取)(?:完整版|全文|原文|文档|本文).{0,30}",
    r"需要\s*\d{1,6}\s*(?:积分|金币|下载券|元|个积分).{0,40}",
    r"[（(]全文完[）)]|全文完",
    r"(?:剩余|还剩)\d{1,3}%?(?:未读|的?内容).{0,40}",
    r"(?:VIP|vip)(?:会员)?(?:专享|可见|免费|下载|阅读).{0,40}|会员(?:专享|可见|免费下载|免费阅读).{0,40}",
    r".{0,10}(?:开通|成为|升级)(?:VIP|vip)(?:会员)?.{0,40}|.{0,10}(?:开通|升级)会员.{0,10}(?:免费|下载|阅读|查看|专享).{0,30}",
    r"(?:文档|本文档|该文档)(?:共\d{1,4}页|为.{0,10}格式|可编辑|下载后可编辑).{0,40}",
    r"温馨提示[:：].{0,80}(?:下载|会员|积分|全文|付费).{0,40}",
)

# --- the watermark family as whole lines: 关注公众号“某某公文”获取更多范文, 加微信：abc123 领取素材
_ACCOUNT = r"[A-Za-z0-9_.@\-]{3,30}"
_WATERMARK_LINES = (
    # 微信：abc123, 更多公文素材，微信：abc123, 加微信：abc123 领取素材 (an account id after the channel)
    rf"(?:(?:获取)?更多[^。！？]{{0,10}}(?:素材|范文|资料|材料)[，,{_S[1:-1]}]*|(?:请|欢迎)?(?:关注|添加|加|联系)[^。！？]{{0,6}})?"
    rf"{CHANNEL}(?:号|群)?{_S}*[:：]{_S}*{_ACCOUNT}"
    rf"(?:[，,{_S[1:-1]}]*[^。！？]{{0,20}}(?:获取|领取|下载|免费|更多|素材|范文|资料)[^。！？]{{0,10}})?",
    # 关注公众号“某某公文”获取更多范文
    rf"(?=.{{0,60}}(?:更多|素材|范文|资料|获取|领取|下载))(?:请|欢迎)?(?:扫码|扫描二维码|长按(?:识别)?二维码|搜索)?"
    rf"(?:关注|添加|加)(?:我们的|本站|官方)?{CHANNEL}.{{0,40}}[^。！？]",  # a sentence ending 。 is prose
    # a short line naming a channel and 素材/范文: 公文素材 请加V信
    rf"[^。！？]{{0,20}}(?:素材|范文)[^。！？]{{0,20}}{CHANNEL}[^。！？]{{0,20}}"
    rf"|[^。！？]{{0,20}}{CHANNEL}[^。！？]{{0,20}}(?:素材|范文)[^。！？]{{0,20}}",
)


def _whole(patterns: tuple[str, ...], limit: int = 200) -> Finder:
    """Return a finder removing a line that one of ``patterns`` matches whole (at most ``limit`` long), once
    the decoration around it (▲ 👇 ◆ ↓) is set aside."""
    joined = "|".join(f"(?:{p})" for p in patterns)

    def find(line: str, first: bool) -> list[Edit]:
        text = _undecorated(line)
        if not text or len(text) > limit:
            return []
        return [(0, len(line), "")] if rx(joined).fullmatch(text) else []

    return find


def _is_decoration(char: str) -> bool:
    """Return whether ``char`` only decorates a line: emoji, arrows, triangles, bullets, stars."""
    return unicodedata.category(char) in ("So", "Sm", "Sk") or char in _DECORATION


def _undecorated(line: str) -> str:
    """Return ``line`` without spaces and decoration at its ends."""
    start, end = 0, len(line)
    while start < end and (line[start] in _SPACES or _is_decoration(line[start])):
        start += 1
    while end > start and (line[end - 1] in _SPACES or _is_decoration(line[end - 1])):
        end -= 1
    return line[start:end]


def _decoration_only(line: str, first: bool) -> list[Edit]:
    text = line.strip(_SPACES)
    return [(0, len(line), "")] if text and all(_is_decoration(c) or c in _SPACES for c in text) else []


_TAIL_MARKERS = (
    "往期推荐",
    "往期回顾",
    "精彩推荐",
    "相关推荐",
    "推荐阅读",
    "相关阅读",
    "相关文章",
    "猜你喜欢",
    "热门文章",
    "最新文章",
    "类似文章",
    "热门推荐",
)


def is_tail_marker(line: str) -> bool:
    """Return whether ``line`` opens a list of links to other articles (往期推荐, 相关推荐 …)."""
    return _undecorated(line) in _TAIL_MARKERS


def is_link_item(line: str) -> bool:
    """Return whether ``line`` is an item of such a list: a short bulleted line without a sentence end."""
    text = line.strip(_SPACES)
    return 0 < len(text) <= 60 and _is_decoration(text[0]) and not rx("[。！？]$").search(text)


def _breadcrumb(line: str, first: bool) -> list[Edit]:
    text = line.strip(" \u3000\t\u00a0")
    if not text or len(text) > 160:
        return []
    if any(p.match(text) for _, p in HEADINGS):
        return []  # 一、党建/业务/服务融合 is a heading
    slashes_only = not rx("[>»›→＞]").search(text)  # 党建/业务/服务 in prose: only with a site word
    for index, pattern in enumerate(_BREADCRUMB):
        site = any(word in text for word in _SITE_WORDS)
        if rx(pattern).fullmatch(text) and (site or (index < 3 and not (index == 1 and slashes_only))):
            return [(0, len(line), "")]
    return []


def _meta(line: str, first: bool) -> list[Edit]:
    text = line.strip(" \u3000\t\u00a0")
    if not text or len(text) > 160 or rx("[。！？]").search(text):
        return []
    if any(rx(pattern).fullmatch(text) for pattern in _COUNTS):
        return [(0, len(line), "")]
    start = rx(_META_FIELD).match(text)
    if not start:
        return []
    keys = [m.group().rstrip(":： \u3000") for m in rx(_META_FIELD).finditer(text)]
    first_key = keys[0].strip()
    dated = rx(_DATE).search(text) is not None
    linked = first_key == "链接" and rx(r"https?://|www\.").search(text) is not None
    if (
        len(keys) >= 2
        or first_key not in _AMBIGUOUS_KEYS
        or (first_key in {"时间", "日期"} and dated)
        or linked
    ):
        return [(0, len(line), "")]
    return []


_DEFAULT_NAME = (  # the names Word, WPS and Windows give a new file
    r"新建\s*(?:Microsoft\s*)?(?:Word|WPS|Office)?\s*(?:文档|文字文稿|文本文档)(?:\s*[（(]?\d{1,3}[)）]?)?"
    r"|文档\d{1,3}|Document\d{1,3}|未命名.{0,4}"
)


def _filename(line: str, first: bool) -> list[Edit]:
    found = rx(r"(?:[（(【\[]?\d{1,3}篇[）)】\]]?)?\.(?:docx?|wps|pdf|txt|rtf|DOCX?|PDF|TXT|WPS)$").search(
        line
    )
    if not found or found.start() == 0 or len(line) > 120 or rx("[。！？]").search(line):
        return []
    return [(found.start(), found.end(), "")]


FILENAME = Rule(
    "chrome-filename", "a file name used as a title loses its extension: 关于…发言材料3篇.docx", _filename
)
LINE_RULES: tuple[Rule, ...] = (
    Rule("chrome-breadcrumb", "a breadcrumb line: 当前位置：首页 > 讲话发言 > 正文", _breadcrumb),
    Rule("chrome-meta", "an article meta line: 来源：… 作者：… 时间：… 点击：…次, 阅读(2.3K)", _meta),
    Rule(
        "chrome-blurb",
        "a site blurb or motto: 下面是小编为大家整理的…, 本文由网友投稿, （精选文档）",
        _whole(_BLURBS),
    ),
    Rule(
        "chrome-furniture",
        "page furniture: 手机版, 分享到：, 上一篇：…, 相关推荐, 返回顶部, 发表于…",
        _whole(_FURNITURE, limit=160),
    ),
    Rule(
        "chrome-paywall",
        "a paywall or truncation notice: 预览结束，获取全文请扫码…, （未完，全文共…字）",
        _whole(_PAYWALL, limit=120),
    ),
    Rule(
        "watermark-line",
        "a whole-line watermark: 关注公众号“…”获取更多范文, 加微信：…",
        _whole(_WATERMARK_LINES, limit=60),
    ),
    Rule("footer", "the portal footer line 公文写作门户网站…", _whole((r"公文写作门户网站.{0,70}",))),
    Rule(
        "chrome-filename",
        "a file name Word or WPS gave, not a title: 新建 Microsoft Word 文档.docx",
        _whole((rf"(?:{_DEFAULT_NAME})(?:\.(?:docx?|wps|txt|DOCX?|WPS|TXT))?",)),  # (the inline rule ran)
    ),
    Rule("chrome-decoration", "a line of decoration only: 👇👇👇, ↓↓↓, ◆◆◆", _decoration_only),
)
