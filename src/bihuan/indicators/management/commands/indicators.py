"""`bihuan indicators --org CODE --from DATE --to DATE [--include-lower] [--json]`: every
indicator of a procuratorate for a period, with numerator, denominator and value.
`bihuan indicators --refresh-facts`: rebuild the fact table from all cases (progress on stderr)."""

import json
import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError

from bihuan.indicators.access import org_scope
from bihuan.indicators.definitions import INDICATORS
from bihuan.indicators.engine import compute
from bihuan.indicators.facts import refresh_facts
from bihuan.indicators.periods import Period
from bihuan.orgs.models import Organisation


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise CommandError(f"日期格式应为 YYYY-MM-DD：{text}") from error


class Command(BaseCommand):
    help = (
        "计算一个检察院在统计期间内的全部案件质量指标（口径见 docs/indicators.md），"
        "输出分子、分母和指标值；分母为零时指标值为“—”（JSON 中为 null）。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--org", metavar="CODE", help="检察院的单位编码")
        parser.add_argument("--from", dest="start", metavar="DATE", help="开始日期（含），YYYY-MM-DD")
        parser.add_argument("--to", dest="end", metavar="DATE", help="结束日期（含），YYYY-MM-DD")
        parser.add_argument("--include-lower", action="store_true", help="包括下级检察院的案件")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")
        parser.add_argument(
            "--refresh-facts", action="store_true", help="由全部案件重建指标事实表（进度输出到标准错误），不计算指标"
        )

    def handle(self, *args, **options) -> None:
        if options["refresh_facts"]:
            self._refresh()
            return
        missing = [f"--{name}" for name, key in (("org", "org"), ("from", "start"), ("to", "end")) if not options[key]]
        if missing:
            raise CommandError(f"缺少参数：{'、'.join(missing)}")
        org = Organisation.objects.filter(code=options["org"]).first()
        if org is None:
            raise CommandError(f"未找到单位编码为 {options['org']} 的检察院")
        start, end = _date(options["start"]), _date(options["end"])
        if end < start:
            raise CommandError("结束日期不能早于开始日期")
        scope = org_scope(org, include_lower=options["include_lower"])
        period = Period(start, end)
        (figures,) = compute(scope, [period])
        rows = [figures[indicator.code] for indicator in INDICATORS]
        if options["json"]:
            self.stdout.write(json.dumps(self._as_json(org, scope.include_lower, period, rows), ensure_ascii=False))
            return
        self.stdout.write(f"{scope.label} · {period.label}")
        self.stdout.write("指标\t分子\t分母\t指标值")
        for figure in rows:
            indicator = figure.indicator
            self.stdout.write(
                f"{indicator.name}\t{indicator.numerator.label} {figure.numerator}{indicator.numerator.unit}\t"
                f"{indicator.denominator.label} {figure.denominator}{indicator.denominator.unit}\t{figure.display}"
            )

    def _refresh(self) -> None:
        started = time.monotonic()

        def progress(done: int, total: int) -> None:
            self.stderr.write(f"  {done:,} / {total:,} 个案件编号（{time.monotonic() - started:.0f} 秒）")

        rows = refresh_facts(progress=progress)
        self.stderr.write(f"指标事实表已重建：{rows:,} 行，用时 {time.monotonic() - started:.1f} 秒。")

    @staticmethod
    def _as_json(org: Organisation, include_lower: bool, period: Period, rows: list) -> dict:
        return {
            "org": org.code,
            "org_name": org.name,
            "include_lower": include_lower,
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
            "indicators": [
                {
                    "code": figure.indicator.code,
                    "name": figure.indicator.name,
                    "numerator": figure.numerator,
                    "numerator_unit": figure.indicator.numerator.unit,
                    "denominator": figure.denominator,
                    "denominator_unit": figure.indicator.denominator.unit,
                    # Percent for a rate, days for a mean, 件/案 for 案-件比; null for a zero denominator.
                    "value": None if figure.value is None else float(figure.value),
                    "value_unit": figure.indicator.value_unit,
                    "display": figure.display,
                }
                for figure in rows
            ],
        }
