from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "bihuan.exchange"
    verbose_name = "数据交换"
