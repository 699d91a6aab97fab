from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "bihuan.indicators"
    verbose_name = "案件质量指标"
