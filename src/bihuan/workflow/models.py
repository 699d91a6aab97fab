"""Tiered handling of a case: the authority list (权力清单), approval requests and their steps,
public hearings, 检察官联席会议, 检察委员会 agenda items, duty records and mediation (检调对接)."""

from django.db import models

from bihuan.cases.choices import CaseType, LinkKind, Outcome, RiskLevel
from bihuan.cases.models import Case
from bihuan.orgs.choices import RoleCode
from bihuan.orgs.models import User
from bihuan.workflow.choices import (
    CHECKLIST_CODES,
    CHECKLIST_LABELS,
    DutyKind,
    ItemStatus,
    MediationResult,
    MeetingStatus,
    ParticipantKind,
    Phase,
    RequestStatus,
    Verdict,
)

# Roles that may hold a step of an approval chain (the proposer is always the 承办检察官).
APPROVER_ROLES = [
    (RoleCode.DEPT_HEAD.value, RoleCode.DEPT_HEAD.label),
    (RoleCode.DEPUTY_CHIEF.value, RoleCode.DEPUTY_CHIEF.label),
    (RoleCode.CHIEF.value, RoleCode.CHIEF.label),
    (RoleCode.COMMITTEE.value, "检察委员会"),
]
ROLE_LABELS = dict(APPROVER_ROLES)


class DecisionType(models.Model):
    """One entry of the authority list (权力清单): a decision, what it records, and (through its
    steps) who must approve it before it may be recorded."""

    code = models.CharField("编码", max_length=30, unique=True)
    name = models.CharField("决定事项", max_length=40)
    case_type = models.CharField("案件类别", max_length=20, choices=CaseType.choices)
    phase = models.CharField("适用阶段", max_length=20, choices=Phase.choices, default=Phase.REVIEW)
    outcome = models.CharField("审结方式", max_length=20, choices=Outcome.choices, blank=True)
    link_kind = models.CharField("程序环节", max_length=30, choices=LinkKind.choices, blank=True)
    requires_hearing = models.BooleanField("重大敏感案件须先公开听证", default=False)
    basis = models.CharField("依据", max_length=300, blank=True)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["case_type", "position", "id"]
        verbose_name = "权力清单事项"
        verbose_name_plural = "权力清单"

    def __str__(self) -> str:
        return f"{self.get_case_type_display()}·{self.name}"

    def chain_roles(self) -> list[str]:
        return [step.role for step in self.steps.all()]


