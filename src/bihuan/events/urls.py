from django.urls import path

from bihuan.events import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("verify/", views.verify, name="verify"),
]
