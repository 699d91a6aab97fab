from django.db import models


class RuleKind(models.TextChoices):
    """What a rule decides: the track (繁简) or the risk level (风险等级)."""

    TRACK = "track", "繁简分流"
    RISK = "risk", "风险等级"


class Outcome(models.TextChoices):
    """What a matching rule yields; the first two are tracks, the others risk levels."""

    SIMPLE = "simple", "简案"
    COMPLEX = "complex", "繁案"
    HIGH = "high", "高风险"
    MEDIUM = "medium", "中风险"
    LOW = "low", "低风险"


OUTCOMES_BY_KIND = {
    RuleKind.TRACK: (Outcome.SIMPLE, Outcome.COMPLEX),
    RuleKind.RISK: (Outcome.HIGH, Outcome.MEDIUM, Outcome.LOW),
}


class Op(models.TextChoices):
    """The operators a rule condition may use (one `eval_<op>` each in engine.py)."""

    EQ = "eq", "等于"
    NE = "ne", "不等于"
    IN = "in", "属于"
    NOT_IN = "not_in", "不属于"
    GT = "gt", "大于"
    GTE = "gte", "大于等于"
    LT = "lt", "小于"
    LTE = "lte", "小于等于"
    CONTAINS_ANY = "contains_any", "包含任一"


class Method(models.TextChoices):
    """How a case came to its prosecutor (分案方式), as the 分案台账 lists it."""

    FAST_ROTATION = "fast_rotation", "快审轮案"
    ROTATION = "rotation", "繁案轮案"
    DESIGNATED = "designated", "指定分案"
    REASSIGNED = "reassigned", "改派"
