"""The authority list (权力清单): each decision waits for its whole approval chain, and a decision
recorded early is refused with the step still missing."""

import pytest
from django.core.exceptions import PermissionDenied

from bihuan.cases.choices import Outcome, Stage
from bihuan.events.models import Event
from bihuan.workflow import actions
from bihuan.workflow.machine import WorkflowRefused
from bihuan.workflow.models import ApprovalRequest, ChainStep, DecisionType
from tests.workflow_helpers import Browser, approve, decision, fresh, propose, record, reviewing


def test_default_authority_list_follows_the_sources(db):
    chains = {d.code: d.chain_roles() for d in DecisionType.objects.prefetch_related("steps")}
    assert chains["prosecute"] == ["dept_head"]  # seed 004: 检察官决定，部门主任审核
    assert chains["np_discretionary"] == ["dept_head", "deputy_chief", "chief"]  # Rule 370
    assert chains["extension"][-1] == "chief"  # domain-rules §7.2
    assert chains["withdrawal"][-1] == "chief"  # Rule 424
    assert chains["arrest_approved"][-1] == "chief"  # CPL 87
    assert all(
        DecisionType.objects.get(code=c).requires_hearing
        for c in ("np_statutory", "np_discretionary", "np_evidence", "np_conditional", "arrest_refused")
    )


def test_a_decision_is_refused_until_every_step_has_approved(world):
    case = reviewing(world.case_a)
    people = world.people
    draft = actions.do_propose(
        case, actor=people["pros_a"], decision_type=decision("np_evidence"), opinion="证据不足", seen=case.row_version
    )
    with pytest.raises(WorkflowRefused, match="尚缺“部门主任”审批"):
        record(draft)
    actions.do_submit(draft, actor=people["pros_a"], seen=fresh(case).row_version)
    request = ApprovalRequest.objects.get(pk=draft.pk)
    with pytest.raises(WorkflowRefused, match="尚缺“部门主任”审批"):
        record(request)
    approve(request, people["head"])
    with pytest.raises(WorkflowRefused, match="尚缺“分管副检察长”审批"):
        record(request)
    assert fresh(case).stage == Stage.APPROVAL
    approve(request, people["deputy"], "同意，报检察长")
    with pytest.raises(WorkflowRefused, match="尚缺“检察长”审批"):
        record(request)
    assert fresh(case).outcome == Outcome.NONE
    approve(request, people["chief"], "同意存疑不起诉")
    record(request)
    case = fresh(case)
    assert (case.stage, case.outcome) == (Stage.CONCLUDED, Outcome.NP_EVIDENCE)


def test_only_the_holder_of_the_current_step_may_act(world):
    case = reviewing(world.case_a)
    request = propose(case, "np_evidence")
    people = world.people
    # The leaders cannot skip the department head; the head of another department cannot act.
    for outsider in (people["chief"], people["deputy"], people["city_head"], people["pros_a"]):
        with pytest.raises(PermissionDenied):
            approve(request, outsider)
    approve(request, people["head"])
    with pytest.raises(PermissionDenied, match="分管副检察长"):
        approve(request, people["chief"])
    assert len(ApprovalRequest.objects.get(pk=request.pk).approvals()) == 1


def test_only_the_prosecutor_proposes_and_records(world):
    case = reviewing(world.case_a)
    for other in (world.people["pros_a2"], world.people["head"], world.people["chief"]):
        with pytest.raises(PermissionDenied):
            actions.do_propose(
                case, actor=other, decision_type=decision("prosecute"), opinion="起诉", seen=case.row_version
            )
    request = propose(case, "prosecute")
    approve(request, world.people["head"])
    with pytest.raises(PermissionDenied):
        actions.do_record_decision(
            request, actor=world.people["head"], decided_on=case.received_date, seen=fresh(case).row_version
        )


def test_a_decision_type_of_the_other_case_type_is_refused(world):
    case = reviewing(world.case_a)
    with pytest.raises(WorkflowRefused, match="不适用于审查起诉案件"):
        actions.do_propose(
            case,
            actor=world.people["pros_a"],
            decision_type=decision("arrest_approved"),
            opinion="批准逮捕",
            seen=case.row_version,
        )


