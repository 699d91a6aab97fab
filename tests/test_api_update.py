"""PATCH /api/v1/cases/{id}/: card fields through do_update_case, with optimistic concurrency."""

import threading

import pytest
from django.conf import settings
from django.db import connections

from bihuan.api import views
from bihuan.cases.models import Case
from bihuan.events.models import Event
from tests.test_api_cases import api_as

STALE = {"error": "案件已被他人修改，请刷新后重试。"}


def patch(client, case: Case, **values):
    return client.patch(f"/api/v1/cases/{case.pk}/", values, format="json")


def version(case: Case) -> int:
    return Case.objects.get(pk=case.pk).row_version


def test_it_changes_the_card_and_logs_the_change(world):
    v = version(world.case_a)
    pros = world.people["pros_a"]
    response = patch(
        api_as(pros), world.case_a, row_version=v, name="张某某危险驾驶案（更正）", procedure="fast", summary="醉驾。"
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["name"], body["procedure"], body["procedure_display"]) == (
        "张某某危险驾驶案（更正）",
        "fast",
        "速裁程序",
    )
    assert body["row_version"] == v + 1
    case = Case.objects.get(pk=world.case_a.pk)
    assert (case.name, case.procedure, case.summary, case.row_version) == (
        "张某某危险驾驶案（更正）",
        "fast",
        "醉驾。",
        v + 1,
    )
    event = Event.objects.get(action="case.update", case_id=case.pk)
    assert event.actor_id == pros.pk
    assert event.changes["procedure"] == ["ordinary", "fast"]


def test_a_stale_row_version_answers_409_and_writes_nothing(world):
    v = version(world.case_a)
    client = api_as(world.people["pros_a"])
    assert patch(client, world.case_a, row_version=v, risk_level="medium").status_code == 200
    response = patch(client, world.case_a, row_version=v, risk_level="high")
    assert response.status_code == 409
    assert response.json() == STALE
    case = Case.objects.get(pk=world.case_a.pk)
    assert (case.risk_level, case.row_version) == ("medium", v + 1)


def test_a_stale_row_version_answers_409_even_when_nothing_would_change(world):
    v = version(world.case_a)
    client = api_as(world.people["pros_a"])
    assert patch(client, world.case_a, row_version=v, is_major_complex=True).status_code == 200
    response = patch(client, world.case_a, row_version=v, is_major_complex=True)
    assert response.status_code == 409
    assert response.json() == STALE


def test_the_same_version_sent_twice_gets_one_200_and_one_409(world):
    v = version(world.case_a)
    first = patch(api_as(world.people["pros_a"]), world.case_a, row_version=v, name="甲")
    second = patch(api_as(world.people["head"]), world.case_a, row_version=v, name="乙")
    assert (first.status_code, second.status_code) == (200, 409)
    assert Case.objects.get(pk=world.case_a.pk).name == "甲"


def test_a_write_that_lands_between_read_and_update_wins_and_the_other_gets_409(world, monkeypatch):
    """Both requests read the same version; the second one's update lands first, inside the first
    request, after its read and its version check. The first must then be refused by the
    conditional UPDATE itself."""
    v = version(world.case_a)
    update = views.do_update_case
    answers = []

    def interleaved(case, values, **kwargs):
        monkeypatch.setattr(views, "do_update_case", update)  # only the first request is held up
        answers.append(patch(api_as(world.people["head"]), world.case_a, row_version=v, name="乙"))
        return update(case, values, **kwargs)

    monkeypatch.setattr(views, "do_update_case", interleaved)
    first = patch(api_as(world.people["pros_a"]), world.case_a, row_version=v, name="甲")
    assert answers[0].status_code == 200
    assert first.status_code == 409
    assert first.json() == STALE
    case = Case.objects.get(pk=world.case_a.pk)
    assert (case.name, case.row_version) == ("乙", v + 1)
    assert Event.objects.filter(action="case.update", case_id=case.pk).count() == 1


@pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="SQLite's shared in-memory test database serialises writers by table locks",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_patches_with_the_same_version_give_one_200_and_one_409(world, monkeypatch):
    """Two threads, each with its own database connection, both past the read before either
    updates."""
    v = version(world.case_a)
    barrier = threading.Barrier(2, timeout=10)
    update = views.do_update_case

    def together(case, values, **kwargs):
        barrier.wait()
        return update(case, values, **kwargs)

    monkeypatch.setattr(views, "do_update_case", together)
    clients = {"甲": api_as(world.people["pros_a"]), "乙": api_as(world.people["head"])}
    statuses = {}

    def send(name: str) -> None:
        try:
            statuses[name] = patch(clients[name], world.case_a, row_version=v, name=name).status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(name,)) for name in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses.values()) == [200, 409]
    winner = next(name for name, status in statuses.items() if status == 200)
    case = Case.objects.get(pk=world.case_a.pk)
    assert (case.name, case.row_version) == (winner, v + 1)


def test_a_read_only_viewer_gets_403(world):
    v = version(world.case_a)
    response = patch(api_as(world.people["city_chief"]), world.case_a, row_version=v, name="改")
    assert response.status_code == 403
    assert response.json() == {"error": "无权修改该案件"}
    assert Case.objects.get(pk=world.case_a.pk).name == "张某某危险驾驶案"


def test_invalid_input_answers_400_with_every_field(world):
    v = version(world.case_a)
    client = api_as(world.people["pros_a"])
    response = patch(client, world.case_a, row_version=v, risk_level="extreme", name="")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"risk_level", "name"}
    missing = patch(client, world.case_a, name="改")
    assert missing.status_code == 400
    assert missing.json()["error"].startswith("row_version：")


def test_fields_outside_the_editable_set_are_refused_not_ignored(world):
    v = version(world.case_a)
    response = patch(api_as(world.people["pros_a"]), world.case_a, row_version=v, stage="concluded", name="改")
    assert response.status_code == 400
    assert response.json()["error"] == "以下字段不能通过接口修改：stage"
    assert Case.objects.get(pk=world.case_a.pk).name == "张某某危险驾驶案"


def test_put_and_form_bodies_are_refused(world):
    client = api_as(world.people["pros_a"])
    assert client.put(f"/api/v1/cases/{world.case_a.pk}/", {"row_version": 1}, format="json").status_code == 405
    form = client.patch(f"/api/v1/cases/{world.case_a.pk}/", {"row_version": 1, "name": "改"}, format="multipart")
    assert form.status_code == 415
    assert set(form.json()) == {"error"}
