"""The hearing gate: a 不起诉 or 不批准逮捕 in a 重大敏感 case cannot be approved before a public
hearing hosted by a procuratorate leader is recorded."""

from datetime import date

import pytest

from bihuan.cases.choices import Stage
from bihuan.workflow import actions
from bihuan.workflow.machine import WorkflowRefused
from bihuan.workflow.models import ApprovalRequest
from tests import factories as f
from tests.workflow_helpers import Browser, approve, fresh, propose, record, reviewing, tag

PARTICIPANTS = [("peoples_supervisor", "周某", "同意不起诉"), ("npc_deputy", "吴某", "建议从宽")]


def hearing(case, host, recorder, participants=PARTICIPANTS):
    return actions.do_record_hearing(
        case,
        actor=recorder,
        held_on=date(2024, 3, 15),
        host=host,
        topic="拟相对不起诉公开听证",
        conclusion="多数意见同意不起诉",
        participants=participants,
        seen=fresh(case).row_version,
    )


def test_no_approval_before_the_hearing_in_a_major_sensitive_case(world):
    case = reviewing(world.case_a)
    tag(case)
    request = propose(case, "np_discretionary", "犯罪情节轻微")
    with pytest.raises(WorkflowRefused, match="须由院领导主持召开公开听证会"):
        approve(request, world.people["head"])
    assert ApprovalRequest.objects.get(pk=request.pk).approvals() == []

    with pytest.raises(WorkflowRefused, match="须由本院院领导"):
        hearing(case, world.people["head"], world.people["pros_a"])
    with pytest.raises(WorkflowRefused, match="须由本院院领导"):
        hearing(case, world.people["other_chief"], world.people["pros_a"])
    with pytest.raises(WorkflowRefused, match="至少记录一名听证参加人"):
        hearing(case, world.people["deputy"], world.people["pros_a"], participants=[])

    hearing(case, world.people["deputy"], world.people["pros_a"])
    for holder in ("head", "deputy", "chief"):
        approve(request, world.people[holder])
    record(request)
    assert fresh(case).stage == Stage.CONCLUDED


def test_no_gate_without_the_tag_or_for_prosecution(world):
    case = reviewing(world.case_a)
    approve(propose(case, "np_discretionary"), world.people["head"])
    other = reviewing(world.case_b)
    tag(other)
    approve(propose(other, "prosecute"), world.people["head"])


def test_not_approving_an_arrest_in_a_major_sensitive_case_needs_the_hearing(world):
    case = f.make_case(
        world.county,
        department=world.county_dept,
        team=world.team_a,
        prosecutor=world.people["pros_a"],
        case_type="arrest_review",
        name="陈某某聚众扰乱社会秩序案",
    )
    case = reviewing(case)
    tag(case)
    request = propose(case, "arrest_refused", "无社会危险性")
    with pytest.raises(WorkflowRefused, match="公开听证"):
        approve(request, world.people["head"])


def test_the_hearing_form_on_the_case_page(world):
    case = reviewing(world.case_a)
    tag(case)
    request = propose(case, "np_discretionary")
    head = Browser(world.people["head"])
    assert "记录听证后方可审批" in head.page(case)
    page = head.post(case, "decide", {"request_id": request.pk, "verdict": "approve"}).content.decode()
    assert "须由院领导主持召开公开听证会" in page

    chief = Browser(world.people["chief"])
    form = {
        "held_on": "2024-03-15",
        "host": world.people["chief"].pk,
        "topic": "拟不起诉听证",
        "conclusion": "同意不起诉",
        "kind_1": "cppcc_member",
        "name_1": "郑某",
        "opinion_1": "同意",
        "kind_2": "peoples_supervisor",
        "name_2": "王某",
        "opinion_2": "",
    }
    page = chief.post(case, "hearing", form).content.decode()
    assert "参加人2的身份、姓名和意见须一并填写" in page
    form["opinion_2"] = "同意"
    page = chief.post(case, "hearing", form).content.decode()
    assert "公开听证已记录" in page and "政协委员 郑某" in page
    head.post(case, "decide", {"request_id": request.pk, "verdict": "approve"})
    assert len(ApprovalRequest.objects.get(pk=request.pk).approvals()) == 1
