from django.urls import path

from bihuan.deadlines import views, views_pages

app_name = "deadlines"
urlpatterns = [
    path("", views_pages.board, name="board"),
    path("cases/", views_pages.home, name="home"),
    path("calculator/", views.calculator, name="calculator"),
]
