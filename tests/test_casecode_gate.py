"""扫码受理: green accepted, yellow deferred or accepted with a due date, red returned with the open
items printed (domain-rules §7.4)."""

import re
from datetime import date

import pytest
import time_machine
from django.test import Client

from bihuan.casecode.actions import do_gate_check, do_issue_link
from bihuan.casecode.exceptions import CodeRefused
from bihuan.casecode.gate import find_for_gate
from bihuan.casecode.models import GateCheck, GateDecision
from bihuan.casecode.reminders import reevaluations_due
from bihuan.casecode.sharing import link_url
from bihuan.cases.choices import Stage
from bihuan.cases.models import Case
from bihuan.events.models import Event
from bihuan.notifications.models import Notification
from tests.intake_helpers import register
from tests.test_casecode_reviews import arrest_case, score

RED = {"主观方面": 10, "因果关系": 5, "前科累犯": 10, "涉案财物": 10}  # 65
YELLOW = {"主观方面": 10, "因果关系": 5}  # 85
GREEN = {"因果关系": 5}  # 95


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel("2024-03-06 10:00 +0800", tick=False):
        yield


def matter(world, points):
    """A scored 审查逮捕 case and the 审查起诉 case of the same matter registered at the desk."""
    coded = arrest_case(world)
    score(coded, world.people["pros_a"], points)
    incoming = register(world, unified_case_no=coded.unified_case_no)
    return coded, incoming


def gate_client(world) -> Client:
    client = Client()
    client.force_login(world.people["cm"])
    return client


def decide(client: Client, query: str, **data):
    page = client.get("/casecode/gate/", {"q": query}).content.decode()
    token = re.search(r'name="submit_token" value="([^"]+)"', page).group(1)
    action = re.search(r'action="(/casecode/gate/\d+/decide/)"', page).group(1)
    coded = re.search(r'name="coded_case" value="(\d+)"', page).group(1)
    return client.post(action, {"submit_token": token, "coded_case": coded, **data})


def test_green_is_accepted_through_the_intake_desk(world):
    coded, incoming = matter(world, GREEN)
    client = gate_client(world)
    page = client.get("/casecode/gate/", {"q": incoming.dept_case_no}).content.decode()
    assert "绿码" in page and "95.0" in page and incoming.dept_case_no in page
    assert '<option value="accept">受理</option>' in page
    assert 'value="defer"' not in page and 'value="return"' not in page
    response = decide(client, incoming.dept_case_no, decision="accept")
    assert response.status_code == 302
    incoming.refresh_from_db()
    assert incoming.stage == Stage.RECEIVED
    assert incoming.intake.accepted_by == world.people["cm"]
    check = GateCheck.objects.get(case=incoming)
    assert (check.colour, check.decision, check.coded_case, check.evaluation) == (
        "green",
        GateDecision.ACCEPT,
        coded,
        coded.code.current,
    )
    assert Event.objects.filter(action="casecode.gate", case_id=incoming.pk).exists()
    assert Event.objects.filter(action="intake.accept", case_id=incoming.pk).exists()


def test_yellow_deferred_stays_waiting(world):
    coded, incoming = matter(world, YELLOW)
    client = gate_client(world)
    page = client.get("/casecode/gate/", {"q": coded.unified_case_no}).content.decode()
    assert "黄码" in page and 'value="defer"' in page and 'value="accept_pending"' in page
    assert 'value="accept"' not in page
    decide(client, coded.unified_case_no, decision="defer", due_date="2024-03-13", reason="待补充监控录像")
    incoming.refresh_from_db()
    assert incoming.stage == Stage.REGISTERED
    check = GateCheck.objects.get(case=incoming)
    assert (check.decision, check.due_date, check.reason) == (GateDecision.DEFER, date(2024, 3, 13), "待补充监控录像")
    assert Notification.objects.filter(recipient=world.people["pros_a"], title__contains="延期受理").exists()


