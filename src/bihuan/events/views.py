from django.contrib.auth.decorators import permission_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bihuan.events.models import Event


@permission_required("events.view_event", raise_exception=True)
def event_list(request: HttpRequest) -> HttpResponse:
    return render(request, "events/list.html", {"events": Event.objects.order_by("-seq")[:100]})
