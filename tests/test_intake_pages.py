"""The intake desk pages: registration with ID checks, the completeness check, acceptance with
先收后补, the printed 受理登记表, and who may do what."""

import re
from datetime import date, timedelta
from urllib.parse import unquote

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from bihuan.cases.choices import Stage
from bihuan.cases.models import Case, Charge
from bihuan.documents.generate import docx_text
from bihuan.events.models import Event
from bihuan.intake.actions import do_accept
from bihuan.intake.models import DeferredItem
from bihuan.lib import idnumber
from bihuan.orgs.models import Agency
from tests.intake_helpers import BIRTH, ID_NUMBER, materials, register

TOKEN = re.compile(r'name="submit_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel("2024-03-06 10:00 +0800", tick=False):
        yield


def login(world, role: str) -> Client:
    client = Client()
    client.force_login(world.people[role])
    return client


def token(client: Client, url: str) -> str:
    return TOKEN.search(client.get(url).content.decode())[1]


def text(response) -> str:
    return response.content.decode()


def registration(world, **changes) -> dict:
    data = {
        "case_type": "prosecution_review",
        "name": "陈某某危险驾驶案",
        "source_agency": Agency.objects.filter(org=world.county).first().pk,
        "charge": Charge.objects.get(name="危险驾驶罪").pk,
        "received_date": "2024-03-05",
        "procedure": "fast",
        "likely_sentence": "le1",
        "summary": "醉酒驾驶机动车。",
        "materials": ["起诉意见书", "案卷材料", "证据材料"],
        "s-TOTAL_FORMS": "3",
        "s-INITIAL_FORMS": "0",
        "s-MIN_NUM_FORMS": "1",
        "s-MAX_NUM_FORMS": "30",
        "s-0-name": "张某某",
        "s-0-gender": "M",
        "s-0-id_number": ID_NUMBER,
        "s-0-birth_date": "",
        "s-0-plea": "on",
        "s-0-measure_kind": "bail",
        "s-0-measure_start": "2024-02-01",
        "s-0-measure_place": "住所",
    }
    return {**data, **changes}


def post_registration(client: Client, world, **changes):
    url = reverse("intake:register")
    return client.post(url, {**registration(world, **changes), "submit_token": token(client, url)})


# --- registration ---------------------------------------------------------------------------


def test_registration_creates_a_numbered_case_waiting_for_acceptance(world):
    client = login(world, "cm")
    response = post_registration(client, world)
    case = Case.objects.get(name="陈某某危险驾驶案")
    assert response.status_code == 302
    assert response["Location"] == reverse("intake:case", args=[case.pk])
    assert case.stage == Stage.REGISTERED
    assert case.procedure == "fast"
    suspect = case.suspects.get()
    # The birth date comes from the ID number when left blank.
    assert (suspect.birth_date, suspect.plea) == (BIRTH, True)
    assert suspect.measures.get().kind == "bail"
    page = client.get(response["Location"])
    assert case.dept_case_no in text(page)
    assert case.unified_case_no in text(page)
    assert f"部门受案号 {case.dept_case_no}" in text(page)  # the success message names the numbers


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"s-0-id_number": ID_NUMBER[:17] + ("0" if ID_NUMBER[17] != "0" else "1")}, "校验码错误"),
        ({"s-0-birth_date": "1991-05-17"}, "与出生日期 1991-05-17 不一致"),
        ({"s-0-gender": "F"}, "性别与所填性别不一致"),
        ({"s-0-id_number": "12345"}, "公民身份号码应为 18 位"),
        ({"s-0-measure_start": ""}, "请填写强制措施的起始日期"),
        (
            {
                "s-0-name": "",
                "s-0-gender": "",
                "s-0-id_number": "",
                "s-0-plea": "",
                "s-0-measure_kind": "",
                "s-0-measure_start": "",
                "s-0-measure_place": "",
            },
            "请至少登记一名犯罪嫌疑人",
        ),
        ({"received_date": "2024-03-07"}, "收案日期不能晚于今天"),
        (
            {"s-0-id_number": idnumber.make("371002", date(2007, 1, 2), 3, "M"), "s-0-birth_date": "2007-01-02"},
            "犯罪嫌疑人收案时未满十八周岁，应勾选“未成年人”",
        ),
        ({"case_type": "arrest_review"}, "审查逮捕案件不需移送：起诉意见书"),
        ({"name": ""}, "该字段是必填项"),
    ],
)
def test_invalid_registration_is_refused_in_chinese_and_writes_nothing(world, changes, message):
    client = login(world, "cm")
    cases = Case.objects.count()
    response = post_registration(client, world, **changes)
    assert response.status_code == 400
    assert message in text(response)
    assert "登记信息有误" in text(response)
    assert Case.objects.count() == cases


