from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "bihuan.orgs"
    verbose_name = "机构与人员"

    def ready(self) -> None:
        from bihuan.orgs import signals  # noqa: F401 - connects the audit receivers