def test_the_stage_machine_refuses_an_action_from_the_wrong_stage(world):
    case = fresh(world.case_a)  # 受理, not yet assigned
    with pytest.raises(WorkflowRefused, match="案件处于“受理”阶段，不能开始审查"):
        actions.do_start_review(case, actor=world.people["pros_a"], seen=case.row_version)
    with pytest.raises(WorkflowRefused, match="不能提出拟处理意见"):
        actions.do_propose(
            case, actor=world.people["pros_a"], decision_type=decision("prosecute"), opinion="x", seen=case.row_version
        )


def test_a_chain_edited_later_does_not_change_a_request_in_flight(world):
    case = reviewing(world.case_a)
    request = propose(case, "prosecute")
    kind = decision("prosecute")
    ChainStep.objects.create(decision_type=kind, position=2, role="chief")
    approve(request, world.people["head"])
    assert ApprovalRequest.objects.get(pk=request.pk).status == "approved"


def test_withdrawal_after_prosecution_needs_the_chief(world):
    case = reviewing(world.case_a)
    request = propose(case, "prosecute")
    approve(request, world.people["head"])
    record(request)
    page = Browser(world.people["pros_a"]).page(case)
    assert "提出撤回起诉意见" in page
    Browser(world.people["pros_a"]).post(
        case, "propose", {"decision_type": decision("withdrawal").pk, "opinion": "出现不应当追究刑事责任的情形"}
    )
    withdrawal = ApprovalRequest.objects.get(case=case, decision_type__code="withdrawal")
    actions.do_submit(withdrawal, actor=world.people["pros_a"], seen=fresh(case).row_version)
    for holder in ("head", "deputy"):
        approve(withdrawal, world.people[holder])
    with pytest.raises(WorkflowRefused, match="尚缺“检察长”"):
        record(withdrawal)
    approve(withdrawal, world.people["chief"])
    record(withdrawal)
    case = fresh(case)
    assert (case.stage, case.outcome) == (Stage.CONCLUDED, Outcome.WITHDRAWN)
    assert case.links.get(kind="withdrawal").approver == str(world.people["chief"])


def test_authority_page_and_admin(world, client):
    client.force_login(world.people["pros_a"])
    page = client.get("/workflow/authority/").content.decode()
    assert "相对不起诉" in page and "承办检察官提出 → 部门主任 → 分管副检察长 → 检察长" in page
    client.force_login(world.people["sysadmin"])
    kind = decision("prosecute")
    url = f"/admin/workflow/decisiontype/{kind.pk}/change/"
    assert client.get(url).status_code == 200
    form = {
        "code": kind.code,
        "name": kind.name,
        "case_type": kind.case_type,
        "phase": kind.phase,
        "outcome": kind.outcome,
        "link_kind": "",
        "basis": kind.basis,
        "position": kind.position,
        "active": "on",
        "steps-TOTAL_FORMS": "2",
        "steps-INITIAL_FORMS": "1",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
        "steps-0-id": kind.steps.get().pk,
        "steps-0-decision_type": kind.pk,
        "steps-0-position": "1",
        "steps-0-role": "dept_head",
        "steps-1-decision_type": kind.pk,
        "steps-1-position": "2",
        "steps-1-role": "deputy_chief",
    }
    assert client.post(url, form).status_code == 302
    assert decision("prosecute").chain_roles() == ["dept_head", "deputy_chief"]
    assert Event.objects.filter(action="config.update", changes__chain__isnull=False).exists()
    # People with case roles do not edit the list.
    client.force_login(world.people["chief"])
    assert client.get(url).status_code == 302


def test_the_inbox_shows_each_person_only_their_current_steps(world, client):
    case = reviewing(world.case_a)
    request = propose(case, "np_evidence", "证据不足")

    def inbox(role):
        client.force_login(world.people[role])
        return case.name in client.get("/workflow/inbox/").content.decode()

    assert [inbox(r) for r in ("head", "deputy", "chief", "city_head", "city_chief", "pros_a")] == [
        True,
        False,
        False,
        False,
        False,
        False,
    ]
    approve(request, world.people["head"])
    assert [inbox(r) for r in ("head", "deputy", "chief")] == [False, True, False]
