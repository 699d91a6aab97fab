"""The workbench: case counts for case roles, duties for administrators and investigators."""

from django.urls import reverse

from tests import factories as f


def _page(client, person) -> str:
    client.force_login(person)
    response = client.get(reverse("web:workbench"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_prosecutor_sees_own_cases(client, world):
    body = _page(client, world.people["pros_a"])
    assert "我承办的案件" in body
    assert world.case_a.name in body
    assert world.case_b.name not in body


def test_a_department_head_sees_the_department(client, world):
    body = _page(client, world.people["head"])
    assert "本部门案件" in body
    assert world.case_a.name in body
    assert world.case_b.name in body
    assert world.case_other.name not in body


def test_a_chief_sees_the_procuratorate_counted_by_stage(client, world):
    client.force_login(world.people["chief"])
    response = client.get(reverse("web:workbench"))
    assert response.context["total"] == 2
    counts = {value: n for value, _, n in response.context["stages"]}
    assert counts["received"] == 2
    assert sum(counts.values()) == 2
    assert world.case_city.name not in response.content.decode()


def test_the_workbench_query_budget(client, world, django_assert_max_num_queries):
    for _ in range(5):
        f.make_case(world.county, department=world.county_dept)
    client.force_login(world.people["chief"])
    # The counts by stage are one aggregate query, the recent cases one more, the unread
    # notifications in the menu one more; the features' panels six: the deadline counts, the
    # recent assignments and open workloads, the approval inbox with its steps, the patrol's
    # prompts.
    with django_assert_max_num_queries(18):
        client.get(reverse("web:workbench"))


def test_administrators_see_their_duties_and_no_cases(client, world):
    expected = {"sysadmin": "/admin/", "secadmin": reverse("orgs:roles"), "auditadmin": reverse("events:list")}
    for role, link in expected.items():
        body = _page(client, world.people[role])
        assert f'href="{link}"' in body
        for case in (world.case_a, world.case_b, world.case_city, world.case_other):
            assert case.name not in body


def test_an_investigator_sees_no_case_data(client, world):
    body = _page(client, world.people["investigator"])
    assert "不能查看案件数据" in body
    assert world.case_a.name not in body
