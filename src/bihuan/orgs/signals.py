"""Login, logout and lockout signals go to the audit log through the actions."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from bihuan.orgs.actions import do_record_login, do_record_login_failure, do_record_logout


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs) -> None:
    do_record_login(user, request)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs) -> None:
    if user is not None:
        do_record_logout(user, request)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    do_record_login_failure(credentials.get("username", ""), request)


@receiver(user_locked_out)
def on_locked_out(sender, request, username, ip_address, **kwargs) -> None:
    do_record_login_failure(username or "", request, locked_out=True)
