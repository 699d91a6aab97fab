"""/api/v1/cases/ and /api/v1/suspects/: scope for every role, masking, errors, paging, queries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bihuan.cases.models import Case, Charge, CoerciveMeasure, ProceduralLink, Suspect, SuspectCharge, Tag
from bihuan.documents.models import Document
from bihuan.events.models import Event
from bihuan.lib.masking import mask_id_number
from tests import factories as f

# What each role of the `world` fixture reads and changes (orgs/scope.py), written out by hand.
READS = {
    "pros_a": {"case_a"},
    "pros_a2": {"case_a"},
    "pros_b": {"case_b"},
    "assistant_a": {"case_a"},
    "clerk_b": {"case_b"},
    "head": {"case_a", "case_b"},
    "cm": {"case_a", "case_b"},
    "deputy": {"case_a", "case_b"},
    "chief": {"case_a", "case_b"},
    "city_chief": {"case_a", "case_b", "case_city", "case_other"},
    "city_head": {"case_a", "case_b", "case_city", "case_other"},
    "other_chief": {"case_other"},
}
EDITS = {
    "pros_a": {"case_a"},
    "pros_a2": set(),
    "pros_b": {"case_b"},
    "assistant_a": {"case_a"},
    "clerk_b": {"case_b"},
    "head": {"case_a", "case_b"},
    "cm": {"case_a", "case_b"},
    "deputy": {"case_a", "case_b"},
    "chief": {"case_a", "case_b"},
    "city_chief": {"case_city"},
    "city_head": {"case_city"},
    "other_chief": {"case_other"},
}
NO_CASE_DATA = ("investigator", "sysadmin", "secadmin", "auditadmin")
CASES = ("case_a", "case_b", "case_city", "case_other")


def api_as(user) -> APIClient:
    """A client that authenticates with the person's API token, as an outside program would."""
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def walk(client: APIClient, url: str) -> list[dict]:
    """Every item of a cursor-paginated list, following `next`."""
    items = []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.json()
        items += response.json()["results"]
        url = response.json()["next"]
    return items


def charge(name: str = "危险驾驶罪") -> Charge:
    """A catalogue charge, whether or not the catalogue migration has loaded it."""
    return Charge.objects.filter(name=name).first() or Charge.objects.create(
        code=f"T{Charge.objects.count():04d}",
        name=name,
        article="第一百三十三条之一",
        article_no="133-1",
        chapter="测试",
    )


def fill_card(case: Case) -> Suspect:
    """Give the case every part of the card: charge, tags, a suspect with charges, measures,
    plea, recommendation and court result, a procedural link and a document."""
    Case.objects.filter(pk=case.pk).update(charge=charge(), summary="醉酒驾驶机动车。", track="simple")
    case.tags.add(Tag.objects.create(name="测试标签"))
    suspect = f.make_suspect(
        case,
        "钱某某",
        plea=True,
        plea_signed_date=date(2024, 3, 20),
        outcome="prosecute",
        rec_kind="fixed",
        rec_penalty="criminal_detention",
        rec_term_min=2,
        rec_term_max=2,
        rec_fine=Decimal("3000.00"),
        verdict="guilty",
        judgment_date=date(2024, 5, 8),
        court_penalty="criminal_detention",
        court_term=2,
        court_fine=Decimal("3000.00"),
        rec_adopted=True,
    )
    SuspectCharge.objects.create(suspect=suspect, charge=charge(), is_main=True)
    CoerciveMeasure.objects.create(suspect=suspect, kind="detention", start_date=date(2024, 3, 1), place="某看守所")
    ProceduralLink.objects.create(case=case, kind="supplementary", start_date=date(2024, 3, 10))
    Document.objects.create(case=case, kind="indictment", number="测检刑诉〔2024〕1号", title="起诉书", text="正文")
    return suspect


#
# Scope: every role × every endpoint × in scope / out of scope
#


