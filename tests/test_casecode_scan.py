"""The public 案件码 scan page: the same allowed fields for every role and for anonymous users,
nothing else (no full names, no ID numbers, no other case, no links into Bihuan); every scan
recorded; a QR round trip through a real decoder; the per-address rate limit; few queries."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from bihuan.casecode.actions import do_issue_link
from bihuan.casecode.models import Scan
from bihuan.casecode.qr import qr_png
from bihuan.casecode.sharing import link_path, link_url
from tests import factories as f
from tests.test_access_matrix import ANONYMOUS, ROLES, client_for
from tests.test_casecode_share import ACCOMPLICE, SUSPECT, decode_png, fresh_rate_limit, scored_case  # noqa: F401


@pytest.fixture
def shared(world):
    case = scored_case(world)
    return case, do_issue_link(case, actor=world.people["pros_a"])


def test_the_scan_page_shows_only_the_allowed_fields_to_everyone(world, shared):
    """The same page for every role and for anonymous users (one world for all, for speed)."""
    case, token = shared
    world.people.setdefault("committee", f.make_person(["committee"], org=world.county))
    suspects = list(case.suspects.all())
    hidden = [SUSPECT, ACCOMPLICE, case.name, *(s.id_number for s in suspects)]
    for other in (world.case_a, world.case_b, world.case_city, world.case_other):
        hidden += [other.dept_case_no, other.name, *other.suspects.values_list("id_number", flat=True)]
    hidden += [person.full_name for person in world.people.values()]
    shown = [
        case.dept_case_no,
        "黄码",
        "87.0",
        "100.0",
        "主观方面",
        "涉案财物",
        "赃款去向未查清",
        "张某某对非法占有目的的供述前后矛盾",  # the reason, its name masked
        "张某某供述反复",  # an open 补充侦查提纲 item
        "调取银行流水",
        "十日内完成",
        "犯罪嫌疑人：张某某、欧阳某某",
    ]
    pages = {}
    for role in [*ROLES, ANONYMOUS]:
        response = client_for(world, role).get(link_path(token))
        assert response.status_code == 200, role
        page = response.content.decode()
        assert [s for s in shown if s not in page] == [], role
        assert [s for s in hidden if s in page] == [], role
        assert "<a " not in page and "<form" not in page, role
        assert response["Referrer-Policy"] == "no-referrer"
        assert "no-store" in response["Cache-Control"]
        pages[role] = page
    # Whoever opens it, logged in or not, sees exactly the same page.
    assert len(set(pages.values())) == 1


def test_every_scan_is_recorded_for_the_prosecutor(world, shared):
    case, token = shared
    moment = timezone.now().replace(microsecond=0)
    with time_machine.travel(moment, tick=False):
        Client(REMOTE_ADDR="192.0.2.7").get(link_path(token), HTTP_USER_AGENT="x" * 500)
    Client(REMOTE_ADDR="2001:db8::1").get(link_path(token))
    first, second = Scan.objects.filter(case=case).order_by("scanned_at")
    assert (first.token, first.ip, first.scanned_at, first.user_agent) == (token, "192.0.2.7", moment, "x" * 300)
    assert (second.ip, second.user_agent) == ("2001:db8::1", "")
    Client().get("/casecode/s/forged:token/")
    assert Scan.objects.count() == 2


def test_the_printed_qr_code_leads_to_the_page(world, shared):
    """QR round trip: the PNG decoded by zbar gives the link, and the link gives the page."""
    case, token = shared
    url = decode_png(qr_png(link_url(token)))
    assert url == link_url(token) and url.startswith("http://testserver/")
    response = Client().get(url.removeprefix("http://testserver"))
    assert response.status_code == 200
    assert case.dept_case_no in response.content.decode()


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver"


def test_scans_are_rate_limited_per_address(world, shared, settings):
    _, token = shared
    settings.CASECODE_SCANS_PER_MINUTE = 3
    start = timezone.now().replace(second=5)
    client, neighbour = Client(REMOTE_ADDR="198.51.100.1"), Client(REMOTE_ADDR="198.51.100.2")
    with time_machine.travel(start, tick=False):
        assert [client.get(link_path(token)).status_code for _ in range(3)] == [200, 200, 200]
        refused = client.get(link_path(token))
        assert refused.status_code == 429 and "访问过于频繁" in refused.content.decode()
        # Guesses count too, and the limit is per address.
        assert client.get("/casecode/s/guess/").status_code == 429
        assert neighbour.get(link_path(token)).status_code == 200
    with time_machine.travel(start + timedelta(minutes=1), tick=False):
        assert client.get(link_path(token)).status_code == 200
    assert Scan.objects.filter(ip="198.51.100.1").count() == 4


def test_the_scan_page_takes_a_fixed_handful_of_queries(world, shared, django_assert_max_num_queries):
    """token + case + code + evaluation + template in one join; suspects; items; deductions; open
    items; the scan insert (SQLite adds no savepoints here): the same with many items or scans."""
    _, token = shared
    for _ in range(5):
        Client().get(link_path(token))
    with django_assert_max_num_queries(6):
        assert Client().get(link_path(token)).status_code == 200


def test_the_refusal_page_is_plain_and_says_why(world, shared):
    _, token = shared
    page = Client().get(link_path(token)[:-3] + "xx/")
    assert page.status_code == 404
    body = page.content.decode()
    assert "案件码链接无效" in body and "<a " not in body
    assert re.search(r"<title>案件码", body)
