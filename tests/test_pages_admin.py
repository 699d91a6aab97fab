"""The Django admin as the 系统管理员's configuration pages."""

from django.urls import reverse

from bihuan.events.models import Event
from bihuan.orgs.models import User

STRONG = "Erste-Passw0rt#1"


def test_the_system_administrator_sees_exactly_the_configuration(client, world):
    client.force_login(world.people["sysadmin"])
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    models = {(app["app_label"], m["object_name"]) for app in response.context["app_list"] for m in app["models"]}
    assert models == {
        ("orgs", "Organisation"),
        ("orgs", "Department"),
        ("orgs", "Team"),
        ("orgs", "Agency"),
        ("orgs", "User"),
        ("cases", "Charge"),
        ("cases", "Tag"),
        # The rules the system administrator keeps: holidays, the simple-case standard, the
        # authority list, the intake checklist.
        ("deadlines", "HolidayOverride"),
        ("triage", "TriageRule"),
        ("workflow", "DecisionType"),
        ("intake", "RequiredMaterial"),
        # The 案件码 score table (versions) and the procuratorates that score every case; the
        # indicators' extra links of 案-件比, targets and contribution weights.
        ("casecode", "ScoreTemplate"),
        ("casecode", "OfficeSetting"),
        ("indicators", "ExtraLink"),
        ("indicators", "Target"),
        ("indicators", "ContributionWeight"),
        # The patrol's rules (definitions checked before saving) and its runs, read-only.
        ("patrol", "Rule"),
        ("patrol", "Run"),
    }
    assert client.get("/admin/cases/case/").status_code == 404


def test_other_roles_do_not_get_in(client, world):
    for role in ("secadmin", "auditadmin", "city_chief"):
        client.force_login(world.people[role])
        assert client.get(reverse("admin:index")).status_code == 302


def test_the_person_page_hides_roles_and_password_hash(client, world):
    client.force_login(world.people["sysadmin"])
    person = world.people["pros_a"]
    response = client.get(reverse("admin:orgs_user_change", args=[person.pk]))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "roles" not in form.fields
    assert "password" not in form.fields
    assert "is_superuser" not in form.fields
    assert person.password not in response.content.decode()


def test_adding_a_person_sets_a_validated_password(client, world):
    client.force_login(world.people["sysadmin"])
    url = reverse("admin:orgs_user_add")
    data = {
        "username": "new_clerk",
        "full_name": "新书记员",
        "org": world.county.pk,
        "department": world.county_dept.pk,
    }
    weak = client.post(url, {**data, "password1": "abcdefghij", "password2": "abcdefghij"})
    assert weak.status_code == 200
    assert not User.objects.filter(username="new_clerk").exists()
    response = client.post(url, {**data, "password1": STRONG, "password2": STRONG})
    assert response.status_code == 302
    person = User.objects.get(username="new_clerk")
    assert person.check_password(STRONG)
    assert person.password_changed_at is not None
    assert not person.roles.exists()
    event = Event.objects.get(action="config.create", object_id=str(person.pk))
    assert event.actor_id == world.people["sysadmin"].pk
    assert "password" not in event.changes
    assert STRONG not in str(event.changes)


def test_changes_are_logged_with_before_and_after(client, world):
    client.force_login(world.people["sysadmin"])
    team = world.team_b
    url = reverse("admin:orgs_team_change", args=[team.pk])
    response = client.post(url, {"department": team.department_id, "name": "办案三组", "is_fast_track": "on"})
    assert response.status_code == 302
    event = Event.objects.get(action="config.update")
    assert event.changes == {"name": ["办案二组", "办案三组"], "is_fast_track": [False, True]}


def test_the_sysadmin_resets_a_password_which_must_be_changed_at_next_login(client, world):
    from bihuan.events.models import Event

    person = world.people["pros_b"]
    client.force_login(world.people["sysadmin"])
    url = reverse("admin:orgs_user_password", args=[person.pk])
    assert "重置密码" in client.get(reverse("admin:orgs_user_change", args=[person.pk])).content.decode()
    weak = client.post(url, {"password1": "short", "password2": "short"})
    assert weak.status_code == 200 and not person.__class__.objects.get(pk=person.pk).check_password("short")
    response = client.post(url, {"password1": "Reset-Passw0rd!", "password2": "Reset-Passw0rd!"})
    assert response.status_code == 302
    event = Event.objects.filter(action="person.password_reset").latest("seq")
    assert (event.object_id, event.actor_id) == (str(person.pk), world.people["sysadmin"].pk)
    assert "Reset-Passw0rd" not in str(event.changes) + event.summary

    client.logout()
    client.post(reverse("web:login"), {"username": person.username, "password": "Reset-Passw0rd!"})
    assert client.get(reverse("web:workbench")).url == reverse("web:password_change")


def test_other_roles_cannot_reset_passwords(client, world):
    client.force_login(world.people["secadmin"])
    url = reverse("admin:orgs_user_password", args=[world.people["pros_b"].pk])
    assert client.post(url, {"password1": "Reset-Passw0rd!", "password2": "Reset-Passw0rd!"}).status_code in (302, 403)
    assert (
        world.people["pros_b"].__class__.objects.get(pk=world.people["pros_b"].pk).check_password("Reset-Passw0rd!")
        is False
    )
