"""The whole path of a 审查起诉 case through the pages: 开始审查 → 拟处理意见（起诉）→ 部门主任审核
→ 记录决定（审结）→ 归档, each step one audit event and the right person notified."""

from datetime import date

from bihuan.cases.choices import Outcome, Stage
from bihuan.notifications.models import Notification
from bihuan.workflow.models import ApprovalRequest
from tests.workflow_helpers import Browser, assigned, decision, events, fresh


def test_prosecution_path_from_review_to_archive(world):
    case = assigned(world.case_a)
    prosecutor, head = Browser(world.people["pros_a"]), Browser(world.people["head"])

    def act(browser, action, data=None, expect_stage=None):
        before = events(case)
        response = browser.post(case, action, data)
        assert response.status_code == 200
        assert events(case) == before + 1, f"{action} must leave exactly one audit event"
        if expect_stage:
            assert fresh(case).stage == expect_stage
        return response.content.decode()

    page = prosecutor.page(case)
    assert "办案流程" in page and "开始审查" in page
    act(prosecutor, "start-review", expect_stage=Stage.REVIEWING)
    act(
        prosecutor,
        "propose",
        {"decision_type": decision("prosecute").pk, "opinion": "事实清楚，证据确实充分，应当起诉"},
        expect_stage=Stage.PROPOSED,
    )
    request = ApprovalRequest.objects.get(case=case)
    act(prosecutor, "submit", {"request_id": request.pk}, expect_stage=Stage.DEPT_REVIEW)
    assert Notification.objects.filter(recipient=world.people["head"], title__startswith="待您审核").exists()

    # The head sees it in the inbox and on the workbench, then approves (审核同意).
    assert case.name in head.client.get("/workflow/inbox/").content.decode()
    assert "待我审核" in head.client.get("/").content.decode()
    act(head, "decide", {"request_id": request.pk, "verdict": "approve", "reason": "同意起诉"}, Stage.APPROVAL)
    assert Notification.objects.filter(recipient=world.people["pros_a"], title__startswith="审批通过").exists()

    page = act(prosecutor, "record-decision", {"request_id": request.pk, "decided_on": "2024-03-25"})
    assert "决定已记录" in page
    case = fresh(case)
    assert (case.stage, case.outcome, case.closed_date) == (Stage.CONCLUDED, Outcome.PROSECUTE, date(2024, 3, 25))
    assert list(case.suspects.values_list("outcome", flat=True)) == [Outcome.PROSECUTE]

    act(prosecutor, "archive", expect_stage=Stage.ARCHIVED)
    page = prosecutor.page(case)
    assert "部门主任" in page and "同意起诉" in page


def test_returned_proposal_goes_back_to_the_prosecutor_with_the_reason(world):
    case = assigned(world.case_a)
    prosecutor, head = Browser(world.people["pros_a"]), Browser(world.people["head"])
    prosecutor.post(case, "start-review")
    prosecutor.post(case, "propose", {"decision_type": decision("prosecute").pk, "opinion": "拟起诉"})
    request = ApprovalRequest.objects.get(case=case)
    prosecutor.post(case, "submit", {"request_id": request.pk})

    page = head.post(case, "decide", {"request_id": request.pk, "verdict": "return", "reason": ""}).content.decode()
    assert "退回须写明理由" in page
    head.post(case, "decide", {"request_id": request.pk, "verdict": "return", "reason": "量刑证据不足，请补充"})
    assert fresh(case).stage == Stage.REVIEWING
    assert ApprovalRequest.objects.get(pk=request.pk).status == "returned"
    note = Notification.objects.get(recipient=world.people["pros_a"], kind="approval_returned")
    assert "量刑证据不足" in note.title
    # A new proposal may follow.
    assert "提出拟处理意见" in prosecutor.page(case)
