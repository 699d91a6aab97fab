"""Sharing a case code: the QR link panel on the case page, the QR files, the printable A4
notice, and the public scan page the investigators open without a Bihuan login."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from bihuan.casecode.access import access_scoring_case, may_score
from bihuan.casecode.actions import do_issue_link, do_revoke_link
from bihuan.casecode.exceptions import CodeRefused
from bihuan.casecode.models import CaseCode
from bihuan.casecode.qr import qr_png, qr_svg, qr_svg_inline
from bihuan.casecode.sharing import (
    LinkGone,
    code_sheet,
    current_link,
    link_url,
    log_scan,
    resolve_link,
    scan_allowed,
)
from bihuan.cases.models import Case
from bihuan.web.panels import NavItem, Panel
from bihuan.web.submit import REPEATED, consume_token

LAST_SCANS = 10  # scans listed on the case page


def nav_items(user) -> list[NavItem]:
    return []


def workbench_panels(request) -> list[Panel]:
    return []


def case_panels(request, case) -> list[Panel]:
    """案件码链接: the live link and its QR code, issue/revoke for the handler, the scan log."""
    if not CaseCode.objects.filter(case_id=case.pk).exists():
        return []
    link = current_link(case)
    scans = case.code_scans.all()
    context = {
        "share_link": link,
        "share_url": link_url(link) if link else "",
        "share_svg": qr_svg_inline(link_url(link), scale=3) if link else "",
        "share_may_manage": may_score(request.user, case),
        "share_scan_count": scans.count(),
        "share_scans": scans[:LAST_SCANS],
    }
    return [Panel("casecode/share_panel.html", context, column="aside", order=30)]


# --- the public scan page ------------------------------------------------------------------------


def _refusal(status: int, message: str) -> HttpResponse:
    return _public(render_to_string("casecode/scan_refused.html", {"message": message}), status)


def _public(content: str, status: int = 200) -> HttpResponse:
    """A public page: never cached, never indexed, and the link is not passed on as a referrer."""
    response = HttpResponse(content, status=status)
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
@require_GET
def scan(request: HttpRequest, signed: str) -> HttpResponse:
    """What an investigator sees on scanning the code: the case number, colour, score table and
    open 补充侦查提纲 items, names masked; nothing else of Bihuan. Rendered without the layout's
    context processors (no menu, no person), whoever opens it."""
    address = request.META.get("REMOTE_ADDR", "")
    if not scan_allowed(address):
        return _refusal(429, "访问过于频繁，请一分钟后再试。")
    try:
        token = resolve_link(signed)
    except LinkGone:
        return _refusal(410, "该案件码链接已失效（已撤销或已过期），请向承办检察官索取新的案件码。")
    if token is None:
        return _refusal(404, "案件码链接无效，请核对后重新扫码。")
    case = token.case
    sheet = code_sheet(case, case.code.current)
    log_scan(token, ip=address, user_agent=request.META.get("HTTP_USER_AGENT", ""))
    return _public(render_to_string("casecode/scan.html", {"sheet": sheet}))


# --- the prosecutor's side ----------------------------------------------------------------------


def _live_link_url(case: Case) -> str:
    link = current_link(case)
    if link is None:
        raise Http404("该案件没有有效的案件码链接")
    return link_url(link)


def _download(data: bytes, content_type: str, case: Case, suffix: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="casecode-{case.pk}.{suffix}"'
    return response


@login_required
@require_GET
def qr_png_file(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_scoring_case(request.user, case_id)
    return _download(qr_png(_live_link_url(case)), "image/png", case, "png")


@login_required
@require_GET
def qr_svg_file(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_scoring_case(request.user, case_id)
    return _download(qr_svg(_live_link_url(case)), "image/svg+xml", case, "svg")


@login_required
@require_GET
def notice(request: HttpRequest, case_id: int) -> HttpResponse:
    """The A4 案件码告知单 to print: QR code, case number, colour, score table, open items."""
    case = access_scoring_case(request.user, case_id)
    code = CaseCode.objects.filter(case_id=case.pk).select_related("current__template").first()
    link = current_link(case) if code else None
    context = {
        "case": case,
        "sheet": code_sheet(case, code.current) if code else None,
        "share_svg": qr_svg_inline(link_url(link), scale=4) if link else "",
        "share_link": link,
    }
    return render(request, "casecode/notice.html", context)


@login_required
@require_POST
def issue_link(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_scoring_case(request.user, case_id, for_write=True)
    if not consume_token(request):
        messages.info(request, REPEATED)
        return redirect("cases:detail", case.pk)
    try:
        do_issue_link(case, actor=request.user)
    except CodeRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已生成新的案件码链接，原链接（如有）已失效。")
    return redirect("cases:detail", case.pk)


@login_required
@require_POST
def revoke_link(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_scoring_case(request.user, case_id, for_write=True)
    if not consume_token(request):
        messages.info(request, REPEATED)
        return redirect("cases:detail", case.pk)
    link = current_link(case)
    if link is None:
        messages.error(request, "该案件没有有效的案件码链接。")
    else:
        do_revoke_link(link, actor=request.user)
        messages.success(request, "已撤销案件码链接，扫码将提示链接已失效。")
    return redirect("cases:detail", case.pk)
