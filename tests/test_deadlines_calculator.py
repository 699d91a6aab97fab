"""The 期限计算器: `bihuan duedate` and the calculator page."""

import io
import json
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from bihuan.deadlines.models import HolidayOverride
from bihuan.events.models import Event

URL = "/deadlines/calculator/"


def duedate(*args: str) -> str:
    out = io.StringIO()
    call_command("duedate", *args, stdout=out)
    return out.getvalue()


#
# bihuan duedate
#


@pytest.mark.django_db
def test_json_gives_the_due_date_and_the_explanation():
    # CPL 172 / SPC-Interp 202: 2024-01-31 + 1 month = 2024-02-29.
    data = json.loads(duedate("--stage", "审查起诉", "--received", "2024-01-31", "--json"))
    assert data == {
        "due": "2024-02-29",
        "explanation": [
            "审查起诉：应当在一个月以内作出决定（CPL 172; Rule 351）",
            "2024-01-31 起算，一个月期满为 2024-02-29（次月无同日，取月末）（SPC-Interp 202）",
        ],
    }


@pytest.mark.django_db
def test_in_custody_means_detained_for_arrest_review():
    # CPL 91: detained → 7 days, 2024-09-24 → 10-01, not moved for 国庆 while held (CPL 105).
    data = json.loads(duedate("--stage", "审查逮捕", "--received", "2024-09-24", "--in-custody", "--json"))
    assert data["due"] == "2024-10-01"
    assert data["explanation"][-1] == "2024-10-01 为国庆节假日，但犯罪嫌疑人在押，期满日不因节假日延长（CPL 105）"


@pytest.mark.django_db
def test_all_options_together():
    # CPL 172 extension + Rule 222: 2024-05-20 → 06-20, + 15 = 07-05, + 3 (07-01..07-03) = 07-08 (Monday).
    data = json.loads(
        duedate(
            "--stage",
            "审查起诉",
            "--received",
            "2024-05-20",
            "--extended",
            "--suspend",
            "2024-07-01:2024-07-03",
            "--json",
        )
    )
    assert data["due"] == "2024-07-08"


@pytest.mark.django_db
def test_fast_track_over_one_year_and_an_override():
    # Rule 273: 15 days: 2024-03-01 → 03-16 (Saturday); 03-18 declared a rest day → 03-19 (Tuesday).
    HolidayOverride.objects.create(date=date(2024, 3, 18), is_workday=False, note="测试调整")
    data = json.loads(duedate("--stage", "速裁", "--received", "2024-03-01", "--likely-over-1y", "--json"))
    assert data["due"] == "2024-03-19"


@pytest.mark.django_db
def test_plain_output_is_readable_chinese():
    out = duedate("--stage", "补充侦查", "--received", "2024-03-15")
    # CPL 175: one month, 2024-03-15 → 04-15.
    assert out.splitlines()[0] == "期满日期：2024-04-15"
    citation = "（《刑事诉讼法》第175条；《人民检察院刑事诉讼规则》第346条）"
    assert f"1. 退回补充侦查：侦查机关应当在一个月以内补充侦查完毕{citation}" in out


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--stage", "起诉", "--received", "2024-03-01"], "未知的期限种类“起诉”"),
        (["--stage", "审查起诉", "--received", "2024-13-01"], "起算日期：请输入正确的日期"),
        (["--stage", "审查起诉", "--received", "2024-03-01", "--suspend", "2024-03-05"], "应写作 起始日期:结束日期"),
        (
            ["--stage", "审查起诉", "--received", "2024-03-01", "--suspend", "2024-03-05:2024-03-01"],
            "结束日期早于起始日期",
        ),
        (["--stage", "速裁", "--received", "2024-03-01", "--extended"], "延长审查起诉期限仅适用于审查起诉"),
    ],
)
def test_bad_input_is_refused_in_chinese(args, message):
    with pytest.raises(CommandError, match=message):
        duedate(*args)


#
# The calculator page
#


def test_the_page_is_for_people_with_case_data(world, client):
    assert client.get(URL).status_code == 302
    client.force_login(world.people["sysadmin"])
    assert client.get(URL).status_code == 403
    client.force_login(world.people["investigator"])
    assert client.get(URL).status_code == 403
    client.force_login(world.people["pros_a"])
    page = client.get(URL)
    assert page.status_code == 200
    assert "期限计算器" in page.content.decode()
    assert "其他年份放假安排未收录，仅按周末顺延" in page.content.decode()


def test_the_page_shows_the_due_date_and_each_step(world, client):
    client.force_login(world.people["cm"])
    # CPL 105: 2025-09-01 + 1 month = 10-01, 国庆/中秋 to 10-08 → 10-09.
    body = client.get(URL, {"stage": "prosecution_review", "received": "2025-09-01"}).content.decode()
    assert '<div class="due-date mono">2025-10-09</div>' in body
    assert "审查起诉期限" in body
    assert "2025-10-01 为国庆节假日，顺延至 2025-10-09" in body
    assert "（《最高人民法院关于适用〈中华人民共和国刑事诉讼法〉的解释》第202条）" in body


def test_htmx_gets_only_the_result(world, client):
    client.force_login(world.people["pros_a"])
    # Rule 282: not detained, 重大复杂: 2024-03-01 + 20 = 03-21.
    response = client.get(
        URL, {"stage": "arrest_review", "received": "2024-03-01", "major_complex": "on"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert "<html" not in body
    assert "2024-03-21" in body
    assert response["HX-Push-Url"].startswith(URL)


def test_the_page_explains_bad_input(world, client):
    client.force_login(world.people["pros_a"])
    body = client.get(
        URL, {"stage": "fast", "received": "2024-03-01", "suspensions": "2024-03-09:2024-03-02"}
    ).content.decode()
    assert "结束日期早于起始日期" in body
    assert "due-date" not in body


#
# The overrides in the admin (系统管理员)
#


def test_the_system_administrator_enters_an_override_and_the_calculator_uses_it(world, client):
    client.force_login(world.people["sysadmin"])
    response = client.post(
        reverse("admin:deadlines_holidayoverride_add"), {"date": "2027-02-08", "is_workday": "", "note": "2027年春节"}
    )
    assert response.status_code == 302
    assert HolidayOverride.objects.get(date=date(2027, 2, 8)).is_workday is False
    assert Event.objects.filter(action="config.create", summary__contains="节假日调整").exists()
    client.force_login(world.people["pros_a"])
    # 2027-01-06 + 1 month = 02-06 (Saturday); 02-08 is now a rest day → 02-09 (Tuesday).
    body = client.get(URL, {"stage": "prosecution_review", "received": "2027-01-06"}).content.decode()
    assert '<div class="due-date mono">2027-02-09</div>' in body
    assert "2027-02-06 为周末休息日，顺延至 2027-02-09" in body
    assert "2027年放假安排未收录，仅按周末顺延" in body


def test_only_the_system_administrator_edits_overrides(world, client):
    for role in ("pros_a", "cm", "secadmin", "auditadmin"):
        client.force_login(world.people[role])
        assert client.get(reverse("admin:deadlines_holidayoverride_changelist")).status_code in (302, 403)
    client.force_login(world.people["sysadmin"])
    assert client.get(reverse("admin:deadlines_holidayoverride_changelist")).status_code == 200
