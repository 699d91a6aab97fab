"""The case page: card, suspects, measures, links, documents, timeline, masking and the read log."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bihuan.cases.actions import do_update_case
from bihuan.cases.models import CoerciveMeasure, ProceduralLink
from bihuan.events.models import Event
from bihuan.lib.masking import mask_id_number


def _open(client, person, case):
    client.force_login(person)
    return client.get(reverse("cases:detail", args=[case.pk]))


@pytest.mark.parametrize(
    "role", ["pros_a", "pros_a2", "assistant_a", "head", "cm", "deputy", "chief", "city_chief", "city_head"]
)
def test_people_in_scope_open_the_case(client, world, role):
    response = _open(client, world.people[role], world.case_a)
    assert response.status_code == 200
    assert world.case_a.dept_case_no in response.content.decode()


@pytest.mark.parametrize(
    "role", ["pros_b", "clerk_b", "other_chief", "investigator", "sysadmin", "secadmin", "auditadmin"]
)
def test_out_of_scope_answers_404_like_missing(client, world, role):
    assert _open(client, world.people[role], world.case_a).status_code == 404
    client.force_login(world.people[role])
    assert client.get(reverse("cases:detail", args=[999_999])).status_code == 404


def test_id_numbers_are_masked_for_read_only_viewers(client, world):
    number = world.case_a.suspects.get().id_number
    own = _open(client, world.people["pros_a"], world.case_a).content.decode()
    assert number in own
    upper = _open(client, world.people["city_chief"], world.case_a).content.decode()
    assert number not in upper
    assert mask_id_number(number) in upper
    assert "只读" in upper


def test_opening_the_case_is_logged_as_a_read(client, world):
    person = world.people["pros_a"]
    _open(client, person, world.case_a)
    read = Event.objects.get(action="case.read")
    assert read.case_id == world.case_a.pk
    assert read.actor_id == person.pk


def test_the_timeline_shows_events_with_changes(client, world):
    world.case_a.refresh_from_db()
    do_update_case(
        world.case_a, {"risk_level": "high"}, actor=world.people["pros_a"], expected_version=world.case_a.row_version
    )
    _open(client, world.people["pros_a"], world.case_a)
    response = _open(client, world.people["pros_a"], world.case_a)
    timeline = list(response.context["timeline"])
    assert [e.action for e in timeline] == ["case.create", "suspect.create", "case.update"]
    body = response.content.decode()
    assert "登记案件" in body
    assert "添加犯罪嫌疑人" in body
    # The change reads in Chinese, before → after.
    assert "风险等级" in body
    assert '<td class="before">低</td>' in body
    assert world.people["pros_a"].full_name in body


def test_suspects_measures_links_and_documents(client, world):
    suspect = world.case_a.suspects.get()
    today = timezone.localdate()
    CoerciveMeasure.objects.create(
        suspect=suspect,
        kind="detention",
        start_date=today - timedelta(days=40),
        end_date=today - timedelta(days=31),
        place="测试看守所",
    )
    CoerciveMeasure.objects.create(
        suspect=suspect, kind="arrest", start_date=today - timedelta(days=30), place="测试看守所"
    )
    ProceduralLink.objects.create(
        case=world.case_a, kind="supplementary", start_date=date(2024, 4, 1), end_date=date(2024, 5, 1)
    )
    doc = world.case_a.documents.create(kind="indictment", number="测02检刑诉〔2024〕1号", text="起诉书正文内容")
    body = _open(client, world.people["pros_a"], world.case_a).content.decode()
    assert "在押" in body
    assert "custody-yes" in body
    assert "刑事拘留" in body
    assert "逮捕" in body
    assert "退回补充侦查" in body
    assert "测02检刑诉〔2024〕1号" in body
    # The text itself is on the document's preview page, whose opening is logged.
    assert doc.get_absolute_url() in body


def test_a_released_suspect_is_not_in_custody(client, world):
    suspect = world.case_a.suspects.get()
    today = timezone.localdate()
    CoerciveMeasure.objects.create(
        suspect=suspect, kind="arrest", start_date=today - timedelta(days=30), end_date=today - timedelta(days=1)
    )
    CoerciveMeasure.objects.create(suspect=suspect, kind="bail", start_date=today)
    body = _open(client, world.people["pros_a"], world.case_a).content.decode()
    assert "custody-no" in body
    assert "custody-yes" not in body
