"""The investigators' pages (本单位案件码, 复核申请), the joint review decision and the 诉前会商 record
on the case page, the reminder lists (重新评估, 诉前会商, 责任倒查) and the intake gate (扫码受理)."""

from decimal import Decimal, InvalidOperation

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from bihuan.casecode.access import access_scoring_case, may_score
from bihuan.casecode.actions import do_decide_review, do_file_review, do_gate_check, do_record_consultation
from bihuan.casecode.exceptions import CodeRefused
from bihuan.casecode.gate import find_for_gate, latest_return
from bihuan.casecode.models import CaseCode, GateCheck, GateDecision, ReviewDecision, ReviewStatus
from bihuan.casecode.reminders import (
    CONSULTATION_LEAD_DAYS,
    CUSTODY_BASIS,
    accountability,
    consultations_due,
    custody_deadline,
    reevaluations_due,
)
from bihuan.casecode.reviews import (
    ClaimDecision,
    ClaimInput,
    access_agency_case,
    agency_codes,
    agency_investigators,
    agency_reviews,
    consultations_of,
    is_investigator,
    pending_review,
    pending_reviews,
    reviews_of,
)
from bihuan.casecode.sharing import code_sheet
from bihuan.cases.access import access_case, visible_cases
from bihuan.cases.models import Case
from bihuan.intake.access import access_intake_case, own_cases, reads_desk, require_desk, require_intake, works_intake
from bihuan.orgs.choices import RoleCode
from bihuan.web.panels import NavItem, Panel
from bihuan.web.submit import REPEATED, consume_token

# Rows each list shows on the workbench and on the office's page.
WORKBENCH_ROWS = 10
LIST_ROWS = 200


def nav_items(user) -> list[NavItem]:
    items = []
    if is_investigator(user):
        items.append(NavItem("casecode:agency", "本单位案件码", "casecode", order=1))
    if reads_desk(user):
        items.append(NavItem("casecode:due", "案件码提醒", "casecode", order=6))
    if works_intake(user):
        items.append(NavItem("casecode:gate", "扫码受理", "casecode", order=6))
    return items


def workbench_panels(request) -> list[Panel]:
    """The prosecutor's own cases: pending review requests, re-evaluations due, consultations due."""
    user = request.user
    if not (user.is_authenticated and user.has_role(RoleCode.PROSECUTOR)):
        return []
    mine = visible_cases(user).filter(prosecutor_id=user.pk)
    today = timezone.localdate()
    context = {
        "due_reviews": list(pending_reviews(mine)[:WORKBENCH_ROWS]),
        "due_reevaluations": _overdue(list(reevaluations_due(mine, today)[:WORKBENCH_ROWS]), today),
        "due_consultations": _deadlines(list(consultations_due(mine, today)[:WORKBENCH_ROWS]), today),
    }
    if not any(context.values()):
        return []
    return [Panel("casecode/due_workbench.html", context, order=12)]


def case_panels(request, case) -> list[Panel]:
    """复核申请 and 诉前会商 of a coded case; the handler decides and records them here."""
    code = CaseCode.objects.filter(case_id=case.pk).first()
    if code is None:
        return []
    scorer = may_score(request.user, case)
    pending = pending_review(case)
    context = {
        "review_code": code,
        "review_pending": pending,
        "review_claims": list(pending.claims.select_related("deduction__item")) if pending else [],
        "review_history": [r for r in reviews_of(case) if r.status != ReviewStatus.PENDING],
        "review_may_decide": scorer,
        "review_investigators": list(agency_investigators(case.source_agency_id)) if scorer and pending else [],
        "review_decisions": ReviewDecision.choices,
        "consult_list": list(consultations_of(case)),
        "consult_form": ConsultationForm() if scorer else None,
        "gate_checks": list(GateCheck.objects.filter(coded_case=case).select_related("case", "decided_by")),
    }
    return [Panel("casecode/review_panel.html", context, column="main", order=31)]


def _overdue(codes: list[CaseCode], today) -> list[CaseCode]:
    for code in codes:
        code.days_overdue = (today - code.reevaluate_by).days
    return codes


