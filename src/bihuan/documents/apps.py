from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "bihuan.documents"
    verbose_name = "法律文书"
