"""Re-evaluation reminders (red every 7 days, yellow every 15), the 诉前会商 alert 15 days before
the investigation custody deadline, the 责任倒查 list, and the daily command."""

import re
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from bihuan.casecode.actions import do_record_consultation
from bihuan.casecode.models import CaseCode
from bihuan.casecode.reminders import (
    accountability,
    consultations_due,
    custody_deadline,
    latest_arrest_for,
    reevaluations_due,
)
from bihuan.cases.models import Case, CoerciveMeasure
from bihuan.notifications.models import Notification
from tests.test_casecode_reviews import arrest_case, score

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str) -> datetime:
    return datetime.fromisoformat(f"{day} 10:00").replace(tzinfo=SHANGHAI)


def arrested(case: Case, on: date, *, until: date | None = None) -> None:
    CoerciveMeasure.objects.create(suspect=case.suspects.get(), kind="arrest", start_date=on, end_date=until)


def logged_in(user) -> Client:
    """A client logged in now (after the clock moved: the idle timeout would log out an older one)."""
    client = Client()
    client.force_login(user)
    return client


def due_ids(day: date) -> set[int]:
    return set(reevaluations_due(Case.objects.all(), day).values_list("case_id", flat=True))


# --- the custody deadline ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arrest", "deadline"),
    [
        (date(2024, 3, 10), date(2024, 5, 10)),
        (date(2023, 12, 31), date(2024, 2, 29)),  # month end → month end (SPC-Interp 202)
        (date(2024, 1, 31), date(2024, 3, 31)),
        (date(2023, 12, 30), date(2024, 2, 29)),  # no 30 February: the last day
        (date(2024, 2, 29), date(2024, 4, 30)),  # 29 February is a month end
    ],
)
def test_custody_deadline_is_two_months_after_the_arrest(arrest, deadline):
    assert custody_deadline(arrest) == deadline
    # The inverse used to filter in SQL: the latest arrest whose deadline is on or before a day.
    assert custody_deadline(latest_arrest_for(deadline)) <= deadline
    assert latest_arrest_for(deadline) >= arrest


def test_latest_arrest_for_is_exact_around_month_ends():
    for day in (date(2024, 2, 28), date(2024, 2, 29), date(2024, 3, 1), date(2024, 4, 30), date(2024, 5, 1)):
        last = latest_arrest_for(day)
        assert custody_deadline(last) <= day
        assert custody_deadline(date.fromordinal(last.toordinal() + 1)) > day


# --- re-evaluation -------------------------------------------------------------------------------


def test_red_is_due_after_7_days_yellow_after_15_green_never(world):
    pros = world.people["pros_a"]
    red, yellow, green = (arrest_case(world, name=f"案{i}", suspect=f"甲{i}") for i in range(3))
    score(red, pros, {"主观方面": 10, "因果关系": 5, "前科累犯": 10, "涉案财物": 10}, at=at("2024-03-01"))
    score(yellow, pros, {"主观方面": 10, "因果关系": 5}, at=at("2024-03-01"))
    score(green, pros, {"因果关系": 5}, at=at("2024-03-01"))
    assert CaseCode.objects.get(case=green).reevaluate_by is None

    assert due_ids(date(2024, 3, 7)) == set()
    assert due_ids(date(2024, 3, 8)) == {red.pk}
    assert due_ids(date(2024, 3, 15)) == {red.pk}
    assert due_ids(date(2024, 3, 16)) == {red.pk, yellow.pk}
    assert green.pk not in due_ids(date(2025, 1, 1))

    # Re-scoring red on 8 March moves its next one to 15 March.
    score(red, pros, {"主观方面": 10, "因果关系": 5, "前科累犯": 10, "涉案财物": 10}, at=at("2024-03-08"))
    assert due_ids(date(2024, 3, 14)) == set()
    assert due_ids(date(2024, 3, 15)) == {red.pk}


