"""`bihuan duedate --stage 审查起诉 --received 2024-01-31 [...]`: one statutory due date and its
explanation, computed as the 期限计算器 page does."""

import json

from django.core.management.base import BaseCommand, CommandError

from bihuan.deadlines.calendar import WorkCalendar
from bihuan.deadlines.forms import STAGE_NAMES, DeadlineCalculatorForm


class Command(BaseCommand):
    help = "计算法定期限的届满日期，并列出法律依据和计算过程。"

    def add_arguments(self, parser) -> None:
        names = "、".join(STAGE_NAMES)
        parser.add_argument("--stage", required=True, help=f"期限种类：{names}")
        parser.add_argument("--received", required=True, help="起算日期 YYYY-MM-DD（当日不计入）")
        parser.add_argument("--in-custody", action="store_true", help="犯罪嫌疑人在押；审查逮捕时表示已被拘留（七日）")
        parser.add_argument("--major-complex", action="store_true", help="重大、复杂案件（审查逮捕未拘留的二十日）")
        parser.add_argument("--likely-over-1y", action="store_true", help="可能判处一年以上有期徒刑（速裁十五日）")
        parser.add_argument("--extended", action="store_true", help="已批准延长审查起诉期限十五日")
        parser.add_argument(
            "--suspend", action="append", default=[], metavar="FROM:TO", help="不计入办案期限的期间，可重复"
        )
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def handle(self, *args, **options) -> None:
        stage = STAGE_NAMES.get(options["stage"])
        if stage is None:
            raise CommandError(f"未知的期限种类“{options['stage']}”，应为：{'、'.join(STAGE_NAMES)}。")
        form = DeadlineCalculatorForm(
            {
                "stage": stage,
                "received": options["received"],
                "in_custody": options["in_custody"],
                "major_complex": options["major_complex"],
                "likely_over_1y": options["likely_over_1y"],
                "extended": options["extended"],
                "suspensions": "\n".join(options["suspend"]),
            }
        )
        if not form.is_valid():
            errors = [
                f"{form.fields[name].label}：{error.rstrip('。')}"
                for name, messages in form.errors.items()
                for error in messages
            ]
            raise CommandError("；".join(errors) + "。")
        period = form.period(WorkCalendar.load())
        if options["json"]:
            data = {"due": period.due.isoformat(), "explanation": [str(step) for step in period.steps]}
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.stdout.write(f"期满日期：{period.due}")
        for number, step in enumerate(period.steps, 1):
            self.stdout.write(f"{number}. {step.text}（{step.citation}）" if step.basis else f"{number}. {step.text}")
