"""等级保护 2.0 controls: login throttling, password rules, idle timeout, password expiry,
三员分立, CSRF on the login form, and no personal data in URLs."""

import re
from datetime import timedelta
from urllib.parse import unquote

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bihuan.events.models import Event
from bihuan.orgs.actions import do_create_person
from bihuan.orgs.models import User
from tests import factories as f

LOGIN = reverse("web:login")
WORKBENCH = reverse("web:workbench")
PASSWORD_CHANGE = reverse("web:password_change")
CASE_LIST = reverse("cases:list")
API_CASES = "/api/v1/cases/"
API_SUSPECTS = "/api/v1/suspects/"


def login(client: Client, username: str, password: str = f.PASSWORD, address: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def text(response) -> str:
    return response.content.decode()


# --- login throttling -------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_username_at_that_address(world):
    user = world.people["pros_a"]
    attacker = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = login(attacker, user.username, "Wrong-Passw0rd")
        assert response.status_code == 200
        assert "请输入" in text(response) or "不正确" in text(response) or "错误" in text(response)
    response = login(attacker, user.username, "Wrong-Passw0rd")
    assert response.status_code == 429
    # Now even the right password is refused with the lockout page.
    response = login(attacker, user.username)
    assert response.status_code == 429
    assert "已被锁定" in text(response)
    assert not logged_in(attacker)
    # The audit log has the failures and the lockout, never a password.
    trail = Event.objects.filter(action__startswith="auth.", object_id=str(user.pk))
    assert trail.filter(action="auth.login_failed").count() >= settings.AXES_FAILURE_LIMIT - 1
    assert trail.filter(action="auth.lockout").exists()
    assert not trail.filter(action="auth.login").exists()
    assert not any("Wrong-Passw0rd" in str(e.changes) + e.summary for e in Event.objects.all())
    # Other people at the same address, and the same person elsewhere, still log in.
    colleague = Client()
    assert login(colleague, world.people["pros_b"].username).status_code == 302
    assert logged_in(colleague)
    elsewhere = Client()
    assert login(elsewhere, user.username, address="10.0.0.2").status_code == 302
    assert logged_in(elsewhere)


def test_fewer_failures_than_the_limit_do_not_lock(world):
    user = world.people["chief"]
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        login(client, user.username, "Wrong-Passw0rd")
    response = login(client, user.username)
    assert response.status_code == 302
    assert logged_in(client)


# --- password complexity ----------------------------------------------------------------------


@pytest.mark.parametrize("weak", ["password", "12345678901", "abcdefghijk", "Abc-123", "ABCDEFGHIJ12"])
def test_weak_passwords_are_refused(db, weak):
    with pytest.raises(ValidationError):
        validate_password(weak, User(username="zhangsan", full_name="张三"))


def test_complex_password_is_accepted(db):
    validate_password("Abc-12345678x", User(username="zhangsan", full_name="张三"))


def test_creating_a_person_checks_the_password(world):
    with pytest.raises(ValidationError):
        do_create_person(
            username="weak1", full_name="弱口令", password="abcdefghijk", roles=["clerk"], org=world.county
        )
    assert not User.objects.filter(username="weak1").exists()


def test_password_change_page_refuses_a_weak_password(world, client):
    user = world.people["pros_a"]
    client.force_login(user)
    response = client.post(
        PASSWORD_CHANGE,
        {"old_password": f.PASSWORD, "new_password1": "abcdefghijk", "new_password2": "abcdefghijk"},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(f.PASSWORD)


# --- idle-session timeout ---------------------------------------------------------------------


def test_idle_session_is_logged_out(world):
    user = world.people["pros_a"]
    client = Client()
    idle = timedelta(seconds=settings.SESSION_IDLE_TIMEOUT)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        assert login(client, user.username).status_code == 302
        assert client.get(WORKBENCH).status_code == 200
        # Activity within the limit keeps the session alive, each request restarting the clock.
        clock.shift(idle - timedelta(minutes=1))
        assert client.get(WORKBENCH).status_code == 200
        clock.shift(idle - timedelta(minutes=1))
        assert client.get(CASE_LIST).status_code == 200
        clock.shift(idle + timedelta(seconds=1))
        response = client.get(CASE_LIST)
        assert response.status_code == 302
        assert response.url.startswith(LOGIN)
        assert not logged_in(client)
        assert Event.objects.filter(action="auth.logout", actor_id=user.pk).exists()
        assert "长时间未操作" in text(client.get(response.url))
        response = client.get(WORKBENCH)
        assert response.status_code == 302
        assert response.url.startswith(LOGIN)


# --- password expiry --------------------------------------------------------------------------


def test_expired_password_must_be_changed_first(world):
    user = world.people["pros_a"]
    max_age = timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - max_age - timedelta(hours=1))
    client = Client()
    login(client, user.username)
    for url in (WORKBENCH, CASE_LIST, reverse("cases:detail", args=[world.case_a.pk])):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url == PASSWORD_CHANGE
    page = client.get(PASSWORD_CHANGE)
    assert page.status_code == 200
    assert "密码已超过有效期" in text(page)
    new = "Abc-12345678x"
    response = client.post(PASSWORD_CHANGE, {"old_password": f.PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)
    assert timezone.now() - user.password_changed_at < timedelta(minutes=1)
    assert client.get(WORKBENCH).status_code == 200


def test_password_within_its_age_is_not_redirected(world, client):
    user = world.people["pros_a"]
    max_age = timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - max_age + timedelta(hours=1))
    client.force_login(user)
    assert client.get(WORKBENCH).status_code == 200


# --- 三员分立 ----------------------------------------------------------------------------------


def case_data(world) -> list[str]:
    """Strings that only case data contains: case names and numbers, suspect names and ID numbers."""
    values = []
    for case in (world.case_a, world.case_b, world.case_city, world.case_other):
        values += [case.name, case.dept_case_no, case.unified_case_no]
        for suspect in case.suspects.all():
            values += [suspect.name, suspect.id_number]
    return values


def assert_no_case_data(world, response, url: str) -> None:
    body = text(response)
    leaked = [value for value in case_data(world) if value and value in body]
    assert not leaked, f"{url} shows case data: {leaked}"


def statuses(client: Client, urls: list[str]) -> dict[str, int]:
    return {url: client.get(url).status_code for url in urls}


def admin_urls() -> list[str]:
    return [
        reverse("admin:index"),
        reverse("admin:orgs_organisation_changelist"),
        reverse("admin:orgs_user_changelist"),
        reverse("admin:orgs_department_changelist"),
    ]


def case_urls(world) -> list[str]:
    case = world.case_a
    suspect = case.suspects.first()
    return [
        CASE_LIST,
        reverse("cases:detail", args=[case.pk]),
        f"{API_CASES}",
        f"{API_CASES}{case.pk}/",
        f"{API_SUSPECTS}",
        f"{API_SUSPECTS}{suspect.pk}/",
    ]


def test_sysadmin_manages_organisations_and_people_but_no_case_data(world):
    client = Client()
    client.force_login(world.people["sysadmin"])
    for url in admin_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        assert_no_case_data(world, response, url)
    case_detail = reverse("cases:detail", args=[world.case_a.pk])
    got = statuses(client, case_urls(world))
    assert got[CASE_LIST] == 403
    assert got[case_detail] == 404
    assert {url: code for url, code in got.items() if url.startswith("/api/")} == {
        url: 403 for url in got if url.startswith("/api/")
    }
    assert statuses(client, [reverse("orgs:roles"), reverse("events:list")]) == {
        reverse("orgs:roles"): 403,
        reverse("events:list"): 403,
    }
    # Case data is not reachable through the admin either.
    for model in ("case", "suspect"):
        assert client.get(f"/admin/cases/{model}/").status_code in (403, 404)
    response = client.get(WORKBENCH)
    assert response.status_code == 200
    assert_no_case_data(world, response, WORKBENCH)


def test_secadmin_sees_the_roles_page_only(world):
    client = Client()
    client.force_login(world.people["secadmin"])
    response = client.get(reverse("orgs:roles"))
    assert response.status_code == 200
    assert_no_case_data(world, response, "roles")
    got = statuses(client, [*case_urls(world), reverse("events:list")])
    assert all(code in (403, 404) for code in got.values()), got
    assert got[CASE_LIST] == 403
    assert got[reverse("events:list")] == 403
    # The admin is the sysadmin's: anyone else is sent to its login.
    assert all(code == 302 for code in statuses(client, admin_urls()).values())
    assert_no_case_data(world, client.get(WORKBENCH), WORKBENCH)


def test_auditadmin_reads_the_audit_log_and_nothing_else(world):
    client = Client()
    client.force_login(world.people["auditadmin"])
    response = client.get(reverse("events:list"))
    assert response.status_code == 200
    assert "留痕" in text(response) or "审计" in text(response)
    got = statuses(client, [*case_urls(world), reverse("orgs:roles")])
    assert all(code in (403, 404) for code in got.values()), got
    assert got[CASE_LIST] == 403
    assert got[reverse("orgs:roles")] == 403
    assert all(code == 302 for code in statuses(client, admin_urls()).values())
    assert_no_case_data(world, client.get(WORKBENCH), WORKBENCH)


def test_sysadmin_cannot_hand_out_roles_or_privileges_in_the_admin(world):
    """Roles belong to the 安全管理员: the person form of the admin has no role or privilege field."""
    client = Client()
    client.force_login(world.people["sysadmin"])
    response = client.get(reverse("admin:orgs_user_change", args=[world.people["pros_a"].pk]))
    assert response.status_code == 200
    for field in ("roles", "is_superuser", "is_staff", "user_permissions", "groups", "password"):
        assert f'name="{field}"' not in text(response), field


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditadmin"])
def test_administrators_hold_no_case_permission(world, role):
    user = world.people[role]
    assert not user.has_perm("cases.browse")
    assert not user.has_perm("cases.view_case", world.case_a)
    assert not user.has_perm("cases.change_case", world.case_a)


# --- CSRF and URLs ----------------------------------------------------------------------------


def test_login_form_enforces_csrf(world):
    user = world.people["pros_a"]
    client = Client(enforce_csrf_checks=True)
    response = login(client, user.username)
    assert response.status_code == 403
    assert not logged_in(client)
    page = client.get(LOGIN)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text(page)).group(1)
    response = client.post(LOGIN, {"username": user.username, "password": f.PASSWORD, "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert logged_in(client)


def test_logout_needs_a_post(world, client):
    client.force_login(world.people["pros_a"])
    assert client.get(reverse("web:logout")).status_code == 405
    assert logged_in(client)
    client.post(reverse("web:logout"))
    assert not logged_in(client)


def test_case_detail_url_carries_only_the_id(world):
    case = world.case_a
    assert reverse("cases:detail", args=[case.pk]) == f"/cases/{case.pk}/"


LINK = re.compile(r'(?:href|action|src|hx-get|hx-post|hx-push-url)="([^"]*)"')


def test_pages_link_to_cases_without_personal_data(world, client):
    """Links on the case pages never carry a name or an ID number, only ids and filters."""
    case = world.case_a
    suspect = case.suspects.get()
    client.force_login(world.people["pros_a"])
    personal = [suspect.name, suspect.id_number, case.name]
    for url in (WORKBENCH, CASE_LIST, reverse("cases:detail", args=[case.pk])):
        response = client.get(url)
        assert response.status_code == 200
        links = [unquote(link) for link in LINK.findall(text(response))]
        assert links, url
        leaked = [link for link in links if any(value in link for value in personal)]
        assert not leaked, f"{url}: {leaked}"


def test_object_permissions_without_an_object_are_refused_not_crashing(world):
    """`perms.cases.view_case` in a template has no object: it must answer False."""
    chief = world.people["chief"]
    assert chief.has_perm("cases.view_case") is False
    assert chief.has_perm("cases.change_case") is False
    assert chief.has_perm("cases.view_case", world.case_a) is True
