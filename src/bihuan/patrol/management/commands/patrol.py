"""`bihuan patrol [--full] [--json] [--escalate]`: patrol every case with every enabled rule and
print the run — cases checked, findings opened, still open and auto-closed by severity, the
duration — with each rule's progress on stderr; `--escalate` then escalates what was not
answered in time (the nightly job: `bihuan patrol --full --escalate`).
`bihuan patrol --rules [--json]`: the rule catalogue (code, name, category, severity, basis,
enabled, case types)."""

import json

from django.core.management.base import BaseCommand

from bihuan.cases.choices import CaseType
from bihuan.patrol.actions import do_escalate, do_patrol_full
from bihuan.patrol.models import Rule, Run, Severity

RULE_FIELDS = ("code", "name", "category", "severity", "basis", "enabled", "case_types")
COUNTS = {"opened": "新发现", "still_open": "仍未解决", "auto_closed": "自动销号"}


class Command(BaseCommand):
    help = "电子巡逻车：全面巡查全部案件并输出巡查结果（--rules 列出规则目录，--escalate 同时升级逾期事项）。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--full", action="store_true", help="全面巡查全部案件（命令行只做全面巡查，可省略）")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")
        parser.add_argument("--rules", action="store_true", help="列出规则目录，不巡查")
        parser.add_argument(
            "--escalate",
            action="store_true",
            help="巡查后升级：逾期未整改的口头提示转为通知书，逾期未回复的通知书亮红灯并报分管副检察长",
        )

    def handle(self, *args, **options) -> None:
        if options["rules"]:
            self._rules(as_json=options["json"])
            return
        run = do_patrol_full(progress=self._progress)
        escalated = do_escalate() if options["escalate"] else None
        if options["json"]:
            self.stdout.write(json.dumps(run_json(run, escalated), ensure_ascii=False, indent=2))
        else:
            self._print(run, escalated)

    def _progress(self, done: int, total: int, rule: Rule, hits: int) -> None:
        self.stderr.write(f"[{done}/{total}] {rule.code} {rule.name}：命中 {hits:,}")

    def _print(self, run: Run, escalated: dict | None) -> None:
        self.stdout.write(f"全面巡查完成（巡查记录 #{run.pk}）")
        self.stdout.write(
            f"巡查案件 {run.cases_checked:,} 件，规则 {run.rules} 条，命中 {run.hits:,} 处，"
            f"耗时 {run.duration_ms:,} 毫秒"
        )
        labels = [Severity(s).label for s in Severity.values]
        self.stdout.write(f"{'':<8}" + "".join(f"{label:>8}" for label in labels) + f"{'合计':>8}")
        for name, label in COUNTS.items():
            values = [getattr(run, name).get(s, 0) for s in Severity.values]
            self.stdout.write(f"{label:<8}" + "".join(f"{v:>10,}" for v in values) + f"{sum(values):>10,}")
        if escalated is not None:
            self.stdout.write(
                f"升级：口头提示转通知书 {escalated['prompts']} 项（通知书 {escalated['notices']} 份），"
                f"红灯 {escalated['red']} 份"
            )

    def _rules(self, *, as_json: bool) -> None:
        rules = Rule.objects.order_by("code").values(*RULE_FIELDS)
        if as_json:
            self.stdout.write(json.dumps(list(rules), ensure_ascii=False, indent=2))
            return
        types = dict(CaseType.choices)
        for rule in rules:
            state = "启用" if rule["enabled"] else "停用"
            applies = "、".join(types.get(t, t) for t in rule["case_types"]) or "全部案件"
            self.stdout.write(
                f"{rule['code']:<10}{Severity(rule['severity']).label}  {state}  {rule['name']}"
                f"（{applies}）——{rule['basis']}"
            )
        self.stdout.write(f"共 {len(rules)} 条规则。")


def run_json(run: Run, escalated: dict | None) -> dict:
    """The run as JSON: every severity present in each count (0 when none)."""
    data = {
        "run": run.pk,
        "kind": run.kind,
        "started_at": run.started_at.isoformat(),
        "duration_ms": run.duration_ms,
        "rules": run.rules,
        "cases_checked": run.cases_checked,
        "hits": run.hits,
    }
    for name in COUNTS:
        data[name] = {s: getattr(run, name).get(s, 0) for s in Severity.values}
    if escalated is not None:
        data["escalated"] = escalated
    return data
