"""The audit log page: only for the 审计管理员; filters, keyset pages and the chain check."""

import pytest
from django.db import connection
from django.urls import reverse

from bihuan.events.models import Event

URL = reverse("events:list")


@pytest.fixture
def auditor(client, world):
    client.force_login(world.people["auditadmin"])
    return client


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "city_chief", "pros_a", "investigator"])
def test_only_the_audit_administrator_reads_the_log(client, world, role):
    client.force_login(world.people[role])
    assert client.get(URL).status_code == 403
    assert client.post(reverse("events:verify")).status_code == 403


def _seqs(client, params) -> list[int]:
    response = client.get(URL, params)
    assert response.status_code == 200
    return [e.seq for e in response.context["page"].rows]


def test_filters(auditor, world):
    case_events = list(Event.objects.filter(case_id=world.case_a.pk).order_by("-seq").values_list("seq", flat=True))
    assert _seqs(auditor, {"case_id": world.case_a.pk}) == case_events
    assert set(_seqs(auditor, {"action": "suspect."})) == set(
        Event.objects.filter(action="suspect.create").values_list("seq", flat=True)
    )
    # The fixtures act as the system; the auditor's own login is theirs.
    by_system = Event.objects.filter(actor_id=None).count()
    assert len(_seqs(auditor, {"actor": "系统"})) == by_system
    assert _seqs(auditor, {"actor": world.people["auditadmin"].username}) == list(
        Event.objects.filter(action="auth.login").values_list("seq", flat=True)
    )
    assert _seqs(auditor, {"actor": world.people["pros_a"].username}) == []
    assert _seqs(auditor, {"date_from": "2000-01-01", "date_to": "2000-01-02"}) == []


def test_keyset_pages_cover_the_log_once(auditor, world):
    seen, params = [], {}
    while True:
        page = auditor.get(URL, params).context["page"]
        seen += [e.seq for e in page.rows]
        if not page.next_cursor:
            break
        params = {"after": page.next_cursor}
    assert seen == sorted(Event.objects.values_list("seq", flat=True), reverse=True)


def test_verify_reports_an_intact_chain(auditor, world):
    response = auditor.post(reverse("events:verify"))
    assert response.status_code == 200
    assert "哈希链校验通过" in response.content.decode()
    assert auditor.get(reverse("events:verify")).status_code == 405


def test_verify_names_the_altered_event(auditor, world):
    victim = Event.objects.order_by("seq")[3]
    # Out of band, as someone with database access would do it.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE events_event SET summary = %s WHERE seq = %s", ["被篡改", victim.seq])
    response = auditor.post(reverse("events:verify"), headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "哈希链校验未通过" in body
    assert f"第 {victim.seq} 条" in body
    assert "<html" not in body