def test_due_reevaluations_show_on_the_workbench_and_the_office_list(world):
    pros = world.people["pros_a"]
    case = arrest_case(world)
    score(case, pros, {"主观方面": 10, "因果关系": 5, "前科累犯": 10, "涉案财物": 10}, at=at("2024-03-01"))
    with time_machine.travel("2024-03-07 09:00 +0800", tick=False):
        client, office = logged_in(pros), logged_in(world.people["cm"])
        assert client.get("/").status_code == 200
        assert "应重新评估" not in client.get("/").content.decode()
        assert case.dept_case_no not in office.get("/casecode/due/").content.decode()
    with time_machine.travel("2024-03-10 09:00 +0800", tick=False):
        client, office = logged_in(pros), logged_in(world.people["cm"])
        assert "已逾期 2 日" in client.get("/").content.decode()
        page = office.get("/casecode/due/").content.decode()
        assert case.dept_case_no in page and "2024-03-08" in page
        # Another procuratorate's office does not see it.
        assert case.dept_case_no not in logged_in(world.people["other_chief"]).get("/casecode/due/").content.decode()


def test_the_command_sends_each_reminder_once_a_day(world):
    pros = world.people["pros_a"]
    case = arrest_case(world)
    score(case, pros, {"主观方面": 10, "因果关系": 5, "前科累犯": 10, "涉案财物": 10}, at=at("2024-03-01"))
    out = StringIO()
    call_command("casecodereminders", "--date", "2024-03-07", stdout=out)
    assert "应重新评估 0 件" in out.getvalue()
    call_command("casecodereminders", "--date", "2024-03-08", stdout=out)
    call_command("casecodereminders", "--date", "2024-03-08", stdout=out)
    reminders = Notification.objects.filter(recipient=pros, kind="casecode_reminder")
    assert reminders.count() == 1
    assert "重新评估" in reminders.get().title and reminders.get().case == case
    call_command("casecodereminders", "--date", "2024-03-09", stdout=out)
    assert reminders.count() == 2


# --- 诉前会商 -------------------------------------------------------------------------------------


def consult_ids(day: date) -> set[int]:
    return set(consultations_due(Case.objects.all(), day).values_list("pk", flat=True))


def test_consultation_alert_15_days_before_the_custody_deadline(world):
    """Arrested 10 March → custody deadline 10 May; alert from 25 April (15 days before)."""
    pros = world.people["pros_a"]
    yellow = arrest_case(world)
    arrested(yellow, date(2024, 3, 10))
    score(yellow, pros, {"主观方面": 10, "因果关系": 5}, at=at("2024-03-12"))
    green = arrest_case(world, name="绿码案", suspect="乙")
    arrested(green, date(2024, 3, 10))
    score(green, pros, {"因果关系": 5}, at=at("2024-03-12"))
    released = arrest_case(world, name="已释放案", suspect="丙")
    arrested(released, date(2024, 3, 10), until=date(2024, 4, 1))
    score(released, pros, {"主观方面": 10, "因果关系": 5}, at=at("2024-03-12"))

    assert consult_ids(date(2024, 4, 24)) == set()
    assert consult_ids(date(2024, 4, 25)) == {yellow.pk}
    assert consult_ids(date(2024, 5, 10)) == {yellow.pk}
    assert consult_ids(date(2024, 5, 11)) == set()  # the deadline has passed

    out = StringIO()
    call_command("casecodereminders", "--date", "2024-04-25", stdout=out)
    assert "应诉前会商 1 件" in out.getvalue()
    for person in (pros, world.people["cm"]):
        told = Notification.objects.get(recipient=person, title__contains="诉前会商")
        assert "2024-05-10" in told.title and "剩余 15 日" in told.title

    with time_machine.travel("2024-04-26 09:00 +0800", tick=False):
        page = logged_in(world.people["cm"]).get("/casecode/due/").content.decode()
        assert yellow.dept_case_no in page and "2024-05-10" in page
        client = logged_in(pros)
        assert "应诉前会商" in client.get("/").content.decode()
        do_record_consultation(
            yellow,
            actor=pros,
            held_on=date(2024, 4, 26),
            participants="承办检察官、侦查人员",
            opinions="补充调取监控",
            conclusion="五日内补齐",
        )
        assert consult_ids(date(2024, 4, 26)) == set()
        assert "补充调取监控" in client.get(f"/cases/{yellow.pk}/").content.decode()


