from django.apps import AppConfig


class PatrolConfig(AppConfig):
    name = "bihuan.patrol"
    verbose_name = "电子巡逻车"
