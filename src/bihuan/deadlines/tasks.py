"""Background tasks of the deadlines app (django-tasks, database backend; `bihuan db_worker`
runs them). A calendar change reaches every open case here, never in the request that made it."""

from django.db import transaction
from django_tasks import task

from bihuan.deadlines.recompute import recompute_all


@task()
def recompute_deadlines() -> str:
    """Recompute every open case's due date (set-based); the result is the summary line."""
    return recompute_all().summary()


def queue_recompute(sender, **kwargs) -> None:
    """A HolidayOverride was saved or deleted: once the change commits, queue a full recompute,
    since any due date may fall on the day it changed (CPL 105 roll-forward)."""
    transaction.on_commit(recompute_deadlines.enqueue)
