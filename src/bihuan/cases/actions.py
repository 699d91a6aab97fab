"""Writes to the case card; each is one transaction with one audit event."""

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from bihuan.cases.models import Case, Suspect
from bihuan.cases.numbering import next_dept_case_no, next_unified_case_no
from bihuan.cases.signals import case_changed, case_scope_changed, case_timeline_changed
from bihuan.events.actions import diff, record
from bihuan.orgs.models import Organisation, User

# Card fields a statutory period depends on (domain-rules §7.1–7.2).
TIMELINE_FIELDS = {"received_date", "procedure", "is_major_complex", "likely_sentence", "stage", "case_type", "org"}


# Who holds the case (the columns the reading rules of bihuan.orgs.scope apply to) and where it
# came from; feature apps keep copies of them (deadlines.CaseDue, the case code's statistics).
SCOPE_FIELDS = {"org", "department", "team", "prosecutor", "source_agency"}
STALE_MESSAGE = "案件已被他人修改，请刷新后重试。"


class StaleCase(Exception):
    """The case changed since the person loaded it; nothing was written."""


def bump_case(case: Case, expected_version: int, **values: Any) -> None:
    """Write `values` (possibly none) to the case and take its next row_version, if it still has
    the version the person saw; otherwise raise StaleCase and write nothing. Every action on a
    case goes through here, so the second of two people acting at once is told it changed."""
    updated = Case.objects.filter(pk=case.pk, row_version=expected_version).update(
        **values, row_version=F("row_version") + 1, updated_at=timezone.now()
    )
    if updated != 1:
        raise StaleCase(STALE_MESSAGE)
    for name, value in values.items():
        setattr(case, name, value)
    case.row_version = expected_version + 1
    if SCOPE_FIELDS & {name.removesuffix("_id") for name in values}:
        case_scope_changed.send(sender=Case, case=case)
    case_changed.send(sender=Case, case_id=case.pk)


@transaction.atomic
def do_create_case(
    *,
    org: Organisation,
    case_type: str,
    name: str,
    received_date: date,
    unified_case_no: str | None = None,
    actor: User | None = None,
    **fields: Any,
) -> Case:
    """Register a case, numbering it per domain-rules §7.6. A later stage of the same matter
    passes the matter's `unified_case_no`; a new matter gets a new one."""
    year = received_date.year
    case = Case.objects.create(
        org=org,
        case_type=case_type,
        name=name,
        received_date=received_date,
        dept_case_no=next_dept_case_no(org, case_type, year),
        unified_case_no=unified_case_no or next_unified_case_no(org, year),
        **fields,
    )
    record(
        "case.create",
        case,
        actor=actor,
        case_id=case.pk,
        org_code=org.code,
        summary=f"登记案件 {case.dept_case_no}",
        changes={"name": [None, name], "case_type": [None, case_type], "received_date": [None, received_date]},
    )
    # The receipt date starts the statutory period (the deadlines app stores its due date).
    case_timeline_changed.send(sender=Case, case=case)
    return case


@transaction.atomic
def do_update_case(case: Case, values: dict[str, Any], *, actor: User | None, expected_version: int) -> Case:
    """Change card fields. `expected_version` is the row_version the person saw: if someone
    else changed the case meanwhile, StaleCase is raised and nothing is written."""
    changes = diff(case, values)
    if not changes:
        return case
    bump_case(case, expected_version, **values)
    case.refresh_from_db()
    record(
        "case.update",
        case,
        actor=actor,
        case_id=case.pk,
        org_code=case.org.code,
        summary=f"修改案卡：{'、'.join(Case._meta.get_field(f).verbose_name for f in changes)}",
        changes=changes,
    )
    if TIMELINE_FIELDS & changes.keys():
        case_timeline_changed.send(sender=Case, case=case)
    return case


@transaction.atomic
def do_add_suspect(case: Case, *, actor: User | None, **fields: Any) -> Suspect:
    seq = (case.suspects.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    suspect = Suspect.objects.create(case=case, seq=seq, **fields)
    Case.objects.filter(pk=case.pk).update(row_version=F("row_version") + 1)
    case_changed.send(sender=Case, case_id=case.pk)
    record(
        "suspect.create",
        suspect,
        actor=actor,
        case_id=case.pk,
        org_code=case.org.code,
        summary=f"添加犯罪嫌疑人（第{seq}名）",
    )
    return suspect


@transaction.atomic
def do_record_case_read(case: Case, actor: User) -> None:
    """Log that a person opened the case with its suspects' personal data (等级保护 2.0)."""
    record(
        "case.read",
        case,
        actor=actor,
        case_id=case.pk,
        org_code=case.org.code,
        summary=f"查阅案件 {case.dept_case_no}（含犯罪嫌疑人信息）",
    )
