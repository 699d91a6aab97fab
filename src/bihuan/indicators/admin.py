"""The 案-件比 extra-link list (domain-rules §7.3) and the dashboards' targets and contribution
weights: configuration for the 系统管理员."""

from django.contrib import admin
from django.db import transaction

from bihuan.events.actions import record
from bihuan.indicators.models import ContributionWeight, ExtraLink, Target
from bihuan.orgs.admin import AuditedAdmin


@admin.register(ExtraLink)
class ExtraLinkAdmin(AuditedAdmin):
    """Adding and changing are logged by AuditedAdmin; removing a kind changes every 案-件比
    figure, so it is logged too."""

    list_display = ("kind", "note")

    @transaction.atomic
    def delete_model(self, request, obj) -> None:
        record("config.delete", obj, actor=request.user, summary=f"删除案-件比额外环节 {obj}")
        super().delete_model(request, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            record("config.delete", obj, actor=request.user, summary=f"删除案-件比额外环节 {obj}")
        super().delete_queryset(request, queryset)


@admin.register(Target)
class TargetAdmin(AuditedAdmin):
    """The targets of the 红黄蓝 table; a change recolours the dashboards at once."""

    list_display = ("indicator", "direction", "value", "tolerance", "note")


@admin.register(ContributionWeight)
class ContributionWeightAdmin(AuditedAdmin):
    """The weights of the 团队贡献度系数; a change re-weighs every team at once."""

    list_display = ("factor", "weight", "note")
