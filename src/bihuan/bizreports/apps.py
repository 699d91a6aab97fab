from django.apps import AppConfig


class BizreportsConfig(AppConfig):
    name = "bihuan.bizreports"
    verbose_name = "业务报表"
