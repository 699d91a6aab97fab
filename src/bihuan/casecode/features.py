"""The case-code colour as a triage feature (issue 4 §6: green → fast track, yellow/red → careful
track, through the triage rules rather than special code).

A case's colour is the current code of its matter: the case's own code, else the code of a case of
the same matter (same 统一受案号, e.g. the 审查逮捕 case that was scored before the 审查起诉 one),
the most recently evaluated; "none" when the matter was never scored.
"""

from datetime import date

from django.db.models import Q

from bihuan.casecode.models import CaseCode, Colour
from bihuan.cases.models import Case
from bihuan.triage.features import STR, Feature, register_feature

NAME = "case_code"
NONE = "none"


def _values() -> dict[str, str]:
    return {**{value: str(label) for value, label in Colour.choices}, NONE: "未赋码"}


FEATURE = Feature(NAME, "案件码颜色", STR, _values)


def case_code_colours(case_ids: list[int], today: date) -> dict[int, dict]:
    """{case_id: {"case_code": colour}} for a batch of cases, in two queries."""
    matters = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "unified_case_no"))
    numbers = {number for number in matters.values() if number}
    codes = (
        CaseCode.objects.filter(Q(case_id__in=case_ids) | Q(case__unified_case_no__in=numbers))
        .order_by("current__evaluated_at", "case_id")
        .values_list("case_id", "case__unified_case_no", "colour")
    )
    own: dict[int, str] = {}
    by_matter: dict[str, str] = {}
    for case_id, number, colour in codes:  # oldest first: the latest evaluation wins
        own[case_id] = colour
        by_matter[number] = colour
    return {case_id: {NAME: own.get(case_id) or by_matter.get(number, NONE)} for case_id, number in matters.items()}


def register() -> None:
    register_feature([FEATURE], case_code_colours)
