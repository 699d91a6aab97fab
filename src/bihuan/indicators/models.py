"""The indicators' fact table (one row per case and counting date, kept by `facts.py`), their
configuration — which procedural links count as extra 件 in 案-件比 — and the targets and weights
of the dashboards."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models

from bihuan.cases.choices import LinkKind, RiskLevel, Track
from bihuan.cases.models import Case
from bihuan.orgs.models import Department, Organisation, Team, User

# Links that are part of the ordinary course of a case or are not links of the matter at all:
# 改变管辖 restarts the review elsewhere, and a suspension only stops the clock (domain-rules §2.2).
NOT_EXTRA = (LinkKind.JURISDICTION_CHANGE, LinkKind.SUSPENSION)

# The kinds the 系统管理员 may count as extra links.
COUNTABLE_LINKS = tuple(kind for kind in LinkKind if kind not in NOT_EXTRA)


def link_column(kind: str) -> str:
    """The fact-table column holding a matter's number of links of one kind (`CaseFact`)."""
    return f"link_{kind}"


# The §7.3 default list of extra links (domain-rules §2.2, §7.3).
DEFAULT_EXTRA_LINKS = (
    LinkKind.SUPPLEMENTARY_INVESTIGATION,
    LinkKind.EXTENSION,
    LinkKind.NO_ARREST_RECONSIDERATION,
    LinkKind.NO_ARREST_REVIEW,
    LinkKind.NP_RECONSIDERATION,
    LinkKind.NP_REVIEW,
    LinkKind.NP_COMPLAINT,
    LinkKind.WITHDRAWAL,
    LinkKind.APPEAL,
    LinkKind.PROTEST,
    LinkKind.RETRIAL,
)


class ExtraLink(models.Model):
    """One kind of procedural link counted as an extra 件 of 案-件比 (one row per kind).

    The SPP has changed the list of counted links between versions (domain-rules §2.1–§2.2), so it
    is configuration the 系统管理员 edits in the admin; a data migration seeds the §7.3 defaults.
    """

    kind = models.CharField(
        "程序环节",
        max_length=30,
        unique=True,
        choices=[(kind.value, kind.label) for kind in COUNTABLE_LINKS],
    )
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["kind"]
        verbose_name = "案-件比额外环节"
        verbose_name_plural = "案-件比额外环节"

    def __str__(self) -> str:
        return self.get_kind_display()


def extra_link_kinds() -> list[str]:
    """The link kinds in force for 案-件比 (one query)."""
    return list(ExtraLink.objects.order_by("kind").values_list("kind", flat=True))