@pytest.mark.parametrize("role", sorted(READS))
def test_each_role_reads_and_changes_exactly_its_scope(world, role):
    client = api_as(world.people[role])
    cases = {name: getattr(world, name) for name in CASES}
    listed = {item["id"] for item in walk(client, "/api/v1/cases/")}
    assert listed == {cases[name].pk for name in READS[role]}
    for name, case in cases.items():
        detail = client.get(f"/api/v1/cases/{case.pk}/")
        assert detail.status_code == (200 if name in READS[role] else 404), name
        version = Case.objects.get(pk=case.pk).row_version
        patch = client.patch(f"/api/v1/cases/{case.pk}/", {"row_version": version, "risk_level": "high"}, format="json")
        expected = 200 if name in EDITS[role] else 403 if name in READS[role] else 404
        assert patch.status_code == expected, (name, patch.json())
        assert Case.objects.get(pk=case.pk).risk_level == ("high" if expected == 200 else "low")
    suspects = {s.pk: s.case_id for s in Suspect.objects.all()}
    visible = {pk for pk, case_id in suspects.items() if case_id in {cases[n].pk for n in READS[role]}}
    assert {item["id"] for item in walk(client, "/api/v1/suspects/")} == visible
    for pk in suspects:
        assert client.get(f"/api/v1/suspects/{pk}/").status_code == (200 if pk in visible else 404)


@pytest.mark.parametrize("role", NO_CASE_DATA)
def test_roles_without_case_data_are_refused_every_endpoint(world, role):
    client = api_as(world.people[role])
    suspect = world.case_a.suspects.get()
    answers = [
        client.get("/api/v1/cases/"),
        client.get(f"/api/v1/cases/{world.case_a.pk}/"),
        client.get("/api/v1/cases/999999/"),
        client.patch(f"/api/v1/cases/{world.case_a.pk}/", {"row_version": 1, "name": "改"}, format="json"),
        client.get("/api/v1/suspects/"),
        client.get(f"/api/v1/suspects/{suspect.pk}/"),
    ]
    for response in answers:
        assert response.status_code == 403
        assert response.json() == {"error": "当前角色无权查看案件数据。"}
    assert Case.objects.get(pk=world.case_a.pk).name == "张某某危险驾驶案"


def test_out_of_scope_answers_exactly_like_missing(world):
    client = api_as(world.people["pros_a"])
    hidden_case = client.get(f"/api/v1/cases/{world.case_b.pk}/")
    missing_case = client.get("/api/v1/cases/999999/")
    assert hidden_case.status_code == missing_case.status_code == 404
    assert hidden_case.json() == missing_case.json() == {"error": "案件不存在"}
    hidden_suspect = client.get(f"/api/v1/suspects/{world.case_b.suspects.get().pk}/")
    missing_suspect = client.get("/api/v1/suspects/999999/")
    assert hidden_suspect.status_code == missing_suspect.status_code == 404
    assert hidden_suspect.json() == missing_suspect.json() == {"error": "犯罪嫌疑人不存在"}
    hidden_patch = client.patch(f"/api/v1/cases/{world.case_b.pk}/", {"row_version": 1}, format="json")
    assert hidden_patch.status_code == 404
    assert hidden_patch.json() == {"error": "案件不存在"}


def test_an_id_beyond_bigint_is_missing_not_an_error(world):
    response = api_as(world.people["chief"]).get(f"/api/v1/cases/{10**30}/")
    assert response.status_code == 404


def test_requests_without_credentials_get_401(world):
    for url in ("/api/v1/cases/", f"/api/v1/cases/{world.case_a.pk}/", "/api/v1/suspects/"):
        response = APIClient().get(url)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
        assert set(response.json()) == {"error"}


