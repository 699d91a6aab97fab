"""Business reports (业务报表): monthly figures a procuratorate reports upward, with their source."""

from django.db import models

from bihuan.bizreports.items import BY_CODE, CHOICES, ReportItem
from bihuan.orgs.models import Department, Organisation, User


class BatchSource(models.TextChoices):
    EXCEL = "excel", "导入 Excel"
    CSV = "csv", "导入 CSV"
    MANUAL = "manual", "手工录入"


class ReportBatch(models.Model):
    """One import of a report file, or one manual entry: where a set of figures came from."""

    org = models.ForeignKey(
        Organisation, verbose_name="检察院", on_delete=models.PROTECT, related_name="report_batches"
    )
    source = models.CharField("来源", max_length=10, choices=BatchSource.choices)
    file_name = models.CharField("文件名", max_length=200, blank=True)
    sha256 = models.CharField("文件摘要（SHA-256）", max_length=64, blank=True, db_index=True)
    imported_by = models.ForeignKey(
        User, verbose_name="导入（录入）人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    rows_accepted = models.PositiveIntegerField("写入条数", default=0)
    rows_unchanged = models.PositiveIntegerField("未变条数", default=0)
    rows_rejected = models.PositiveIntegerField("拒绝行数", default=0)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "报表批次"
        verbose_name_plural = "报表批次"

    def __str__(self) -> str:
        return f"批次 {self.pk}（{self.get_source_display()}）"

    @property
    def by_label(self) -> str:
        return str(self.imported_by) if self.imported_by_id else "系统（命令行）"


class ReportFigure(models.Model):
    """One reported number: an item of a procuratorate (or one of its departments) for a month.

    A re-import or re-entry adds a new current figure and marks the old one superseded, so the
    history of every number stays visible.
    """

    org = models.ForeignKey(Organisation, verbose_name="检察院", on_delete=models.PROTECT, related_name="+")
    # NULL: the figure of the whole procuratorate.
    department = models.ForeignKey(
        Department, verbose_name="部门", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField("年")
    month = models.PositiveSmallIntegerField("月")
    item = models.CharField("项目", max_length=10, choices=CHOICES)
    value = models.PositiveIntegerField("数值")
    batch = models.ForeignKey(ReportBatch, verbose_name="批次", on_delete=models.PROTECT, related_name="figures")
    entered_by = models.ForeignKey(
        User, verbose_name="填报人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    is_current = models.BooleanField("现行", default=True)
    superseded_by = models.ForeignKey(
        "self", verbose_name="被替换为", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["org_id", "department_id", "year", "month", "item", "-id"]
        constraints = [
            # Two partial constraints, because NULL departments never collide in a unique index.
            models.UniqueConstraint(
                fields=["org", "year", "month", "item"],
                condition=models.Q(is_current=True, department__isnull=True),
                name="report_figure_current_org",
            ),
            models.UniqueConstraint(
                fields=["org", "department", "year", "month", "item"],
                condition=models.Q(is_current=True, department__isnull=False),
                name="report_figure_current_department",
            ),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="report_figure_month"),
        ]
        indexes = [
            # The report page and the patrol read the current figures of one unit and month.
            models.Index(fields=["org", "year", "month"], name="report_figure_unit_month"),
        ]
        verbose_name = "报表数"
        verbose_name_plural = "报表数"

    def __str__(self) -> str:
        return f"{self.year}年{self.month}月 {self.report_item.label} {self.value}"

    @property
    def report_item(self) -> ReportItem:
        return BY_CODE[self.item]
