from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "bihuan.events"
    verbose_name = "全程留痕"
