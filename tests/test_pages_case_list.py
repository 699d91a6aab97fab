"""The case list: scope, filters, search, keyset pagination, capped count, htmx and query budget."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse

from bihuan.cases import views
from bihuan.cases.actions import do_update_case
from bihuan.cases.models import Charge
from tests import factories as f

URL = reverse("cases:list")


def _list(client, params=None):
    """The list as a person gets it: filters with a search are submitted by the form (POST)."""
    params = params or {}
    if "q" in params:
        response = client.post(URL, params, follow=True)
    else:
        response = client.get(URL, params)
    assert response.status_code == 200
    return response


def _ids(client, params=None) -> list[int]:
    return [case.pk for case in _list(client, params).context["page"].rows]


@pytest.fixture
def chief(client, world):
    client.force_login(world.people["city_chief"])
    return client


@pytest.mark.parametrize("role", ["sysadmin", "secadmin", "auditadmin", "investigator"])
def test_people_without_case_roles_are_refused(client, world, role):
    client.force_login(world.people[role])
    assert client.get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("web:login"))


def test_each_person_sees_their_scope(client, world):
    client.force_login(world.people["pros_a"])
    assert _ids(client) == [world.case_a.pk]
    client.force_login(world.people["city_chief"])
    assert set(_ids(client)) == {world.case_a.pk, world.case_b.pk, world.case_city.pk, world.case_other.pk}


def test_the_procuratorate_filter_offers_only_the_scope(client, world):
    client.force_login(world.people["pros_a"])
    response = client.get(URL)
    assert list(response.context["form"].fields["org"].queryset) == [world.county]
    # An id from outside the scope is an invalid choice, not a way in.
    response = client.get(URL, {"org": world.other_county.pk})
    assert response.context["page"].rows == []
    assert "筛选条件有误" in response.content.decode()


def test_filters(chief, world):
    charge = Charge.objects.filter(name="盗窃罪").first() or Charge.objects.create(
        code="264", name="盗窃罪", article="第二百六十四条", article_no="264", chapter="侵犯财产罪"
    )
    world.case_b.refresh_from_db()
    do_update_case(
        world.case_b,
        {"stage": "reviewing", "track": "complex", "risk_level": "high", "charge": charge},
        actor=None,
        expected_version=world.case_b.row_version,
    )
    late = f.make_case(world.county, department=world.county_dept, received=date(2024, 6, 1), case_type="arrest_review")
    assert _ids(chief, {"org": world.county.pk}) == [late.pk, world.case_b.pk, world.case_a.pk]
    assert set(_ids(chief, {"department": world.county_dept.pk})) == {late.pk, world.case_a.pk, world.case_b.pk}
    assert _ids(chief, {"prosecutor": world.people["pros_a"].pk}) == [world.case_a.pk]
    assert _ids(chief, {"stage": "reviewing"}) == [world.case_b.pk]
    assert _ids(chief, {"track": "complex"}) == [world.case_b.pk]
    assert world.case_b.pk not in _ids(chief, {"track": "unsorted"})
    assert _ids(chief, {"risk_level": "high"}) == [world.case_b.pk]
    assert _ids(chief, {"charge": charge.pk}) == [world.case_b.pk]
    assert _ids(chief, {"case_type": "arrest_review"}) == [late.pk]
    assert _ids(chief, {"received_from": "2024-05-01"}) == [late.pk]
    assert late.pk not in _ids(chief, {"received_to": "2024-05-01"})
    assert _ids(chief, {"received_from": "2024-07-01", "received_to": "2024-01-01"}) == []


def test_search_by_case_numbers(chief, world):
    number = world.case_a.dept_case_no
    printed = number.replace("[", "〔").replace("]", "〕")
    assert _ids(chief, {"q": printed}) == [world.case_a.pk]
    assert _ids(chief, {"q": number.replace("[", "［").replace("]", "］")}) == [world.case_a.pk]
    prefix = number.split("[")[0] + "〔"
    assert set(_ids(chief, {"q": prefix})) == {world.case_a.pk, world.case_b.pk}
    assert _ids(chief, {"q": world.case_city.unified_case_no}) == [world.case_city.pk]
    assert set(_ids(chief, {"q": world.county.code})) == {world.case_a.pk, world.case_b.pk}


def test_search_by_names(chief, world):
    f.make_suspect(world.case_city, "欧阳某某")
    assert _ids(chief, {"q": "欧阳"}) == [world.case_city.pk]  # suspect name prefix
    assert _ids(chief, {"q": "张某某"}) == [world.case_a.pk]


def test_search_by_charge_words_and_other_words(chief, world):
    theft = Charge.objects.get(name="盗窃罪")
    world.case_b.charge = theft
    world.case_b.save(update_fields=["charge"])
    assert _ids(chief, {"q": "盗窃"}) == [world.case_b.pk]  # part of a charge name
    # Words in no suspect's and no charge's name are looked for in the case names, uncounted.
    response = _list(chief, {"q": "害案"})
    assert [c.pk for c in response.context["page"].rows] == [world.case_city.pk]
    assert "未统计总数" in response.content.decode()


def test_keyset_pagination_walks_every_case_once(chief, world):
    for i in range(2 * views.PAGE_SIZE + 7):
        # Three cases a day, so that the id breaks ties between cases of the same date.
        f.make_case(world.county, department=world.county_dept, received=date(2023, 1, 1) + timedelta(days=i // 3))
    seen, params, pages = [], {"org": world.county.pk}, []
    while True:
        response = chief.get(URL, params)
        page = response.context["page"]
        pages.append([c.pk for c in page.rows])
        seen += pages[-1]
        if not page.next_cursor:
            break
        assert 'rel="next"' in response.content.decode()
        params = {"org": world.county.pk, "after": page.next_cursor}
    assert len(pages) == 3
    assert len(seen) == len(set(seen)) == 2 * views.PAGE_SIZE + 9
    expected = sorted(
        ((c.received_date, c.pk) for c in world.county.cases.all()),
        reverse=True,
    )
    assert seen == [pk for _, pk in expected]
    # Walking back with the 上一页 cursors gives the same pages.
    for previous in (pages[1], pages[0]):
        params = {"org": world.county.pk, "before": page.prev_cursor}
        page = chief.get(URL, params).context["page"]
        assert [c.pk for c in page.rows] == previous
    assert page.prev_cursor is None


def test_a_malformed_cursor_starts_from_the_first_page(chief, world):
    assert _ids(chief, {"after": "nonsense"}) == _ids(chief)


def test_the_count_is_capped(chief, world, monkeypatch):
    assert "共 4 件" in chief.get(URL).content.decode()
    monkeypatch.setattr(views, "COUNT_CAP", 3)
    assert "超过 3 件" in chief.get(URL).content.decode()


def test_htmx_requests_get_only_the_results(chief, world):
    response = chief.get(URL, {"stage": "received"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    assert world.case_a.name in body
    assert "HX-Request" in response["Vary"]
    full = chief.get(URL).content.decode()
    assert 'hx-post="/cases/"' in full  # the filter form; the URL to push comes as HX-Push-Url


def test_the_list_shows_suspects_without_extra_queries(chief, world, django_assert_max_num_queries):
    for i in range(30):
        case = f.make_case(world.county, department=world.county_dept, prosecutor=world.people["pros_a"])
        f.make_suspect(case, f"孙某{i}")
        f.make_suspect(case, f"钱某{i}")
    # Session, person, roles, unit, count, page, suspects, two permission lookups, four filter
    # choice lists, the session's last-seen update and the menu's unread notifications: the same
    # for a short page or a full one.
    with django_assert_max_num_queries(17):
        response = chief.get(URL)
    body = response.content.decode()
    assert "孙某29、钱某29" in body
    assert len(re.findall(r'class="case-name"', body)) == views.PAGE_SIZE


def test_team_members_are_offered_only_their_team_prosecutors(world):
    from bihuan.cases.filters import CaseFilterForm

    people = world.people
    offered = set(CaseFilterForm(user=people["pros_a"]).fields["prosecutor"].queryset)
    assert offered == {people["pros_a"], people["pros_a2"]}
    assert people["pros_b"] in set(CaseFilterForm(user=people["head"]).fields["prosecutor"].queryset)


def test_a_search_matching_many_suspects_lists_without_counting(chief, world, monkeypatch):
    from bihuan.cases import filters

    f.make_suspect(world.case_b, "张某")
    monkeypatch.setattr(filters, "FEW_SUSPECTS", 1)
    body = _list(chief, {"q": "张某"}).content.decode()
    assert "未统计总数" in body
    assert world.case_a.name in body and world.case_b.name in body
    monkeypatch.setattr(filters, "FEW_SUSPECTS", 5)
    assert "共 2 件" in _list(chief, {"q": "张某"}).content.decode()


def test_search_text_never_appears_in_a_url(chief, world):
    """Names typed into the search box stay out of the address bar, history and logs."""
    response = chief.post(URL, {"q": "张某某", "stage": "received"})
    assert response.status_code == 302
    location = response["Location"]
    assert "张" not in location and "%E5%BC%A0" not in location
    assert "s=" in location and "stage=received" in location
    page = chief.get(location)
    assert [c.pk for c in page.context["page"].rows] == [world.case_a.pk]
    assert 'value="张某某"' in page.content.decode()  # the box still shows what was typed
    # Pages of the result carry the token, not the text.
    assert all("张" not in link for link in re.findall(r'href="([^"]+)"', page.content.decode()))
    # A token from another session finds nothing of this one; a name in the query string is ignored.
    assert len(_ids(chief, {"s": "unknown-token"})) == 4
    assert len([c.pk for c in chief.get(URL, {"q": "张某某"}).context["page"].rows]) == 4


def test_htmx_search_pushes_the_tokenised_url(chief, world):
    response = chief.post(URL, {"q": "李某某"}, headers={"HX-Request": "true"}, follow=True)
    assert response["HX-Push-Url"].startswith("/cases/?s=")
    assert [c.pk for c in response.context["page"].rows] == [world.case_b.pk]
