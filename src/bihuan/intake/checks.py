"""The completeness check on receipt (Rule 157): which required elements a case has, and which
are missing. Registered and loaded (loadcases) cases are checked alike."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from bihuan.cases.choices import CaseType, LikelySentence
from bihuan.cases.models import Case, Suspect
from bihuan.intake.models import CardCheck, Condition, DeferredItem, ElementKind, IntakeRecord, RequiredMaterial
from bihuan.lib import idnumber


@dataclass
class Element:
    """One required element as it stands for a case."""

    requirement: RequiredMaterial
    present: bool
    deferred: DeferredItem | None = None  # the open 先收后补 item for it, if any

    @property
    def name(self) -> str:
        return self.requirement.name


def identity_problems(id_number: str, birth_date: date | None, gender: str) -> list[str]:
    """What is wrong with a suspect's 公民身份号码 against the card (GB 11643; domain-rules §7.6):
    its check digit, its embedded birth date against 出生日期, its gender digit against 性别."""
    problems = idnumber.validate(id_number, birth_date)
    if not problems and gender and idnumber.gender_of(id_number) != gender:
        problems.append("公民身份号码中的性别与所填性别不一致")
    return problems


def minor_problem(birth_date: date | None, received_date: date | None, is_minor: bool) -> str | None:
    """A suspect under eighteen on the day the case arrived was a minor when the offence was
    committed (CL 17), so the card must say 未成年人; the reverse cannot be told from the dates."""
    if birth_date is None or received_date is None or is_minor:
        return None
    age = (
        received_date.year
        - birth_date.year
        - ((received_date.month, received_date.day) < (birth_date.month, birth_date.day))
    )
    return "按出生日期，犯罪嫌疑人收案时未满十八周岁，应勾选“未成年人”。" if age < 18 else None


def materials_received(case_type: str, names: list[str]) -> tuple[list[RequiredMaterial], str | None]:
    """The required materials of the case type named as received, and the error when a name is
    not a material this case type hands over (the form and the API say the same)."""
    found = list(
        RequiredMaterial.objects.filter(case_type=case_type, kind=ElementKind.MATERIAL, active=True, name__in=names)
    )
    other = sorted(set(names) - {m.name for m in found})
    error = f"{CaseType(case_type).label}案件不需移送：{'、'.join(other)}" if other else None
    return found, error


def _identity_complete(suspect: Suspect) -> bool:
    """Name, gender, birth date and a valid 公民身份号码 matching the birth date (GB 11643)."""
    if not (suspect.name and suspect.gender and suspect.birth_date and suspect.id_number):
        return False
    return not idnumber.validate(suspect.id_number, suspect.birth_date)


CARD_CHECKS: dict[str, Callable[[Case, list[Suspect]], bool]] = {
    CardCheck.SUSPECTS: lambda case, suspects: bool(suspects),
    CardCheck.IDENTITY: lambda case, suspects: all(_identity_complete(s) for s in suspects),
    CardCheck.AGENCY: lambda case, suspects: case.source_agency_id is not None,
    CardCheck.CHARGE: lambda case, suspects: case.charge_id is not None,
    # Rule 157(4) and 158 para 3: the office records each suspect's custody or measure.
    CardCheck.MEASURES: lambda case, suspects: all(s.measures.all() for s in suspects),
}


def _applies(requirement: RequiredMaterial, case: Case, suspects: list[Suspect]) -> bool:
    if requirement.condition == Condition.SERIOUS:
        return case.is_major_complex or case.likely_sentence == LikelySentence.TEN_PLUS
    if requirement.condition == Condition.PLEA:
        return any(s.plea for s in suspects)
    if requirement.condition == Condition.MEASURE:
        return any(s.measures.all() for s in suspects)
    return True


def requirements_for(case_type: str) -> list[RequiredMaterial]:
    return list(RequiredMaterial.objects.filter(case_type=case_type, active=True))


def intake_record(case: Case) -> IntakeRecord | None:
    return IntakeRecord.objects.filter(case=case).first()


def elements(case: Case) -> list[Element]:
    """Every required element that applies to the case, in the configured order."""
    suspects = list(case.suspects.prefetch_related("measures"))
    record = intake_record(case)
    received: set[int] = set()
    deferred: dict[int, DeferredItem] = {}
    if record is not None:
        received = set(record.received.values_list("pk", flat=True))
        deferred = {d.element_id: d for d in record.deferred.filter(fulfilled_at=None)}
    found = []
    for requirement in requirements_for(case.case_type):
        if not _applies(requirement, case, suspects):
            continue
        if requirement.kind == ElementKind.CARD:
            present = CARD_CHECKS[requirement.card_check](case, suspects)
        else:
            present = requirement.pk in received
        found.append(Element(requirement, present, deferred.get(requirement.pk)))
    return found


def missing_elements(case: Case) -> list[str]:
    """The names of the required elements the case lacks (Rule 157–158), deferred ones included."""
    return [e.name for e in elements(case) if not e.present]
