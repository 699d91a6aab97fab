"""Sending and reading notifications. Sending is a side effect of an audited action, so it
records no event of its own."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from bihuan.notifications.models import Notification


def notify(recipients: Iterable, *, kind: str, title: str, case=None, url: str = "", key: str = "") -> int:
    """Send one notification to each recipient (users or user ids); with a ``key``, a person who
    already has the notification of that key gets no second one. Returns how many were new."""
    ids = {getattr(r, "pk", r) for r in recipients if r is not None}
    if not ids:
        return 0
    if not url and case is not None:
        url = case.get_absolute_url()
    rows = [
        Notification(recipient_id=i, case=case, kind=kind, title=title[:200], url=url, key=key) for i in sorted(ids)
    ]
    if key:
        already = Notification.objects.filter(key=key, recipient_id__in=ids)
        existing = set(already.values_list("recipient_id", flat=True))
        rows = [r for r in rows if r.recipient_id not in existing]
    Notification.objects.bulk_create(rows, ignore_conflicts=bool(key))
    return len(rows)


@transaction.atomic
def do_mark_read(user, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the person's notifications read: the given ones, or all of them."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=list(notification_ids))
    return unread.update(read_at=timezone.now())
