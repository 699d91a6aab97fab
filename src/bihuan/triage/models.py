"""The triage standard (繁简分流标准 and risk rules), the decisions it made per case, manual risk
overrides, and the assignment ledger (分案台账) with its rotation pointers and pauses."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from bihuan.cases.choices import RiskLevel
from bihuan.cases.models import Case
from bihuan.orgs.models import Department, Organisation, Team, User
from bihuan.triage.choices import OUTCOMES_BY_KIND, Method, Outcome, RuleKind
from bihuan.triage.engine import RuleError, check_conditions, describe


class TriageRule(models.Model):
    """One rule of the standard in force: all its conditions hold → its outcome. Rules of a kind
    are tried by `position`; the first match decides. Edited by the 系统管理员."""

    kind = models.CharField("规则类别", max_length=10, choices=RuleKind.choices)
    position = models.PositiveIntegerField("顺序", help_text="数字小的先判断；第一条命中的规则决定结果。")
    name = models.CharField("规则名称", max_length=60)
    explanation = models.CharField("说明", max_length=300, help_text="在案件页面上向办案人员展示的依据说明。")
    conditions = models.JSONField(
        "条件",
        default=list,
        blank=True,
        help_text='全部满足时命中；空列表表示兜底规则。例：[{"feature": "suspect_count", "op": "gt", "value": 1}]',
    )
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices)
    is_active = models.BooleanField("启用", default=True)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        ordering = ["kind", "position", "id"]
        verbose_name = "分流与风险规则"
        verbose_name_plural = "分流与风险规则"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}·{self.name}"

    def clean(self) -> None:
        errors = {}
        try:
            check_conditions(self.conditions)
        except RuleError as exc:
            errors["conditions"] = str(exc)
        if self.kind in OUTCOMES_BY_KIND and self.outcome not in OUTCOMES_BY_KIND[self.kind]:
            allowed = "、".join(Outcome(o).label for o in OUTCOMES_BY_KIND[self.kind])
            errors["outcome"] = f"{self.get_kind_display()}规则的结果只能是：{allowed}"
        if errors:
            raise ValidationError(errors)

    def describe_conditions(self) -> list[str]:
        return [describe(c) for c in self.conditions]


class TriageDecision(models.Model):
    """What the standard decided for a case at one moment: the outcome, the rule, and a snapshot
    of the rule's name and explanation and of the features it read, so that a later edit of
    the rule never rewrites a past result."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="triage_decisions")
    kind = models.CharField("类别", max_length=10, choices=RuleKind.choices)
    outcome = models.CharField("结果", max_length=10, choices=Outcome.choices)
    rule = models.ForeignKey(
        TriageRule, verbose_name="规则", null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    rule_name = models.CharField("规则名称", max_length=60)
    rule_explanation = models.CharField("规则说明", max_length=300)
    features = models.JSONField("判断要素", default=dict)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("判断时间", auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        # The case page reads the latest decision of each kind for one case.
        indexes = [models.Index(fields=["case", "kind", "-id"], name="triage_decision_latest")]
        verbose_name = "分流结果"
        verbose_name_plural = "分流结果"

    def __str__(self) -> str:
        return f"{self.case_id} {self.get_outcome_display()}（{self.rule_name}）"


class RiskOverride(models.Model):
    """A manual change of a case's risk level, with its written reason (人工调整风险等级)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_overrides")
    level = models.CharField("调整后风险等级", max_length=10, choices=RiskLevel.choices)
    previous_level = models.CharField("调整前风险等级", max_length=10, choices=RiskLevel.choices)
    reason = models.CharField("理由", max_length=300)
    by = models.ForeignKey(User, verbose_name="调整人", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("调整时间", auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "风险等级人工调整"
        verbose_name_plural = "风险等级人工调整"

    def __str__(self) -> str:
        return f"{self.case_id} {self.previous_level}→{self.level}"


class Assignment(models.Model):
    """One line of the 分案台账: a case given to a prosecutor, how, why and by whom."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    org = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(Department, null=True, on_delete=models.PROTECT, related_name="+")
    team = models.ForeignKey(Team, verbose_name="办案团队", null=True, blank=True, on_delete=models.SET_NULL)
    prosecutor = models.ForeignKey(User, verbose_name="承办检察官", on_delete=models.PROTECT, related_name="+")
    previous_prosecutor = models.ForeignKey(
        User, verbose_name="原承办检察官", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    method = models.CharField("分案方式", max_length=20, choices=Method.choices)
    reason = models.CharField("理由", max_length=300, blank=True)
    by = models.ForeignKey(
        User, verbose_name="操作人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("分案时间", auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        # The ledger pages by (at, id) within the viewer's procuratorate, department or own cases.
        indexes = [
            models.Index(fields=["org", "at", "id"], name="assignment_org"),
            models.Index(fields=["department", "at", "id"], name="assignment_department"),
            models.Index(fields=["prosecutor", "at", "id"], name="assignment_prosecutor"),
        ]
        verbose_name = "分案记录"
        verbose_name_plural = "分案台账"

    def __str__(self) -> str:
        return f"{self.case_id} → {self.prosecutor}（{self.get_method_display()}）"


class RotationPointer(models.Model):
    """Where the rotation of one pool (a fast-track team, or a department's complex cases)
    stands: the person who got the last case. Locked with SELECT … FOR UPDATE while choosing."""

    pool = models.CharField(max_length=30, unique=True)
    last_prosecutor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"{self.pool}: {self.last_prosecutor_id}"


class AssignmentPause(models.Model):
    """A prosecutor taken out of the rotation (暂停分案) by the department head, with a reason;
    open while `resumed_at` is empty."""

    prosecutor = models.ForeignKey(User, verbose_name="检察官", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField("暂停理由", max_length=300)
    paused_by = models.ForeignKey(User, verbose_name="暂停人", on_delete=models.PROTECT, related_name="+")
    paused_at = models.DateTimeField("暂停时间", auto_now_add=True)
    resumed_by = models.ForeignKey(
        User, verbose_name="恢复人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resumed_at = models.DateTimeField("恢复时间", null=True, blank=True)

    class Meta:
        ordering = ["-paused_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["prosecutor"], condition=Q(resumed_at__isnull=True), name="pause_one_open")
        ]
        verbose_name = "暂停分案"
        verbose_name_plural = "暂停分案"

    def __str__(self) -> str:
        return f"{self.prosecutor} 暂停分案"
