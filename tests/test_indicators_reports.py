"""The eight standing reports (报表) on the indicators' hand-built county data set
(tests/test_indicators_engine.py describes it), first quarter of 2025, the county alone, by team.
Every expected figure is worked out by hand in the comments.

Besides the data set, the world's own open cases count: case_a (team A) and case_b (team B), both
received 2024-03-05 and still open. This module adds:

- running periods (CaseDue) on 2025-04-10: case_a due 04-12 (即将到期, 5 days' lead), case_b due
  04-10 (今日到期), P5 due 04-05 (已超期);
- an open 退回补充侦查 of P5 (team B) from 2025-03-20;
- coercive measures: 取保候审 王一 (P5, B) 2025-02-05, 监视居住 周三 (A2, B) 2025-01-17,
  指定居所监视居住 孙四 (P1, A) 2025-02-01, 取保候审 吴三 (P3, B) 2025-04-02 (after Q1).
"""

import re
from datetime import date, datetime, time
from decimal import Decimal
from io import BytesIO
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from bihuan.casecode.models import OfficeSetting
from bihuan.cases.models import CoerciveMeasure, ProceduralLink
from bihuan.deadlines.models import CaseDue
from bihuan.indicators.access import Scope
from bihuan.indicators.periods import month, quarter
from bihuan.indicators.reports import BY_SLUG, REPORTS, build, drill
from tests import factories as f
from tests import test_indicators_engine as dataset
from tests.test_casecode_stats import evaluate

Q1 = dataset.Q1
TODAY = date(2025, 4, 10)
QUARTER = {"year": "2025", "period": "q1"}
ZONE = ZoneInfo("Asia/Shanghai")


def _due(case, day):
    CaseDue.objects.update_or_create(
        case=case,
        defaults={
            "due_date": day,
            "due_kind": "prosecution_review",
            "org_id": case.org_id,
            "department_id": case.department_id,
            "team_id": case.team_id,
            "prosecutor_id": case.prosecutor_id,
        },
    )


base = dataset.data  # the indicators' hand-built data set, as a fixture of this module


@pytest.fixture
def data(base, time_machine):
    time_machine.move_to(datetime.combine(TODAY, time(9, 0), tzinfo=ZONE), tick=False)
    world, c, s = base.world, base.cases, base.suspects
    CaseDue.objects.update(due_date=None, due_kind="")
    _due(world.case_a, date(2025, 4, 12))
    _due(world.case_b, date(2025, 4, 10))
    _due(c["P5"], date(2025, 4, 5))
    ProceduralLink.objects.create(case=c["P5"], kind="supplementary", start_date=date(2025, 3, 20))
    for name, kind, start in (
        ("王一", "bail", date(2025, 2, 5)),
        ("周三", "residence", date(2025, 1, 17)),
        ("孙四", "designated_residence", date(2025, 2, 1)),
        ("吴三", "bail", date(2025, 4, 2)),
    ):
        CoerciveMeasure.objects.create(suspect=s[name], kind=kind, start_date=start)
    return base


def county(world) -> Scope:
    return Scope("org", world.county)


def figures(data, slug, scope=None, by="team", period=Q1):
    """{"A": [...], "B": [...], "total": [...]}: the cells' texts of team A, team B and the total."""
    world = data.world
    table = build(BY_SLUG[slug], scope or county(world), period, by, user=world.people["chief"], today=TODAY)
    names = {str(world.team_a.pk): "A", str(world.team_b.pk): "B"} if by == "team" else {}
    result = {names.get(line.group, line.group): [cell.text for cell in line.cells] for line in table.lines}
    result["total"] = [cell.text for cell in table.total.cells]
    return result


