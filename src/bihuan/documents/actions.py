"""Writes on documents: upload (validate, store, extract), correction of an extracted field,
re-extraction, and the audit records of reading and downloading a document (等级保护 2.0)."""

import re
from collections.abc import Iterable
from datetime import date
from typing import IO

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bihuan.cases.models import Case
from bihuan.cases.signals import case_changed
from bihuan.documents import storage
from bihuan.documents.extract import Field, Rejected, extract_fields, read_text
from bihuan.documents.models import Document, DocumentFile, DocumentKind, ExtractedField
from bihuan.events.actions import record
from bihuan.orgs.models import User

MB = 1024 * 1024
# Extracted fields that fill the document's own 文号 and 签发日期 (group 0: the document itself).
NUMBER_FIELD = "doc_number"
DATE_FIELD = "signed_date"
NUMBER_MAX = Document._meta.get_field("number").max_length
DATE_FORMS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)


class UploadRefused(Exception):
    """The upload was refused; `reason` says why, in Chinese. Nothing was written."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class StaleField(Exception):
    """The field changed since the person loaded it; nothing was written."""


def upload_limit() -> int:
    """The largest file accepted, in bytes (setting DOCUMENT_MAX_MB)."""
    return settings.DOCUMENT_MAX_MB * MB


def too_large_reason() -> str:
    return f"文件超过 {upload_limit() // MB} MB 的大小限制，未上传。"


def read_upload(uploaded: IO[bytes]) -> bytes:
    """The file's bytes, reading at most one byte more than the limit, so a huge file is refused
    by its size before any parsing."""
    limit = upload_limit()
    uploaded.seek(0)
    data = uploaded.read(limit + 1)
    if len(data) > limit:
        raise UploadRefused(too_large_reason())
    return data


def parse_date(value: str) -> date | None:
    """A date written as 2024-03-05 or 2024年3月5日; None for anything else."""
    for form in DATE_FORMS:
        match = form.match(value.strip())
        if match:
            try:
                return date(*(int(part) for part in match.groups()))
            except ValueError:
                return None
    return None


def _header_values(fields: list[ExtractedField]) -> dict:
    """The document's 文号 and 签发日期 from the effective values of its extracted fields."""
    values = {"number": "", "signed_date": None}
    for field in fields:
        if field.group != 0:
            continue
        if field.name == NUMBER_FIELD and len(field.effective_value) <= NUMBER_MAX:
            values["number"] = field.effective_value
        elif field.name == DATE_FIELD:
            values["signed_date"] = parse_date(field.effective_value)
    return values


def _field_rows(document: Document, found: list[Field]) -> list[ExtractedField]:
    return [
        ExtractedField(document=document, name=f.name, group=f.group, value=f.value, start=f.start, end=f.end)
        for f in found
    ]


def extract_loaded(case_ids: Iterable[int] | None = None, *, chunk: int = 1000) -> int:
    """Extract the fields of the documents that arrived as text only — the exchange format
    carries a document's text, never its fields — so that the patrol can compare them with the
    card. Derived data, like the running period: no person acts and no event is recorded.
    Uploaded documents were extracted on upload; a document with fields is left as it is.
    Returns the number of documents read."""
    documents = Document.objects.filter(file__isnull=True, extracted_fields__isnull=True).exclude(text="")
    if case_ids is not None:
        documents = documents.filter(case_id__in=list(case_ids))
    ids = sorted(set(documents.values_list("pk", flat=True)))
    for start in range(0, len(ids), chunk):
        batch = Document.objects.filter(pk__in=ids[start : start + chunk]).only("pk", "kind", "text")
        rows = [row for d in batch for row in _field_rows(d, extract_fields(d.kind, d.text))]
        ExtractedField.objects.bulk_create(rows, batch_size=2000)
    return len(ids)


#
# Upload
#


