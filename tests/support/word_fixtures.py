"""Build small Word documents for the DOCX reader's tests with python-docx (raw XML where it has no API).

Every text here is invented for the tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt

W = nsdecls("w")


def styled(path: Path) -> Path:
    """A speech marked up with Word's own styles: Title, Heading 1/2, Normal."""
    document = docx.Document()
    document.add_paragraph("以实干担当推动基层治理提质增效", style="Title")
    document.add_paragraph("（在全市基层治理工作会议上的发言）")
    document.add_paragraph("同志们：今年以来，我们聚焦群众急难愁盼问题，推动基层治理不断取得新成效。")
    document.add_heading("一、聚焦重点，夯实治理基础", level=1)
    document.add_heading("（一）健全网格体系", level=2)
    document.add_paragraph("我们把全街道划分为四十个网格，每个网格配备专职网格员。")
    document.add_heading("畅通议事渠道", level=2)  # a heading without a number: its level from the style
    document.add_paragraph("一是建立居民议事会，二是开通线上意见箱。")
    document.add_heading("二、聚焦难点，破解治理难题", level=1)
    document.add_paragraph("下一步，我们将持续用力，久久为功。")
    document.save(str(path))
    return path


def formatted(path: Path) -> Path:
    """The same kind of speech with direct formatting only: no style but Normal anywhere."""
    document = docx.Document()

    def add(text: str, *, bold: bool = False, size: float | None = None, centre: bool = False) -> Any:
        paragraph = document.add_paragraph()
        run = paragraph.add_run(text)
        run.bold = bold or None
        if size:
            run.font.size = Pt(size)
        if centre:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        return paragraph

    add("关于深化作风建设的几点思考", bold=True, size=22, centre=True)
    add("——在机关作风建设推进会上的交流发言", centre=True)
    add("各位领导、同志们：作风建设永远在路上，我结合工作实际谈三点认识。", size=16)
    add("一、加强学习，提高认识。", bold=True, size=16)
    add("思想是行动的先导，只有认识到位，才能行动自觉。", size=16)
    add("二、转变作风，狠抓落实", bold=True, size=16)
    add("我们要坚持问题导向，把调查研究作为基本功。", size=16)
    add("持续整治形式主义为基层减负", bold=True, size=22, centre=True)  # a second speech
    add("基层减负是一项长期任务，必须常抓不懈。", size=16)
    document.save(str(path))
    return path


NUMBERING = f"""<w:numbering {W}>
  <w:abstractNum w:abstractNumId="7">
    <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/>
      <w:suff w:val="nothing"/></w:lvl>
    <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>
      <w:lvlText w:val="（%2）"/></w:lvl>
    <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
    <w:lvl w:ilvl="3"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="（%4）"/></w:lvl>
  </w:abstractNum>
  <w:num w:numId="1"><w:abstractNumId w:val="7"/></w:num>
  <w:num w:numId="2"><w:abstractNumId w:val="7"/>
    <w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>
</w:numbering>"""


def numbered(path: Path, items: list[tuple[int, int, str]]) -> Path:
    """A titled document whose paragraphs ``(numId, ilvl, text)`` carry numbering (numId 0: none)."""
    document = docx.Document()
    numbering_part = document.part.numbering_part
    numbering_part._element = parse_xml(NUMBERING)
    document.add_paragraph("在乡村振兴工作推进会上的讲话", style="Title")
    for num_id, ilvl, text in items:
        paragraph = document.add_paragraph(text)
        if num_id:
            props = paragraph._p.get_or_add_pPr()
            props.append(
                parse_xml(f'<w:numPr {W}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>')
            )
    document.save(str(path))
    return path


