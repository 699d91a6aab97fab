"""The case card (案卡): cases, suspects, coercive measures, charges and procedural links."""

from datetime import date

from django.db import models
from django.urls import reverse

from bihuan.cases.choices import (
    CUSTODIAL_MEASURES,
    CaseType,
    Education,
    Gender,
    LikelySentence,
    LinkKind,
    MeasureKind,
    Outcome,
    Penalty,
    Procedure,
    RecommendationKind,
    RiskLevel,
    Stage,
    Track,
    Verdict,
)
from bihuan.orgs.models import Agency, Department, Organisation, Team, User


class Charge(models.Model):
    """A charge name (罪名) of the current Criminal Law, from the official determinations."""

    code = models.CharField("编码", max_length=16, unique=True)
    name = models.CharField("罪名", max_length=60, unique=True)
    article = models.CharField("刑法条文", max_length=40)
    article_no = models.CharField("条文号", max_length=16)
    chapter = models.CharField("章", max_length=60)
    # Article order of the Criminal Law: codes alone sort "133-1" before "133".
    position = models.PositiveSmallIntegerField("顺序", default=0)
    source = models.CharField("罪名依据", max_length=40, blank=True)

    class Meta:
        ordering = ["position"]
        verbose_name = "罪名"
        verbose_name_plural = "罪名"

    def __str__(self) -> str:
        return self.name


