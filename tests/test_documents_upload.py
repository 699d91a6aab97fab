"""Uploading documents: each file type read and its fields stored with their spans; malformed and
hostile files refused with a reason and nothing written; where the bytes are kept."""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.urls import reverse

from bihuan.documents import storage
from bihuan.documents.actions import UploadRefused, do_upload_document, read_upload
from bihuan.documents.models import Document, DocumentFile, ExtractedField
from bihuan.events.models import Event
from tests import factories as f
from tests.documents_helpers import (
    INDICTMENT,
    PNG,
    add_document,
    encrypted_docx,
    encrypted_pdf,
    make_docx,
    make_pdf,
    post_upload,
    stored_files,
    submit_token,
    upload_file,
    zip_bomb,
)

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


def _login(client, world, role: str = "pros_a"):
    client.force_login(world.people[role])
    return client


def _spans_match(document: Document) -> None:
    fields = list(document.extracted_fields.all())
    assert fields
    for field in fields:
        assert 0 <= field.start < field.end <= len(document.text)


# --- each file type -----------------------------------------------------------------------------


def test_a_txt_indictment_is_stored_with_its_fields_and_spans(client, world, data_dir):
    response = post_upload(_login(client, world), world.case_a, "起诉书.txt", INDICTMENT.encode())
    document = Document.objects.get(case=world.case_a)
    assert response.status_code == 302
    assert response["Location"] == document.get_absolute_url()
    assert document.text == INDICTMENT
    fields = {(f.name, f.group): f for f in document.extracted_fields.all()}
    number = fields[("doc_number", 0)]
    assert number.value == "测检刑诉〔2024〕12号"
    assert document.text[number.start : number.end] == "测检刑诉〔2024〕12号"
    name = fields[("name", 1)]
    assert document.text[name.start : name.end] == "张某某"
    assert fields[("id_number", 1)].value == "371002199005170011"
    # The document's own 文号 and 签发日期 come from the extracted fields.
    assert document.number == "测检刑诉〔2024〕12号"
    assert str(document.signed_date) == "2024-03-20"
    file = document.file
    assert (file.file_name, file.file_type, file.size) == ("起诉书.txt", "txt", len(INDICTMENT.encode()))
    assert file.uploaded_by == world.people["pros_a"]
    assert file.extracted_at is not None
    assert storage.path_of(file.storage_key).read_bytes() == INDICTMENT.encode()
    _spans_match(document)


def test_a_docx_is_read_paragraph_by_paragraph(client, world):
    post_upload(_login(client, world), world.case_a, "起诉书.docx", make_docx(INDICTMENT))
    document = Document.objects.get(case=world.case_a)
    assert document.file.file_type == "docx"
    assert "被告人张某某" in document.text
    assert document.number == "测检刑诉〔2024〕12号"
    _spans_match(document)


def test_a_pdf_text_layer_is_read(client, world):
    post_upload(_login(client, world), world.case_a, "notice.pdf", make_pdf(["Notice of transfer", "Case 2024-12"]))
    document = Document.objects.get(case=world.case_a)
    assert document.file.file_type == "pdf"
    assert "Notice of transfer" in document.text


def test_the_type_comes_from_the_content_not_the_name(client, world):
    post_upload(_login(client, world), world.case_a, "scan.txt", make_docx(INDICTMENT))
    assert Document.objects.get(case=world.case_a).file.file_type == "docx"


def test_the_upload_is_audited_without_the_file_name(client, world):
    post_upload(_login(client, world), world.case_a, "张某某起诉书.txt", INDICTMENT.encode())
    event = Event.objects.get(action="document.upload")
    assert event.case_id == world.case_a.pk
    assert world.case_a.dept_case_no in event.summary
    assert "起诉书" in event.summary
    assert "张某某" not in event.summary
    assert "张某某" not in str(event.changes)


def test_the_same_bytes_are_stored_once(world):
    first = add_document(world.case_a, world.people["pros_a"])
    second = add_document(world.case_b, world.people["pros_b"])
    assert first.file.storage_key == second.file.storage_key
    assert first.file.sha256 == second.file.sha256


# --- malformed and hostile uploads --------------------------------------------------------------

HOSTILE = [
    ("wrong type", "起诉书.docx", PNG, "PNG 图片"),
    ("zip bomb", "起诉书.docx", zip_bomb(), "压缩炸弹"),
    ("encrypted docx", "起诉书.docx", encrypted_docx(), "加密"),
    ("encrypted pdf", "起诉书.pdf", encrypted_pdf(), "加密"),
    ("corrupt docx", "起诉书.docx", b"PK\x03\x04" + bytes(100), "损坏"),
    ("empty", "起诉书.txt", b"", "文件为空"),
    ("binary", "起诉书.txt", b"abc\x00\x01\x02def", "二进制"),
]


