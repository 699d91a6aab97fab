"""The dashboards (指标看板) on the hand-built data set of the engine tests (first quarter of 2025;
see tests/test_indicators_engine.py for every case). The expected figures are worked out by hand
in the comments:

team A (快审, pros_a and pros_a2): P1 简案 closed 2025-02-14, 25 days (40 − 15 out);
    P4 简案 closed 2025-03-11, 10 days; judged in Q1: 孙三 (adopted).
team B (pros_b): A2 审查逮捕 (未分流) closed 2025-01-16; P3 繁案 closed 2025-03-10, 69 days
    (129 − 30 − 30); judged in Q1: 吴二 (not adopted), 冯一 (P6, adopted).
"""

import json
import re
from decimal import Decimal

import pytest
from django.test import Client

from bihuan.cases.models import Case
from bihuan.events.models import Event
from bihuan.indicators import dashboards
from bihuan.indicators.access import Scope
from bihuan.indicators.engine import compute
from bihuan.indicators.models import Colour, ContributionWeight, Target
from bihuan.indicators.periods import Period, month
from bihuan.indicators.views import drill_url
from tests import test_indicators_engine as dataset

RANGE = {"from": "2025-01-01", "to": "2025-03-31"}

data = dataset.data  # the hand-built data set, as a fixture of this module


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(user, path="", **params):
    return client_for(user).get(f"/indicators/dashboards/{path}", {**RANGE, **params})


def chart_data(body: str, element: str) -> dict:
    found = re.search(rf'<script id="{element}" type="application/json">(.*?)</script>', body, re.S)
    return json.loads(found.group(1))


def dept(world) -> str:
    return f"dept:{world.county_dept.pk}"


# --- the target colours ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("direction", "value", "tolerance", "figure", "colour"),
    [
        ("higher", "85", "5", "85.0", Colour.BLUE),  # meets exactly
        ("higher", "85", "5", "80.0", Colour.YELLOW),  # 5 points short: still in the band
        ("higher", "85", "5", "79.9", Colour.RED),
        ("lower", "30", "15", "45.0", Colour.YELLOW),
        ("lower", "30", "15", "45.1", Colour.RED),
        ("lower", "1.87", "0.2", "1.50", Colour.BLUE),
        ("higher", "85", "5", None, None),  # no value (zero denominator): no colour
    ],
)
def test_target_colours(direction, value, tolerance, figure, colour):
    target = Target(indicator="plea_rate", value=Decimal(value), direction=direction, tolerance=Decimal(tolerance))
    assert target.colour(None if figure is None else Decimal(figure)) == colour


def test_default_targets_and_weights_are_seeded(db):
    targets = {t.indicator: (t.value, t.direction, t.tolerance) for t in Target.objects.all()}
    # domain-rules §2.3 (S7): 认罪认罚 >85 %, 确定刑 >90 %, 采纳 >95 %.
    assert targets["plea_rate"] == (Decimal("85"), "higher", Decimal("5"))
    assert targets["fixed_recommendation_share"] == (Decimal("90"), "higher", Decimal("5"))
    assert targets["recommendation_adoption_rate"] == (Decimal("95"), "higher", Decimal("3"))
    assert targets["case_ratio"] == (Decimal("1.87"), "lower", Decimal("0.2"))
    weights = dict(ContributionWeight.objects.values_list("factor", "weight"))
    assert weights == {
        "simple": 1,
        "complex": 2,
        "unsorted": 1,
        "major_complex": 1,
        "risk_medium": 0,
        "risk_high": Decimal("0.5"),
    }


@pytest.fixture
def targets(data):
    """Targets chosen so that the data set shows all three colours."""
    Target.objects.all().delete()
    for code, value, direction, tolerance in (
        ("plea_rate", 70, "higher", 5),
        ("fixed_recommendation_share", 90, "higher", 5),
        ("recommendation_adoption_rate", 95, "higher", 3),
        ("review_days", 30, "lower", 15),
    ):
        Target.objects.create(indicator=code, value=value, direction=direction, tolerance=tolerance)
    return data


def table_html(body: str, table: str) -> str:
    return re.search(rf'<table class="data targets" id="{table}">(.*?)</table>', body, re.S).group(1)