class ChainStep(models.Model):
    """One approver of a decision type, in order: 部门主任 审核 → 分管副检察长 → 检察长 → 检委会."""

    decision_type = models.ForeignKey(DecisionType, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField("次序")
    role = models.CharField("审批人", max_length=20, choices=APPROVER_ROLES)

    class Meta:
        ordering = ["decision_type_id", "position"]
        constraints = [models.UniqueConstraint(fields=["decision_type", "position"], name="chain_step_unique")]
        verbose_name = "审批环节"
        verbose_name_plural = "审批环节"

    def __str__(self) -> str:
        return f"{self.position}. {self.get_role_display()}"


class ApprovalRequest(models.Model):
    """A 承办检察官's proposed decision (拟处理意见) going up its approval chain.

    `chain` is the list of approver roles copied from the authority list when the request was
    made, so that an administrator editing the list does not change a request in flight.
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="approval_requests")
    decision_type = models.ForeignKey(DecisionType, verbose_name="决定事项", on_delete=models.PROTECT)
    proposed_by = models.ForeignKey(User, verbose_name="提出人", on_delete=models.PROTECT, related_name="+")
    opinion = models.TextField("拟处理意见")
    chain = models.JSONField("审批链", default=list)
    status = models.CharField("状态", max_length=12, choices=RequestStatus.choices, default=RequestStatus.DRAFT)
    created_at = models.DateTimeField("提出时间", auto_now_add=True)
    recorded_at = models.DateTimeField("记录决定时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        # The approval inbox lists pending requests of the person's scope.
        indexes = [models.Index(fields=["status", "case"], name="approval_request_status")]
        verbose_name = "审批事项"
        verbose_name_plural = "审批事项"

    def __str__(self) -> str:
        return f"{self.decision_type.name}（{self.get_status_display()}）"

    def approvals(self) -> list["ApprovalStep"]:
        """The approvals given so far. A return ends the request: the 承办检察官 proposes anew."""
        return [s for s in self.steps.all() if s.verdict == Verdict.APPROVE]

    def current_role(self) -> str | None:
        """The role whose approval comes next, or None when the chain is complete."""
        done = len(self.approvals())
        return self.chain[done] if done < len(self.chain) else None

    def is_complete(self) -> bool:
        return self.current_role() is None

    def chain_rows(self) -> list[dict]:
        """Each step of the chain with its approval, for the page."""
        approvals = self.approvals()
        rows = []
        for i, role in enumerate(self.chain):
            step = approvals[i] if i < len(approvals) else None
            rows.append({"role": ROLE_LABELS.get(role, role), "step": step, "current": i == len(approvals)})
        return rows


class ApprovalStep(models.Model):
    """One holder's verdict on a request: 同意 (审核/审批/签发) or 退回 with the reason."""

    request = models.ForeignKey(ApprovalRequest, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField("次序")
    role = models.CharField("审批人角色", max_length=20, choices=APPROVER_ROLES)
    verdict = models.CharField("意见", max_length=10, choices=Verdict.choices)
    reason = models.TextField("理由", blank=True)
    actor = models.ForeignKey(User, verbose_name="审批人", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)

    class Meta:
        ordering = ["request_id", "at", "id"]
        verbose_name = "审批记录"
        verbose_name_plural = "审批记录"

    def __str__(self) -> str:
        return f"{self.get_role_display()}{self.get_verdict_display()}"


class PublicHearing(models.Model):
    """A public hearing (公开听证) held before a 不捕/不诉 decision, hosted by a procuratorate leader."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="hearings")
    held_on = models.DateField("听证日期")
    host = models.ForeignKey(User, verbose_name="主持人", on_delete=models.PROTECT, related_name="+")
    topic = models.CharField("听证事项", max_length=200)
    conclusion = models.TextField("听证结论")
    recorded_by = models.ForeignKey(User, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case_id", "held_on", "id"]
        verbose_name = "公开听证"
        verbose_name_plural = "公开听证"

    def __str__(self) -> str:
        return f"公开听证 {self.held_on}"


class HearingParticipant(models.Model):
    """A participant of a hearing (人民监督员, 人大代表, 政协委员 …) and the opinion they gave."""

    hearing = models.ForeignKey(PublicHearing, on_delete=models.CASCADE, related_name="participants")
    kind = models.CharField("身份", max_length=20, choices=ParticipantKind.choices)
    name = models.CharField("姓名", max_length=50)
    opinion = models.TextField("听证意见")

    class Meta:
        ordering = ["hearing_id", "id"]
        verbose_name = "听证参加人"
        verbose_name_plural = "听证参加人"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.name}"


class JointMeeting(models.Model):
    """A 检察官联席会议 on a case: requested by the 承办检察官 (提请讨论), convened and concluded by
    the 部门主任 (召集联席会议), with each attendee's opinion."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="joint_meetings")
    agenda = models.TextField("议题")
    status = models.CharField("状态", max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.REQUESTED)
    requested_by = models.ForeignKey(
        User, verbose_name="提请人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    held_on = models.DateField("召开日期", null=True, blank=True)
    convened_by = models.ForeignKey(
        User, verbose_name="召集人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    conclusion = models.TextField("会议结论", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case_id", "created_at", "id"]
        verbose_name = "检察官联席会议"
        verbose_name_plural = "检察官联席会议"

    def __str__(self) -> str:
        return f"检察官联席会议（{self.get_status_display()}）"


class MeetingOpinion(models.Model):
    """What one attendee of a 联席会议 said."""

    meeting = models.ForeignKey(JointMeeting, on_delete=models.CASCADE, related_name="opinions")
    attendee = models.ForeignKey(User, verbose_name="参会检察官", on_delete=models.PROTECT, related_name="+")
    opinion = models.TextField("发表意见")

    class Meta:
        ordering = ["meeting_id", "id"]
        verbose_name = "参会意见"
        verbose_name_plural = "参会意见"

    def __str__(self) -> str:
        return f"{self.attendee}：{self.opinion[:20]}"


class CommitteeItem(models.Model):
    """A case on the 检察委员会 agenda: a discussion the 承办检察官 asked for, or the committee
    step of an approval chain (then `approval_request` is set and deciding it decides the step)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="committee_items")
    approval_request = models.ForeignKey(
        ApprovalRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="committee_items"
    )
    question = models.TextField("议题")
    requested_by = models.ForeignKey(User, verbose_name="提请人", on_delete=models.PROTECT, related_name="+")
    status = models.CharField("状态", max_length=10, choices=ItemStatus.choices, default=ItemStatus.PENDING)
    decision = models.TextField("检委会决定", blank=True)
    decided_by = models.ForeignKey(
        User, verbose_name="记录人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("决定时间", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "case"], name="committee_item_status")]  # the agenda
        verbose_name = "检委会议题"
        verbose_name_plural = "检委会议题"

    def __str__(self) -> str:
        return f"检委会议题（{self.get_status_display()}）"

    def checklist(self) -> list[dict]:
        marks = {m.code: m for m in self.marks.all()}
        return [{"code": c, "label": CHECKLIST_LABELS[c], "mark": marks.get(c)} for c in CHECKLIST_CODES]

    def missing_checks(self) -> list[str]:
        marked = {m.code for m in self.marks.all()}
        return [CHECKLIST_LABELS[c] for c in CHECKLIST_CODES if c not in marked]


class ChecklistMark(models.Model):
    """One item of the 四到位/四提前/四必问 checklist, checked by whom and when."""

    item = models.ForeignKey(CommitteeItem, on_delete=models.CASCADE, related_name="marks")
    code = models.CharField("核对事项", max_length=30, choices=[(c, CHECKLIST_LABELS[c]) for c in CHECKLIST_CODES])
    checked_by = models.ForeignKey(User, verbose_name="核对人", on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField("核对时间", auto_now_add=True)
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        ordering = ["item_id", "id"]
        constraints = [models.UniqueConstraint(fields=["item", "code"], name="checklist_mark_unique")]
        verbose_name = "检委会核对事项"
        verbose_name_plural = "检委会核对事项"

    def __str__(self) -> str:
        return self.get_code_display()


class DutyRecord(models.Model):
    """A recorded duty: 预判风险, 报告进展, 释法说理 (承办人); 跟踪督促 (部门主任); 听取汇报 (分管检察长)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="duty_records")
    kind = models.CharField("职责事项", max_length=12, choices=DutyKind.choices)
    actor = models.ForeignKey(User, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    occurred_on = models.DateField("日期")
    # 释法说理: the person or body it was given to (被害人, 犯罪嫌疑人, 侦查机关 …);
    # 跟踪督促: the prosecutor reminded; 听取汇报: who reported.
    counterpart = models.CharField("对象", max_length=100, blank=True)
    risk_level = models.CharField("风险等级", max_length=10, choices=RiskLevel.choices, blank=True)
    content = models.TextField("内容")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case_id", "occurred_on", "id"]
        verbose_name = "履职记录"
        verbose_name_plural = "履职记录"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.occurred_on}"


class Mediation(models.Model):
    """A 检调对接 mediation on a case likely punished by at most three years."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="mediations")
    mediator = models.CharField("调解人", max_length=100)
    held_on = models.DateField("调解日期")
    parties = models.CharField("当事人", max_length=200)
    result = models.CharField("调解结果", max_length=12, choices=MediationResult.choices)
    amount = models.DecimalField("赔偿（和解）金额（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    terms = models.TextField("和解协议内容", blank=True)
    recorded_by = models.ForeignKey(User, verbose_name="记录人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case_id", "held_on", "id"]
        verbose_name = "检调对接"
        verbose_name_plural = "检调对接"

    def __str__(self) -> str:
        return f"检调对接 {self.held_on} {self.get_result_display()}"
