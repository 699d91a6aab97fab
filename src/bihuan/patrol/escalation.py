"""Escalating what was not answered in time (Rule 665; domain-rules §3.3, §7.5).

Two steps, both set-based, run by the nightly patrol (`bihuan patrol --full --escalate`):

1. a prompt (口头提示) still open after its due date becomes a 案件流程监控通知书 to the
   department (the 较重 path: 口头提示 → 通知书), due again `today + rule.reply_days`;
2. a notice not answered by its due date turns red (黄灯 → 红灯) and goes to the procuratorate's
   分管副检察长 and its case-management office; a notice already reported to the 检察长 (严重)
   goes to the 检察长 again.
"""

from collections.abc import Iterator
from datetime import date, datetime, timedelta

from bihuan.notifications.models import Notification
from bihuan.orgs.choices import RoleCode
from bihuan.patrol.models import Finding, FindingStatus, Light, Notice, Severity
from bihuan.patrol.notice import TITLE, chunks, issue_notices, notification, people_by, send

NOTIFY_RED = "patrol_red"


def overdue_prompts(today: date):
    """Prompts (轻微 findings on no notice) still open after their due date."""
    return Finding.objects.filter(
        status=FindingStatus.OPEN, notice__isnull=True, severity=Severity.MINOR, reply_due__lt=today
    )


def late_notices(today: date):
    """Open notices past their due date with a finding still unanswered, not yet red."""
    return (
        Notice.objects.filter(closed_at__isnull=True, reply_due__lt=today, findings__status=FindingStatus.OPEN)
        .exclude(light=Light.RED)
        .distinct()
    )


def escalate(*, today: date, now: datetime) -> dict[str, int]:
    """Run both steps; return how many prompts became notices, the notices issued for them and
    the notices turned red."""
    rows = (
        overdue_prompts(today)
        .order_by("id")
        .values_list("id", "case_id", "org_id", "department_id", "severity", "rule__reply_days")
    )
    drafts = [(pk, case, org, dept, sev, today + timedelta(days=days)) for pk, case, org, dept, sev, days in rows]
    issued = issue_notices(drafts, now=now, floor=Severity.SERIOUS)
    late = list(late_notices(today).values_list("id", "org_id", "case_id", "number", "reported_to_chief"))
    for batch in chunks(late):
        Notice.objects.filter(pk__in=[row[0] for row in batch]).update(light=Light.RED, escalated_at=now)
    send(_red_notifications(late, today))
    return {"prompts": len(drafts), "notices": len(issued), "red": len(late)}


def _red_notifications(late: list[tuple], today: date) -> Iterator[Notification]:
    deputies = people_by(RoleCode.DEPUTY_CHIEF, "org_id")
    managers = people_by(RoleCode.CASE_MANAGER, "org_id")
    chiefs = people_by(RoleCode.CHIEF, "org_id")
    for pk, org_id, case_id, number, reported_to_chief in late:
        title = f"红灯：{TITLE} {number} 逾期未书面回复"
        recipients = {*deputies.get(org_id, ()), *managers.get(org_id, ())}
        if reported_to_chief:
            recipients |= set(chiefs.get(org_id, ()))
        key = f"{NOTIFY_RED}:{pk}:{today.isoformat()}"
        for user_id in sorted(recipients):
            yield notification(user_id, kind=NOTIFY_RED, title=title, case_id=case_id, key=key)
