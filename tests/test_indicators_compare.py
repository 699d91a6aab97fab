"""报表与案卡比对 on the indicators' side: reported figures against the case cards month by month,
the indicators reported figures give, the links to the cases behind each figure, and scope.

The hand-built county (year 2024), counted by hand:

- J1 审查起诉, received 01-02, concluded 01-20: 甲 起诉 认罪认罚 确定刑; 乙 相对不起诉 认罪认罚.
- J2 审查逮捕, received 01-05, concluded 01-10: 丙 批准逮捕; 丁 不批准逮捕.
- F1 审查起诉, received 02-01, concluded 02-15: 戊 起诉 不认罪 幅度刑.
- the world's case_a and case_b: 审查起诉 received 03-05, open.
- O1 in the other county, concluded 01-25 (never counted for the county).

Computed: January QS 1, BQS 1, PZDB 1, BPZDB 1, SJQSR 2, RZRF 2, LXJY 1, QDXLX 1, SLQS 1;
February QS 1, SJQSR 1, RZRF 0, LXJY 1, QDXLX 0, SLQS 1; March SLQS 2.
Reported by the case manager for January and February (nothing for March): see REPORTED.
"""

from datetime import date
from decimal import Decimal
from html import unescape

import pytest
from django.test import Client

from bihuan.bizreports.actions import do_enter_figures
from bihuan.indicators.access import Scope
from bihuan.indicators.compare import indicator_lines, item_lines, months_period
from bihuan.indicators.facts import refresh_facts
from bihuan.indicators.panels import nav
from tests import factories as f

REPORTED = {
    1: {"QS": 1, "BQS": 2, "PZDB": 2, "BPZDB": 1, "SJQSR": 2, "RZRF": 2, "LXJY": 1, "QDXLX": 1},
    2: {"QS": 1, "BQS": 0, "PZDB": 0, "BPZDB": 0, "SJQSR": 1, "RZRF": 1, "LXJY": 1, "QDXLX": 1},
}
JAN_FEB = {"scope": "org:371002", "year": 2024, "first": 1, "last": 2}


@pytest.fixture
def county(world):
    org, dept = world.county, world.county_dept
    j1 = f.make_case(
        org, department=dept, received=date(2024, 1, 2), closed_date=date(2024, 1, 20), name="甲某某诈骗案"
    )
    f.make_suspect(j1, "甲某某", outcome="prosecute", plea=True, rec_kind="fixed")
    f.make_suspect(j1, "乙某某", outcome="np_discretionary", plea=True)
    j2 = f.make_case(
        org,
        department=dept,
        case_type="arrest_review",
        received=date(2024, 1, 5),
        closed_date=date(2024, 1, 10),
        name="丙某某盗窃案",
    )
    f.make_suspect(j2, "丙某某", outcome="arrest_approved")
    f.make_suspect(j2, "丁某某", outcome="arrest_refused")
    f1 = f.make_case(
        org, department=dept, received=date(2024, 2, 1), closed_date=date(2024, 2, 15), name="戊某某抢夺案"
    )
    f.make_suspect(f1, "戊某某", outcome="prosecute", plea=False, rec_kind="range")
    o1 = f.make_case(
        world.other_county, received=date(2024, 1, 3), closed_date=date(2024, 1, 25), name="己某某危险驾驶案"
    )
    f.make_suspect(o1, "己某某", outcome="prosecute", plea=True, rec_kind="fixed")
    for month_no, values in REPORTED.items():
        do_enter_figures(org, None, 2024, month_no, values, world.people["cm"])
    refresh_facts()  # the suspects were added after the cases' last signal
    return world


def login(world, role: str) -> Client:
    client = Client()
    client.force_login(world.people[role])
    return client


def by_code(lines):
    return {line.item.code: line for line in lines}


def test_each_month_and_the_sum_beside_the_reported_figures(county):
    lines = by_code(item_lines(county.county, None, 2024, 1, 2))
    qs, bqs, pzdb, rzrf = lines["QS"], lines["BQS"], lines["PZDB"], lines["RZRF"]
    assert [(r.reported, r.computed, r.difference) for r in qs.months] == [(1, 1, 0), (1, 1, 0)]
    assert (qs.reported, qs.computed, qs.difference, qs.differing_months) == (2, 2, 0, 0)
    assert [(r.reported, r.computed, r.difference) for r in bqs.months] == [(2, 1, 1), (0, 0, 0)]
    assert (bqs.reported, bqs.computed, bqs.difference, bqs.differing_months) == (2, 1, 1, 1)
    assert (pzdb.reported, pzdb.computed, pzdb.difference) == (2, 1, 1)
    assert [r.difference for r in rzrf.months] == [0, 1]
    assert (rzrf.reported, rzrf.computed, rzrf.difference) == (3, 2, 1)
    # 受理审查起诉 was never reported: no reported sum, and no difference.
    slqs = lines["SLQS"]
    assert [r.computed for r in slqs.months] == [1, 1]
    assert (slqs.reported, slqs.computed, slqs.difference, slqs.unreported_months) == (None, 2, None, 2)


def test_a_month_without_report_leaves_the_sum_unreported(county):
    lines = by_code(item_lines(county.county, None, 2024, 1, 3))
    qs, slqs = lines["QS"], lines["SLQS"]
    assert [r.reported for r in qs.months] == [1, 1, None]
    assert (qs.reported, qs.computed, qs.difference, qs.unreported_months) == (None, 2, None, 1)
    assert [r.computed for r in slqs.months] == [1, 1, 2]  # March: the world's case_a and case_b


