"""Pages of triage and assignment: the standard in force, the 分案台账, the 快审 queue, bulk
reassignment, prosecutors' workloads, and the case-page actions. Every view checks role and
scope on the server and calls an action."""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from bihuan.cases.access import visible_cases
from bihuan.cases.actions import StaleCase
from bihuan.cases.choices import OPEN_STAGES, Track
from bihuan.cases.models import Case
from bihuan.orgs.choices import RoleCode
from bihuan.orgs.models import User
from bihuan.orgs.scope import reads_cases
from bihuan.triage import actions
from bihuan.triage.access import (
    access_case_for,
    assignable_departments,
    can_assign_anywhere,
    can_designate,
    can_triage,
    eligible_prosecutors,
    prosecutors,
    visible_assignments,
    workload_rows,
)
from bihuan.triage.choices import RuleKind
from bihuan.triage.engine import OPS_BY_KIND
from bihuan.triage.features import FEATURES
from bihuan.triage.forms import (
    AssignToForm,
    BulkReassignForm,
    LedgerFilterForm,
    PauseForm,
    RiskOverrideForm,
    VersionForm,
)
from bihuan.triage.models import TriageRule
from bihuan.web.paging import Seek
from bihuan.web.submit import REPEATED, consume_token

LEDGER_SEEK = Seek([("id", int)], 50)
# The bulk page lists at most this many of the department's open cases; a filter narrows it.
BULK_ROWS = 200


def _first_error(form) -> str:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        return f"{label}：{errors[0]}" if label else errors[0]
    return "提交的内容有误。"


class _Invalid(Exception):
    """A form with errors; the message names the first."""


def _case_action(request: HttpRequest, case_id: int, allowed: Callable, perform: Callable[[Case], str]):
    """The common shape of a POST on one case: scope (404) and right (403) first, then the
    once-only token, then the action; its outcome goes back to the case page as a message."""
    case = access_case_for(request.user, case_id, allowed)
    if not consume_token(request):
        messages.info(request, REPEATED)
        return redirect(case)
    try:
        messages.success(request, perform(case))
    except (StaleCase, actions.TriageError, _Invalid) as exc:
        messages.error(request, str(exc))
    return redirect(case)


def _valid(form):
    if not form.is_valid():
        raise _Invalid(_first_error(form))
    return form.cleaned_data


#
# Case actions
#


@login_required
@require_POST
def run_triage(request: HttpRequest, case_id: int) -> HttpResponse:
    def perform(case: Case) -> str:
        data = _valid(VersionForm(request.POST))
        track, risk = actions.do_triage(case, request.user, expected_version=data["row_version"])
        return f"已重新分流：{track.get_outcome_display()}（{track.rule_name}），风险{risk.get_outcome_display()}。"

    return _case_action(request, case_id, can_triage, perform)


@login_required
@require_POST
def override_risk(request: HttpRequest, case_id: int) -> HttpResponse:
    def perform(case: Case) -> str:
        data = _valid(RiskOverrideForm(request.POST))
        actions.do_override_risk(case, data["level"], data["reason"], request.user, data["row_version"])
        return "风险等级已调整。"

    return _case_action(request, case_id, can_triage, perform)


@login_required
@require_POST
def auto_assign(request: HttpRequest, case_id: int) -> HttpResponse:
    def perform(case: Case) -> str:
        data = _valid(VersionForm(request.POST))
        assignment = actions.do_assign(case, request.user, expected_version=data["row_version"])
        if assignment is None:
            raise actions.TriageError("暂无可分案的检察官，案件仍待分案。")
        return f"已{assignment.get_method_display()}，由 {assignment.prosecutor} 承办。"

    return _case_action(request, case_id, can_triage, perform)


@login_required
@require_POST
def designate(request: HttpRequest, case_id: int) -> HttpResponse:
    def perform(case: Case) -> str:
        form = AssignToForm(request.POST, candidates=eligible_prosecutors(case.department_id))
        data = _valid(form)
        actions.do_designate(
            case, data["prosecutor"], data["reason"], request.user, expected_version=data["row_version"]
        )
        return f"已指定由 {data['prosecutor']} 承办。"

    return _case_action(request, case_id, can_designate, perform)


@login_required
@require_POST
def reassign(request: HttpRequest, case_id: int) -> HttpResponse:
    def perform(case: Case) -> str:
        data = _valid(AssignToForm(request.POST, candidates=eligible_prosecutors(case.department_id)))
        actions.do_reassign(
            [case], data["prosecutor"], data["reason"], request.user, expected_versions={case.pk: data["row_version"]}
        )
        return f"已改派由 {data['prosecutor']} 承办。"

    return _case_action(request, case_id, can_triage, perform)


#
# Pages
#


@login_required
def standard(request: HttpRequest) -> HttpResponse:
    """The standard in force, rule by rule, as every user may read it."""
    rules = TriageRule.objects.order_by("kind", "position", "id")
    features = [(f, sorted(OPS_BY_KIND[f.kind])) for f in FEATURES.values()]
    return render(
        request,
        "triage/standard.html",
        {
            "track_rules": [r for r in rules if r.kind == RuleKind.TRACK],
            "risk_rules": [r for r in rules if r.kind == RuleKind.RISK],
            "features": features,
        },
    )


