"""Intake writes: register a case, record the materials received, accept it (受理), fulfil a
先收后补 item. Each is one transaction with its audit event (Rule 156–158)."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from bihuan.cases.actions import STALE_MESSAGE, StaleCase, bump_case, do_add_suspect, do_create_case
from bihuan.cases.choices import Stage
from bihuan.cases.models import Case, CoerciveMeasure, Tag
from bihuan.cases.signals import case_accepted, case_timeline_changed
from bihuan.events.actions import record
from bihuan.intake.checks import elements
from bihuan.intake.models import DeferredItem, ElementKind, IntakeRecord, RequiredMaterial
from bihuan.notifications.actions import notify
from bihuan.orgs.choices import RoleCode
from bihuan.orgs.models import Organisation, User


class IntakeError(Exception):
    """The intake step cannot be taken; the message says why, in Chinese."""


class IncompleteCase(IntakeError):
    """Required elements are missing and not deferred (Rule 158 para 2)."""

    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(
            f"材料不齐备，不能受理。缺少：{'、'.join(missing)}（可对缺少的材料登记先收后补并写明补送期限）"
        )


def _materials_of(case_type: str, materials: Iterable[RequiredMaterial]) -> list[RequiredMaterial]:
    materials = list(materials)
    wrong = [m.name for m in materials if m.case_type != case_type or m.kind != ElementKind.MATERIAL]
    if wrong:
        raise IntakeError(f"以下不是该类案件的随案移送材料：{'、'.join(wrong)}")
    return materials


@transaction.atomic
def do_register_case(
    *,
    org: Organisation,
    actor: User | None,
    case_type: str,
    name: str,
    received_date: date,
    suspects: list[dict[str, Any]],
    received: Iterable[RequiredMaterial] = (),
    tags: Iterable[Tag] = (),
    **fields: Any,
) -> Case:
    """Register a case the office has received, in stage 待受理, with its suspects, their coercive
    measures (each suspect dict may carry ``measures``: a list of CoerciveMeasure field dicts)
    and the materials that came with it. The case is numbered by `do_create_case` (§7.6)."""
    materials = _materials_of(case_type, received)
    case = do_create_case(
        org=org,
        case_type=case_type,
        name=name,
        received_date=received_date,
        actor=actor,
        stage=Stage.REGISTERED,
        **fields,
    )
    case.tags.set(tags)
    for entry in suspects:
        entry = dict(entry)
        measures = entry.pop("measures", [])
        suspect = do_add_suspect(case, actor=actor, **entry)
        CoerciveMeasure.objects.bulk_create(CoerciveMeasure(suspect=suspect, **m) for m in measures)
    intake = IntakeRecord.objects.create(case=case, registered_by=actor, registered_at=timezone.now())
    intake.received.set(materials)
    case.refresh_from_db()
    record(
        "intake.register",
        case,
        actor=actor,
        case_id=case.pk,
        org_code=org.code,
        summary=f"登记待受理案件 {case.dept_case_no}：犯罪嫌疑人 {len(suspects)} 名，"
        f"已接收材料：{'、'.join(m.name for m in materials) or '无'}",
        changes={"stage": [None, Stage.REGISTERED]},
    )
    # A new receipt date and custody: the deadlines app computes the case's periods.
    case_timeline_changed.send(sender=Case, case=case)
    return case


def _record_of(case: Case) -> IntakeRecord:
    """The case's intake record; a case loaded by `loadcases` gets one when first handled."""
    intake, _ = IntakeRecord.objects.get_or_create(case=case)
    return intake


@transaction.atomic
def do_set_received(
    case: Case, materials: Iterable[RequiredMaterial], *, actor: User, expected_version: int
) -> IntakeRecord:
    """Record which of the case type's materials have been received."""
    materials = _materials_of(case.case_type, materials)
    bump_case(case, expected_version)
    intake = _record_of(case)
    before = sorted(intake.received.values_list("name", flat=True))
    intake.received.set(materials)
    after = sorted(m.name for m in materials)
    record(
        "intake.materials",
        intake,
        actor=actor,
        case_id=case.pk,
        org_code=case.org.code,
        summary=f"登记已接收材料：{'、'.join(after) or '无'}",
        changes={"received": [before, after]},
    )
    return intake


