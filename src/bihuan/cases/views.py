import secrets
from datetime import date
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods

from bihuan.cases.access import access_case, can_edit_case, visible_cases
from bihuan.cases.actions import do_record_case_read
from bihuan.cases.filters import CaseFilterForm, filter_cases
from bihuan.cases.models import Case, Suspect, SuspectCharge
from bihuan.events.models import Event
from bihuan.web.paging import Seek, capped_count
from bihuan.web.panels import case_panels

# Twenty rows, as the national business system pages its lists; each row costs rendering time.
PAGE_SIZE = 20
# Exact counts up to this many cases; beyond it the page says "超过 1,000 件". A larger cap costs a
# scan of that many rows of the viewer's scope on every list request.
COUNT_CAP = 1_000
# Newest first; `id` breaks ties between cases received the same day.
CASE_SEEK = Seek([("received_date", date.fromisoformat), ("id", int)], PAGE_SIZE)


# The session keeps the last few search texts under random tokens (see `_search_url`).
SEARCHES = "case_searches"
KEPT_SEARCHES = 20


def _search_url(request: HttpRequest) -> str:
    """The list URL for a submitted filter form. The search text (often a suspect's name) is kept
    in the session and the URL carries only a random token, so that no name reaches an address
    bar, a browser history or a server log (product brief: no personal data in URLs)."""
    params = {key: value for key, value in request.POST.items() if value and key not in ("csrfmiddlewaretoken", "q")}
    text = request.POST.get("q", "").strip()
    if text:
        token = secrets.token_urlsafe(8)
        searches = {**request.session.get(SEARCHES, {}), token: text}
        request.session[SEARCHES] = dict(list(searches.items())[-KEPT_SEARCHES:])
        params["s"] = token
    return reverse("cases:list") + (f"?{urlencode(params)}" if params else "")


def _filter_data(request: HttpRequest) -> dict:
    """The query string's filters, with the search text looked up from its token."""
    data = request.GET.dict()
    data.pop("q", None)
    token = data.pop("s", None)
    if token:
        data["q"] = request.session.get(SEARCHES, {}).get(token, "")
    return data


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def case_list(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("cases.browse"):
        raise PermissionDenied
    if request.method == "POST":
        return redirect(_search_url(request))
    form = CaseFilterForm(_filter_data(request), user=request.user)
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
    if partial:
        # After the form's POST and redirect, the address bar shows the tokenised list URL.
        response["HX-Push-Url"] = request.get_full_path()
    return response


# Reads and downloads are audit records, not steps of the case; the audit log shows them.
READ_ACTIONS = ["case.read", "document.read", "document.download"]


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
        "related": visible_cases(request.user).filter(unified_case_no=case.unified_case_no).exclude(pk=case.pk),
        "timeline": Event.objects.filter(case_id=case.pk).exclude(action__in=READ_ACTIONS).order_by("seq"),
    }
    panels = case_panels(request, case)
    context["panels_main"] = [p for p in panels if p.column == "main"]
    context["panels_aside"] = [p for p in panels if p.column == "aside"]
    return render(request, "cases/detail.html", context)
