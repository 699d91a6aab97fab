"""The documents of a case: list and upload, preview with the extracted fields marked in the
text, corrections of a field, and the scoped download of the uploaded file."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from bihuan.cases.access import access_case, can_edit_case
from bihuan.documents import storage
from bihuan.documents.access import access_document, get_field
from bihuan.documents.actions import (
    StaleField,
    UploadRefused,
    do_correct_field,
    do_delete_document,
    do_record_document_read,
    do_reextract,
    do_upload_document,
    too_large_reason,
    upload_limit,
)
from bihuan.documents.forms import CorrectionForm, UploadForm
from bihuan.documents.models import ExtractedField
from bihuan.documents.panels import documents_context
from bihuan.web.submit import REPEATED, consume_token

STALE_FIELD = "该字段已被他人更正，请刷新后重试。"
# Multipart framing around the file (boundaries, the other form fields) is far below this.
FORM_OVERHEAD = 64 * 1024


#
# Upload
#


class LimitedUploadHandler(FileUploadHandler):
    """Stops reading an upload once the file passes the size limit, so a huge file is neither
    kept in memory nor written to a temporary file; the view then refuses it by its size."""

    def __init__(self, request: HttpRequest, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.received = 0
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.exceeded = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def _content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def _case_page(
    request: HttpRequest, case, *, form: UploadForm | None = None, refusal: str = "", status: int = 200
) -> HttpResponse:
    context = {"case": case, "refusal": refusal, **documents_context(request, case, form)}
    return render(request, "documents/case.html", context, status=status)


@login_required
@require_GET
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case's documents tab."""
    return _case_page(request, access_case(request.user, case_id))


@login_required
@require_POST
@csrf_exempt
def upload(request: HttpRequest, case_id: int) -> HttpResponse:
    """Upload a document. The size guard is put in place before anything reads the body, the
    CSRF check included, which then runs in `_upload` (the pattern of Django's file upload
    documentation). A request announcing more than the limit is refused before its body is read;
    that refusal writes nothing."""
    case = access_case(request.user, case_id, for_write=True)
    if _content_length(request) > upload_limit() + FORM_OVERHEAD:
        return _refused(request, case, too_large_reason())
    handler = LimitedUploadHandler(request, upload_limit())
    request.upload_handlers.insert(0, handler)
    return _upload(request, case, handler)


@csrf_protect
def _upload(request: HttpRequest, case, handler: LimitedUploadHandler) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if handler.exceeded:
        return _refused(request, case, too_large_reason(), kind=request.POST.get("kind", ""))
    if not consume_token(request):
        messages.info(request, REPEATED)
        return redirect("documents:case", case_id=case.pk)
    if not form.is_valid():
        return _case_page(request, case, form=form, status=400)
    try:
        document = do_upload_document(case, form.cleaned_data["file"], form.cleaned_data["kind"], request.user)
    except UploadRefused as refusal:
        return _refused(request, case, refusal.reason, kind=form.cleaned_data["kind"])
    messages.success(request, f"已上传{document.get_kind_display()}，提取字段 {document.extracted_fields.count()} 项。")
    return redirect("documents:detail", case_id=case.pk, document_id=document.pk)


def _refused(request: HttpRequest, case, reason: str, *, kind: str = "") -> HttpResponse:
    """The documents page again with the reason; the kind stays chosen, the file must be chosen anew."""
    form = UploadForm(initial={"kind": kind})
    return _case_page(request, case, form=form, refusal=f"文件未上传：{reason.rstrip('。')}。", status=400)


#
# Preview
#


