"""案件码统计 on a hand-built set of evaluations, with every figure computed by hand.

Evaluations (today 2026-06-30, period 2026-01-01 … 2026-06-30):

    case_a (county, pros_a)  01-10 red (主体身份 veto) → 02-05 yellow 85 → 03-01 green 95
    case_b (county, pros_b)  2025-12-20 yellow 85 → 01-15 red 65
    case_city (city)         04-01 green 100
    case_other (other county) 05-10 yellow 80 → 06-01 green 100
    case_x (county, pros_a)  2025-11-01 red (涉案财物 veto), nothing in 2026
"""

import json
import re
from datetime import date, datetime, time
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from bihuan.casecode import stats
from bihuan.casecode.actions import DeductionInput, InquiryInput, do_evaluate
from bihuan.casecode.models import OfficeSetting, ScoreTemplate
from bihuan.cases.models import Case
from bihuan.cases.signals import cases_loaded
from bihuan.triage.actions import do_reassign
from tests import factories as f

TODAY = date(2026, 6, 30)
ZONE = ZoneInfo("Asia/Shanghai")


def at(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=ZONE)


def evaluate(case, actor, day: date, *deductions: tuple[str, int, bool]):
    """Score `case` on `day`, deducting (item name, points, veto) with an inquiry item for each."""
    items = {item.name: item for item in ScoreTemplate.objects.get(is_active=True).items.all()}
    cuts = [
        DeductionInput(items[name].pk, Decimal(points), f"{name}证据不足", veto) for name, points, veto in deductions
    ]
    inquiries = [InquiryInput(d.item_id, "问题", "目的", "事项", "要求") for d in cuts]
    return do_evaluate(case, actor=actor, deductions=cuts, inquiries=inquiries, evaluated_at=at(day))


@pytest.fixture
def coded(world, time_machine):
    time_machine.move_to(datetime.combine(TODAY, time(9, 0), tzinfo=ZONE), tick=False)
    for org in (world.city, world.county, world.other_county):
        OfficeSetting.objects.create(org=org, all_cases=True)
    p = world.people
    a, b = world.case_a, world.case_b
    evaluate(a, p["pros_a"], date(2026, 1, 10), ("主体身份", 10, True))
    evaluate(a, p["pros_a"], date(2026, 2, 5), ("主观方面", 10, False), ("因果关系", 5, False))
    evaluate(a, p["pros_a"], date(2026, 3, 1), ("因果关系", 5, False))
    evaluate(b, p["pros_b"], date(2025, 12, 20), ("主观方面", 10, False), ("因果关系", 5, False))
    evaluate(
        b,
        p["pros_b"],
        date(2026, 1, 15),
        ("客观行为与危害结果", 15, False),
        ("主观方面", 10, False),
        ("前科累犯", 10, False),
    )
    evaluate(world.case_city, p["city_chief"], date(2026, 4, 1))
    evaluate(world.case_other, p["other_chief"], date(2026, 5, 10), ("主观方面", 10, False), ("前科累犯", 10, False))
    evaluate(world.case_other, p["other_chief"], date(2026, 6, 1))
    case_x = f.make_case(world.county, department=world.county_dept, team=world.team_a, prosecutor=p["pros_a"])
    evaluate(case_x, p["pros_a"], date(2025, 11, 1), ("主观方面", 10, False), ("涉案财物", 10, True))
    world.case_x = case_x
    return world


def year_2026(**kwargs) -> stats.Filters:
    return stats.Filters(start=date(2026, 1, 1), end=TODAY, **kwargs)


def colour_counts(user, filters):
    return stats.report(user, filters).colours


def test_cases_by_current_colour_count_the_cases_evaluated_in_the_period(coded):
    chief = coded.people["city_chief"]
    # case_x was last evaluated in 2025: outside the period.
    assert colour_counts(chief, year_2026()) == {"red": 1, "yellow": 0, "green": 3, "total": 4}
    # In 2025 only case_b (yellow then) and case_x were evaluated; their colours are today's.
    last_year = stats.Filters(start=date(2025, 1, 1), end=date(2025, 12, 31))
    assert colour_counts(chief, last_year) == {"red": 2, "yellow": 0, "green": 0, "total": 2}


