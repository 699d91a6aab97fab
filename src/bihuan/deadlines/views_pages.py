"""The home page of in-progress cases (在办案件) and the 期限预警 board.

Both list the viewer's cases (`visible_cases`) with a running statutory period, ordered by due
date, keyset-paged on (due_date, id) — the `CaseDue` index on (due_date, case) serves them — and
counted up to a cap like the case list.
"""

from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from bihuan.cases.choices import OPEN_STAGES, DueKind
from bihuan.cases.filters import ANY, CaseFilterForm, filter_cases
from bihuan.cases.models import Case
from bihuan.cases.views import COUNT_CAP, PAGE_SIZE
from bihuan.deadlines.alerts import ALERTING, Urgency, alerting_q, lead_text, urgency_of, urgency_q
from bihuan.deadlines.models import with_due
from bihuan.orgs.scope import case_view_q
from bihuan.web.paging import Page, Seek, capped_count
from bihuan.web.widgets import FastSelect

# Most urgent first; `id` breaks ties between cases due the same day.
DUE_SEEK = Seek([("due_date", date.fromisoformat), ("id", int)], PAGE_SIZE, descending=False)


class DueFilterForm(CaseFilterForm):
    """The case-list filters (their choices limited to the viewer's scope) for cases with a
    running period, plus its kind and urgency; no text search, charge or dates."""

    q = None
    charge = None
    track = None
    received_from = None
    received_to = None
    stage = forms.ChoiceField(
        label="办理阶段", choices=ANY + [(s.value, s.label) for s in OPEN_STAGES], required=False, widget=FastSelect
    )
    due_kind = forms.ChoiceField(
        label="期限种类", choices=ANY + [c for c in DueKind.choices if c[0]], required=False, widget=FastSelect
    )
    urgency = forms.ChoiceField(label="紧急程度", choices=ANY + Urgency.choices, required=False, widget=FastSelect)


def _running(request: HttpRequest) -> QuerySet[Case]:
    """The viewer's cases with a running period; refuses people without case data."""
    if not request.user.has_perm("cases.browse"):
        raise PermissionDenied
    # The scope read on the running period's own columns, which its indexes order by due date.
    return with_due(Case.objects.filter(case_view_q(request.user, prefix="due__")))


def _filtered(cases: QuerySet[Case], data: dict[str, Any], today: date) -> QuerySet[Case]:
    cases = filter_cases(cases, data).cases
    if data.get("due_kind"):
        cases = cases.filter(due_kind=data["due_kind"])
    if data.get("urgency"):
        cases = cases.filter(urgency_q(data["urgency"], today))
    return cases


def _page(cases: QuerySet[Case], request: HttpRequest, today: date) -> Page:
    """One page of rows, each with its urgency and the days left (negative when overdue)."""
    rows = cases.select_related("org", "department", "prosecutor")
    page = DUE_SEEK.page(rows, request.GET)
    for case in page.rows:
        case.urgency = urgency_of(case.due_date, case.due_kind, today)
        case.due_kind_label = DueKind(case.due_kind).label
        case.days_left = (case.due_date - today).days
        case.days_overdue = -case.days_left
    return page


def _render(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    """The whole page, or only its results for an htmx request (not a history restore)."""
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, "deadlines/_due_results.html" if partial else template, context)
    patch_vary_headers(response, ("HX-Request",))
    if partial:
        response["HX-Push-Url"] = request.get_full_path()
    return response


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """在办案件: every case in scope whose statutory period runs, coloured by urgency."""
    cases = _running(request)
    today = timezone.localdate()
    form = DueFilterForm(request.GET, user=request.user)
    cases = _filtered(cases, form.cleaned_data, today) if form.is_valid() else cases.none()
    context = {
        "form": form,
        "page": _page(cases, request, today),
        "total": capped_count(cases, COUNT_CAP),
        "cap": COUNT_CAP,
        "today": today,
        "list_url": reverse("deadlines:home"),
    }
    return _render(request, "deadlines/home.html", context)


@login_required
@require_safe
def board(request: HttpRequest) -> HttpResponse:
    """期限预警: the cases due within their lead time, due today or overdue, in tabs with counts."""
    cases = _running(request)
    today = timezone.localdate()
    form = DueFilterForm(request.GET, user=request.user)
    if form.is_valid():
        scoped = _filtered(cases, {**form.cleaned_data, "urgency": ""}, today).filter(alerting_q(today))
    else:
        scoped = cases.none()
    tab = form.cleaned_data.get("urgency", "") if form.is_valid() else ""
    if tab not in ALERTING:
        tab = ""
    shown = scoped.filter(urgency_q(tab, today)) if tab else scoped
    tabs = [("", "全部预警", capped_count(scoped, COUNT_CAP))]
    tabs += [(u.value, u.label, capped_count(scoped.filter(urgency_q(u, today)), COUNT_CAP)) for u in ALERTING]
    context = {
        "form": form,
        "tab": tab,
        "tabs": tabs,
        "page": _page(shown, request, today),
        "total": next(n for value, _, n in tabs if value == tab),
        "cap": COUNT_CAP,
        "today": today,
        "list_url": reverse("deadlines:board"),
        "lead_text": lead_text(),
    }
    return _render(request, "deadlines/board.html", context)