def highlight(text: str, fields: list[ExtractedField]) -> SafeString:
    """The text with every field's span wrapped in <mark>. Overlapping spans split the text at
    every span boundary; each piece is marked with all the fields covering it, and the first
    piece of a field carries its anchor (id="f-<field id>"). Every piece of text is escaped."""
    spans = [(max(f.start, 0), min(f.end, len(text)), f) for f in fields]
    spans = [(start, end, f) for start, end, f in spans if start < end]
    cuts = sorted({0, len(text), *(s for s, _, _ in spans), *(e for _, e, _ in spans)})
    anchored: set[int] = set()
    pieces = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        covering = [f for start, end, f in spans if start <= left and right <= end]
        if not covering:
            pieces.append(escape(text[left:right]))
            continue
        anchors = [f.pk for f in covering if f.pk not in anchored]
        anchored.update(anchors)
        anchor = format_html(' id="f-{}"', anchors[0]) if anchors else ""
        pieces.append(
            format_html(
                '<mark class="fld{}" data-fields="{}" title="{}"{}>{}</mark>',
                " fld-overlap" if len(covering) > 1 else "",
                " ".join(str(f.pk) for f in covering),
                "；".join(f"{f.label}：{f.effective_value}" for f in covering),
                anchor,
                text[left:right],
            )
        )
    # Each piece above is escaped (escape/format_html); joining them keeps that.
    return mark_safe("".join(pieces))  # noqa: S308


@login_required
@require_GET
def detail(request: HttpRequest, case_id: int, document_id: int) -> HttpResponse:
    document = access_document(request.user, case_id, document_id)
    fields = list(document.extracted_fields.select_related("corrected_by"))
    do_record_document_read(document, request.user, download=False)
    context = {
        "case": document.case,
        "document": document,
        "fields": fields,
        "marked": highlight(document.text, fields),
        "can_correct": can_edit_case(request.user, document.case),
    }
    return render(request, "documents/detail.html", context)


@login_required
@require_POST
def correct(request: HttpRequest, case_id: int, document_id: int) -> HttpResponse:
    """Correct one extracted field. htmx swaps the field's row; a plain form post returns to the
    preview."""
    document = access_document(request.user, case_id, document_id, for_write=True)
    form = CorrectionForm(request.POST)
    field_id = request.POST.get("field", "")
    field = get_field(document, int(field_id) if field_id.isdigit() else 0)
    error = ""
    if not consume_token(request):
        error = REPEATED
    elif not form.is_valid():
        error = "；".join(e for errors in form.errors.values() for e in errors)
    else:
        try:
            field = do_correct_field(
                field,
                form.cleaned_data["value"],
                form.cleaned_data["note"],
                request.user,
                seen_version=form.cleaned_data["row_version"],
            )
        except StaleField:
            error = STALE_FIELD
        field.refresh_from_db()
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, f"已更正“{field.label}”。")
        return redirect(f"{document.get_absolute_url()}#row-{field.pk}")
    context = {"case": document.case, "document": document, "field": field, "can_correct": True, "error": error}
    return render(request, "documents/_field_row.html", context)


@login_required
@require_POST
def reextract(request: HttpRequest, case_id: int, document_id: int) -> HttpResponse:
    document = access_document(request.user, case_id, document_id, for_write=True)
    if not consume_token(request):
        messages.info(request, REPEATED)
    else:
        kept, dropped = do_reextract(document, request.user)
        messages.success(request, f"已重新提取字段；保留人工更正 {kept} 项，作废 {dropped} 项。")
    return redirect(document.get_absolute_url())


@login_required
@require_POST
def delete(request: HttpRequest, case_id: int, document_id: int) -> HttpResponse:
    document = access_document(request.user, case_id, document_id, for_write=True)
    if not consume_token(request):
        messages.info(request, REPEATED)
        return redirect(document.get_absolute_url())
    do_delete_document(document, request.user)
    messages.success(request, f"已删除{document.get_kind_display()}。")
    url = reverse("documents:case", kwargs={"case_id": case_id})
    if request.htmx:
        # The form asks for confirmation through htmx (hx-confirm); the browser then goes to the list.
        return HttpResponse(headers={"HX-Redirect": url})
    return redirect(url)


#
# Download
#


@login_required
@require_GET
def download(request: HttpRequest, case_id: int, document_id: int) -> FileResponse:
    """The uploaded file, to people who may see the case (等级保护 2.0: every download is logged).
    A document without a file (loaded as text) has nothing to download: 404."""
    document = access_document(request.user, case_id, document_id)
    stored = getattr(document, "file", None)
    if stored is None:
        raise Http404("该文书没有上传文件")
    path = storage.path_of(stored.storage_key)
    if not path.is_file():
        raise Http404("文件不存在")
    do_record_document_read(document, request.user, download=True)
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=stored.file_name, content_type=stored.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