def test_colours_by_procuratorate_department_prosecutor_and_agency(coded):
    chief = coded.people["city_chief"]
    by_org = {
        row["label"]: (row["red"], row["yellow"], row["green"], row["total"])
        for row in stats.report(chief, year_2026()).groups["org"]
    }
    assert by_org == {
        coded.city.name: (0, 0, 1, 1),
        coded.county.name: (1, 0, 1, 2),
        coded.other_county.name: (0, 0, 1, 1),
    }
    by_prosecutor = {row["key"]: row["total"] for row in stats.report(chief, year_2026()).groups["prosecutor"]}
    assert by_prosecutor == {coded.people["pros_a"].pk: 1, coded.people["pros_b"].pk: 1, None: 2}
    # No case of the world names a source agency: one row for "not filled".
    assert [(r["key"], r["label"], r["total"]) for r in stats.report(chief, year_2026()).groups["agency"]] == [
        (None, "（未填）", 4)
    ]
    by_department = {row["key"]: row["total"] for row in stats.report(chief, year_2026()).groups["department"]}
    assert by_department == {coded.city_dept.pk: 1, coded.county_dept.pk: 2, coded.case_other.department_id: 1}


def test_monthly_evaluations_and_code_changes(coded):
    rows = {row["month"].month: row for row in stats.monthly(coded.people["city_chief"], year_2026())}
    assert list(rows) == [1, 2, 3, 4, 5, 6]
    evaluations = {m: (r["red"], r["yellow"], r["green"]) for m, r in rows.items()}
    assert evaluations == {1: (2, 0, 0), 2: (0, 1, 0), 3: (0, 0, 1), 4: (0, 0, 1), 5: (0, 1, 0), 6: (0, 0, 1)}
    changes = {m: {k: v for k, v in r.items() if "_" in k and v} for m, r in rows.items()}
    # January: case_b went from its 2025 yellow to red; case_a's first evaluation is no change.
    assert changes == {
        1: {"yellow_red": 1},
        2: {"red_yellow": 1},
        3: {"yellow_green": 1},
        4: {},
        5: {},
        6: {"yellow_green": 1},
    }


def test_most_frequent_deduction_items(coded):
    items = [
        (r["name"], r["n"], r["points"], r["vetoes"]) for r in stats.top_items(coded.people["city_chief"], year_2026())
    ]
    assert items == [
        ("主观方面", 3, Decimal(30), 0),
        ("前科累犯", 2, Decimal(20), 0),
        ("因果关系", 2, Decimal(10), 0),
        ("客观行为与危害结果", 1, Decimal(15), 0),
        ("主体身份", 1, Decimal(10), 1),
    ]


def test_average_days_from_red_or_yellow_to_green(coded):
    # case_a 01-10 → 03-01: 50 days; case_other 05-10 → 06-01: 22 days.
    assert stats.report(coded.people["city_chief"], year_2026()).green == {"cases": 2, "days": 36.0}
    spring = stats.Filters(start=date(2026, 3, 1), end=date(2026, 3, 31))
    assert stats.report(coded.people["city_chief"], spring).green == {"cases": 1, "days": 50.0}


def test_overdue_re_evaluations(coded):
    # case_b red since 01-15 (due 01-22) and case_x red since 2025-11-01: both overdue, whatever the period.
    assert stats.report(coded.people["city_chief"], year_2026()).overdue == {
        "red": 2,
        "yellow": 0,
        "green": 0,
        "total": 2,
    }
    # Before case_b's re-evaluation fell due only case_x was overdue.
    assert stats.report(coded.people["city_chief"], year_2026(), today=date(2026, 1, 20)).overdue["total"] == 1


