"""POST /api/v1/intake/ and /api/v1/intake/<id>/accept/: the intake desk over the API."""

from datetime import date

import pytest
import time_machine
import yaml
from rest_framework.test import APIClient

from bihuan.cases.choices import Stage
from bihuan.cases.models import Case
from bihuan.cases.numbering import DEPT_CASE_NO, UNIFIED_CASE_NO
from bihuan.intake.models import DeferredItem
from bihuan.lib import idnumber
from bihuan.orgs.models import Agency
from tests.intake_helpers import BIRTH, ID_NUMBER, register
from tests.test_api_cases import api_as
from tests.test_api_schema import COMMITTED, ResponseChecker

INTAKE = "/api/v1/intake/"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel("2024-03-06 10:00 +0800", tick=False):
        yield


def payload(world, **changes) -> dict:
    data = {
        "case_type": "prosecution_review",
        "name": "陈某某危险驾驶案",
        "source_agency": Agency.objects.filter(org=world.county).first().pk,
        "charge": "危险驾驶罪",
        "received_date": "2024-03-05",
        "procedure": "fast",
        "suspects": [
            {
                "name": "陈某某",
                "gender": "M",
                "id_number": ID_NUMBER,
                "measures": [{"kind": "bail", "start_date": "2024-02-01"}],
            }
        ],
        "received_materials": ["起诉意见书", "案卷材料"],
    }
    return {**data, **changes}


def test_registering_returns_the_numbers_and_missing_elements(world):
    response = api_as(world.people["cm"]).post(INTAKE, payload(world), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert DEPT_CASE_NO.match(body["dept_case_no"])
    assert UNIFIED_CASE_NO.match(body["unified_case_no"])
    assert (body["stage"], body["stage_display"]) == ("registered", "待受理")
    assert body["missing"] == ["证据材料", "强制措施法律文书"]
    case = Case.objects.get(pk=body["id"])
    assert case.suspects.get().birth_date == BIRTH
    assert case.org == world.county


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"suspects": [{"name": "陈某某", "gender": "M", "id_number": ID_NUMBER[:17] + "Y"}]},
            "suspects",
            "第1项的公民身份号码：公民身份号码应为 18 位",
        ),
        (
            {"suspects": [{"name": "陈某某", "gender": "M", "id_number": ID_NUMBER, "birth_date": "1990-05-18"}]},
            "suspects",
            "与出生日期 1990-05-18 不一致",
        ),
        ({"suspects": []}, "suspects", ""),
        ({"charge": "不存在罪"}, "charge", ""),
        ({"received_materials": ["提请批准逮捕书"]}, "received_materials", "审查起诉案件不需移送：提请批准逮捕书"),
        ({"received_date": "2024-03-07"}, "received_date", "收案日期不能晚于今天"),
        (
            {
                "suspects": [
                    {"name": "陈某", "gender": "M", "id_number": idnumber.make("371002", date(2007, 1, 2), 3, "M")}
                ]
            },
            "suspects",
            "第1项的未成年人：按出生日期，犯罪嫌疑人收案时未满十八周岁",
        ),
    ],
)
def test_invalid_registrations_are_refused_in_chinese(world, changes, field, message):
    response = api_as(world.people["cm"]).post(INTAKE, payload(world, **changes), format="json")
    assert response.status_code == 400
    body = response.json()
    assert field in body["fields"]
    assert message in body["error"]
    assert not Case.objects.filter(name="陈某某危险驾驶案").exists()


def test_an_agency_of_another_procuratorate_is_refused(world):
    foreign = Agency.objects.create(name="外地公安局", org=world.other_county)
    response = api_as(world.people["cm"]).post(INTAKE, payload(world, source_agency=foreign.pk), format="json")
    assert response.status_code == 400
    assert "不是本院对应的" in response.json()["error"]


@pytest.mark.parametrize("role", ["pros_a", "head", "chief"])
def test_only_the_case_management_office_registers(world, role):
    response = api_as(world.people[role]).post(INTAKE, payload(world), format="json")
    assert response.status_code == 403
    assert "案件管理部门" in response.json()["error"]


