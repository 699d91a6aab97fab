"""The patrol's configuration for the 系统管理员: the rules (a definition in the patrol language,
checked by `check_definition` and saved through `do_save_rule`, which keeps the version and marks a
changed built-in rule), and the runs, read-only."""

from django import forms
from django.contrib import admin

from bihuan.cases.choices import CaseType
from bihuan.patrol import actions
from bihuan.patrol.lang import check_definition
from bihuan.patrol.models import Rule, Run

RULE_FIELDS = ("code", "name", "category", "severity", "basis", "message", "reply_days", "case_types", "definition")


class RuleForm(forms.ModelForm):
    case_types = forms.MultipleChoiceField(
        label="适用案件类别（不选为全部）",
        choices=CaseType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Rule
        fields = (*RULE_FIELDS, "enabled")

    def clean_definition(self) -> dict:
        definition = self.cleaned_data["definition"]
        errors = (
            check_definition(definition)
            if isinstance(definition, dict)
            else ["规则定义应为含 subject、when、show 的对象"]
        )
        if errors:
            raise forms.ValidationError(errors)
        return definition


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    form = RuleForm
    list_display = ("code", "name", "category", "severity", "enabled", "builtin", "customised", "version")
    list_filter = ("category", "severity", "enabled", "builtin")
    search_fields = ("code", "name", "basis")
    readonly_fields = ("builtin", "customised", "version", "updated_at")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # findings keep their rule; a rule is stopped, not deleted

    def save_model(self, request, obj, form, change) -> None:
        """Through the actions: the definition saved with its version (and its audit event), and
        启用/停用 with its consequences (stopping closes the rule's open findings)."""
        before = Rule.objects.get(pk=obj.pk) if change else None
        fields = {name: form.cleaned_data[name] for name in RULE_FIELDS}
        saved = actions.do_save_rule(before, actor=request.user, fields=fields)
        if saved.enabled != form.cleaned_data["enabled"]:
            actions.do_set_rule_enabled(saved, actor=request.user, enabled=form.cleaned_data["enabled"])
        obj.pk = saved.pk


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    list_display = ("started_at", "kind", "duration_ms", "rules", "cases_checked", "hits", "triggered_by")
    list_filter = ("kind",)
    exclude = ("case",)  # the 系统管理员 sees no case data
    date_hierarchy = "started_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
