"""案件码: the red/yellow/green quality code of a case (domain-rules §3.4, §7.4; seed 001 case 6).

The handling prosecutor scores a case against a versioned template (《"案件码"量化评分表》) by
deducting points per item; the score and the colour follow. Every evaluation is kept (转码 history);
`CaseCode` holds the current state of each evaluated case for lists, reminders and statistics.
The code is shared with the investigating agency by a QR link carrying a revocable token; the
investigators may ask for a review (复核申请) of specific deductions, decided jointly.
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q

from bihuan.cases.models import Case
from bihuan.orgs.models import Agency, Department, Organisation, Team, User

POINTS = {"max_digits": 5, "decimal_places": 1}
# The case's columns copied onto its evaluations and its code (see `ScopeCopy`).
SCOPE_COPIES = ("org", "department", "team", "prosecutor", "source_agency")


def _copy_of(model) -> models.ForeignKey:
    return models.ForeignKey(
        model, null=True, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )


class ScopeCopy(models.Model):
    """Copies of the case's scope columns (and its agency), same names as on Case, so that
    `bihuan.orgs.scope.case_view_q(user)` and the statistics filters apply to the row itself and
    the statistics never join the wide case table (a million rows). Kept by `casecode.scope`:
    written with each evaluation and code, and moved when the case changes hands
    (`case_scope_changed`) or is bulk loaded (`cases_loaded`). The case protects the rows they
    name; no constraint of their own, as deadlines.CaseDue."""

    org = _copy_of(Organisation)
    department = _copy_of(Department)
    team = _copy_of(Team)
    prosecutor = _copy_of(User)
    source_agency = _copy_of(Agency)

    class Meta:
        abstract = True


def _scope_indexes(prefix: str, then: list[str]) -> list[models.Index]:
    """One index per scope column, followed by `then`: the statistics read one person's,
    team's, department's, agency's or procuratorate's rows of a period."""
    return [
        models.Index(fields=[name, *then], name=f"{prefix}_{name.removesuffix('_agency')}") for name in SCOPE_COPIES
    ]


class Colour(models.TextChoices):
    RED = "red", "红码"
    YELLOW = "yellow", "黄码"
    GREEN = "green", "绿码"


class ScoreTemplate(models.Model):
    """One version of the scoring table with its thresholds (domain-rules §7.4). A version that
    has been used is never changed: a change is a new version, so past evaluations keep the
    table and thresholds they were scored with."""

    name = models.CharField("名称", max_length=100)
    version = models.PositiveIntegerField("版本", default=1)
    red_below = models.DecimalField("红码：低于（分）", **POINTS, default=Decimal(70))
    green_from = models.DecimalField("绿码：不低于（分）", **POINTS, default=Decimal(90))
    is_active = models.BooleanField("启用", default=False, help_text="新的评分使用启用的版本；同一时间只有一个版本启用")
    note = models.CharField("修订说明", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["name", "version"], name="casecode_template_version"),
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="casecode_one_active"),
            models.CheckConstraint(condition=Q(red_below__lte=models.F("green_from")), name="casecode_thresholds"),
        ]
        verbose_name = "案件码评分表"
        verbose_name_plural = "案件码评分表"

    def __str__(self) -> str:
        return f"{self.name}（第{self.version}版）"


class ScoreItem(models.Model):
    """A scoring item (评分项) in a dimension, with its maximum points and, when it has one, the
    condition that vetoes the case (一票否决 → red whatever the score)."""

    template = models.ForeignKey(ScoreTemplate, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField("序号", default=1)
    dimension = models.CharField("评价维度", max_length=20)
    name = models.CharField("评分项", max_length=40)
    max_points = models.DecimalField("分值", **POINTS)
    veto = models.CharField("一票否决情形", max_length=60, blank=True, help_text="留空表示该项不设一票否决")
    guidance = models.TextField("扣分标准", blank=True)

    class Meta:
        ordering = ["template", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["template", "name"], name="casecode_item_name"),
            models.CheckConstraint(condition=Q(max_points__gt=0), name="casecode_item_points"),
        ]
        verbose_name = "评分项"
        verbose_name_plural = "评分项"

    def __str__(self) -> str:
        return f"{self.dimension}·{self.name}（{self.max_points}分）"


class OfficeSetting(models.Model):
    """A procuratorate that scores every case it handles, not only 提前介入 and 审查逮捕 ones."""

    org = models.OneToOneField(Organisation, verbose_name="检察院", on_delete=models.CASCADE, related_name="+")
    all_cases = models.BooleanField("所有案件均评分", default=True)

    class Meta:
        verbose_name = "案件码适用范围"
        verbose_name_plural = "案件码适用范围"

    def __str__(self) -> str:
        return str(self.org)


class EvaluationReason(models.TextChoices):
    FIRST = "first", "首次评分"
    REEVALUATION = "reevaluation", "重新评估"
    REVIEW = "review", "复核改分"


class Evaluation(ScopeCopy):
    """One scoring of a case: the deductions, and the score and colour they gave under the
    template's thresholds at that time."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="code_evaluations")
    seq = models.PositiveIntegerField("次序")
    template = models.ForeignKey(ScoreTemplate, verbose_name="评分表", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField("评分原因", max_length=20, choices=EvaluationReason.choices)
    score = models.DecimalField("得分", **POINTS)
    colour = models.CharField("颜色", max_length=10, choices=Colour.choices)
    vetoed = models.BooleanField("一票否决", default=False)
    note = models.TextField("评估意见", blank=True)
    evaluated_by = models.ForeignKey(User, verbose_name="评分人", on_delete=models.PROTECT, related_name="+")
    evaluated_at = models.DateTimeField("评分时间")

    class Meta:
        ordering = ["case", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="casecode_evaluation_seq")]
        indexes = [
            models.Index(fields=["evaluated_at"], name="casecode_evaluated_at"),
            *_scope_indexes("casecode_eval", ["evaluated_at"]),
        ]
        verbose_name = "案件码评分"
        verbose_name_plural = "案件码评分"

    def __str__(self) -> str:
        return f"第{self.seq}次评分 {self.score}分 {self.get_colour_display()}"


