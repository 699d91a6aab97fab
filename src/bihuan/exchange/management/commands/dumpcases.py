"""`bihuan dumpcases [--org CODE] [--since DATE] [--out FILE]`: write cases in the exchange format."""

from collections.abc import Callable
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import QuerySet

from bihuan.cases.models import Case
from bihuan.exchange.records import dump_records, to_line
from bihuan.orgs.models import Organisation


class Command(BaseCommand):
    help = (
        "以交换格式（JSON Lines，规范形式，见 docs/exchange-format.md）导出案件，按导入（登记）顺序，默认写到标准输出。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--org", metavar="CODE", help="只导出该单位编码的检察院及其下级院的案件")
        parser.add_argument("--since", metavar="DATE", help="只导出受理日期不早于 DATE（YYYY-MM-DD）的案件")
        parser.add_argument("--out", metavar="FILE", help="写入该文件，而不是标准输出")

    def handle(self, *args, **options) -> None:
        cases = Case.objects.all()
        if options["org"]:
            org = Organisation.objects.filter(code=options["org"]).first()
            if org is None:
                raise CommandError(f"没有单位编码为 {options['org']} 的检察院")
            cases = cases.filter(org__path__startswith=org.path)
        if options["since"]:
            try:
                since = date.fromisoformat(options["since"])
            except ValueError as exc:
                raise CommandError(f"--since 应为 YYYY-MM-DD 格式的日期，而不是 {options['since']}") from exc
            cases = cases.filter(received_date__gte=since)
        if options["out"]:
            with Path(options["out"]).open("w", encoding="utf-8", newline="\n") as f:
                count = _write(cases, f.write)
        else:
            count = _write(cases, self.stdout.write)
        self.stderr.write(f"导出 {count} 件案件。")


def _write(cases: QuerySet[Case], write: Callable[[str], object]) -> int:
    count = 0
    for record in dump_records(cases):
        write(to_line(record) + "\n")
        count += 1
    return count
