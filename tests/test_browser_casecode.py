"""The case code in a real browser (Debian's chromium driven by Playwright), each step done by the
role that does it (issue 4: score → scan → review request → re-score):

the 承办检察官 scores a 审查逮捕 case with deductions and 补充侦查提纲 items and issues its QR link →
anyone with the link sees the colour and the deductions with the suspect's name masked → the
investigator of the source agency disputes a deduction (复核申请) → the prosecutor accepts it and
the case is re-scored to a new colour.
"""

from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from django.utils import timezone

from bihuan.casecode.models import CaseCode, Evaluation, InquiryItem, ReviewRequest, Scan, ScoreItem
from tests import factories as f
from tests.test_browser import CHROMIUM, chromium_page, restore_migration_rows  # noqa: F401
from tests.test_browser_closed_loop import log_in, log_out

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is missing: apt-get install chromium"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SUSPECT = "张三丰"
FACTS = ("客观行为与危害结果", 6, f"案发现场监控录像未调取，犯罪嫌疑人{SUSPECT}的作案过程仅有被害人陈述证实。")
PROPERTY = ("涉案财物", 8, f"赃款去向不明，未调取犯罪嫌疑人{SUSPECT}的银行账户交易流水。")


def deduct(page, item: ScoreItem, points: int, reason: str) -> None:
    """Fill one deduction and its 补充侦查提纲 item (问题, 目的, 事项, 要求) on the scoring form."""
    page.get_by_label(f"{item.name}扣分", exact=True).fill(str(points))
    page.get_by_label(f"{item.name}扣分理由", exact=True).fill(reason)
    page.locator("summary", has_text=f"补充侦查提纲（{item.name}）").click()
    texts = {
        "problem": f"{item.name}证据不足。",
        "purpose": "查清案件事实。",
        "matters": f"补充调取{item.name}相关证据。",
        "requirement": "十日内补充移送。",
    }
    for part, text in texts.items():
        page.fill(f"[name=i{item.pk}_{part}]", text)


def test_score_scan_review_rescore(live_server, monkeypatch):
    # The test checks the database between browser steps; Playwright's sync API keeps an event
    # loop in this thread, which Django's guard would take for async code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    city = f.make_org("371000")
    county = f.make_org("371002", parent=city)
    criminal = f.make_department(county)
    team = f.make_team(criminal, "办案一组")
    agency = f.make_agency(county, "威海市公安局环翠分局")
    prosecutor = f.make_person(["prosecutor"], org=county, department=criminal, team=team, username="pros")
    investigator = f.make_person(["investigator"], agency=agency, username="police")
    case = f.make_case(
        county,
        case_type="arrest_review",
        department=criminal,
        team=team,
        prosecutor=prosecutor,
        source_agency=agency,
        received=timezone.localdate() - timedelta(days=2),
        name=f"{SUSPECT}盗窃案",
    )
    f.make_suspect(case, SUSPECT)
    items = {item.name: item for item in ScoreItem.objects.filter(template__is_active=True)}

    with chromium_page(live_server.url) as page:
        from playwright.sync_api import expect

        # 1. The prosecutor scores the case from its page: 100 − 6 − 8 = 86, a yellow code.
        log_in(page, prosecutor)
        page.goto(case.get_absolute_url())
        page.locator(".casecode-panel").get_by_role("link", name="评分", exact=True).click()
        for name, points, reason in (FACTS, PROPERTY):
            deduct(page, items[name], points, reason)
        expect(page.locator("#score-preview")).to_contain_text("86")
        expect(page.locator("#score-preview")).to_contain_text("黄码")
        page.get_by_role("button", name="提交评分").click()
        page.wait_for_url(f"**{reverse('casecode:case', args=[case.pk])}")
        expect(page.locator(".stats").first).to_contain_text("黄码")
        expect(page.locator(".stats").first).to_contain_text("86.0")
        code = CaseCode.objects.get(case=case)
        assert (code.score, code.colour, code.current.seq) == (86, "yellow", 1)
        assert InquiryItem.objects.filter(case=case, closed_in=None).count() == 2

        # 2. It issues the QR link on the case page.
        page.goto(case.get_absolute_url())
        page.locator(".share-panel").get_by_role("button", name="生成链接").click()
        page.wait_for_load_state()
        link = urlsplit(page.locator(".share-url code").inner_text()).path
        assert link.startswith("/casecode/s/")
        log_out(page)

        # 3. Anyone with the link (no login) sees the code; the suspect's name is masked.
        scanner = page.context.browser.new_context(base_url=live_server.url, locale="zh-CN").new_page()
        assert scanner.goto(link).status == 200
        sheet = scanner.locator("main")
        expect(sheet).to_contain_text("黄码")
        expect(sheet).to_contain_text("86.0")
        expect(sheet).to_contain_text(case.dept_case_no)
        expect(sheet).to_contain_text("赃款去向不明，未调取犯罪嫌疑人张某某的银行账户交易流水。")
        expect(sheet).to_contain_text("犯罪嫌疑人：张某某")
        assert SUSPECT not in scanner.content()
        assert "退出" not in scanner.content()  # no Bihuan session, no menu
        scanner.context.close()
        assert Scan.objects.filter(case=case).count() == 1

        # 4. The investigator of the source agency disputes the 涉案财物 deduction.
        log_in(page, investigator)
        page.get_by_role("link", name="本单位案件码").click()
        page.get_by_role("link", name=case.dept_case_no).click()
        expect(page.locator("main")).to_contain_text("张某某")
        assert SUSPECT not in page.content()
        page.get_by_label("涉案财物的异议理由").fill("银行账户交易流水已调取，随补充卷第2册移送，请核实。")
        page.get_by_role("button", name="提交复核申请").click()
        page.wait_for_load_state()
        expect(page.locator("main")).to_contain_text("待评议")
        review = ReviewRequest.objects.get(case=case)
        assert (review.status, review.filed_by_id) == ("pending", investigator.pk)
        log_out(page)

        # 5. The prosecutor accepts it with the investigator: the case is re-scored to 94, green.
        log_in(page, prosecutor)
        page.goto(case.get_absolute_url())
        panel = page.locator(".casecode-review-panel")
        expect(panel).to_contain_text("银行账户交易流水已调取")
        panel.get_by_label("评议结果").select_option(label="采纳")
        panel.get_by_label("评议理由").fill("经共同核实，交易流水已在卷，扣分理由不再成立。")
        panel.locator("#agreed-by").select_option(label=str(investigator))
        panel.get_by_role("button", name="记录评议结果").click()
        page.wait_for_load_state()
        expect(page.locator(".casecode-panel .stats")).to_contain_text("绿码")
        expect(page.locator(".casecode-panel .stats")).to_contain_text("94.0")

    review.refresh_from_db()
    assert (review.status, review.decision, review.agreed_by_id) == ("decided", "accept", investigator.pk)
    code.refresh_from_db()
    assert (code.score, code.colour, code.current_id) == (94, "green", review.result_id)
    assert list(Evaluation.objects.filter(case=case).values_list("seq", "reason", "colour")) == [
        (1, "first", "yellow"),
        (2, "review", "green"),
    ]
    # The restored item's 补充侦查提纲 item is closed (销号); the other stays open.
    open_items = InquiryItem.objects.filter(case=case, closed_in=None).values_list("item__name", flat=True)
    assert list(open_items) == ["客观行为与危害结果"]