class Deduction(models.Model):
    """Points deducted on one item in one evaluation, with the written reason."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="deductions")
    item = models.ForeignKey(ScoreItem, verbose_name="评分项", on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField("扣分", **POINTS, default=Decimal(0))
    veto = models.BooleanField("一票否决", default=False)
    reason = models.TextField("扣分理由")

    class Meta:
        ordering = ["evaluation", "item__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "item"], name="casecode_deduction_item"),
            models.CheckConstraint(condition=Q(points__gte=0), name="casecode_deduction_points"),
        ]
        verbose_name = "扣分"
        verbose_name_plural = "扣分"

    def __str__(self) -> str:
        return f"{self.item.name} 扣{self.points}分" + ("（一票否决）" if self.veto else "")


class CaseCode(ScopeCopy):
    """The current code of an evaluated case (one row per case), kept by the actions that write
    evaluations: what lists, reminders and statistics read."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, primary_key=True, related_name="code")
    current = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField("得分", **POINTS)
    colour = models.CharField("颜色", max_length=10, choices=Colour.choices)
    first_evaluated_on = models.DateField("首次评分日期")
    # The first day the case was red or yellow, and the first day it turned green after that.
    first_non_green_on = models.DateField("首次红黄码日期", null=True, blank=True)
    turned_green_on = models.DateField("转绿码日期", null=True, blank=True)
    # Red every 7 days, yellow every 15 days (domain-rules §7.4); none for green.
    reevaluate_by = models.DateField("应重新评估日期", null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["colour"], name="casecode_colour"),
            models.Index(fields=["reevaluate_by"], name="casecode_reevaluate_by"),
            *_scope_indexes("casecode_code", ["colour"]),
        ]
        verbose_name = "案件码"
        verbose_name_plural = "案件码"

    def __str__(self) -> str:
        return f"{self.score}分 {self.get_colour_display()}"


class InquiryItem(models.Model):
    """An item of the 补充侦查提纲 written for a deducted scoring item (问题, 目的, 事项, 要求).
    It is 销号 (closed) by the evaluation that restores the item's points."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="inquiry_items")
    item = models.ForeignKey(ScoreItem, verbose_name="评分项", on_delete=models.PROTECT, related_name="+")
    raised_in = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="raised_items")
    problem = models.TextField("存在问题")
    purpose = models.TextField("补侦目的")
    matters = models.TextField("补侦事项")
    requirement = models.TextField("补侦要求")
    closed_in = models.ForeignKey(
        Evaluation, null=True, blank=True, on_delete=models.SET_NULL, related_name="closed_items"
    )

    class Meta:
        ordering = ["case", "id"]
        indexes = [models.Index(fields=["case"], condition=Q(closed_in=None), name="casecode_inquiry_open")]
        verbose_name = "补充侦查提纲事项"
        verbose_name_plural = "补充侦查提纲事项"

    def __str__(self) -> str:
        return f"{self.item.name}：{self.problem[:30]}"

    @property
    def is_open(self) -> bool:
        return self.closed_in_id is None


class ShareToken(models.Model):
    """The token in a case's QR link: random, expiring, revocable. The link carries it signed,
    so a guessed token is refused before any lookup."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="code_tokens")
    key = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("生成时间")
    expires_at = models.DateTimeField("有效期至")
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "案件码链接"
        verbose_name_plural = "案件码链接"

    def __str__(self) -> str:
        return f"案件码链接（{self.created_at:%Y-%m-%d}，有效期至 {self.expires_at:%Y-%m-%d}）"


