"""`bihuan casecodereminders [--date YYYY-MM-DD]`: the day's case-code reminders (run daily by cron)."""

from datetime import date

from django.core.management.base import BaseCommand
from django.utils import timezone

from bihuan.casecode.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "发送当日案件码提醒：红码案件每7日、黄码案件每15日应重新评估的，提醒承办检察官；非绿码在押案件侦查羁押期限"
        "届满前15日内尚未诉前会商的，提醒承办检察官和本院案件管理部门。同一案件同一天同一类提醒只发一次。应每日定时运行。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--date", type=date.fromisoformat, default=None, dest="day", help="按该日期（YYYY-MM-DD）发送，默认今天"
        )

    def handle(self, *args, day: date | None, **options) -> None:
        today = day or timezone.localdate()
        result = send_reminders(today)
        self.stdout.write(f"{today} 案件码提醒：{result.summary()}。")
