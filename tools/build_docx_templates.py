#!/usr/bin/env python3
"""Build the DOCX templates of src/bihuan/documents/docx_templates/ with python-docx.

Usage::

    python tools/build_docx_templates.py              # rewrites every template
    python tools/build_docx_templates.py --out DIR    # writes them to DIR instead

The templates are generated, not edited by hand, so that their layout is reviewable code and
each rebuild gives the same files. The layout follows GB/T 9704-2012 through the constants of
`bihuan.documents.generate`: A4 page, 天头 37 mm, 订口 28 mm, 版心 156 mm × 225 mm with 22
lines of 28.95 pt, title 方正小标宋简体 二号, body 仿宋_GB2312 三号, headings 黑体, page numbers
宋体 四号 "— 1 —" (odd pages right, even pages left). Every run names its font for Latin text
and, in ``w:eastAsia``, for Chinese text, so that Word and WPS pick the same fonts; the document
language is zh-CN. Placeholders are docxtpl (Jinja) tags, each kept inside one run.

Templates and their variables (besides org_name, doc_number, date, seal; see generate.py):

notice.docx            title, addressee, paragraphs (list of str)
acceptance_form.docx   案件受理登记表 (Rule 158): dept_case_no, unified_case_no, case_name,
                       case_type, procedure, source_agency, charge, transfer_date, received_date,
                       registered_by, accepted_by, summary,
                       suspects (seq, name, gender, birth_date, measure),
                       materials (seq, name, kind, mark, status),
                       deferred (seq, name, due, reason, state)
"""

import argparse
import sys
from datetime import datetime
from io import BytesIO
from pathlib import Path
from zipfile import ZIP_DEFLATED, ZipFile, ZipInfo

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from bihuan.documents.generate import (  # noqa: E402 - after the path set-up above
    FONT_BODY,
    FONT_HEADING,
    FONT_PAGE_NUMBER,
    FONT_TITLE,
    LINE_PITCH_PT,
    MARGIN_BOTTOM_MM,
    MARGIN_LEFT_MM,
    MARGIN_RIGHT_MM,
    MARGIN_TOP_MM,
    PAGE_HEIGHT_TWIPS,
    PAGE_WIDTH_TWIPS,
    SIZE_BODY_PT,
    SIZE_TABLE_PT,
    SIZE_TITLE_PT,
    TEMPLATE_DIR,
)

# A fixed timestamp, so that a rebuild without changes gives identical document properties.
BUILT = datetime(2026, 1, 1)  # noqa: DTZ001 - document properties carry no time zone
SIZE_PAGE_NUMBER_PT = 14  # 四号
TABLE_LINE_PT = 22


# --- fonts and styles ----------------------------------------------------------------------------


def name_font(element_rpr, font: str) -> None:
    """Name the font for every script in a w:rPr: ascii/hAnsi (Latin), eastAsia (Chinese), cs."""
    fonts = element_rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        element_rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), font)
    # A theme font attribute would win over the named font in Word.
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)


def style_run(run, font: str, size_pt: float, *, bold: bool = False) -> None:
    run.font.size = Pt(size_pt)
    run.font.bold = bold
    name_font(run._element.get_or_add_rPr(), font)


def set_language(document) -> None:
    """Document defaults: Chinese (zh-CN) text in 仿宋_GB2312 三号."""
    rpr_default = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    name_font(rpr_default, FONT_BODY)
    lang = rpr_default.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr_default.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def paragraph_style(document, name: str, font: str, size_pt: float, *, bold: bool = False):
    style = document.styles.add_style(name, 1)  # WD_STYLE_TYPE.PARAGRAPH
    style.base_style = document.styles["Normal"]
    style.font.size = Pt(size_pt)
    style.font.bold = bold
    name_font(style.element.get_or_add_rPr(), font)
    style.paragraph_format.space_before = Pt(0)
    style.paragraph_format.space_after = Pt(0)
    style.paragraph_format.line_spacing = Pt(LINE_PITCH_PT)
    return style