class Scan(models.Model):
    """One opening of a case's QR link (no login needed), shown to the prosecutor."""

    token = models.ForeignKey(ShareToken, on_delete=models.CASCADE, related_name="scans")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="code_scans")
    scanned_at = models.DateTimeField("扫码时间")
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=300, blank=True)

    class Meta:
        ordering = ["-scanned_at", "-id"]
        indexes = [models.Index(fields=["case", "-scanned_at"], name="casecode_scan_case")]
        verbose_name = "扫码记录"
        verbose_name_plural = "扫码记录"

    def __str__(self) -> str:
        return f"扫码 {self.scanned_at:%Y-%m-%d %H:%M} {self.ip or ''}"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", "待评议"
    DECIDED = "decided", "已决定"
    WITHDRAWN = "withdrawn", "已撤回"


class ReviewDecision(models.TextChoices):
    ACCEPT = "accept", "采纳"
    PARTIAL = "partial", "部分采纳"
    REJECT = "reject", "不予采纳"


class ReviewRequest(models.Model):
    """复核申请: an investigator of the source agency disputes deductions of an evaluation; the
    prosecutor and the investigator decide jointly, and the decision re-scores the case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="code_reviews")
    evaluation = models.ForeignKey(Evaluation, on_delete=models.PROTECT, related_name="reviews")
    filed_by = models.ForeignKey(User, verbose_name="申请人", on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField("申请时间")
    reason = models.TextField("申请理由")
    status = models.CharField("状态", max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    decision = models.CharField("评议结果", max_length=10, choices=ReviewDecision.choices, blank=True)
    decision_reason = models.TextField("评议理由", blank=True)
    decided_by = models.ForeignKey(
        User, verbose_name="承办检察官", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    agreed_by = models.ForeignKey(
        User, verbose_name="共同评议的侦查人员", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("评议时间", null=True, blank=True)
    result = models.ForeignKey(
        Evaluation, verbose_name="改分后的评分", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-filed_at", "-id"]
        indexes = [models.Index(fields=["case"], condition=Q(status="pending"), name="casecode_review_pending")]
        verbose_name = "复核申请"
        verbose_name_plural = "复核申请"

    def __str__(self) -> str:
        return f"复核申请（{self.get_status_display()}）"


class ReviewClaim(models.Model):
    """One disputed deduction of a review request, with its own decision and the points restored."""

    request = models.ForeignKey(ReviewRequest, on_delete=models.CASCADE, related_name="claims")
    deduction = models.ForeignKey(Deduction, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField("异议理由")
    decision = models.CharField("评议结果", max_length=10, choices=ReviewDecision.choices, blank=True)
    restored = models.DecimalField("恢复分值", **POINTS, default=Decimal(0))
    decision_reason = models.TextField("评议理由", blank=True)

    class Meta:
        ordering = ["request", "id"]
        constraints = [models.UniqueConstraint(fields=["request", "deduction"], name="casecode_claim_deduction")]
        verbose_name = "复核事项"
        verbose_name_plural = "复核事项"

    def __str__(self) -> str:
        return f"复核事项：{self.deduction}"


class Consultation(models.Model):
    """诉前会商 with the police on a case still not green as the investigation custody deadline
    nears (seed 001 case 6; alert 15 days before it, domain-rules §7.4)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="code_consultations")
    held_on = models.DateField("会商日期")
    participants = models.TextField("参加人员")
    opinions = models.TextField("会商意见")
    conclusion = models.TextField("会商结论")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField("记录时间", auto_now_add=True)

    class Meta:
        ordering = ["case", "-held_on", "-id"]
        verbose_name = "诉前会商"
        verbose_name_plural = "诉前会商"

    def __str__(self) -> str:
        return f"诉前会商 {self.held_on:%Y-%m-%d}"


class GateDecision(models.TextChoices):
    ACCEPT = "accept", "受理"
    DEFER = "defer", "延期受理"
    ACCEPT_PENDING = "accept_pending", "先收后补"
    RETURN = "return", "退回补送"


class GateCheck(models.Model):
    """扫码受理: the case-management office reads the code of a case coming for 审查起诉 — green
    accept, yellow 延期受理 or 先收后补 with a due date, red returned with the open items
    (domain-rules §7.4)."""

    case = models.ForeignKey(Case, verbose_name="移送审查起诉案件", on_delete=models.CASCADE, related_name="code_gates")
    coded_case = models.ForeignKey(
        Case, verbose_name="赋码案件", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    evaluation = models.ForeignKey(Evaluation, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    colour = models.CharField("颜色", max_length=10, choices=Colour.choices)
    decision = models.CharField("处理", max_length=20, choices=GateDecision.choices)
    due_date = models.DateField("补送（受理）期限", null=True, blank=True)
    reason = models.TextField("理由", blank=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("时间")

    class Meta:
        ordering = ["-decided_at", "-id"]
        verbose_name = "扫码受理记录"
        verbose_name_plural = "扫码受理记录"

    def __str__(self) -> str:
        return f"扫码受理：{self.get_colour_display()}，{self.get_decision_display()}"
