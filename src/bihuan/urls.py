from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "闭环 · 系统配置"
admin.site.site_title = "闭环"
admin.site.index_title = "系统配置（系统管理员）"

urlpatterns = [
    path("", include("bihuan.web.urls")),
    path("cases/", include("bihuan.cases.urls")),
    path("audit/", include("bihuan.events.urls")),
    path("notifications/", include("bihuan.notifications.urls")),
    path("intake/", include("bihuan.intake.urls")),
    path("triage/", include("bihuan.triage.urls")),
    path("workflow/", include("bihuan.workflow.urls")),
    path("deadlines/", include("bihuan.deadlines.urls")),
    path("documents/", include("bihuan.documents.urls")),
    path("reports/", include("bihuan.bizreports.urls")),
    path("casecode/", include("bihuan.casecode.urls")),
    path("indicators/", include("bihuan.indicators.urls")),
    path("patrol/", include("bihuan.patrol.urls")),
    path("people/", include("bihuan.orgs.urls")),
    path("api/", include("bihuan.api.urls")),
    path("admin/", admin.site.urls),
]
