"""How urgent a running period is, and the daily deadline reminders (期限届满提示).

Rule 620: before a 办案期限 expires, the case-management office (案管部门) reminds the handling
department; an overdue case gets a correction. Bihuan sends the reminder as in-app notifications
to the handling prosecutor and the procuratorate's case-management staff. The lead times are a
local choice (domain-rules §1.7, §7.2): 审查起诉 5 days, 审查逮捕 2 days, both settings.

Every query here is on the running period (`deadlines.models.with_due`: the case's `CaseDue`,
indexed by due date): a case has one exactly while a statutory period runs, so the closed ones
never match.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse

from bihuan.cases.choices import DueKind, LinkKind
from bihuan.cases.models import Case, ProceduralLink
from bihuan.deadlines.models import with_due
from bihuan.deadlines.recompute import RecomputeResult, recompute_all
from bihuan.notifications.models import Notification
from bihuan.orgs.choices import RoleCode
from bihuan.orgs.models import User

NOTIFICATION_KIND = "deadline"
BATCH = 2_000


class Urgency(models.TextChoices):
    OVERDUE = "overdue", "已超期"
    TODAY = "today", "今日到期"
    SOON = "soon", "即将到期"
    NORMAL = "normal", "未到预警期"


# The urgencies that alert, most urgent first.
ALERTING = (Urgency.OVERDUE, Urgency.TODAY, Urgency.SOON)


def lead_days(due_kind: str) -> int:
    """Days before the due date from which a period counts as 即将到期 (domain-rules §7.2)."""
    if due_kind == DueKind.ARREST_REVIEW:
        return settings.DEADLINE_LEAD_DAYS_ARREST
    return settings.DEADLINE_LEAD_DAYS_PROSECUTION


def lead_text() -> str:
    """The lead times in force, as the pages state them."""
    return (
        f"审查逮捕期限届满前 {lead_days(DueKind.ARREST_REVIEW)} 日；"
        f"审查起诉、速裁审查、补充侦查期限届满前 {lead_days(DueKind.PROSECUTION_REVIEW)} 日"
    )


def _lead_groups() -> list[tuple[Q, int]]:
    """(which kinds, lead days): 审查逮捕 and every other kind."""
    arrest = Q(due_kind=DueKind.ARREST_REVIEW)
    return [(arrest, lead_days(DueKind.ARREST_REVIEW)), (~arrest, lead_days(DueKind.PROSECUTION_REVIEW))]


def _per_kind(bound) -> Q:
    """OR over the lead-time groups (审查逮捕, the rest) of `bound(that group's lead days)`. The
    callers put a plain range on the due date in front, so that the due-date indexes get a bound."""
    groups = _lead_groups()
    q = Q(pk__in=[])
    for kinds, days in groups:
        q |= kinds & bound(days)
    return q


def urgency_q(urgency: str, today: date) -> Q:
    """Cases whose running period has the given urgency on `today`."""
    longest = max(days for _, days in _lead_groups())
    shortest = min(days for _, days in _lead_groups())
    if urgency == Urgency.OVERDUE:
        return Q(due_date__lt=today)
    if urgency == Urgency.TODAY:
        return Q(due_date=today)
    if urgency == Urgency.SOON:
        within = Q(due_date__gt=today, due_date__lte=today + timedelta(days=longest))
        return within & _per_kind(lambda days: Q(due_date__lte=today + timedelta(days=days)))
    if urgency == Urgency.NORMAL:
        beyond = Q(due_date__gt=today + timedelta(days=shortest))
        return beyond & _per_kind(lambda days: Q(due_date__gt=today + timedelta(days=days)))
    raise ValueError(f"unknown urgency {urgency!r}")


def alerting_q(today: date) -> Q:
    """Cases due within their lead time, due today, or overdue."""
    longest = max(days for _, days in _lead_groups())
    within = Q(due_date__lte=today + timedelta(days=longest))
    return within & _per_kind(lambda days: Q(due_date__lte=today + timedelta(days=days)))


def urgency_of(due_date: date | None, due_kind: str, today: date) -> str | None:
    """The urgency of one period (None when no period runs)."""
    if due_date is None:
        return None
    if due_date < today:
        return Urgency.OVERDUE
    if due_date == today:
        return Urgency.TODAY
    if (due_date - today).days <= lead_days(due_kind):
        return Urgency.SOON
    return Urgency.NORMAL


def alert_title(urgency: str, name: str, number: str, due_date: date, due_kind: str, today: date) -> str:
    label = DueKind(due_kind).label if due_kind in DueKind.values else "办案期限"
    if urgency == Urgency.OVERDUE:
        return f"超期提示：{name}（{number}）{label}已于 {due_date} 届满，已超期 {(today - due_date).days} 日"
    if urgency == Urgency.TODAY:
        return f"期限届满提示：{name}（{number}）{label}今日（{due_date}）届满"
    return f"期限预警：{name}（{number}）{label}将于 {due_date} 届满，剩余 {(due_date - today).days} 日"


def _day_prefix(today: date) -> str:
    return f"{NOTIFICATION_KIND}:{today.isoformat()}:"


def alert_key(today: date, urgency: str, case_id: int) -> str:
    # The date leads, so that one day's reminders are found by prefix.
    return f"{_day_prefix(today)}{urgency}:{case_id}"


@dataclass
class AlertResult:
    cases: dict[str, int] = field(default_factory=lambda: dict.fromkeys(ALERTING, 0))
    sent: int = 0

    def summary(self) -> str:
        counts = "，".join(f"{Urgency(u).label} {n:,} 件" for u, n in self.cases.items())
        return f"{counts}；新发送提醒 {self.sent:,} 条"


def case_managers_by_org() -> dict[int, list[int]]:
    """Active case-management staff (案件管理人员) of each procuratorate."""
    staff: dict[int, list[int]] = {}
    rows = User.objects.filter(roles__code=RoleCode.CASE_MANAGER, is_active=True, org__isnull=False)
    for org_id, user_id in rows.values_list("org_id", "id").distinct():
        staff.setdefault(org_id, []).append(user_id)
    return staff


def send_deadline_alerts(today: date) -> AlertResult:
    """Notify, set-based, for every case due within its lead time, due today or overdue on
    `today`: the handling prosecutor and the case-management staff of the case's procuratorate
    (Rule 620). Each person gets each reminder once per case, day and urgency (the key), so the
    command may run again the same day."""
    result = AlertResult()
    staff = case_managers_by_org()
    sent_today = set(Notification.objects.filter(key__startswith=_day_prefix(today)).values_list("recipient_id", "key"))
    detail = reverse("cases:detail", args=[0]).removesuffix("0/")
    rows = (
        with_due(Case.objects.all())
        .filter(alerting_q(today))
        .order_by("due_date", "id")
        .values_list("id", "org_id", "prosecutor_id", "name", "dept_case_no", "due_date", "due_kind")
        .iterator(chunk_size=BATCH)
    )
    batch: list[Notification] = []
    for case_id, org_id, prosecutor_id, name, number, due_date, due_kind in rows:
        urgency = urgency_of(due_date, due_kind, today)
        result.cases[urgency] += 1
        key = alert_key(today, urgency, case_id)
        title = alert_title(urgency, name, number, due_date, due_kind, today)[:200]
        recipients = {prosecutor_id, *staff.get(org_id, ())} - {None}
        batch += [
            Notification(
                recipient_id=r, case_id=case_id, kind=NOTIFICATION_KIND, title=title, url=f"{detail}{case_id}/", key=key
            )
            for r in sorted(recipients)
            if (r, key) not in sent_today
        ]
        if len(batch) >= BATCH:
            result.sent += _insert(batch)
            batch = []
    result.sent += _insert(batch)
    return result


def _insert(rows: list[Notification]) -> int:
    """Insert notifications and return how many were offered; a reminder that a run beside this
    one inserted meanwhile is skipped by the unique key (and still counted here)."""
    if not rows:
        return 0
    with transaction.atomic():
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def recompute_open_suspensions(today: date) -> RecomputeResult:
    """Cases with a suspension still open (精神病鉴定 …, Rule 222) count it up to today, so their
    due date moves every day: recompute them before the day's reminders."""
    open_ids = ProceduralLink.objects.filter(kind=LinkKind.SUSPENSION, end_date__isnull=True).values_list(
        "case_id", flat=True
    )
    return recompute_all(case_ids=set(open_ids), today=today)
