"""Administrator overrides of the official working-day calendar (节假日调整)."""

from django.db import models


class HolidayOverride(models.Model):
    """One day whose working status the 系统管理员 sets by hand, over the State Council
    arrangement shipped in `chinesecalendar` (domain-rules §7.1): a late-published or local
    arrangement, or a year the package does not cover yet."""

    date = models.DateField("日期", unique=True)
    is_workday = models.BooleanField("工作日", help_text="勾选为工作日（含调休上班日），不勾选为休息日（节假日）")
    note = models.CharField("说明", max_length=100, blank=True, help_text="例如：2027年春节放假、国庆节调休上班")

    class Meta:
        ordering = ["date"]
        verbose_name = "节假日调整"
        verbose_name_plural = "节假日调整"

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {'工作日' if self.is_workday else '休息日'}"
