"""The business-report pages: the comparison, the cases behind a figure, import, entry, batches."""

import re

import pytest
from django.test import Client

from bihuan.bizreports.actions import do_enter_figures
from bihuan.bizreports.models import ReportBatch, ReportFigure
from bihuan.bizreports.panels import nav
from tests.bizreports_helpers import LONG_HEADER, build_small, csv_bytes, named, xlsx_bytes

MARCH = {"year": 2024, "month": 3}


@pytest.fixture
def small(world):
    return build_small(world)


def login(world, role: str) -> Client:
    client = Client()
    client.force_login(world.people[role])
    return client


def token(page) -> str:
    return re.search(r'name="submit_token" value="([^"]+)"', page.content.decode()).group(1)


def row_of(page, code: str) -> str:
    """The table row of one item on the report page."""
    html = page.content.decode()
    start = html.index(f'<span class="muted mono">{code}</span>')
    return html[html.rfind("<tr", 0, start) : html.index("</tr>", start)]


def test_the_report_page_shows_reported_computed_and_the_difference(small):
    county, cm = small.world.county, small.world.people["cm"]
    do_enter_figures(county, None, 2024, 3, {"QS": 2, "BQS": 5}, cm)
    page = login(small.world, "cm").get("/reports/", {"org": county.pk, **MARCH})
    assert page.status_code == 200
    body = page.content.decode()
    assert "1 项报表数与案卡数不一致" in body
    bqs = row_of(page, "BQS")
    assert 'class="differs"' in bqs
    assert ">5<" in bqs
    assert '<span class="badge badge-red diff">+3</span>' in bqs
    assert "手工录入" in bqs
    assert str(cm) in bqs
    qs = row_of(page, "QS")
    assert "differs" not in qs
    link = re.search(r'href="(/reports/cases/\?[^"]+)">2</a>', qs).group(1)
    assert "item=QS" in link
    assert "未报" in row_of(page, "SLQS")


def test_a_computed_figure_opens_the_cases_behind_it(small):
    c = small.cases
    client = login(small.world, "cm")
    page = client.get("/reports/cases/", {"org": small.world.county.pk, "item": "SJDB", **MARCH})
    assert page.status_code == 200
    shown = set(map(int, re.findall(r'href="/cases/(\d+)/"', page.content.decode())))
    assert shown == {c["A1"].pk, c["A2"].pk}
    assert "共 2 件" in page.content.decode()
    persons = client.get("/reports/cases/", {"org": small.world.county.pk, "item": "CHQS", **MARCH})
    assert "本项目按人计" in persons.content.decode()


def test_a_department_head_reads_only_their_department(small):
    world = small.world
    client = login(world, "head")
    own = client.get("/reports/", {"org": world.county.pk, "department": world.county_dept.pk, **MARCH})
    assert own.status_code == 200
    assert "第一检察部" in own.content.decode()
    for department in ("", small.second_dept.pk):
        refused = client.get("/reports/", {"org": world.county.pk, "department": department, **MARCH})
        assert "无权查看该单位的业务报表" in refused.content.decode()
        assert "<table" not in refused.content.decode()
    cases = client.get(
        "/reports/cases/", {"org": world.county.pk, "department": small.second_dept.pk, "item": "SLQS", **MARCH}
    )
    assert not re.findall(r'href="/cases/(\d+)/"', cases.content.decode())


def test_the_upper_procuratorate_reads_but_cannot_enter(small):
    world = small.world
    do_enter_figures(world.county, None, 2024, 3, {"QS": 4}, world.people["cm"])
    client = login(world, "city_chief")
    page = client.get("/reports/", {"org": world.county.pk, **MARCH})
    assert page.status_code == 200
    assert ">4<" in row_of(page, "QS")
    assert "/reports/enter/" not in page.content.decode()
    assert client.get("/reports/enter/").status_code == 403
    assert client.get("/reports/import/").status_code == 403
    # A county does not read its city or its sibling.
    county_chief = login(world, "chief")
    for org in (world.city, world.other_county):
        refused = county_chief.get("/reports/", {"org": org.pk, **MARCH})
        assert "<table" not in refused.content.decode()


def test_prosecutors_and_administrators_have_no_report_pages(world):
    for role in ("pros_a", "assistant_a", "sysadmin", "auditadmin", "investigator"):
        assert login(world, role).get("/reports/").status_code == 403, role
        assert nav(world.people[role]) == [], role
    for role in ("cm", "head", "chief", "deputy", "city_chief"):
        assert [item.label for item in nav(world.people[role])] == ["业务报表"], role
    assert '<a href="/reports/" class="active"' in login(world, "cm").get("/reports/").content.decode()


