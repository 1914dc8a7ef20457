"""A generated booklet of invented speeches: varied paragraph lengths and headings, so that page breaks fall
in every position a paragraph can have (its first line, its last, a heading's foot), deterministically."""

from __future__ import annotations

import random
from itertools import pairwise

from publish.layout.frame import LayoutPlan
from publish.model import Booklet, Heading, Paragraph, Speech

# Invented clauses (the project's own text), ending without punctuation; the generator joins them.
CLAUSES = (
    "我们坚持把学习教育贯穿工作全过程",
    "认真落实各项制度要求",
    "切实提高服务群众的能力和水平",
    "在基层一线锤炼过硬作风",
    "围绕中心任务谋划年度重点工作",
    "推动各项措施落地见效",
    "把每一件小事当作大事来办",
    "主动听取群众意见建议",
    "不断完善考核评价办法",
    "加强队伍建设和业务培训",
    "以钉钉子精神抓好整改落实",
    "形成上下联动的工作格局",
    "2024年共开展专题活动36次",
    "覆盖社区和村组100%以上",
    "持续深化调查研究",
    "把问题解决在萌芽状态",
)
HEADINGS = (
    "一、提高政治站位，强化责任担当",
    "二、聚焦主责主业，狠抓工作落实",
    "三、坚持问题导向，补齐短板弱项",
    "四、加强自身建设，树立良好形象",
)
HEADING_ROLES = {"h1", "h2", "h3", "h4"}
SUBHEADINGS = ("（一）深入学习", "（二）扎实推进", "（三）健全机制")


def _paragraph(rng: random.Random, clauses: int, pool: tuple[str, ...]) -> str:
    parts = [rng.choice(pool) for _ in range(clauses)]
    return "，".join(parts) + "。"


def generated_booklet(speeches: int = 100, seed: int = 15, latin: bool = True) -> Booklet:
    """Return ``speeches`` invented speeches: a title, a speaker, headings and 1- to 12-line paragraphs;
    without ``latin`` no paragraph holds a digit or Latin letter."""
    rng = random.Random(seed)
    pool = CLAUSES if latin else tuple(c for c in CLAUSES if not any(x.isascii() for x in c))
    out = []
    for s in range(speeches):
        blocks: list[Heading | Paragraph] = [Paragraph(_paragraph(rng, rng.randint(1, 6), pool))]
        for h in range(rng.randint(2, 4)):
            blocks.append(Heading(1, HEADINGS[h]))
            for _ in range(rng.randint(1, 4)):
                if rng.random() < 0.25:
                    blocks.append(Heading(2, rng.choice(SUBHEADINGS)))
                blocks.append(Paragraph(_paragraph(rng, rng.choice((1, 2, 3, 4, 6, 9, 14, 20)), pool)))
        title = (f"在专题学习会上的交流发言（{s + 1}）",)
        out.append(Speech(title, tuple(blocks), speaker=f"第{s + 1}组代表"))
    return Booklet("交流发言汇编", tuple(out))


def plan_breaks(laid_out: LayoutPlan) -> list[str]:
    """Return every page break of ``laid_out`` that leaves a paragraph's lone line or a heading at a page
    edge, or a heading with a single line of its next paragraph."""
    found = []
    for page in laid_out.pages:
        if page.kind != "body":
            continue
        lines = [line for line in page.lines if line.grid_line >= 0]
        if not lines:
            continue
        top, foot = lines[0], lines[-1]
        if top.last and not top.first:
            found.append(f"page {page.index + 1} opens with a last line alone: {top.text}")
        if foot.first and not foot.last:
            found.append(f"page {page.index + 1} ends with a first line alone: {foot.text}")
        if foot.role in HEADING_ROLES:
            found.append(f"page {page.index + 1} ends with a heading: {foot.text}")
        for a, b in pairwise(lines):
            if a.role in HEADING_ROLES and b.role not in HEADING_ROLES and b is foot and not b.last:
                found.append(f"page {page.index + 1}: heading with one line of its paragraph: {a.text}")
    return found