def test_accepting_needs_every_element_or_a_deferral(world):
    case = register(world, received=[])
    client = api_as(world.people["cm"])
    url = f"{INTAKE}{case.pk}/accept/"
    refused = client.post(url, {"row_version": case.row_version}, format="json")
    assert refused.status_code == 400
    assert refused.json()["missing"] == ["起诉意见书", "案卷材料", "证据材料", "强制措施法律文书"]
    defer = [
        {"element": name, "due_date": "2024-03-13", "reason": "补送中"}
        for name in ("起诉意见书", "案卷材料", "证据材料", "强制措施法律文书")
    ]
    response = client.post(url, {"row_version": case.row_version, "defer": defer}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["stage"] == Stage.RECEIVED
    assert DeferredItem.objects.filter(record__case=case, due_date=date(2024, 3, 13)).count() == 4


def test_a_bad_deferral_is_a_400_with_the_reason(world):
    case = register(world, received=[])
    response = api_as(world.people["cm"]).post(
        f"{INTAKE}{case.pk}/accept/",
        {
            "row_version": case.row_version,
            "defer": [{"element": "起诉意见书", "due_date": "2024-03-01", "reason": "x"}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "补送期限须为今天或以后" in response.json()["error"]


def test_accept_with_a_stale_version_is_409(world):
    case = register(world)
    response = api_as(world.people["cm"]).post(
        f"{INTAKE}{case.pk}/accept/", {"row_version": case.row_version + 1}, format="json"
    )
    assert response.status_code == 409
    assert Case.objects.get(pk=case.pk).stage == Stage.REGISTERED


def test_accept_scope(world):
    case = register(world)
    body = {"row_version": case.row_version}
    assert (
        api_as(world.people["pros_a"]).post(f"{INTAKE}{world.case_a.pk}/accept/", body, format="json").status_code
        == 403
    )
    assert api_as(world.people["city_chief"]).post(f"{INTAKE}{case.pk}/accept/", body, format="json").status_code == 403
    assert (
        api_as(world.people["other_chief"]).post(f"{INTAKE}{case.pk}/accept/", body, format="json").status_code == 404
    )
    assert api_as(world.people["sysadmin"]).post(f"{INTAKE}{case.pk}/accept/", body, format="json").status_code == 403
    assert Case.objects.get(pk=case.pk).stage == Stage.REGISTERED


def test_every_documented_intake_answer_matches_the_schema(world):
    """Each status the schema documents for /api/v1/intake/, answered for real and validated."""
    check = ResponseChecker(yaml.safe_load(COMMITTED.read_text(encoding="utf-8")))
    cm = api_as(world.people["cm"])
    accept_path = "/api/v1/intake/{id}/accept/"

    check(cm.post(INTAKE, payload(world), format="json"), INTAKE, 201)
    check(cm.post(INTAKE, payload(world, suspects=[]), format="json"), INTAKE, 400)
    check(APIClient().post(INTAKE, payload(world), format="json"), INTAKE, 401)
    check(api_as(world.people["pros_a"]).post(INTAKE, payload(world), format="json"), INTAKE, 403)

    case = register(world, received=[])
    url = f"{INTAKE}{case.pk}/accept/"
    check(cm.post(url, {"row_version": case.row_version}, format="json"), accept_path, 400)  # incomplete
    check(cm.post(url, {"row_version": 0}, format="json"), accept_path, 400)  # invalid
    check(cm.post(url, {"row_version": case.row_version + 1}, format="json"), accept_path, 409)
    check(APIClient().post(url, {"row_version": 1}, format="json"), accept_path, 401)
    check(api_as(world.people["chief"]).post(url, {"row_version": 1}, format="json"), accept_path, 403)
    check(api_as(world.people["other_chief"]).post(url, {"row_version": 1}, format="json"), accept_path, 404)
    complete = register(world, name="齐备案")
    check(
        cm.post(f"{INTAKE}{complete.pk}/accept/", {"row_version": complete.row_version}, format="json"),
        accept_path,
        200,
    )
    intake_operations = {op for op in check.all_operations() if op[0].startswith(INTAKE)}
    assert check.covered == intake_operations
