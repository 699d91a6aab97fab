"""Rules over the monthly report figures (业务报表 ↔ 案卡, seed 004): the condition is evaluated
over the rows of `bizreports.figures.compare` — each item's reported figure beside the figure the
case cards give — for every unit that reported a month of the period."""

from collections.abc import Iterable
from datetime import date

from bihuan.bizreports.figures import compare, reported_units
from bihuan.patrol.lang.memory import Evaluator, shown
from bihuan.patrol.lang.values import Compiled, Detail, shift


def report_hits(
    compiled: Compiled, *, today: date, months: int = 12, org_ids: Iterable[int] | None = None
) -> dict[str, Detail]:
    """The hits of a `report` rule over the last `months` months (the current one included), for
    the units that reported them (of `org_ids` when given). Each unit-month is counted set-based
    by figures.py (a few aggregate queries), never case by case."""
    if compiled.subject != "report":
        raise ValueError("report_hits evaluates report rules only")
    orgs = None if org_ids is None else set(org_ids)
    evaluator = Evaluator(today)
    hits = {}
    for back in range(months):
        month = shift(today.replace(day=1), -back)
        for org, department in reported_units(month.year, month.month):
            if orgs is not None and org.pk not in orgs:
                continue
            unit = department.name if department else "本院"
            for row in compare(org, month.year, month.month, department):
                values = {
                    "org": org.pk,
                    "department": department.pk if department else None,
                    "year": month.year,
                    "month": month.month,
                    "item": row.item.code,
                    "item_name": row.item.name,
                    "value": row.reported,
                    "counted": row.computed,
                }
                env = {"report": values}
                if not evaluator.condition(compiled.tree.when, env):
                    continue
                key = f"report:{org.pk}:{department.pk if department else 0}:{month:%Y-%m}:{row.item.code}"
                hits[key] = Detail(
                    key=key,
                    case_id=None,
                    org_id=org.pk,
                    department_id=department.pk if department else None,
                    team_id=None,
                    prosecutor_id=None,
                    subject_text=f"{unit} {month.year}年{month.month}月 {row.item.label}",
                    values=shown(evaluator, compiled, env),
                )
    return hits
