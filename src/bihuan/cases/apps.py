from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "bihuan.cases"
    verbose_name = "案卡"