def _require_case_roles(user: User) -> None:
    if not reads_cases(user):
        raise PermissionDenied


@login_required
def ledger(request: HttpRequest) -> HttpResponse:
    """分案台账: every assignment in the person's scope, newest first, filtered and paged."""
    _require_case_roles(request.user)
    form = LedgerFilterForm(request.GET or None, user=request.user)
    rows = visible_assignments(request.user).select_related(
        "case", "department", "team", "prosecutor", "previous_prosecutor", "by"
    )
    if form.is_bound and form.is_valid():
        rows = form.filter(rows)
    elif form.is_bound:
        rows = rows.none()
    context = {
        "form": form,
        "page": LEDGER_SEEK.page(rows, request.GET),
        "may_assign": can_assign_anywhere(request.user),
    }
    return render(request, "triage/ledger.html", context)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """快审队列: simple cases waiting in a fast-track team for a prosecutor."""
    _require_case_roles(request.user)
    waiting = (
        visible_cases(request.user)
        .filter(track=Track.SIMPLE, team__is_fast_track=True, prosecutor__isnull=True, stage__in=OPEN_STAGES)
        .select_related("org", "department", "team", "charge")
        .order_by("received_date", "id")
    )
    rows = [(case, can_triage(request.user, case)) for case in waiting[:BULK_ROWS]]
    return render(request, "triage/queue.html", {"rows": rows, "may_assign": can_assign_anywhere(request.user)})


def _require_assigner(user: User) -> None:
    if not can_assign_anywhere(user):
        raise PermissionDenied


def _bulk_rows(user: User, department_id: int | None, holder_id: int | None):
    cases = visible_cases(user).filter(
        department__in=assignable_departments(user), prosecutor__isnull=False, stage__in=OPEN_STAGES
    )
    if department_id:
        cases = cases.filter(department_id=department_id)
    if holder_id:
        cases = cases.filter(prosecutor_id=holder_id)
    return list(
        cases.select_related("department", "prosecutor", "charge").order_by("-received_date", "-id")[:BULK_ROWS]
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def bulk_reassign(request: HttpRequest) -> HttpResponse:
    """批量改派: tick cases of one's department(s), pick the prosecutor, give the reason."""
    user = request.user
    _require_assigner(user)
    departments = assignable_departments(user)
    department_id = _int(request.GET.get("department"))
    holder_id = _int(request.GET.get("holder"))
    rows = _bulk_rows(user, department_id, holder_id)
    scope = departments.filter(pk=department_id) if department_id else departments
    candidates = eligible_prosecutors(scope).select_related("team")
    form = BulkReassignForm(request.POST or None, rows=rows, candidates=candidates)
    if request.method == "POST":
        if not consume_token(request):
            messages.info(request, REPEATED)
            return redirect(request.get_full_path())
        if form.is_valid():
            versions = form.versions()
            chosen = list(visible_cases(user).filter(pk__in=versions).select_related("org").order_by("pk"))
            try:
                done = actions.do_reassign(
                    chosen,
                    form.cleaned_data["prosecutor"],
                    form.cleaned_data["reason"],
                    user,
                    expected_versions=versions,
                )
            except (StaleCase, actions.TriageError) as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, f"已改派 {len(done)} 件案件，由 {form.cleaned_data['prosecutor']} 承办。")
                return redirect(request.get_full_path())
        else:
            messages.error(request, _first_error(form))
    return render(
        request,
        "triage/bulk_reassign.html",
        {
            "form": form,
            "rows": rows,
            "departments": departments,
            "holders": prosecutors(scope),
            "department_id": department_id,
            "holder_id": holder_id,
            "limit": BULK_ROWS,
            "may_assign": True,
        },
    )


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
def workload(request: HttpRequest) -> HttpResponse:
    """在办案件量: prosecutors' open workloads; the department head pauses and resumes 分案."""
    _require_assigner(request.user)
    return render(request, "triage/workload.html", {"rows": workload_rows(request.user), "may_assign": True})


def _pause_action(request: HttpRequest, perform: Callable[[User, str], str]) -> HttpResponse:
    form = PauseForm(request.POST, user=request.user)
    if not consume_token(request):
        messages.info(request, REPEATED)
    elif not form.is_valid():
        messages.error(request, _first_error(form))
    else:
        try:
            messages.success(request, perform(form.cleaned_data["prosecutor"], form.cleaned_data["reason"]))
        except actions.TriageError as exc:
            messages.error(request, str(exc))
    return redirect(reverse("triage:workload"))


@login_required
@require_POST
def pause(request: HttpRequest) -> HttpResponse:
    if not request.user.has_role(RoleCode.DEPT_HEAD):
        raise PermissionDenied

    def perform(person: User, reason: str) -> str:
        actions.do_pause_assignment(person, reason, request.user)
        return f"已暂停 {person} 的分案。"

    return _pause_action(request, perform)


@login_required
@require_POST
def resume(request: HttpRequest) -> HttpResponse:
    if not request.user.has_role(RoleCode.DEPT_HEAD):
        raise PermissionDenied

    def perform(person: User, reason: str) -> str:
        actions.do_resume_assignment(person, request.user)
        return f"已恢复 {person} 的分案。"

    return _pause_action(request, perform)
