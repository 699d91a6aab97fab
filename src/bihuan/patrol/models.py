"""电子巡逻车: patrol rules, the findings they open, the written notices (案件流程监控通知书) and
the replies to them, and a row per patrol run (domain-rules §3, §7.5; Rule 664–665).

A rule is data in the patrol language (docs/patrol.md): one definition, compiled to set-based SQL
for a full patrol and evaluated in memory for the one case that just changed. A hit opens a
`Finding`; by the rule's severity it is a prompt to the handler (轻微 → 口头提示), a numbered
`Notice` to the handling department (较重 → 流程监控通知书) or a notice reported to the 检察长 as
well (严重). The department replies (`Reply`); the case-management office verifies and closes or
reopens; a late reply escalates. A finding whose cause disappears is closed by the next patrol.
"""

from django.db import models
from django.db.models import Q

from bihuan.cases.models import Case
from bihuan.orgs.models import Department, Organisation, Team, User


class Severity(models.TextChoices):
    """Rule 665: 情节轻微 → 口头提示; 情节较重 → 发送《案件流程监控通知书》; 情节严重 → 同时向检察长报告."""

    MINOR = "minor", "轻微"
    SERIOUS = "serious", "较重"
    GRAVE = "grave", "严重"


SEVERITY_ACTION = {
    Severity.MINOR: "口头提示",
    Severity.SERIOUS: "发送流程监控通知书",
    Severity.GRAVE: "发送流程监控通知书并报告检察长",
}


class Category(models.TextChoices):
    CARD = "card", "案卡填录"
    DOCUMENT = "document", "案卡与文书一致"
    IDENTITY = "identity", "身份信息"
    DATES = "dates", "日期顺序"
    DEADLINE = "deadline", "办案期限"
    MEASURE = "measure", "强制措施"
    PROCEDURE = "procedure", "诉讼程序"
    JUDGMENT = "judgment", "判决与量刑建议"
    REPORT = "report", "业务报表"


class Rule(models.Model):
    """One patrol rule. `definition` is the rule in the patrol language (subject, condition, the
    values a finding shows); `bihuan.patrol.lang.check_definition` validates it before it is
    saved. Built-in rules come from `catalogue/*.yaml` and are kept in step by migrate; an
    administrator may disable or re-tune them, and add rules of their own."""

    code = models.CharField("编号", max_length=20, unique=True)
    name = models.CharField("规则名称", max_length=100)
    category = models.CharField("类别", max_length=12, choices=Category.choices)
    basis = models.CharField("法律依据", max_length=300)
    severity = models.CharField("严重程度", max_length=8, choices=Severity.choices)
    reply_days = models.PositiveSmallIntegerField("回复期限（日）", default=10)  # Rule 665: 10 日以内
    case_types = models.JSONField("适用案件类别", default=list, blank=True)  # [] → every type
    message = models.CharField("提示语", max_length=200)
    definition = models.JSONField("规则定义")
    enabled = models.BooleanField("启用", default=True)
    builtin = models.BooleanField("内置", default=False, editable=False)
    # Set when an administrator changes a built-in rule: migrate no longer overwrites it.
    customised = models.BooleanField("已修改", default=False, editable=False)
    version = models.PositiveIntegerField("版本", default=1, editable=False)
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        ordering = ["code"]
        verbose_name = "巡查规则"
        verbose_name_plural = "巡查规则"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class RunKind(models.TextChoices):
    FULL = "full", "全量巡查"
    CASE = "case", "案件变更巡查"


