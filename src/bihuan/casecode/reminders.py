"""Reminders and escalation of the case code (domain-rules §7.4; seed 001 case 6).

- 重新评估: a red case is due for re-evaluation every 7 days, a yellow one every 15
  (`CaseCode.reevaluate_by`, kept by the evaluation actions); green cases never.
- 诉前会商: 15 days before the investigation custody deadline of a case that is not green
  (公安机关在案件侦查期限届满前十五日启动侦诉会商程序), until a consultation is recorded.
- 责任倒查: cases still red on the day their custody deadline arrived (羁押期限已至仍是"红码").

The investigation custody deadline is two months from the arrest: CPL 156 / Rule 305 (逮捕后对
犯罪嫌疑人的侦查羁押期限不得超过二个月), counted by SPC-Interp 202 (`bihuan.lib.periods.add_months`).
The arrest is the earliest start of an 逮捕 measure on a suspect of the case. Extensions (CPL
158–159) are not recorded on the case card, so the first deadline is the one reminded of.

A code is followed (捕后跟踪) after its 审查逮捕 case is concluded, until the matter is accepted for
审查起诉 at the intake gate (受理 or 先收后补) or the case is archived: `followed`.

This module holds the due lists (set-based queries) and the daily batch of reminder
notifications (`send_reminders`, run by `bihuan casecodereminders`); it writes no case-code data,
so it has no `do_*` and does not import `actions`.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Exists, Min, OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import timezone

from bihuan.casecode.models import CaseCode, Colour, Consultation, Evaluation, GateCheck, GateDecision
from bihuan.cases.choices import MeasureKind, Stage
from bihuan.cases.models import Case, CoerciveMeasure
from bihuan.lib.periods import add_months
from bihuan.notifications.models import Notification
from bihuan.orgs.choices import RoleCode
from bihuan.orgs.models import User

# CPL 156 / Rule 305: 逮捕后的侦查羁押期限不得超过二个月.
CUSTODY_MONTHS = 2
CUSTODY_BASIS = "《刑事诉讼法》第一百五十六条、《人民检察院刑事诉讼规则》第三百零五条：逮捕后侦查羁押期限不得超过二个月"
# Seed 001 case 6: 在案件侦查期限届满前十五日启动侦诉会商程序.
CONSULTATION_LEAD_DAYS = 15
NOTIFICATION_KIND = "casecode_reminder"
BATCH = 2_000


def custody_deadline(arrested_on: date) -> date:
    """The last day of investigation custody after an arrest on `arrested_on` (CPL 156, SPC-Interp 202)."""
    return add_months(arrested_on, CUSTODY_MONTHS)


def latest_arrest_for(deadline: date) -> date:
    """The latest arrest date whose custody deadline falls on or before `deadline`. The deadline
    grows with the arrest date, so "deadline ≤ D" is "arrest ≤ this date": a plain range over
    the arrest date that the database can filter, where the month arithmetic cannot be written
    portably in SQL."""
    day = add_months(deadline, -CUSTODY_MONTHS)
    while custody_deadline(day + timedelta(days=1)) <= deadline:
        day += timedelta(days=1)
    while custody_deadline(day) > deadline:
        day -= timedelta(days=1)
    return day


def followed(case_ref: str = "pk") -> Q:
    """The coded case is still followed: not archived, and its matter not yet accepted at the gate."""
    accepted = GateCheck.objects.filter(
        coded_case_id=OuterRef(case_ref), decision__in=(GateDecision.ACCEPT, GateDecision.ACCEPT_PENDING)
    )
    stage = "stage" if case_ref == "pk" else "case__stage"
    return ~Q(**{stage: Stage.ARCHIVED}) & ~Exists(accepted)


def _arrests(case_ref: str = "pk") -> QuerySet[CoerciveMeasure]:
    return CoerciveMeasure.objects.filter(kind=MeasureKind.ARREST, suspect__case_id=OuterRef(case_ref))


def arrested_on() -> Subquery:
    """The earliest arrest of a suspect of the case, as an annotation over Case."""
    return Subquery(_arrests().order_by().values("suspect__case_id").annotate(d=Min("start_date")).values("d"))


def in_custody_on(today: date) -> Exists:
    """A suspect of the case is held under arrest on `today`."""
    return Exists(_arrests().filter(Q(end_date=None) | Q(end_date__gte=today), start_date__lte=today))


#
# Lists
#


def reevaluations_due(cases: QuerySet[Case], today: date) -> QuerySet[CaseCode]:
    """Followed codes of `cases` whose re-evaluation is due on or before `today`, most
    overdue first."""
    return (
        CaseCode.objects.filter(followed("case_id"), case__in=cases, reevaluate_by__lte=today)
        .select_related("case__prosecutor")
        .order_by("reevaluate_by", "case_id")
    )


def consultations_due(cases: QuerySet[Case], today: date) -> QuerySet[Case]:
    """Followed cases among `cases`, not green, held under arrest today, whose custody deadline falls
    within the next 15 days (today included), with no consultation recorded yet. Each carries
    `arrested_on`; `custody_deadline(case.arrested_on)` is its deadline."""
    return (
        cases.filter(followed(), code__isnull=False)
        .exclude(code__colour=Colour.GREEN)
        .annotate(arrested_on=arrested_on())
        .filter(
            in_custody_on(today),
            arrested_on__gte=latest_arrest_for(today - timedelta(days=1)) + timedelta(days=1),
            arrested_on__lte=latest_arrest_for(today + timedelta(days=CONSULTATION_LEAD_DAYS)),
        )
        .exclude(Exists(Consultation.objects.filter(case_id=OuterRef("pk"))))
        .select_related("code", "prosecutor")
        .order_by("arrested_on", "id")
    )


@dataclass(frozen=True)
class Accountable:
    """A case still red when its custody deadline arrived (责任倒查)."""

    case: Case
    arrested_on: date
    deadline: date
    evaluation: Evaluation  # the evaluation in force on the deadline day


def accountability(cases: QuerySet[Case], today: date) -> list[Accountable]:
    """Coded cases among `cases` whose custody deadline is on or before `today` and whose code
    was red on that day (the evaluation in force on the deadline day: the last one made on or
    before it), latest deadline first.

    Two queries: the candidates (a red evaluation within the longest two months after the
    arrest), then their evaluations up to that bound; the colour in force on each case's own
    deadline is picked from those rows, because the deadline's month arithmetic has no portable
    SQL form."""
    bound = latest_arrest_for(today)
    candidates = dict(
        cases.filter(code__isnull=False)
        .annotate(arrested_on=arrested_on())
        .filter(arrested_on__lte=bound)
        .filter(Exists(Evaluation.objects.filter(case_id=OuterRef("pk"), colour=Colour.RED)))
        .values_list("pk", "arrested_on")
    )
    if not candidates:
        return []
    in_force: dict[int, Evaluation] = {}
    evaluations = Evaluation.objects.filter(case_id__in=list(candidates)).order_by("case_id", "seq")
    for evaluation in evaluations.only("case_id", "seq", "score", "colour", "evaluated_at", "vetoed"):
        if timezone.localdate(evaluation.evaluated_at) <= custody_deadline(candidates[evaluation.case_id]):
            in_force[evaluation.case_id] = evaluation
    red = {case_id: e for case_id, e in in_force.items() if e.colour == Colour.RED}
    found = Case.objects.filter(pk__in=list(red)).select_related("prosecutor", "code")
    rows = [
        Accountable(case, candidates[case.pk], custody_deadline(candidates[case.pk]), red[case.pk]) for case in found
    ]
    return sorted(rows, key=lambda r: (r.deadline, r.case.pk), reverse=True)


#
# The day's notifications
#


@dataclass
class ReminderResult:
    reevaluations: int = 0
    consultations: int = 0
    sent: int = 0

    def summary(self) -> str:
        return (
            f"应重新评估 {self.reevaluations:,} 件，应诉前会商 {self.consultations:,} 件；新发送提醒 {self.sent:,} 条"
        )


def _day_prefix(today: date) -> str:
    return f"{NOTIFICATION_KIND}:{today.isoformat()}:"


def reminder_key(today: date, what: str, case_id: int) -> str:
    # The date leads, so that one day's reminders are found by prefix.
    return f"{_day_prefix(today)}{what}:{case_id}"


def _case_managers() -> dict[int, list[int]]:
    staff: dict[int, list[int]] = {}
    rows = User.objects.filter(roles__code=RoleCode.CASE_MANAGER, is_active=True, org__isnull=False)
    for org_id, user_id in rows.values_list("org_id", "id").distinct():
        staff.setdefault(org_id, []).append(user_id)
    return staff


def send_reminders(today: date) -> ReminderResult:
    """The day's reminders, set-based: re-evaluations due (to the handling prosecutor) and
    consultations due (to the handling prosecutor and the procuratorate's case-management
    office). Each person gets each reminder once per case and day (the notification key), so the
    command may run again the same day."""
    result = ReminderResult()
    sent_today = set(Notification.objects.filter(key__startswith=_day_prefix(today)).values_list("recipient_id", "key"))
    detail = reverse("cases:detail", args=[0]).removesuffix("0/")
    batch: list[Notification] = []

    def add(recipients, case_id: int, what: str, title: str) -> None:
        key = reminder_key(today, what, case_id)
        batch.extend(
            Notification(
                recipient_id=r,
                case_id=case_id,
                kind=NOTIFICATION_KIND,
                title=title[:200],
                url=f"{detail}{case_id}/",
                key=key,
            )
            for r in sorted(set(recipients) - {None})
            if (r, key) not in sent_today
        )
        if len(batch) >= BATCH:
            result.sent += _insert(batch)
            batch.clear()

    everything = Case.objects.all()
    due = reevaluations_due(everything, today).values_list(
        "case_id", "case__prosecutor_id", "case__name", "case__dept_case_no", "colour", "reevaluate_by"
    )
    for case_id, prosecutor_id, name, number, colour, by in due.iterator(chunk_size=BATCH):
        result.reevaluations += 1
        late = f"，已逾期 {(today - by).days} 日" if by < today else ""
        title = f"案件码重新评估提醒：{name}（{number}）为{Colour(colour).label}，应于 {by} 前重新评估{late}"
        add([prosecutor_id], case_id, "reevaluate", title)
    staff = _case_managers()
    consult = consultations_due(everything, today).values_list(
        "pk", "org_id", "prosecutor_id", "name", "dept_case_no", "code__colour", "arrested_on"
    )
    for case_id, org_id, prosecutor_id, name, number, colour, arrested in consult.iterator(chunk_size=BATCH):
        result.consultations += 1
        deadline = custody_deadline(arrested)
        title = (
            f"诉前会商提醒：{name}（{number}）为{Colour(colour).label}，侦查羁押期限将于 {deadline} 届满"
            f"（剩余 {(deadline - today).days} 日），请与侦查机关会商"
        )
        add([prosecutor_id, *staff.get(org_id, ())], case_id, "consult", title)
    result.sent += _insert(batch)
    return result


def _insert(rows: list[Notification]) -> int:
    """Insert notifications; one that a run beside this one inserted meanwhile is skipped by the
    unique (recipient, key) constraint."""
    if not rows:
        return 0
    with transaction.atomic():
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)
