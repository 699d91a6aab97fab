from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "bihuan.demo"
    verbose_name = "演示与运行"