def cells(body: str, table: str) -> list[list[tuple[str, str]]]:
    """(figure, colour) of every cell, row by row, of a target table."""
    rows = re.findall(r"<tr><td>.*?</tr>", table_html(body, table), re.S)
    return [re.findall(r'<td class="num cell cell-(\w+)"[^>]*><span class="value">([^<]+)</span>', row) for row in rows]


def test_red_yellow_blue_table_of_teams_and_prosecutors(targets):
    world = targets.world
    body = page(world.people["head"], "targets/", scope=dept(world)).content.decode()
    # Columns in registry order: 认罪认罚 (≥70, yellow ≥65), 确定刑 (≥90, yellow ≥85),
    # 采纳率 (≥95, yellow ≥92), 平均办案天数 (≤30, yellow ≤45).
    expected = [
        # team A: 孙三 孙四 郑一 → 2 pleas of 3 = 66.7 % (yellow); 确定刑 孙三 郑一 of 3 = 66.7 % (red);
        # adopted 孙三 1 of 1 = 100 % (blue); (25 + 10) / 2 = 17.5 days (blue).
        [("yellow", "66.7%"), ("red", "66.7%"), ("blue", "100.0%"), ("blue", "17.5 天")],
        # team B: 吴一 吴二 吴三 → 2 of 3 = 66.7 % (yellow); 确定刑 吴一 吴二 of 2 = 100 % (blue);
        # adopted 冯一 of 吴二 冯一 = 50 % (red); P3 69 days (red).
        [("yellow", "66.7%"), ("blue", "100.0%"), ("red", "50.0%"), ("red", "69.0 天")],
    ]
    assert [[(c, v) for c, v in row] for row in cells(body, "target-teams")] == expected
    # Each prosecutor handles exactly one team's cases here; pros_a2 has none and is not listed.
    assert cells(body, "target-people") == expected
    people = table_html(body, "target-people")
    assert world.people["pros_a"].full_name in people and world.people["pros_a2"].full_name not in people
    # The figure opens its cases: the numerator and denominator of team A's 认罪认罚 rate.
    team_a = Scope("team", world.county, team=world.team_a)
    (figures,) = compute(team_a, [dataset.Q1])
    assert drill_url(figures["plea_rate"], "numerator", team_a).replace("&", "&amp;") in body
    assert "≥ 70.00（黄：≥ 65.00）" in body


def test_the_admin_edits_of_targets_change_the_colours(targets):
    world = targets.world
    admin = client_for(world.people["sysadmin"])
    target = Target.objects.get(indicator="plea_rate")
    response = admin.post(
        f"/admin/indicators/target/{target.pk}/change/",
        {"indicator": "plea_rate", "value": "60", "direction": "higher", "tolerance": "5", "note": ""},
    )
    assert response.status_code == 302
    assert Event.objects.filter(action="config.update", object_id=str(target.pk)).exists()
    body = page(world.people["head"], "targets/", scope=dept(world)).content.decode()
    assert [row[0] for row in cells(body, "target-teams")] == [("blue", "66.7%"), ("blue", "66.7%")]
    assert client_for(world.people["cm"]).get("/admin/indicators/target/").status_code == 302


# --- trends ----------------------------------------------------------------------------------


def test_months_of_a_period_are_cut_to_it():
    from datetime import date

    assert dashboards.months(Period(date(2025, 1, 15), date(2025, 3, 3))) == [
        Period(date(2025, 1, 15), date(2025, 1, 31)),
        month(2025, 2),
        Period(date(2025, 3, 1), date(2025, 3, 3)),
    ]
    assert dashboards.default_range(date(2025, 3, 3)) == Period(date(2024, 4, 1), date(2025, 3, 3))


def test_trends_take_a_handful_of_queries_for_any_number_of_months(data, django_assert_max_num_queries):
    from datetime import date

    scope = Scope("dept", data.world.county, department=data.world.county_dept)
    with django_assert_max_num_queries(6):
        items = dashboards.trends(scope, Period(date(2024, 1, 1), date(2025, 12, 31)))
    assert len(items[0].monthly) == 24