def test_a_wrong_token_gets_401(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0123456789abcdef0123456789abcdef01234567")
    response = client.get("/api/v1/cases/")
    assert response.status_code == 401
    assert set(response.json()) == {"error"}


def test_a_logged_in_session_works_too(world):
    client = APIClient()
    client.force_login(world.people["pros_a"])
    assert [c["id"] for c in client.get("/api/v1/cases/").json()["results"]] == [world.case_a.pk]


#
# The card
#


def test_the_detail_carries_the_full_card_with_codes_and_labels(world):
    suspect = fill_card(world.case_a)
    body = api_as(world.people["pros_a"]).get(f"/api/v1/cases/{world.case_a.pk}/").json()
    assert (body["stage"], body["stage_display"]) == ("received", "受理")
    assert (body["case_type"], body["case_type_display"]) == ("prosecution_review", "审查起诉")
    assert (body["track"], body["track_display"]) == ("simple", "简案")
    assert body["charge"]["name"] == "危险驾驶罪"
    assert body["tags"] == ["测试标签"]
    assert body["team"] == {"id": world.team_a.pk, "name": "快审团队", "is_fast_track": True}
    card = next(s for s in body["suspects"] if s["id"] == suspect.pk)
    assert card["plea"] is True
    assert card["charges"] == [
        {"code": suspect.charges.get().code, "name": "危险驾驶罪", "article": "第一百三十三条之一", "is_main": True}
    ]
    assert card["in_custody"] is True
    assert card["measures"][0]["kind_display"] == "刑事拘留"
    assert card["sentencing_recommendation"] == {
        "kind": "fixed",
        "kind_display": "确定刑",
        "penalty": "criminal_detention",
        "penalty_display": "拘役",
        "term_min": 2,
        "term_max": 2,
        "probation": False,
        "fine": "3000.00",
    }
    assert card["court_result"]["verdict_display"] == "有罪"
    assert card["court_result"]["rec_adopted"] is True
    assert [(link["kind"], link["kind_display"]) for link in body["links"]] == [("supplementary", "退回补充侦查")]
    assert body["documents"] == [
        {
            "id": world.case_a.documents.get().pk,
            "kind": "indictment",
            "kind_display": "起诉书",
            "number": "测检刑诉〔2024〕1号",
            "title": "起诉书",
            "signed_date": None,
        }
    ]
    assert "text" not in body["documents"][0]


def test_reading_a_card_or_a_suspect_is_logged_and_listing_is_not(world):
    pros = world.people["pros_a"]
    client = api_as(pros)
    client.get("/api/v1/cases/")
    client.get("/api/v1/suspects/")
    assert not Event.objects.filter(action="case.read").exists()
    client.get(f"/api/v1/cases/{world.case_a.pk}/")
    client.get(f"/api/v1/suspects/{world.case_a.suspects.get().pk}/")
    client.get(f"/api/v1/cases/{world.case_b.pk}/")  # out of scope: nothing was read
    reads = Event.objects.filter(action="case.read")
    assert list(reads.values_list("case_id", "actor_id")) == [(world.case_a.pk, pros.pk)] * 2


#
# Masking of 公民身份号码
#


def test_id_numbers_are_full_for_editors_and_masked_for_read_only_viewers(world):
    suspect = world.case_a.suspects.get()
    full, masked = suspect.id_number, mask_id_number(suspect.id_number)
    assert masked != full
    for role, expected in (("pros_a", full), ("pros_a2", masked), ("city_chief", masked), ("head", full)):
        client = api_as(world.people[role])
        card = client.get(f"/api/v1/cases/{world.case_a.pk}/").json()
        assert card["suspects"][0]["id_number"] == expected, role
        assert client.get(f"/api/v1/suspects/{suspect.pk}/").json()["id_number"] == expected, role


def test_the_suspect_list_masks_every_id_number(world):
    suspect = world.case_a.suspects.get()
    items = api_as(world.people["pros_a"]).get("/api/v1/suspects/").json()["results"]
    assert [item["id_number"] for item in items] == [mask_id_number(suspect.id_number)]


#
# Filters (the same form as the case list page)
#


def test_the_list_takes_the_case_list_filters(world):
    client = api_as(world.people["city_chief"])
    Case.objects.filter(pk=world.case_b.pk).update(stage="reviewing", risk_level="high")

    def ids(query: str) -> set[int]:
        response = client.get(f"/api/v1/cases/?{query}")
        assert response.status_code == 200, response.json()
        return {item["id"] for item in response.json()["results"]}

    assert ids("stage=reviewing") == {world.case_b.pk}
    assert ids("risk_level=high&stage=reviewing") == {world.case_b.pk}
    assert ids(f"org={world.county.pk}") == {world.case_a.pk, world.case_b.pk}
    assert ids(f"department={world.city_dept.pk}") == {world.case_city.pk}
    assert ids("q=张某") == {world.case_a.pk}
    assert ids(f"q={world.case_other.dept_case_no}") == {world.case_other.pk}
    assert ids("received_from=2024-03-06") == set()


def test_bad_filters_answer_400_with_the_fields(world):
    client = api_as(world.people["pros_a"])
    response = client.get("/api/v1/cases/?stage=nonsense&received_from=2024-13-01")
    assert response.status_code == 400
    assert response.json()["error"].startswith(("stage：", "received_from："))
    assert set(response.json()["fields"]) == {"stage", "received_from"}
    # A procuratorate outside the person's scope is not a valid choice.
    assert client.get(f"/api/v1/cases/?org={world.city.pk}").status_code == 400


def test_the_suspect_list_filters_by_case_and_name(world):
    client = api_as(world.people["chief"])
    by_case = client.get(f"/api/v1/suspects/?case={world.case_b.pk}").json()["results"]
    assert [s["name"] for s in by_case] == ["李某某"]
    assert [s["name"] for s in client.get("/api/v1/suspects/?name=张").json()["results"]] == ["张某某"]
    assert client.get("/api/v1/suspects/?case=abc").status_code == 400


#
# Cursor pagination and query budget
#


def test_cursor_pagination_walks_every_case_once_in_order(world):
    pros = world.people["pros_a"]
    for i in range(13):
        # Many cases share a day, so the cursor must order ties by id.
        f.make_case(world.county, team=world.team_a, prosecutor=pros, received=date(2024, 4, 1) + timedelta(i % 3))
    client = api_as(pros)
    items = walk(client, "/api/v1/cases/?page_size=4")
    ids = [item["id"] for item in items]
    expected = list(
        Case.objects.filter(team=world.team_a).order_by("-received_date", "-id").values_list("id", flat=True)
    )
    assert ids == expected
    assert len(ids) == len(set(ids)) == 14
    # And back again from the last page.
    last = client.get("/api/v1/cases/?page_size=4")
    while last.json()["next"]:
        last = client.get(last.json()["next"])
    back = last.json()["results"]
    url = last.json()["previous"]
    while url:
        page = client.get(url).json()
        back = page["results"] + back
        url = page["previous"]
    assert [item["id"] for item in back] == expected


def test_a_bad_cursor_answers_404_as_json(world):
    response = api_as(world.people["pros_a"]).get("/api/v1/cases/?cursor=garbage")
    assert response.status_code == 404
    assert response.json() == {"error": "分页游标无效。"}


def list_queries(client: APIClient, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_lists_cost_the_same_queries_for_few_and_many_rows(world):
    chief = world.people["chief"]
    client = api_as(chief)
    few_cases, few_suspects = list_queries(client, "/api/v1/cases/"), list_queries(client, "/api/v1/suspects/")
    agency = f.make_agency(world.county)
    for i in range(15):
        case = f.make_case(
            world.county,
            department=world.county_dept,
            team=world.team_b,
            prosecutor=world.people["pros_b"],
            source_agency=agency,
            charge=charge(),
            name=f"案件{i}",
        )
        suspect = f.make_suspect(case, f"孙某{i}")
        SuspectCharge.objects.create(suspect=suspect, charge=charge(), is_main=True)
    assert len(client.get("/api/v1/cases/").json()["results"]) == 17
    # Token with person, roles, the person's procuratorate, the page; suspects add their charges.
    assert list_queries(client, "/api/v1/cases/") == few_cases <= 4
    assert list_queries(client, "/api/v1/suspects/") == few_suspects <= 5


def test_the_card_costs_the_same_queries_for_one_and_many_suspects(world):
    client = api_as(world.people["pros_a"])
    one = list_queries(client, f"/api/v1/cases/{world.case_a.pk}/")
    fill_card(world.case_a)
    for i in range(5):
        f.make_suspect(world.case_a, f"周某{i}")
    assert list_queries(client, f"/api/v1/cases/{world.case_a.pk}/") == one
