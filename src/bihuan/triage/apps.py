from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "bihuan.triage"
    verbose_name = "繁简分流与分案"

    def ready(self) -> None:
        from bihuan.triage import receivers  # noqa: F401 - connects the case_accepted receiver
