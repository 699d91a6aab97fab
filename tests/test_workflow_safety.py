"""Two people acting at once, double submits, and role and scope checks on every action."""

from datetime import date

import pytest

from bihuan.cases.choices import Stage
from bihuan.cases.models import Case
from bihuan.workflow import actions
from bihuan.workflow.choices import CHECKLIST_CODES
from bihuan.workflow.models import ApprovalRequest, DutyRecord
from tests import factories as f
from tests.workflow_helpers import Browser, approve, assigned, decision, events, fresh, propose, record, reviewing


def test_a_stale_version_is_refused_and_writes_nothing(world):
    case = reviewing(world.case_a)
    request = propose(case, "prosecute")
    head = Browser(world.people["head"])
    seen = fresh(case).row_version
    token = head.token(case)
    # Meanwhile the prosecutor records a progress report: the case changes.
    Browser(world.people["pros_a"]).post(
        case, "duty", {"kind": "progress", "occurred_on": "2024-03-10", "content": "已提审"}
    )
    before = events(case)
    page = head.post(
        case, "decide", {"request_id": request.pk, "verdict": "approve"}, token=token, version=seen
    ).content.decode()
    assert "案件已被他人修改，请刷新后重试。" in page
    assert events(case) == before
    assert ApprovalRequest.objects.get(pk=request.pk).approvals() == []
    assert fresh(case).stage == Stage.DEPT_REVIEW


def test_two_heads_approving_at_once_leave_one_approval(world):
    case = reviewing(world.case_a)
    request = propose(case, "np_evidence")
    second_head = f.make_person(["dept_head"], org=world.county, department=world.county_dept)
    first, second = Browser(world.people["head"]), Browser(second_head)
    seen = fresh(case).row_version
    tokens = first.token(case), second.token(case)
    first.post(case, "decide", {"request_id": request.pk, "verdict": "approve"}, token=tokens[0], version=seen)
    page = second.post(
        case, "decide", {"request_id": request.pk, "verdict": "approve"}, token=tokens[1], version=seen
    ).content.decode()
    assert "案件已被他人修改" in page
    assert len(ApprovalRequest.objects.get(pk=request.pk).approvals()) == 1


def test_a_double_submitted_form_does_nothing_twice(world):
    case = reviewing(world.case_a)
    prosecutor = Browser(world.people["pros_a"])
    token = prosecutor.token(case)
    data = {
        "kind": "explanation",
        "occurred_on": "2024-03-10",
        "counterpart": "被害人李某",
        "content": "释明不起诉理由",
    }
    prosecutor.post(case, "duty", data, token=token)
    before = events(case)
    page = prosecutor.post(case, "duty", data, token=token).content.decode()
    assert "该操作已提交，未重复执行。" in page
    assert DutyRecord.objects.filter(case=case).count() == 1
    assert events(case) == before


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("pros_b", 404),  # another team's case
        ("other_chief", 404),  # another procuratorate
        ("investigator", 404),
        ("sysadmin", 404),
        ("city_chief", 403),  # an upper procuratorate reads, never acts
        ("pros_a2", 403),  # same team: reads, does not edit
    ],
)
def test_out_of_scope_and_read_only_people_are_refused(world, role, status):
    case = assigned(world.case_a)
    person = Browser(world.people[role])
    response = person.client.post(
        f"/workflow/cases/{case.pk}/start-review/", {"row_version": fresh(case).row_version, "submit_token": "x"}
    )
    assert response.status_code == status
    assert fresh(case).stage == Stage.ASSIGNED


