"""Workflow pages (权力清单, approval inbox, committee agenda) and the POST actions of the case
page's 办案流程 panel. Every action names its case in the URL and passes other ids in the form;
scope comes from `access_case`, the role from the action itself."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from bihuan.cases.access import access_case
from bihuan.cases.actions import StaleCase
from bihuan.cases.models import Case
from bihuan.orgs.choices import RoleCode
from bihuan.web.submit import REPEATED, consume_token
from bihuan.workflow import actions
from bihuan.workflow.access import agenda_for, meeting_of, pending_for, request_of
from bihuan.workflow.choices import ItemStatus
from bihuan.workflow.forms import (
    CaseActionForm,
    ChecklistForm,
    CommitteeDecisionForm,
    DecideForm,
    DiscussionForm,
    DutyForm,
    EndSuspensionForm,
    HearingForm,
    JointMeetingForm,
    JurisdictionForm,
    MediationForm,
    ProposeForm,
    RecordDecisionForm,
    RequestActionForm,
    ReTransferForm,
    SuspensionForm,
)
from bihuan.workflow.machine import TRANSITIONS, WorkflowRefused, track
from bihuan.workflow.models import ApprovalRequest, DecisionType

#
# Case actions
#


def case_action(form_class: type[CaseActionForm], *, for_write: bool) -> Callable:
    """Turn `handler(request, case, form) -> message` into a POST-only view on one case.

    1. The case comes through `access_case` (out of scope: 404; read-only: 403 when writing).
    2. A repeated submit token does nothing and says so.
    3. An invalid form, a refused action or a stale `row_version` writes nothing and shows why.
    """

    def decorate(handler: Callable) -> Callable:
        @login_required
        @require_POST
        @wraps(handler)
        def view(request: HttpRequest, case_id: int) -> HttpResponse:
            case = access_case(request.user, case_id, for_write=for_write)
            back = redirect(_back(request, case))
            if not consume_token(request):
                messages.info(request, REPEATED)
                return back
            form = form_class(request.POST, case=case)
            if not form.is_valid():
                errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
                messages.error(request, "；".join(errors))
                return back
            try:
                done = handler(request, case, form)
            except (WorkflowRefused, StaleCase) as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, done)
            return back

        return view

    return decorate


def _back(request: HttpRequest, case: Case) -> str:
    """Where to go after an action: the committee agenda when it was used, else the case page."""
    if request.POST.get("next") == reverse("workflow:committee"):
        return reverse("workflow:committee")
    return f"{case.get_absolute_url()}#workflow"


def _request_of(case: Case, form: CaseActionForm) -> ApprovalRequest:
    return request_of(case, form.cleaned_data["request_id"])


def _seen(form: CaseActionForm) -> int:
    return form.cleaned_data["row_version"]


@case_action(CaseActionForm, for_write=True)
def start_review(request, case, form) -> str:
    actions.do_start_review(case, actor=request.user, seen=_seen(form))
    return "已开始审查。"


@case_action(ProposeForm, for_write=True)
def propose(request, case, form) -> str:
    data = form.cleaned_data
    actions.do_propose(
        case, actor=request.user, decision_type=data["decision_type"], opinion=data["opinion"], seen=_seen(form)
    )
    return f"已提出拟处理意见：{data['decision_type'].name}。"


@case_action(RequestActionForm, for_write=True)
def submit(request, case, form) -> str:
    actions.do_submit(_request_of(case, form), actor=request.user, seen=_seen(form))
    return "已提交审批。"


@case_action(DecideForm, for_write=False)
def decide(request, case, form) -> str:
    data = form.cleaned_data
    actions.do_decide_step(
        _request_of(case, form), actor=request.user, verdict=data["verdict"], reason=data["reason"], seen=_seen(form)
    )
    return "已同意。" if data["verdict"] == "approve" else "已退回承办检察官。"


@case_action(RecordDecisionForm, for_write=True)
def record_decision(request, case, form) -> str:
    actions.do_record_decision(
        _request_of(case, form), actor=request.user, decided_on=form.cleaned_data["decided_on"], seen=_seen(form)
    )
    return "决定已记录。"


@case_action(ReTransferForm, for_write=True)
def re_transfer(request, case, form) -> str:
    actions.do_re_transfer(case, actor=request.user, received_on=form.cleaned_data["received_on"], seen=_seen(form))
    return "已登记重新移送，审查起诉期限重新计算。"


@case_action(SuspensionForm, for_write=True)
def suspension(request, case, form) -> str:
    data = form.cleaned_data
    actions.do_record_suspension(
        case, actor=request.user, start=data["start"], end=data["end"], reason=data["reason"], seen=_seen(form)
    )
    return "已登记不计入办案期限的期间，期限已重新计算。"


@case_action(EndSuspensionForm, for_write=True)
def suspension_end(request, case, form) -> str:
    actions.do_end_suspension(case, actor=request.user, end=form.cleaned_data["end"], seen=_seen(form))
    return "已登记期间结束日期，期限已重新计算。"


@case_action(JurisdictionForm, for_write=True)
def jurisdiction(request, case, form) -> str:
    data = form.cleaned_data
    actions.do_record_jurisdiction_change(
        case,
        actor=request.user,
        decided_on=data["decided_on"],
        received_on=data["received_on"],
        note=data["note"],
        seen=_seen(form),
    )
    return "已登记改变管辖，审查起诉期限自收到案件之日起重新计算。"


@case_action(CaseActionForm, for_write=True)
def archive(request, case, form) -> str:
    actions.do_archive(case, actor=request.user, seen=_seen(form))
    return "案件已归档。"


@case_action(HearingForm, for_write=True)
def hearing(request, case, form) -> str:
    data = form.cleaned_data
    actions.do_record_hearing(
        case,
        actor=request.user,
        held_on=data["held_on"],
        host=data["host"],
        topic=data["topic"],
        conclusion=data["conclusion"],
        participants=data["participants"],
        seen=_seen(form),
    )
    return "公开听证已记录。"


@case_action(DiscussionForm, for_write=True)
def discussion(request, case, form) -> str:
    data = form.cleaned_data
    actions.do_request_discussion(
        case, actor=request.user, forum=data["forum"], question=data["question"], seen=_seen(form)
    )
    return "已提请讨论。"


@case_action(JointMeetingForm, for_write=True)
def joint_meeting(request, case, form) -> str:
    data = form.cleaned_data
    meeting = meeting_of(case, data["meeting_id"]) if data.get("meeting_id") else None
    actions.do_record_joint_meeting(
        case,
        actor=request.user,
        held_on=data["held_on"],
        agenda=data["agenda"],
        opinions=data["opinions"],
        conclusion=data["conclusion"],
        seen=_seen(form),
        meeting=meeting,
    )
    return "检察官联席会议已记录。"


@case_action(ChecklistForm, for_write=False)
def committee_check(request, case, form) -> str:
    data = form.cleaned_data
    n = actions.do_check_committee_items(
        case, actor=request.user, item_id=data["item_id"], codes=data["codes"], seen=_seen(form)
    )
    return f"已核对 {n} 项。"


@case_action(CommitteeDecisionForm, for_write=False)
def committee_decide(request, case, form) -> str:
    data = form.cleaned_data
    actions.do_decide_committee_item(
        case, actor=request.user, item_id=data["item_id"], decision=data["decision"], seen=_seen(form)
    )
    return "检委会决定已记录。"


@case_action(DutyForm, for_write=True)
def duty(request, case, form) -> str:
    data = form.cleaned_data
    actions.do_record_duty(
        case,
        actor=request.user,
        kind=data["kind"],
        occurred_on=data["occurred_on"],
        content=data["content"],
        counterpart=data["counterpart"],
        risk_level=data.get("risk_level", ""),
        seen=_seen(form),
    )
    return "履职记录已保存。"


@case_action(MediationForm, for_write=True)
def mediation(request, case, form) -> str:
    data = form.cleaned_data
    actions.do_record_mediation(
        case,
        actor=request.user,
        mediator=data["mediator"],
        held_on=data["held_on"],
        parties=data["parties"],
        result=data["result"],
        amount=data["amount"],
        terms=data["terms"],
        seen=_seen(form),
    )
    return "检调对接记录已保存。"


#
# Pages
#


@login_required
def authority_list(request: HttpRequest) -> HttpResponse:
    """The 权力清单 in force, read-only; the 系统管理员 edits it in the admin."""
    decisions = DecisionType.objects.prefetch_related("steps")
    context = {
        "decisions": decisions,
        "transitions": TRANSITIONS,
        "tracks": [(label, track(value)) for value, label in Case._meta.get_field("case_type").choices],
    }
    return render(request, "workflow/authority.html", context)


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    return render(request, "workflow/inbox.html", {"pending": pending_for(request.user)})


@login_required
def committee(request: HttpRequest) -> HttpResponse:
    user = request.user
    items = []
    for item in agenda_for(user):
        initial = {"row_version": item.case.row_version, "item_id": item.pk}
        pending = [c for c in item.checklist() if c["mark"] is None]
        check_form = ChecklistForm(initial=initial, case=item.case)
        check_form.fields["codes"].choices = [(c["code"], c["label"]) for c in pending]
        if item.approval_request_id:
            decide_form = DecideForm(
                initial={"row_version": item.case.row_version, "request_id": item.approval_request_id},
                case=item.case,
            )
        else:
            decide_form = CommitteeDecisionForm(initial=initial, case=item.case)
        items.append({"item": item, "check_form": check_form if pending else None, "decide_form": decide_form})
    context = {
        "is_member": user.has_role(RoleCode.COMMITTEE),
        "items": items,
        "decided": agenda_for(user, status=ItemStatus.DECIDED).order_by("-decided_at")[:20],
    }
    return render(request, "workflow/committee.html", context)
