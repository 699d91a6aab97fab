"""Login, logout, password change, lockout and the error pages."""

from django.conf import settings
from django.urls import reverse

from bihuan.events.models import Event
from tests.factories import PASSWORD

NEW_PASSWORD = "Neue-Passw0rt#2026"


def test_login_page_is_chinese(client, db):
    response = client.get(reverse("web:login"))
    assert response.status_code == 200
    assert "检察业务闭环管理系统" in response.content.decode()


def test_it_logs_in_and_out(client, world):
    person = world.people["pros_a"]
    response = client.post(reverse("web:login"), {"username": person.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("web:workbench")
    assert client.get(reverse("web:workbench")).status_code == 200
    assert client.get(reverse("web:logout")).status_code == 405  # logout is POST only
    client.post(reverse("web:logout"))
    assert client.get(reverse("web:workbench")).status_code == 302


def test_it_refuses_a_wrong_password(client, world):
    person = world.people["pros_a"]
    response = client.post(reverse("web:login"), {"username": person.username, "password": "wrong"})
    assert response.status_code == 200
    assert "alert-error" in response.content.decode()


def test_repeated_failures_show_the_lockout_page(client, world):
    person = world.people["pros_a"]
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(reverse("web:login"), {"username": person.username, "password": "wrong"})
    assert response.status_code == 429
    body = response.content.decode()
    assert "已被锁定" in body
    # Even the right password is refused while locked.
    response = client.post(reverse("web:login"), {"username": person.username, "password": PASSWORD})
    assert response.status_code == 429


def test_password_change_enforces_the_validators(client, world):
    person = world.people["pros_a"]
    client.force_login(person)
    url = reverse("web:password_change")
    assert client.get(url).status_code == 200
    weak = {"old_password": PASSWORD, "new_password1": "abcdefghij", "new_password2": "abcdefghij"}
    response = client.post(url, weak)
    assert response.status_code == 200
    assert "至少三类" in response.content.decode()
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_password_change_goes_through_the_action(client, world):
    person = world.people["pros_a"]
    before = person.password_changed_at
    client.force_login(person)
    data = {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    response = client.post(reverse("web:password_change"), data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert person.password_changed_at > before
    event = Event.objects.filter(action="person.password").get()
    assert event.actor_id == person.pk
    assert NEW_PASSWORD not in str(event.changes) + event.summary
    # The session survives the change.
    assert client.get(reverse("web:workbench")).status_code == 200


def test_error_pages_are_chinese(client, world):
    client.force_login(world.people["sysadmin"])
    missing = client.get("/no-such-page/")
    assert missing.status_code == 404
    assert "页面或记录不存在" in missing.content.decode()
    forbidden = client.get(reverse("cases:list"))
    assert forbidden.status_code == 403
    assert "无权访问" in forbidden.content.decode()