class CaseFact(models.Model):
    """What the indicators count of one case on one day: one row for the day the case concluded
    (its suspects' outcomes, its own figures, its 退补 and 延长, and — on the last stage of a
    concluded matter — the matter's 案 and its links of each countable kind), one for each day its
    suspects were judged. Each column below `prosecutor` is one measure of
    `definitions.MEASURES` (a COUNT, or a SUM of days, of that measure's rows of the case dated
    `day`), or a matter's number of links of one kind, so every indicator of any scope and periods
    is a SUM over these rows (`engine.compute`). Derived data: `facts.refresh_facts` writes it from
    the cases, set-based, within the writes of the case (see docs/indicators.md for when it
    follows them).

    No database constraints (a full rebuild would otherwise queue a key check per row, as with
    `deadlines.CaseDue`); deleting a case deletes its rows (Django's cascade). The scope columns
    copy the case's, under the same names, so that `access.Scope.case_q()` applies as it is."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, db_constraint=False, db_index=False, related_name="+")
    day = models.DateField("统计日期")
    org = models.ForeignKey(
        Organisation, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    department = models.ForeignKey(
        Department, null=True, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    team = models.ForeignKey(
        Team, null=True, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    prosecutor = models.ForeignKey(
        User, null=True, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    # Suspects of the case concluded on `day`.
    closed_persons = models.SmallIntegerField(default=0)
    plea_persons = models.SmallIntegerField(default=0)
    prosecuted = models.SmallIntegerField(default=0)
    not_prosecuted = models.SmallIntegerField(default=0)
    arrested_at_close = models.SmallIntegerField(default=0)
    withdrawn = models.SmallIntegerField(default=0)
    recommended = models.SmallIntegerField(default=0)
    recommended_fixed = models.SmallIntegerField(default=0)
    arrest_approved = models.SmallIntegerField(default=0)
    arrest_refused = models.SmallIntegerField(default=0)
    # Suspects judged on `day`.
    judged = models.SmallIntegerField(default=0)
    acquitted = models.SmallIntegerField(default=0)
    judged_recommended = models.SmallIntegerField(default=0)
    adopted = models.SmallIntegerField(default=0)
    # The case, concluded on `day`.
    closed_cases = models.SmallIntegerField(default=0)
    fast_track_cases = models.SmallIntegerField(default=0)
    closed_prosecution = models.SmallIntegerField(default=0)
    closed_simple = models.SmallIntegerField(default=0)
    closed_complex = models.SmallIntegerField(default=0)
    gross_days = models.IntegerField(default=0)
    gross_days_simple = models.IntegerField(default=0)
    gross_days_complex = models.IntegerField(default=0)
    # Its 退回补充侦查 and 延长 (a 审查起诉 case concluded on `day`).
    returns = models.SmallIntegerField(default=0)
    extensions = models.SmallIntegerField(default=0)
    days_out = models.IntegerField(default=0)
    days_out_simple = models.IntegerField(default=0)
    days_out_complex = models.IntegerField(default=0)
    # The matter, when the case is its last stage and every stage has concluded: 1 案, and the links
    # of all its cases per countable kind (the engine sums the kinds in force, `ExtraLink`).
    matters = models.SmallIntegerField(default=0)
    link_supplementary = models.SmallIntegerField(default=0)
    link_extension = models.SmallIntegerField(default=0)
    link_withdrawal = models.SmallIntegerField(default=0)
    link_appeal = models.SmallIntegerField(default=0)
    link_protest = models.SmallIntegerField(default=0)
    link_retrial = models.SmallIntegerField(default=0)
    link_no_arrest_reconsideration = models.SmallIntegerField(default=0)
    link_no_arrest_review = models.SmallIntegerField(default=0)
    link_np_reconsideration = models.SmallIntegerField(default=0)
    link_np_review = models.SmallIntegerField(default=0)
    link_np_complaint = models.SmallIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "day"], name="casefact_case_day")]
        # Every scope filters on the procuratorate (a tree: the procuratorates below), then the
        # period on `day`.
        indexes = [models.Index(fields=["org", "day"], name="casefact_org_day")]
        verbose_name = "指标事实"
        verbose_name_plural = "指标事实"

    def __str__(self) -> str:
        return f"{self.case_id} {self.day}"


class Direction(models.TextChoices):
    HIGHER = "higher", "越高越好（不低于目标）"
    LOWER = "lower", "越低越好（不高于目标）"


class Colour(models.TextChoices):
    """The 红黄蓝 marks of the target table: blue meets the target, yellow misses it within the
    tolerance band, red misses it by more."""

    BLUE = "blue", "蓝（达到目标）"
    YELLOW = "yellow", "黄（接近目标）"
    RED = "red", "红（未达目标）"


def indicator_choices() -> list[tuple[str, str]]:
    """The registry's indicators (imported late: the registry builds queries, which need the
    models loaded)."""
    from bihuan.indicators.definitions import INDICATORS

    return [(indicator.code, indicator.name) for indicator in INDICATORS]


class Target(models.Model):
    """A target value of one indicator for the 红黄蓝 table of the dashboards.

    Configuration the 系统管理员 edits in the admin; a data migration seeds defaults from
    domain-rules §2.3 (S7) and seed 004 (see migration 0004). Targets serve the analysis of a
    team's or prosecutor's work against a shared aim, not a ranking.
    """

    indicator = models.CharField("指标", max_length=40, unique=True, choices=indicator_choices)
    value = models.DecimalField(
        "目标值", max_digits=8, decimal_places=2, help_text="比率为百分数，天数为天，案-件比为件/案（1 : 目标值）"
    )
    direction = models.CharField("方向", max_length=10, choices=Direction.choices)
    tolerance = models.DecimalField(
        "黄色区间",
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(0)],
        help_text="未达目标、但与目标之差不超过此值的为黄，超过的为红（比率为百分点）",
    )
    note = models.CharField("依据", max_length=200, blank=True)

    class Meta:
        ordering = ["indicator"]
        verbose_name = "指标目标值"
        verbose_name_plural = "指标目标值"

    def __str__(self) -> str:
        return f"{self.get_indicator_display()} {self.rule}"

    @property
    def rule(self) -> str:
        """The target in words: ≥ 85.00（黄：≥ 80.00）."""
        if self.direction == Direction.HIGHER:
            return f"≥ {self.value}（黄：≥ {self.value - self.tolerance}）"
        return f"≤ {self.value}（黄：≤ {self.value + self.tolerance}）"

    def colour(self, value: Decimal | None) -> Colour | None:
        """Blue when the value meets the target, yellow when it misses by at most the tolerance,
        red otherwise; None when there is no value (a zero denominator)."""
        if value is None:
            return None
        gap = value - self.value if self.direction == Direction.HIGHER else self.value - value
        if gap >= 0:
            return Colour.BLUE
        return Colour.YELLOW if -gap <= self.tolerance else Colour.RED


class Factor(models.TextChoices):
    """What gives a concluded case its weight in the 团队贡献度系数: its track (one of the three
    applies to every case) and, added on top, its complexity and risk."""

    SIMPLE = "simple", "简案"
    COMPLEX = "complex", "繁案"
    UNSORTED = "unsorted", "未分流"
    MAJOR_COMPLEX = "major_complex", "重大复杂（加计）"
    RISK_MEDIUM = "risk_medium", "风险等级中（加计）"
    RISK_HIGH = "risk_high", "风险等级高（加计）"


# The case condition of each factor (Case fields).
FACTOR_Q = {
    Factor.SIMPLE: models.Q(track=Track.SIMPLE),
    Factor.COMPLEX: models.Q(track=Track.COMPLEX),
    Factor.UNSORTED: models.Q(track=Track.UNSORTED),
    Factor.MAJOR_COMPLEX: models.Q(is_major_complex=True),
    Factor.RISK_MEDIUM: models.Q(risk_level=RiskLevel.MEDIUM),
    Factor.RISK_HIGH: models.Q(risk_level=RiskLevel.HIGH),
}
TRACK_FACTORS = (Factor.SIMPLE, Factor.COMPLEX, Factor.UNSORTED)


class ContributionWeight(models.Model):
    """The weight of one factor in the 团队贡献度系数 (seed 004: 奉化's 团队贡献度系数; the weights
    are a local choice, edited by the 系统管理员 in the admin; defaults seeded by migration 0004).
    A case counts the weight of its track plus the weight of each added factor it has; a factor
    without a row weighs 0."""

    factor = models.CharField("因素", max_length=20, unique=True, choices=Factor.choices)
    weight = models.DecimalField("权重", max_digits=5, decimal_places=2, validators=[MinValueValidator(0)])
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["factor"]
        verbose_name = "团队贡献度权重"
        verbose_name_plural = "团队贡献度权重"

    def __str__(self) -> str:
        return f"{self.get_factor_display()} {self.weight}"


def contribution_weights() -> dict[str, Decimal]:
    """The weight of every factor (0 for a factor without a row), one query."""
    weights = dict(ContributionWeight.objects.values_list("factor", "weight"))
    return {factor: weights.get(factor, Decimal(0)) for factor in Factor.values}
