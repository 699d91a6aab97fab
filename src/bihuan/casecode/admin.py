"""The case-code configuration for the 系统管理员: the versioned score templates (《"案件码"量化评分
表》, domain-rules §7.4) with their items, and the procuratorates that score every case.

A version that has scored a case is read-only: past evaluations keep the table they were scored
with. A change is made on a copy (复制为新版本), which is then put in force (启用所选版本)."""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Exists, OuterRef, Sum

from bihuan.casecode.actions import do_activate_template, do_copy_template, template_in_use
from bihuan.casecode.exceptions import CodeRefused
from bihuan.casecode.models import Evaluation, OfficeSetting, ScoreItem, ScoreTemplate
from bihuan.events.actions import record
from bihuan.orgs.admin import AuditedAdmin


def _frozen(template: ScoreTemplate | None) -> bool:
    return template is not None and template.pk is not None and template_in_use(template)


class ScoreTemplateForm(forms.ModelForm):
    class Meta:
        model = ScoreTemplate
        fields = ("name", "red_below", "green_from", "note")

    def clean(self):
        data = super().clean()
        red_below, green_from = data.get("red_below"), data.get("green_from")
        if red_below is not None and green_from is not None and red_below > green_from:
            raise forms.ValidationError("红码分数线（低于）不得高于绿码分数线（不低于）。")
        return data


class ScoreItemForm(forms.ModelForm):
    class Meta:
        model = ScoreItem
        fields = ("order", "dimension", "name", "max_points", "veto", "guidance")

    def clean_max_points(self):
        points = self.cleaned_data["max_points"]
        if points is not None and points <= 0:
            raise forms.ValidationError("分值须大于 0。")
        return points


class ScoreItemInline(admin.TabularInline):
    model = ScoreItem
    form = ScoreItemForm
    extra = 0
    fields = ("order", "dimension", "name", "max_points", "veto", "guidance")

    # A version that has scored a case shows its items read-only.
    def has_add_permission(self, request, obj=None) -> bool:
        return super().has_add_permission(request, obj) and not _frozen(obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not _frozen(obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not _frozen(obj)


@admin.register(ScoreTemplate)
class ScoreTemplateAdmin(AuditedAdmin):
    form = ScoreTemplateForm
    inlines = [ScoreItemInline]
    list_display = ("name", "version", "is_active", "total_points", "item_count", "red_below", "green_from", "used")
    list_display_links = ("name", "version")
    readonly_fields = ("version", "is_active", "total_points", "created_at")
    fields = ("name", "version", "is_active", "red_below", "green_from", "total_points", "note", "created_at")
    actions = ["copy_as_new_version", "activate"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                total=Sum("items__max_points"),
                n_items=Count("items"),
                in_use=Exists(Evaluation.objects.filter(template=OuterRef("pk"))),
            )
            .order_by("name", "-version")
        )

    @admin.display(description="满分合计")
    def total_points(self, obj: ScoreTemplate) -> str:
        total = getattr(obj, "total", None)
        if total is None and obj.pk:
            total = obj.items.aggregate(t=Sum("max_points"))["t"]
        total = (total or Decimal(0)).quantize(Decimal("0.1"))
        return f"{total} 分" + ("" if total == 100 else "（不是 100 分，得分按合计计算）")

    @admin.display(description="评分项数")
    def item_count(self, obj: ScoreTemplate) -> int:
        return obj.n_items

    @admin.display(description="已用于评分", boolean=True)
    def used(self, obj: ScoreTemplate) -> bool:
        return obj.in_use

    def has_change_permission(self, request, obj=None) -> bool:
        # A used version is read-only; changes go into a new version.
        return super().has_change_permission(request, obj) and not _frozen(obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # versions are switched off, never deleted: evaluations name them

    def save_formset(self, request, form, formset, change) -> None:
        super().save_formset(request, form, formset, change)
        touched = [*formset.new_objects, *(obj for obj, _ in formset.changed_objects), *formset.deleted_objects]
        if touched:
            names = "、".join(item.name for item in touched)
            record(
                "config.update",
                form.instance,
                actor=request.user,
                summary=f"修改{ScoreTemplate._meta.verbose_name} {form.instance} 的评分项：{names}",
                changes={
                    "items": [
                        [item.name for item in formset.deleted_objects],
                        [item.name for item in (*formset.new_objects, *(o for o, _ in formset.changed_objects))],
                    ]
                },
            )

    @admin.action(description="复制为新版本", permissions=["change"])
    def copy_as_new_version(self, request, queryset) -> None:
        for template in queryset:
            copy = do_copy_template(template, actor=request.user)
            self.message_user(request, f"已复制为 {copy}（未启用），修改评分项后再启用。", messages.SUCCESS)

    @admin.action(description="启用所选版本", permissions=["change"])
    def activate(self, request, queryset) -> None:
        if queryset.count() != 1:
            self.message_user(request, "请只选择一个要启用的版本。", messages.ERROR)
            return
        try:
            template = do_activate_template(queryset.get(), actor=request.user)
        except CodeRefused as exc:
            self.message_user(request, str(exc), messages.ERROR)
        else:
            self.message_user(request, f"已启用 {template}，新的评分使用该版本。", messages.SUCCESS)


@admin.register(OfficeSetting)
class OfficeSettingAdmin(AuditedAdmin):
    list_display = ("org", "all_cases")
    list_select_related = ("org",)
    list_filter = ("all_cases",)