def revised(path: Path) -> Path:
    """Tracked changes, content controls, line and page breaks, a header, a table and an image."""
    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "页眉文字不属于正文"
    document.add_paragraph("推进数字政府建设的实践与思考", style="Title")
    body = document.add_paragraph("我们坚持")
    body._p.append(parse_xml(f'<w:ins {W} w:id="1" w:author="甲"><w:r><w:t>系统谋划、</w:t></w:r></w:ins>'))
    body._p.append(
        parse_xml(f'<w:del {W} w:id="2" w:author="乙"><w:r><w:delText>草率上马、</w:delText></w:r></w:del>')
    )
    body.add_run("整体推进，")
    body.add_run().add_break()  # a line break inside prose: joined like a hard wrap
    body.add_run("让数据多跑路、群众少跑腿。")
    control = parse_xml(
        f"<w:sdt {W}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>政务服务事项全部实现网上可办。</w:t></w:r>"
        "</w:p></w:sdtContent></w:sdt>"
    )
    body._p.addnext(control)
    placeholder = parse_xml(
        f"<w:sdt {W}><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:p><w:r>"
        "<w:t>单击此处输入文字。</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    control.addnext(placeholder)
    inline = document.add_paragraph("我们还")
    inline._p.append(
        parse_xml(
            f"<w:sdt {W}><w:sdtPr/><w:sdtContent><w:r><w:t>打通了数据壁垒</w:t></w:r></w:sdtContent></w:sdt>"
        )
    )
    inline.add_run("。")
    inline.add_run().add_break(WD_BREAK.PAGE)
    table = document.add_table(rows=2, cols=2)
    for row, cells in enumerate((("指标", "完成值"), ("网办率", "百分之九十八"))):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    document.add_paragraph("下一步，我们将持续优化营商环境。")
    picture = document.add_paragraph("图示如下：")
    picture.add_run()._r.append(parse_xml(f"<w:drawing {W}/>"))
    document.save(str(path))
    return path


def heading_titles(path: Path) -> Path:
    """Two speeches titled with Heading 1 (no Title style), a two-line title (line break), a custom style
    with an outline level, and heading styles that number themselves through a numbering style link."""
    document = docx.Document()
    numbering_part = document.part.numbering_part
    numbering_part._element = parse_xml(NUMBERING)
    styles = document.styles
    custom = styles.add_style("公文二级标题", WD_STYLE_TYPE.PARAGRAPH)
    custom.base_style = styles["Normal"]
    custom.element.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {W} w:val="2"/>'))
    numbered_style = styles["Heading 2"]
    numbered_style.element.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W}><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>')
    )
    title = document.add_heading("守正创新", level=1)
    title.add_run().add_break()
    title.add_run("奋力开创宣传思想工作新局面")
    document.add_paragraph("宣传思想工作是做人的工作，必须把握好时度效。")
    document.add_heading("坚持正确导向", level=2)  # numbered by its style: 一、
    document.add_paragraph("（一）把牢政治方向", style="公文二级标题")
    document.add_paragraph("导向正确是宣传工作的生命线。")
    document.add_heading("创新方式方法", level=2)  # 二、
    document.add_heading("加强文化建设的几点思考", level=1)  # a second speech
    document.add_paragraph("文化是一个国家、一个民族的灵魂。")
    box = document.add_paragraph("如图所示。")
    box.add_run()._r.append(
        parse_xml(
            f"<w:pict {W}><w:txbxContent><w:p><w:r><w:t>文本框里的说明文字</w:t></w:r></w:p>"
            "</w:txbxContent></w:pict>"
        )
    )
    document.save(str(path))
    return path


def assembled(path: Path) -> Path:
    """A 汇编 already in one document: the Title names the collection, Heading 1 each speech."""
    document = docx.Document()
    document.add_paragraph("2024年度基层党建工作交流材料汇编", style="Title")
    for title, topic in (("抓实支部建设", "支部建设"), ("做优党员教育", "党员教育")):
        document.add_heading(title, level=1)
        document.add_paragraph(f"今年以来，我们把{topic}作为重点工作。")
        document.add_heading(f"一、{topic}的主要做法", level=2)
        document.add_paragraph("主要做法有三条。")
    document.save(str(path))
    return path


def plain(path: Path, lines: list[str]) -> Path:
    """A document of Normal paragraphs without any formatting: one paragraph a line."""
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    return path


__all__ = ["assembled", "formatted", "heading_titles", "numbered", "plain", "revised", "styled"]