def set_up_styles(document) -> None:
    set_language(document)
    normal = document.styles["Normal"]
    normal.font.size = Pt(SIZE_BODY_PT)
    name_font(normal.element.get_or_add_rPr(), FONT_BODY)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = Pt(LINE_PITCH_PT)
    paragraph_style(
        document, "公文标题", FONT_TITLE, SIZE_TITLE_PT
    ).paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    body = paragraph_style(document, "公文正文", FONT_BODY, SIZE_BODY_PT)
    body.paragraph_format.first_line_indent = Pt(SIZE_BODY_PT * 2)  # 首行缩进二字
    body.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph_style(document, "公文一级标题", FONT_HEADING, SIZE_BODY_PT)
    cell = paragraph_style(document, "表格文字", FONT_BODY, SIZE_TABLE_PT)
    cell.paragraph_format.line_spacing = Pt(TABLE_LINE_PT)


# --- page ----------------------------------------------------------------------------------------


def page_number_footer(footer, alignment) -> None:
    """ "— N —" in 宋体 四号, one character in from the edge (GB/T 9704-2012 §7.5)."""
    paragraph = footer.paragraphs[0]
    paragraph.alignment = alignment
    indent = Pt(SIZE_PAGE_NUMBER_PT)
    if alignment == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = indent
    else:
        paragraph.paragraph_format.left_indent = indent
    style_run(paragraph.add_run("— "), FONT_PAGE_NUMBER, SIZE_PAGE_NUMBER_PT)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    number = paragraph.add_run("1")
    style_run(number, FONT_PAGE_NUMBER, SIZE_PAGE_NUMBER_PT)
    field.append(number._element)
    paragraph._p.append(field)
    style_run(paragraph.add_run(" —"), FONT_PAGE_NUMBER, SIZE_PAGE_NUMBER_PT)


