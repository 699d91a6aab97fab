from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "bihuan.web"
    verbose_name = "页面"
