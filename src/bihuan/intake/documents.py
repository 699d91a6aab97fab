"""The 案件受理登记表 (Rule 158) of a case, filled from its card and intake record."""

from django.utils import timezone

from bihuan.cases.models import Case
from bihuan.documents.generate import chinese_date, printed_case_no, render_docx
from bihuan.intake.checks import elements, intake_record
from bihuan.intake.models import ElementKind

TEMPLATE = "acceptance_form.docx"


def _measures(suspect) -> str:
    parts = []
    for m in suspect.measures.all():
        text = f"{m.get_kind_display()}（{chinese_date(m.start_date)}起"
        text += f"，{m.place}）" if m.place else "）"
        parts.append(text)
    return "；".join(parts) or "未采取强制措施"


def _deferred_state(item, today) -> str:
    if item.fulfilled_at is not None:
        return f"已补齐（{chinese_date(timezone.localdate(item.fulfilled_at))}）"
    return "逾期未补齐" if item.due_date < today else "未补齐"


def acceptance_form_context(case: Case) -> dict:
    today = timezone.localdate()
    record = intake_record(case)
    accepted_on = timezone.localdate(record.accepted_at) if record and record.accepted_at else None
    materials = []
    handed_over = [e for e in elements(case) if e.requirement.kind == ElementKind.MATERIAL]
    for seq, element in enumerate(handed_over, 1):
        if element.present:
            mark, status = "√", "已接收"
        elif element.deferred is not None:
            mark, status = "×", f"先收后补，{chinese_date(element.deferred.due_date)}前补送"
        else:
            mark, status = "×", "未接收"
        kind = element.requirement.get_kind_display()
        materials.append({"seq": seq, "name": element.name, "kind": kind, "mark": mark, "status": status})
    deferred = []
    if record is not None:
        for n, item in enumerate(record.deferred.select_related("element"), 1):
            deferred.append(
                {
                    "seq": n,
                    "name": item.element.name,
                    "due": chinese_date(item.due_date),
                    "reason": item.reason,
                    "state": _deferred_state(item, today),
                }
            )
    suspects = [
        {
            "seq": s.seq,
            "name": s.name,
            "gender": s.get_gender_display(),
            "birth_date": chinese_date(s.birth_date),
            "measure": _measures(s),
        }
        for s in case.suspects.prefetch_related("measures")
    ]
    return {
        "org_name": case.org.name,
        "doc_number": printed_case_no(case.dept_case_no),
        "date": chinese_date(accepted_on or today),
        "dept_case_no": printed_case_no(case.dept_case_no),
        "unified_case_no": case.unified_case_no,
        "case_name": case.name,
        "case_type": case.get_case_type_display(),
        "procedure": case.get_procedure_display(),
        "source_agency": str(case.source_agency or ""),
        "charge": str(case.charge or ""),
        "transfer_date": chinese_date(case.received_date),
        "received_date": chinese_date(accepted_on) or "（待受理）",
        "registered_by": str(record.registered_by or "") if record else "",
        "accepted_by": str(record.accepted_by or "") if record else "",
        "summary": case.summary,
        "suspects": suspects,
        "materials": materials,
        "deferred": deferred,
    }


def acceptance_form(case: Case) -> tuple[bytes, str]:
    """The filled form and its file name (with the printed 部门受案号)."""
    data = render_docx(TEMPLATE, acceptance_form_context(case))
    return data, f"案件受理登记表-{printed_case_no(case.dept_case_no)}.docx"
