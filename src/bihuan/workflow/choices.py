from django.db import models


class RequestStatus(models.TextChoices):
    DRAFT = "draft", "拟处理意见"
    PENDING = "pending", "审批中"
    APPROVED = "approved", "审批完毕待记录"
    RETURNED = "returned", "已退回"
    RECORDED = "recorded", "已记录决定"


class Verdict(models.TextChoices):
    APPROVE = "approve", "同意"
    RETURN = "return", "退回"


class Phase(models.TextChoices):
    """When a decision type may be proposed: during review, or after the case was prosecuted
    (撤回起诉 happens before the court's judgment, Rule 424)."""

    REVIEW = "review", "审查阶段"
    AFTER_PROSECUTION = "after_prosecution", "提起公诉后"


class ParticipantKind(models.TextChoices):
    PEOPLES_SUPERVISOR = "peoples_supervisor", "人民监督员"
    NPC_DEPUTY = "npc_deputy", "人大代表"
    CPPCC_MEMBER = "cppcc_member", "政协委员"
    SPECIAL_PROSECUTOR = "special_prosecutor", "特约检察员"
    LAWYER = "lawyer", "律师"
    COMMUNITY = "community", "社区（村）代表"
    PARTY = "party", "当事人及其代理人"
    OTHER = "other", "其他人员"


class DutyKind(models.TextChoices):
    """The recorded duties of the seed's "判办论报说" (承办人), "查核判督" (部门主任) and
    "听定签" (分管检察长) that are not approvals or meetings."""

    RISK_ASSESSMENT = "risk", "预判风险（风险评估）"
    PROGRESS_REPORT = "progress", "报告进展"
    EXPLANATION = "explanation", "释法说理"
    SUPERVISION = "supervision", "跟踪督促"
    BRIEFING = "briefing", "听取汇报"


class MeetingStatus(models.TextChoices):
    REQUESTED = "requested", "已提请"
    HELD = "held", "已召开"


class ItemStatus(models.TextChoices):
    PENDING = "pending", "待审议"
    DECIDED = "decided", "已决定"


class MediationResult(models.TextChoices):
    SETTLED = "settled", "达成和解"
    NOT_SETTLED = "not_settled", "未达成和解"


# The committee checklist of the seed (威海: 检察委员会讨论决策案件的"四到位、四提前、四必问").
# The seed names the three groups but not their items; the items below are Bihuan's reading of
# them ([U] in domain-rules terms: confirm with the customer). Codes are stable keys.
COMMITTEE_CHECKLIST = (
    ("四到位", "prep_materials", "案件材料准备到位"),
    ("四到位", "prep_report", "审查报告及处理意见到位"),
    ("四到位", "prep_dept_opinion", "部门（检察官联席会议）意见到位"),
    ("四到位", "prep_law", "法律政策依据梳理到位"),
    ("四提前", "early_agenda", "提前确定议题并报检察长同意"),
    ("四提前", "early_materials", "提前将材料送达委员"),
    ("四提前", "early_review", "提前由分管检察长审核"),
    ("四提前", "early_notice", "提前通知列席人员"),
    ("四必问", "ask_facts", "必问事实证据是否清楚"),
    ("四必问", "ask_law", "必问法律适用是否准确"),
    ("四必问", "ask_risk", "必问风险评估及处置预案"),
    ("四必问", "ask_dissent", "必问不同意见及其理由"),
)
CHECKLIST_CODES = tuple(code for _, code, _ in COMMITTEE_CHECKLIST)
CHECKLIST_LABELS = {code: f"{group}·{label}" for group, code, label in COMMITTEE_CHECKLIST}

# The tag that puts 不捕/不诉 behind a public hearing (seed 004: "对于不捕不诉案件，特别是重大敏感
# 案件，在作出不捕不诉决定前，须由院领导主持召开公开听证会").
MAJOR_SENSITIVE_TAG = "重大敏感"
