from django.urls import path

from bihuan.bizreports import views

app_name = "bizreports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("cases/", views.report_cases, name="cases"),
    path("import/", views.report_import, name="import"),
    path("enter/", views.report_enter, name="enter"),
    path("batches/", views.batch_list, name="batches"),
]
