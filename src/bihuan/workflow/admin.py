"""The authority list (权力清单) in the system administrator's configuration area."""

from django.contrib import admin

from bihuan.events.actions import record
from bihuan.orgs.admin import AuditedAdmin
from bihuan.workflow.models import ROLE_LABELS, ChainStep, DecisionType


class ChainStepInline(admin.TabularInline):
    model = ChainStep
    extra = 1
    ordering = ["position"]


@admin.register(DecisionType)
class DecisionTypeAdmin(AuditedAdmin):
    list_display = ("name", "case_type", "outcome", "link_kind", "chain_display", "requires_hearing", "active")
    list_filter = ("case_type", "active")
    search_fields = ("name", "code")
    inlines = [ChainStepInline]

    @admin.display(description="审批链")
    def chain_display(self, obj: DecisionType) -> str:
        return " → ".join(["承办检察官", *(ROLE_LABELS[r] for r in obj.chain_roles())])

    def save_related(self, request, form, formsets, change) -> None:
        """A change of the chain is a change of the authority list: it goes to the event log."""
        before = form.instance.chain_roles() if change else []
        super().save_related(request, form, formsets, change)
        after = form.instance.chain_roles()
        if before != after:
            record(
                "config.update",
                form.instance,
                actor=request.user,
                summary=f"修改权力清单审批链：{form.instance}",
                changes={"chain": [before, after]},
            )
