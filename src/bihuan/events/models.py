"""The append-only, hash-chained event log (全程留痕).

Each row's `hash` is an HMAC over its own content and the previous row's hash, so altering,
deleting or inserting a row outside the application breaks the chain at that row. The single
`ChainHead` row remembers the last sequence number and hash, which also exposes a deleted tail.
"""

from django.db import models

APPEND_ONLY = "The event log is append-only."


class EventQuerySet(models.QuerySet):
    """Refuses the bulk writes that would bypass `Event.save` and `Event.delete`."""

    def update(self, **kwargs):
        raise RuntimeError(APPEND_ONLY)

    def bulk_update(self, objs, fields, batch_size=None):
        raise RuntimeError(APPEND_ONLY)

    def delete(self):
        raise RuntimeError(APPEND_ONLY)


class Event(models.Model):
    """One recorded action: who did what to which object, with the fields before and after."""

    seq = models.BigIntegerField(primary_key=True)
    at = models.DateTimeField()
    actor_id = models.BigIntegerField(null=True)
    actor_label = models.CharField(max_length=100)
    action = models.CharField(max_length=60)
    summary = models.CharField(max_length=300, blank=True)
    object_type = models.CharField(max_length=60)
    object_id = models.CharField(max_length=64)
    # The case the action concerns, for the case timeline; a plain integer so that the log
    # depends on no other table and survives anything done to the case rows.
    case_id = models.BigIntegerField(null=True)
    org_code = models.CharField(max_length=6, blank=True)
    changes = models.JSONField(default=dict)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]
        indexes = [
            models.Index(fields=["case_id", "seq"], name="event_case_timeline"),  # case page timeline
            models.Index(fields=["actor_id", "seq"], name="event_actor"),  # audit page filter
            models.Index(fields=["at"], name="event_at"),  # audit page date filter
        ]
        verbose_name = "留痕记录"
        verbose_name_plural = "留痕记录"

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_type}:{self.object_id}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise RuntimeError(APPEND_ONLY)
        # Always INSERT: with a caller-chosen seq Django would otherwise try an UPDATE first.
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError(APPEND_ONLY)


class ChainHead(models.Model):
    """The end of the chain: locked while appending, so appends are serialised."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    last_seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"chain head at #{self.last_seq}"