def test_a_second_submit_of_the_same_form_registers_nothing(world):
    client = login(world, "cm")
    url = reverse("intake:register")
    data = {**registration(world), "submit_token": token(client, url)}
    client.post(url, data)
    response = client.post(url, data, follow=True)
    assert "该操作已提交，未重复执行。" in text(response)
    assert Case.objects.filter(name="陈某某危险驾驶案").count() == 1


@pytest.mark.parametrize("role", ["pros_a", "head", "chief", "deputy"])
def test_only_the_case_management_office_registers(world, role):
    client = login(world, role)
    assert client.get(reverse("intake:register")).status_code == 403
    assert client.post(reverse("intake:register"), registration(world)).status_code == 403


# --- the desk --------------------------------------------------------------------------------


def test_the_desk_lists_the_procuratorates_pending_cases_and_deferred_items(world):
    waiting = register(world, name="待受理甲案")
    deferred = register(world, name="先收后补乙案", received=materials("prosecution_review", "起诉意见书", "案卷材料"))
    do_accept(
        deferred,
        actor=world.people["cm"],
        expected_version=deferred.row_version,
        defer=[
            ("证据材料", date(2024, 3, 5) + timedelta(days=10), "鉴定中"),
            ("强制措施法律文书", date(2024, 3, 6), "待附"),
        ],
    )
    for role in ("cm", "chief"):
        body = text(login(world, role).get(reverse("intake:desk")))
        assert waiting.dept_case_no in body
        assert "先收后补乙案" in body  # in the 先收后补 list and among recent acceptances
        assert "证据材料" in body
    assert "登记新案件" in text(login(world, "cm").get(reverse("intake:desk")))
    assert "登记新案件" not in text(login(world, "chief").get(reverse("intake:desk")))
    assert "受理台" in text(login(world, "cm").get(reverse("web:workbench")))
    assert "受理台" not in text(login(world, "pros_a").get(reverse("web:workbench")))


# --- acceptance ------------------------------------------------------------------------------


def accept(client: Client, case: Case, **data):
    url = reverse("intake:case", args=[case.pk])
    data = {"row_version": case.row_version, "submit_token": token(client, url), **data}
    return client.post(reverse("intake:accept", args=[case.pk]), data)


def test_the_case_page_shows_the_missing_elements_and_acceptance_is_blocked(world):
    case = register(world, received=materials("prosecution_review", "起诉意见书"))
    client = login(world, "cm")
    page = text(client.get(reverse("intake:case", args=[case.pk])))
    assert "缺少 3 项" in page
    assert '<td class="missing">案卷材料</td>' in page
    response = accept(client, case)
    assert response.status_code == 400
    assert "材料不齐备，不能受理。缺少：案卷材料、证据材料、强制措施法律文书" in text(response)
    assert Case.objects.get(pk=case.pk).stage == Stage.REGISTERED


def test_ticking_the_received_materials_then_accepting(world):
    case = register(world, received=materials("prosecution_review", "起诉意见书"))
    client = login(world, "cm")
    url = reverse("intake:case", args=[case.pk])
    all_ids = [m.pk for m in materials("prosecution_review", "起诉意见书", "案卷材料", "证据材料", "强制措施法律文书")]
    response = client.post(
        reverse("intake:materials", args=[case.pk]),
        {"row_version": case.row_version, "materials": all_ids, "submit_token": token(client, url)},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    response = accept(client, case)
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).stage == Stage.RECEIVED
    assert "已受理" in text(client.get(url))


def test_accepting_with_deferred_elements_records_them(world):
    case = register(world, received=materials("prosecution_review", "起诉意见书", "案卷材料", "证据材料"))
    client = login(world, "cm")
    element = materials("prosecution_review", "强制措施法律文书")[0]
    response = accept(client, case, **{f"due_{element.pk}": "2024-03-13", f"reason_{element.pk}": "决定书副本未附"})
    assert response.status_code == 302
    item = DeferredItem.objects.get(record__case=case)
    assert (item.element.name, item.due_date, item.reason) == ("强制措施法律文书", date(2024, 3, 13), "决定书副本未附")
    # The case page panel lists it.
    detail = text(client.get(reverse("cases:detail", args=[case.pk])))
    assert "先收后补：强制措施法律文书，2024-03-13前补送" in detail


def test_a_due_date_without_a_reason_is_refused(world):
    case = register(world, received=materials("prosecution_review", "起诉意见书", "案卷材料", "证据材料"))
    client = login(world, "cm")
    element = materials("prosecution_review", "强制措施法律文书")[0]
    response = accept(client, case, **{f"due_{element.pk}": "2024-03-13"})
    assert response.status_code == 400
    assert "请写明先收后补的原因" in text(response)
    assert not DeferredItem.objects.exists()


