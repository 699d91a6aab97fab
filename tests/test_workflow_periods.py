"""Intervals that stop the clock (Rule 222 精神病鉴定, CPL 170) and 改变管辖 (CPL 172 para 2,
Rule 351 para 2), registered on the case page; the due date follows at once."""

from datetime import date

import pytest

from bihuan.cases.choices import LinkKind
from bihuan.events.models import Event
from bihuan.workflow import actions
from bihuan.workflow.machine import WorkflowRefused
from tests import factories as f
from tests.workflow_helpers import Browser, fresh, reviewing

APPRAISAL = "精神病鉴定（《人民检察院刑事诉讼规则》第二百二十二条）"


@pytest.fixture
def case(world):
    # Received Friday 2024-03-01, no one in custody: 审查起诉 due 2024-04-01 (a Monday), CPL 172.
    case = f.make_case(
        world.county, department=world.county_dept, prosecutor=world.people["pros_a"], received=date(2024, 3, 1)
    )
    f.make_suspect(case, "周某某")
    case = reviewing(case)
    assert case.due_date == date(2024, 4, 1)
    return case


def test_a_psychiatric_appraisal_pushes_the_due_date_back_by_its_length(world, case):
    page = Browser(world.people["pros_a"]).post(
        case, "suspension", {"reason": APPRAISAL, "start": "2024-03-10", "end": "2024-03-19"}
    )
    assert "已登记不计入办案期限的期间" in page.content.decode()
    link = case.links.get(kind=LinkKind.SUSPENSION)
    assert (link.start_date, link.end_date, link.note) == (date(2024, 3, 10), date(2024, 3, 19), APPRAISAL)
    # Ten days (03-10 to 03-19) do not count (Rule 222): 2024-04-01 + 10 = 2024-04-11, a Thursday.
    assert fresh(case).due_date == date(2024, 4, 11)
    assert Event.objects.filter(case_id=case.pk, action="workflow.suspension").count() == 1


def test_a_running_interval_is_closed_later_by_the_case_management_office(world, case):
    prosecutor, office = Browser(world.people["pros_a"]), Browser(world.people["cm"])
    prosecutor.post(case, "suspension", {"reason": APPRAISAL, "start": "2024-03-10", "end": ""})
    assert "不计入办案期限的期间结束" in office.page(case)
    page = office.post(case, "suspension-end", {"end": "2024-03-09"}).content.decode()
    assert "结束日期不能早于起始日期" in page
    office.post(case, "suspension-end", {"end": "2024-03-19"})
    assert case.links.get(kind=LinkKind.SUSPENSION).end_date == date(2024, 3, 19)
    assert fresh(case).due_date == date(2024, 4, 11)
    # A second interval may start once the first has ended.
    assert "登记不计入办案期限的期间" in office.page(case)


def test_a_second_running_interval_is_refused(world, case):
    prosecutor = Browser(world.people["pros_a"])
    prosecutor.post(case, "suspension", {"reason": APPRAISAL, "start": "2024-03-10", "end": ""})
    case = fresh(case)
    with pytest.raises(WorkflowRefused, match="尚有未结束"):
        actions.do_record_suspension(
            case, actor=world.people["pros_a"], start=date(2024, 3, 12), end=None, reason="x", seen=case.row_version
        )


def test_a_change_of_jurisdiction_restarts_the_review_period(world, case):
    page = Browser(world.people["cm"]).post(
        case, "jurisdiction", {"decided_on": "2024-03-10", "received_on": "2024-03-15", "note": "指定管辖"}
    )
    assert "已登记改变管辖" in page.content.decode()
    link = case.links.get(kind=LinkKind.JURISDICTION_CHANGE)
    assert (link.start_date, link.end_date) == (date(2024, 3, 10), date(2024, 3, 15))
    # One month from the day the procuratorate received the case: 2024-04-15, a Monday.
    assert fresh(case).due_date == date(2024, 4, 15)


def test_only_the_prosecutor_or_the_office_registers_periods(world, case):
    data = {"reason": APPRAISAL, "start": "2024-03-10", "end": "2024-03-19"}
    assert Browser(world.people["head"]).post(case, "suspension", data).status_code == 403
    url = f"/workflow/cases/{case.pk}/suspension/"
    # The city reads the county's cases and acts on none; another county does not see it.
    assert Browser(world.people["city_chief"]).client.post(url, data).status_code == 403
    assert Browser(world.people["other_chief"]).client.post(url, data).status_code == 404
    assert not case.links.filter(kind=LinkKind.SUSPENSION).exists()
    assert fresh(case).due_date == date(2024, 4, 1)
