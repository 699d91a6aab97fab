"""Generated documents: DOCX templates filled with docxtpl, and their text read back.

The templates live in ``docx_templates/`` beside this module and are built, reproducibly, by
``tools/build_docx_templates.py`` from the layout constants below. They follow GB/T 9704-2012
(党政机关公文格式): A4 paper, 版心 156 mm × 225 mm with 天头 37 mm and 订口 28 mm (§5.2.1–5.2.2),
title in 方正小标宋简体 二号, body in 仿宋_GB2312 三号 (§5.2.3, §7.3.1–7.3.3), 发文字号
`X检X〔2024〕N号` with 〔〕 brackets and no leading zeros (§7.2.4), the issuing organisation's name
and the date over which the seal (院印) is placed (§7.3.5).

Template variables every template understands:

    org_name     the procuratorate's full name (人民检察院), printed above the title and as signature
    doc_number   the 文号 (see `official_number`), or the printed 部门受案号 for a registration form
    date         the date of the document as `chinese_date` writes it
    seal         the placeholder printed where the seal goes: `SEAL_PLACEHOLDER`

`notice.docx` adds ``title``, ``addressee`` and ``paragraphs`` (a list of strings, one paragraph
each); `acceptance_form.docx` documents its own variables in the build tool.
"""

from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from docx import Document as open_docx
from docx.oxml.ns import qn
from docxtpl import DocxTemplate

TEMPLATE_DIR = Path(__file__).resolve().parent / "docx_templates"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# GB/T 9704-2012 §5.2: A4 (210 mm × 297 mm) in twips, 版心 156 mm × 225 mm.
PAGE_WIDTH_TWIPS = 11906
PAGE_HEIGHT_TWIPS = 16838
MARGIN_TOP_MM = 37  # 天头
MARGIN_LEFT_MM = 28  # 订口
MARGIN_RIGHT_MM = 210 - MARGIN_LEFT_MM - 156
MARGIN_BOTTOM_MM = 297 - MARGIN_TOP_MM - 225

# §7.3.1–7.3.3: title 二号 (22 pt) 方正小标宋简体, body 三号 (16 pt) 仿宋_GB2312, first-level
# headings 黑体; 22 lines a page on the 225 mm 版心 (28.95 pt each); forms use 四号 (14 pt) in tables.
FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_HEADING = "黑体"
FONT_PAGE_NUMBER = "宋体"
SIZE_TITLE_PT = 22
SIZE_BODY_PT = 16
SIZE_TABLE_PT = 14
LINE_PITCH_PT = 28.95

SEAL_PLACEHOLDER = "（院印）"


class TemplateNotFound(LookupError):
    """No template of that name in docx_templates/."""


def template_names() -> list[str]:
    """The templates shipped in the repository, by file name."""
    return sorted(p.name for p in TEMPLATE_DIR.glob("*.docx"))


def render_docx(template_name: str, context: dict[str, Any]) -> bytes:
    """Fill a template of docx_templates/ and return the DOCX file's bytes.

    Values are XML-escaped (autoescape), so names with ``&`` or ``<`` cannot break the document;
    a newline in a value becomes a line break. `SEAL_PLACEHOLDER` is supplied as ``seal``
    unless the context gives another.
    """
    path = TEMPLATE_DIR / template_name
    if Path(template_name).name != template_name or not path.is_file():
        raise TemplateNotFound(f"没有名为 {template_name} 的文书模板")
    template = DocxTemplate(path)
    template.render({"seal": SEAL_PLACEHOLDER, **context}, autoescape=True)
    out = BytesIO()
    template.save(out)
    return out.getvalue()


def docx_text(data: bytes) -> str:
    """The text of a DOCX file in reading order: one line per paragraph, one line per table row
    with its cells separated by tabs (a cell spanning columns is one cell)."""
    document = open_docx(BytesIO(data))
    lines = []
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            lines.append(_paragraph_text(block))
        elif block.tag == qn("w:tbl"):
            lines.extend(_table_lines(block))
    return "\n".join(lines)


def _paragraph_text(paragraph) -> str:
    """A paragraph's text; a line break inside it becomes a newline."""
    marks = {qn("w:br"): "\n", qn("w:tab"): "\t"}
    return "".join(marks.get(node.tag, node.text or "") for node in paragraph.iter(qn("w:t"), *marks))


def _table_lines(table) -> list[str]:
    lines = []
    for row in table.iter(qn("w:tr")):
        cells = [" ".join(_paragraph_text(p) for p in cell.iter(qn("w:p"))) for cell in row.iterchildren(qn("w:tc"))]
        lines.append("\t".join(cells))
    return lines


def official_number(org: Any, series: str, year: int, n: int) -> str:
    """A 文号 as documents print it (GB/T 9704-2012 §7.2.4; domain-rules §4.2): 院简称 + 检 +
    业务/文书简称 + 〔year〕 + number without leading zeros + 号, e.g. ``环检刑受〔2026〕12号``.
    `org` is an Organisation or its short name (院简称)."""
    short_name = getattr(org, "short_name", org)
    return f"{short_name}检{series}〔{year}〕{n}号"


def printed_case_no(number: str) -> str:
    """A 部门受案号 as printed: data keeps [ ], documents print 〔 〕 (domain-rules §4.2)."""
    return number.replace("[", "〔").replace("]", "〕")


def chinese_date(day: date | None) -> str:
    """A date as GB/T 9704-2012 §7.3.5.1 writes 成文日期: Arabic numerals, the year in full, month
    and day without leading zeros (2026年1月5日); an empty string for no date."""
    if day is None:
        return ""
    return f"{day.year}年{day.month}月{day.day}日"


def docx_response(data: bytes, filename: str) -> HttpResponse:
    """A download of DOCX bytes. The Chinese file name goes in ``filename*`` (RFC 5987/6266);
    ``filename`` carries an ASCII fallback for clients that ignore it."""
    response = HttpResponse(data, content_type=DOCX_MIME)
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in filename)
    response["Content-Disposition"] = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    return response
