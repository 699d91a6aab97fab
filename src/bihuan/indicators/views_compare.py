"""报表与案卡比对 on the indicators' side: every report item over a range of months of one year,
and the indicators that reported figures give, beside the figures computed from the cases.

The one-month comparison, its sources and the cases behind each computed figure are the business
reports' pages (`bizreports:list`, `bizreports:cases`); every cell here links to them.
"""

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from bihuan.bizreports.access import may_read, reads_reports
from bihuan.bizreports.forms import MONTHS, last_month
from bihuan.bizreports.importer import FIRST_YEAR
from bihuan.indicators.access import Scope, access_scope, default_scope, reads_indicators, scope_choices
from bihuan.indicators.compare import indicator_lines, item_lines, months_period, reported_unit
from bihuan.indicators.views import drill_url
from bihuan.orgs.models import User
from bihuan.web.widgets import FastSelect

REPORTING_KINDS = ("org", "dept")


class CompareForm(forms.Form):
    """The reporting unit (a procuratorate alone or a department) and the months of one year."""

    year = forms.IntegerField(label="年", min_value=FIRST_YEAR, widget=forms.NumberInput(attrs={"class": "year"}))
    first = forms.TypedChoiceField(label="自", choices=MONTHS, coerce=int, widget=FastSelect)
    last = forms.TypedChoiceField(label="至", choices=MONTHS, coerce=int, widget=FastSelect)

    def __init__(self, *args: Any, user: User, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (token, label) for token, label in scope_choices(user, scope) if token.split(":")[0] in REPORTING_KINDS
        ]
        self.fields["scope"] = forms.ChoiceField(label="报表单位", choices=choices, widget=FastSelect)
        self.order_fields(["scope", "year", "first", "last"])

    def clean(self) -> dict:
        data = super().clean()
        year, first, last = data.get("year"), data.get("first"), data.get("last")
        if year is None or first is None or last is None:
            return data
        today = timezone.localdate()
        if first > last:
            self.add_error("last", "结束月份不能早于开始月份。")
        elif (year, last) > (today.year, today.month):
            self.add_error("last", f"{year}年{last}月尚未到来。")
        return data


def require_compare_reader(request: HttpRequest) -> None:
    if not (reads_indicators(request.user) and reads_reports(request.user)):
        raise PermissionDenied("无权查看业务报表与案卡比对")


@login_required
def compare(request: HttpRequest) -> HttpResponse:
    """Reported figures against the cases, month by month, with the indicators they give."""
    require_compare_reader(request)
    user = request.user
    token = request.GET.get("scope")
    scope = access_scope(user, token) if token else default_scope(user)
    unit = reported_unit(scope) if scope else None
    if unit is not None and not may_read(user, *unit):
        raise Http404("统计范围不存在")
    year, last = last_month()
    data = {"year": year, "first": 1, "last": last, **request.GET.dict(), "scope": scope.token if scope else ""}
    form = CompareForm(data, user=user, scope=scope)
    context = {"form": form, "scope": scope, "unit": unit}
    if unit is not None and form.is_valid():
        org, department = unit
        year, first, last = (form.cleaned_data[name] for name in ("year", "first", "last"))
        lines = item_lines(org, department, year, first, last)
        period = months_period(year, first, last)
        base = {"org": org.pk, "department": department.pk if department else "", "year": year}
        context.update(
            year=year,
            months=list(range(first, last + 1)),
            period=period,
            lines=[
                {
                    "line": line,
                    "cells": [
                        (
                            row,
                            reverse("bizreports:list") + "?" + urlencode({**base, "month": month_no}),
                            reverse("bizreports:cases")
                            + "?"
                            + urlencode({**base, "month": month_no, "item": line.item.code}),
                        )
                        for month_no, row in zip(range(first, last + 1), line.months, strict=True)
                    ],
                }
                for line in lines
            ],
            indicators=[
                (
                    line,
                    drill_url(line.figure, "numerator", scope),
                    drill_url(line.figure, "denominator", scope),
                )
                for line in indicator_lines(scope, period, lines)
            ],
            differing=sum(line.differing_months for line in lines),
            unreported=sum(line.unreported_months for line in lines),
            cells=len(lines) * (last - first + 1),
        )
    return render(request, "indicators/compare.html", context)
