from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from bihuan.bizreports.access import (
    access_batch,
    enters_reports,
    may_enter,
    readable_orgs,
    reads_reports,
    visible_batches,
    visible_figures,
)
from bihuan.bizreports.actions import do_enter_figures, do_import_report
from bihuan.bizreports.figures import cases_behind, compare, reported_figures
from bihuan.bizreports.forms import EntryForm, ImportForm, ItemCasesForm, ReportUnitForm, unit_defaults
from bihuan.bizreports.importer import ReportFileError
from bihuan.bizreports.items import BY_CODE, ITEMS
from bihuan.cases.access import visible_cases
from bihuan.cases.models import Suspect
from bihuan.cases.views import CASE_SEEK, COUNT_CAP
from bihuan.web.paging import capped_count
from bihuan.web.submit import REPEATED, consume_token

BATCHES_SHOWN = 100


def _require_reader(request: HttpRequest) -> None:
    if not reads_reports(request.user):
        raise PermissionDenied("无权查看业务报表")


def _require_enterer(request: HttpRequest) -> None:
    if not enters_reports(request.user):
        raise PermissionDenied("只有案件管理人员可以填报业务报表")


def _unit_data(request: HttpRequest) -> dict:
    """The query string's unit and month over the person's defaults."""
    return {**unit_defaults(request.user), **request.GET.dict()}


def _unit_query(data: dict) -> dict:
    return {
        "org": data["org"].pk,
        "department": data["department"].pk if data["department"] else "",
        "year": data["year"],
        "month": data["month"],
    }


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """业务报表: reported figures beside the figures the case cards give, with the differences."""
    _require_reader(request)
    form = ReportUnitForm(_unit_data(request), user=request.user)
    context = {"form": form, "rows": [], "may_enter": False}
    if form.is_valid():
        data = form.cleaned_data
        query = _unit_query(data)
        rows = compare(data["org"], data["year"], data["month"], data["department"])
        context.update(
            rows=rows,
            unit=data,
            query=urlencode(query),
            may_enter=may_enter(request.user, data["org"]),
            differences=sum(1 for row in rows if row.differs),
            reported=sum(1 for row in rows if row.figure is not None),
        )
    return render(request, "bizreports/list.html", context)


@login_required
def report_cases(request: HttpRequest) -> HttpResponse:
    """The cases behind one computed figure, within the person's scope."""
    _require_reader(request)
    form = ItemCasesForm({"item": ITEMS[0].code, **_unit_data(request)}, user=request.user)
    context = {"form": form}
    if form.is_valid():
        data = form.cleaned_data
        cases = visible_cases(request.user).filter(
            pk__in=cases_behind(data["item"], data["org"], data["year"], data["month"], data["department"]).values("pk")
        )
        rows = cases.select_related("org", "department", "prosecutor").prefetch_related(
            Prefetch("suspects", queryset=Suspect.objects.only("id", "case_id", "seq", "name"))
        )
        context.update(
            item=BY_CODE[data["item"]],
            unit=data,
            page=CASE_SEEK.page(rows, request.GET),
            total=capped_count(cases, COUNT_CAP),
            cap=COUNT_CAP,
            back=reverse("bizreports:list") + "?" + urlencode(_unit_query(data)),
        )
    return render(request, "bizreports/cases.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_import(request: HttpRequest) -> HttpResponse:
    """Upload a report file; the result page lists every rejected line."""
    _require_enterer(request)
    result = None
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if not consume_token(request):
            messages.info(request, REPEATED)
            return redirect("bizreports:batches")
        if form.is_valid():
            try:
                result = do_import_report(
                    form.cleaned_data["file"], request.user, all_or_nothing=form.cleaned_data["all_or_nothing"]
                )
            except ReportFileError as error:
                form.add_error("file", str(error))
    else:
        form = ImportForm()
    context = {"form": form, "result": result, "org": request.user.org, "items": ITEMS}
    return render(request, "bizreports/import.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_enter(request: HttpRequest) -> HttpResponse:
    """Manual entry of one unit's figures for a month (own procuratorate only)."""
    _require_enterer(request)
    user = request.user
    if request.method == "POST":
        form = EntryForm(request.POST, user=user)
        if not consume_token(request):
            messages.info(request, REPEATED)
            return redirect("bizreports:list")
        if form.is_valid():
            data = form.cleaned_data
            stored = do_enter_figures(user.org, data["department"], data["year"], data["month"], form.values(), user)
            if stored.written:
                messages.success(request, f"已保存 {stored.written} 条报表数（未变 {stored.unchanged} 条）。")
            else:
                messages.info(request, "填写的报表数与现有数据一致，未作修改。")
            query = _unit_query({**data, "org": user.org})
            return redirect(reverse("bizreports:list") + "?" + urlencode(query))
    else:
        # The current figures of the unit and month chosen (GET) fill the fields.
        form = EntryForm({**unit_defaults(user), **request.GET.dict()}, user=user)
        if form.is_valid():
            data = form.cleaned_data
            current = reported_figures(user.org, data["year"], data["month"], data["department"])
            initial = {
                "department": data["department"],
                "year": data["year"],
                "month": data["month"],
                **{code: figure.value for code, figure in current.items()},
            }
        else:
            initial = {key: value for key, value in unit_defaults(user).items() if key != "org"}
        form = EntryForm(initial=initial, user=user)
    # The small form above the table loads another unit or month (GET); its own ids keep the
    # page's ids unique.
    unit = {name: form[name].value() for name in ("department", "year", "month")}
    load_form = EntryForm(initial=unit, user=user, auto_id="load_%s")
    return render(request, "bizreports/enter.html", {"form": form, "load_form": load_form, "org": user.org})


@login_required
def batch_list(request: HttpRequest) -> HttpResponse:
    """The batches (imports and entries) the person may read; `?batch=` opens one with its
    figures, current and superseded."""
    _require_reader(request)
    batches = visible_batches(request.user).select_related("org", "imported_by")
    org_id = request.GET.get("org", "")
    if org_id.isdigit():
        batches = batches.filter(org_id=int(org_id))
    context = {"batches": batches[:BATCHES_SHOWN], "orgs": readable_orgs(request.user), "org_id": org_id}
    batch_id = request.GET.get("batch", "")
    if batch_id.isdigit():
        batch = access_batch(request.user, int(batch_id))
        context["batch"] = batch
        context["figures"] = (
            visible_figures(request.user)
            .filter(batch=batch)
            .select_related("department", "superseded_by", "superseded_by__batch")
            .order_by("year", "month", "department_id", "item")
        )
    return render(request, "bizreports/batches.html", context)
