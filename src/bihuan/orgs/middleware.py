"""Idle-session timeout and password expiry (等级保护 2.0)."""

import time
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

LAST_SEEN = "bihuan_last_seen"
# The last-seen time is rewritten at most once a minute, sparing most requests a session write;
# a session may so end up to a minute early, never late.
LAST_SEEN_STEP = 60


class IdleTimeoutMiddleware:
    """Log a session out after SESSION_IDLE_MINUTES without a request; force expired passwords
    to be changed before anything else.

    The checks run in `process_view`, after every middleware has prepared the request, so the
    notice reaches the messages framework wherever this middleware sits in the list."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not hasattr(request, "session"):
            return None
        now = int(time.time())
        last = request.session.get(LAST_SEEN)
        if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT:
            logout(request)
            messages.info(request, "长时间未操作，已自动退出，请重新登录。")
            return redirect(settings.LOGIN_URL)
        if last is None or now - last >= LAST_SEEN_STEP:
            request.session[LAST_SEEN] = now
        if self._password_expired(user) and not request.path.startswith(
            (reverse("web:password_change"), reverse("web:logout"), settings.STATIC_URL)
        ):
            messages.warning(request, "密码已超过有效期，请先修改密码。")
            return redirect("web:password_change")
        return None

    @staticmethod
    def _password_expired(user) -> bool:
        changed = user.password_changed_at
        if changed is None:
            return False
        return timezone.now() - changed > timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)