def test_report_1_intake_and_conclusion(data):
    # received in Q1: P1 (01-05) and P4 (03-01) in team A, A2 (01-10) and P5 (02-01) in team B.
    # concluded in Q1: A P1, P4 (审查起诉); B A2 (审查逮捕), P3 (审查起诉).
    # open on 03-31: A case_a; B P5, case_b.
    # 案-件比: A M1 (last stage P1; 不批捕复议, 退补, 延长, 上诉 = 4 links) and M4 (0): 6 件 / 2 案;
    # B M2 (0) and M3 (退补 ×2, 延长, 撤回起诉 = 4): 6 / 2.
    assert figures(data, "intake") == {
        "A": ["2", "2", "0", "2", "1", "6", "2", "1 : 3.00"],
        "B": ["2", "2", "1", "1", "2", "6", "2", "1 : 3.00"],
        "total": ["4", "4", "1", "3", "3", "12", "4", "1 : 3.00"],
    }


def test_report_2_review_days_and_running_periods(data):
    # A: P1 40 − 15 = 25 days, P4 10 days, both 简案: 35 / 2 = 17.5. B: P3 129 − 60 = 69, 繁案.
    # Today 04-10: case_a due 04-12 (soon), case_b due today, P5 overdue since 04-05.
    assert figures(data, "deadlines") == {
        "A": ["2", "17.5 天", "17.5 天", "—", "1", "1", "0", "0"],
        "B": ["1", "69.0 天", "—", "69.0 天", "2", "0", "1", "1"],
        "total": ["3", "34.7 天", "17.5 天", "69.0 天", "3", "1", "1", "1"],
    }


def test_report_3_returns_and_extensions(data):
    # A: P1 (one return, one extension) and P4. B: P3 (returns seq 1 and 2, one extension);
    # P5 (B, open) is out since 03-20.
    assert figures(data, "returns") == {
        "A": ["2", "1", "1", "0", "50.0%", "1", "50.0%", "0"],
        "B": ["1", "2", "1", "1", "200.0%", "1", "100.0%", "1"],
        "total": ["3", "3", "2", "1", "100.0%", "2", "66.7%", "1"],
    }


def test_report_4_plea_and_sentencing_recommendations(data):
    # A: 孙三 (认罚, 确定刑), 孙四 (幅度刑), 郑一 (认罚, 确定刑); judged in Q1: 孙三 (adopted).
    # B: 吴一, 吴二 (认罚, 确定刑), 吴三; judged in Q1: 吴二 (not adopted), 冯一 (P6, adopted).
    assert figures(data, "plea") == {
        "A": ["3", "2", "66.7%", "3", "2", "66.7%", "1", "1", "100.0%"],
        "B": ["3", "2", "66.7%", "2", "2", "100.0%", "2", "1", "50.0%"],
        "total": ["6", "4", "66.7%", "5", "4", "80.0%", "3", "2", "66.7%"],
    }


def test_report_5_coercive_measures_and_pretrial_detention(data):
    # Started in Q1: 逮捕 郑一 (A, 02-20); 取保 王一 (B); 监视居住 周三 (B), 孙四 (A, 指定居所).
    # Arrested on the closing day: A 孙三, 郑一 of 3; B 吴三 of 3.
    assert figures(data, "measures") == {
        "A": ["1", "0", "1", "3", "2", "66.7%"],
        "B": ["0", "1", "1", "3", "1", "33.3%"],
        "total": ["1", "1", "2", "6", "3", "50.0%"],
    }


def test_report_6_no_arrest_and_non_prosecution_by_kind(data):
    # 审查逮捕 concluded in Q1: A2 (B) only: 周三 refused of 3; team A none ("—").
    # 不起诉: A 孙四 相对 of 3; B 吴三 存疑 of 3.
    assert figures(data, "declined") == {
        "A": ["0", "0", "—", "3", "1", "0", "1", "0", "0", "33.3%"],
        "B": ["3", "1", "33.3%", "3", "1", "0", "0", "1", "0", "33.3%"],
        "total": ["3", "1", "33.3%", "6", "2", "0", "1", "1", "0", "33.3%"],
    }


