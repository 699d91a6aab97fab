"""Background tasks of the patrol (django-tasks, database backend; `bihuan db_worker` runs them).
A write to a case reaches the patrol here, once it commits, never in the request that made it."""

from django.db import transaction
from django_tasks import task

from bihuan.cases.models import Case
from bihuan.orgs.models import User
from bihuan.patrol.actions import do_patrol_case, do_patrol_cases, do_patrol_full
from bihuan.patrol.runner import run_summary


@task()
def patrol_full(actor_id: int | None = None) -> str:
    """A full patrol asked for from the pages (立即全面巡查), run in the worker, not the request;
    the result is the run's summary line."""
    actor = User.objects.filter(pk=actor_id).first() if actor_id else None
    return run_summary(do_patrol_full(actor=actor))


@task()
def patrol_case(case_id: int) -> str:
    """Patrol one changed case in memory; the result is the run's summary line."""
    try:
        run = do_patrol_case(case_id)
    except Case.DoesNotExist:
        return f"案件 {case_id} 已不存在，未巡查"
    return run_summary(run)


@task()
def patrol_cases(case_ids: list[int]) -> str:
    """Patrol bulk-loaded cases set-based; the result is the run's summary line."""
    return run_summary(do_patrol_cases(case_ids))


def queue_case_patrol(sender, case_id: int, **kwargs) -> None:
    """A case or what hangs on it changed (`case_changed`): once the write commits, patrol it in
    the worker."""
    transaction.on_commit(lambda: patrol_case.enqueue(case_id))


def queue_loaded_patrol(sender, case_ids, **kwargs) -> None:
    """Cases were bulk loaded (`cases_loaded`): once the load commits, patrol them in the worker."""
    ids = list(case_ids)
    transaction.on_commit(lambda: patrol_cases.enqueue(ids))