def _deadlines(cases: list[Case], today) -> list[Case]:
    for case in cases:
        case.custody_deadline = custody_deadline(case.arrested_on)
        case.days_left = (case.custody_deadline - today).days
    return cases


#
# Investigators
#


@login_required
@require_GET
def agency_list(request: HttpRequest) -> HttpResponse:
    if not is_investigator(request.user):
        raise PermissionDenied("仅侦查人员可查看本单位案件码")
    codes = list(agency_codes(request.user)[:LIST_ROWS])
    return render(request, "casecode/agency_list.html", {"codes": codes, "agency": request.user.agency})


@login_required
@require_GET
def agency_case(request: HttpRequest, case_id: int) -> HttpResponse:
    """The investigator's view of one code: the scan page's sheet, the review requests, and the
    form to file one (against the current evaluation's deductions). The prosecutor's texts have
    the suspects' names masked."""
    case = access_agency_case(request.user, case_id)
    sheet = code_sheet(case, case.code.current)
    reviews = agency_reviews(case)
    context = {
        "case_id": case.pk,
        "sheet": sheet,
        "reviews": reviews,
        "pending": next((r for r in reviews if r.status == ReviewStatus.PENDING), None),
        "deducted": [row for row in sheet.rows if row.deduction],
    }
    return render(request, "casecode/agency_case.html", context)


@login_required
@require_POST
def file_review(request: HttpRequest, case_id: int) -> HttpResponse:
    """复核申请: one reason per disputed deduction (a filled reason marks the deduction disputed)."""
    case = access_agency_case(request.user, case_id)
    if not consume_token(request):
        messages.info(request, REPEATED)
        return redirect("casecode:agency_case", case.pk)
    claims = [
        ClaimInput(int(key.removeprefix("reason_")), value)
        for key, value in request.POST.items()
        if key.startswith("reason_") and key.removeprefix("reason_").isdigit() and value.strip()
    ]
    try:
        do_file_review(case, actor=request.user, claims=claims, reason=request.POST.get("reason", ""))
    except CodeRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "复核申请已提交，承办检察官将与侦查人员共同评议。")
    return redirect("casecode:agency_case", case.pk)


#
# The prosecutor's side
#


def _restored(text: str) -> Decimal:
    try:
        value = Decimal(text or "0")
    except InvalidOperation:
        raise CodeRefused("恢复分值应为数字。") from None
    if not value.is_finite():
        raise CodeRefused("恢复分值应为数字。")
    return value


@login_required
@require_POST
def decide_review(request: HttpRequest, case_id: int) -> HttpResponse:
    """The joint decision on the case's pending review (检警双方共同评议)."""
    case = access_scoring_case(request.user, case_id, for_write=True)
    if not consume_token(request):
        messages.info(request, REPEATED)
        return redirect(case.get_absolute_url())
    review = pending_review(case)
    if review is None:
        raise Http404("没有待评议的复核申请")
    post = request.POST
    try:
        decisions = [
            ClaimDecision(
                claim_id=claim_id,
                decision=post.get(f"decision_{claim_id}", ""),
                reason=post.get(f"reason_{claim_id}", ""),
                restored=_restored(post.get(f"restored_{claim_id}", "")),
            )
            for claim_id in review.claims.values_list("pk", flat=True)
        ]
        agreed_by = agency_investigators(case.source_agency_id).filter(pk=_int(post.get("agreed_by"))).first()
        review = do_decide_review(
            review, actor=request.user, decisions=decisions, agreed_by=agreed_by, reason=post.get("reason", "")
        )
    except CodeRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"复核评议结果：{review.get_decision_display()}。")
    return redirect(case.get_absolute_url())


