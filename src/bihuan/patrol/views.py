"""巡查看板 and the findings: the board of open findings by severity, age, department and rule with
the red lights first, the list behind every count, a finding's page with the office's buttons, the
handler's prompts (workbench and case page), and 立即全面巡查 (domain-rules §3.3, Rule 664–665)."""

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from bihuan.cases.views import COUNT_CAP
from bihuan.events.models import Event
from bihuan.orgs.models import Department
from bihuan.patrol import actions
from bihuan.patrol.access import (
    OFFICE_ONLY,
    access_finding,
    is_office,
    may_dispute,
    require_office,
    require_reader,
    visible_findings,
    visible_notices,
)
from bihuan.patrol.actions import PatrolRefused
from bihuan.patrol.forms import AGE_BANDS, DisputeForm, FindingFilterForm, NoteForm, age_q
from bihuan.patrol.models import FindingStatus, Light, Rule, Run, RunKind, Severity
from bihuan.patrol.tasks import patrol_full
from bihuan.web.paging import Seek, capped_count
from bihuan.web.submit import REPEATED, consume_token

FINDING_SEEK = Seek([("id", int)], 50)
BOARD_ROWS = 20
RED_FIRST = Case(When(light=Light.RED, then=Value(0)), default=Value(1))
# What a refused action raises: the loop's reason, or a bad rule definition.
REFUSALS = (PatrolRefused, ValidationError)


def refusal_text(exc: Exception) -> str:
    return "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def query_of(form) -> str:
    """A bound filter form's values as a query string, for the links behind its counts."""
    return urlencode([(name, value) for name, value in form.data.items() if name in form.fields and value])


def paged(request: HttpRequest, form, seek: Seek, rows, counted) -> dict[str, Any]:
    """A list behind a count: the page of `rows`, the count of `counted` (capped), the filter's
    query."""
    return {
        "page": seek.page(rows, request.GET),
        "total": capped_count(counted, COUNT_CAP),
        "cap": COUNT_CAP,
        "query": query_of(form),
    }


def _named(rows: list[dict], key: str, names: dict) -> list[dict]:
    for row in rows:
        row["label"] = names.get(row[key], "（未填）") if row[key] is not None else "（未填）"
    return rows


def board_figures(findings, today) -> dict[str, Any]:
    """Counts of the filtered findings: by severity and age band (one query), by department and
    by rule (one grouped query each, named afterwards)."""
    summary = findings.aggregate(
        total=Count("pk"),
        **{f"severity_{s.value}": Count("pk", filter=Q(severity=s)) for s in Severity},
        **{f"age_{key}": Count("pk", filter=age_q(key, today)) for key, *_ in AGE_BANDS},
    )
    by_department = list(findings.values("department").annotate(n=Count("pk")).order_by("-n", "department"))
    names = {
        d.pk: f"{d.name} · {d.org.short_name}"
        for d in Department.objects.filter(
            pk__in=[r["department"] for r in by_department if r["department"]]
        ).select_related("org")
    }
    by_rule = list(findings.values("rule").annotate(n=Count("pk")).order_by("-n", "rule")[:BOARD_ROWS])
    rules = {r.pk: r for r in Rule.objects.filter(pk__in=[r["rule"] for r in by_rule])}
    for row in by_rule:
        row["obj"] = rules[row["rule"]]
    return {
        "summary": summary,
        "severities": [(s.value, s.label, summary[f"severity_{s.value}"]) for s in Severity],
        "ages": [(key, label, summary[f"age_{key}"]) for key, label, *_ in AGE_BANDS],
        "by_department": _named(by_department, "department", names),
        "by_rule": by_rule,
    }


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    """巡查看板: the filtered findings counted every way, the notices with red lights first, and
    the last patrol runs."""
    user = request.user
    require_reader(user)
    today = timezone.localdate()
    form = FindingFilterForm(request.GET, user=user, board=True)
    context: dict[str, Any] = {"form": form, "today": today, "may_run": is_office(user)}
    if form.is_valid():
        findings = form.apply(visible_findings(user), today)
        context.update(board_figures(findings, today), query=query_of(form))
        context["top"] = list(
            findings.select_related("rule", "case", "department", "notice").order_by("-opened_at", "-id")[:BOARD_ROWS]
        )
    open_notices = visible_notices(user).filter(closed_at__isnull=True)
    context["red_count"] = open_notices.filter(light=Light.RED).count()
    context["notices"] = list(
        open_notices.select_related("case", "department").order_by(RED_FIRST, "reply_due", "id")[:BOARD_ROWS]
    )
    context["runs"] = list(Run.objects.filter(kind=RunKind.FULL).select_related("triggered_by")[:10])
    return render(request, "patrol/board.html", context)


