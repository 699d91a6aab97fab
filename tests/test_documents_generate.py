"""The DOCX layer: every template renders, opens and reads back in Chinese, on A4 in the fonts of
GB/T 9704-2012, with its 文号 and 院印 placeholder filled."""

import importlib.util
import re
from datetime import date
from io import BytesIO
from pathlib import Path
from zipfile import ZipFile

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Length

from bihuan.documents.generate import (
    FONT_BODY,
    FONT_TITLE,
    SEAL_PLACEHOLDER,
    TEMPLATE_DIR,
    TemplateNotFound,
    chinese_date,
    docx_response,
    docx_text,
    official_number,
    printed_case_no,
    render_docx,
    template_names,
)

ROOT = Path(__file__).resolve().parent.parent

# One context that fills every variable of every template.
CONTEXT = {
    "org_name": "山东省威海市环翠区人民检察院",
    "doc_number": official_number("环", "案监", 2026, 12),
    "date": chinese_date(date(2026, 1, 5)),
    "title": "案件流程监控通知书",
    "addressee": "第一检察部",
    "paragraphs": ["经审查，你部办理的张某某危险驾驶案存在下列问题：", "请于十日内书面回复。"],
    "dept_case_no": printed_case_no("环检刑诉受[2026]371002000012号"),
    "unified_case_no": "37100220260000012",
    "case_name": "张某某危险驾驶案",
    "case_type": "审查起诉",
    "procedure": "速裁程序",
    "source_agency": "威海市公安局环翠分局",
    "charge": "危险驾驶罪",
    "transfer_date": "2026年1月4日",
    "received_date": "2026年1月5日",
    "registered_by": "案管甲",
    "accepted_by": "案管乙",
    "summary": "2025年12月1日晚，犯罪嫌疑人张某某醉酒驾驶机动车。",
    "suspects": [{"seq": 1, "name": "张某某", "gender": "男", "birth_date": "1990年5月17日", "measure": "取保候审"}],
    "materials": [{"seq": 1, "name": "起诉意见书", "kind": "随案材料", "mark": "√", "status": "已接收"}],
    "deferred": [{"seq": 1, "name": "讯问录音录像", "due": "2026年1月12日", "reason": "光盘损坏", "state": "未补齐"}],
}
# Text each template must show once filled.
COMMON = ["山东省威海市环翠区人民检察院", "2026年1月5日", SEAL_PLACEHOLDER]
EXPECTED = {
    "notice.docx": [*COMMON, "案件流程监控通知书", "环检案监〔2026〕12号", "第一检察部：", "请于十日内书面回复。"],
    "acceptance_form.docx": [
        *COMMON,
        "案件受理登记表",
        "环检刑诉受〔2026〕371002000012号",
        "37100220260000012",
        "张某某危险驾驶案",
        "威海市公安局环翠分局",
        "张某某\t男\t1990年5月17日\t取保候审",
        "起诉意见书\t随案材料\t√ 已接收",
        "讯问录音录像\t2026年1月12日\t光盘损坏\t未补齐",
    ],
}


def test_every_template_is_listed_here():
    assert template_names() == sorted(EXPECTED)


@pytest.mark.parametrize("name", template_names())
def test_template_renders_and_reads_back_in_chinese(name):
    data = render_docx(name, CONTEXT)
    text = docx_text(data)
    for expected in EXPECTED[name]:
        assert expected in text, expected
    # No placeholder is left unfilled.
    assert "{{" not in text
    assert "{%" not in text


@pytest.mark.parametrize("name", template_names())
def test_template_is_a4_with_gbt9704_margins(name):
    document = Document(BytesIO(render_docx(name, CONTEXT)))
    for section in document.sections:
        size = section._sectPr.find(qn("w:pgSz"))
        assert (size.get(qn("w:w")), size.get(qn("w:h"))) == ("11906", "16838")
        # 天头 37 mm, 订口 28 mm; the 版心 is 156 mm × 225 mm.
        assert round(section.top_margin.mm) == 37
        assert round(section.left_margin.mm) == 28
        assert round(Length(section.page_width - section.left_margin - section.right_margin).mm) == 156
        assert round(Length(section.page_height - section.top_margin - section.bottom_margin).mm) == 225


@pytest.mark.parametrize("name", template_names())
def test_template_names_its_chinese_fonts(name):
    with ZipFile(BytesIO(render_docx(name, CONTEXT))) as docx:
        body = docx.read("word/document.xml").decode()
        styles = docx.read("word/styles.xml").decode()
    east_asian = set(re.findall(r'w:eastAsia="([^"]+)"', body))
    assert {FONT_BODY, FONT_TITLE} <= east_asian
    # The title runs are 二号 (22 pt = 44 half-points) and the body 三号 (16 pt).
    assert re.search(rf'w:eastAsia="{FONT_TITLE}"[^>]*/>(?:<[^>]+/>)*<w:sz w:val="44"/>', body)
    assert re.search(rf'w:eastAsia="{FONT_BODY}"[^>]*/>(?:<[^>]+/>)*<w:sz w:val="32"/>', body)
    # The document language is Chinese, and no theme font overrides the named ones.
    assert 'w:eastAsia="zh-CN"' in styles
    assert "eastAsiaTheme" not in body


def test_values_are_escaped_and_line_breaks_kept():
    data = render_docx("notice.docx", {**CONTEXT, "addressee": "A&B<公安局>", "paragraphs": ["第一行\n第二行"]})
    text = docx_text(data)
    assert "A&B<公安局>：" in text
    assert "第一行\n第二行" in text


@pytest.mark.parametrize("name", ["missing.docx", "../generate.py", "docx_templates/notice.docx"])
def test_unknown_template_is_refused(name):
    with pytest.raises(TemplateNotFound):
        render_docx(name, CONTEXT)


def test_templates_in_the_repository_are_what_the_build_tool_makes(tmp_path):
    """The .docx files are generated: rebuilding them gives the committed bytes."""
    spec = importlib.util.spec_from_file_location("build_docx_templates", ROOT / "tools" / "build_docx_templates.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    for name, build in tool.TEMPLATES.items():
        tool.save(build(), tmp_path / name)
        assert (tmp_path / name).read_bytes() == (TEMPLATE_DIR / name).read_bytes(), name


def test_official_numbers_and_dates_as_printed():
    assert official_number("环", "刑受", 2026, 12) == "环检刑受〔2026〕12号"
    assert printed_case_no("测02检刑诉受[2024]371002000001号") == "测02检刑诉受〔2024〕371002000001号"
    assert chinese_date(date(2026, 1, 5)) == "2026年1月5日"
    assert chinese_date(None) == ""


def test_download_names_the_file_in_chinese_with_an_ascii_fallback():
    response = docx_response(b"PK", "受理登记表-测检刑诉受〔2024〕371002000001号.docx")
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    assert "filename*=UTF-8''%E5%8F%97%E7%90%86" in disposition
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument")
    assert disposition.isascii()
