"""巡查成效: the figures per period and scope computed by hand, the list behind each, the Excel
export read back."""

from datetime import date, datetime, time
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from bihuan.cases.models import Case
from bihuan.patrol.models import CloseReason, FindingStatus, Severity
from tests import factories as f
from tests.test_patrol_pages import make_finding, make_notice, make_rule

MAY = {"from": "2024-05-01", "to": "2024-05-31"}
Q2 = {"from": "2024-04-01", "to": "2024-06-30"}


def local(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


@pytest.fixture
def patrolled(world):
    """County cases open at various times around May 2024, and findings and notices around it."""
    dept = world.county_dept
    late = f.make_case(world.county, department=dept, received=date(2024, 6, 2), name="六月受理案")
    edge = f.make_case(world.county, department=dept, received=date(2024, 5, 31), name="五月末受理案")
    closed_in = f.make_case(world.county, department=dept, received=date(2024, 1, 10), name="五月一日审结案")
    Case.objects.filter(pk=closed_in.pk).update(closed_date=date(2024, 5, 1))
    Case.objects.filter(pk=world.case_b.pk).update(closed_date=date(2024, 4, 20))
    minor, serious = make_rule("T-101"), make_rule("T-102", Severity.SERIOUS)
    a = world.case_a

    def closed(day: date, reason: str, subject: str):
        return make_finding(
            a,
            serious,
            opened=local(date(2024, 4, 2)),
            subject=subject,
            status=FindingStatus.CLOSED,
            close_reason=reason,
            closed_at=local(day),
        )

    rows = {
        "prompt_may": make_finding(a, minor, opened=local(date(2024, 5, 10)), subject="suspect:1"),
        "prompt_april": make_finding(a, minor, opened=local(date(2024, 4, 30), 23, 30), subject="suspect:2"),
        "prompt_last_minute": make_finding(a, minor, opened=local(date(2024, 5, 31), 23, 59), subject="suspect:3"),
        "serious_may": make_finding(a, serious, opened=local(date(2024, 5, 12))),
        "city_prompt": make_finding(world.case_city, minor, opened=local(date(2024, 5, 10))),
        "verified": closed(date(2024, 5, 20), CloseReason.VERIFIED, "link:1"),
        "resolved": closed(date(2024, 5, 21), CloseReason.RESOLVED, "link:2"),
        "false_alarm": closed(date(2024, 5, 22), CloseReason.FALSE_ALARM, "link:3"),
        "disabled": closed(date(2024, 5, 23), CloseReason.RULE_DISABLED, "link:4"),
        "verified_june": closed(date(2024, 6, 1), CloseReason.VERIFIED, "link:5"),
        "notice_may": make_notice(a, "测检案管监〔2024〕3号", issued_at=local(date(2024, 5, 3))),
        "notice_june": make_notice(a, "测检案管监〔2024〕4号", issued_at=local(date(2024, 6, 1), 0, 0)),
    }
    return {"late": late, "edge": edge, "closed_in": closed_in, **rows}


def figures(world, role: str, params: dict) -> dict[str, int]:
    client = Client()
    client.force_login(world.people[role])
    response = client.get(reverse("patrol:stats"), params)
    assert response.status_code == 200
    return {figure.key: figure.value for figure, _ in response.context["figures"]}


def test_the_figures_of_a_month_by_hand(world, patrolled):
    # Watched in May: case_a (open), 五月末受理案 (received on the 31st), 五月一日审结案 (closed on
    # the 1st); not case_b (closed in April), not 六月受理案, not the city's case.
    # Prompts: minor findings opened 10 May and 31 May 23:59 (not 30 April 23:30, not the city's).
    # Notices: issued 3 May (not 1 June 00:00). Corrections: verified 20 May, resolved 21 May (not
    # the false alarm, not the rule stopped, not 1 June).
    assert figures(world, "cm", MAY) == {
        "watched": 3,
        "prompts": 2,
        "notices": 1,
        "corrections": 2,
        "false_alarms": 1,
    }


def test_the_figures_of_a_quarter_by_hand(world, patrolled):
    assert figures(world, "cm", Q2) == {
        "watched": 5,  # case_b (closed 20 April) and 六月受理案 (received 2 June) too
        "prompts": 3,
        "notices": 2,
        "corrections": 3,
        "false_alarms": 1,
    }


def test_the_figures_follow_the_scope(world, patrolled):
    # The city's chief reads the counties below: the city's case and prompt, the other county's case.
    city = figures(world, "city_chief", MAY)
    assert (city["watched"], city["prompts"]) == (5, 3)
    with_below = figures(world, "city_chief", {**MAY, "org": world.city.pk})
    assert (with_below["watched"], with_below["prompts"]) == (5, 3)
    county = figures(world, "city_chief", {**MAY, "org": world.county.pk})
    assert (county["watched"], county["prompts"]) == (3, 2)
    # A prosecutor counts their own cases only.
    assert figures(world, "pros_a", MAY) == {
        "watched": 1,
        "prompts": 2,
        "notices": 1,
        "corrections": 2,
        "false_alarms": 1,
    }


def test_every_figure_opens_its_list(world, patrolled):
    client = Client()
    client.force_login(world.people["cm"])
    response = client.get(reverse("patrol:stats"), MAY)
    links = {figure.key: link for figure, link in response.context["figures"]}
    ids = lambda key: {row.pk for row in client.get(links[key]).context["page"].rows}  # noqa: E731
    assert ids("watched") == {world.case_a.pk, patrolled["edge"].pk, patrolled["closed_in"].pk}
    assert ids("prompts") == {patrolled["prompt_may"].pk, patrolled["prompt_last_minute"].pk}
    assert ids("notices") == {patrolled["notice_may"].pk}
    assert ids("corrections") == {patrolled["verified"].pk, patrolled["resolved"].pk}
    assert ids("false_alarms") == {patrolled["false_alarm"].pk}


def test_the_excel_export_reads_back(world, patrolled):
    client = Client()
    client.force_login(world.people["cm"])
    response = client.get(reverse("patrol:stats_export"), MAY)
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content))["巡查成效"]
    rows = [row for row in sheet.iter_rows(values_only=True)]
    assert "2024年5月" in rows[0][0]
    assert rows[1] == ("项目", "数量", "统计口径")
    assert [(label, value) for label, value, _ in rows[2:]] == [
        ("监控案件", 3),
        ("发出提示", 2),
        ("书面通知", 1),
        ("纠正问题", 2),
        ("误报", 1),
    ]


def test_a_reversed_period_is_refused(world):
    client = Client()
    client.force_login(world.people["cm"])
    response = client.get(reverse("patrol:stats"), {"from": "2024-05-31", "to": "2024-05-01"})
    assert "figures" not in response.context and response.context["form"].errors["to"]
    assert client.get(reverse("patrol:stats_export"), {"from": "2024-05-31", "to": "2024-05-01"}).status_code == 400


@pytest.mark.parametrize("role", ["sysadmin", "assistant_a", "investigator"])
def test_those_without_the_patrol_are_refused(world, role):
    client = Client()
    client.force_login(world.people[role])
    for name in ("patrol:stats", "patrol:stats_export", "patrol:stats_cases"):
        assert client.get(reverse(name), MAY).status_code == 403
