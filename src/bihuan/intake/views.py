"""The intake desk (受理台) of the case-management office: register, check, accept, print."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bihuan.cases.access import can_edit_case
from bihuan.cases.actions import STALE_MESSAGE, StaleCase, do_record_case_read
from bihuan.cases.choices import Stage
from bihuan.cases.models import Case
from bihuan.documents.generate import docx_response
from bihuan.intake.access import (
    access_deferred,
    access_intake_case,
    open_deferred,
    pending_cases,
    recent_acceptances,
    require_desk,
    require_intake,
    works_intake,
)
from bihuan.intake.actions import IntakeError, do_accept, do_fulfil_deferred, do_register_case, do_set_received
from bihuan.intake.checks import elements, intake_record
from bihuan.intake.documents import acceptance_form
from bihuan.intake.forms import AcceptForm, FulfilForm, MaterialsForm, RegisterForm, SuspectFormSet
from bihuan.web.submit import REPEATED, consume_token


@login_required
@require_GET
def desk(request: HttpRequest) -> HttpResponse:
    require_desk(request.user)
    context = {
        "pending": pending_cases(request.user),
        "recent": recent_acceptances(request.user),
        "deferred": open_deferred(request.user),
        "today": timezone.localdate(),
        "can_register": works_intake(request.user),
    }
    return render(request, "intake/desk.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    require_intake(request.user)
    user = request.user
    if request.method != "POST":
        form, suspects = RegisterForm(user=user), SuspectFormSet(prefix="s")
        return render(request, "intake/register.html", {"form": form, "suspects": suspects})
    if not consume_token(request):
        messages.info(request, REPEATED)
        return redirect("intake:desk")
    form = RegisterForm(request.POST, user=user)
    valid = form.is_valid()
    # The suspects' ages are checked against the receipt date, when that date itself is valid.
    received_date = form.cleaned_data.get("received_date")
    suspects = SuspectFormSet(request.POST, prefix="s", form_kwargs={"received_date": received_date})
    if not (suspects.is_valid() and valid):
        messages.error(request, "登记信息有误，请按提示修改。")
        return render(request, "intake/register.html", {"form": form, "suspects": suspects}, status=400)
    data = form.cleaned_data
    case = do_register_case(
        org=user.org,
        actor=user,
        case_type=data["case_type"],
        name=data["name"],
        received_date=data["received_date"],
        suspects=[f.suspect_fields() for f in suspects.forms if f.cleaned_data],
        received=data["received"],
        tags=data["tags"],
        source_agency=data["source_agency"],
        department=data["department"],
        charge=data["charge"],
        procedure=data["procedure"],
        is_major_complex=data["is_major_complex"],
        likely_sentence=data["likely_sentence"],
        summary=data["summary"],
    )
    messages.success(request, f"已登记：部门受案号 {case.dept_case_no}，统一受案号 {case.unified_case_no}。")
    return redirect("intake:case", case.pk)


def _case_page(request: HttpRequest, case: Case, *, accept_form: AcceptForm | None = None, status: int = 200):
    found = elements(case)
    missing = [e for e in found if not e.present]
    can_act = works_intake(request.user) and can_edit_case(request.user, case)
    record = intake_record(case)
    context = {
        "case": case,
        "elements": found,
        "missing": missing,
        "record": record,
        "deferred": record.deferred.select_related("element", "fulfilled_by") if record else [],
        "suspects": case.suspects.prefetch_related("measures"),
        "today": timezone.localdate(),
        "can_act": can_act,
        "registered": case.stage == Stage.REGISTERED,
    }
    if can_act:
        version = {"row_version": case.row_version}
        received = record.received.all() if record else []
        context["materials_form"] = MaterialsForm(initial={**version, "materials": received}, case_type=case.case_type)
        if case.stage == Stage.REGISTERED:
            context["accept_form"] = accept_form or AcceptForm(initial=version, missing=missing)
    return render(request, "intake/case.html", context, status=status)


@login_required
@require_GET
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_intake_case(request.user, case_id)
    return _case_page(request, case)


@login_required
@require_POST
def materials(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_intake_case(request.user, case_id, for_write=True)
    if not consume_token(request):
        messages.info(request, REPEATED)
        return redirect("intake:case", case.pk)
    form = MaterialsForm(request.POST, case_type=case.case_type)
    if not form.is_valid():
        messages.error(request, "提交的材料清单有误，请刷新后重试。")
        return redirect("intake:case", case.pk)
    try:
        do_set_received(
            case, form.cleaned_data["materials"], actor=request.user, expected_version=form.cleaned_data["row_version"]
        )
    except StaleCase:
        messages.error(request, STALE_MESSAGE)
    else:
        messages.success(request, "已更新已接收材料。")
    return redirect("intake:case", case.pk)


@login_required
@require_POST
def accept(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_intake_case(request.user, case_id, for_write=True)
    if not consume_token(request):
        messages.info(request, REPEATED)
        return redirect("intake:case", case.pk)
    form = AcceptForm(request.POST, missing=[e for e in elements(case) if not e.present])
    if not form.is_valid():
        messages.error(request, "先收后补信息有误，请按提示修改。")
        return _case_page(request, case, accept_form=form, status=400)
    try:
        do_accept(
            case,
            actor=request.user,
            expected_version=form.cleaned_data["row_version"],
            defer=form.cleaned_data["defer"],
        )
    except StaleCase:
        messages.error(request, STALE_MESSAGE)
    except IntakeError as exc:
        messages.error(request, str(exc))
        return _case_page(request, case, accept_form=form, status=400)
    else:
        messages.success(request, f"已受理 {case.dept_case_no}。")
    return redirect("intake:case", case.pk)


@login_required
@require_POST
def fulfil(request: HttpRequest, case_id: int) -> HttpResponse:
    case = access_intake_case(request.user, case_id, for_write=True)
    if not consume_token(request):
        messages.info(request, REPEATED)
        return redirect("intake:case", case.pk)
    form = FulfilForm(request.POST)
    if not form.is_valid():
        messages.error(request, "提交的信息有误，请刷新后重试。")
        return redirect("intake:case", case.pk)
    item = access_deferred(case, form.cleaned_data["item"])
    try:
        do_fulfil_deferred(item, actor=request.user, expected_version=form.cleaned_data["row_version"])
    except StaleCase:
        messages.error(request, STALE_MESSAGE)
    except IntakeError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"“{item.element.name}”已补齐。")
    return redirect("intake:case", case.pk)


@login_required
@require_GET
def form_docx(request: HttpRequest, case_id: int) -> HttpResponse:
    """The 案件受理登记表 as a DOCX download; it names the suspects, so the read is logged."""
    case = access_intake_case(request.user, case_id)
    data, filename = acceptance_form(case)
    do_record_case_read(case, request.user)
    return docx_response(data, filename)