def test_the_import_page_shows_each_rejected_line(world):
    client = login(world, "cm")
    form = client.get("/reports/import/")
    assert form.status_code == 200
    data = csv_bytes([LONG_HEADER, ["371002", "", 2024, 3, "QS", 12], ["371002", "", 2024, 3, "BQS", "abc"]])
    page = client.post(
        "/reports/import/", {"file": named(data, "三月.csv"), "submit_token": token(form)}, format="multipart"
    )
    body = page.content.decode()
    assert "第 3 行 字段「数值」：应为非负整数" in body
    assert "写入 1 条报表数" in body
    assert ReportFigure.objects.get().value == 12
    # The same form sent again does nothing twice.
    again = client.post("/reports/import/", {"file": named(data, "三月.csv"), "submit_token": token(form)})
    assert again.status_code == 302
    assert ReportBatch.objects.count() == 1


def test_the_import_page_refuses_a_malformed_file(world):
    client = login(world, "cm")
    form = client.get("/reports/import/")
    page = client.post("/reports/import/", {"file": named(b"PK\x03\x04junk", "x.xlsx"), "submit_token": token(form)})
    assert "文件不是有效的 Excel" in page.content.decode()
    assert not ReportBatch.objects.exists()


def test_an_xlsx_uploaded_through_the_page(world):
    client = login(world, "cm")
    form = client.get("/reports/import/")
    data = xlsx_bytes([["院代码", "年", "月", "QS", "BQS"], ["371002", 2024, 3, 8, 1]])
    client.post("/reports/import/", {"file": named(data, "三月.xlsx"), "submit_token": token(form)})
    assert dict(ReportFigure.objects.values_list("item", "value")) == {"QS": 8, "BQS": 1}


def test_manual_entry_through_the_page(world):
    client = login(world, "cm")
    do_enter_figures(world.county, world.county_dept, 2024, 3, {"QS": 3}, world.people["cm"])
    form = client.get("/reports/enter/", {"department": world.county_dept.pk, **MARCH})
    assert form.status_code == 200
    assert 'name="QS" value="3"' in form.content.decode()
    response = client.post(
        "/reports/enter/",
        {"department": world.county_dept.pk, **MARCH, "QS": "4", "TB": "1", "BQS": "", "submit_token": token(form)},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/reports/?")
    current = ReportFigure.objects.filter(is_current=True, department=world.county_dept)
    assert dict(current.values_list("item", "value")) == {"QS": 4, "TB": 1}
    assert ReportFigure.objects.filter(is_current=False, item="QS", value=3).exists()


def test_manual_entry_refuses_a_negative_figure(world):
    client = login(world, "cm")
    form = client.get("/reports/enter/")
    page = client.post("/reports/enter/", {**MARCH, "QS": "-2", "submit_token": token(form)})
    assert page.status_code == 200
    assert "确保该值大于或等于0。" in page.content.decode()
    assert not ReportFigure.objects.exists()


def test_the_batch_page_shows_where_each_number_came_from(world):
    cm = world.people["cm"]
    do_enter_figures(world.county, None, 2024, 3, {"QS": 3}, cm)
    do_enter_figures(world.county, None, 2024, 3, {"QS": 5}, cm)
    first, second = ReportBatch.objects.order_by("pk")
    client = login(world, "cm")
    page = client.get("/reports/batches/")
    assert f"批次 {first.pk}" in page.content.decode()
    detail = client.get("/reports/batches/", {"batch": first.pk}).content.decode()
    assert "已被替换" in detail
    assert f"批次 {second.pk}" in detail
    # Another county's chief sees neither the batch list entry nor the batch.
    other = login(world, "other_chief")
    assert f"批次 {first.pk}" not in other.get("/reports/batches/").content.decode()
    assert other.get("/reports/batches/", {"batch": first.pk}).status_code == 404


@pytest.mark.parametrize("role", ["cm", "head", "city_chief"])
def test_report_pages_list_no_case_out_of_scope(small, role):
    """The cases page within each role's scope: the other county's case never shows."""
    world = small.world
    client = login(world, role)
    department = world.county_dept.pk if role == "head" else ""
    page = client.get("/reports/cases/", {"org": world.county.pk, "department": department, "item": "SLQS", **MARCH})
    body = page.content.decode()
    assert small.cases["O1"].dept_case_no not in body
    assert world.case_other.name not in body
    assert world.case_a.name in body


def test_a_department_head_sees_only_the_batches_of_their_department(world):
    cm = world.people["cm"]
    do_enter_figures(world.county, None, 2024, 3, {"QS": 3}, cm)
    do_enter_figures(world.county, world.county_dept, 2024, 3, {"QS": 2}, cm)
    whole, department = ReportBatch.objects.order_by("pk")
    client = login(world, "head")
    listing = client.get("/reports/batches/").content.decode()
    assert f"批次 {department.pk}" in listing
    assert f"批次 {whole.pk}<" not in listing
    assert client.get("/reports/batches/", {"batch": whole.pk}).status_code == 404
    # The city's criminal department head reads the county's criminal department too.
    assert login(world, "city_head").get("/reports/batches/", {"batch": department.pk}).status_code == 200