def _int(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() else None


class ConsultationForm(forms.Form):
    held_on = forms.DateField(label="会商日期", widget=forms.DateInput(attrs={"type": "date"}))
    participants = forms.CharField(label="参加人员", widget=forms.Textarea(attrs={"rows": 2}))
    opinions = forms.CharField(label="会商意见", widget=forms.Textarea(attrs={"rows": 3}))
    conclusion = forms.CharField(label="会商结论", widget=forms.Textarea(attrs={"rows": 2}))


@login_required
@require_POST
def record_consultation(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_scoring_case(request.user, case_id, for_write=True)
    if not consume_token(request):
        messages.info(request, REPEATED)
        return redirect(case.get_absolute_url())
    form = ConsultationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "诉前会商记录不完整：请填写会商日期、参加人员、会商意见和会商结论。")
        return redirect(case.get_absolute_url())
    try:
        do_record_consultation(case, actor=request.user, **form.cleaned_data)
    except CodeRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已记录诉前会商。")
    return redirect(case.get_absolute_url())


#
# The case-management office: reminder lists
#


@login_required
@require_GET
def due_list(request: HttpRequest) -> HttpResponse:
    """The procuratorate's due re-evaluations, consultations due and the 责任倒查 list."""
    require_desk(request.user)
    cases = own_cases(request.user)
    today = timezone.localdate()
    context = {
        "today": today,
        "reevaluations": _overdue(list(reevaluations_due(cases, today)[:LIST_ROWS]), today),
        "consultations": _deadlines(list(consultations_due(cases, today)[:LIST_ROWS]), today),
        "accountable": accountability(cases, today)[:LIST_ROWS],
        "lead_days": CONSULTATION_LEAD_DAYS,
        "custody_basis": CUSTODY_BASIS,
    }
    return render(request, "casecode/due_list.html", context)


#
# The intake gate
#


class GateForm(forms.Form):
    coded_case = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(label="处理", choices=GateDecision.choices)
    due_date = forms.DateField(
        label="期限",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="延期受理、先收后补须填写",
    )
    reason = forms.CharField(label="理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))


@login_required
@require_GET
def gate(request: HttpRequest) -> HttpResponse:
    """扫码受理: scan or type, then see the code and the decisions its colour allows."""
    require_intake(request.user)
    query = request.GET.get("q", "").strip()
    context = {"query": query, "match": None, "decisions": []}
    if query:
        try:
            match = find_for_gate(request.user, query)
        except CodeRefused as exc:
            context["error"] = str(exc)
        else:
            context["match"] = match
            context["decisions"] = [(d, GateDecision(d).label) for d in match.allowed]
            if match.incoming:
                context["form"] = GateForm(initial={"coded_case": match.coded_case.pk})
                context["checks"] = list(GateCheck.objects.filter(case=match.incoming).select_related("decided_by"))
    return render(request, "casecode/gate.html", context)


@login_required
@require_POST
def gate_decide(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_intake_case(request.user, case_id, for_write=True)
    back = f"{reverse('casecode:gate')}?{urlencode({'q': case.dept_case_no})}"
    if not consume_token(request):
        messages.info(request, REPEATED)
        return redirect(back)
    form = GateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "扫码受理信息有误，请重新选择处理方式。")
        return redirect(back)
    data = form.cleaned_data
    coded = visible_cases(request.user).filter(pk=data["coded_case"]).first()
    if coded is None:
        raise Http404("案件不存在")
    try:
        check = do_gate_check(
            case,
            actor=request.user,
            coded_case=coded,
            decision=data["decision"],
            due_date=data["due_date"],
            reason=data["reason"],
        )
    except CodeRefused as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(request, f"已记录：{check.get_colour_display()}，{check.get_decision_display()}。")
    if check.decision == GateDecision.RETURN:
        return redirect("casecode:gate_notice", case.pk)
    return redirect(back)


@login_required
@require_GET
def gate_notice(request: HttpRequest, case_id: int) -> HttpResponse:
    """退回补送: the printable list of the open 补充侦查 items of the case's last return at the gate."""
    case = access_case(request.user, case_id)
    check = latest_return(case)
    items = []
    if check is not None and check.coded_case is not None:
        items = list(check.coded_case.inquiry_items.filter(closed_in=None).select_related("item"))
    context = {"case": case, "check": check, "items": items}
    return render(request, "casecode/gate_notice.html", context)
