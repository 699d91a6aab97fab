from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers

from bihuan.cases.access import access_case, can_edit_case, visible_cases
from bihuan.cases.actions import do_record_case_read
from bihuan.cases.filters import CaseFilterForm, filter_cases
from bihuan.cases.models import Case, Suspect, SuspectCharge
from bihuan.events.models import Event
from bihuan.web.paging import Seek, capped_count

PAGE_SIZE = 50
# Exact counts up to this many cases; beyond it the page says "超过 1,000 件". A larger cap costs a
# scan of that many rows of the viewer's scope on every list request.
COUNT_CAP = 1_000
# Newest first; `id` breaks ties between cases received the same day.
CASE_SEEK = Seek([("received_date", date.fromisoformat), ("id", int)], PAGE_SIZE)


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("cases.browse"):
        raise PermissionDenied
    form = CaseFilterForm(request.GET, user=request.user)
    cases, countable = (
        filter_cases(visible_cases(request.user), form.cleaned_data) if form.is_valid() else (Case.objects.none(), True)
    )
    total = capped_count(cases, COUNT_CAP) if countable else None
    rows = cases.select_related("org", "department", "prosecutor", "charge").prefetch_related(
        Prefetch("suspects", queryset=Suspect.objects.only("id", "case_id", "seq", "name"))
    )
    context = {"form": form, "page": CASE_SEEK.page(rows, request.GET), "total": total, "cap": COUNT_CAP}
    # htmx swaps only the results; a history restore or a plain request gets the whole page.
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, "cases/_results.html" if partial else "cases/list.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_case(request.user, case_id)
    suspects = case.suspects.prefetch_related(
        "measures", Prefetch("suspect_charges", queryset=SuspectCharge.objects.select_related("charge"))
    )
    do_record_case_read(case, request.user)
    context = {
        "case": case,
        "today": timezone.localdate(),
        "reveal_ids": can_edit_case(request.user, case),
        "suspects": suspects,
        "tags": case.tags.all(),
        "links": case.links.select_related("suspect"),
        "documents": case.documents.all(),
        "related": visible_cases(request.user).filter(unified_case_no=case.unified_case_no).exclude(pk=case.pk),
        # Reads are audit records, not steps of the case; the audit log shows them.
        "timeline": Event.objects.filter(case_id=case.pk).exclude(action="case.read").order_by("seq"),
    }
    return render(request, "cases/detail.html", context)
