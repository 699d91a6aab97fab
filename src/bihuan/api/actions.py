"""API tokens; issuing or showing one is an audited event."""

from django.db import transaction
from rest_framework.authtoken.models import Token

from bihuan.events.actions import record
from bihuan.orgs.models import User


@transaction.atomic
def do_issue_api_token(user: User, *, rotate: bool = False, actor: User | None = None) -> Token:
    """Return the person's API token, creating it if needed; `rotate` replaces an existing one.

    The event is about the person, never the token: its key must not reach the log.
    """
    if rotate:
        Token.objects.filter(user=user).delete()
    token, created = Token.objects.get_or_create(user=user)
    if rotate:
        action, summary = "api_token.rotate", "更换接口令牌"
    elif created:
        action, summary = "api_token.create", "签发接口令牌"
    else:
        action, summary = "api_token.show", "查看接口令牌"
    record(action, user, actor=actor, org_code=user.org.code if user.org else "", summary=f"{summary}：{user.username}")
    return token
