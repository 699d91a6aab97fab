"""Documents that arrive through the exchange format (text only) get their fields extracted, in
the worker after the load, so that the patrol can compare them with the card."""

import io

import pytest
from django_tasks_db.models import DBTaskResult

from bihuan.cases.models import Case
from bihuan.demo.directory import build_directory
from bihuan.documents.actions import extract_loaded
from bihuan.documents.extract import extract_fields
from bihuan.documents.models import Document, DocumentKind, ExtractedField
from bihuan.documents.tasks import extract_loaded_documents
from bihuan.exchange.generate import dumps, generate_records
from bihuan.exchange.load import load_jsonl


@pytest.fixture
def loaded(db, tmp_path, django_capture_on_commit_callbacks):
    build_directory()
    path = tmp_path / "cases.jsonl"
    path.write_text("".join(dumps(r) + "\n" for r in generate_records(60, seed=5)), encoding="utf-8")
    with django_capture_on_commit_callbacks(execute=True):
        report = load_jsonl(path, stderr=io.StringIO(), batch_size=40)
    assert not report.rejected
    return Document.objects.filter(kind=DocumentKind.INDICTMENT)


def test_a_load_queues_the_extraction_of_its_documents(loaded):
    assert loaded.exists()
    assert not ExtractedField.objects.exists()  # the load itself extracts nothing
    queued = DBTaskResult.objects.filter(task_path="bihuan.documents.tasks.extract_loaded_documents")
    assert queued.count() == 2  # one per load batch
    queued_ids = sorted(i for t in queued for i in t.args_kwargs["args"][0])
    assert queued_ids == sorted(Case.objects.values_list("pk", flat=True))


def test_extracted_fields_are_those_of_the_text(loaded):
    document = loaded.first()
    assert extract_loaded_documents.call([document.case_id]) == "已提取 1 份导入文书的字段"
    expected = {(f.name, f.group, f.value) for f in extract_fields("indictment", document.text)}
    assert {(f.name, f.group, f.value) for f in document.extracted_fields.all()} == expected
    assert expected  # a generated 起诉书 always has fields


def test_a_document_with_fields_is_not_read_again(loaded):
    first = extract_loaded()
    assert first == loaded.count()
    count = ExtractedField.objects.count()
    assert extract_loaded() == 0
    assert ExtractedField.objects.count() == count