@pytest.mark.parametrize(("name", "data", "reason"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_a_hostile_upload_is_refused_with_its_reason_and_nothing_is_kept(client, world, data_dir, name, data, reason):
    _login(client, world)
    events = Event.objects.count()
    response = post_upload(client, world.case_a, name, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "文件未上传" in body
    assert reason in body
    assert not Document.objects.exists()
    assert not DocumentFile.objects.exists()
    assert not ExtractedField.objects.exists()
    assert stored_files(data_dir) == []
    assert Event.objects.filter(action="document.upload").count() == 0
    assert Event.objects.count() == events


def test_a_50_mb_upload_is_refused_by_its_size(client, world, data_dir):
    response = post_upload(_login(client, world), world.case_a, "起诉书.txt", b"a" * (50 * MB))
    assert response.status_code == 400
    assert "超过 20 MB 的大小限制" in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(data_dir) == []


def test_the_upload_handler_stops_reading_past_the_limit(client, world, settings, data_dir):
    """A file just over the limit, inside what the request length allows, is cut off while it
    is received."""
    settings.DOCUMENT_MAX_MB = 1
    response = post_upload(_login(client, world), world.case_a, "起诉书.txt", b"a" * (MB + 10))
    assert response.status_code == 400
    assert "超过 1 MB 的大小限制" in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(data_dir) == []


def test_the_action_reads_at_most_one_byte_past_the_limit(settings):
    settings.DOCUMENT_MAX_MB = 1
    with pytest.raises(UploadRefused, match="超过 1 MB"):
        read_upload(upload_file("a.txt", b"a" * (MB + 1)))
    assert read_upload(upload_file("a.txt", b"a" * MB)) == b"a" * MB


def test_a_file_is_removed_when_the_transaction_fails(world, data_dir, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("database down")

    monkeypatch.setattr("bihuan.documents.actions.record", fail)
    with pytest.raises(RuntimeError):
        add_document(world.case_a, world.people["pros_a"])
    assert not Document.objects.exists()
    assert stored_files(data_dir) == []


def test_a_kind_must_be_chosen(client, world, data_dir):
    response = post_upload(_login(client, world), world.case_a, "起诉书.txt", INDICTMENT.encode(), kind="")
    assert response.status_code == 400
    assert not Document.objects.exists()
    assert stored_files(data_dir) == []


def test_an_unknown_kind_is_refused_by_the_action(world):
    with pytest.raises(UploadRefused):
        do_upload_document(world.case_a, upload_file("a.txt", INDICTMENT.encode()), "bogus", world.people["pros_a"])


def test_a_repeated_submit_uploads_once(client, world):
    _login(client, world)
    url = reverse("documents:upload", kwargs={"case_id": world.case_a.pk})
    token = submit_token(client, world.case_a)
    for _ in range(2):
        client.post(
            url, {"kind": "indictment", "file": upload_file("a.txt", INDICTMENT.encode()), "submit_token": token}
        )
    assert Document.objects.filter(case=world.case_a).count() == 1


def test_an_upload_without_the_csrf_token_is_refused(world, data_dir):
    """The upload view installs its size guard before the CSRF check; the check still runs."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people["pros_a"])
    response = post_upload(client, world.case_a, "起诉书.txt", INDICTMENT.encode())
    assert response.status_code == 403
    assert not Document.objects.exists()
    assert stored_files(data_dir) == []


# --- who may upload -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [("city_chief", 403), ("pros_a2", 403), ("committee", 403), ("other_chief", 404), ("investigator", 404)],
)
def test_only_editors_of_the_case_may_upload(client, world, data_dir, role, status):
    """The upper procuratorate and team members who only read the case get 403; people who do
    not see the case get 404, as for a missing case."""
    if role == "committee":
        world.people["committee"] = f.make_person(["committee"], org=world.county)
    response = post_upload(_login(client, world, role), world.case_a, "a.txt", INDICTMENT.encode())
    assert response.status_code == status
    assert not Document.objects.exists()
    assert stored_files(data_dir) == []


def test_the_read_only_page_has_no_upload_form(client, world):
    body = (
        _login(client, world, "city_chief")
        .get(reverse("documents:case", kwargs={"case_id": world.case_a.pk}))
        .content.decode()
    )
    assert "上传并提取" not in body
    body = (
        _login(client, world, "pros_a")
        .get(reverse("documents:case", kwargs={"case_id": world.case_a.pk}))
        .content.decode()
    )
    assert "上传并提取" in body
    assert 'accept=".docx,.pdf,.txt"' in body


# --- storage ------------------------------------------------------------------------------------


def test_files_are_stored_under_data_dir_outside_static(world, settings, data_dir):
    settings.STATIC_ROOT = data_dir.parent / "static"
    document = add_document(world.case_a, world.people["pros_a"])
    path = storage.path_of(document.file.storage_key)
    assert path.is_relative_to(data_dir.resolve() / "documents")
    assert not path.is_relative_to(settings.STATIC_ROOT)
    assert path.name == document.file.sha256
    assert "张某某" not in str(path)


def test_a_data_dir_inside_static_root_is_refused(world, settings, data_dir):
    settings.STATIC_ROOT = data_dir.parent
    with pytest.raises(ImproperlyConfigured):
        add_document(world.case_a, world.people["pros_a"])


def test_a_storage_key_cannot_leave_the_storage_root():
    for key in ("../../etc/passwd", "ab/../../x", "ab/" + "c" * 64):
        with pytest.raises(ValueError):
            storage.path_of(key)
