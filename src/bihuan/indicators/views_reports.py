"""报表: the index of the eight standing reports, each report's page (with a print layout), its
Excel export and the cases behind each of its numbers (bihuan.indicators.reports computes them)."""

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from bihuan.cases.access import visible_cases
from bihuan.cases.models import Suspect
from bihuan.cases.views import CASE_SEEK, COUNT_CAP
from bihuan.indicators.access import Scope, access_scope, default_scope, scope_choices
from bihuan.indicators.excel import Sheet, workbook_response
from bihuan.indicators.periods import Period, month, quarter
from bihuan.indicators.reports import (
    BREAKDOWNS,
    BY_SLUG,
    REPORTS,
    Report,
    Table,
    breakdowns,
    build,
    drill,
    period_params,
    uncased_findings,
)
from bihuan.indicators.views import require_reader
from bihuan.orgs.models import User
from bihuan.patrol.access import visible_findings
from bihuan.web.paging import capped_count
from bihuan.web.widgets import FastSelect

PERIODS = [(f"m{m}", f"{m}月") for m in range(1, 13)] + [(f"q{q}", f"第{'一二三四'[q - 1]}季度") for q in range(1, 5)]


class ReportForm(forms.Form):
    """The scope (checked by `access_scope` before), the year and month or quarter, and the unit
    the rows are broken down by."""

    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    period = forms.ChoiceField(label="月份/季度", choices=PERIODS, widget=FastSelect)

    def __init__(self, *args: Any, user: User, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope"] = forms.ChoiceField(
            label="统计范围", choices=scope_choices(user, scope), widget=FastSelect
        )
        kinds = breakdowns(scope)
        self.fields["by"] = forms.ChoiceField(
            label="分列",
            choices=[(by, f"按{BREAKDOWNS[by]}") for by in kinds] or [("", "不分列")],
            required=False,
            widget=FastSelect,
        )
        self.order_fields(["scope", "year", "period", "by"])

    @property
    def report_period(self) -> Period:
        year, chosen = self.cleaned_data["year"], self.cleaned_data["period"]
        number = int(chosen[1:])
        return quarter(year, number) if chosen[0] == "q" else month(year, number)


def _form(request: HttpRequest) -> tuple[Scope | None, ReportForm | None]:
    """The requested scope (404 outside the person's scope; their own unit by default) and the
    bound form (this month by default)."""
    user = request.user
    token = request.GET.get("scope")
    scope = access_scope(user, token) if token else default_scope(user)
    if scope is None:
        return None, None
    today = timezone.localdate()
    kinds = breakdowns(scope)
    data = {"year": today.year, "period": f"m{today.month}", "by": kinds[0] if kinds else "", **request.GET.dict()}
    data["scope"] = scope.token
    return scope, ReportForm(data, user=user, scope=scope)


def _report(slug: str) -> Report:
    """The report a parameter names (the first one when none is named); 404 for an unknown one."""
    report = BY_SLUG.get(slug or REPORTS[0].slug)
    if report is None:
        raise Http404("报表不存在")
    return report


def _table(request: HttpRequest, report: Report) -> tuple[ReportForm | None, Table | None]:
    scope, form = _form(request)
    if form is None or not form.is_valid():
        return form, None
    table = build(
        report,
        scope,
        form.report_period,
        form.cleaned_data["by"] or None,
        user=request.user,
        today=timezone.localdate(),
    )
    return form, table


@login_required
def report_index(request: HttpRequest) -> HttpResponse:
    """报表: the eight standing reports."""
    require_reader(request)
    return render(request, "indicators/report_index.html", {"reports": REPORTS, "query": request.GET.urlencode()})


def _definitions(report: Report) -> list[tuple[str, str, str]]:
    """(column, unit, 口径) for the page and the workbook's 口径说明 sheet."""
    return [(column.label, column.unit, column.definition) for column in report.shown_columns]


@login_required
def report_page(request: HttpRequest, slug: str) -> HttpResponse:
    """One report: a row per unit below the scope and the total, every number linked to its
    cases, the 口径 of every column; printable (A4 landscape)."""
    require_reader(request)
    report = _report(slug)
    form, table = _table(request, report)
    context = {
        "report": report,
        "form": form,
        "table": table,
        "columns": report.shown_columns,
        "definitions": _definitions(report),
        "export_query": request.GET.urlencode(),
        "period_query": urlencode(period_params(table.period)) if table else "",
    }
    return render(request, "indicators/report.html", context)