@login_required
@require_GET
def finding_list(request: HttpRequest) -> HttpResponse:
    """The findings behind a count of the board or of the figures, newest first."""
    user = request.user
    require_reader(user)
    form = FindingFilterForm(request.GET, user=user)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        findings = form.apply(visible_findings(user), timezone.localdate())
        rows = findings.select_related("rule", "case", "department", "prosecutor", "notice")
        context.update(paged(request, form, FINDING_SEEK, rows, findings))
    return render(request, "patrol/findings.html", context)


def finding_context(request: HttpRequest, finding) -> dict[str, Any]:
    user = request.user
    notice = finding.notice
    office = is_office(user, finding.org_id)
    is_open = finding.status != FindingStatus.CLOSED
    return {
        "finding": finding,
        "rule": finding.rule,
        "notice": notice,
        "replies": list(notice.replies.select_related("replied_by")) if notice else [],
        "verifications": list(notice.verifications.select_related("verified_by")) if notice else [],
        "events": list(
            Event.objects.filter(object_type=finding._meta.label_lower, object_id=str(finding.pk)).order_by("seq")
        ),
        "may_mark": office and is_open,
        # A disputed prompt (no notice): the office keeps it (维持, reopened) or accepts the dispute (误报).
        "may_reopen": office and finding.status == FindingStatus.REPLIED and notice is None,
        "dispute_form": DisputeForm() if may_dispute(user, finding) else None,
        "note_form": NoteForm(),
    }


@login_required
@require_GET
def finding_page(request: HttpRequest, finding_id: int) -> HttpResponse:
    """One finding: the rule and its basis, the compared values with their sources, the case,
    the notice with its replies and verifications, the history, the office's buttons."""
    finding = access_finding(request.user, finding_id)
    return render(request, "patrol/finding.html", finding_context(request, finding))


def posted_form(request: HttpRequest, form_class):
    """The once-only form of an action, or None (with a message) when it is not to be done."""
    if not consume_token(request):
        messages.info(request, REPEATED)
        return None
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return None
    return form


def _finding_action(request: HttpRequest, finding_id: int, *, allowed, refusal: str, form_class, act, done: str):
    """Check who may act on the finding, honour the form once, call the action, go back."""
    finding = access_finding(request.user, finding_id)
    if not allowed(request.user, finding):
        raise PermissionDenied(refusal)
    form = posted_form(request, form_class)
    if form is None:
        return redirect("patrol:finding", finding.pk)
    try:
        act(finding, form.cleaned_data)
    except REFUSALS as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, done)
    return redirect("patrol:finding", finding.pk)


def _office_action(request: HttpRequest, finding_id: int, *, act, done: str):
    """An action of the finding's case-management office with a note: `act(finding, actor=, note=)`."""
    return _finding_action(
        request,
        finding_id,
        allowed=lambda user, finding: is_office(user, finding.org_id),
        refusal=OFFICE_ONLY,
        form_class=NoteForm,
        act=lambda f, data: act(f, actor=request.user, note=data["note"]),
        done=done,
    )


@login_required
@require_POST
def mark_false_alarm(request: HttpRequest, finding_id: int) -> HttpResponse:
    """误报销号 (the case-management office)."""
    return _office_action(request, finding_id, act=actions.do_mark_false_alarm, done="已作为误报销号。")


@login_required
@require_POST
def reopen_finding(request: HttpRequest, finding_id: int) -> HttpResponse:
    """维持 a disputed prompt: open again with a new period (the case-management office)."""
    return _office_action(request, finding_id, act=actions.do_reopen_finding, done="已维持该问题并重新打开。")


@login_required
@require_POST
def dispute_prompt(request: HttpRequest, finding_id: int) -> HttpResponse:
    """申辩: the handler disputes an open prompt on their case."""
    return _finding_action(
        request,
        finding_id,
        allowed=may_dispute,
        refusal="仅承办检察官可对待整改的口头提示申辩",
        form_class=DisputeForm,
        act=lambda f, data: actions.do_dispute_prompt(f, actor=request.user, reasons=data["reasons"]),
        done="申辩已提交，待案件管理部门核查。",
    )


@login_required
@require_POST
def run_full(request: HttpRequest) -> HttpResponse:
    """立即全面巡查 (the case-management office): every enabled rule over every case, in the
    background worker (a full run over a large database takes longer than a request may)."""
    require_office(request.user)
    if not consume_token(request):
        messages.info(request, REPEATED)
        return redirect("patrol:board")
    patrol_full.enqueue(request.user.pk)
    messages.success(request, "已提交全面巡查，正在后台进行；完成后见本页“全面巡查记录”。")
    return redirect("patrol:board")
