"""巡查成效: the seed's figures per period and scope, each opening its list, and their Excel
export (bihuan.patrol.stats computes them)."""

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from bihuan.cases.models import Suspect
from bihuan.cases.views import CASE_SEEK
from bihuan.indicators import periods
from bihuan.indicators.excel import workbook_response
from bihuan.patrol import stats
from bihuan.patrol.access import require_reader
from bihuan.patrol.forms import StatsForm
from bihuan.patrol.models import CloseReason, FindingStatus, Severity
from bihuan.patrol.views import paged, query_of


def presets(today: date) -> list[tuple[str, periods.Period]]:
    """The periods offered as links: this month, last month, this quarter, this year, last year."""
    last_month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    return [
        ("本月", periods.month(today.year, today.month)),
        ("上月", periods.month(*last_month)),
        ("本季度", periods.quarter(today.year, (today.month + 2) // 3)),
        ("本年", periods.year(today.year)),
        ("上年", periods.year(today.year - 1)),
    ]


def _form(request: HttpRequest) -> StatsForm:
    period = periods.year_to_date()
    data = {"from": period.start.isoformat(), "to": period.end.isoformat(), **request.GET.dict()}
    return StatsForm(data, user=request.user)


def drill_links(form: StatsForm) -> dict[str, str]:
    """The list behind each figure: the cases watched, the findings or the notices."""
    period, data = form.period, form.cleaned_data
    scope = {name: data[name].pk for name in ("org", "department") if data.get(name)}
    start, end = period.start.isoformat(), period.end.isoformat()
    findings, notices = reverse("patrol:findings"), reverse("patrol:notices")
    closed = {"status": FindingStatus.CLOSED, "closed_from": start, "closed_to": end, **scope}
    return {
        "watched": f"{reverse('patrol:stats_cases')}?{query_of(form)}",
        "prompts": f"{findings}?"
        + urlencode({"status": "all", "severity": Severity.MINOR, "opened_from": start, "opened_to": end, **scope}),
        "notices": f"{notices}?" + urlencode({"status": "all", "issued_from": start, "issued_to": end, **scope}),
        "corrections": f"{findings}?" + urlencode({"reason": "corrected", **closed}),
        "false_alarms": f"{findings}?" + urlencode({"reason": CloseReason.FALSE_ALARM, **closed}),
    }


@login_required
@require_GET
def stats_page(request: HttpRequest) -> HttpResponse:
    """监控案件, 发出提示, 书面通知, 纠正问题, 误报 of the period, with their 口径."""
    require_reader(request.user)
    form = _form(request)
    today = timezone.localdate()
    context: dict[str, Any] = {"form": form, "presets": [(label, p.start, p.end) for label, p in presets(today)]}
    if form.is_valid():
        scope, period = form.scope(), form.period
        links = drill_links(form)
        context.update(
            scope=scope,
            period=period,
            query=query_of(form),
            figures=[(f, links[f.key]) for f in stats.figures(request.user, scope, period)],
        )
    return render(request, "patrol/stats.html", context)


@login_required
@require_GET
def stats_export(request: HttpRequest) -> HttpResponse:
    require_reader(request.user)
    form = _form(request)
    if not form.is_valid():
        return render(request, "patrol/stats.html", {"form": form}, status=400)
    scope, period = form.scope(), form.period
    sheet = stats.sheet(stats.figures(request.user, scope, period), scope, period)
    return workbook_response(f"patrol-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx", [sheet])


@login_required
@require_GET
def stats_cases(request: HttpRequest) -> HttpResponse:
    """监控案件: the cases open at some time in the period, keyset-paged."""
    require_reader(request.user)
    form = _form(request)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        scope, period = form.scope(), form.period
        cases = stats.watched_cases(request.user, scope, period)
        rows = cases.select_related("org", "department", "prosecutor").prefetch_related(
            Prefetch("suspects", queryset=Suspect.objects.only("id", "case_id", "seq", "name"))
        )
        context.update(paged(request, form, CASE_SEEK, rows, cases), scope=scope, period=period)
    return render(request, "patrol/stats_cases.html", context)
