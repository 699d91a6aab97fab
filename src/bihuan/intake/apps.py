from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "bihuan.intake"
    verbose_name = "受理"
