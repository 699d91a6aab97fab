"""The dashboards (指标看板): four pages over the same scope and period picker — trends, the 红黄蓝
targets, the comparison of teams of the same kind, the 团队贡献度系数 — and the cases behind each
count of the contribution table. Each page shows only the scopes the person may see (a scope out
of theirs answers 404, `access.access_scope`)."""

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bihuan.cases.access import visible_cases
from bihuan.cases.models import Suspect
from bihuan.cases.views import CASE_SEEK, COUNT_CAP
from bihuan.indicators import dashboards
from bihuan.indicators.access import Scope, readable_people, readable_teams
from bihuan.indicators.forms import PeriodForm
from bihuan.indicators.models import Factor, contribution_weights
from bihuan.indicators.views import require_reader, scope_and_form
from bihuan.web.paging import capped_count
from bihuan.web.widgets import FastSelect


class ContributionCasesForm(PeriodForm):
    """The cases of one count of the contribution table: a factor (none: all concluded cases),
    and for the cases without a team, `unassigned`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["factor"] = forms.ChoiceField(
            label="因素", choices=[("", "全部审结案件"), *Factor.choices], required=False, widget=FastSelect
        )
        self.fields["unassigned"] = forms.BooleanField(label="仅未分配团队的案件", required=False)


def _page(
    request: HttpRequest,
    template: str,
    build: Callable[[HttpRequest, Scope, PeriodForm], dict],
    form_class: type[PeriodForm] = PeriodForm,
) -> HttpResponse:
    """A dashboard page: the scope (404 out of the person's own) and period (default: the twelve
    months up to today), then the page's own figures from `build` (given the valid form)."""
    require_reader(request)
    default = dashboards.default_range()
    dates = {"from": default.start.isoformat(), "to": default.end.isoformat()}
    scope, form = scope_and_form(request, form_class, **dates)
    context: dict[str, Any] = {"form": form, "scope": scope}
    if scope is not None and form.is_valid():
        period = form.period
        query = urlencode({"scope": scope.token, "from": period.start, "to": period.end})
        context.update(period=period, query=query, **build(request, scope, form))
    return render(request, template, context)


def _trends(request: HttpRequest, scope: Scope, form: PeriodForm) -> dict:
    period = form.period
    items = dashboards.trends(scope, period)
    by_code = {item.indicator.code: item for item in items}
    combined = {"headline-days": ("review_days_simple", "review_days_complex"), "headline-fast": ("fast_track_share",)}
    return {
        "headline": [by_code[code] for code in dashboards.HEADLINE],
        "trends": items,
        "chart": dashboards.trend_chart(items, combined),
    }


@login_required
def trends(request: HttpRequest) -> HttpResponse:
    """Every indicator month by month; the 简案/繁案 review days and the 快审 share on top."""
    return _page(request, "indicators/dashboard_trends.html", _trends)


def _targets(request: HttpRequest, scope: Scope, form: PeriodForm) -> dict:
    period = form.period
    user = request.user
    return {"table": dashboards.target_table(scope, period, readable_teams(user), readable_people(user))}


@login_required
def targets(request: HttpRequest) -> HttpResponse:
    """The 红黄蓝 table of teams and prosecutors against the configured targets."""
    return _page(request, "indicators/dashboard_targets.html", _targets)


def _teams(request: HttpRequest, scope: Scope, form: PeriodForm) -> dict:
    period = form.period
    groups = dashboards.team_comparison(scope, period, readable_teams(request.user))
    return {"groups": groups, "chart": dashboards.comparison_chart(groups)}


@login_required
def teams(request: HttpRequest) -> HttpResponse:
    """Teams of the same kind side by side (快审团队 together, ordinary teams together)."""
    return _page(request, "indicators/dashboard_teams.html", _teams)


def _contribution(request: HttpRequest, scope: Scope, form: PeriodForm) -> dict:
    period = form.period
    weights = contribution_weights()
    return {
        "weights": [(label, weights[factor]) for factor, label in Factor.choices],
        "departments": dashboards.contribution(scope, period, weights),
        "factors": Factor.choices,
    }


@login_required
def contribution(request: HttpRequest) -> HttpResponse:
    """The 团队贡献度系数 of the teams of a department, with its definition and weights."""
    return _page(request, "indicators/dashboard_contribution.html", _contribution)


def _contribution_cases(request: HttpRequest, scope: Scope, form: ContributionCasesForm) -> dict:
    period = form.period
    factor = form.cleaned_data["factor"] or None
    unassigned = form.cleaned_data["unassigned"]
    cases = dashboards.contribution_cases(scope, period, factor, unassigned=unassigned)
    rows = visible_cases(request.user).filter(pk__in=cases.values("pk"))
    listed = rows.select_related("org", "department", "team", "prosecutor").prefetch_related(
        Prefetch("suspects", queryset=Suspect.objects.only("id", "case_id", "seq", "name"))
    )
    return {
        "factor_label": Factor(factor).label if factor else "全部审结案件",
        "unassigned": unassigned,
        "page": CASE_SEEK.page(listed, request.GET),
        "total": capped_count(rows, COUNT_CAP),
        "cap": COUNT_CAP,
    }


@login_required
def contribution_cases(request: HttpRequest) -> HttpResponse:
    """The concluded cases behind one count of the contribution table, within the person's own
    scope."""
    return _page(request, "indicators/dashboard_cases.html", _contribution_cases, ContributionCasesForm)