def set_up_page(document) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width = Twips(PAGE_WIDTH_TWIPS)
    section.page_height = Twips(PAGE_HEIGHT_TWIPS)
    section.top_margin = Mm(MARGIN_TOP_MM)
    section.bottom_margin = Mm(MARGIN_BOTTOM_MM)
    section.left_margin = Mm(MARGIN_LEFT_MM)
    section.right_margin = Mm(MARGIN_RIGHT_MM)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(28)  # the page number sits 7 mm below the 版心 (§7.5)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))
    document.settings.odd_and_even_pages_header_footer = True
    page_number_footer(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    page_number_footer(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    properties = document.core_properties
    properties.author = "闭环"
    properties.last_modified_by = "闭环"
    properties.created = BUILT
    properties.modified = BUILT
    properties.language = "zh-CN"
    properties.revision = 1


def new_document(title: str):
    document = Document()
    set_up_styles(document)
    set_up_page(document)
    document.core_properties.title = title
    return document


# --- blocks --------------------------------------------------------------------------------------


def add(document, text: str, style: str, *, align=None, font: str = FONT_BODY, size: float = SIZE_BODY_PT):
    paragraph = document.add_paragraph(style=style)
    if align is not None:
        paragraph.alignment = align
    if text:
        style_run(paragraph.add_run(text), font, size)
    return paragraph


def title_block(document, title: str) -> None:
    """院名 and document title in 方正小标宋简体 二号, then the 文号 right-aligned (三号仿宋)."""
    add(document, "{{ org_name }}", "公文标题", font=FONT_TITLE, size=SIZE_TITLE_PT)
    add(document, title, "公文标题", font=FONT_TITLE, size=SIZE_TITLE_PT)
    add(document, "{{ doc_number }}", "Normal", align=WD_ALIGN_PARAGRAPH.RIGHT)
    add(document, "", "Normal")


def signature_block(document) -> None:
    """Organisation, seal placeholder and date, right-aligned four characters in (§7.3.5.2)."""
    add(document, "", "Normal")
    for text in ("{{ org_name }}", "{{ seal }}", "{{ date }}"):
        paragraph = add(document, text, "Normal", align=WD_ALIGN_PARAGRAPH.RIGHT)
        paragraph.paragraph_format.right_indent = Pt(SIZE_BODY_PT * 4)


def table(document, widths_mm: list[int], rows: list[list[str]], *, header: bool = True):
    """A bordered table in 仿宋_GB2312 四号; `rows` are cell texts, "" for empty cells."""
    grid = document.add_table(rows=len(rows), cols=len(widths_mm))
    grid.style = document.styles["Table Grid"]
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for r, texts in enumerate(rows):
        for c, text in enumerate(texts):
            cell = grid.cell(r, c)
            cell.width = Mm(widths_mm[c])
            paragraph = cell.paragraphs[0]
            paragraph.style = document.styles["表格文字"]
            if header and r == 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if text:
                style_run(paragraph.add_run(text), FONT_HEADING if header and r == 0 else FONT_BODY, SIZE_TABLE_PT)
    return grid


def loop_table(document, widths_mm: list[int], heads: list[str], loop: str, cells: list[str]):
    """A header row, then one row per item of a docxtpl `{%tr for %}` loop."""
    blank = [""] * (len(heads) - 1)
    rows = [heads, [f"{{%tr for {loop} %}}", *blank], cells, ["{%tr endfor %}", *blank]]
    return table(document, widths_mm, rows)


# --- templates -----------------------------------------------------------------------------------


def build_notice():
    """A numbered notice (通知书): 案件流程监控通知书, the case-code notice and the like."""
    document = new_document("通知书")
    title_block(document, "{{ title }}")
    add(document, "{{ addressee }}：", "Normal")
    add(document, "{%p for paragraph in paragraphs %}", "公文正文")
    add(document, "{{ paragraph }}", "公文正文")
    add(document, "{%p endfor %}", "公文正文")
    signature_block(document)
    return document


def build_acceptance_form():
    """案件受理登记表 (Rule 158): what the case-management office registered and accepted."""
    document = new_document("案件受理登记表")
    title_block(document, "案件受理登记表")
    info = table(
        document,
        [28, 50, 28, 50],
        [
            ["部门受案号", "{{ dept_case_no }}", "统一受案号", "{{ unified_case_no }}"],
            ["案件名称", "{{ case_name }}", "", ""],
            ["案件类别", "{{ case_type }}", "适用程序", "{{ procedure }}"],
            ["移送单位", "{{ source_agency }}", "移送案由", "{{ charge }}"],
            ["移送日期", "{{ transfer_date }}", "受理日期", "{{ received_date }}"],
            ["登记人", "{{ registered_by }}", "受理人", "{{ accepted_by }}"],
            ["简要案情", "{{ summary }}", "", ""],
        ],
        header=False,
    )
    for row in (1, 6):
        info.cell(row, 1).merge(info.cell(row, 3))
    add(document, "", "Normal")
    add(document, "一、犯罪嫌疑人", "公文一级标题", font=FONT_HEADING)
    loop_table(
        document,
        [14, 28, 16, 34, 64],
        ["序号", "姓名", "性别", "出生日期", "强制措施"],
        "s in suspects",
        ["{{ s.seq }}", "{{ s.name }}", "{{ s.gender }}", "{{ s.birth_date }}", "{{ s.measure }}"],
    )
    add(document, "", "Normal")
    add(document, "二、随案移送材料", "公文一级标题", font=FONT_HEADING)
    loop_table(
        document,
        [14, 66, 28, 48],
        ["序号", "材料名称", "类别", "接收情况"],
        "m in materials",
        ["{{ m.seq }}", "{{ m.name }}", "{{ m.kind }}", "{{ m.mark }} {{ m.status }}"],
    )
    add(document, "", "Normal")
    add(document, "三、先收后补事项", "公文一级标题", font=FONT_HEADING)
    add(document, "{%p if deferred %}", "Normal")
    loop_table(
        document,
        [14, 48, 32, 36, 26],
        ["序号", "待补材料", "补送期限", "原因", "补齐情况"],
        "d in deferred",
        ["{{ d.seq }}", "{{ d.name }}", "{{ d.due }}", "{{ d.reason }}", "{{ d.state }}"],
    )
    add(document, "{%p else %}", "Normal")
    add(document, "无。", "公文正文")
    add(document, "{%p endif %}", "Normal")
    signature_block(document)
    return document


TEMPLATES = {
    "notice.docx": build_notice,
    "acceptance_form.docx": build_acceptance_form,
}


def save(document, path: Path) -> None:
    """Save with fixed zip timestamps, so that an unchanged template rebuilds byte for byte."""
    buffer = BytesIO()
    document.save(buffer)
    with ZipFile(buffer) as source, ZipFile(path, "w", ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(ZipInfo(item.filename, date_time=BUILT.timetuple()[:6]), source.read(item.filename))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=TEMPLATE_DIR, help="folder to write the templates to")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, build in TEMPLATES.items():
        path = args.out / name
        save(build(), path)
        print(f"{path}")


if __name__ == "__main__":
    main()
