"""`bihuan recomputedeadlines [--case ID …]`: recompute the due dates of all open cases at once."""

import sys
import time

from django.core.management.base import BaseCommand
from tqdm import tqdm

from bihuan.deadlines.recompute import candidates, recompute_all


class Command(BaseCommand):
    help = "重新计算全部在办案件（或指定案件）的办案期限届满日，仅写回发生变化的案件。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--case", type=int, action="append", dest="case_ids", help="只计算该案件（可重复）")
        parser.add_argument("--no-progress", action="store_true", help="不显示进度条")

    def handle(self, *args, case_ids: list[int] | None, no_progress: bool, **options) -> None:
        # The raw stream: the progress bar writes partial lines that Django's wrapper would end.
        stderr = options.get("stderr") or sys.stderr
        total = candidates(case_ids).count()
        started = time.monotonic()
        with tqdm(total=total, unit="件", file=stderr, disable=no_progress, mininterval=0.5) as bar:
            result = recompute_all(case_ids=case_ids, progress=bar.update)
        self.stdout.write(f"办案期限重新计算完成：{result.summary()}；用时 {time.monotonic() - started:.1f} 秒。")