class Run(models.Model):
    """One patrol: a full run over every case, or the run after one case changed."""

    kind = models.CharField("类型", max_length=8, choices=RunKind.choices)
    case = models.ForeignKey(
        Case, verbose_name="案件", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField("开始时间")
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    duration_ms = models.PositiveIntegerField("耗时（毫秒）", null=True, blank=True)
    rules = models.PositiveIntegerField("规则数", default=0)
    cases_checked = models.PositiveIntegerField("巡查案件数", default=0)
    hits = models.PositiveIntegerField("命中数", default=0)
    opened = models.JSONField("新发现（按严重程度）", default=dict)  # {"minor": n, …}
    still_open = models.JSONField("仍未解决（按严重程度）", default=dict)
    auto_closed = models.JSONField("自动销号（按严重程度）", default=dict)
    triggered_by = models.ForeignKey(
        User, verbose_name="发起人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["kind", "started_at"], name="patrol_run_kind")]
        verbose_name = "巡查记录"
        verbose_name_plural = "巡查记录"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.started_at:%Y-%m-%d %H:%M}"


class FindingStatus(models.TextChoices):
    OPEN = "open", "待整改"
    REPLIED = "replied", "已回复待核查"
    CLOSED = "closed", "已销号"


OPEN_STATUSES = (FindingStatus.OPEN, FindingStatus.REPLIED)


class CloseReason(models.TextChoices):
    NONE = "", "—"
    VERIFIED = "verified", "核查整改到位"
    RESOLVED = "resolved", "问题已消除（自动销号）"
    FALSE_ALARM = "false_alarm", "误报"
    RULE_DISABLED = "rule_disabled", "规则停用"


class Light(models.TextChoices):
    NONE = "", "—"
    YELLOW = "yellow", "黄灯"
    RED = "red", "红灯"


class Notice(models.Model):
    """A numbered 案件流程监控通知书 (Rule 665) from the case-management office to the handling
    department, on the findings of one case. The department replies within `reply_due`
    (10 days by default); a late reply turns the light red and goes to the 分管副检察长."""

    number = models.CharField("文号", max_length=64, unique=True)
    org = models.ForeignKey(Organisation, verbose_name="检察院", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department, verbose_name="办案部门", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # None for a notice on monthly report figures (subject `report`), which belong to no case.
    case = models.ForeignKey(
        Case, verbose_name="案件", null=True, blank=True, on_delete=models.PROTECT, related_name="patrol_notices"
    )
    severity = models.CharField("严重程度", max_length=8, choices=Severity.choices)
    reported_to_chief = models.BooleanField("已报告检察长", default=False)
    issued_at = models.DateTimeField("发出时间")
    issued_by = models.ForeignKey(
        User, verbose_name="发出人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reply_due = models.DateField("回复期限")
    light = models.CharField("灯色", max_length=8, choices=Light.choices, default=Light.YELLOW, blank=True)
    escalated_at = models.DateTimeField("升级时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        indexes = [
            # do_escalate: the open notices whose reply is due.
            models.Index(fields=["reply_due"], name="patrol_notice_due", condition=Q(closed_at__isnull=True)),
        ]
        verbose_name = "案件流程监控通知书"
        verbose_name_plural = "案件流程监控通知书"

    def __str__(self) -> str:
        return self.number


class Finding(models.Model):
    """One problem a rule found on one subject (the case, a suspect, a measure, a link, a report
    figure) — with the compared values and where each came from. At most one open finding per
    (rule, subject): patrolling again updates it, never duplicates it. The scope columns are
    those of the case (or the reporting unit), under the names `orgs.scope.case_view_q` reads."""

    rule = models.ForeignKey(Rule, verbose_name="规则", on_delete=models.PROTECT, related_name="findings")
    # "case:12", "suspect:34", "measure:56", "link:78", "report:<org>:<yyyy-mm>:<item>"
    subject = models.CharField("对象", max_length=80)
    case = models.ForeignKey(
        Case, verbose_name="案件", null=True, blank=True, on_delete=models.CASCADE, related_name="patrol_findings"
    )
    org = models.ForeignKey(Organisation, verbose_name="检察院", on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department, verbose_name="办案部门", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    team = models.ForeignKey(
        Team, verbose_name="办案团队", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    prosecutor = models.ForeignKey(
        User, verbose_name="承办检察官", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    severity = models.CharField("严重程度", max_length=8, choices=Severity.choices)
    message = models.CharField("问题", max_length=300)
    values = models.JSONField("比对值", default=list)  # [{"label", "value", "source"}, …]
    status = models.CharField("状态", max_length=8, choices=FindingStatus.choices, default=FindingStatus.OPEN)
    opened_at = models.DateTimeField("发现时间")
    opened_run = models.ForeignKey(Run, verbose_name="发现于", null=True, on_delete=models.SET_NULL, related_name="+")
    last_seen_at = models.DateTimeField("最近命中")
    reply_due = models.DateField("整改期限")
    notice = models.ForeignKey(
        Notice, verbose_name="通知书", null=True, blank=True, on_delete=models.SET_NULL, related_name="findings"
    )
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    close_reason = models.CharField("销号原因", max_length=16, choices=CloseReason.choices, default="", blank=True)
    closed_by = models.ForeignKey(
        User, verbose_name="销号人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    close_note = models.CharField("销号说明", max_length=300, blank=True)
    reopened = models.PositiveSmallIntegerField("重新打开次数", default=0)
    # The handler's reasons against a prompt (申辩), for the office to accept or reject.
    dispute = models.TextField("申辩理由", blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "subject"],
                condition=Q(status__in=["open", "replied"]),
                name="patrol_one_open_finding",
            ),
        ]
        indexes = [
            models.Index(fields=["org", "status", "severity"], name="patrol_finding_board"),
            models.Index(fields=["case", "status"], name="patrol_finding_case"),
            models.Index(fields=["prosecutor", "status"], name="patrol_finding_handler"),
            models.Index(fields=["closed_at"], name="patrol_finding_closed"),
            # do_escalate: the prompts (no notice) still open after their due date.
            models.Index(
                fields=["reply_due"], name="patrol_prompt_due", condition=Q(status="open", notice__isnull=True)
            ),
        ]
        verbose_name = "巡查发现"
        verbose_name_plural = "巡查发现"

    def __str__(self) -> str:
        return f"{self.rule.code} {self.message}"


class ReplyOutcome(models.TextChoices):
    RECTIFIED = "rectified", "已整改"
    DISPUTED = "disputed", "有异议"


class Reply(models.Model):
    """The department's written reply to a notice (Rule 665: 10 日以内书面回复): what it found
    (核查情况) and whether it rectified or disputes, with reasons."""

    notice = models.ForeignKey(Notice, verbose_name="通知书", on_delete=models.CASCADE, related_name="replies")
    findings_checked = models.TextField("核查情况")
    outcome = models.CharField("整改情况", max_length=10, choices=ReplyOutcome.choices)
    reasons = models.TextField("理由", blank=True)
    replied_by = models.ForeignKey(User, verbose_name="回复人", on_delete=models.PROTECT, related_name="+")
    replied_at = models.DateTimeField("回复时间")
    late = models.BooleanField("逾期回复", default=False)

    class Meta:
        ordering = ["notice_id", "replied_at", "id"]
        verbose_name = "通知书回复"
        verbose_name_plural = "通知书回复"

    def __str__(self) -> str:
        return f"{self.notice} {self.get_outcome_display()}"


class Verification(models.Model):
    """The case-management office's check of a reply: closed (销号) or reopened with reasons."""

    notice = models.ForeignKey(Notice, verbose_name="通知书", on_delete=models.CASCADE, related_name="verifications")
    closed = models.BooleanField("核查通过")
    note = models.TextField("核查意见")
    verified_by = models.ForeignKey(User, verbose_name="核查人", on_delete=models.PROTECT, related_name="+")
    verified_at = models.DateTimeField("核查时间")

    class Meta:
        ordering = ["notice_id", "verified_at", "id"]
        verbose_name = "核查记录"
        verbose_name_plural = "核查记录"

    def __str__(self) -> str:
        return f"{self.notice} {'销号' if self.closed else '重新打开'}"
