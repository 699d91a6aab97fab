"""通知书登记簿: the numbered 案件流程监控通知书 with their lights, a notice's page with its DOCX,
the department's written reply and the office's verification (Rule 665: 10 日以内书面回复;
domain-rules §3.3: 黄灯 → 红灯)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from bihuan.documents.generate import docx_response
from bihuan.patrol import actions
from bihuan.patrol.access import (
    OFFICE_ONLY,
    access_notice,
    is_office,
    may_reply,
    require_reader,
    visible_notices,
)
from bihuan.patrol.forms import NoticeFilterForm, ReplyForm, VerifyForm
from bihuan.patrol.models import FindingStatus, Reply
from bihuan.patrol.notice import notice_docx
from bihuan.patrol.views import REFUSALS, paged, posted_form, refusal_text
from bihuan.web.paging import Seek

NOTICE_SEEK = Seek([("id", int)], 50)


@login_required
@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    """The register, newest first: number, case, department, severity, 报告检察长, issued, due,
    light, replied (late or not), status."""
    user = request.user
    require_reader(user)
    form = NoticeFilterForm(request.GET, user=user)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        notices = form.apply(visible_notices(user))
        replies = Reply.objects.filter(notice_id=OuterRef("pk"))
        rows = notices.select_related("case", "department").annotate(
            replied=Exists(replies), replied_late=Exists(replies.filter(late=True))
        )
        context.update(paged(request, form, NOTICE_SEEK, rows, notices))
    return render(request, "patrol/notices.html", context)


def notice_context(request: HttpRequest, notice) -> dict[str, Any]:
    user = request.user
    findings = list(notice.findings.select_related("rule").order_by("id"))
    open_ = notice.closed_at is None
    awaiting = any(f.status == FindingStatus.REPLIED for f in findings)
    return {
        "notice": notice,
        "findings": findings,
        "replies": list(notice.replies.select_related("replied_by")),
        "verifications": list(notice.verifications.select_related("verified_by")),
        "reply_form": ReplyForm()
        if may_reply(user, notice) and any(f.status == FindingStatus.OPEN for f in findings)
        else None,
        "verify_form": VerifyForm() if open_ and awaiting and is_office(user, notice.org_id) else None,
    }


@login_required
@require_GET
def notice_page(request: HttpRequest, notice_id: int) -> HttpResponse:
    notice = access_notice(request.user, notice_id)
    return render(request, "patrol/notice.html", notice_context(request, notice))


@login_required
@require_GET
def notice_download(request: HttpRequest, notice_id: int) -> HttpResponse:
    """The notice as a DOCX (GB/T 9704 layout)."""
    notice = access_notice(request.user, notice_id)
    return docx_response(notice_docx(notice), f"patrol-notice-{notice.pk}.docx")


@login_required
@require_POST
def reply(request: HttpRequest, notice_id: int) -> HttpResponse:
    """The department's written reply: 核查情况, 已整改 or 有异议 with reasons."""
    notice = access_notice(request.user, notice_id)
    if not may_reply(request.user, notice):
        raise PermissionDenied("仅被通知部门的负责人或检察官可回复")
    form = posted_form(request, ReplyForm)
    if form is not None:
        data = form.cleaned_data
        try:
            done = actions.do_reply(
                notice,
                actor=request.user,
                findings_checked=data["findings_checked"],
                outcome=data["outcome"],
                reasons=data["reasons"],
            )
        except REFUSALS as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(request, "回复已提交（逾期回复）。" if done.late else "回复已提交。")
    return redirect("patrol:notice", notice.pk)


@login_required
@require_POST
def verify(request: HttpRequest, notice_id: int) -> HttpResponse:
    """The office's verification: 销号 or 重新打开, with 核查意见."""
    notice = access_notice(request.user, notice_id)
    if not is_office(request.user, notice.org_id):
        raise PermissionDenied(OFFICE_ONLY)
    form = posted_form(request, VerifyForm)
    if form is not None:
        closed = form.cleaned_data["verdict"] == "close"
        try:
            actions.do_verify(notice, actor=request.user, closed=closed, note=form.cleaned_data["note"])
        except REFUSALS as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(request, "已核查销号。" if closed else "已重新打开，请被通知部门重新整改。")
    return redirect("patrol:notice", notice.pk)
