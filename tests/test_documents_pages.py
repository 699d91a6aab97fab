"""The documents tab of a case, the preview with the extracted fields marked, corrections, and the
scoped download of the uploaded file."""

import re
from pathlib import Path
from urllib.parse import quote

import pytest
from django.urls import reverse

from bihuan.documents.actions import do_correct_field, do_reextract
from bihuan.documents.models import Document, ExtractedField
from bihuan.documents.views import highlight
from bihuan.events.models import Event
from tests.documents_helpers import DOCX, INDICTMENT, add_document, make_docx, submit_token


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


INDICTMENT_DOCX = make_docx(INDICTMENT)


@pytest.fixture
def indictment(world) -> Document:
    return add_document(world.case_a, world.people["pros_a"], name="张某某起诉书.docx", data=INDICTMENT_DOCX)


def _as(client, world, role: str):
    client.force_login(world.people[role])
    return client


def _url(name: str, document: Document) -> str:
    return reverse(f"documents:{name}", kwargs={"case_id": document.case_id, "document_id": document.pk})


def _field(document: Document, name: str, group: int = 0) -> ExtractedField:
    return document.extracted_fields.get(name=name, group=group)


def _correct(client, document: Document, field: ExtractedField, value: str, note: str = "", **extra):
    return client.post(
        _url("correct", document),
        {
            "field": field.pk,
            "row_version": field.row_version,
            "value": value,
            "note": note,
            "submit_token": submit_token(client, document.case),
        },
        **extra,
    )


# --- the list -----------------------------------------------------------------------------------


def test_the_case_page_lists_the_documents_in_its_panel(client, world, indictment):
    body = _as(client, world, "pros_a").get(world.case_a.get_absolute_url()).content.decode()
    assert "法律文书" in body
    assert "测检刑诉〔2024〕12号" in body
    assert indictment.get_absolute_url() in body
    assert _url("download", indictment) in body
    assert "上传并提取" in body


def test_a_text_only_document_is_listed_and_previewed_without_a_file(client, world):
    document = world.case_a.documents.create(kind="indictment", number="测检刑诉〔2024〕1号", text="起诉书正文")
    client = _as(client, world, "pros_a")
    body = client.get(reverse("documents:case", kwargs={"case_id": world.case_a.pk})).content.decode()
    assert "仅正文" in body
    assert "起诉书正文" in client.get(document.get_absolute_url()).content.decode()
    assert client.get(_url("download", document)).status_code == 404


def test_the_panel_counts_fields_and_corrections(client, world, indictment):
    do_correct_field(_field(indictment, "name", 1), "张某", "", world.people["pros_a"], seen_version=1)
    body = _as(client, world, "pros_a").get(reverse("documents:case", kwargs={"case_id": world.case_a.pk}))
    row = re.search(r"<tr>.*?</tr>", body.content.decode().split("<tbody>")[1], re.S).group()
    assert f'<td class="num">{indictment.extracted_fields.count()}</td>' in row
    assert '<span class="badge badge-amber">1</span>' in row


# --- the preview --------------------------------------------------------------------------------


def test_the_preview_marks_each_field_at_its_span(client, world, indictment):
    body = _as(client, world, "pros_a").get(indictment.get_absolute_url()).content.decode()
    number = _field(indictment, "doc_number")
    assert re.search(
        rf'<mark class="fld" data-fields="{number.pk}"[^>]* id="f-{number.pk}">测检刑诉〔2024〕12号</mark>', body
    )
    name = _field(indictment, "name", 1)
    assert f'href="#f-{name.pk}"' in body
    assert "被告人 1" in body
    assert "公民身份号码" in body  # field names in Chinese


def test_the_preview_escapes_html_in_the_text(client, world):
    text = "起诉书\n<script>alert('x')</script>\n测检刑诉〔2024〕3号\n<b>粗体</b>\n"
    document = add_document(world.case_a, world.people["pros_a"], name="x.txt", data=text.encode())
    body = _as(client, world, "pros_a").get(document.get_absolute_url()).content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in body
    assert "<script>alert" not in body
    assert "&lt;b&gt;粗体&lt;/b&gt;" in body


def test_overlapping_spans_are_split_and_marked_with_every_field():
    text = "<甲>乙丙丁"
    outer = ExtractedField(pk=1, name="name", value=text, start=0, end=6)
    inner = ExtractedField(pk=2, name="gender", value="乙丙", start=3, end=5)
    marked = str(highlight(text, [outer, inner]))
    title = "姓名：&lt;甲&gt;乙丙丁"
    assert marked == (
        f'<mark class="fld" data-fields="1" title="{title}" id="f-1">&lt;甲&gt;</mark>'
        f'<mark class="fld fld-overlap" data-fields="1 2" title="{title}；性别：乙丙" id="f-2">乙丙</mark>'
        f'<mark class="fld" data-fields="1" title="{title}">丁</mark>'
    )


