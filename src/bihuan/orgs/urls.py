from django.urls import path

from bihuan.orgs import views

app_name = "orgs"
urlpatterns = [
    path("roles/", views.role_list, name="roles"),
    path("roles/<int:person_id>/", views.role_edit, name="role_edit"),
]
