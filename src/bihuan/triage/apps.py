from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "bihuan.triage"
    verbose_name = "繁简分流与分案"