def do_upload_document(case: Case, uploaded: IO[bytes], kind: str, actor: User) -> Document:
    """Validate, store and extract an uploaded document.

    1. Read at most the size limit plus one byte; a larger file is refused by its size.
    2. Read the text (`read_text` checks the type by content and refuses encrypted, corrupt or
       hostile files); a refusal raises `UploadRefused` and nothing is written.
    3. Extract the fields of the document kind.
    4. Store the bytes (temporary file and rename). This is slow I/O, so it runs before the
       database transaction; if the transaction fails, a file this upload created is removed.
    5. Write the document, its file record and fields, and one audit event.
    """
    if kind not in DocumentKind.values:
        raise UploadRefused("请选择文书种类。")
    data = read_upload(uploaded)
    name = getattr(uploaded, "name", "") or ""
    try:
        file_type, text = read_text(data, name, max_bytes=upload_limit())
    except Rejected as refusal:
        raise UploadRefused(refusal.reason) from refusal
    found = extract_fields(kind, text)
    stored = storage.save(data)
    try:
        document = _record_upload(case, kind, actor, name, file_type, len(data), stored, text, found)
    except BaseException:
        if stored.created and not DocumentFile.objects.filter(storage_key=stored.key).exists():
            storage.discard(stored.key)
        raise
    # A deletion of another document with the same bytes may have removed the shared file between
    # `save` and the commit (see do_delete_document); put it back.
    transaction.on_commit(lambda: storage.save(data), robust=True)
    return document


@transaction.atomic
def _record_upload(
    case: Case,
    kind: str,
    actor: User,
    name: str,
    file_type: str,
    size: int,
    stored: storage.Stored,
    text: str,
    found: list[Field],
) -> Document:
    document = Document.objects.create(case=case, kind=kind, text=text)
    fields = ExtractedField.objects.bulk_create(_field_rows(document, found))
    header = _header_values(fields)
    if any(header.values()):
        Document.objects.filter(pk=document.pk).update(**header)
        for attr, value in header.items():
            setattr(document, attr, value)
    DocumentFile.objects.create(
        document=document,
        file_name=name[:255] or f"{document.get_kind_display()}.{file_type}",
        file_type=file_type,
        size=size,
        sha256=stored.sha256,
        storage_key=stored.key,
        uploaded_by=actor,
        extracted_at=timezone.now(),
    )
    # The summary names only the document kind and the case number: no file name, no person.
    case_changed.send(sender=Case, case_id=case.pk)
    record(
        "document.upload",
        document,
        actor=actor,
        case_id=case.pk,
        org_code=case.org.code,
        summary=f"上传{document.get_kind_display()}（案件 {case.dept_case_no}），提取字段 {len(fields)} 项",
        changes={
            "kind": [None, kind],
            "number": [None, header["number"]],
            "signed_date": [None, header["signed_date"]],
        },
    )
    return document


#
# Corrections and re-extraction
#


@transaction.atomic
def do_correct_field(field: ExtractedField, value: str, note: str, actor: User, *, seen_version: int) -> ExtractedField:
    """Record a person's correction of an extracted field beside the machine value. A value
    equal to the machine value withdraws the correction. Raises `StaleField` when someone else
    changed the field since `seen_version`."""
    document = field.document
    case = document.case
    before = field.effective_value
    corrected = None if value == field.value else value
    now = timezone.now()
    changed = ExtractedField.objects.filter(pk=field.pk, row_version=seen_version).update(
        corrected_value=corrected,
        corrected_by=actor,
        corrected_at=now,
        correction_note=note,
        row_version=F("row_version") + 1,
    )
    if not changed:
        raise StaleField
    field.corrected_value, field.corrected_by, field.corrected_at, field.correction_note = corrected, actor, now, note
    field.row_version = seen_version + 1
    if field.group == 0 and field.name in (NUMBER_FIELD, DATE_FIELD):
        Document.objects.filter(pk=document.pk).update(**_header_values(list(document.extracted_fields.all())))
    case_changed.send(sender=Case, case_id=document.case_id)
    record(
        "document.field_correct",
        field,
        actor=actor,
        case_id=case.pk,
        org_code=case.org.code,
        summary=f"更正{document.get_kind_display()}提取字段“{field.label}”（案件 {case.dept_case_no}）",
        changes={"corrected_value": [before, field.effective_value], "correction_note": [None, note]},
    )
    return field