def test_breakdowns_by_prosecutor_and_the_tree_with_the_unassigned(data):
    world = data.world
    by_person = figures(data, "intake", by="prosecutor")
    # pros_a handles team A's cases, pros_b team B's.
    assert by_person[str(world.people["pros_a"].pk)] == ["2", "2", "0", "2", "1", "6", "2", "1 : 3.00"]
    # The city with the counties below, by procuratorate: C1 (city, no team) concluded 01-20.
    tree = figures(data, "intake", scope=Scope("tree", world.city), by="org")
    assert tree[str(world.city.pk)][:5] == ["1", "1", "0", "1", "1"]  # and world.case_city is open
    assert tree[str(world.county.pk)] == ["4", "4", "1", "3", "3", "12", "4", "1 : 3.00"]
    # The city alone by team: C1 has no team.
    city = figures(data, "intake", scope=Scope("org", world.city))
    assert city["none"][:4] == ["1", "1", "0", "1"]


def test_a_month_counts_only_its_days(data):
    # February: received P5 (B); concluded P1 (A).
    assert figures(data, "intake", period=month(2025, 2))["total"][:4] == ["1", "1", "0", "1"]


def test_every_number_opens_exactly_its_cases(data):
    world = data.world
    chief = world.people["chief"]
    c = data.cases

    def cases(slug, column, group=""):
        _, found = drill(
            BY_SLUG[slug], column, county(world), Q1, user=chief, today=TODAY, by="team" if group else None, group=group
        )
        return {case.name for case in found}

    team_b = str(world.team_b.pk)
    assert cases("intake", "received", team_b) == {c["A2"].name, c["P5"].name}
    assert cases("intake", "open_at_end") == {c["P5"].name, world.case_a.name, world.case_b.name}
    assert cases("deadlines", "overdue") == {c["P5"].name}
    assert cases("returns", "second_returns") == {c["P3"].name}
    assert cases("measures", "residence", team_b) == {c["A2"].name}
    assert cases("declined", "np_evidence") == {c["P3"].name}
    # Indicator figures: the engine's own drill-down sets, narrowed to the team.
    assert cases("plea", "recommendation_adoption_rate.denominator", team_b) == {c["P3"].name, c["P6"].name}
    assert cases("declined", "no_arrest_rate.value") == {c["A2"].name}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(user, slug, **params):
    return client_for(user).get(f"/indicators/reports/{slug}/", {**QUARTER, **params})


def test_page_links_every_number_to_its_cases(data):
    world = data.world
    chief = world.people["chief"]
    body = page(chief, "returns", scope=f"org:{world.county.code}", by="team").content.decode()
    assert "报表3 退补与延长" in body and "2025年第1季度" in body and "按办案团队" in body
    assert "口径" in body and "第一次退回补充侦查" in body  # the definitions of the columns
    links = re.findall(r'href="/indicators/reports/cases/\?([^"]+)"', body)
    assert len(links) == 3 * 8  # two teams and the total, eight columns
    # The 二退 of team B opens P3.
    second = next(
        link
        for link in links
        if "column=second_returns" in link and f"group={world.team_b.pk}" in link.replace("&amp;", "&")
    )
    listing = client_for(chief).get(f"/indicators/reports/cases/?{second.replace('&amp;', '&')}")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert data.cases["P3"].name in text and data.cases["P1"].name not in text
    params = parse_qs(second.replace("&amp;", "&"))
    assert params["report"] == ["returns"] and params["period"] == ["q1"] and params["by"] == ["team"]


def test_the_index_lists_the_eight_reports_and_the_menu_has_it(data):
    body = client_for(data.world.people["head"]).get("/indicators/reports/").content.decode()
    for report in REPORTS:
        assert f'href="/indicators/reports/{report.slug}/"' in body and report.title in body
    assert 'href="/indicators/reports/"' in body  # the menu entry 报表


def test_print_layout(data):
    body = page(data.world.people["chief"], "intake").content.decode()
    assert "indicators/report.css" in body and "window.print()" in body
    with open(finders.find("indicators/report.css"), encoding="utf-8") as handle:
        style = handle.read()
    assert "@media print" in style and "size: A4 landscape" in style and ".sidebar" in style


