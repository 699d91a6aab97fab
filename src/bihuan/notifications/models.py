"""In-app notifications (消息提醒): deadline reminders, assignments, approval requests."""

from django.db import models
from django.db.models import Q

from bihuan.cases.models import Case
from bihuan.orgs.models import User


class Notification(models.Model):
    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    case = models.ForeignKey(Case, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("类别", max_length=30)
    title = models.CharField("内容", max_length=200)
    url = models.CharField("链接", max_length=300, blank=True)
    # The same reminder (say, one case's due date on one day) reaches a person once.
    key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at", "created_at"], name="notification_inbox")]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], condition=~Q(key=""), name="notification_once")
        ]
        verbose_name = "消息提醒"
        verbose_name_plural = "消息提醒"

    def __str__(self) -> str:
        return self.title
