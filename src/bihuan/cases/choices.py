from django.db import models


class CaseType(models.TextChoices):
    ARREST_REVIEW = "arrest_review", "审查逮捕"
    PROSECUTION_REVIEW = "prosecution_review", "审查起诉"


# 业务简称 in the 部门受案号 (domain-rules §4.2, §7.6).
BUSINESS_ABBREVIATION = {
    CaseType.ARREST_REVIEW: "刑捕",
    CaseType.PROSECUTION_REVIEW: "刑诉",
}


class Procedure(models.TextChoices):
    ORDINARY = "ordinary", "普通程序"
    SIMPLIFIED = "simplified", "简易程序"
    FAST = "fast", "速裁程序"


class Track(models.TextChoices):
    UNSORTED = "", "未分流"
    SIMPLE = "simple", "简案"
    COMPLEX = "complex", "繁案"


class RiskLevel(models.TextChoices):
    LOW = "low", "低"
    MEDIUM = "medium", "中"
    HIGH = "high", "高"


class Stage(models.TextChoices):
    """Where a case stands in the closed loop (the full stage machine comes with the workflow)."""

    REGISTERED = "registered", "待受理"
    RECEIVED = "received", "受理"
    ASSIGNED = "assigned", "分案"
    REVIEWING = "reviewing", "审查"
    RETURNED = "returned", "退回补充侦查"
    PROPOSED = "proposed", "拟处理意见"
    DEPT_REVIEW = "dept_review", "审核"
    APPROVAL = "approval", "审批/签发"
    CONCLUDED = "concluded", "审结"
    ARCHIVED = "archived", "归档"


OPEN_STAGES = [s for s in Stage if s not in (Stage.CONCLUDED, Stage.ARCHIVED)]


class LikelySentence(models.TextChoices):
    """The sentence the case will likely bring, in the bands the statute and the triage rules use:
    速裁 periods (CPL 172: over 1 year → 15 days), 速裁 and mediation (3 years), risk (10 years)."""

    UNKNOWN = "", "未评估"
    UP_TO_1Y = "le1", "一年以下有期徒刑及以下"
    UP_TO_3Y = "le3", "一年以上三年以下有期徒刑"
    UNDER_10Y = "lt10", "三年以上不满十年有期徒刑"
    TEN_PLUS = "ge10", "十年以上有期徒刑、无期徒刑或死刑"


class DueKind(models.TextChoices):
    """Which statutory period the case's current due date belongs to."""

    NONE = "", "无"
    ARREST_REVIEW = "arrest_review", "审查逮捕期限"
    PROSECUTION_REVIEW = "prosecution_review", "审查起诉期限"
    FAST = "fast", "速裁审查期限"
    SUPPLEMENTARY = "supplementary", "补充侦查期限"


class Outcome(models.TextChoices):
    """How a case (or one suspect in it) was concluded (审结方式)."""

    NONE = "", "未审结"
    PROSECUTE = "prosecute", "起诉"
    NP_STATUTORY = "np_statutory", "法定不起诉"
    NP_DISCRETIONARY = "np_discretionary", "相对不起诉"
    NP_EVIDENCE = "np_evidence", "存疑不起诉"
    NP_CONDITIONAL = "np_conditional", "附条件不起诉"
    ARREST_APPROVED = "arrest_approved", "批准逮捕"
    ARREST_REFUSED = "arrest_refused", "不批准逮捕"
    TRANSFERRED = "transferred", "移送其他检察院"
    WITHDRAWN = "withdrawn", "撤回起诉"
    OTHER = "other", "其他"


NON_PROSECUTION = (
    Outcome.NP_STATUTORY,
    Outcome.NP_DISCRETIONARY,
    Outcome.NP_EVIDENCE,
    Outcome.NP_CONDITIONAL,
)


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class Education(models.TextChoices):
    UNKNOWN = "", "不详"
    ILLITERATE = "illiterate", "文盲"
    PRIMARY = "primary", "小学"
    JUNIOR = "junior", "初中"
    SENIOR = "senior", "高中"
    VOCATIONAL = "vocational", "中专"
    COLLEGE = "college", "大专"
    BACHELOR = "bachelor", "大学本科"
    POSTGRADUATE = "postgraduate", "研究生"


class MeasureKind(models.TextChoices):
    DETENTION = "detention", "刑事拘留"
    ARREST = "arrest", "逮捕"
    BAIL = "bail", "取保候审"
    RESIDENCE = "residence", "监视居住"
    DESIGNATED_RESIDENCE = "designated_residence", "指定居所监视居住"
    LIUZHI = "liuzhi", "留置"


# Measures under which the person is held (在押): CPL 105 forbids holiday shifts for them.
CUSTODIAL_MEASURES = (MeasureKind.DETENTION, MeasureKind.ARREST, MeasureKind.LIUZHI)


class RecommendationKind(models.TextChoices):
    NONE = "", "未提出"
    FIXED = "fixed", "确定刑"
    RANGE = "range", "幅度刑"


class Penalty(models.TextChoices):
    NONE = "", "无"
    DEATH = "death", "死刑"
    LIFE = "life", "无期徒刑"
    FIXED_TERM = "fixed_term", "有期徒刑"
    CRIMINAL_DETENTION = "criminal_detention", "拘役"
    PUBLIC_SURVEILLANCE = "public_surveillance", "管制"
    FINE_ONLY = "fine_only", "单处罚金"
    EXEMPT = "exempt", "免予刑事处罚"


class Verdict(models.TextChoices):
    NONE = "", "未判决"
    GUILTY = "guilty", "有罪"
    NOT_GUILTY = "not_guilty", "无罪"


class LinkKind(models.TextChoices):
    """Dated procedural links (程序环节) — the "件" of 案-件比 among them."""

    SUPPLEMENTARY_INVESTIGATION = "supplementary", "退回补充侦查"
    EXTENSION = "extension", "延长审查起诉期限"
    JURISDICTION_CHANGE = "jurisdiction", "改变管辖"
    WITHDRAWAL = "withdrawal", "撤回起诉"
    APPEAL = "appeal", "上诉"
    PROTEST = "protest", "抗诉"
    RETRIAL = "retrial", "发回重审"
    NO_ARREST_RECONSIDERATION = "no_arrest_reconsideration", "不批捕复议"
    NO_ARREST_REVIEW = "no_arrest_review", "不批捕复核"
    NP_RECONSIDERATION = "np_reconsideration", "不起诉复议"
    NP_REVIEW = "np_review", "不起诉复核"
    NP_COMPLAINT = "np_complaint", "不起诉申诉"
    # Intervals that do not count toward the review period: 精神病鉴定 (Rule 222), the CPL 170
    # decision period for 留置 cases (Rule 143). Not a "件".
    SUSPENSION = "suspension", "不计入办案期限"
