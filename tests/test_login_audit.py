"""Every login, logout and refused login is in the audit log (等级保护 2.0)."""

from django.urls import reverse

from bihuan.events.models import Event
from tests.factories import PASSWORD


def test_login_logout_and_failure_are_audited(client, world):
    person = world.people["pros_a"]
    client.post(reverse("web:login"), {"username": person.username, "password": "wrong-Passw0rd"})
    failed = Event.objects.filter(action="auth.login_failed").latest("seq")
    assert failed.object_id == str(person.pk)
    assert person.username in failed.summary
    assert "wrong" not in str(failed.changes)

    client.post(reverse("web:login"), {"username": person.username, "password": PASSWORD})
    login = Event.objects.filter(action="auth.login").latest("seq")
    assert (login.actor_id, login.changes["ip"][1]) == (person.pk, "127.0.0.1")

    client.post(reverse("web:logout"))
    assert Event.objects.filter(action="auth.logout", actor_id=person.pk).exists()


def test_unknown_username_failure_is_audited_without_an_object(client, db):
    client.post(reverse("web:login"), {"username": "nobody", "password": "x"})
    failed = Event.objects.get(action="auth.login_failed")
    assert (failed.object_id, failed.actor_id) == ("", None)
    assert "nobody" in failed.summary
