"""Scoring (评分): the evaluation page with its live score, the case's code page with the colour
history (转码) and every evaluation's score table, the case-page panel and the list of evaluated
cases (domain-rules §7.4, seed 001 case 6)."""

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bihuan.casecode.access import access_scoring_case, may_score, visible_codes
from bihuan.casecode.actions import active_template, do_evaluate, is_scored, preview_score
from bihuan.casecode.exceptions import CodeRefused
from bihuan.casecode.forms import EvaluationForm
from bihuan.casecode.models import CaseCode, Colour, Deduction, Evaluation, InquiryItem, ScoreItem
from bihuan.cases.models import Case
from bihuan.orgs.scope import reads_cases
from bihuan.web.paging import Seek
from bihuan.web.panels import NavItem, Panel
from bihuan.web.submit import REPEATED, consume_token


def _points(text: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value


# Lowest scores first: the cases that need the most work.
LIST_SEEK = Seek([("score", _points), ("case_id", int)], 50, descending=False)


# --- what the pages show ------------------------------------------------------------------------


@dataclass
class ScoreLine:
    item: ScoreItem
    deduction: Deduction | None


def score_table(evaluation: Evaluation) -> list[ScoreLine]:
    """Every item of the template the evaluation was scored with, and its deduction if any."""
    deductions = {d.item_id: d for d in evaluation.deductions.all()}
    return [ScoreLine(item, deductions.get(item.pk)) for item in evaluation.template.items.all()]


def evaluations_of(case: Case):
    """The case's evaluations, newest first, with their deductions and template items loaded."""
    return (
        Evaluation.objects.filter(case=case)
        .select_related("evaluated_by", "template")
        .prefetch_related(Prefetch("deductions", queryset=Deduction.objects.select_related("item")), "template__items")
        .order_by("-seq")
    )


def inquiries_of(case: Case):
    return InquiryItem.objects.filter(case=case).select_related("item", "raised_in", "closed_in").order_by("id")


def code_context(request: HttpRequest, case: Case) -> dict:
    code = CaseCode.objects.filter(case=case).select_related("current__evaluated_by").first()
    evaluations = list(evaluations_of(case))
    return {
        "code": code,
        "code_evaluations": evaluations,
        "code_inquiries": list(inquiries_of(case)),
        "code_may_score": may_score(request.user, case),
        "code_scored": is_scored(case),
    }


# --- menu and panels ----------------------------------------------------------------------------


def nav_items(user) -> list[NavItem]:
    return [NavItem("casecode:list", "案件码", "casecode", order=30)] if reads_cases(user) else []


def workbench_panels(request) -> list[Panel]:
    return []


def case_panels(request, case) -> list[Panel]:
    """案件码 on the case page: for cases that take a code."""
    if not is_scored(case):
        return []
    return [Panel("casecode/_case_panel.html", code_context(request, case), column="main", order=15)]


# --- pages --------------------------------------------------------------------------------------


@login_required
@require_GET
def code_list(request: HttpRequest) -> HttpResponse:
    """The evaluated cases in the person's scope, by colour."""
    if not reads_cases(request.user):
        raise PermissionDenied("仅办案人员可查看案件码")
    colour = request.GET.get("colour", "")
    rows = visible_codes(request.user).select_related("case", "current__evaluated_by")
    if colour in Colour.values:
        rows = rows.filter(colour=colour)
    context = {"page": LIST_SEEK.page(rows, request.GET), "colour": colour, "colours": Colour.choices}
    return render(request, "casecode/case_list.html", context)


@login_required
@require_GET
def case_code(request: HttpRequest, case_id: int) -> HttpResponse:
    """The case's code: current state, 转码 history with each evaluation's full score table, and
    the 补充侦查提纲."""
    case = access_scoring_case(request.user, case_id)
    context = {"case": case, **code_context(request, case)}
    context["tables"] = [(e, score_table(e)) for e in context["code_evaluations"]]
    return render(request, "casecode/case_code.html", context)


def _form(case: Case, data=None) -> EvaluationForm:
    open_items = InquiryItem.objects.filter(case=case, closed_in=None).select_related("item", "raised_in")
    code = CaseCode.objects.filter(case=case).select_related("current").first()
    return EvaluationForm(data, template=active_template(), open_items=open_items, previous=code and code.current)


def _score_page(request: HttpRequest, case: Case, form: EvaluationForm | None, status: int = 200) -> HttpResponse:
    context = {"case": case, "form": form, "may_score": may_score(request.user, case), "scored": is_scored(case)}
    if form is not None:
        context["template"] = form.template
        context["preview"] = _preview(form)
    return render(request, "casecode/score.html", context, status=status)


def _preview(form: EvaluationForm) -> dict:
    if form.is_bound:
        form.is_valid()  # fills cleaned_data with the fields that parse
    result, problem = preview_score(form.template, form.deductions())
    return {"result": result, "label": Colour(result.colour).label, "problem": problem if form.is_bound else ""}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def score(request: HttpRequest, case_id: int) -> HttpResponse:
    """评分 / 重新评估 by the handling prosecutor; others in scope see the page without the form."""
    writing = request.method == "POST"
    case = access_scoring_case(request.user, case_id, for_write=writing)
    if not may_score(request.user, case):
        return _score_page(request, case, None)
    try:
        form = _form(case, request.POST if writing else None)
    except CodeRefused as exc:  # no template in force
        messages.error(request, str(exc))
        return _score_page(request, case, None, status=400 if writing else 200)
    if not writing:
        return _score_page(request, case, form)
    if not consume_token(request):
        messages.info(request, REPEATED)
        return redirect("casecode:case", case.pk)
    if not form.is_valid():
        messages.error(request, "评分信息有误，请按提示修改。")
        return _score_page(request, case, form, status=400)
    try:
        evaluation = do_evaluate(
            case,
            actor=request.user,
            deductions=form.deductions(),
            inquiries=form.inquiries(),
            note=form.cleaned_data["note"],
        )
    except CodeRefused as exc:
        form.add_error(None, str(exc))
        return _score_page(request, case, form, status=400)
    messages.success(
        request, f"已评分：{evaluation.score}分，{evaluation.get_colour_display()}（第{evaluation.seq}次评分）。"
    )
    return redirect("casecode:case", case.pk)


@login_required
@require_POST
def score_preview(request: HttpRequest, case_id: int) -> HttpResponse:
    """The live score and colour of the form as it stands (htmx); nothing is stored."""
    case = access_scoring_case(request.user, case_id, for_write=True)
    try:
        form = _form(case, request.POST)
    except CodeRefused as exc:
        return HttpResponse(str(exc), status=400)
    return render(request, "casecode/score_preview.html", {"preview": _preview(form)})
