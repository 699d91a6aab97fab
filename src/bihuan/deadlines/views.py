"""The 期限计算器 page: a due date and its explanation from typed-in facts."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from bihuan.cases.choices import DueKind
from bihuan.deadlines.calendar import FIRST_YEAR, LAST_YEAR, WorkCalendar
from bihuan.deadlines.forms import DeadlineCalculatorForm
from bihuan.orgs.scope import reads_cases


@login_required
@require_GET
def calculator(request: HttpRequest) -> HttpResponse:
    # The calculator reads no case, but it is a tool of the people who handle cases.
    if not reads_cases(request.user):
        raise PermissionDenied
    form = DeadlineCalculatorForm(request.GET or None)
    calendar = WorkCalendar.load()
    period = form.period(calendar) if form.is_valid() else None
    context = {
        "form": form,
        "period": period,
        "kind": DueKind(period.kind).label if period else "",
        "first_year": FIRST_YEAR,
        "last_year": LAST_YEAR,
    }
    # htmx swaps only the result; a plain request or a history restore gets the whole page.
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, "deadlines/calculator_result.html" if partial else "deadlines/calculator.html", context)
    patch_vary_headers(response, ("HX-Request",))
    if partial:
        response["HX-Push-Url"] = request.get_full_path()
    return response
