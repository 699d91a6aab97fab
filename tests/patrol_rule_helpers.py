"""Builders for the patrol rule tests: one small unit (procuratorate, department, prosecutor) and
the card rows, documents with their extracted fields, workflow records and report figures a rule
reads. Rows the case app has no action for yet are written directly, as tests/bizreports_helpers
does."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone

from bihuan.bizreports.models import ReportBatch, ReportFigure
from bihuan.cases.models import Case, Charge, CoerciveMeasure, ProceduralLink, Suspect, SuspectCharge, Tag
from bihuan.deadlines.models import CaseDue
from bihuan.documents.models import Document, ExtractedField
from bihuan.orgs.models import Department, Organisation, User
from bihuan.workflow.models import ApprovalRequest, DecisionType, PublicHearing
from tests import factories as f

TODAY = date(2024, 6, 10)
RECEIVED = date(2024, 3, 5)


@dataclass
class Unit:
    org: Organisation
    department: Department
    prosecutor: User

    def case(self, **fields) -> Case:
        fields.setdefault("department", self.department)
        fields.setdefault("prosecutor", self.prosecutor)
        fields.setdefault("received", RECEIVED)
        return f.make_case(self.org, **fields)


def make_unit() -> Unit:
    org = f.make_org("371002")
    department = f.make_department(org)
    prosecutor = f.make_person(["prosecutor"], org=org, department=department)
    return Unit(org, department, prosecutor)


def suspect(case: Case, name: str = "张某某", **fields) -> Suspect:
    return f.make_suspect(case, name, **fields)


def charge(person: Suspect, name: str, *, main: bool = True) -> SuspectCharge:
    return SuspectCharge.objects.create(suspect=person, charge=Charge.objects.get(name=name), is_main=main)


def measure(person: Suspect, kind: str, start: date, end: date | None = None) -> CoerciveMeasure:
    return CoerciveMeasure.objects.create(suspect=person, kind=kind, start_date=start, end_date=end)


def link(case: Case, kind: str, start: date, end: date | None = None, *, seq: int = 1, approver: str = ""):
    return ProceduralLink.objects.create(
        case=case, kind=kind, seq=seq, start_date=start, end_date=end, approver=approver
    )


def document(case: Case, kind: str, signed: date = date(2024, 3, 25), **fields) -> Document:
    """A document with extracted fields: `name=value` for a document field, `name=(value, group)`
    for a person's, a list of either for a field written several times."""
    doc = Document.objects.create(case=case, kind=kind, number=f"测检刑诉〔2024〕{case.pk}号", signed_date=signed)
    for name, values in fields.items():
        for value in values if isinstance(values, list) else [values]:
            value, group = value if isinstance(value, tuple) else (value, 0)
            ExtractedField.objects.create(document=doc, name=name, group=group, value=value, start=0, end=1)
    return doc


def due(case: Case, due_date: date, kind: str = "prosecution_review") -> None:
    CaseDue.objects.update_or_create(case=case, defaults={"due_date": due_date, "due_kind": kind})


def tag(case: Case, name: str) -> None:
    case.tags.add(Tag.objects.get_or_create(name=name)[0])


def hearing(case: Case, held_on: date, host: User) -> PublicHearing:
    return PublicHearing.objects.create(
        case=case, held_on=held_on, host=host, topic="拟不起诉", conclusion="同意不起诉", recorded_by=host
    )


def recorded_request(case: Case, code: str, proposer: User, on: date = date(2024, 3, 28)) -> ApprovalRequest:
    at = timezone.make_aware(datetime.combine(on, time(10)))
    return ApprovalRequest.objects.create(
        case=case,
        decision_type=DecisionType.objects.get(code=code),
        proposed_by=proposer,
        opinion="拟同意",
        status="recorded",
        recorded_at=at,
    )


def reported(org: Organisation, year: int, month: int, item: str, value: int) -> ReportFigure:
    batch = ReportBatch.objects.create(org=org, source="manual")
    return ReportFigure.objects.create(org=org, year=year, month=month, item=item, value=value, batch=batch)
