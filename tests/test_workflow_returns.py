"""退回补充侦查 at most twice (CPL 175, Rule 350), 重新移送 closing the link and restarting the
review, and the 15-day extension (CPL 172) from the day after the current due date."""

from datetime import date, timedelta

import pytest

from bihuan.cases.choices import LinkKind, Stage
from bihuan.deadlines.models import CaseDue
from bihuan.workflow import actions
from bihuan.workflow.machine import WorkflowRefused
from tests import factories as f
from tests.workflow_helpers import Browser, approve, decision, fresh, propose, record, reviewing


def return_once(world, case, on: date, back: date):
    request = propose(case, "supplementary", "需补充查明作案工具来源")
    approve(request, world.people["head"])
    record(request, on)
    assert fresh(case).stage == Stage.RETURNED
    case = fresh(case)
    actions.do_re_transfer(case, actor=world.people["cm"], received_on=back, seen=case.row_version)


def test_two_returns_then_the_third_is_refused(world):
    case = reviewing(world.case_a)
    return_once(world, case, date(2024, 3, 20), date(2024, 4, 10))
    return_once(world, case, date(2024, 4, 25), date(2024, 5, 20))
    links = list(
        case.links.filter(kind=LinkKind.SUPPLEMENTARY_INVESTIGATION).values_list("seq", "start_date", "end_date")
    )
    assert links == [(1, date(2024, 3, 20), date(2024, 4, 10)), (2, date(2024, 4, 25), date(2024, 5, 20))]
    case = fresh(case)
    with pytest.raises(WorkflowRefused, match="二次"):
        actions.do_propose(
            case,
            actor=world.people["pros_a"],
            decision_type=decision("supplementary"),
            opinion="再退",
            seen=case.row_version,
        )


def test_re_transfer_closes_the_link_and_restarts_review(world):
    case = reviewing(world.case_a)
    request = propose(case, "supplementary")
    approve(request, world.people["head"])
    record(request, date(2024, 3, 20))
    link = case.links.get(kind=LinkKind.SUPPLEMENTARY_INVESTIGATION)
    assert link.end_date is None and link.approver == str(world.people["head"])

    prosecutor = Browser(world.people["pros_a"])
    page = prosecutor.post(case, "re-transfer", {"received_on": "2024-03-19"}).content.decode()
    assert "重新移送日期不能早于退回日期" in page
    page = prosecutor.post(case, "re-transfer", {"received_on": "2024-04-15"}).content.decode()
    assert "已登记重新移送" in page
    link.refresh_from_db()
    assert link.end_date == date(2024, 4, 15)
    assert fresh(case).stage == Stage.REVIEWING


def test_no_return_in_an_arrest_review(world):
    case = reviewing(
        f.make_case(
            world.county, department=world.county_dept, prosecutor=world.people["pros_a"], case_type="arrest_review"
        )
    )
    with pytest.raises(WorkflowRefused, match="不适用于审查逮捕案件"):
        actions.do_propose(
            case,
            actor=world.people["pros_a"],
            decision_type=decision("supplementary"),
            opinion="x",
            seen=case.row_version,
        )


def test_extension_runs_fifteen_days_from_the_day_after_the_due_date(world):
    case = reviewing(world.case_a)
    CaseDue.objects.filter(case=case).update(due_date=date(2024, 4, 5))
    request = propose(case, "extension", "案情重大复杂")
    approve(request, world.people["head"])
    with pytest.raises(WorkflowRefused, match="尚缺“检察长”"):
        record(request)
    approve(request, world.people["chief"])
    due = fresh(case).due_date
    record(request)
    link = case.links.get(kind=LinkKind.EXTENSION)
    assert (link.start_date, link.end_date) == (due + timedelta(days=1), due + timedelta(days=15))
    assert link.approver == str(world.people["chief"])
    assert fresh(case).stage == Stage.REVIEWING
    # One extension per review period.
    case = fresh(case)
    with pytest.raises(WorkflowRefused, match="已延长过一次"):
        actions.do_propose(
            case,
            actor=world.people["pros_a"],
            decision_type=decision("extension"),
            opinion="再延",
            seen=case.row_version,
        )
