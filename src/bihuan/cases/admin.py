"""The charge catalogue and the case tags: configuration for the 系统管理员. Case data itself
is not in the admin."""

from django.contrib import admin

from bihuan.cases.models import Charge, Tag
from bihuan.orgs.admin import AuditedAdmin


@admin.register(Charge)
class ChargeAdmin(AuditedAdmin):
    list_display = ("code", "name", "article", "chapter", "source")
    list_filter = ("chapter",)
    search_fields = ("code", "name", "article")


@admin.register(Tag)
class TagAdmin(AuditedAdmin):
    list_display = ("name",)
    search_fields = ("name",)
