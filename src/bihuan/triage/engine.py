"""The rule language of the triage standard and its evaluator.

A rule's `conditions` is a list of conditions that must all hold (all-of):

    [{"feature": "suspect_count", "op": "gt", "value": 1},
     {"feature": "tags", "op": "contains_any", "value": ["涉黑涉恶"]}]

An empty list always matches (the fallback rule). Rules are tried in order; the first match
decides. Evaluation has no side effects.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from bihuan.triage.choices import Op
from bihuan.triage.features import BOOL, FEATURES, INT, LIST, STR

# Which operators suit which feature kind.
OPS_BY_KIND = {
    STR: {Op.EQ, Op.NE, Op.IN, Op.NOT_IN},
    INT: {Op.EQ, Op.NE, Op.IN, Op.NOT_IN, Op.GT, Op.GTE, Op.LT, Op.LTE},
    BOOL: {Op.EQ, Op.NE},
    LIST: {Op.CONTAINS_ANY},
}
LIST_VALUED_OPS = {Op.IN, Op.NOT_IN, Op.CONTAINS_ANY}
SCALAR_TYPES = {STR: str, INT: int, BOOL: bool}


class RuleError(ValueError):
    """A condition that does not fit the rule language; the message is shown to the administrator."""


def _check_scalar(kind: str, value: Any, label: str) -> None:
    # bool is a subclass of int: an int feature must not accept true/false.
    wanted = SCALAR_TYPES[STR if kind == LIST else kind]
    if not isinstance(value, wanted) or (wanted is int and isinstance(value, bool)):
        raise RuleError(f"“{label}”的取值类型不正确：{value!r}")


def check_condition(condition: Any) -> None:
    """Raise RuleError unless the condition names a known feature, an operator that suits it,
    and values of the right type (and, where the feature has a value list, known values)."""
    if not isinstance(condition, dict) or set(condition) != {"feature", "op", "value"}:
        raise RuleError("每个条件必须且只能包含 feature、op、value 三项")
    feature = FEATURES.get(condition["feature"])
    if feature is None:
        raise RuleError(f"未知的要素：{condition['feature']!r}")
    op = condition["op"]
    if op not in Op.values:
        raise RuleError(f"未知的运算符：{op!r}")
    if op not in OPS_BY_KIND[feature.kind]:
        raise RuleError(f"要素“{feature.label}”不能使用运算符“{Op(op).label}”")
    value = condition["value"]
    values = value if op in LIST_VALUED_OPS else [value]
    if op in LIST_VALUED_OPS and (not isinstance(value, list) or not value):
        raise RuleError(f"运算符“{Op(op).label}”的取值必须是非空列表")
    for item in values:
        _check_scalar(feature.kind, item, feature.label)
    if feature.values is not None:
        known = feature.values()
        unknown = [item for item in values if item not in known]
        if unknown:
            raise RuleError(f"要素“{feature.label}”没有这些取值：{'、'.join(map(str, unknown))}")


def check_conditions(conditions: Any) -> None:
    if not isinstance(conditions, list):
        raise RuleError("条件必须是列表（全部满足时规则命中）")
    for condition in conditions:
        check_condition(condition)


class Evaluator:
    """Evaluates one condition against one case's features: one method per operator."""

    def eval_eq(self, actual: Any, value: Any) -> bool:
        return actual == value

    def eval_ne(self, actual: Any, value: Any) -> bool:
        return actual != value

    def eval_in(self, actual: Any, value: list) -> bool:
        return actual in value

    def eval_not_in(self, actual: Any, value: list) -> bool:
        return actual not in value

    def eval_gt(self, actual: Any, value: Any) -> bool:
        return actual > value

    def eval_gte(self, actual: Any, value: Any) -> bool:
        return actual >= value

    def eval_lt(self, actual: Any, value: Any) -> bool:
        return actual < value

    def eval_lte(self, actual: Any, value: Any) -> bool:
        return actual <= value

    def eval_contains_any(self, actual: Iterable, value: list) -> bool:
        return not set(actual).isdisjoint(value)

    def holds(self, condition: dict, features: dict) -> bool:
        return getattr(self, f"eval_{condition['op']}")(features[condition["feature"]], condition["value"])

    def matches(self, conditions: Sequence[dict], features: dict) -> bool:
        return all(self.holds(c, features) for c in conditions)


EVALUATOR = Evaluator()


@dataclass(frozen=True)
class Decision:
    """The outcome for one case and the rule that gave it (None: no rule matched)."""

    outcome: str
    rule: Any
    name: str
    explanation: str


def decide(rules: Sequence[Any], features: dict, *, fallback: str, fallback_name: str) -> Decision:
    """The first rule (in order) whose conditions all hold decides; otherwise `fallback`."""
    for rule in rules:
        if EVALUATOR.matches(rule.conditions, features):
            return Decision(rule.outcome, rule, rule.name, rule.explanation)
    return Decision(fallback, None, fallback_name, "现行标准中没有规则与本案相符，按默认结果处理。")


def describe(condition: dict) -> str:
    """A condition in Chinese, e.g. “犯罪嫌疑人人数 大于 1”."""
    feature = FEATURES.get(condition.get("feature"))
    if feature is None:
        return str(condition)
    labels = feature.values() if feature.values is not None else {}
    value = condition["value"]
    items = value if isinstance(value, list) else [value]
    shown = "、".join(
        ("是" if item else "否") if isinstance(item, bool) else labels.get(item, str(item)) or "（空）"
        for item in items
    )
    return f"{feature.label} {Op(condition['op']).label} {shown}"