def _header(column) -> str:
    return f"{column.label}（{column.unit}）" if column.unit else column.label


def sheets(table: Table) -> list[Sheet]:
    """The workbook of a report: the table, report 8's deduction items, and the 口径说明."""
    report = table.report
    caption = table.caption
    first = table.by_label or "统计范围"
    header = [[first, *(_header(column) for column in report.shown_columns)]]
    lines = [*table.lines, table.total] if table.lines else [table.total]
    rows = [
        [table.scope.label if not table.lines else line.label, *(cell.value for cell in line.cells)] for line in lines
    ]
    result = [Sheet(report.title, header, rows, caption=caption)]
    if report.slug == "casecode":
        result.append(
            Sheet(
                "高频扣分项",
                [["评分项", "扣分次数", "扣分合计", "一票否决次数"]],
                [[item["name"], item["n"], item["points"], item["vetoes"]] for item in table.items],
                caption=f"{caption} · 高频扣分项",
            )
        )
    notes = [[label, unit, definition] for label, unit, definition in _definitions(report)]
    notes += [["说明", "", note] for note in report.notes]
    notes.append(
        ["统计期间", "", f"{table.period.label}（{table.period.start:%Y-%m-%d}至{table.period.end:%Y-%m-%d}，含首尾）"]
    )
    result.append(Sheet("口径说明", [["项目", "单位", "口径"]], notes, caption=f"{caption} · 口径说明"))
    return result


@login_required
def report_export(request: HttpRequest) -> HttpResponse:
    """The report named by `report` as an Excel workbook, one sheet per table and a 口径说明 sheet."""
    require_reader(request)
    report = _report(request.GET.get("report", ""))
    form, table = _table(request, report)
    if table is None:
        return render(request, "indicators/report.html", {"report": report, "form": form}, status=400)
    period = table.period
    stamp = f"{period.start:%Y}q{(period.start.month + 2) // 3}" if period.months == 3 else f"{period.start:%Y%m}"
    return workbook_response(f"report{report.number}-{report.slug}-{stamp}.xlsx", sheets(table))


@login_required
def report_cases(request: HttpRequest) -> HttpResponse:
    """The cases behind one number of a report (parameters: report, column, scope, year, period,
    and by and group for a unit's row), within the person's own cases, keyset-paged; for report 7
    also the counted findings without a case (report figures) the person may read."""
    require_reader(request)
    report = _report(request.GET.get("report", ""))
    scope, form = _form(request)
    context: dict[str, Any] = {"report": report, "form": form, "scope": scope, "cap": COUNT_CAP}
    # Without a column (opened directly), the page only says where its lists come from.
    if form is not None and form.is_valid() and request.GET.get("column"):
        period = form.report_period
        cell = {
            "user": request.user,
            "today": timezone.localdate(),
            "by": request.GET.get("by") or None,
            "group": request.GET.get("group", ""),
        }
        column = request.GET.get("column", "")
        found = drill(report, column, scope, period, item=request.GET.get("item", ""), **cell)
        if found is None:
            raise Http404("报表栏目不存在")
        findings = visible_findings(request.user).filter(
            pk__in=uncased_findings(report, column, scope, period, **cell).values("pk")
        )
        title, cases = found
        rows = visible_cases(request.user).filter(pk__in=cases.values("pk"))
        listed = rows.select_related("org", "department", "prosecutor").prefetch_related(
            Prefetch("suspects", queryset=Suspect.objects.only("id", "case_id", "seq", "name"))
        )
        back = {key: value for key, value in request.GET.items() if key in ("scope", "year", "period", "by")}
        context.update(
            title=title,
            period=period,
            page=CASE_SEEK.page(listed, request.GET),
            total=capped_count(rows, COUNT_CAP),
            back_query=urlencode(back),
            findings=findings.select_related("rule", "department", "notice").order_by("-opened_at", "-id"),
        )
    status = 400 if form is not None and form.errors else 200
    return render(request, "indicators/report_cases.html", context, status=status)
