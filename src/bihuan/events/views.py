from datetime import datetime, time, timedelta

from django import forms
from django.contrib.auth.decorators import permission_required
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_POST

from bihuan.events.models import Event
from bihuan.events.verify import chain_length, verify_chain
from bihuan.orgs.models import User
from bihuan.web.paging import Seek, capped_count

PAGE_SIZE = 50
COUNT_CAP = 10_000
EVENT_SEEK = Seek([("seq", int)], PAGE_SIZE)
SYSTEM_ACTOR = "系统"


class EventFilterForm(forms.Form):
    actor = forms.CharField(label="操作人", required=False, max_length=100, help_text="用户名或姓名；“系统”为系统操作")
    action = forms.CharField(label="操作类型", required=False, max_length=60, help_text="如 case.update，或前缀 case.")
    date_from = forms.DateField(label="日期自", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="日期至", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    case_id = forms.IntegerField(label="案件ID", required=False, min_value=1)


def _day_start(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filter_events(queryset, data: dict):
    """Apply an EventFilterForm's cleaned data; dates are days in Asia/Shanghai."""
    actor = (data.get("actor") or "").strip()
    if actor == SYSTEM_ACTOR:
        queryset = queryset.filter(actor_id__isnull=True)
    elif actor:
        people = User.objects.filter(Q(username=actor) | Q(full_name=actor)).values("id")
        queryset = queryset.filter(actor_id__in=people)
    if data.get("action"):
        queryset = queryset.filter(action__startswith=data["action"].strip())
    if data.get("date_from"):
        queryset = queryset.filter(at__gte=_day_start(data["date_from"]))
    if data.get("date_to"):
        queryset = queryset.filter(at__lt=_day_start(data["date_to"] + timedelta(days=1)))
    if data.get("case_id"):
        queryset = queryset.filter(case_id=data["case_id"])
    return queryset


@permission_required("events.view_event", raise_exception=True)
def event_list(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET)
    events = filter_events(Event.objects.all(), form.cleaned_data) if form.is_valid() else Event.objects.none()
    context = {
        "form": form,
        "page": EVENT_SEEK.page(events, request.GET),
        "total": capped_count(events, COUNT_CAP),
        "cap": COUNT_CAP,
    }
    partial = request.htmx and not request.htmx.history_restore_request
    response = render(request, "events/_results.html" if partial else "events/list.html", context)
    patch_vary_headers(response, ("HX-Request",))
    return response


@require_POST
@permission_required("events.view_event", raise_exception=True)
def verify(request: HttpRequest) -> HttpResponse:
    """Run the same chain check as `bihuan verifyaudit` and show its verdict."""
    broken = verify_chain()
    context = {"broken": broken, "length": chain_length(), "checked_at": timezone.now()}
    template = "events/_verdict.html" if request.htmx else "events/verdict.html"
    return render(request, template, context, status=200)
