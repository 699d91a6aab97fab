"""Duty records (判办论报说, 查核判督, 听定签), the 检察官联席会议 and 检调对接."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from bihuan.notifications.models import Notification
from bihuan.workflow import actions
from bihuan.workflow.machine import WorkflowRefused
from bihuan.workflow.models import JointMeeting, Mediation
from tests.workflow_helpers import Browser, events, fresh, reviewing


def test_risk_assessment_sets_the_case_risk_level(world):
    case = reviewing(world.case_a)
    prosecutor = Browser(world.people["pros_a"])
    before = events(case)
    prosecutor.post(
        case, "duty", {"kind": "risk", "occurred_on": "2024-03-08", "risk_level": "high", "content": "被害人情绪激烈"}
    )
    assert fresh(case).risk_level == "high"
    assert events(case) == before + 1
    page = prosecutor.page(case)
    assert "预判风险（风险评估）" in page and "被害人情绪激烈" in page


def test_supervision_by_the_head_reaches_the_prosecutor(world):
    case = reviewing(world.case_a)
    actions.do_record_duty(
        case,
        actor=world.people["head"],
        kind="supervision",
        occurred_on=date(2024, 3, 28),
        content="审查起诉期限将届满，请及时提出处理意见",
        seen=case.row_version,
    )
    assert Notification.objects.filter(recipient=world.people["pros_a"], kind="supervision").exists()
    # A prosecutor neither supervises nor hears reports; a leader of another procuratorate does neither.
    for person, kind in (("pros_a", "supervision"), ("pros_a", "briefing"), ("other_chief", "briefing")):
        with pytest.raises(PermissionDenied):
            actions.do_record_duty(
                fresh(case),
                actor=world.people[person],
                kind=kind,
                occurred_on=date(2024, 3, 28),
                content="x",
                seen=fresh(case).row_version,
            )
    actions.do_record_duty(
        fresh(case),
        actor=world.people["deputy"],
        kind="briefing",
        occurred_on=date(2024, 3, 29),
        counterpart="承办检察官",
        content="听取案件汇报，同意提交检委会",
        seen=fresh(case).row_version,
    )


def test_joint_meeting_requested_then_held(world):
    case = reviewing(world.case_a)
    prosecutor, head = Browser(world.people["pros_a"]), Browser(world.people["head"])
    prosecutor.post(case, "discussion", {"forum": "joint", "question": "是否构成危险驾驶罪"})
    meeting = JointMeeting.objects.get(case=case)
    assert meeting.status == "requested"
    assert Notification.objects.filter(recipient=world.people["head"], kind="meeting").exists()
    page = head.page(case)
    assert "召集检察官联席会议" in page and "是否构成危险驾驶罪" in page
    form = {
        "meeting_id": meeting.pk,
        "held_on": "2024-03-12",
        "agenda": "是否构成危险驾驶罪",
        "conclusion": "多数意见认为构成犯罪",
        "attendee_1": world.people["pros_a2"].pk,
        "opinion_1": "构成犯罪",
        "attendee_2": world.people["pros_b"].pk,
        "opinion_2": "情节轻微，可相对不起诉",
    }
    page = head.post(case, "joint-meeting", form).content.decode()
    assert "检察官联席会议已记录" in page
    meeting.refresh_from_db()
    assert meeting.status == "held" and meeting.convened_by == world.people["head"]
    assert [o.opinion for o in meeting.opinions.all()] == ["构成犯罪", "情节轻微，可相对不起诉"]
    with pytest.raises(PermissionDenied):
        actions.do_record_joint_meeting(
            fresh(case),
            actor=world.people["pros_a"],
            held_on=date(2024, 3, 12),
            agenda="x",
            opinions=[(world.people["pros_b"], "y")],
            conclusion="z",
            seen=fresh(case).row_version,
        )


def mediate(case, actor):
    return actions.do_record_mediation(
        case,
        actor=actor,
        mediator="人民调解员孙某",
        held_on=date(2024, 3, 18),
        parties="犯罪嫌疑人张某某、被害人李某",
        result="settled",
        amount=Decimal("20000.00"),
        terms="赔偿医疗费等两万元，被害人出具谅解书",
        seen=fresh(case).row_version,
    )


def test_mediation_only_for_cases_up_to_three_years(world):
    case = reviewing(world.case_a)
    prosecutor = Browser(world.people["pros_a"])
    assert "不适用检调对接" in prosecutor.page(case)
    with pytest.raises(WorkflowRefused, match="三年有期徒刑以下"):
        mediate(case, world.people["pros_a"])
    for sentence, eligible in (("lt10", False), ("ge10", False), ("le1", True), ("le3", True)):
        type(case).objects.filter(pk=case.pk).update(likely_sentence=sentence)
        assert actions.mediation_eligible(fresh(case)) is eligible
    assert "符合检调对接条件" in prosecutor.page(case)
    page = prosecutor.post(
        case,
        "mediation",
        {
            "mediator": "人民调解员孙某",
            "held_on": "2024-03-18",
            "parties": "张某某、李某",
            "result": "settled",
            "amount": "20000",
            "terms": "",
        },
    ).content.decode()
    assert "达成和解的，请记录和解协议内容" in page
    mediate(fresh(case), world.people["pros_a"])
    assert Mediation.objects.get(case=case).amount == Decimal("20000.00")
    assert "达成和解" in prosecutor.page(case)