def test_a_stale_version_is_refused_and_writes_nothing(world):
    case = register(world)
    client = login(world, "cm")
    url = reverse("intake:case", args=[case.pk])
    data = {"row_version": case.row_version - 1, "submit_token": token(client, url)}
    response = client.post(reverse("intake:accept", args=[case.pk]), data, follow=True)
    assert "案件已被他人修改，请刷新后重试。" in text(response)
    assert Case.objects.get(pk=case.pk).stage == Stage.REGISTERED


def test_a_double_submit_accepts_once(world):
    case = register(world)
    client = login(world, "cm")
    url = reverse("intake:case", args=[case.pk])
    data = {"row_version": case.row_version, "submit_token": token(client, url)}
    client.post(reverse("intake:accept", args=[case.pk]), data)
    response = client.post(reverse("intake:accept", args=[case.pk]), data, follow=True)
    assert "该操作已提交，未重复执行。" in text(response)
    assert Event.objects.filter(case_id=case.pk, action="intake.accept").count() == 1


def test_a_prosecutor_cannot_accept_and_another_procuratorate_sees_nothing(world):
    case = register(world)
    world.case_a.refresh_from_db()
    # pros_a may edit case_a but is not the case-management office: 403.
    response = login(world, "pros_a").post(
        reverse("intake:accept", args=[world.case_a.pk]), {"row_version": world.case_a.row_version}
    )
    assert response.status_code == 403
    # The city reads the county's cases but accepts none of them: 403; another county: 404.
    assert login(world, "city_chief").post(reverse("intake:accept", args=[case.pk])).status_code == 403
    assert login(world, "other_chief").post(reverse("intake:accept", args=[case.pk])).status_code == 404
    assert login(world, "other_chief").get(reverse("intake:case", args=[case.pk])).status_code == 404
    assert login(world, "other_chief").get(reverse("intake:form_docx", args=[case.pk])).status_code == 404
    assert Case.objects.get(pk=case.pk).stage == Stage.REGISTERED


def test_fulfilling_a_deferred_item_on_the_page(world):
    case = register(world, received=materials("prosecution_review", "起诉意见书", "案卷材料", "证据材料"))
    client = login(world, "cm")
    element = materials("prosecution_review", "强制措施法律文书")[0]
    accept(client, case, **{f"due_{element.pk}": "2024-03-13", f"reason_{element.pk}": "待附"})
    case.refresh_from_db()
    item = DeferredItem.objects.get()
    url = reverse("intake:case", args=[case.pk])
    response = client.post(
        reverse("intake:fulfil", args=[case.pk]),
        {"row_version": case.row_version, "item": item.pk, "submit_token": token(client, url)},
        follow=True,
    )
    assert "“强制措施法律文书”已补齐" in text(response)
    item.refresh_from_db()
    assert item.fulfilled_by == world.people["cm"]


# --- the printed form ------------------------------------------------------------------------


def test_the_acceptance_form_downloads_with_the_case_number_and_suspects(world):
    case = register(world, received=materials("prosecution_review", "起诉意见书", "案卷材料", "证据材料"))
    client = login(world, "cm")
    element = materials("prosecution_review", "强制措施法律文书")[0]
    accept(client, case, **{f"due_{element.pk}": "2024-03-13", f"reason_{element.pk}": "决定书副本未附"})
    case.refresh_from_db()
    response = client.get(reverse("intake:form_docx", args=[case.pk]))
    assert response.status_code == 200
    printed = case.dept_case_no.replace("[", "〔").replace("]", "〕")
    disposition = response["Content-Disposition"]
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == f"案件受理登记表-{printed}.docx"
    body = docx_text(response.content)
    assert "案件受理登记表" in body
    assert printed in body
    assert case.unified_case_no in body
    assert "张某某\t男\t1990年5月17日\t取保候审（2024年2月1日起，住所）" in body
    assert "起诉意见书\t随案移送材料\t√ 已接收" in body
    assert "强制措施法律文书\t2024年3月13日\t决定书副本未附\t未补齐" in body
    assert "（院印）" in body
    assert "2024年3月6日" in body
    assert Event.objects.filter(case_id=case.pk, action="case.read", actor_id=world.people["cm"].pk).exists()


def test_the_handling_prosecutor_may_print_the_form_of_a_case_in_scope(world):
    response = login(world, "pros_a").get(reverse("intake:form_docx", args=[world.case_a.pk]))
    assert response.status_code == 200
    assert "张某某" in docx_text(response.content)


def test_registered_id_numbers_are_valid(world):
    """The helper's number is valid by GB 11643, so the registration tests test the form."""
    assert idnumber.validate(ID_NUMBER, BIRTH) == []
