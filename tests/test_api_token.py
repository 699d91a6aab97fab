"""`bihuan apitoken USERNAME`: issuing API tokens, and authenticating with them."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from bihuan.events.models import Event


def apitoken(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("apitoken", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def get_cases(key: str):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/v1/cases/")


def test_it_creates_a_token_that_authenticates(world):
    pros = world.people["pros_a"]
    key, err = apitoken(pros.username)
    assert len(key) == 40
    assert err == ""
    response = get_cases(key)
    assert response.status_code == 200
    assert [c["id"] for c in response.json()["results"]] == [world.case_a.pk]


def test_it_prints_the_same_token_again_and_logs_every_issue_without_the_key(world):
    pros = world.people["pros_a"]
    first, _ = apitoken(pros.username)
    again, _ = apitoken(pros.username)
    assert again == first
    events = Event.objects.filter(action__startswith="api_token.", object_id=str(pros.pk)).order_by("seq")
    assert [(e.action, e.object_type, e.org_code) for e in events] == [
        ("api_token.create", "orgs.user", world.county.code),
        ("api_token.show", "orgs.user", world.county.code),
    ]
    assert not any(first in str(value) for e in events for value in (e.summary, e.changes, e.object_id))


def test_rotate_replaces_the_token(world):
    pros = world.people["pros_a"]
    old, _ = apitoken(pros.username)
    new, _ = apitoken(pros.username, "--rotate")
    assert new != old
    assert get_cases(old).status_code == 401
    assert get_cases(new).status_code == 200
    assert Event.objects.filter(action="api_token.rotate", object_id=str(pros.pk)).count() == 1


def test_an_administrator_gets_a_token_that_case_endpoints_refuse(world):
    key, err = apitoken(world.people["sysadmin"].username)
    assert "不能查看案件数据" in err
    assert get_cases(key).status_code == 403


def test_unknown_and_inactive_people_are_refused(world):
    with pytest.raises(CommandError, match="人员不存在：nobody"):
        apitoken("nobody")
    pros = world.people["pros_b"]
    pros.is_active = False
    pros.save(update_fields=["is_active"])
    with pytest.raises(CommandError, match="人员已停用"):
        apitoken(pros.username)
    assert not Event.objects.filter(action__startswith="api_token.").exists()
