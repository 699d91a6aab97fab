from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from bihuan.notifications.actions import do_mark_read
from bihuan.notifications.models import Notification

SHOWN = 100


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    mine = Notification.objects.filter(recipient=request.user)
    context = {
        "unread": mine.filter(read_at__isnull=True)[:SHOWN],
        "read": mine.filter(read_at__isnull=False)[:SHOWN],
    }
    return render(request, "notifications/list.html", context)


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    do_mark_read(request.user)
    return redirect("notifications:list")


@login_required
def open_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Marks the notification read and goes where it points."""
    notification = get_object_or_404(Notification, pk=notification_id, recipient=request.user)
    do_mark_read(request.user, [notification.pk])
    return redirect(notification.url or "notifications:list")
