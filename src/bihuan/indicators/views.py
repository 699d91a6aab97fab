"""The indicator pages: all indicators for a scope and period, and the cases behind each figure."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from bihuan.cases.access import visible_cases, visible_suspects
from bihuan.cases.models import Suspect
from bihuan.cases.views import CASE_SEEK, COUNT_CAP, PAGE_SIZE
from bihuan.indicators.access import Scope, access_scope, default_scope, reads_indicators
from bihuan.indicators.definitions import BY_CODE, INDICATORS, PARTS
from bihuan.indicators.engine import Figure, drill_cases, drill_suspects, table
from bihuan.indicators.forms import DrillForm, PeriodForm
from bihuan.indicators.periods import Period, year_to_date
from bihuan.web.paging import Seek, capped_count

SUSPECT_SEEK = Seek([("id", int)], PAGE_SIZE)


def require_reader(request: HttpRequest) -> None:
    if not reads_indicators(request.user):
        raise PermissionDenied("无权查看案件质量指标")


def _query(scope: Scope, period: Period, **extra: str) -> str:
    return urlencode({"scope": scope.token, "from": period.start, "to": period.end, **extra})


def drill_url(figure: Figure, part: str, scope: Scope) -> str:
    """The drill-down page of one number (part: "numerator" or "denominator")."""
    query = _query(scope, figure.period, indicator=figure.indicator.code, part=part)
    return f"{reverse('indicators:cases')}?{query}"


def scope_and_form(request: HttpRequest, form_class: type[PeriodForm], **defaults: str):
    """The requested scope (404 when out of the person's scope) and the bound form."""
    user = request.user
    token = request.GET.get("scope")
    scope = access_scope(user, token) if token else default_scope(user)
    period = year_to_date()
    data = {
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
        **defaults,
        **request.GET.dict(),
        "scope": scope.token if scope else "",
    }
    return scope, form_class(data, user=user, scope=scope)


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """All indicators of the scope and period with 同比 and 环比; every number opens its cases."""
    require_reader(request)
    scope, form = scope_and_form(request, PeriodForm)
    context = {"form": form, "scope": scope}
    if scope is not None and form.is_valid():
        period = form.period
        rows = table(scope, period)
        context.update(
            period=period,
            rows=[
                {
                    "row": row,
                    "figures": [
                        (figure, drill_url(figure, "numerator", scope), drill_url(figure, "denominator", scope))
                        for figure in (row.current, row.year_earlier, row.previous)
                    ],
                }
                for row in rows
            ],
            year_earlier=period.year_earlier(),
            previous=period.previous(),
        )
    return render(request, "indicators/overview.html", context)


@login_required
def cases(request: HttpRequest) -> HttpResponse:
    """The cases (and, for 人, the persons) behind one numerator or denominator, within the
    person's own scope."""
    require_reader(request)
    scope, form = scope_and_form(request, DrillForm, indicator=INDICATORS[0].code, part=PARTS[0])
    context = {"form": form, "scope": scope}
    if scope is not None and form.is_valid():
        period = form.period
        indicator = BY_CODE[form.cleaned_data["indicator"]]
        part_name = form.cleaned_data["part"]
        part = getattr(indicator, part_name)
        persons = drill_suspects(indicator, part_name, scope, period)
        context.update(
            indicator=indicator,
            part=part,
            part_name="分子" if part_name == "numerator" else "分母",
            period=period,
            back=f"{reverse('indicators:overview')}?{_query(scope, period)}",
            cap=COUNT_CAP,
        )
        if persons is not None:
            rows = visible_suspects(request.user).filter(pk__in=persons.values("pk"))
            context.update(
                persons=True,
                page=SUSPECT_SEEK.page(rows.select_related("case", "case__org"), request.GET),
                total=capped_count(rows, COUNT_CAP),
            )
        else:
            rows = visible_cases(request.user).filter(pk__in=drill_cases(indicator, part_name, scope, period))
            listed = rows.select_related("org", "department", "prosecutor").prefetch_related(
                Prefetch("suspects", queryset=Suspect.objects.only("id", "case_id", "seq", "name"))
            )
            context.update(page=CASE_SEEK.page(listed, request.GET), total=capped_count(rows, COUNT_CAP))
    return render(request, "indicators/cases.html", context)
