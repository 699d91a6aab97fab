"""The patrol's loop in a real browser (Debian's chromium driven by Playwright), each step done by
the role that does it (Rule 665): the case manager finds a problem on the board and opens it and
its notice → the department head replies in writing (已整改) → the case manager verifies and
closes it (销号)."""

import pytest
from django.urls import reverse

from bihuan.patrol.models import CloseReason, Finding, FindingStatus, Severity
from tests import factories as f
from tests.test_browser import CHROMIUM, chromium_page, restore_migration_rows  # noqa: F401
from tests.test_browser_closed_loop import log_in, log_out
from tests.test_patrol_pages import make_finding, make_notice, make_rule

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is missing: apt-get install chromium"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MESSAGE = "起诉书所载被告人出生日期与案卡不一致"


def test_board_finding_reply_verify(live_server, monkeypatch):
    # The test checks the database between browser steps; Playwright's sync API keeps an event
    # loop in this thread, which Django's guard would take for async code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    county = f.make_org("371002")
    criminal = f.make_department(county)
    office = f.make_department(county, "案件管理部", "case_mgmt")
    prosecutor = f.make_person(["prosecutor"], org=county, department=criminal, username="pros")
    head = f.make_person(["dept_head"], org=county, department=criminal, username="head")
    manager = f.make_person(["case_manager"], org=county, department=office, username="cm")
    case = f.make_case(county, department=criminal, prosecutor=prosecutor, name="张某某盗窃案")
    rule = make_rule("T-201", Severity.SERIOUS, message=MESSAGE)
    notice = make_notice(case, "测检案管监〔2024〕7号")
    finding = make_finding(case, rule, days_ago=2, notice=notice)

    with chromium_page(live_server.url) as page:
        from playwright.sync_api import expect

        # 1. The case manager sees the finding on the board and opens it, then its notice.
        log_in(page, manager)
        page.goto(reverse("patrol:board"))
        expect(page.locator(".stat.total .n")).to_have_text("1")
        page.get_by_role("link", name=MESSAGE).first.click()
        expect(page.locator("h1")).to_have_text(MESSAGE)
        expect(page.get_by_text("案卡出生日期").first).to_be_visible()
        page.get_by_role("link", name=notice.number).first.click()
        expect(page.get_by_role("button", name="提交核查")).to_have_count(0)  # nothing to verify yet
        log_out(page)

        # 2. The department head replies in writing: rectified.
        log_in(page, head)
        page.goto(reverse("patrol:notice", args=[notice.pk]))
        page.fill("textarea[name=findings_checked]", "经核查，案卡出生日期录入错误，已按起诉书更正。")
        page.check("input[name=outcome][value=rectified]")
        page.get_by_role("button", name="提交回复").click()
        expect(page.locator(".messages")).to_contain_text("回复已提交")
        log_out(page)

        # 3. The case manager verifies and closes it.
        log_in(page, manager)
        page.goto(reverse("patrol:notice", args=[notice.pk]))
        expect(page.get_by_text("经核查，案卡出生日期录入错误").first).to_be_visible()
        page.check("input[name=verdict][value=close]")
        page.fill("textarea[name=note]", "已核对案卡，整改到位。")
        page.get_by_role("button", name="提交核查").click()
        expect(page.locator(".messages")).to_contain_text("已核查销号")
        expect(page.locator(".page-head .sub")).to_contain_text("已办结")

    finding = Finding.objects.get(pk=finding.pk)
    assert (finding.status, finding.close_reason) == (FindingStatus.CLOSED, CloseReason.VERIFIED)
