from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "bihuan.deadlines"
    verbose_name = "办案期限"
