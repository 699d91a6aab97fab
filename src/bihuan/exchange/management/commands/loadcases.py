"""`bihuan loadcases FILE [--dry-run]`: load cases from an exchange-format file."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bihuan.exchange.load import load_jsonl


class Command(BaseCommand):
    help = (
        "从交换格式文件（JSON Lines，每行一件案件，见 docs/exchange-format.md）导入案件。"
        "按部门受案号幂等：未变的案件不写入，有变化的更新并留痕。有误的行在标准错误上逐条报告并跳过，"
        "其余行照常导入；有行被拒绝时退出码为 1。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="JSON Lines 文件")
        parser.add_argument("--dry-run", action="store_true", help="只校验并统计，不写入数据库")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        # The progress bar and the rejected lines go to the raw stream: Django's wrapper would
        # add a newline to every piece tqdm writes.
        report = load_jsonl(path, dry_run=options["dry_run"], stderr=options.get("stderr") or sys.stderr)
        prefix = "试运行，未写入数据库：" if options["dry_run"] else ""
        self.stdout.write(prefix + report.summary())
        if not (report.created or report.updated or report.rejected):
            self.stdout.write("数据库中的案件与文件一致，未作任何修改。")
        if report.rejected:
            sys.exit(1)