def test_a_department_head_counts_only_the_department(coded):
    head = coded.people["head"]
    assert colour_counts(head, year_2026()) == {"red": 1, "yellow": 0, "green": 1, "total": 2}
    assert {row["key"] for row in stats.report(head, year_2026()).groups["org"]} == {coded.county.pk}
    assert stats.report(head, year_2026()).green == {"cases": 1, "days": 50.0}
    assert [r["name"] for r in stats.top_items(head, year_2026())] == [
        "主观方面",
        "因果关系",
        "客观行为与危害结果",
        "主体身份",
        "前科累犯",
    ]
    # The other county's chief sees only that county.
    assert colour_counts(coded.people["other_chief"], year_2026())["total"] == 1


def test_filters_narrow_the_figures(coded):
    chief = coded.people["city_chief"]
    assert colour_counts(chief, year_2026(org=coded.county))["total"] == 2
    assert colour_counts(chief, year_2026(org=coded.city))["total"] == 4  # with the counties below
    assert colour_counts(chief, year_2026(prosecutor=coded.people["pros_b"])) == {
        "red": 1,
        "yellow": 0,
        "green": 0,
        "total": 1,
    }


def test_a_reassigned_case_moves_its_figures_to_the_new_prosecutor(coded):
    """The figures read the case's scope from the evaluations' and codes' own copies: they follow
    the case when it changes hands (case_scope_changed), and a bulk load puts them right."""
    p = coded.people
    assert colour_counts(p["pros_a"], year_2026())["total"] == 1  # case_a, green
    do_reassign([Case.objects.get(pk=coded.case_a.pk)], p["pros_b"], "承办人回避", p["head"])
    # case_x (pros_a's) was evaluated in 2025 only: pros_a has nothing left in 2026.
    assert colour_counts(p["pros_a"], year_2026())["total"] == 0
    assert colour_counts(p["pros_b"], year_2026()) == {"red": 1, "yellow": 0, "green": 1, "total": 2}
    chief = p["city_chief"]
    by_prosecutor = {row["key"]: row["total"] for row in stats.report(chief, year_2026()).groups["prosecutor"]}
    assert by_prosecutor == {p["pros_b"].pk: 2, None: 2}
    assert "主体身份" in [r["name"] for r in stats.top_items(p["pros_b"], year_2026())]
    assert sum(r["total"] for r in stats.monthly(p["pros_b"], year_2026())) == 4  # case_a 3, case_b 1
    # A bulk load that hands the case back (loadcases writes the cases itself) moves them too.
    Case.objects.filter(pk=coded.case_a.pk).update(prosecutor=p["pros_a"], team=coded.team_a)
    cases_loaded.send(sender=Case, case_ids=[coded.case_a.pk])
    assert colour_counts(p["pros_a"], year_2026())["total"] == 1
    assert colour_counts(p["pros_b"], year_2026())["total"] == 1


# --- the pages ------------------------------------------------------------------------------------


def page(client, person, name="casecode:stats", **params):
    client.force_login(person)
    return client.get(reverse(name), params)


def test_the_page_shows_the_figures_and_the_chart_data(client, coded):
    response = page(client, coded.people["city_chief"])
    assert response.status_code == 200
    body = response.content.decode()
    assert "案件码统计" in body and "2026-01-01 至 2026-06-30" in body  # this year by default
    assert "web/vendor/echarts.min.js" in body and "casecode/stats_chart.js" in body
    chart = json.loads(
        re.search(r'<script id="casecode-trend-data" type="application/json">(.*?)</script>', body).group(1)
    )
    assert chart["months"] == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    assert chart["colours"]["red"]["data"] == [2, 0, 0, 0, 0, 0]
    assert chart["colours"]["green"]["data"] == [0, 0, 1, 1, 0, 1]
    assert chart["changes"]["yellow_green"] == {"label": "黄转绿", "data": [0, 0, 1, 0, 0, 1]}
    assert chart["changes"]["yellow_red"]["data"] == [1, 0, 0, 0, 0, 0]
    report = response.context["report"]
    assert report.colours["total"] == 4 and report.overdue["total"] == 2
    assert "36.0" in body  # average days to green


