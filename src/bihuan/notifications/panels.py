from bihuan.notifications.models import Notification
from bihuan.web.panels import NavItem


def nav(user) -> list[NavItem]:
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return [NavItem("notifications:list", f"消息提醒（{unread}）" if unread else "消息提醒", "notifications", order=1)]