def test_yellow_accepted_with_a_due_date(world):
    _, incoming = matter(world, YELLOW)
    client = gate_client(world)
    decide(client, incoming.dept_case_no, decision="accept_pending", due_date="2024-03-20", reason="先收后补")
    incoming.refresh_from_db()
    assert incoming.stage == Stage.RECEIVED
    check = GateCheck.objects.get(case=incoming)
    assert (check.decision, check.due_date) == (GateDecision.ACCEPT_PENDING, date(2024, 3, 20))


def test_red_is_returned_with_the_open_items_printed(world):
    coded, incoming = matter(world, RED)
    client = gate_client(world)
    response = decide(client, incoming.dept_case_no, decision="return", reason="证据严重不足")
    assert response.status_code == 302 and response.url == f"/casecode/gate/{incoming.pk}/notice/"
    incoming.refresh_from_db()
    assert incoming.stage == Stage.REGISTERED
    notice = client.get(response.url).content.decode()
    assert "案件退回补送清单" in notice and "红码" in notice and "65.0" in notice
    for name in RED:
        assert f"{name}问题" in notice
    assert GateCheck.objects.get(case=incoming).decision == GateDecision.RETURN


def test_a_scanned_link_finds_the_code(world, settings):
    settings.SITE_URL = "https://bihuan.example"
    coded, incoming = matter(world, YELLOW)
    url = link_url(do_issue_link(coded, actor=world.people["pros_a"]))
    found = find_for_gate(world.people["cm"], url)
    assert (found.coded_case, found.incoming, found.code.colour) == (coded, incoming, "yellow")
    assert len(found.open_items) == 2
    page = gate_client(world).get("/casecode/gate/", {"q": url}).content.decode()
    assert coded.dept_case_no in page and incoming.dept_case_no in page


@pytest.mark.parametrize(
    ("points", "decision", "due", "message"),
    [
        (GREEN, "return", None, "绿码案件只能受理"),
        (RED, "accept", None, "红码案件只能退回补送"),
        (YELLOW, "accept", None, "黄码案件只能延期受理、先收后补"),
        (YELLOW, "defer", None, "延期受理须写明今天或以后的日期"),
        (YELLOW, "accept_pending", date(2024, 3, 1), "先收后补须写明今天或以后的日期"),
    ],
)
def test_a_decision_must_fit_the_colour(world, points, decision, due, message):
    coded, incoming = matter(world, points)
    with pytest.raises(CodeRefused, match=message):
        do_gate_check(
            incoming, actor=world.people["cm"], coded_case=coded, decision=decision, due_date=due, reason="理由"
        )
    assert not GateCheck.objects.exists()


def test_unknown_numbers_and_other_procuratorates_are_not_found(world):
    with pytest.raises(CodeRefused, match="未找到该案件"):
        find_for_gate(world.people["cm"], "99999999999999999")
    with pytest.raises(CodeRefused, match="未找到该案件"):
        find_for_gate(world.people["cm"], world.case_other.dept_case_no)


def test_only_the_case_management_office_works_the_gate(world):
    _, incoming = matter(world, GREEN)
    client = Client()
    client.force_login(world.people["chief"])
    assert client.get("/casecode/gate/").status_code == 403
    assert client.post(f"/casecode/gate/{incoming.pk}/decide/", {}).status_code == 403
    assert not GateCheck.objects.exists()


def test_a_code_accepted_at_the_gate_is_no_longer_followed(world):
    """Re-evaluation reminders stop once the matter is accepted for 审查起诉 (yellow: due 21 March)."""
    coded, incoming = matter(world, YELLOW)
    later = date(2024, 3, 25)
    assert coded.pk in set(reevaluations_due(Case.objects.all(), later).values_list("case_id", flat=True))
    do_gate_check(
        incoming,
        actor=world.people["cm"],
        coded_case=coded,
        decision="defer",
        due_date=date(2024, 3, 10),
        reason="待补证",
    )
    assert coded.pk in set(reevaluations_due(Case.objects.all(), later).values_list("case_id", flat=True))
    do_gate_check(
        incoming,
        actor=world.people["cm"],
        coded_case=coded,
        decision="accept_pending",
        due_date=date(2024, 3, 20),
        reason="先收后补",
    )
    assert not reevaluations_due(Case.objects.all(), later).exists()
