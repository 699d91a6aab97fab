"""The indicator pages: what each role sees, the scope checks and the drill-down lists."""

import re
from datetime import date

import pytest
import time_machine
from django.test import Client

from bihuan.indicators.views import drill_url
from tests import test_indicators_engine as dataset

RANGE = {"from": "2025-01-01", "to": "2025-03-31"}

data = dataset.data  # the hand-built data set, as a fixture of this module


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def overview(user, **params):
    return client_for(user).get("/indicators/", {**RANGE, **params})


def drill(user, **params):
    return client_for(user).get("/indicators/cases/", {**RANGE, **params})


def test_chief_sees_every_indicator_with_links(data):
    county = data.world.county
    response = overview(data.world.people["chief"], scope=f"org:{county.code}")
    assert response.status_code == 200
    body = response.content.decode()
    assert "1 : 3.00" in body and "33.3%" in body and "34.7 天" in body
    assert "2025年第1季度" in body and "2024年第1季度" in body and "2024年第4季度" in body
    assert "不起诉人数 ÷（起诉人数 + 不起诉人数）" in body  # the 口径 in words
    assert "—" in body  # Q1 2024 has no data: empty values
    # Every number links to its drill-down: numerator and denominator for three periods.
    links = re.findall(r'href="/indicators/cases/\?([^"]+)"', body)
    assert len(links) == 15 * 2 * 3


def test_default_scope_and_period_is_the_persons_own_unit_year_to_date(data):
    world = data.world
    with time_machine.travel(date(2025, 3, 30)):
        body = client_for(world.people["pros_a"]).get("/indicators/").content.decode()
        assert "（承办检察官）" in body and "2025-01-01至2025-03-30" in body
        # pros_a's own cases closed in 2025: P1 and P4, both in the 快审 team A.
        assert re.search(r'id="fast_track_share".*?<td class="num value">100.0%</td>', body, re.S)
        head = client_for(world.people["head"]).get("/indicators/").content.decode()
        assert "第一检察部" in head


@pytest.mark.parametrize(
    "role", ["pros_a", "assistant_a", "clerk_b", "head", "cm", "deputy", "chief", "city_chief", "city_head"]
)
def test_roles_with_case_data_open_the_pages(data, role):
    assert overview(data.world.people[role]).status_code == 200
    assert drill(data.world.people[role]).status_code == 200


@pytest.mark.parametrize("role", ["investigator", "sysadmin", "secadmin", "auditadmin"])
def test_roles_without_case_data_are_refused(data, role):
    assert overview(data.world.people[role]).status_code == 403
    assert drill(data.world.people[role]).status_code == 403


def test_a_prosecutor_cannot_see_another_teams_figures(data):
    world = data.world
    pros_a = world.people["pros_a"]
    assert overview(pros_a, scope=f"team:{world.team_a.pk}").status_code == 200
    assert overview(pros_a, scope=f"person:{pros_a.pk}").status_code == 200
    for scope in (
        f"team:{world.team_b.pk}",
        f"person:{world.people['pros_b'].pk}",
        f"person:{world.people['pros_a2'].pk}",  # a team-mate's own figures: not theirs to see
        f"dept:{world.county_dept.pk}",
        f"org:{world.county.code}",
        "team:999999",
        "nonsense",
    ):
        assert overview(pros_a, scope=scope).status_code == 404, scope
        assert drill(pros_a, scope=scope, indicator="plea_rate", part="numerator").status_code == 404, scope
    # The picker offers only what the person may see.
    body = overview(pros_a).content.decode()
    assert f'value="team:{world.team_b.pk}"' not in body
    assert f'value="team:{world.team_a.pk}"' in body


def test_department_head_and_upper_procuratorate_scopes(data):
    world = data.world
    head, city_chief, other_chief = world.people["head"], world.people["city_chief"], world.people["other_chief"]
    assert overview(head, scope=f"dept:{world.county_dept.pk}").status_code == 200
    assert overview(head, scope=f"team:{world.team_b.pk}").status_code == 200
    assert overview(head, scope=f"org:{world.county.code}").status_code == 404  # not the whole county
    assert overview(city_chief, scope=f"tree:{world.city.code}").status_code == 200
    assert overview(city_chief, scope=f"team:{world.team_a.pk}").status_code == 200
    assert overview(other_chief, scope=f"org:{world.county.code}").status_code == 404
    assert overview(other_chief, scope=f"tree:{world.city.code}").status_code == 404


def test_drill_down_lists_exactly_the_numerator_cases(data):
    chief, county, c = data.world.people["chief"], data.world.county, data.cases
    body = drill(chief, scope=f"org:{county.code}", indicator="supplementary_investigation_rate", part="numerator")
    listed = set(map(int, re.findall(r'href="/cases/(\d+)/"', body.content.decode())))
    assert listed == {c["P1"].pk, c["P3"].pk}
    body = drill(chief, scope=f"org:{county.code}", indicator="case_ratio", part="denominator").content.decode()
    assert set(map(int, re.findall(r'href="/cases/(\d+)/"', body))) == {c[k].pk for k in ("P1", "A2", "P3", "P4")}


def test_drill_down_of_persons_lists_the_persons(data):
    chief, county, c = data.world.people["chief"], data.world.county, data.cases
    body = drill(chief, scope=f"org:{county.code}", indicator="non_prosecution_rate", part="numerator")
    text = body.content.decode()
    assert "孙四" in text and "吴三" in text and "孙三" not in text and "吴一" not in text
    assert "共 2 人" in text
    assert set(map(int, re.findall(r'href="/cases/(\d+)/"', text))) == {c["P1"].pk, c["P3"].pk}


def test_drill_links_of_the_table_open_the_same_figures(data):
    from bihuan.indicators.access import Scope
    from bihuan.indicators.engine import compute

    county = Scope("org", data.world.county)
    (figures,) = compute(county, [dataset.Q1])
    url = drill_url(figures["plea_rate"], "numerator", county)
    text = client_for(data.world.people["chief"]).get(url).content.decode()
    assert "共 4 人" in text


def test_invalid_period_shows_an_error(data):
    response = overview(data.world.people["chief"], **{"from": "2025-04-01", "to": "2025-03-01"})
    assert response.status_code == 200
    assert "结束日期不能早于开始日期" in response.content.decode()


def test_menu_entry(data):
    body = client_for(data.world.people["pros_a"]).get("/").content.decode()
    assert 'href="/indicators/"' in body
    body = client_for(data.world.people["sysadmin"]).get("/").content.decode()
    assert 'href="/indicators/"' not in body
