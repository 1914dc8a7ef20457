"""GB/T 9704-2012 defaults, each value with the clause (or house convention) it comes from.

All lengths are PostScript points (1/72 in). Figures and their derivation: docs/gbt9704.md.
"""

from __future__ import annotations


def mm(value: float) -> float:
    """Return ``value`` millimetres in points."""
    return value * 72.0 / 25.4


PAGE_WIDTH = mm(210)  # §5.1 A4 (GB/T 148)
PAGE_HEIGHT = mm(297)  # §5.1 A4
TOP_MARGIN = mm(37)  # §5.2.1 天头 37 mm ± 1 mm
LEFT_MARGIN = mm(28)  # §5.2.1 订口 28 mm ± 1 mm
BODY_WIDTH = mm(156)  # §5.2.1 版心 156 mm wide
BODY_HEIGHT = mm(225)  # §5.2.1 版心 225 mm high
LINES_PER_PAGE = 22  # §5.2.3 22 lines a page
CHARS_PER_LINE = 28  # §5.2.3 28 characters a line
LINE_PITCH = BODY_HEIGHT / LINES_PER_PAGE  # §5.2.3 22 lines filling the 版心 (≈ 28.99 pt)
CELL = BODY_WIDTH / CHARS_PER_LINE  # §5.2.3 28 cells filling the 版心 (≈ 15.79 pt)

BODY_SIZE = 16.0  # §5.2.2 3号仿宋 unless stated otherwise
TITLE_SIZE = 22.0  # §7.3.1 2号小标宋
COVER_TITLE_SIZE = 42.0  # house: 初号 (the standard sets no cover)
COVER_SUBTITLE_SIZE = 22.0  # house: 2号
COVER_META_SIZE = 16.0  # house: 3号 for organisation and date
TOC_TITLE_SIZE = 22.0  # house: 目录 heading in 2号小标宋
PAGE_NUMBER_SIZE = 14.0  # §7.5 4号 half-width 宋体 digits
PAGE_NUMBER_DROP = mm(7)  # §7.5 一字线 7 mm below the 版心's lower edge
PAGE_NUMBER_PAD = 1.0  # §7.5 空一字 (in page-number-size characters) on the outer side
PAGE_NUMBER_DASH = "\u2014"  # §7.5 一字线 = U+2014 EM DASH
# A CJK face's ascent in em: the top of the folio line (which §7.5 places 7 mm below the 版心) lies this far
# above its baseline.
PAGE_NUMBER_ASCENT = 0.88
HEADER_DISTANCE = TOP_MARGIN / 2  # house: the page's top edge to the (empty) header, half the 天头

# house: a line needs 1.2 × its size of the grid before it may share one grid line's pitch (a 22 pt title
# takes one 28.99 pt grid line, the 42 pt cover title two), so every baseline stays on the §5.2.3 grid
LEADING = 1.2

# house cover (the standard sets no cover; gbt9704.md §6, docs/cover.md), in grid lines of the 版心, so
# every baseline stays on the §5.2.3 grid. The title block (the title, and the subtitle under it) is centred
# on grid line 3 (0-based), which holds the middle of the 版心's upper third (7⅓ lines), however many lines
# it has: a block of up to 7 grid lines (three title lines, or two and a subtitle) lies wholly in that third.
# Organisation and date form a foot block whose last line is the 版心's last line (``COVER_FOOT_SPACE``
# blank lines above the foot). A field left empty is left out.
COVER_TITLE_CENTRE = 3
# house: a subtitle (——在…培训班上的发言, （第一期）) qualifies the title, so it sits under it, as 公文 set a
# 副标题 under the 标题; "foot" puts it at the head of the foot block instead
COVER_SUBTITLE_PLACE = "title"
COVER_SUBTITLE_SPACE = 1  # blank grid lines between the subtitle and the title (or, at the foot, the rest)
COVER_FOOT_SPACE = 0  # blank grid lines between the organisation/date block and the 版心's last line

