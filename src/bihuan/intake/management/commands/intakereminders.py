"""`bihuan intakereminders`: tell the case-management offices about overdue 先收后补 items.

Run once a day (cron or the task queue); a person is told once per item."""

from django.core.management.base import BaseCommand

from bihuan.intake.actions import notify_overdue_deferred


class Command(BaseCommand):
    help = "提醒案件管理部门：先收后补事项逾期未补齐的，向本院案件管理人员发送消息提醒（每项一次）。"

    def handle(self, *args, **options) -> None:
        sent = notify_overdue_deferred()
        self.stdout.write(f"已发送先收后补逾期提醒 {sent} 条。")