def test_roles_in_scope_without_the_duty_are_refused(world):
    case = reviewing(world.case_a)
    request = propose(case, "np_evidence")
    # The chief may edit the case, but the step is the department head's.
    chief = Browser(world.people["chief"])
    response = chief.client.post(
        f"/workflow/cases/{case.pk}/decide/",
        {
            "row_version": fresh(case).row_version,
            "submit_token": chief.token(case),
            "request_id": request.pk,
            "verdict": "approve",
        },
    )
    assert response.status_code == 403
    # A committee-only member reads the case but cannot propose on it.
    member = Browser(f.make_person(["committee"], org=world.county))
    response = member.client.post(
        f"/workflow/cases/{case.pk}/propose/",
        {"row_version": fresh(case).row_version, "submit_token": "x", "decision_type": decision("prosecute").pk},
    )
    assert response.status_code == 403


def test_a_request_of_another_case_is_not_found(world):
    case_b = reviewing(world.case_b)
    other = propose(case_b, "prosecute")
    case = reviewing(world.case_a)
    head = Browser(world.people["head"])
    page = head.post(case, "decide", {"request_id": other.pk, "verdict": "approve"}).content.decode()
    assert "审批事项不存在" in page
    assert ApprovalRequest.objects.get(pk=other.pk).approvals() == []


def test_actions_answer_post_only(world, client):
    client.force_login(world.people["pros_a"])
    assert client.get(f"/workflow/cases/{world.case_a.pk}/start-review/").status_code == 405
    assert Case.objects.get(pk=world.case_a.pk).stage == Stage.RECEIVED


def test_every_other_action_leaves_one_audit_event(world):
    """(The path test counts the stage actions through the pages.)"""
    case = reviewing(world.case_a)
    people = world.people
    Case.objects.filter(pk=case.pk).update(likely_sentence="le1")

    def once(run):
        before = events(case)
        result = run(fresh(case))
        assert events(case) == before + 1
        return result

    once(
        lambda c: actions.do_record_hearing(
            c,
            actor=people["pros_a"],
            held_on=date(2024, 3, 9),
            host=people["chief"],
            topic="听证",
            conclusion="同意",
            participants=[("lawyer", "律师甲", "同意")],
            seen=c.row_version,
        )
    )
    meeting = once(
        lambda c: actions.do_request_discussion(
            c, actor=people["pros_a"], forum="joint", question="争议", seen=c.row_version
        )
    )
    once(
        lambda c: actions.do_record_joint_meeting(
            c,
            actor=people["head"],
            held_on=date(2024, 3, 10),
            agenda="争议",
            opinions=[(people["pros_b"], "意见")],
            conclusion="结论",
            seen=c.row_version,
            meeting=meeting,
        )
    )
    item = once(
        lambda c: actions.do_request_discussion(
            c, actor=people["pros_a"], forum="committee", question="疑难", seen=c.row_version
        )
    )
    once(
        lambda c: actions.do_check_committee_items(
            c, actor=people["chief"], item_id=item.pk, codes=list(CHECKLIST_CODES), seen=c.row_version
        )
    )
    once(
        lambda c: actions.do_decide_committee_item(
            c, actor=people["chief"], item_id=item.pk, decision="同意", seen=c.row_version
        )
    )
    once(
        lambda c: actions.do_record_mediation(
            c,
            actor=people["pros_a"],
            mediator="调解员",
            held_on=date(2024, 3, 11),
            parties="双方",
            result="not_settled",
            amount=None,
            terms="",
            seen=c.row_version,
        )
    )
    request = propose(case, "supplementary")
    approve(request, people["head"])
    record(request)
    once(lambda c: actions.do_re_transfer(c, actor=people["pros_a"], received_on=date(2024, 4, 1), seen=c.row_version))
    assert fresh(case).stage == Stage.REVIEWING


def test_an_arrest_review_is_concluded_by_the_chief(world):
    case = reviewing(
        f.make_case(
            world.county, department=world.county_dept, prosecutor=world.people["pros_a"], case_type="arrest_review"
        )
    )
    request = propose(case, "arrest_approved", "有逮捕必要")
    approve(request, world.people["head"])
    approve(request, world.people["chief"])
    record(request)
    case = fresh(case)
    assert (case.stage, case.outcome) == (Stage.CONCLUDED, "arrest_approved")
