"""Configuration pages for the 系统管理员 (Django admin). Which models a person sees, and what
they may do with them, comes from the `rules` permissions in orgs/rules.py and cases/rules.py."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.forms import AdminPasswordChangeForm, BaseUserCreationForm
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from bihuan.events.actions import diff, record
from bihuan.orgs.actions import do_reset_password
from bihuan.orgs.models import Agency, Department, Organisation, Team, User


class AuditedAdmin(admin.ModelAdmin):
    """Every change saved in the admin goes to the event log, in the admin's own transaction."""

    def save_model(self, request, obj, form, change) -> None:
        names = [f.name for f in obj._meta.concrete_fields if f.name in form.changed_data]
        before = type(obj).objects.get(pk=obj.pk) if change else type(obj)()
        changes = diff(before, {name: getattr(obj, name) for name in names})
        super().save_model(request, obj, form, change)
        org = getattr(obj, "org", None)
        verb = "修改" if change else "新建"
        record(
            "config.update" if change else "config.create",
            obj,
            actor=request.user,
            org_code=org.code if isinstance(org, Organisation) else "",
            summary=f"{verb}{obj._meta.verbose_name} {obj}",
            changes=changes,
        )


@admin.register(Organisation)
class OrganisationAdmin(AuditedAdmin):
    list_display = ("code", "name", "short_name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name", "short_name")
    fields = ("code", "name", "short_name", "level", "parent")

    def get_readonly_fields(self, request, obj=None):
        # The unit code and the place in the tree are part of every case number and path.
        return ("code", "parent") if obj else ()


@admin.register(Department)
class DepartmentAdmin(AuditedAdmin):
    list_display = ("name", "short_name", "org", "kind")
    list_filter = ("kind", "org")
    list_select_related = ("org",)
    search_fields = ("name",)


@admin.register(Team)
class TeamAdmin(AuditedAdmin):
    list_display = ("name", "department", "is_fast_track")
    list_filter = ("is_fast_track", "department__org")
    list_select_related = ("department__org",)
    search_fields = ("name",)


@admin.register(Agency)
class AgencyAdmin(AuditedAdmin):
    list_display = ("name", "kind", "org")
    list_filter = ("kind",)
    list_select_related = ("org",)
    search_fields = ("name",)


class PersonCreationForm(BaseUserCreationForm):
    """A new login with its first password, checked by the password validators."""

    class Meta(BaseUserCreationForm.Meta):
        model = User
        fields = ("username", "full_name", "email", "org", "department", "team", "agency")

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.password_changed_at = timezone.now()
        if commit:
            user.save()
        return user


PERSON_FIELDS = ("username", "full_name", "email", "org", "department", "team", "agency")


@admin.register(User)
class PersonAdmin(AuditedAdmin):
    """People without their roles (安全管理员) and without any view of the password hash."""

    add_form = PersonCreationForm
    list_display = ("username", "full_name", "org", "department", "team", "is_active", "last_login")
    list_filter = ("is_active", "org")
    list_select_related = ("org", "department", "team")
    search_fields = ("username", "full_name")
    ordering = ("org__path", "username")
    readonly_fields = ("password_reset", "password_changed_at", "last_login", "date_joined")
    fieldsets = (
        (None, {"fields": PERSON_FIELDS}),
        ("状态", {"fields": ("is_active", "password_reset", "password_changed_at", "last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"fields": (*PERSON_FIELDS, "password1", "password2")}),)

    def get_fieldsets(self, request, obj=None):
        return self.fieldsets if obj else self.add_fieldsets

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else ()

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field: models.ForeignKey, request, **kwargs):
        if db_field.name == "department":
            # Department labels name their procuratorate.
            kwargs["queryset"] = Department.objects.select_related("org")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description="密码")
    def password_reset(self, obj: User) -> str:
        url = reverse("admin:orgs_user_password", args=[obj.pk])
        return format_html('<a class="button" href="{}">重置密码</a>（重置后须在下次登录时修改）', url)

    def get_urls(self):
        reset = self.admin_site.admin_view(self.reset_password_view)
        return [path("<path:object_id>/password/", reset, name="orgs_user_password"), *super().get_urls()]

    def reset_password_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        """Set a new password for a person through `do_reset_password` (validated, audited)."""
        person = self.get_object(request, unquote(object_id))
        if person is None:
            raise Http404("人员不存在")
        if not self.has_change_permission(request, person):
            raise PermissionDenied
        form = AdminPasswordChangeForm(person, request.POST or None)
        if request.method == "POST" and form.is_valid():
            do_reset_password(person, form.cleaned_data["password1"], actor=request.user)
            messages.success(request, f"已重置 {person} 的密码，其下次登录时须修改密码。")
            return HttpResponseRedirect(reverse("admin:orgs_user_change", args=[person.pk]))
        context = {
            **self.admin_site.each_context(request),
            "title": f"重置密码：{person.get_username()}",
            "form": form,
            "form_url": "",
            "is_popup": False,
            "add": True,
            "change": False,
            "has_delete_permission": False,
            "has_change_permission": True,
            "has_absolute_url": False,
            "opts": self.opts,
            "original": person,
            "save_as": False,
            "show_save": True,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/auth/user/change_password.html", context)
