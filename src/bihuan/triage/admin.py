"""The triage standard for the 系统管理员: rules with their JSON conditions, checked against the
feature list before they are saved."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join

from bihuan.orgs.admin import AuditedAdmin
from bihuan.triage.choices import Op
from bihuan.triage.engine import OPS_BY_KIND
from bihuan.triage.features import FEATURES
from bihuan.triage.models import TriageRule

KIND_LABELS = {"str": "文本", "int": "整数", "bool": "是/否（true/false）", "list": "列表"}


@admin.register(TriageRule)
class TriageRuleAdmin(AuditedAdmin):
    list_display = ("kind", "position", "name", "outcome", "is_active", "condition_text")
    list_display_links = ("name",)
    list_filter = ("kind", "outcome", "is_active")
    search_fields = ("name", "explanation")
    fields = ("kind", "position", "name", "explanation", "conditions", "outcome", "is_active", "feature_reference")
    readonly_fields = ("feature_reference",)

    @admin.display(description="条件")
    def condition_text(self, obj: TriageRule) -> str:
        return "；".join(obj.describe_conditions()) or "（兜底：全部案件）"

    @admin.display(description="可用要素与运算符")
    def feature_reference(self, obj: TriageRule | None) -> str:
        rows = format_html_join(
            "",
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    f.name,
                    f.label,
                    KIND_LABELS[f.kind],
                    "、".join(f"{op}（{Op(op).label}）" for op in Op.values if op in OPS_BY_KIND[f.kind]),
                )
                for f in FEATURES.values()
            ),
        )
        return format_html(
            "<table><thead><tr><th>要素 feature</th><th>含义</th><th>取值</th><th>运算符 op</th></tr></thead>"
            "<tbody>{}</tbody></table>",
            rows,
        )