def test_a_span_outside_the_text_is_ignored():
    assert str(highlight("ab", [ExtractedField(pk=1, name="x", value="", start=5, end=9)])) == "ab"


def test_opening_a_document_is_audited(client, world, indictment):
    _as(client, world, "head").get(indictment.get_absolute_url())
    event = Event.objects.get(action="document.read")
    assert event.actor_id == world.people["head"].pk
    assert event.case_id == world.case_a.pk
    assert "张某某" not in event.summary


# --- corrections --------------------------------------------------------------------------------


def test_a_correction_keeps_the_machine_value_and_records_who_and_when(client, world, indictment):
    field = _field(indictment, "name", 1)
    response = _correct(
        _as(client, world, "pros_a"), indictment, field, "张某甲", "与户籍信息核对", HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "张某甲" in response.content.decode()
    field.refresh_from_db()
    assert field.value == "张某某"
    assert field.corrected_value == "张某甲"
    assert field.effective_value == "张某甲"
    assert field.corrected_by == world.people["pros_a"]
    assert field.corrected_at is not None
    assert field.correction_note == "与户籍信息核对"
    event = Event.objects.get(action="document.field_correct")
    assert event.changes["corrected_value"] == ["张某某", "张某甲"]
    assert event.actor_id == world.people["pros_a"].pk
    page = client.get(indictment.get_absolute_url()).content.decode()
    assert "张某甲" in page
    assert world.people["pros_a"].full_name in page


def test_a_correction_back_to_the_machine_value_withdraws_it(world, indictment):
    field = _field(indictment, "name", 1)
    field = do_correct_field(field, "张某甲", "", world.people["pros_a"], seen_version=1)
    field = do_correct_field(field, "张某某", "核对后恢复", world.people["head"], seen_version=2)
    field.refresh_from_db()
    assert field.corrected_value is None
    assert field.effective_value == "张某某"
    assert (field.corrected_by, field.correction_note) == (world.people["head"], "核对后恢复")
    last = Event.objects.filter(action="document.field_correct").order_by("seq").last()
    assert last.changes["corrected_value"] == ["张某甲", "张某某"]


def test_correcting_the_number_updates_the_document(client, world, indictment):
    _correct(_as(client, world, "pros_a"), indictment, _field(indictment, "doc_number"), "测检刑诉〔2024〕13号")
    indictment.refresh_from_db()
    assert indictment.number == "测检刑诉〔2024〕13号"


def test_a_stale_correction_writes_nothing(client, world, indictment):
    field = _field(indictment, "name", 1)
    do_correct_field(field, "张某乙", "", world.people["pros_b"], seen_version=1)
    stale = ExtractedField(pk=field.pk, row_version=1)
    response = _correct(_as(client, world, "pros_a"), indictment, stale, "张某丙", HTTP_HX_REQUEST="true")
    assert "已被他人更正" in response.content.decode()
    field.refresh_from_db()
    assert field.corrected_value == "张某乙"
    assert Event.objects.filter(action="document.field_correct").count() == 1


def test_a_repeated_correction_is_done_once(client, world, indictment):
    client = _as(client, world, "pros_a")
    field = _field(indictment, "name", 1)
    data = {
        "field": field.pk,
        "row_version": 1,
        "value": "张某甲",
        "note": "",
        "submit_token": submit_token(client, world.case_a),
    }
    client.post(_url("correct", indictment), data)
    client.post(_url("correct", indictment), data)
    assert Event.objects.filter(action="document.field_correct").count() == 1


@pytest.mark.parametrize(("role", "status"), [("city_chief", 403), ("pros_a2", 403), ("other_chief", 404)])
def test_people_who_only_read_the_case_cannot_correct(client, world, indictment, role, status):
    field = _field(indictment, "name", 1)
    response = _correct(_as(client, world, role), indictment, field, "改名")
    assert response.status_code == status
    field.refresh_from_db()
    assert field.corrected_value is None
    assert not Event.objects.filter(action="document.field_correct").exists()


def test_read_only_people_see_no_correction_form(client, world, indictment):
    body = _as(client, world, "city_chief").get(indictment.get_absolute_url()).content.decode()
    assert "张某某" in body
    assert 'name="value"' not in body
    assert "重新提取" not in body


def test_reextraction_keeps_corrections_whose_span_still_matches(world, indictment):
    actor = world.people["pros_a"]
    do_correct_field(_field(indictment, "name", 1), "张某甲", "", actor, seen_version=1)
    moved = _field(indictment, "doc_number")
    moved.start += 1
    moved.save(update_fields=["start"])
    do_correct_field(moved, "测检刑诉〔2024〕99号", "", actor, seen_version=1)
    kept, dropped = do_reextract(indictment, actor)
    assert (kept, dropped) == (1, 1)
    assert _field(indictment, "name", 1).corrected_value == "张某甲"
    assert _field(indictment, "doc_number").corrected_value is None
    indictment.refresh_from_db()
    assert indictment.number == "测检刑诉〔2024〕12号"
    assert "保留人工更正 1 项，作废 1 项" in Event.objects.get(action="document.reextract").summary


def test_a_text_only_document_can_be_extracted_from_its_page(client, world):
    """Documents loaded through the exchange format have text and no file; 重新提取 reads them."""
    document = world.case_a.documents.create(kind="indictment", text=INDICTMENT)
    client = _as(client, world, "pros_a")
    token = submit_token(client, world.case_a)
    response = client.post(_url("reextract", document), {"submit_token": token})
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.number == "测检刑诉〔2024〕12号"
    assert _field(document, "id_number", 1).value == "371002199005170011"


# --- downloads ----------------------------------------------------------------------------------


def test_a_download_in_scope_sends_the_exact_bytes_as_an_attachment(client, world, indictment):
    response = _as(client, world, "pros_a").get(_url("download", indictment))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == INDICTMENT_DOCX
    assert response["Content-Type"] == DOCX
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('张某某起诉书.docx')}" in disposition
    event = Event.objects.get(action="document.download")
    assert event.actor_id == world.people["pros_a"].pk
    assert "张某某" not in event.summary


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("pros_a", 200),
        ("head", 200),
        ("city_chief", 200),  # the upper procuratorate reads
        ("pros_b", 404),  # another team's case
        ("other_chief", 404),  # another procuratorate
        ("investigator", 404),
        ("sysadmin", 404),
        ("auditadmin", 404),
    ],
)
def test_downloads_follow_the_case_scope(client, world, role, status):
    data = INDICTMENT.encode()
    document = add_document(world.case_a, world.people["pros_a"], name="起诉书.txt", data=data)
    response = _as(client, world, role).get(_url("download", document))
    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == data
        assert response["Content-Type"] == "text/plain"
    else:
        assert not Event.objects.filter(action="document.download").exists()


