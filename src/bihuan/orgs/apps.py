from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "bihuan.orgs"
    verbose_name = "机构与人员"
