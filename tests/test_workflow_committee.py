"""The 检察委员会: a committee step or discussion item cannot be decided until its
四到位/四提前/四必问 checklist is complete, each item checked with who and when."""

import pytest
from django.core.exceptions import PermissionDenied

from bihuan.workflow import actions
from bihuan.workflow.choices import CHECKLIST_CODES
from bihuan.workflow.machine import WorkflowRefused
from bihuan.workflow.models import ApprovalRequest, ChainStep, CommitteeItem
from tests import factories as f
from tests.workflow_helpers import Browser, approve, decision, fresh, propose, record, reviewing


def committee_chain(code: str = "np_discretionary") -> None:
    """An administrator reserves the decision for the committee: 部门主任 → 检察委员会."""
    kind = decision(code)
    kind.steps.all().delete()
    ChainStep.objects.create(decision_type=kind, position=1, role="dept_head")
    ChainStep.objects.create(decision_type=kind, position=2, role="committee")


def check(case, member, item, codes):
    return actions.do_check_committee_items(
        case, actor=member, item_id=item.pk, codes=list(codes), seen=fresh(case).row_version
    )


def test_the_committee_step_waits_for_the_whole_checklist(world):
    committee_chain()
    case = reviewing(world.case_a)
    request = propose(case, "np_discretionary")
    approve(request, world.people["head"])
    item = CommitteeItem.objects.get(approval_request=request)
    deputy, chief = world.people["deputy"], world.people["chief"]

    with pytest.raises(WorkflowRefused, match="四到位·案件材料准备到位"):
        approve(request, chief, "同意不起诉")
    assert check(case, deputy, item, CHECKLIST_CODES[:8]) == 8
    with pytest.raises(WorkflowRefused) as refused:
        approve(request, chief, "同意不起诉")
    assert "四必问·必问事实证据是否清楚" in str(refused.value) and "四到位" not in str(refused.value)
    # Someone who is not a member of this procuratorate's committee cannot check.
    with pytest.raises(PermissionDenied):
        check(case, world.people["head"], item, CHECKLIST_CODES[8:])
    check(case, chief, item, CHECKLIST_CODES[8:])
    mark = item.marks.get(code="ask_dissent")
    assert mark.checked_by == chief and mark.checked_at is not None

    approve(request, chief, "检委会决定相对不起诉")
    item.refresh_from_db()
    assert item.status == "decided" and "检委会决定相对不起诉" in item.decision
    record(request)
    assert ApprovalRequest.objects.get(pk=request.pk).status == "recorded"


def test_a_discussion_requested_by_the_prosecutor(world):
    case = reviewing(world.case_a)
    item = actions.do_request_discussion(
        case, actor=world.people["pros_a"], forum="committee", question="罪与非罪争议", seen=case.row_version
    )
    chief = world.people["chief"]
    with pytest.raises(WorkflowRefused, match="核对事项尚未完成"):
        actions.do_decide_committee_item(
            case, actor=chief, item_id=item.pk, decision="构成犯罪", seen=fresh(case).row_version
        )
    check(case, chief, item, CHECKLIST_CODES)
    actions.do_decide_committee_item(
        case, actor=chief, item_id=item.pk, decision="构成犯罪", seen=fresh(case).row_version
    )
    assert CommitteeItem.objects.get(pk=item.pk).decision == "构成犯罪"


def test_the_agenda_page(world):
    committee_chain()
    case = reviewing(world.case_a)
    request = propose(case, "np_discretionary")
    approve(request, world.people["head"])
    member = Browser(world.people["deputy"])
    page = member.client.get("/workflow/committee/").content.decode()
    assert case.name in page and "确认核对" in page and "四提前·提前将材料送达委员" in page
    # The agenda answers to the committee members of the case's own procuratorate only.
    outsider = Browser(f.make_person(["committee"], org=world.other_county))
    assert case.name not in outsider.client.get("/workflow/committee/").content.decode()
    assert "您不是检察委员会委员" in Browser(world.people["head"]).client.get("/workflow/committee/").content.decode()

    item = CommitteeItem.objects.get(approval_request=request)
    token = member.token(case)
    response = member.post(
        case,
        "committee-check",
        {"item_id": item.pk, "codes": list(CHECKLIST_CODES), "next": "/workflow/committee/"},
        token=token,
    )
    assert response.redirect_chain[-1][0] == "/workflow/committee/"
    assert item.marks.count() == len(CHECKLIST_CODES)
    member.post(case, "decide", {"request_id": request.pk, "verdict": "approve", "reason": "检委会同意"})
    assert ApprovalRequest.objects.get(pk=request.pk).status == "approved"
