"""Every route names the case, so the case's scope is checked first; a document route names the
document of that case as well (the access matrix fills both)."""

from django.urls import path

from bihuan.documents import views

app_name = "documents"
urlpatterns = [
    path("case/<int:case_id>/", views.case_page, name="case"),
    path("case/<int:case_id>/upload/", views.upload, name="upload"),
    path("case/<int:case_id>/<int:document_id>/", views.detail, name="detail"),
    path("case/<int:case_id>/<int:document_id>/download/", views.download, name="download"),
    path("case/<int:case_id>/<int:document_id>/correct/", views.correct, name="correct"),
    path("case/<int:case_id>/<int:document_id>/reextract/", views.reextract, name="reextract"),
    path("case/<int:case_id>/<int:document_id>/delete/", views.delete, name="delete"),
]
