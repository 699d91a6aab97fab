"""The 办案流程 panel of the case page, the approval panels of the workbench and the menu."""

from django.db.models import Prefetch

from bihuan.cases.choices import CaseType, LinkKind, Outcome, Stage
from bihuan.orgs.choices import RoleCode
from bihuan.orgs.scope import reads_cases
from bihuan.web.panels import NavItem, Panel
from bihuan.workflow import machine
from bihuan.workflow.access import (
    agenda_for,
    holds,
    is_case_manager,
    is_leader,
    is_prosecutor,
    pending_for,
)
from bihuan.workflow.actions import OPEN_STATUSES, hearing_missing, may_record_duty, mediation_eligible, open_request
from bihuan.workflow.choices import DutyKind, MeetingStatus, Phase, RequestStatus
from bihuan.workflow.forms import (
    CaseActionForm,
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
from bihuan.workflow.models import ApprovalRequest, HearingParticipant, MeetingOpinion

APPROVER_ROLES = (RoleCode.DEPT_HEAD, RoleCode.DEPUTY_CHIEF, RoleCode.CHIEF, RoleCode.COMMITTEE)


def nav(user) -> list[NavItem]:
    items = []
    if user.has_role(*APPROVER_ROLES):
        items.append(NavItem("workflow:inbox", "待我审批", "workflow", order=20))
    if user.has_role(RoleCode.COMMITTEE):
        items.append(NavItem("workflow:committee", "检委会议题", "workflow", order=21))
    if reads_cases(user) or user.has_role(RoleCode.SYSADMIN):
        items.append(NavItem("workflow:authority", "权力清单", "workflow", order=60))
    return items


def workbench(request) -> list[Panel]:
    """One panel (one render) with the approvals waiting for the person and, for committee
    members, the committee agenda."""
    user = request.user
    approver = user.has_role(RoleCode.DEPT_HEAD, RoleCode.DEPUTY_CHIEF, RoleCode.CHIEF)
    member = user.has_role(RoleCode.COMMITTEE)
    if not (approver or member):
        return []
    context = {
        "title": "待我审批" if user.has_role(RoleCode.DEPUTY_CHIEF, RoleCode.CHIEF) else "待我审核",
        "pending": pending_for(user) if approver else None,
        "agenda": list(agenda_for(user)) if member else None,
    }
    return [Panel("workflow/workbench.html", context, order=10)]


def case_panels(request, case) -> list[Panel]:
    return [Panel("workflow/panel.html", panel_context(request.user, case), column="main", order=10)]


def _forms(user, case, request: ApprovalRequest | None) -> dict:
    """The forms of the actions this person may take now, keyed by action."""
    version = {"row_version": case.row_version}
    forms: dict = {}
    prosecutor = is_prosecutor(user, case)
    open_case = case.stage not in (Stage.CONCLUDED, Stage.ARCHIVED)
    if prosecutor:
        if machine.allowed(case, "start_review"):
            forms["start_review"] = CaseActionForm(initial=version, case=case)
        if request is None and machine.allowed(case, "propose"):
            forms["propose"] = ProposeForm(initial=version, case=case)
        if request is None and case.stage == Stage.CONCLUDED and case.outcome == Outcome.PROSECUTE:
            after = ProposeForm(initial=version, case=case, phase=Phase.AFTER_PROSECUTION)
            if after.fields["decision_type"].queryset.exists():
                forms["propose_after"] = after
        if request is not None and request.status == RequestStatus.DRAFT:
            forms["submit"] = RequestActionForm(initial={**version, "request_id": request.pk}, case=case)
        if request is not None and request.status == RequestStatus.APPROVED:
            forms["record"] = RecordDecisionForm(initial={**version, "request_id": request.pk}, case=case)
        if open_case:
            forms["discussion"] = DiscussionForm(initial=version, case=case)
            if mediation_eligible(case):
                forms["mediation"] = MediationForm(initial=version, case=case)
    if request is not None and request.status == RequestStatus.PENDING:
        role = request.current_role()
        if role != RoleCode.COMMITTEE and holds(user, role, case):
            forms["decide"] = DecideForm(initial={**version, "request_id": request.pk}, case=case)
    if (prosecutor or is_case_manager(user, case)) and machine.allowed(case, "re_transfer"):
        forms["re_transfer"] = ReTransferForm(initial=version, case=case)
    keeper = prosecutor or is_case_manager(user, case)
    if keeper and case.stage not in (Stage.REGISTERED, Stage.CONCLUDED, Stage.ARCHIVED):
        if case.links.filter(kind=LinkKind.SUSPENSION, end_date__isnull=True).exists():
            forms["suspension_end"] = EndSuspensionForm(initial=version, case=case)
        else:
            forms["suspension"] = SuspensionForm(initial=version, case=case)
        if case.case_type == CaseType.PROSECUTION_REVIEW:
            forms["jurisdiction"] = JurisdictionForm(initial=version, case=case)
    if (prosecutor or is_case_manager(user, case)) and machine.allowed(case, "archive") and request is None:
        forms["archive"] = CaseActionForm(initial=version, case=case)
    if open_case and (prosecutor or is_leader(user, case)):
        forms["hearing"] = HearingForm(initial=version, case=case)
    if open_case and holds(user, RoleCode.DEPT_HEAD, case):
        requested = case.joint_meetings.filter(status=MeetingStatus.REQUESTED).first()
        initial = {**version, "meeting_id": requested.pk, "agenda": requested.agenda} if requested else version
        forms["joint_meeting"] = JointMeetingForm(initial=initial, case=case)
    kinds = [k for k in DutyKind if may_record_duty(user, case, k)]
    if kinds and case.stage != Stage.ARCHIVED:
        forms["duty"] = DutyForm(initial=version, case=case, kinds=kinds)
    # Several forms share field names on one page: each gets its own ids for its labels.
    for key, form in forms.items():
        form.auto_id = f"wf-{key}-%s"
    return forms


def panel_context(user, case) -> dict:
    request = open_request(case)
    stages = machine.track(case.case_type)
    current = stages.index(case.stage) if case.stage in stages else -1
    # 退回补充侦查 is a detour: passed only by cases that were returned.
    returned = case.links.filter(kind=LinkKind.SUPPLEMENTARY_INVESTIGATION).exists()
    track = [
        {
            "label": s.label,
            "done": i < current and (s != Stage.RETURNED or returned),
            "current": i == current,
            "detour": s == Stage.RETURNED,
        }
        for i, s in enumerate(stages)
    ]
    return {
        "track": track,
        "current": request,
        "hearing_needed": request is not None and hearing_missing(request),
        "history": case.approval_requests.exclude(status__in=OPEN_STATUSES)
        .select_related("decision_type", "proposed_by")
        .prefetch_related("steps__actor"),
        "hearings": case.hearings.select_related("host").prefetch_related(
            Prefetch("participants", queryset=HearingParticipant.objects.all())
        ),
        "meetings": case.joint_meetings.select_related("convened_by", "requested_by").prefetch_related(
            Prefetch("opinions", queryset=MeetingOpinion.objects.select_related("attendee"))
        ),
        "committee_items": case.committee_items.select_related("decided_by").prefetch_related("marks__checked_by"),
        "duties": case.duty_records.select_related("actor"),
        "mediations": case.mediations.all(),
        "mediation_eligible": mediation_eligible(case),
        "forms": _forms(user, case, request),
    }
