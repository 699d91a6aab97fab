"""The working-day overrides, configuration for the 系统管理员."""

from django.contrib import admin

from bihuan.deadlines.models import HolidayOverride
from bihuan.orgs.admin import AuditedAdmin


@admin.register(HolidayOverride)
class HolidayOverrideAdmin(AuditedAdmin):
    list_display = ("date", "is_workday", "note")
    list_filter = ("is_workday",)
    search_fields = ("note",)
    date_hierarchy = "date"
