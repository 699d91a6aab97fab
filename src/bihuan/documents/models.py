"""Legal documents (法律文书) attached to a case: their text, the uploaded file they came from, and
the fields extracted from the text, each with the span it was read from and any correction."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from bihuan.cases.models import Case
from bihuan.documents.extract import FIELD_LABELS


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


class FileType(models.TextChoices):
    DOCX = "docx", "DOCX"
    PDF = "pdf", "PDF"
    TXT = "txt", "TXT"


CONTENT_TYPES = {
    FileType.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FileType.PDF: "application/pdf",
    # Text files are kept as uploaded (UTF-8 or GB18030), so no charset is claimed.
    FileType.TXT: "text/plain",
}


class Document(models.Model):
    """A legal document of a case, with its number, date and full text. Documents loaded through
    the exchange format have text only; uploaded ones also have a `DocumentFile`."""

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

    def get_absolute_url(self) -> str:
        return reverse("documents:detail", kwargs={"case_id": self.case_id, "document_id": self.pk})


class DocumentFile(models.Model):
    """The uploaded file a document's text was read from. The bytes lie under
    `DATA_DIR/documents/<storage_key>` (content-addressed by SHA-256), outside any served
    directory; they are only sent through the scoped download view.

    A separate row rather than columns of `Document`, so that the exchange format's bulk load of
    text-only documents (bihuan.exchange) stays as it is."""

    document = models.OneToOneField(Document, on_delete=models.CASCADE, related_name="file")
    file_name = models.CharField("原文件名", max_length=255)
    file_type = models.CharField("文件类型", max_length=8, choices=FileType.choices)
    size = models.PositiveBigIntegerField("文件大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    storage_key = models.CharField("存储位置", max_length=80)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="上传人"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    extracted_at = models.DateTimeField("提取时间", null=True, blank=True)

    class Meta:
        verbose_name = "文书文件"
        verbose_name_plural = "文书文件"
        indexes = [models.Index(fields=["sha256"], name="documentfile_sha256")]  # used when a stored file is shared

    def __str__(self) -> str:
        return f"{self.get_file_type_display()} {self.size} 字节"

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.file_type]


class ExtractedField(models.Model):
    """A field read from a document's text (文号, 被告人姓名, 罪名 …) at `text[start:end]`. A
    person's correction is kept beside the machine value, with who made it and when; the
    effective value is the correction when there is one."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="extracted_fields")
    name = models.CharField("字段", max_length=40)
    group = models.PositiveSmallIntegerField("分组", default=0)  # 0: the document; n: 第 n 名被告人
    value = models.TextField("提取值")
    start = models.PositiveIntegerField("起始位置")
    end = models.PositiveIntegerField("结束位置")
    corrected_value = models.TextField("更正值", null=True, blank=True)
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="更正人",
    )
    corrected_at = models.DateTimeField("更正时间", null=True, blank=True)
    correction_note = models.CharField("更正说明", max_length=200, blank=True)
    row_version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["document_id", "start", "end", "id"]
        verbose_name = "提取字段"
        verbose_name_plural = "提取字段"

    def __str__(self) -> str:
        return f"{self.name}：{self.effective_value}"

    @property
    def label(self) -> str:
        """The field's Chinese name (vocabulary: docs/extraction.md); an unknown name as it is."""
        return FIELD_LABELS.get(self.name, self.name)

    @property
    def effective_value(self) -> str:
        return self.value if self.corrected_value is None else self.corrected_value

    @property
    def is_corrected(self) -> bool:
        return self.corrected_value is not None
