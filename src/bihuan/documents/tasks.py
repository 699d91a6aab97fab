"""Background tasks of the documents app (django-tasks; `bihuan db_worker` runs them)."""

from django.db import transaction
from django_tasks import task

from bihuan.documents.actions import extract_loaded


@task()
def extract_loaded_documents(case_ids: list[int]) -> str:
    """Extract the fields of the text-only documents of bulk-loaded cases."""
    return f"已提取 {extract_loaded(case_ids)} 份导入文书的字段"


def queue_extraction(sender, case_ids, **kwargs) -> None:
    """Cases were bulk loaded (`cases_loaded`): once the load commits, extract their documents'
    fields in the worker, not in the load."""
    ids = list(case_ids)
    transaction.on_commit(lambda: extract_loaded_documents.enqueue(ids))