@transaction.atomic
def do_reextract(document: Document, actor: User) -> tuple[int, int]:
    """Run the extraction again over the document's text, replacing the machine values. A
    correction is kept when the new extraction finds the same field (name and group) at the
    same span with the same machine value; other corrections are dropped (the audit event says
    how many). Returns (corrections kept, corrections dropped)."""
    case = document.case
    # Two re-extractions of one document at once would both replace its fields.
    Document.objects.select_for_update().filter(pk=document.pk).first()
    old = list(document.extracted_fields.all())
    corrections = {(f.name, f.group, f.start, f.end, f.value): f for f in old if f.corrected_at is not None}
    rows = _field_rows(document, extract_fields(document.kind, document.text))
    kept = 0
    for row in rows:
        previous = corrections.get((row.name, row.group, row.start, row.end, row.value))
        if previous is not None:
            row.corrected_value, row.corrected_by_id = previous.corrected_value, previous.corrected_by_id
            row.corrected_at, row.correction_note = previous.corrected_at, previous.correction_note
            kept += 1
    document.extracted_fields.all().delete()
    fields = ExtractedField.objects.bulk_create(rows)
    header = _header_values(fields)
    Document.objects.filter(pk=document.pk).update(**header)
    DocumentFile.objects.filter(document=document).update(extracted_at=timezone.now())
    dropped = len(corrections) - kept
    case_changed.send(sender=Case, case_id=document.case_id)
    record(
        "document.reextract",
        document,
        actor=actor,
        case_id=case.pk,
        org_code=case.org.code,
        summary=(
            f"重新提取{document.get_kind_display()}字段（案件 {case.dept_case_no}）：{len(old)} 项 → {len(fields)} 项，"
            f"保留人工更正 {kept} 项，作废 {dropped} 项"
        ),
        changes={
            name: [getattr(document, name), value] for name, value in header.items() if getattr(document, name) != value
        },
    )
    return kept, dropped


@transaction.atomic
def do_delete_document(document: Document, actor: User) -> None:
    """Delete a document with its fields; its stored file goes after the commit unless another
    document holds the same bytes. The audit event keeps the kind, 文号 and 签发日期."""
    case = document.case
    stored = getattr(document, "file", None)
    case_changed.send(sender=Case, case_id=case.pk)
    record(
        "document.delete",
        document,
        actor=actor,
        case_id=case.pk,
        org_code=case.org.code,
        summary=f"删除{document.get_kind_display()}（案件 {case.dept_case_no}）",
        changes={
            "kind": [document.kind, None],
            "number": [document.number, None],
            "signed_date": [document.signed_date, None],
        },
    )
    document.delete()
    if stored is not None:
        transaction.on_commit(lambda: _discard_unused(stored.storage_key), robust=True)


def _discard_unused(key: str) -> None:
    if not DocumentFile.objects.filter(storage_key=key).exists():
        storage.discard(key)


#
# Reads (等级保护 2.0: every read of a sensitive record is logged)
#


@transaction.atomic
def do_record_document_read(document: Document, actor: User, *, download: bool) -> None:
    """Log that a person opened a document's text (with the suspects' personal data) or
    downloaded its file."""
    case = document.case
    verb = "下载" if download else "查阅"
    record(
        "document.download" if download else "document.read",
        document,
        actor=actor,
        case_id=case.pk,
        org_code=case.org.code,
        summary=f"{verb}{document.get_kind_display()}（案件 {case.dept_case_no}）",
    )