def test_recording_a_consultation_through_the_case_page(world):
    pros = world.people["pros_a"]
    case = arrest_case(world)
    score(case, pros, {"主观方面": 10, "因果关系": 5})
    client = logged_in(pros)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "记录诉前会商" in page
    token = re.findall(r'name="submit_token" value="([^"]+)"', page)[-1]
    data = {
        "submit_token": token,
        "held_on": "2024-03-06",
        "participants": "甲、乙",
        "opinions": "意见",
        "conclusion": "结论",
    }
    assert client.post(f"/casecode/cases/{case.pk}/consultation/", data).status_code == 302
    assert case.code_consultations.get().conclusion == "结论"
    # Someone who may not score the case may not record one.
    assert logged_in(world.people["head"]).post(f"/casecode/cases/{case.pk}/consultation/", data).status_code == 403


# --- 责任倒查 -------------------------------------------------------------------------------------


def test_accountability_lists_cases_red_on_the_custody_deadline(world):
    """Arrested 31 January → custody deadline 31 March (month end)."""
    pros = world.people["pros_a"]
    red_points = {"主观方面": 10, "因果关系": 5, "前科累犯": 10, "涉案财物": 10}
    turned = arrest_case(world, name="转绿案", suspect="甲")
    arrested(turned, date(2024, 1, 31))
    score(turned, pros, red_points, at=at("2024-02-10"))
    score(turned, pros, {"因果关系": 5}, at=at("2024-03-20"))
    late = arrest_case(world, name="届满仍红案", suspect="乙")
    arrested(late, date(2024, 1, 31))
    score(late, pros, red_points, at=at("2024-02-10"))
    score(late, pros, {"因果关系": 5}, at=at("2024-04-05"))
    on_the_day = arrest_case(world, name="当日转红案", suspect="丙")
    arrested(on_the_day, date(2024, 1, 31))
    score(on_the_day, pros, {"因果关系": 5}, at=at("2024-02-10"))
    score(on_the_day, pros, red_points, at=at("2024-03-31"))
    scored_after = arrest_case(world, name="届满后评分案", suspect="丁")
    arrested(scored_after, date(2024, 1, 31))
    score(scored_after, pros, red_points, at=at("2024-04-02"))
    not_yet = arrest_case(world, name="未届满案", suspect="戊")
    arrested(not_yet, date(2024, 2, 15))
    score(not_yet, pros, red_points, at=at("2024-02-20"))

    assert accountability(Case.objects.all(), date(2024, 3, 30)) == []
    rows = accountability(Case.objects.all(), date(2024, 4, 10))
    assert {r.case.pk for r in rows} == {late.pk, on_the_day.pk}
    row = next(r for r in rows if r.case == late)
    assert (row.arrested_on, row.deadline, row.evaluation.seq, row.evaluation.colour) == (
        date(2024, 1, 31),
        date(2024, 3, 31),
        1,
        "red",
    )
    # 15 February → 15 April.
    assert not_yet.pk in {r.case.pk for r in accountability(Case.objects.all(), date(2024, 4, 15))}

    with time_machine.travel("2024-04-10 09:00 +0800", tick=False):
        page = logged_in(world.people["cm"]).get("/casecode/due/").content.decode()
    section = page.split("<h2>责任倒查</h2>", 1)[1]
    assert late.dept_case_no in section and on_the_day.dept_case_no in section
    assert turned.dept_case_no not in section and scored_after.dept_case_no not in section
