from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "bihuan.api"
    verbose_name = "接口"