def test_headline_figures_and_trend_chart_data(data):
    world = data.world
    response = page(world.people["head"], scope=dept(world))
    body = response.content.decode()
    # Whole quarter: 简案 (25 + 10) / 2 = 17.5 days, 繁案 69.0 days; 快审 P1 P4 of P1 A2 P3 P4 = 50 %.
    assert re.search(r'id="headline-review_days_simple"><div class="n">17.5 天</div>', body)
    assert re.search(r'id="headline-review_days_complex"><div class="n">69.0 天</div>', body)
    assert re.search(r'id="headline-fast_track_share"><div class="n">50.0%</div>', body)
    chart = chart_data(body, "dashboard-trend-data")
    assert chart["months"] == ["2025-01", "2025-02", "2025-03"]
    charts = {c["id"]: c for c in chart["charts"]}
    days = charts["headline-days"]
    assert [s["name"] for s in days["series"]] == ["审查起诉平均办案天数（简案）", "审查起诉平均办案天数（繁案）"]
    # 简案: none in January, P1 25 days in February, P4 10 days in March; 繁案: P3 in March.
    assert [p["value"] for p in days["series"][0]["points"]] == [None, 25.0, 10.0]
    assert [p["value"] for p in days["series"][1]["points"]] == [None, None, 69.0]
    # 快审: January A2 (team B) 0 of 1; February P1 1 of 1; March P4 of P3 P4.
    assert [p["value"] for p in charts["headline-fast"]["series"][0]["points"]] == [0.0, 100.0, 50.0]
    assert len(chart["charts"]) == 15 + 2  # one per indicator and the two headline charts
    # A point opens the cases of its month's numerator.
    scope = Scope("dept", world.county, department=world.county_dept)
    (february,) = compute(scope, [month(2025, 2)])
    assert days["series"][0]["points"][1]["url"] == drill_url(february["review_days_simple"], "numerator", scope)
    assert "echarts.min.js" in body and "indicators/dashboard.js" in body


# --- comparison of teams of the same kind ----------------------------------------------------


def test_teams_are_compared_within_their_kind(data):
    world = data.world
    body = page(world.people["head"], "teams/", scope=dept(world)).content.decode()
    groups = {g["id"]: g for g in chart_data(body, "dashboard-compare-data")["groups"]}
    assert groups["compare-fast"]["teams"] == ["快审团队"]
    assert groups["compare-ordinary"]["teams"] == ["办案二组"]

    def values(group, code):
        (indicator,) = [i for i in groups[group]["indicators"] if i["code"] == code]
        return [v["value"] for v in indicator["values"]]

    assert values("compare-fast", "review_days") == [17.5]
    assert values("compare-ordinary", "review_days") == [69.0]
    assert values("compare-ordinary", "recommendation_adoption_rate") == [50.0]
    # A prosecutor's own scope has nothing to compare.
    assert "dashboard-compare-data" not in page(world.people["pros_a"], "teams/").content.decode()


# --- 团队贡献度系数 ------------------------------------------------------------------------------


def contribution_rows(body: str) -> dict[str, list[str]]:
    table = re.search(r'<table class="data contribution"[^>]*>(.*?)</table>', body, re.S).group(1)
    rows = {}
    for row in re.findall(r"<tr>\s*<td>(.*?)</tr>", table, re.S):
        name = re.sub(r"<[^>]+>", "", row.split("</td>")[0]).strip()
        rows[name.replace(" 快审", "")] = [re.sub(r"<[^>]+>", "", c).strip() for c in row.split("</td>")[1:-1]]
    return rows