def test_the_menu_offers_the_page_to_readers_of_many_cases_and_prosecutors(client, coded):
    for role, shown in (("city_chief", True), ("head", True), ("cm", True), ("pros_a", True), ("clerk_b", False)):
        client.force_login(coded.people[role])
        body = client.get(reverse("web:workbench")).content.decode()
        assert ("案件码统计" in body) is shown, role


def test_a_department_head_sees_only_the_department_on_the_page(client, coded):
    body = page(client, coded.people["head"]).content.decode()
    assert coded.county.name in body
    assert coded.other_county.name not in body and coded.city.name not in body
    assert page(client, coded.people["investigator"]).status_code == 403


def test_each_count_lists_its_cases(client, coded):
    chief = coded.people["city_chief"]
    period = {"start": "2026-01-01", "end": "2026-06-30"}

    def listed(**params):
        response = page(client, chief, "casecode:stats_cases", **period, **params)
        assert response.status_code == 200
        return {case.pk for case in response.context["page"].rows}

    a, b, city, other, x = coded.case_a.pk, coded.case_b.pk, coded.case_city.pk, coded.case_other.pk, coded.case_x.pk
    assert listed(show="codes") == {a, b, city, other}
    assert listed(show="codes", colour="red") == {b}
    assert listed(show="codes", group="org", key=coded.county.pk, colour="green") == {a}
    assert listed(show="codes", group="prosecutor", key="none") == {city, other}
    assert listed(show="month", month="2026-01", colour="red") == {a, b}
    assert listed(show="month", month="2026-01", colour="red", **{"from": "yellow"}) == {b}
    assert listed(show="month", month="2026-06", colour="green", **{"from": "yellow"}) == {other}
    assert listed(show="item", item="前科累犯") == {b, other}
    assert listed(show="green") == {a, other}
    assert listed(show="overdue") == {b, x}
    # The head's list of the same count leaves out what the head may not read.
    client.force_login(coded.people["head"])
    response = client.get(reverse("casecode:stats_cases"), {**period, "show": "codes", "colour": "green"})
    assert {case.pk for case in response.context["page"].rows} == {a}
    assert f'href="/cases/{a}/"' in response.content.decode()


def test_the_excel_export_holds_the_same_tables(client, coded):
    response = page(client, coded.people["city_chief"], "casecode:stats_export", start="2026-01-01", end="2026-06-30")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == [
        "按颜色",
        "按检察院",
        "按承办部门",
        "按承办检察官",
        "按侦查机关",
        "按月评分与转码",
        "高频扣分项",
        "转绿码用时",
        "逾期未重新评估",
    ]
    rows = lambda name: [list(r) for r in book[name].iter_rows(values_only=True)]  # noqa: E731
    title = rows("按颜色")[0][0]
    assert "全部可查看的检察院" in title and "2026-01-01 至 2026-06-30" in title
    assert rows("按颜色")[1:] == [["颜色", "案件数"], ["红码", 1], ["黄码", 0], ["绿码", 3], ["合计", 4]]
    assert [coded.county.name, 1, 0, 1, 2] in rows("按检察院")
    months = rows("按月评分与转码")
    assert months[1][:6] == ["月份", "评为红码", "评为黄码", "评为绿码", "评分次数", "红转黄"]
    assert months[2][:5] == ["2026-01", 2, 0, 0, 2]
    assert months[2][5:] == [0, 0, 0, 0, 1, 0]  # 黄转红 in January
    assert rows("高频扣分项")[2] == ["主观方面", 3, 30, 0]
    assert rows("转绿码用时")[2] == [2, 36]
    assert rows("逾期未重新评估")[2:] == [["红码", 2], ["黄码", 0], ["合计", 2]]


def test_a_reversed_period_is_refused(client, coded):
    response = page(client, coded.people["city_chief"], start="2026-06-01", end="2026-01-01")
    assert response.status_code == 200
    assert "结束日期不能早于开始日期" in response.content.decode()
    assert "report" not in response.context
