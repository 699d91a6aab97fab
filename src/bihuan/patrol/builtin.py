"""The built-in rule catalogue: `catalogue/*.yaml`, one file per category (docs/patrol.md).

`load_builtin` reads and checks every file; a bad built-in rule is a programming error and stops
loudly, naming the file and the rule. `sync_builtin_rules` keeps the `Rule` rows in step with the
files (run after every migrate): it adds the rules that are missing and rewrites the built-in rows
an administrator has not changed (`customised`), bumping `version` when what the rule finds (its
definition or severity) changed. `enabled: false` ships a rule switched off (a rule about documents
only an office that keeps all of them in Bihuan should run); the office switches it on.
"""

from importlib import resources
from typing import Any

import yaml
from django.db import transaction

from bihuan.events.actions import EventSpec, jsonable, record_many
from bihuan.patrol.lang import check_definition
from bihuan.patrol.models import Category, Rule, Severity

RULES_PACKAGE = "bihuan.patrol"
RULES_DIR = "catalogue"
REQUIRED = ("code", "name", "category", "basis", "severity", "message", "subject", "when")
OPTIONAL = ("reply_days", "case_types", "show", "enabled")
DEFINITION_KEYS = ("subject", "when", "show")
COLUMNS = ("name", "category", "basis", "severity", "reply_days", "case_types", "message")
DEFAULT_REPLY_DAYS = 10  # Rule 665: 收到通知书后 10 日以内书面回复
CASE_TYPES = ("arrest_review", "prosecution_review")


class BuiltinRuleError(ValueError):
    """A built-in rule file that does not load or check."""


def _problems(entry: Any) -> list[str]:
    if not isinstance(entry, dict):
        return ["规则应为对象"]
    problems = []
    missing = [key for key in REQUIRED if key not in entry]
    if missing:
        problems.append(f"缺少 {'、'.join(missing)}")
    unknown = set(entry) - set(REQUIRED) - set(OPTIONAL)
    if unknown:
        problems.append(f"未知的键 {'、'.join(sorted(unknown))}")
    if entry.get("category") not in Category.values:
        problems.append(f"未知类别 {entry.get('category')!r}")
    if entry.get("severity") not in Severity.values:
        problems.append(f"未知严重程度 {entry.get('severity')!r}")
    reply_days = entry.get("reply_days", DEFAULT_REPLY_DAYS)
    if not isinstance(reply_days, int) or isinstance(reply_days, bool) or reply_days < 1:
        problems.append(f"回复期限应为正整数：{reply_days!r}")
    case_types = entry.get("case_types", [])
    if not isinstance(case_types, list) or set(case_types) - set(CASE_TYPES):
        problems.append(f"适用案件类别应为 {'、'.join(CASE_TYPES)} 的列表：{case_types!r}")
    if not isinstance(entry.get("enabled", True), bool):
        problems.append(f"启用应为 true 或 false：{entry.get('enabled')!r}")
    problems.extend(check_definition({key: entry[key] for key in DEFINITION_KEYS if key in entry}))
    return problems


def _rule(entry: dict) -> dict:
    return {
        "code": entry["code"],
        "name": entry["name"],
        "category": entry["category"],
        "basis": entry["basis"],
        "severity": entry["severity"],
        "reply_days": entry.get("reply_days", DEFAULT_REPLY_DAYS),
        "case_types": entry.get("case_types", []),
        "message": entry["message"],
        "definition": {key: entry[key] for key in DEFINITION_KEYS if key in entry},
        # Only a new row takes it: whether a rule runs is the office's choice after that.
        "enabled": entry.get("enabled", True),
    }


def load_builtin() -> list[dict]:
    """Every built-in rule, checked, in file and then file order: dicts with the `Rule` columns
    (code, name, category, basis, severity, reply_days, case_types, message) and `definition`
    (subject, when, show). Raises BuiltinRuleError naming the file and code of a bad rule."""
    rules: list[dict] = []
    seen: dict[str, str] = {}
    directory = resources.files(RULES_PACKAGE) / RULES_DIR
    files = sorted((f for f in directory.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)
    for file in files:
        try:
            entries = yaml.safe_load(file.read_text(encoding="utf-8")) or []
        except yaml.YAMLError as error:
            raise BuiltinRuleError(f"{file.name}：无法读取：{error}") from error
        if not isinstance(entries, list):
            raise BuiltinRuleError(f"{file.name}：应为规则列表")
        for i, entry in enumerate(entries):
            code = entry.get("code", f"第{i + 1}条") if isinstance(entry, dict) else f"第{i + 1}条"
            problems = _problems(entry)
            if problems:
                raise BuiltinRuleError(f"{file.name} {code}：{'；'.join(problems)}")
            if code in seen:
                raise BuiltinRuleError(f"{file.name} {code}：编号与 {seen[code]} 中的规则重复")
            seen[code] = file.name
            rules.append(_rule(entry))
    return rules


@transaction.atomic
def sync_builtin_rules() -> tuple[int, int]:
    """Create the missing built-in rules and update the built-in rows not customised by an
    administrator; returns (created, updated). A row of the same code that an administrator
    created (not built-in) is left alone. One audit event records what a sync changed (the codes
    added, and each updated rule's changed columns); a sync that changes nothing records none."""
    rules = load_builtin()
    existing = {rule.code: rule for rule in Rule.objects.filter(code__in=[r["code"] for r in rules])}
    added: list[str] = []
    changed: dict[str, dict] = {}
    for spec in rules:
        row = existing.get(spec["code"])
        if row is None:
            Rule.objects.create(builtin=True, **spec)
            added.append(spec["code"])
            continue
        if not row.builtin or row.customised:
            continue
        changes = {
            name: [getattr(row, name), spec[name]]
            for name in (*COLUMNS, "definition")
            if getattr(row, name) != spec[name]
        }
        if not changes:
            continue
        for name, (_, after) in changes.items():
            setattr(row, name, after)
        if changes.keys() & {"definition", "severity"}:
            row.version += 1
        row.save()
        changed[row.code] = {name: [jsonable(before), jsonable(after)] for name, (before, after) in changes.items()}
    if added or changed:
        parts = [f"新增 {len(added)} 条" + (f"（{'、'.join(added)}）" if added else "")]
        parts.append(f"更新 {len(changed)} 条" + (f"（{'、'.join(changed)}）" if changed else ""))
        record_many(
            [
                EventSpec(
                    action="patrol.rule.builtin_sync",
                    object_type=Rule._meta.label_lower,
                    object_id="catalogue",
                    summary=f"内置巡查规则同步：{'，'.join(parts)}",
                    changes=changed,
                )
            ]
        )
    return len(added), len(changed)
