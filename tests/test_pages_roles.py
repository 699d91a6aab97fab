"""The roles page of the 安全管理员."""

import pytest
from django.urls import reverse

from bihuan.events.models import Event
from tests import factories as f


@pytest.mark.parametrize("role", ["sysadmin", "auditadmin", "city_chief", "pros_a"])
def test_only_the_security_administrator_manages_roles(client, world, role):
    client.force_login(world.people[role])
    assert client.get(reverse("orgs:roles")).status_code == 403
    assert client.get(reverse("orgs:role_edit", args=[world.people["pros_b"].pk])).status_code == 403


def test_the_list_shows_people_with_their_roles(client, world):
    client.force_login(world.people["secadmin"])
    response = client.get(reverse("orgs:roles"), {"org": world.county.pk})
    body = response.content.decode()
    assert world.people["pros_a"].username in body
    assert "承办检察官" in body
    assert world.people["city_chief"].username not in body


def test_roles_are_set_through_the_action(client, world):
    person = world.people["pros_b"]
    client.force_login(world.people["secadmin"])
    url = reverse("orgs:role_edit", args=[person.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"roles": ["prosecutor", "dept_head"]})
    assert response.status_code == 302
    person.refresh_from_db()
    assert set(person.roles.values_list("code", flat=True)) == {"prosecutor", "dept_head"}
    event = Event.objects.get(action="person.roles")
    assert event.changes["roles"] == [["prosecutor"], ["dept_head", "prosecutor"]]


def test_the_security_administrator_cannot_change_own_roles(client, world):
    me = world.people["secadmin"]
    client.force_login(me)
    assert client.post(reverse("orgs:role_edit", args=[me.pk]), {"roles": ["sysadmin"]}).status_code == 403
    assert set(me.roles.values_list("code", flat=True)) == {"secadmin"}


def test_people_outside_the_tree_answer_404(client, world):
    elsewhere = f.make_org("372000")
    stranger = f.make_person(["prosecutor"], org=elsewhere)
    county_secadmin = f.make_person(["secadmin"], org=world.county)
    client.force_login(county_secadmin)
    assert client.get(reverse("orgs:role_edit", args=[stranger.pk])).status_code == 404
    assert client.get(reverse("orgs:role_edit", args=[world.people["city_chief"].pk])).status_code == 404
