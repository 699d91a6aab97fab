"""案件码统计: the statistics page with its chart, the Excel export of the same tables, and the
cases behind each count (bihuan.casecode.stats computes everything)."""

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from bihuan.casecode import stats
from bihuan.cases.filters import CaseFilterForm, scope_orgs
from bihuan.cases.models import Suspect
from bihuan.cases.views import CASE_SEEK, COUNT_CAP
from bihuan.orgs.choices import RoleCode
from bihuan.orgs.models import Agency
from bihuan.orgs.scope import ORG_WIDE_ROLES, reads_cases
from bihuan.web.paging import capped_count
from bihuan.web.panels import NavItem, Panel
from bihuan.web.widgets import FastSelect

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The menu entry: those who read a procuratorate's or a department's cases, and prosecutors (their
# own and their team's). Assistants and clerks may open the page too; it counts only what they read.
NAV_ROLES = (*ORG_WIDE_ROLES, RoleCode.DEPT_HEAD, RoleCode.PROSECUTOR)


class StatsForm(forms.Form):
    """The cases and the period the statistics cover; the case list's own org, department and
    prosecutor choices, limited to the person's scope."""

    start = forms.DateField(label="评分日期自", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="评分日期至", widget=forms.DateInput(attrs={"type": "date"}))
    agency = forms.ModelChoiceField(
        label="侦查机关", queryset=Agency.objects.none(), required=False, empty_label="全部", widget=FastSelect
    )

    def __init__(self, *args: Any, user, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cases = CaseFilterForm(user=user)
        for name, label in (("org", "检察院（含下级院）"), ("department", "承办部门"), ("prosecutor", "承办检察官")):
            self.fields[name] = cases.fields[name]
            self.fields[name].label = label
        self.fields["agency"].queryset = Agency.objects.filter(Q(org__in=scope_orgs(user)) | Q(org=None))
        self.order_fields(["org", "department", "prosecutor", "agency", "start", "end"])

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "结束日期不能早于开始日期。")
        return data

    def filters(self) -> stats.Filters:
        data = self.cleaned_data
        return stats.Filters(
            start=data["start"],
            end=data["end"],
            org=data.get("org"),
            department=data.get("department"),
            prosecutor=data.get("prosecutor"),
            agency=data.get("agency"),
        )


def _form(request: HttpRequest) -> StatsForm:
    start, end = stats.this_year()
    data = {"start": start.isoformat(), "end": end.isoformat(), **request.GET.dict()}
    return StatsForm(data, user=request.user)


def require_reader(request: HttpRequest) -> None:
    if not reads_cases(request.user):
        raise PermissionDenied("无权查看案件码统计")


def _query(form: StatsForm) -> str:
    """The filters as a query string, for the links to the cases and the export."""
    return urlencode({name: value for name, value in form.data.items() if name in form.fields and value})


@login_required
def stats_page(request: HttpRequest) -> HttpResponse:
    """案件码统计: counts by colour and unit, the monthly trend with 转码, the deduction items, the
    days to green and the overdue re-evaluations, each count linked to its cases."""
    require_reader(request)
    form = _form(request)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        filters = form.filters()
        report = stats.report(request.user, filters)
        context.update(
            report=report,
            filters=filters,
            query=_query(form),
            chart=stats.chart_data(report),
            transition_labels=list(stats.TRANSITION_LABELS.values()),
        )
    return render(request, "casecode/stats.html", context)


@login_required
def stats_export(request: HttpRequest) -> HttpResponse:
    """The page's tables as an Excel workbook, one sheet per table."""
    require_reader(request)
    form = _form(request)
    if not form.is_valid():
        return render(request, "casecode/stats.html", {"form": form}, status=400)
    filters = form.filters()
    content = stats.workbook(stats.report(request.user, filters))
    response = HttpResponse(content, content_type=XLSX)
    name = f"casecode-stats-{filters.start:%Y%m%d}-{filters.end:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def stats_cases(request: HttpRequest) -> HttpResponse:
    """The cases behind one count of the statistics page, keyset-paged."""
    require_reader(request)
    form = _form(request)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        filters = form.filters()
        drill = stats.drill(request.user, filters, request.GET, today=timezone.localdate())
        rows = drill.cases.select_related("org", "department", "prosecutor", "code").prefetch_related(
            Prefetch("suspects", queryset=Suspect.objects.only("id", "case_id", "seq", "name"))
        )
        context.update(
            drill=drill,
            filters=filters,
            page=CASE_SEEK.page(rows, request.GET),
            total=capped_count(drill.cases, COUNT_CAP),
            cap=COUNT_CAP,
            query=_query(form),
        )
    return render(request, "casecode/stats_cases.html", context)


def nav_items(user) -> list[NavItem]:
    if not user.is_authenticated or not user.has_role(*NAV_ROLES):
        return []
    return [NavItem("casecode:stats", "案件码统计", "casecode", order=46)]


def workbench_panels(request) -> list[Panel]:
    return []


def case_panels(request, case) -> list[Panel]:
    return []