def test_excel_export_reads_back(data):
    world = data.world
    response = client_for(world.people["chief"]).get(
        "/indicators/reports/export/",
        {"report": "declined", "scope": f"org:{world.county.code}", "by": "team", **QUARTER},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="report6-declined-2025q1.xlsx"'
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["不捕不诉", "口径说明"]
    sheet = book["不捕不诉"]
    assert sheet["A1"].value == f"报表6 不捕不诉 · {world.county.name}（本院） · 2025年第1季度 · 按办案团队"
    header = [cell.value for cell in sheet[2]]
    assert header[:4] == ["办案团队", "批准逮捕人数 + 不批准逮捕人数（人）", "不批准逮捕人数（人）", "不捕率（%）"]
    assert header[6] == "法定不起诉（人）"
    rows = {row[0]: row[1:] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["合计"] == (3, 1, 33.3, 6, 2, 0, 1, 1, 0, 33.3)
    team_a = rows[f"{world.county.short_name}·{world.team_a.name}"]
    assert team_a[:3] == (0, 0, None)  # no arrest review: an empty cell, not a zero rate
    notes = [row for row in book["口径说明"].iter_rows(min_row=3, values_only=True)]
    assert notes[0][0] == "批准逮捕人数 + 不批准逮捕人数" and "审查逮捕案件的审结日期" in notes[0][2]


def test_report_7_has_no_source_yet(data):
    body = page(data.world.people["chief"], "patrol").content.decode()
    assert "尚未建成，本报表暂无数据来源" in body
    assert "/indicators/reports/cases/" not in body  # no numbers at all
    export = client_for(data.world.people["chief"]).get("/indicators/reports/export/", {"report": "patrol", **QUARTER})
    sheet = load_workbook(BytesIO(export.content))["流程监控与整改"]
    assert [row for row in sheet.iter_rows(min_row=2, values_only=True)] == [
        ("说明",),
        ("流程监控（巡查）功能尚未建成，本报表暂无数据来源，不显示任何数字。",),
    ]


def test_a_prosecutor_sees_their_own_report_only(data):
    world = data.world
    pros_a = world.people["pros_a"]
    own = page(pros_a, "intake")
    assert own.status_code == 200
    body = own.content.decode()
    # By default the prosecutor's own cases, one row: P1, P4 received and concluded, case_a open.
    assert (
        "（承办检察官）" in body and 'data-group="total"' in body and 'data-group="' + str(world.team_a.pk) not in body
    )
    assert page(pros_a, "intake", scope=f"team:{world.team_a.pk}").status_code == 200
    for scope in (f"team:{world.team_b.pk}", f"person:{world.people['pros_b'].pk}", f"org:{world.county.code}"):
        assert page(pros_a, "intake", scope=scope).status_code == 404
        drill_url = "/indicators/reports/cases/"
        response = client_for(pros_a).get(
            drill_url, {"report": "intake", "column": "received", "scope": scope, **QUARTER}
        )
        assert response.status_code == 404
        export = client_for(pros_a).get("/indicators/reports/export/", {"report": "intake", "scope": scope, **QUARTER})
        assert export.status_code == 404


@pytest.mark.parametrize("role", ["investigator", "sysadmin"])
def test_roles_without_case_data_are_refused(data, role):
    assert page(data.world.people[role], "intake").status_code == 403


def test_unknown_reports_columns_and_units_are_refused(data):
    world = data.world
    client = client_for(world.people["chief"])
    base = {"report": "intake", "scope": f"org:{world.county.code}", **QUARTER}
    assert client.get("/indicators/reports/cases/", {**base, "column": "nothing"}).status_code == 404
    by_org = {**base, "column": "received", "by": "org", "group": "1"}  # no such breakdown of one office
    assert client.get("/indicators/reports/cases/", by_org).status_code == 400
    assert client.get("/indicators/reports/export/", {**base, "report": "nothing"}).status_code == 404


def test_a_city_report_costs_a_fixed_number_of_queries(data, django_assert_max_num_queries):
    """Set-based: a page costs the same few queries whatever the number of cases."""
    world = data.world
    client = client_for(world.people["city_chief"])
    params = {"scope": f"tree:{world.city.code}", "by": "prosecutor", **QUARTER}

    def counted() -> list[int]:
        result = []
        for report in REPORTS:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(report.get_absolute_url(), params).status_code == 200
            result.append(len(queries))
        return result

    assert max(counted()) <= 20  # the first request also reads the session and caches the menu
    before = counted()
    for n in range(5):  # more cases, prosecutors and suspects in the period
        unit = {"department": world.county_dept, "team": world.team_b}
        person = f.make_person(["prosecutor"], org=world.county, **unit)
        case = f.make_case(world.county, **unit, prosecutor=person, received=date(2025, 2, n + 1))
        f.make_suspect(case, f"新{n}")
    assert counted() == before


#
# Report 8: 案件码, on a few evaluated cases (the scoring of tests/test_casecode_stats.py)
#


@pytest.fixture
def coded(world, time_machine):
    time_machine.move_to(datetime.combine(date(2026, 3, 31), time(9, 0), tzinfo=ZONE), tick=False)
    for org in (world.city, world.county):
        OfficeSetting.objects.create(org=org, all_cases=True)
    p = world.people
    a, b = world.case_a, world.case_b
    evaluate(a, p["pros_a"], date(2026, 1, 10), ("主体身份", 10, True))  # red
    evaluate(a, p["pros_a"], date(2026, 2, 5), ("主观方面", 10, False), ("因果关系", 5, False))  # yellow 85
    evaluate(a, p["pros_a"], date(2026, 3, 1), ("因果关系", 5, False))  # green 95
    evaluate(b, p["pros_b"], date(2025, 12, 20), ("主观方面", 10, False), ("因果关系", 5, False))  # yellow
    evaluate(
        b,
        p["pros_b"],
        date(2026, 1, 15),
        ("客观行为与危害结果", 15, False),
        ("主观方面", 10, False),
        ("前科累犯", 10, False),
    )  # red 65
    evaluate(world.case_city, p["city_chief"], date(2026, 2, 1))  # the city: outside the county
    return world


def test_report_8_case_codes(coded):
    world = coded
    table = build(
        BY_SLUG["casecode"],
        Scope("org", world.county),
        quarter(2026, 1),
        "team",
        user=world.people["chief"],
        today=date(2026, 3, 31),
    )
    cells = {line.group: [cell.text for cell in line.cells] for line in table.lines}
    # case_a (A): evaluated, now green; 转码 red→yellow, yellow→green (the first evaluation is no
    # change); turned green 03-01 after red since 01-10: 50 days; no re-evaluation due.
    assert cells[str(world.team_a.pk)] == ["1", "0", "0", "1", "2", "1", "50.0 天", "0"]
    # case_b (B): red since 01-15 (yellow before: a 转码); red is re-evaluated every 7 days: overdue.
    assert cells[str(world.team_b.pk)] == ["1", "1", "0", "0", "1", "0", "—", "1"]
    assert [cell.text for cell in table.total.cells] == ["2", "1", "0", "1", "3", "1", "50.0 天", "1"]
    # Deductions of Q1 2026 in the county: 主观方面 twice (a 02-05, b 01-15: 20 points), 因果关系
    # twice (a 02-05, 03-01: 10 points), then once each 客观行为与危害结果 (15), 主体身份 (10, veto),
    # 前科累犯 (10); the 2025 evaluation of b does not count.
    assert [(item["name"], item["n"], item["points"]) for item in table.items] == [
        ("主观方面", 2, Decimal(20)),
        ("因果关系", 2, Decimal(10)),
        ("客观行为与危害结果", 1, Decimal(15)),
        ("主体身份", 1, Decimal(10)),
        ("前科累犯", 1, Decimal(10)),
    ]
    body = (
        client_for(world.people["chief"])
        .get("/indicators/reports/casecode/", {"year": "2026", "period": "q1", "by": "team"})
        .content.decode()
    )
    assert "高频扣分项" in body and "column=item" in body