def test_an_anonymous_download_goes_to_the_login_page(client, world, indictment):
    response = client.get(_url("download", indictment))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_a_document_is_reached_only_through_its_own_case(client, world, indictment):
    """Naming another case the person may see, with this document's id, answers 404."""
    other = reverse("documents:download", kwargs={"case_id": world.case_b.pk, "document_id": indictment.pk})
    assert _as(client, world, "head").get(other).status_code == 404
    preview = reverse("documents:detail", kwargs={"case_id": world.case_b.pk, "document_id": indictment.pk})
    assert client.get(preview).status_code == 404


# --- deletion -----------------------------------------------------------------------------------


def _delete(client, document: Document, **extra):
    token = submit_token(client, document.case)
    return client.post(_url("delete", document), {"submit_token": token}, **extra)


def test_an_editor_deletes_a_document_and_its_unshared_file(
    client, world, indictment, data_dir, django_capture_on_commit_callbacks
):
    path = data_dir / "documents" / indictment.file.storage_key
    with django_capture_on_commit_callbacks(execute=True):
        response = _delete(_as(client, world, "pros_a"), indictment, HTTP_HX_REQUEST="true")
    assert response["HX-Redirect"] == reverse("documents:case", kwargs={"case_id": world.case_a.pk})
    assert not Document.objects.filter(pk=indictment.pk).exists()
    assert not ExtractedField.objects.exists()
    assert not path.exists()
    event = Event.objects.get(action="document.delete")
    assert event.changes["number"] == ["测检刑诉〔2024〕12号", None]


def test_a_file_shared_with_another_document_stays(
    client, world, indictment, data_dir, django_capture_on_commit_callbacks
):
    twin = add_document(world.case_b, world.people["pros_b"], name="copy.docx", data=INDICTMENT_DOCX)
    with django_capture_on_commit_callbacks(execute=True):
        _delete(_as(client, world, "pros_a"), indictment)
    assert _as(client, world, "pros_b").get(_url("download", twin)).status_code == 200


@pytest.mark.parametrize(("role", "status"), [("city_chief", 403), ("pros_a2", 403), ("pros_b", 404)])
def test_people_who_do_not_edit_the_case_cannot_delete(client, world, indictment, role, status):
    assert _delete(_as(client, world, role), indictment).status_code == status
    assert Document.objects.filter(pk=indictment.pk).exists()
    assert not Event.objects.filter(action="document.delete").exists()