# house 目录 (gbt9704.md §6), in grid cells: each level indents its entries by 2 cells; half a cell keeps the
# leader off the page number; the entries' text wraps 2 cells short of the number so that a leader fits
TOC_LEVEL_INDENT = 2.0
TOC_NUMBER_PAD = 0.5
TOC_LEADER_ROOM = 2.0

# Where the baseline sits inside a grid line, measured from the line's top, as a fraction of the pitch:
# a 1 em CJK glyph (ascent 0.88 em, descent 0.12 em) centred in the 28.99 pt line.
BASELINE_RATIO = 0.78

# Font roles → chains of files in fonts/ (primary first, then fallbacks). §7.3 typefaces; fonts/README.md.
# Every chain covers GBK, the 8105 通用规范汉字 and the Latin/punctuation set (fonts/README.md, "Coverage").
FONT_CHAINS: dict[str, tuple[str, ...]] = {
    "xiaobiaosong": ("NotoSerifCJKsc-Black.ttf", "WenKaiGBLite-fallback.ttf", "ZhuqueFangsong-fallback.ttf"),
    "fangsong": (
        "FandolFang-Regular.ttf",
        "ZhuqueFangsong-fallback.ttf",
        "NotoSerifCJKsc-Light-fallback.ttf",
        "WenKaiGBLite-fallback.ttf",
    ),
    "heiti": (
        "FandolHei-Regular.ttf",
        "NotoSansCJKsc-Medium-fallback.ttf",
        "WenKaiGBLite-fallback.ttf",
        "ZhuqueFangsong-fallback.ttf",
    ),
    "kaiti": (
        "FandolKai-Regular.ttf",
        "WenKaiGBLite-fallback.ttf",
        "NotoSerifCJKsc-Light-fallback.ttf",
        "ZhuqueFangsong-fallback.ttf",
    ),
    "songti": (
        "FandolSong-Regular.ttf",
        "NotoSerifCJKsc-Light-fallback.ttf",
        "WenKaiGBLite-fallback.ttf",
        "ZhuqueFangsong-fallback.ttf",
    ),
}

# Faces per character class (docs/fonts.md "Faces"): files a role tries before its chain for the characters
# of one class (``publish.fonts.CHAR_CLASSES``). Body faces (仿宋, 楷体, 宋体) set Latin letters and digits
# from one Times-metric serif, as 公文 set them in Times New Roman; 黑体 headings take punctuation, Latin and
# digits from Noto Sans CJK SC Medium, whose stems match FandolHei's (FandolHei's own are thin); 小标宋 keeps
# Noto Serif CJK SC Black's own, already of one weight. Folios (宋体) and 目录 numbers (仿宋) thus share one
# digit face.
LATIN_SERIF = "LiberationSerif-Regular.ttf"
HEI_MARKS = "NotoSansCJKsc-Medium-fallback.ttf"
FONT_CLASS_CHAINS: dict[str, dict[str, tuple[str, ...]]] = {
    "fangsong": {"latin": (LATIN_SERIF,), "digit": (LATIN_SERIF,)},
    "kaiti": {"latin": (LATIN_SERIF,), "digit": (LATIN_SERIF,)},
    "songti": {"latin": (LATIN_SERIF,), "digit": (LATIN_SERIF,)},
    "heiti": {"punct": (HEI_MARKS,), "latin": (HEI_MARKS,), "digit": (HEI_MARKS,)},
}

# Names written into a DOCX in "standard" mode: the product fonts recipients' machines have (fonts.md §9).
DOCX_STANDARD_NAMES: dict[str, str] = {
    "xiaobiaosong": "方正小标宋简体",
    "fangsong": "仿宋_GB2312",
    "heiti": "黑体",
    "kaiti": "楷体_GB2312",
    "songti": "宋体",
}

# Names a "standard" DOCX writes for runs drawn from these files, whatever their role: the product font the
# file is metric-compatible with (Times New Roman is what 公文 templates declare for ascii/hAnsi).
DOCX_STANDARD_FILE_NAMES: dict[str, str] = {LATIN_SERIF: "Times New Roman"}
