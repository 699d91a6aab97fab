"""`bihuan deadlinealerts [--date YYYY-MM-DD]`: the day's deadline reminders (run daily by cron)."""

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from bihuan.deadlines.alerts import recompute_open_suspensions, send_deadline_alerts


class Command(BaseCommand):
    help = (
        "发送当日办案期限提醒（《人民检察院刑事诉讼规则》第六百二十条）：对即将到期、今日到期、已超期的在办案件，"
        "提醒承办检察官和本院案件管理部门；同一案件同一天同一类提醒只发一次。应每日定时运行。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--date", type=date.fromisoformat, default=None, dest="day", help="按该日期（YYYY-MM-DD）发送，默认今天"
        )

    def handle(self, *args, day: date | None, **options) -> None:
        today = day or timezone.localdate()
        recomputed = recompute_open_suspensions(today)
        if recomputed.changed:
            self.stdout.write(f"不计入办案期限的期间尚未结束的案件：期限顺延 {recomputed.changed} 件。")
        result = send_deadline_alerts(today)
        self.stdout.write(f"{today} 期限提醒：{result.summary()}。")
