"""The whole closed loop of one case in a real browser (Debian's chromium driven by Playwright),
each step done by the role that does it in a procuratorate:

案管 registers and accepts → the rules triage it and assign it → the 承办检察官 reviews and
proposes 退回补充侦查 → the 部门主任 approves → the prosecutor records it → 案管 registers the
重新移送 → the prosecutor proposes 起诉 → the 部门主任 approves → the prosecutor records it and the
case is concluded, with its period restarted on re-transfer and every step in the timeline.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bihuan.cases.models import Case, Charge, ProceduralLink, Tag
from bihuan.deadlines.models import running_due
from bihuan.lib import idnumber
from tests import factories as f
from tests.test_browser import CHROMIUM, chromium_page, restore_migration_rows  # noqa: F401

pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is missing: apt-get install chromium"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def log_in(page, user) -> None:
    page.goto(reverse("web:login"))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", f.PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/")


def log_out(page) -> None:
    page.goto(reverse("web:workbench"))
    page.get_by_role("button", name="退出").click()


def workflow_form(page, button: str):
    """The workflow form whose submit button reads `button`."""
    return page.locator("#workflow form", has=page.get_by_role("button", name=button, exact=True)).first


def submit_workflow(page, button: str, **fields) -> None:
    form = workflow_form(page, button)
    for name, value in fields.items():
        field = form.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(label=value)
        else:
            field.fill(value)
    form.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()


def test_register_triage_assign_return_retransfer_approve_close(live_server, monkeypatch):
    # The test checks the database between browser steps; Playwright's sync API keeps an event
    # loop in this thread, which Django's guard would take for async code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    city = f.make_org("371000")
    county = f.make_org("371002", parent=city)
    criminal = f.make_department(county)
    f.make_department(county, "案件管理部", "case_mgmt")
    fast_team = f.make_team(criminal, "快审团队", fast_track=True)
    agency = f.make_agency(county, "威海市公安局环翠分局")
    cm = f.make_person(["case_manager"], org=county, username="cm")
    prosecutor = f.make_person(["prosecutor"], org=county, department=criminal, team=fast_team, username="pros")
    head = f.make_person(["dept_head"], org=county, department=criminal, username="head")
    Tag.objects.get_or_create(name="认罪认罚")
    received = timezone.localdate() - timedelta(days=3)
    birth = date(1990, 5, 17)

    with chromium_page(live_server.url) as page:
        # 1. 案管 registers the case with its suspect and the materials handed over.
        log_in(page, cm)
        page.goto(reverse("intake:register"))
        page.select_option("select[name=case_type]", label="审查起诉")
        page.fill("input[name=name]", "刘某某危险驾驶案")
        page.select_option("select[name=source_agency]", label=agency.name)
        page.select_option("select[name=charge]", label="危险驾驶罪")
        page.fill("input[name=received_date]", received.isoformat())
        page.select_option("select[name=procedure]", label="速裁程序")
        page.select_option("select[name=likely_sentence]", label="一年以下有期徒刑及以下")
        for box in page.locator("input[name=materials]").all():
            if box.get_attribute("value") != "提请批准逮捕书":  # an 审查逮捕 material
                box.check()
        page.fill("input[name=s-0-name]", "刘某某")
        page.select_option("select[name=s-0-gender]", label="男")
        page.fill("input[name=s-0-id_number]", idnumber.make("371002", birth, 1, "M"))
        page.fill("input[name=s-0-birth_date]", birth.isoformat())
        page.check("input[name=s-0-plea]")
        page.select_option("select[name=s-0-measure_kind]", label="取保候审")
        page.fill("input[name=s-0-measure_start]", received.isoformat())
        page.get_by_role("button", name="登记", exact=True).click()
        page.wait_for_load_state()
        assert Case.objects.filter(name="刘某某危险驾驶案").exists(), page.locator(".errorlist").all_inner_texts()
        case = Case.objects.get(name="刘某某危险驾驶案")
        assert case.stage == "registered"
        assert case.dept_case_no in page.content()

        # 2. The materials are complete: 案管 accepts; triage and assignment follow by the rules.
        page.get_by_role("button", name="受理", exact=True).click()
        page.wait_for_load_state()
        case.refresh_from_db()
        assert case.stage == "assigned", (case.stage, case.department_id, case.track, case.prosecutor_id, case.team_id)
        assert (case.track, case.team_id, case.prosecutor_id) == ("simple", fast_team.pk, prosecutor.pk)
        log_out(page)

        # 3. The 承办检察官 sees the triage rule, starts the review and proposes 退回补充侦查.
        log_in(page, prosecutor)
        page.goto(case.get_absolute_url())
        body = page.content()
        assert "简案" in body and "繁简分流" in body
        page.get_by_role("button", name="开始审查", exact=True).click()
        page.wait_for_load_state()
        reason = "血液酒精含量鉴定意见缺少送检记录，需补充侦查。"
        submit_workflow(page, "提出拟处理意见", decision_type="审查起诉·退回补充侦查", opinion=reason)
        page.get_by_role("button", name="提交审批", exact=True).click()
        page.wait_for_load_state()
        log_out(page)

        # 4. The 部门主任 approves it from the case page.
        log_in(page, head)
        page.goto(case.get_absolute_url())
        submit_workflow(page, "提交审批意见", verdict="同意", reason="同意退回补充侦查。")
        log_out(page)

        # 5. The prosecutor records the decision: the file goes back to the police.
        log_in(page, prosecutor)
        page.goto(case.get_absolute_url())
        submit_workflow(page, "记录决定")
        case.refresh_from_db()
        assert case.stage == "returned"
        assert case.due.due_kind == "supplementary"
        log_out(page)

        # 6. 案管 registers the re-transfer; the review period restarts from that day.
        log_in(page, cm)
        page.goto(case.get_absolute_url())
        retransfer = timezone.localdate()
        submit_workflow(page, "登记重新移送", received_on=retransfer.isoformat())
        case.refresh_from_db()
        assert case.stage == "reviewing"
        link = ProceduralLink.objects.get(case=case, kind="supplementary")
        assert link.end_date == retransfer
        due = running_due(case)
        assert due is not None and due >= retransfer + timedelta(days=10)
        log_out(page)

        # 7. The prosecutor proposes 起诉; the 部门主任 approves; the prosecutor records it.
        log_in(page, prosecutor)
        page.goto(case.get_absolute_url())
        reason = "事实清楚，证据确实、充分，建议提起公诉。"
        submit_workflow(page, "提出拟处理意见", decision_type="审查起诉·起诉", opinion=reason)
        page.get_by_role("button", name="提交审批", exact=True).click()
        page.wait_for_load_state()
        log_out(page)
        log_in(page, head)
        page.goto(case.get_absolute_url())
        submit_workflow(page, "提交审批意见", verdict="同意", reason="同意起诉。")
        log_out(page)
        log_in(page, prosecutor)
        page.goto(case.get_absolute_url())
        submit_workflow(page, "记录决定")
        case.refresh_from_db()
        assert (case.stage, case.outcome) == ("concluded", "prosecute")
        assert case.closed_date == timezone.localdate()
        assert running_due(case) is None

        # Every step is on the case's timeline.
        page.goto(case.get_absolute_url())
        timeline = page.locator("ol.timeline").inner_text()
        for words in ("登记案件", "受理", "分案", "退回补充侦查", "重新移送", "起诉"):
            assert words in timeline, words
        assert Charge.objects.filter(name="危险驾驶罪").exists()