def test_indicators_from_reported_figures_beside_the_cases(county):
    scope = Scope("org", county.county)
    period = months_period(2024, 1, 2)
    assert (period.start, period.end) == (date(2024, 1, 1), date(2024, 2, 29))
    lines = {
        line.indicator.code: line
        for line in indicator_lines(scope, period, item_lines(county.county, None, 2024, 1, 2))
    }
    no_arrest = lines["no_arrest_rate"]
    # Reported 1 / (2 + 1); the cases 1 / (1 + 1).
    assert (no_arrest.reported_numerator, no_arrest.reported_denominator) == (1, 3)
    assert (no_arrest.figure.numerator, no_arrest.figure.denominator) == (1, 2)
    assert (no_arrest.reported_value, no_arrest.figure.value) == (Decimal("33.3"), Decimal("50.0"))
    assert no_arrest.difference == Decimal("-16.7")
    plea = lines["plea_rate"]  # reported 3 / 3, the cases 2 / 3
    assert (plea.reported_display, plea.figure.display, plea.difference) == ("100.0%", "66.7%", Decimal("33.3"))
    fixed = lines["fixed_recommendation_share"]  # reported 2 / 2, the cases 1 / 2
    assert (fixed.reported_display, fixed.figure.display, fixed.difference) == ("100.0%", "50.0%", Decimal("50.0"))
    # With March, unreported, the reported indicators cannot be computed.
    march = indicator_lines(scope, months_period(2024, 1, 3), item_lines(county.county, None, 2024, 1, 3))
    assert [(line.reported_display, line.difference) for line in march] == [("—", None)] * 3


def row_of(html: str, code: str) -> str:
    start = html.index(f'<tr id="{code}"')
    return html[start : html.index("</tr>", start)]


def test_the_page_shows_the_months_the_sums_and_the_differences(county):
    page = login(county, "chief").get("/indicators/reported/", JAN_FEB)
    assert page.status_code == 200
    html = unescape(page.content.decode())
    bqs = row_of(html, "BQS")
    assert 'class="differs"' in bqs
    assert "报 2" in bqs and "+1" in bqs
    qs = row_of(html, "QS")
    assert 'class="differs"' not in qs
    assert "未报" in row_of(html, "SLQS")
    assert "4 个月份项目报表数与案卡数不一致" in html  # BQS, PZDB in January; RZRF, QDXLX in February
    plea = row_of(html, "indicator-plea_rate")
    assert "100.0%" in plea and "66.7%" in plea and "+33.3" in plea


def test_every_computed_figure_opens_its_cases(county):
    client = login(county, "chief")
    html = unescape(client.get("/indicators/reported/", JAN_FEB).content.decode())
    department_id = ""
    link = f"/reports/cases/?org={county.county.pk}&department={department_id}&year=2024&month=1&item=BQS"
    assert f'href="{link}"' in row_of(html, "BQS")
    cases = client.get(link)
    assert cases.status_code == 200
    listed = cases.content.decode()
    assert "甲某某诈骗案" in listed
    assert "丙某某盗窃案" not in listed and "戊某某抢夺案" not in listed
    # The indicator's figure opens the engine's drill-down over the two months.
    drill = "/indicators/cases/?scope=org%3A371002&from=2024-01-01&to=2024-02-29&indicator=plea_rate&part=numerator"
    assert f'href="{drill}"' in html.replace("&amp;", "&")
    persons = client.get(drill).content.decode()
    assert "甲某某" in persons and "乙某某" in persons and "戊某某" not in persons


def test_a_department_is_a_reporting_unit_of_its_own(county):
    page = login(county, "head").get("/indicators/reported/", {**JAN_FEB, "scope": f"dept:{county.county_dept.pk}"})
    assert page.status_code == 200
    html = unescape(page.content.decode())
    # The county's figures were reported for the whole procuratorate, not the department.
    assert "报 1" not in row_of(html, "QS")
    assert "未报" in row_of(html, "QS")


def test_scopes_out_of_reach_answer_404(county):
    assert login(county, "other_chief").get("/indicators/reported/", JAN_FEB).status_code == 404
    # A department head reads the department, not the whole procuratorate.
    assert login(county, "head").get("/indicators/reported/", JAN_FEB).status_code == 404
    assert login(county, "chief").get("/indicators/reported/", {**JAN_FEB, "scope": "org:999999"}).status_code == 404


def test_only_readers_of_business_reports_see_the_page(county):
    assert login(county, "pros_a").get("/indicators/reported/").status_code == 403
    assert login(county, "investigator").get("/indicators/reported/").status_code == 403
    names = lambda role: [item.url_name for item in nav(county.people[role])]  # noqa: E731
    assert "indicators:compare" in names("chief")
    assert "indicators:compare" not in names("pros_a")


def test_scopes_without_reports_are_explained(county):
    page = login(county, "city_chief").get("/indicators/reported/", {**JAN_FEB, "scope": "tree:371000"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "业务报表按检察院（全院）或部门填报" in html
    assert 'id="QS"' not in html


def test_the_months_are_checked(county):
    client = login(county, "chief")
    html = client.get("/indicators/reported/", {**JAN_FEB, "first": 3, "last": 2}).content.decode()
    assert "结束月份不能早于开始月份" in html
    html = client.get("/indicators/reported/", {**JAN_FEB, "year": 2999}).content.decode()
    assert "尚未到来" in html