@transaction.atomic
def do_accept(
    case: Case,
    *,
    actor: User,
    expected_version: int,
    defer: Iterable[tuple[str, date, str]] = (),
) -> IntakeRecord:
    """Accept (受理) a registered case (Rule 158).

    1. Every applicable required element must be present, or deferred: already (an open
       先收后补 item) or now, in `defer`, as (element name, due date, reason); otherwise
       IncompleteCase lists what is missing and nothing is written.
    2. The stage moves 待受理 → 受理 under the row_version the person saw (StaleCase otherwise).
    3. The intake record keeps who accepted and when, and the new 先收后补 items.
    4. case_timeline_changed and case_accepted are sent inside the transaction.
    """
    today = timezone.localdate()
    found = {e.name: e for e in elements(case)}
    new_items = []
    for name, due_date, reason in defer:
        element = found.get(name)
        if element is None or element.present:
            raise IntakeError(f"“{name}”不是该案缺少的要素，无需先收后补")
        if due_date is None or due_date < today:
            raise IntakeError(f"“{name}”的补送期限须为今天或以后的日期")
        if not (reason or "").strip():
            raise IntakeError(f"请写明“{name}”先收后补的原因")
        if element.deferred is None:
            new_items.append((element.requirement, due_date, reason.strip()))
    deferring = {r.name for r, _, _ in new_items}
    missing = [n for n, e in found.items() if not e.present and e.deferred is None and n not in deferring]
    if missing:
        raise IncompleteCase(missing)
    moved = Case.objects.filter(pk=case.pk, row_version=expected_version, stage=Stage.REGISTERED).update(
        stage=Stage.RECEIVED, row_version=F("row_version") + 1
    )
    if moved != 1:
        if Case.objects.filter(pk=case.pk, stage=Stage.REGISTERED).exists():
            raise StaleCase(STALE_MESSAGE)
        raise IntakeError("该案件不在待受理阶段，不能重复受理。")
    case.refresh_from_db()
    intake = _record_of(case)
    intake.accepted_by = actor
    intake.accepted_at = timezone.now()
    intake.save(update_fields=["accepted_by", "accepted_at"])
    DeferredItem.objects.bulk_create(
        DeferredItem(record=intake, element=r, due_date=d, reason=reason, created_by=actor)
        for r, d, reason in new_items
    )
    deferred_text = "；".join(f"{r.name}（{d:%Y-%m-%d}前补送，原因：{reason}）" for r, d, reason in new_items)
    record(
        "intake.accept",
        case,
        actor=actor,
        case_id=case.pk,
        org_code=case.org.code,
        summary=f"受理案件 {case.dept_case_no}" + (f"；先收后补：{deferred_text}" if deferred_text else ""),
        changes={"stage": [Stage.REGISTERED, Stage.RECEIVED]},
    )
    case_timeline_changed.send(sender=Case, case=case)
    case_accepted.send(sender=Case, case=case, actor=actor)
    return intake


@transaction.atomic
def do_fulfil_deferred(item: DeferredItem, *, actor: User, expected_version: int) -> DeferredItem:
    """Record that a 先收后补 element has arrived: a material counts as received from now on; a
    card element must now pass its check."""
    case = item.record.case
    if not item.is_open:
        raise IntakeError("该先收后补事项已补齐。")
    if item.element.kind == ElementKind.CARD:
        still = next((e for e in elements(case) if e.requirement.pk == item.element_id and not e.present), None)
        if still is not None:
            raise IntakeError(f"案卡中的“{item.element.name}”仍不完整，请先补录案卡。")
    bump_case(case, expected_version)
    item.fulfilled_at = timezone.now()
    item.fulfilled_by = actor
    item.save(update_fields=["fulfilled_at", "fulfilled_by"])
    if item.element.kind == ElementKind.MATERIAL:
        item.record.received.add(item.element)
    late = timezone.localdate() > item.due_date
    record(
        "intake.fulfil",
        item,
        actor=actor,
        case_id=case.pk,
        org_code=case.org.code,
        summary=f"先收后补事项“{item.element.name}”已补齐" + ("（逾期补送）" if late else ""),
        changes={"fulfilled_at": [None, item.fulfilled_at]},
    )
    return item


def overdue_deferred(today: date):
    return DeferredItem.objects.filter(fulfilled_at=None, due_date__lt=today)


def notify_overdue_deferred(today: date | None = None) -> int:
    """Tell each procuratorate's case-management office about 先收后补 items past their due date
    (Rule 158 para 2: the office asks the transferring unit for the missing materials). A person
    is told once per item. Returns the number of notifications sent."""
    today = today or timezone.localdate()
    items = list(overdue_deferred(today).select_related("record__case__org", "element"))
    if not items:
        return 0
    managers: dict[int, list[int]] = defaultdict(list)
    for user_id, org_id in User.objects.filter(
        is_active=True, roles__code=RoleCode.CASE_MANAGER, org_id__in={i.record.case.org_id for i in items}
    ).values_list("pk", "org_id"):
        managers[org_id].append(user_id)
    sent = 0
    for item in items:
        case = item.record.case
        sent += notify(
            managers[case.org_id],
            kind="intake_overdue",
            title=f"先收后补逾期：{case.dept_case_no} 的“{item.element.name}”应于 {item.due_date:%Y-%m-%d} 前补送",
            case=case,
            url=reverse("intake:case", args=[case.pk]),
            key=f"intake-overdue-{item.pk}",
        )
    return sent