def test_contribution_coefficient_by_hand(data):
    world = data.world
    Case.objects.filter(pk=data.cases["P3"].pk).update(is_major_complex=True, risk_level="high")
    body = page(world.people["head"], "contribution/", scope=dept(world)).content.decode()
    rows = contribution_rows(body)
    # columns: cases, 简案 繁案 未分流 重大复杂 风险中 风险高, points, share, prosecutors, share, coefficient
    # team A: P1 P4 简案 → 2 × 1 = 2 points; team B: A2 未分流 1 + P3 繁案 2 + 重大复杂 1 + 风险高 0.5
    # = 4.5; department 6.5. Prosecutors: A 2 (pros_a, pros_a2), B 1 (pros_b), 3 in all.
    # A: 2 / 6.5 = 30.8 %, 2 / 3 = 66.7 % → (2 / 6.5) ÷ (2 / 3) = 0.4615 → 0.46.
    # B: 4.5 / 6.5 = 69.2 %, 33.3 % → (4.5 / 6.5) ÷ (1 / 3) = 2.0769 → 2.08.
    assert rows["快审团队"] == ["2", "2", "0", "0", "0", "0", "0", "2.00", "30.8%", "2", "66.7%", "0.46"]
    assert rows["办案二组"] == ["2", "0", "1", "1", "1", "0", "1", "4.50", "69.2%", "1", "33.3%", "2.08"]
    assert "团队贡献度系数</strong> = 分值占比 ÷ 检察官占比" in body  # the definition on the page

    # The 系统管理员 changes a weight in the admin: 繁案 1.0 → B = 1 + 1 + 1 + 0.5 = 3.5 of 5.5.
    weight = ContributionWeight.objects.get(factor="complex")
    response = client_for(world.people["sysadmin"]).post(
        f"/admin/indicators/contributionweight/{weight.pk}/change/", {"factor": "complex", "weight": "1", "note": ""}
    )
    assert response.status_code == 302
    rows = contribution_rows(page(world.people["head"], "contribution/", scope=dept(world)).content.decode())
    # A: (2 / 5.5) ÷ (2 / 3) = 0.545 → 0.55; B: (3.5 / 5.5) ÷ (1 / 3) = 1.909 → 1.91.
    assert rows["快审团队"][-5:] == ["2.00", "36.4%", "2", "66.7%", "0.55"]
    assert rows["办案二组"][-5:] == ["3.50", "63.6%", "1", "33.3%", "1.91"]


def test_contribution_counts_open_their_cases(data):
    world, c = data.world, data.cases
    head = world.people["head"]
    body = page(head, "contribution/", scope=dept(world)).content.decode()
    links = re.findall(r'href="(/indicators/dashboards/contribution/cases/\?[^"]+)"', body)
    assert links  # every non-zero count is a link
    listing = client_for(head).get(links[0].replace("&amp;", "&")).content.decode()
    assert set(map(int, re.findall(r'href="/cases/(\d+)/"', listing))) == {c["P1"].pk, c["P4"].pk}

    def listed(**params):
        text = page(head, "contribution/cases/", **params).content.decode()
        return set(map(int, re.findall(r'href="/cases/(\d+)/"', text)))

    team_b = f"team:{world.team_b.pk}"
    assert listed(scope=team_b) == {c["A2"].pk, c["P3"].pk}
    assert listed(scope=team_b, factor="complex") == {c["P3"].pk}
    assert listed(scope=team_b, factor="unsorted") == {c["A2"].pk}
    assert listed(scope=dept(world), unassigned="on") == set()


# --- scope -----------------------------------------------------------------------------------

PAGES = ["", "targets/", "teams/", "contribution/", "contribution/cases/"]


@pytest.mark.parametrize("path", PAGES)
def test_a_prosecutor_cannot_see_another_teams_figures(data, path):
    world = data.world
    pros_a = world.people["pros_a"]
    assert page(pros_a, path, scope=f"team:{world.team_a.pk}").status_code == 200
    assert page(pros_a, path).status_code == 200  # their own figures by default
    for scope in (f"team:{world.team_b.pk}", f"person:{world.people['pros_b'].pk}", dept(world), "nonsense"):
        assert page(pros_a, path, scope=scope).status_code == 404, scope
    assert page(world.people["investigator"], path).status_code == 403


def test_the_target_table_of_a_team_shows_only_what_the_prosecutor_may_see(targets):
    world = targets.world
    body = page(world.people["pros_a"], "targets/", scope=f"team:{world.team_a.pk}").content.decode()
    assert [len(row) for row in cells(body, "target-teams")] == [4]  # team A only
    assert world.people["pros_b"].full_name not in table_html(body, "target-people")
    # Their own row, never a team-mate's: pros_a handles P1 and P4 as team A does.
    assert cells(body, "target-people") == cells(body, "target-teams")


def test_menu_entry(data):
    body = client_for(data.world.people["pros_a"]).get("/indicators/").content.decode()
    assert 'href="/indicators/dashboards/"' in body and "指标看板" in body
    body = client_for(data.world.people["sysadmin"]).get("/").content.decode()
    assert "指标看板" not in body
