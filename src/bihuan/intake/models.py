"""Intake (受理) by the case-management office: what each case type must bring (Rule 157–158),
what arrived with a case, and what was accepted on the promise of later delivery (先收后补)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from bihuan.cases.choices import CaseType
from bihuan.cases.models import Case
from bihuan.orgs.models import User


class ElementKind(models.TextChoices):
    MATERIAL = "material", "随案移送材料"
    CARD = "card", "案卡信息"


class Condition(models.TextChoices):
    """When a required element applies to a case."""

    ALWAYS = "always", "一律"
    # CPL 123: interrogations are recorded in cases that may bring life imprisonment or death,
    # and in other major cases; Bihuan reads that as "likely ten years or more" or 重大复杂.
    SERIOUS = "serious", "可能判处十年有期徒刑以上或重大复杂的"
    # CPL 162 para 2: a suspect's voluntary confession is recorded and sent with the case.
    PLEA = "plea", "犯罪嫌疑人认罪认罚的"
    # Rule 157(4): the office checks the coercive measures taken.
    MEASURE = "measure", "已采取强制措施的"


class CardCheck(models.TextChoices):
    """Checks of the case card the office makes on receipt (Rule 157)."""

    NONE = "", "—"
    SUSPECTS = "suspects", "至少登记一名犯罪嫌疑人"
    IDENTITY = "identity", "每名犯罪嫌疑人的姓名、性别、出生日期、公民身份号码"
    AGENCY = "agency", "移送单位"
    CHARGE = "charge", "移送案由"
    MEASURES = "measures", "每名犯罪嫌疑人的强制措施情况"


class RequiredMaterial(models.Model):
    """One element a case of a type must have before the office accepts it: a material handed
    over with the case, or a check of the case card. Configuration kept by the 系统管理员."""

    case_type = models.CharField("案件类别", max_length=20, choices=CaseType.choices)
    name = models.CharField("名称", max_length=60)
    kind = models.CharField("类别", max_length=10, choices=ElementKind.choices, default=ElementKind.MATERIAL)
    card_check = models.CharField(
        "案卡检查项", max_length=10, choices=CardCheck.choices, default=CardCheck.NONE, blank=True
    )
    condition = models.CharField("适用情形", max_length=10, choices=Condition.choices, default=Condition.ALWAYS)
    basis = models.CharField("依据", max_length=200)
    position = models.PositiveSmallIntegerField("顺序", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["case_type", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["case_type", "name"], name="required_material_unique_name")]
        verbose_name = "受理必备要素"
        verbose_name_plural = "受理必备要素"

    def __str__(self) -> str:
        return f"{self.get_case_type_display()}·{self.name}"

    def clean(self) -> None:
        if self.kind == ElementKind.CARD and not self.card_check:
            raise ValidationError({"card_check": "案卡信息类要素须选择案卡检查项。"})
        if self.kind == ElementKind.MATERIAL and self.card_check:
            raise ValidationError({"card_check": "随案移送材料不设案卡检查项。"})


class IntakeRecord(models.Model):
    """The intake of one case: who registered and who accepted it, and the materials received."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="intake")
    registered_by = models.ForeignKey(
        User, verbose_name="登记人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    registered_at = models.DateTimeField("登记时间", null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, verbose_name="受理人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    received = models.ManyToManyField(RequiredMaterial, verbose_name="已接收材料", blank=True, related_name="+")

    class Meta:
        indexes = [models.Index(fields=["accepted_at"], name="intake_accepted")]  # recent acceptances
        verbose_name = "受理记录"
        verbose_name_plural = "受理记录"

    def __str__(self) -> str:
        return f"受理记录 {self.case_id}"


class DeferredItem(models.Model):
    """An element accepted as missing, to be delivered by a due date (先收后补)."""

    record = models.ForeignKey(IntakeRecord, on_delete=models.CASCADE, related_name="deferred")
    element = models.ForeignKey(RequiredMaterial, verbose_name="待补要素", on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField("补送期限")
    reason = models.CharField("原因", max_length=200)
    created_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    fulfilled_at = models.DateTimeField("补齐时间", null=True, blank=True)
    fulfilled_by = models.ForeignKey(
        User, verbose_name="确认人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [models.UniqueConstraint(fields=["record", "element"], name="deferred_item_unique")]
        # The reminder command and the intake desk read the open items by due date.
        indexes = [models.Index(fields=["due_date"], name="deferred_open_due", condition=Q(fulfilled_at=None))]
        verbose_name = "先收后补事项"
        verbose_name_plural = "先收后补事项"

    def __str__(self) -> str:
        return f"{self.element.name}（{self.due_date:%Y-%m-%d}前补送）"

    @property
    def is_open(self) -> bool:
        return self.fulfilled_at is None
