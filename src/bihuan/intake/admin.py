"""The elements each case type must bring to intake: configuration for the 系统管理员."""

from django.contrib import admin

from bihuan.intake.models import RequiredMaterial
from bihuan.orgs.admin import AuditedAdmin


@admin.register(RequiredMaterial)
class RequiredMaterialAdmin(AuditedAdmin):
    list_display = ("name", "case_type", "kind", "card_check", "condition", "basis", "position", "active")
    list_filter = ("case_type", "kind", "active")
    list_editable = ("position", "active")
    search_fields = ("name", "basis")

    def has_delete_permission(self, request, obj=None) -> bool:
        # Intake records point at the elements; an element no longer wanted is switched off.
        return False