class Tag(models.Model):
    """A case-type tag (涉黑涉恶, 重大敏感, 群体性 …) used by triage and risk rules."""

    name = models.CharField("标签", max_length=30, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "案件标签"
        verbose_name_plural = "案件标签"

    def __str__(self) -> str:
        return self.name


class NumberSequence(models.Model):
    """The last number handed out for one series (部门受案号 or 统一受案号) of a unit and year."""

    org = models.ForeignKey(Organisation, on_delete=models.PROTECT)
    series = models.CharField(max_length=20)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["org", "series", "year"], name="number_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.org.code}/{self.series}/{self.year}: {self.last}"


class Case(models.Model):
    """One stage of a matter in the procuratorate (审查逮捕, 审查起诉 …) with its own 部门受案号.

    The cases of one matter share its 统一受案号.
    """

    dept_case_no = models.CharField("部门受案号", max_length=64, unique=True)
    unified_case_no = models.CharField("统一受案号", max_length=17, db_index=True)
    name = models.CharField("案件名称", max_length=200)
    case_type = models.CharField("案件类别", max_length=20, choices=CaseType.choices)
    org = models.ForeignKey(Organisation, verbose_name="承办单位", on_delete=models.PROTECT, related_name="cases")
    department = models.ForeignKey(
        Department, verbose_name="承办部门", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    team = models.ForeignKey(
        Team, verbose_name="办案团队", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    prosecutor = models.ForeignKey(
        User, verbose_name="承办检察官", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    source_agency = models.ForeignKey(
        Agency, verbose_name="移送单位", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    charge = models.ForeignKey(
        Charge, verbose_name="移送案由", null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    received_date = models.DateField("受理日期")
    procedure = models.CharField("适用程序", max_length=12, choices=Procedure.choices, default=Procedure.ORDINARY)
    track = models.CharField("繁简", max_length=10, choices=Track.choices, default=Track.UNSORTED, blank=True)
    risk_level = models.CharField("风险等级", max_length=10, choices=RiskLevel.choices, default=RiskLevel.LOW)
    is_major_complex = models.BooleanField("重大复杂", default=False)
    likely_sentence = models.CharField(
        "可能判处刑罚", max_length=6, choices=LikelySentence.choices, default=LikelySentence.UNKNOWN, blank=True
    )
    tags = models.ManyToManyField(Tag, verbose_name="标签", blank=True, related_name="cases")
    stage = models.CharField("办理阶段", max_length=20, choices=Stage.choices, default=Stage.RECEIVED)
    outcome = models.CharField("审结方式", max_length=20, choices=Outcome.choices, default=Outcome.NONE, blank=True)
    closed_date = models.DateField("审结日期", null=True, blank=True)
    summary = models.TextField("简要案情", blank=True)
    # Bumped by every write, so that a second person acting on a stale copy is told it changed.
    row_version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_date", "-id"]
        indexes = [
            # The case list pages by (received_date, id) within the viewer's scope and filters.
            models.Index(fields=["received_date", "id"], name="case_list_order"),
            models.Index(fields=["org", "received_date", "id"], name="case_org_list"),
            models.Index(fields=["department", "received_date", "id"], name="case_department_list"),
            models.Index(fields=["prosecutor", "received_date", "id"], name="case_prosecutor_list"),
            models.Index(fields=["team", "received_date", "id"], name="case_team_list"),
            models.Index(fields=["stage", "received_date", "id"], name="case_stage_list"),
            models.Index(fields=["charge", "received_date", "id"], name="case_charge_list"),
            models.Index(fields=["risk_level", "received_date", "id"], name="case_risk_list"),
            models.Index(fields=["track", "received_date", "id"], name="case_track_list"),
            models.Index(fields=["closed_date"], name="case_closed"),
        ]
        verbose_name = "案件"
        verbose_name_plural = "案件"

    def __str__(self) -> str:
        return f"{self.name}（{self.dept_case_no}）"

    def get_absolute_url(self) -> str:
        return reverse("cases:detail", args=[self.pk])


class Suspect(models.Model):
    """A suspect (犯罪嫌疑人/被告人) of a case, with per-person plea, outcome and court result.

    认罪认罚, the sentencing recommendation and the court result are per person: in a
    multi-defendant case each defendant pleads, is recommended and is sentenced separately, and
    the official indicators count persons (人).
    """

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="suspects")
    seq = models.PositiveSmallIntegerField("序号", default=1)
    name = models.CharField("姓名", max_length=50, db_index=True)
    former_name = models.CharField("曾用名", max_length=50, blank=True)
    alias = models.CharField("绰号", max_length=50, blank=True)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    birth_date = models.DateField("出生日期", null=True, blank=True)
    id_number = models.CharField("公民身份号码", max_length=18, blank=True)
    ethnicity = models.CharField("民族", max_length=20, blank=True)
    education = models.CharField("文化程度", max_length=20, choices=Education.choices, blank=True)
    occupation = models.CharField("职业", max_length=50, blank=True)
    employer = models.CharField("工作单位及职务", max_length=100, blank=True)
    household_address = models.CharField("户籍所在地", max_length=200, blank=True)
    address = models.CharField("住址", max_length=200, blank=True)
    is_minor = models.BooleanField("未成年人", default=False)
    prior_record = models.CharField("前科情况", max_length=200, blank=True)
    charges = models.ManyToManyField(Charge, through="SuspectCharge", verbose_name="罪名", blank=True)
    outcome = models.CharField("处理结果", max_length=20, choices=Outcome.choices, default=Outcome.NONE, blank=True)
    plea = models.BooleanField("认罪认罚", default=False)
    plea_signed_date = models.DateField("具结书签署日期", null=True, blank=True)
    rec_kind = models.CharField(
        "量刑建议类型", max_length=10, choices=RecommendationKind.choices, default=RecommendationKind.NONE, blank=True
    )
    rec_penalty = models.CharField("建议主刑", max_length=20, choices=Penalty.choices, default=Penalty.NONE, blank=True)
    rec_term_min = models.PositiveSmallIntegerField("建议刑期（月）下限", null=True, blank=True)
    rec_term_max = models.PositiveSmallIntegerField("建议刑期（月）上限", null=True, blank=True)
    rec_probation = models.BooleanField("建议缓刑", default=False)
    rec_fine = models.DecimalField("建议罚金（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    verdict = models.CharField("判决结果", max_length=12, choices=Verdict.choices, default=Verdict.NONE, blank=True)
    judgment_date = models.DateField("判决日期", null=True, blank=True)
    court_penalty = models.CharField(
        "宣告主刑", max_length=20, choices=Penalty.choices, default=Penalty.NONE, blank=True
    )
    court_term = models.PositiveSmallIntegerField("宣告刑期（月）", null=True, blank=True)
    court_probation = models.BooleanField("宣告缓刑", default=False)
    court_fine = models.DecimalField("判处罚金（元）", max_digits=12, decimal_places=2, null=True, blank=True)
    rec_adopted = models.BooleanField("采纳量刑建议", null=True, blank=True)

    class Meta:
        ordering = ["case_id", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="suspect_unique_seq")]
        verbose_name = "犯罪嫌疑人"
        verbose_name_plural = "犯罪嫌疑人"

    def __str__(self) -> str:
        return self.name

    def in_custody(self, on: date) -> bool:
        """Whether a custodial measure (拘留, 逮捕, 留置) covers the given day."""
        return any(m.kind in CUSTODIAL_MEASURES and m.covers(on) for m in self.measures.all())


class SuspectCharge(models.Model):
    """One charge against one suspect; the first (`is_main`) is the principal charge."""

    suspect = models.ForeignKey(Suspect, on_delete=models.CASCADE, related_name="suspect_charges")
    charge = models.ForeignKey(Charge, on_delete=models.PROTECT, related_name="+")
    is_main = models.BooleanField("主罪名", default=False)

    class Meta:
        ordering = ["suspect_id", "-is_main", "id"]
        constraints = [models.UniqueConstraint(fields=["suspect", "charge"], name="suspect_charge_unique")]
        verbose_name = "罪名认定"
        verbose_name_plural = "罪名认定"

    def __str__(self) -> str:
        return f"{self.suspect} {self.charge}"


class CoerciveMeasure(models.Model):
    """One period of a coercive measure (强制措施) on a suspect; `end_date` is the last day, or open."""

    suspect = models.ForeignKey(Suspect, on_delete=models.CASCADE, related_name="measures")
    kind = models.CharField("种类", max_length=24, choices=MeasureKind.choices)
    deciding_body = models.CharField("决定机关", max_length=100, blank=True)
    start_date = models.DateField("起始日期")
    end_date = models.DateField("截止日期", null=True, blank=True)
    place = models.CharField("羁押（执行）处所", max_length=100, blank=True)

    class Meta:
        ordering = ["suspect_id", "start_date", "id"]
        verbose_name = "强制措施"
        verbose_name_plural = "强制措施"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.start_date}"

    def covers(self, on: date) -> bool:
        return self.start_date <= on and (self.end_date is None or on <= self.end_date)


class ProceduralLink(models.Model):
    """A dated procedural link of a case: 退回补充侦查 (returned, re-received), 延长 (from, to) …"""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="links")
    suspect = models.ForeignKey(Suspect, null=True, blank=True, on_delete=models.CASCADE, related_name="links")
    kind = models.CharField("环节", max_length=30, choices=LinkKind.choices)
    seq = models.PositiveSmallIntegerField("次序", default=1)
    start_date = models.DateField("起始（决定）日期")
    end_date = models.DateField("结束（重新移送）日期", null=True, blank=True)
    approver = models.CharField("批准人", max_length=50, blank=True)
    note = models.CharField("说明", max_length=300, blank=True)

    class Meta:
        ordering = ["case_id", "start_date", "id"]
        indexes = [models.Index(fields=["kind", "start_date"], name="link_kind_date")]  # 案-件比 counts
        verbose_name = "程序环节"
        verbose_name_plural = "程序环节"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（第{self.seq}次）"


__all__ = [
    "Case",
    "CaseType",
    "Charge",
    "CoerciveMeasure",
    "Education",
    "Gender",
    "LinkKind",
    "MeasureKind",
    "NumberSequence",
    "Outcome",
    "Penalty",
    "ProceduralLink",
    "Suspect",
    "SuspectCharge",
    "Tag",
    "Verdict",
]
