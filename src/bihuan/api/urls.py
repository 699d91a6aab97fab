from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import SimpleRouter

from bihuan.api import views
from bihuan.intake.api import IntakeViewSet

v1 = SimpleRouter(use_regex_path=False)
v1.register("cases", views.CaseViewSet, basename="case")
v1.register("suspects", views.SuspectViewSet, basename="suspect")
v1.register("intake", IntakeViewSet, basename="intake")

urlpatterns = [
    path("v1/", include((v1.urls, "v1"))),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # The Redoc page without its web-font links (no internet on the procuratorate network).
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="api-schema", template_name="api/redoc.html"),
        name="api-redoc",
    ),
]
