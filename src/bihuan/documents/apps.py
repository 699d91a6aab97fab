from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "bihuan.documents"
    verbose_name = "法律文书"

    def ready(self) -> None:
        from bihuan.cases.signals import cases_loaded
        from bihuan.documents.tasks import queue_extraction

        cases_loaded.connect(queue_extraction, dispatch_uid="documents.extract_loaded")
