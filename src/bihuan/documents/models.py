"""Legal documents (法律文书) attached to a case, kept as text."""

from django.db import models

from bihuan.cases.models import Case


class DocumentKind(models.TextChoices):
    RECOMMENDATION = "recommendation", "起诉意见书"
    ARREST_REQUEST = "arrest_request", "提请批准逮捕书"
    INDICTMENT = "indictment", "起诉书"
    NON_PROSECUTION = "non_prosecution", "不起诉决定书"
    PLEA_AGREEMENT = "plea_agreement", "认罪认罚具结书"
    SENTENCING = "sentencing", "量刑建议书"
    SUPPLEMENTARY = "supplementary", "退回补充侦查决定书"
    EXTENSION = "extension", "延长审查起诉期限决定书"
    ARREST_APPROVAL = "arrest_approval", "批准逮捕决定书"
    ARREST_REFUSAL = "arrest_refusal", "不批准逮捕决定书"
    MEASURE = "measure", "强制措施文书"
    JUDGMENT = "judgment", "刑事判决书"
    OTHER = "other", "其他文书"


class Document(models.Model):
    """A legal document of a case, with its number, date and full text."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField("文书种类", max_length=20, choices=DocumentKind.choices)
    number = models.CharField("文号", max_length=64, blank=True)
    title = models.CharField("标题", max_length=100, blank=True)
    signed_date = models.DateField("签发日期", null=True, blank=True)
    text = models.TextField("正文", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case_id", "signed_date", "id"]
        verbose_name = "法律文书"
        verbose_name_plural = "法律文书"

    def __str__(self) -> str:
        return self.title or self.get_kind_display()
