"""`bihuan importreport FILE [--org CODE] [--all-or-nothing]`: import a business report file."""

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bihuan.bizreports.actions import do_import_report
from bihuan.bizreports.importer import ReportFileError
from bihuan.orgs.models import Organisation


class Command(BaseCommand):
    help = (
        "导入业务报表文件（CSV 或 Excel .xlsx，格式见 docs/business-reports.md）。"
        "有误的行在标准错误上逐条报告（行号和字段）并不写入，其余行照常导入；有行被拒绝时退出码为 1。"
        "同一文件重复导入不作修改。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="报表文件（.csv 或 .xlsx）")
        parser.add_argument("--org", metavar="CODE", help="只导入该单位编码的检察院的报表，其他单位的行被拒绝")
        parser.add_argument("--all-or-nothing", action="store_true", help="有任一行错误时全部不导入")

    def handle(self, *args, **options) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}")
        org = None
        if options["org"]:
            org = Organisation.objects.filter(code=options["org"]).first()
            if org is None:
                raise CommandError(f"未找到单位编码为 {options['org']} 的检察院")
        try:
            with path.open("rb") as file:
                result = do_import_report(file, None, org=org, all_or_nothing=options["all_or_nothing"])
        except ReportFileError as error:
            raise CommandError(str(error)) from error
        for error in result.parsed.errors:
            self.stderr.write(str(error))
        for batch in result.stored.batches:
            self.stdout.write(f"批次 {batch.pk}：{batch.org.name}，写入 {batch.rows_accepted} 条")
        self.stdout.write(result.summary())
        if result.parsed.errors:
            sys.exit(1)
