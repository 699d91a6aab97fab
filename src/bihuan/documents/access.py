"""The one way to fetch documents: through the case they belong to, so the case's role and
organisation scope applies (bihuan.cases.access). Out of scope answers 404 exactly like missing."""

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from bihuan.cases.access import access_case, visible_cases
from bihuan.cases.models import Case
from bihuan.documents.models import Document, ExtractedField
from bihuan.orgs.models import User


def visible_documents(user: User) -> QuerySet[Document]:
    return Document.objects.filter(case__in=visible_cases(user))


def access_document(user: User, case_id: int, document_id: int, *, for_write: bool = False) -> Document:
    """The document `document_id` of case `case_id`; 404 when the case is out of scope or the
    document is missing or belongs to another case, 403 when writing a case the user only reads."""
    case = access_case(user, case_id, for_write=for_write)
    document = case.documents.select_related("file", "file__uploaded_by").filter(pk=document_id).first()
    if document is None:
        raise Http404("文书不存在")
    # The case is already loaded with its scope checked; reuse it.
    document.case = case
    return document


def get_field(document: Document, field_id: int) -> ExtractedField:
    """A field of a document the caller fetched through `access_document` (its scope is checked)."""
    field = document.extracted_fields.filter(pk=field_id).first()
    if field is None:
        raise Http404("字段不存在")
    field.document = document
    return field


def case_documents(case: Case) -> QuerySet[Document]:
    """The documents of a case the caller fetched through `access_case`, with their file and
    the number of fields extracted and corrected, for the documents list."""
    return (
        case.documents.select_related("file", "file__uploaded_by")
        .defer("text")
        .annotate(
            field_count=Count("extracted_fields"),
            corrected_count=Count("extracted_fields", filter=Q(extracted_fields__corrected_value__isnull=False)),
        )
    )
