from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "bihuan.notifications"
    verbose_name = "消息提醒"
