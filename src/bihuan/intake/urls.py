from django.urls import path

from bihuan.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.desk, name="desk"),
    path("new/", views.register, name="register"),
    path("<int:case_id>/", views.case_page, name="case"),
    path("<int:case_id>/materials/", views.materials, name="materials"),
    path("<int:case_id>/accept/", views.accept, name="accept"),
    path("<int:case_id>/fulfil/", views.fulfil, name="fulfil"),
    path("<int:case_id>/form.docx", views.form_docx, name="form_docx"),
]
