"""The 在办案件 home page, the 期限预警 board, the workbench and case-page panels, the menu, and
the daily reminders — as each role sees them on 2024-06-12."""

import re
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.template.loader import get_template
from django.test import Client, RequestFactory

from bihuan.cases.models import Case, CoerciveMeasure
from bihuan.deadlines.alerts import send_deadline_alerts
from bihuan.deadlines.models import CaseDue, with_due
from bihuan.deadlines.panels import case_panels as deadline_panels
from bihuan.deadlines.recompute import recompute_all
from bihuan.notifications.models import Notification
from bihuan.triage.actions import do_reassign
from tests import factories as f

TODAY = date(2024, 6, 12)
NOW = datetime(2024, 6, 12, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
CASE_LINK = re.compile(r'href="/cases/(\d+)/"')


@pytest.fixture
def today():
    with time_machine.travel(NOW, tick=False):
        yield TODAY


@pytest.fixture
def due(world, today):
    """The world's cases and a few more, with due dates of every urgency on TODAY:

    - a (pros_a): received 05-06, due 06-06 — overdue by 6 days;
    - b (pros_b): received 05-12, due 06-12 — due today;
    - soon (pros_a): received 05-14, due 06-14 — 2 days left, within the 5-day lead;
    - normal (pros_a): received 05-31, due 06-30 (Sunday) → 07-01;
    - arrest (pros_b): 审查逮捕, detained, received 06-09, 7 days → 06-16 (Sunday, held: no shift),
      4 days left: outside the 2-day lead of 审查逮捕;
    - city: received 05-14 (soon); other: received 05-06 (overdue) — other procuratorates.
    """
    county, dept, p = world.county, world.county_dept, world.people
    cases = {
        "a": world.case_a,
        "b": world.case_b,
        "soon": f.make_case(county, department=dept, team=world.team_a, prosecutor=p["pros_a"], name="周某某盗窃案"),
        "normal": f.make_case(county, department=dept, team=world.team_a, prosecutor=p["pros_a"], name="吴某某诈骗案"),
        "arrest": f.make_case(
            county, department=dept, team=world.team_b, prosecutor=p["pros_b"], case_type="arrest_review"
        ),
        "city": world.case_city,
        "other": world.case_other,
    }
    received = {
        "a": date(2024, 5, 6),
        "b": date(2024, 5, 12),
        "soon": date(2024, 5, 14),
        "normal": date(2024, 5, 31),
        "arrest": date(2024, 6, 9),
        "city": date(2024, 5, 14),
        "other": date(2024, 5, 6),
    }
    for key, day in received.items():
        Case.objects.filter(pk=cases[key].pk).update(received_date=day)
    suspect = f.make_suspect(cases["arrest"], "郑某某")
    CoerciveMeasure.objects.create(suspect=suspect, kind="detention", start_date=date(2024, 6, 8))
    recompute_all(today=TODAY)
    return {key: with_due(Case.objects.all()).get(pk=c.pk) for key, c in cases.items()}


def client_for(world, role: str) -> Client:
    client = Client()
    client.force_login(world.people[role])
    return client


def listed(due, response) -> list[str]:
    """The keys of the cases a page links to, in page order."""
    by_id = {c.pk: key for key, c in due.items()}
    return [by_id[int(i)] for i in CASE_LINK.findall(response.content.decode()) if int(i) in by_id]


def test_the_fixture_has_the_due_dates_the_statute_gives(due):
    assert {k: (c.due_date, c.due_kind) for k, c in due.items()} == {
        "a": (date(2024, 6, 6), "prosecution_review"),
        "b": (date(2024, 6, 12), "prosecution_review"),
        "soon": (date(2024, 6, 14), "prosecution_review"),
        "normal": (date(2024, 7, 1), "prosecution_review"),
        "arrest": (date(2024, 6, 16), "arrest_review"),
        "city": (date(2024, 6, 14), "prosecution_review"),
        "other": (date(2024, 6, 6), "prosecution_review"),
    }


#
# 在办案件
#


@pytest.mark.parametrize(
    ("role", "keys"),
    [
        ("pros_a", ["a", "soon", "normal"]),
        ("assistant_a", ["a", "soon", "normal"]),
        ("pros_b", ["b", "arrest"]),
        ("head", ["a", "b", "soon", "arrest", "normal"]),
        ("cm", ["a", "b", "soon", "arrest", "normal"]),
        ("city_chief", ["a", "other", "b", "city", "soon", "arrest", "normal"]),
        ("other_chief", ["other"]),
    ],
)
def test_home_lists_the_cases_in_scope_by_due_date(world, due, role, keys):
    response = client_for(world, role).get("/deadlines/cases/")
    assert response.status_code == 200
    assert listed(due, response) == keys
    assert f"共 {len(keys)} 件" in response.content.decode()


def test_a_reassigned_case_moves_to_the_new_prosecutors_home_page(world, due):
    """The home page reads the scope from the running period's own columns: they follow the
    case when it changes hands (case_scope_changed), and a bulk recompute repairs them."""
    case = Case.objects.get(pk=due["a"].pk)
    do_reassign([case], world.people["pros_b"], "承办人回避", world.people["head"])
    assert "a" not in listed(due, client_for(world, "pros_a").get("/deadlines/cases/"))
    assert listed(due, client_for(world, "pros_b").get("/deadlines/cases/")) == ["a", "b", "arrest"]
    # A write that bypassed the actions (say, another tool's SQL) is put right by the next run.
    Case.objects.filter(pk=case.pk).update(prosecutor=world.people["pros_a"], team=world.team_a)
    recompute_all(today=TODAY)
    assert listed(due, client_for(world, "pros_a").get("/deadlines/cases/")) == ["a", "soon", "normal"]


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditadmin", "investigator"])
def test_people_without_case_data_are_refused(world, due, role):
    client = client_for(world, role)
    assert client.get("/deadlines/cases/").status_code == 403
    assert client.get("/deadlines/").status_code == 403


def test_home_rows_are_coloured_by_urgency_and_say_the_days_left(world, due):
    body = client_for(world, "cm").get("/deadlines/cases/").content.decode()
    rows = {
        key: re.search(rf'<tr class="(due-\w+)">\s*<td>\s*<a class="case-name" href="/cases/{c.pk}/"', body)
        for key, c in due.items()
        if key not in ("city", "other")
    }
    assert {key: m.group(1) for key, m in rows.items()} == {
        "a": "due-overdue",
        "b": "due-today",
        "soon": "due-soon",
        "normal": "due-normal",
        "arrest": "due-normal",
    }
    assert "超期 6 日" in body
    assert "今日到期" in body
    assert "2 日" in body
    assert "deadlines/deadlines.css" in body


@pytest.mark.parametrize(
    ("params", "keys"),
    [
        ({"urgency": "overdue"}, ["a"]),
        ({"urgency": "today"}, ["b"]),
        ({"urgency": "soon"}, ["soon"]),
        ({"urgency": "normal"}, ["arrest", "normal"]),
        ({"due_kind": "arrest_review"}, ["arrest"]),
        ({"risk_level": "high"}, ["soon"]),
        ({"stage": "reviewing"}, ["b"]),
        ({"prosecutor": "pros_a"}, ["a", "soon", "normal"]),
        ({"urgency": "bogus"}, []),
    ],
)
def test_home_filters(world, due, params, keys):
    Case.objects.filter(pk=due["soon"].pk).update(risk_level="high")
    Case.objects.filter(pk=due["b"].pk).update(stage="reviewing")
    if "prosecutor" in params:
        params = {"prosecutor": world.people[params["prosecutor"]].pk}
    response = client_for(world, "cm").get("/deadlines/cases/", params)
    assert response.status_code == 200
    assert listed(due, response) == keys


def test_home_pages_by_due_date_without_repeating_a_case(world, due):
    for n in range(22):
        case = f.make_case(world.county, department=world.county_dept, prosecutor=world.people["pros_b"])
        Case.objects.filter(pk=case.pk).update(received_date=date(2024, 5, 15 + n % 10))
    recompute_all(today=TODAY)
    client = client_for(world, "cm")
    first = client.get("/deadlines/cases/")
    ids = [int(i) for i in CASE_LINK.findall(first.content.decode())]
    assert len(ids) == 20
    after = re.search(r'rel="next" href="[^"]*after=([\w-]+)"', first.content.decode()).group(1)
    second = client.get("/deadlines/cases/", {"after": after})
    more = [int(i) for i in CASE_LINK.findall(second.content.decode())]
    assert len(more) == 7  # 5 + 22 cases of the county, 20 on the first page
    assert not set(ids) & set(more)
    dues = dict(CaseDue.objects.filter(case__in=ids + more).values_list("case_id", "due_date"))
    ordered = [(dues[i], i) for i in ids + more]
    assert ordered == sorted(ordered)
    # The previous page from the second is the first again.
    before = re.search(r'rel="prev" href="[^"]*before=([\w-]+)"', second.content.decode()).group(1)
    back = client.get("/deadlines/cases/", {"before": before})
    assert [int(i) for i in CASE_LINK.findall(back.content.decode())] == ids


def test_home_answers_htmx_with_the_results_only(world, due):
    response = client_for(world, "cm").get("/deadlines/cases/", {"urgency": "today"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body
    assert listed(due, response) == ["b"]
    assert response["HX-Push-Url"] == "/deadlines/cases/?urgency=today"


#
# 期限预警
#


def tab_counts(body: str) -> dict[str, str]:
    return dict(re.findall(r'class="due-tab due-tab-(\w+)[^"]*"[^>]*>\s*[^<]+<span class="n">([^<]+)</span>', body))


def test_board_lists_the_alerting_cases_with_counts_per_tab(world, due):
    client = client_for(world, "cm")
    response = client.get("/deadlines/")
    assert listed(due, response) == ["a", "b", "soon"]
    assert tab_counts(response.content.decode()) == {"all": "3", "overdue": "1", "today": "1", "soon": "1"}
    assert listed(due, client.get("/deadlines/", {"urgency": "overdue"})) == ["a"]
    assert listed(due, client.get("/deadlines/", {"urgency": "today"})) == ["b"]
    assert listed(due, client.get("/deadlines/", {"urgency": "soon"})) == ["soon"]
    # "normal" is no tab of the board: it shows every alerting case.
    assert listed(due, client.get("/deadlines/", {"urgency": "normal"})) == ["a", "b", "soon"]


def test_board_scope_and_filters(world, due):
    assert listed(due, client_for(world, "pros_b").get("/deadlines/")) == ["b"]
    assert listed(due, client_for(world, "city_chief").get("/deadlines/")) == ["a", "other", "b", "city", "soon"]
    response = client_for(world, "city_chief").get("/deadlines/", {"org": world.county.pk})
    assert listed(due, response) == ["a", "b", "soon"]
    assert tab_counts(response.content.decode())["all"] == "3"


def test_board_lead_times_are_settings(world, due, settings):
    """审查逮捕 alerts 2 days ahead by default; the setting widens it (domain-rules §7.2)."""
    client = client_for(world, "cm")
    assert "arrest" not in listed(due, client.get("/deadlines/"))
    settings.DEADLINE_LEAD_DAYS_ARREST = 4
    assert listed(due, client.get("/deadlines/", {"urgency": "soon"})) == ["soon", "arrest"]
    settings.DEADLINE_LEAD_DAYS_PROSECUTION = 1
    assert listed(due, client.get("/deadlines/", {"urgency": "soon"})) == ["arrest"]


#
# Menu, workbench, case page
#


def test_menu_entries_for_case_roles_only(world, due):
    body = client_for(world, "pros_a").get("/").content.decode()
    menu = body[body.index('aria-label="主菜单"') :]
    assert menu.index(">在办案件<") < menu.index(">期限预警<") < menu.index(">期限计算器<")
    assert ">在办案件<" not in client_for(world, "sysadmin").get("/").content.decode()


def test_workbench_counts_the_persons_own_cases(world, due):
    body = client_for(world, "pros_a").get("/").content.decode()
    panel = body[body.index("办案期限预警") :]
    pros = world.people["pros_a"].pk
    for urgency, n in (("overdue", 1), ("today", 0), ("soon", 1)):
        assert re.search(
            rf'href="/deadlines/\?prosecutor={pros}&amp;urgency={urgency}"><div class="n">{n}</div>', panel
        ), urgency
    # The head counts the department's cases; the board opens the same ones.
    head = client_for(world, "head")
    body = head.get("/").content.decode()
    dept = world.county_dept.pk
    assert f'href="/deadlines/?department={dept}&amp;urgency=today"><div class="n">1</div>' in body
    assert listed(due, head.get("/deadlines/", {"department": dept, "urgency": "today"})) == ["b"]


def case_panel_html(world, case) -> str:
    """The 办案期限 panel as the case page renders it in its aside column."""
    request = RequestFactory().get(f"/cases/{case.pk}/")
    request.user = world.people["pros_a"]
    (panel,) = [p for p in deadline_panels(request, case) if p.column == "aside"]
    return get_template(panel.template).render({"case": case, **panel.context}, request)


def test_case_page_explains_the_due_date(world, due):
    panel = case_panel_html(world, due["soon"])
    assert "<h2>办案期限</h2>" in panel
    assert "2024-06-14" in panel
    assert "剩余 2 日" in panel
    assert "审查起诉：应当在一个月以内作出决定" in panel
    assert "CPL 172; Rule 351" in panel
    assert "已超期 6 日" in case_panel_html(world, due["a"])
    Case.objects.filter(pk=due["a"].pk).update(stage="concluded")
    assert "当前没有正在计算的法定办案期限" in case_panel_html(world, Case.objects.get(pk=due["a"].pk))


#
# Reminders
#


def test_reminders_reach_the_prosecutor_and_the_case_managers_once_a_day(world, due):
    cm_other = f.make_person(["case_manager"], org=world.other_county)
    result = send_deadline_alerts(TODAY)
    assert result.cases == {"overdue": 2, "today": 1, "soon": 2}
    mine = lambda role: sorted(  # noqa: E731
        Notification.objects.filter(recipient=world.people[role]).values_list("case_id", "key")
    )
    assert [case for case, _ in mine("pros_a")] == sorted([due["a"].pk, due["soon"].pk])
    assert [case for case, _ in mine("pros_b")] == [due["b"].pk]
    assert {case for case, _ in mine("cm")} == {due["a"].pk, due["b"].pk, due["soon"].pk}
    assert set(Notification.objects.filter(recipient=cm_other).values_list("case_id", flat=True)) == {due["other"].pk}
    assert not Notification.objects.filter(recipient=world.people["head"]).exists()
    note = Notification.objects.get(recipient=world.people["pros_a"], case=due["a"])
    assert note.title.startswith("超期提示：张某某危险驾驶案")
    assert "已超期 6 日" in note.title
    assert note.url == f"/cases/{due['a'].pk}/"
    assert note.key == f"deadline:2024-06-12:overdue:{due['a'].pk}"
    # 5 alerting cases: their prosecutors (two have none) and their procuratorates' staff (none at the city).
    assert result.sent == Notification.objects.count() == 7

    again = send_deadline_alerts(TODAY)
    assert again.sent == 0
    assert Notification.objects.count() == 7

    tomorrow = send_deadline_alerts(date(2024, 6, 13))
    assert tomorrow.sent > 0
    assert Notification.objects.filter(recipient=world.people["pros_a"], case=due["soon"]).count() == 2


def test_the_daily_command(world, due):
    out = StringIO()
    call_command("deadlinealerts", "--date", "2024-06-12", stdout=out)
    assert "2024-06-12 期限提醒：已超期 2 件，今日到期 1 件，即将到期 2 件；新发送提醒" in out.getvalue()
    out = StringIO()
    call_command("deadlinealerts", "--date", "2024-06-12", stdout=out)
    assert "新发送提醒 0 条" in out.getvalue()
