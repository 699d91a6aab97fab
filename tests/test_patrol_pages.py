"""The patrol's pages: the board's counts against hand-made findings, who sees what (200 / 403 /
404), the notice register with the department's reply and the office's verification, false
alarms and disputed prompts, the rule catalogue and the playground, the workbench and case panels."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bihuan.patrol.models import (
    CloseReason,
    Finding,
    FindingStatus,
    Light,
    Notice,
    Reply,
    Rule,
    Run,
    Severity,
    Verification,
)
from bihuan.patrol.tasks import patrol_full

TODAY = timezone.localdate()
BLANK_SUMMARY = {
    "subject": "case",
    "when": {"blank": "case.summary"},
    "show": [{"label": "简要案情", "value": "case.summary", "source": "案卡"}],
}


def make_rule(code: str, severity: str = Severity.MINOR, **fields) -> Rule:
    fields.setdefault("name", f"测试规则{code}")
    fields.setdefault("category", "card")
    fields.setdefault("basis", "《人民检察院刑事诉讼规则》第664条")
    fields.setdefault("message", f"问题{code}")
    fields.setdefault("definition", BLANK_SUMMARY)
    return Rule.objects.create(code=code, severity=severity, **fields)


def at(days_ago: int) -> datetime:
    """Noon, local time, `days_ago` days before today."""
    return datetime.combine(TODAY - timedelta(days=days_ago), time(12), tzinfo=timezone.get_current_timezone())


def make_finding(
    case, rule: Rule, *, days_ago: int = 0, opened: datetime | None = None, notice: Notice | None = None, **fields
) -> Finding:
    opened = opened or at(days_ago)
    fields.setdefault("subject", f"case:{case.pk}")
    fields.setdefault("severity", rule.severity)
    return Finding.objects.create(
        rule=rule,
        case=case,
        org=case.org,
        department=case.department,
        team=case.team,
        prosecutor=case.prosecutor,
        message=fields.pop("message", rule.message),
        values=[{"label": "案卡出生日期", "value": "1990-05-17", "source": "案卡"}],
        opened_at=opened,
        last_seen_at=opened,
        reply_due=opened.date() + timedelta(days=rule.reply_days),
        notice=notice,
        **fields,
    )


def make_notice(case, number: str, *, severity: str = Severity.SERIOUS, light: str = Light.YELLOW, **fields) -> Notice:
    return Notice.objects.create(
        number=number,
        org=case.org,
        department=case.department,
        case=case,
        severity=severity,
        reported_to_chief=severity == Severity.GRAVE,
        issued_at=fields.pop("issued_at", None) or at(fields.pop("days_ago", 0)),
        reply_due=fields.pop("reply_due", TODAY + timedelta(days=10)),
        light=light,
        **fields,
    )


def client_of(world, role: str) -> Client:
    client = Client()
    client.force_login(world.people[role])
    return client


def token(client: Client, url: str) -> str:
    """A fresh once-only token, read from the page that carries the form."""
    page = client.get(url).content.decode()
    marker = 'name="submit_token" value="'
    start = page.index(marker) + len(marker)
    return page[start : page.index('"', start)]


@pytest.fixture
def board(world):
    """Findings on case_a and case_b (county) and case_city, of every severity and age."""
    minor, serious, grave = make_rule("T-001"), make_rule("T-002", Severity.SERIOUS), make_rule("T-003", Severity.GRAVE)
    red = make_notice(
        world.case_b, "测检案管监〔2024〕1号", light=Light.RED, days_ago=15, reply_due=TODAY - timedelta(1)
    )
    rows = {
        "a_minor_new": make_finding(world.case_a, minor, days_ago=1),
        "a_serious_mid": make_finding(world.case_a, serious, days_ago=5),
        "b_grave_old": make_finding(world.case_b, grave, days_ago=15, notice=red),
        "b_minor_edge": make_finding(world.case_b, minor, days_ago=3),
        "b_minor_closed": make_finding(
            world.case_b,
            minor,
            days_ago=20,
            subject="suspect:1",
            status=FindingStatus.CLOSED,
            close_reason=CloseReason.VERIFIED,
            closed_at=at(2),
        ),
        "city_minor": make_finding(world.case_city, minor, days_ago=11),
    }
    return {"rules": (minor, serious, grave), "red": red, **rows}


# --- the board ----------------------------------------------------------------------------------


def test_the_board_counts_the_open_findings_every_way(world, board):
    # A yellow notice due earlier still comes after the red one.
    make_notice(world.case_a, "测检案管监〔2024〕5号", reply_due=TODAY - timedelta(days=3))
    response = client_of(world, "cm").get(reverse("patrol:board"))
    assert response.status_code == 200
    ctx = response.context
    # The county's case manager: case_a and case_b, not the city's; the closed one not counted.
    assert ctx["summary"]["total"] == 4
    assert [(key, n) for key, _, n in ctx["severities"]] == [("minor", 2), ("serious", 1), ("grave", 1)]
    # Open 1 and 3 days → ≤3; 5 days → 4–10; 15 days → >10.
    assert [n for _, _, n in ctx["ages"]] == [2, 1, 1]
    assert [(row["label"].split(" · ")[0], row["n"]) for row in ctx["by_department"]] == [("第一检察部", 4)]
    minor, serious, grave = board["rules"]
    assert [(row["rule"], row["n"]) for row in ctx["by_rule"]] == [(minor.pk, 2), (serious.pk, 1), (grave.pk, 1)]
    # The red light first, and its count.
    assert ctx["red_count"] == 1
    assert ctx["notices"][0] == board["red"]


def test_every_board_count_opens_its_findings(world, board):
    client = client_of(world, "cm")
    listed = lambda query: {f.pk for f in client.get(f"{reverse('patrol:findings')}?{query}").context["page"].rows}  # noqa: E731
    assert listed("severity=minor") == {board["a_minor_new"].pk, board["b_minor_edge"].pk}
    assert listed("age=0-3") == {board["a_minor_new"].pk, board["b_minor_edge"].pk}
    assert listed("age=4-10") == {board["a_serious_mid"].pk}
    assert listed("age=11-") == {board["b_grave_old"].pk}
    assert listed("light=red") == {board["b_grave_old"].pk}
    assert listed(f"rule={board['rules'][1].pk}") == {board["a_serious_mid"].pk}
    assert listed("status=closed&reason=corrected") == {board["b_minor_closed"].pk}


def test_the_board_filters_narrow_the_counts(world, board):
    response = client_of(world, "cm").get(reverse("patrol:board"), {"severity": "minor", "light": ""})
    assert response.context["summary"]["total"] == 2


@pytest.mark.parametrize(
    ("role", "status", "total"),
    [
        ("cm", 200, 4),
        ("chief", 200, 4),
        ("deputy", 200, 4),
        ("head", 200, 4),
        ("city_chief", 200, 5),  # the city and the county below it
        ("pros_a", 200, 2),  # their own cases only
        ("pros_a2", 200, 0),  # the same team, not their case
        ("other_chief", 200, 0),
        ("assistant_a", 403, None),
        ("clerk_b", 403, None),
        ("investigator", 403, None),
        ("sysadmin", 403, None),
        ("secadmin", 403, None),
        ("auditadmin", 403, None),
    ],
)
def test_who_reads_the_board(world, board, role, status, total):
    response = client_of(world, role).get(reverse("patrol:board"))
    assert response.status_code == status
    if total is not None:
        assert response.context["summary"]["total"] == total


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("cm", 200),
        ("head", 200),
        ("pros_a", 200),
        ("city_chief", 200),
        ("pros_a2", 404),  # reads the team's case, not its findings
        ("pros_b", 404),
        ("other_chief", 404),
        ("sysadmin", 403),
        ("auditadmin", 403),
    ],
)
def test_who_opens_a_finding(world, board, role, status):
    finding = board["a_serious_mid"]
    client = client_of(world, role)
    response = client.get(reverse("patrol:finding", args=[finding.pk]))
    assert response.status_code == status
    missing = client.get(reverse("patrol:finding", args=[finding.pk + 1000]))
    assert missing.status_code == (403 if status == 403 else 404)


def test_the_finding_page_shows_the_rule_the_values_and_the_case(world, board):
    finding = board["b_grave_old"]
    page = client_of(world, "cm").get(reverse("patrol:finding", args=[finding.pk])).content.decode()
    assert finding.rule.basis in page
    assert "案卡出生日期" in page and "1990-05-17" in page
    assert world.case_b.name in page
    assert board["red"].number in page
    assert "误报销号" in page


def test_the_office_marks_a_false_alarm(world, board):
    finding = board["a_minor_new"]
    url = reverse("patrol:finding", args=[finding.pk])
    client = client_of(world, "cm")
    response = client.post(
        reverse("patrol:false_alarm", args=[finding.pk]), {"note": "案卡已载明", "submit_token": token(client, url)}
    )
    assert response.status_code == 302
    finding.refresh_from_db()
    assert (finding.status, finding.close_reason) == (FindingStatus.CLOSED, CloseReason.FALSE_ALARM)


@pytest.mark.parametrize("role", ["head", "pros_a", "city_chief"])
def test_only_the_office_of_the_procuratorate_marks_false_alarms(world, board, role):
    finding = board["a_minor_new"]
    response = client_of(world, role).post(reverse("patrol:false_alarm", args=[finding.pk]), {"note": "x"})
    assert response.status_code == 403
    finding.refresh_from_db()
    assert finding.status == FindingStatus.OPEN


def test_the_handler_disputes_a_prompt_and_the_office_keeps_it(world, board):
    finding = board["a_minor_new"]
    case_page = reverse("cases:detail", args=[world.case_a.pk])
    handler = client_of(world, "pros_a")
    assert "申辩" in handler.get(case_page).content.decode()
    handler.post(
        reverse("patrol:dispute", args=[finding.pk]),
        {"reasons": "简要案情已补录", "submit_token": token(handler, case_page)},
    )
    finding.refresh_from_db()
    assert finding.status == FindingStatus.REPLIED
    office = client_of(world, "cm")
    url = reverse("patrol:finding", args=[finding.pk])
    page = office.get(url).content.decode()
    assert "维持（重新打开）" in page and "简要案情已补录" in page
    office.post(reverse("patrol:reopen", args=[finding.pk]), {"note": "仍未补录", "submit_token": token(office, url)})
    finding.refresh_from_db()
    assert (finding.status, finding.reopened) == (FindingStatus.OPEN, 1)


def test_another_prosecutor_cannot_dispute(world, board):
    finding = board["a_minor_new"]
    assert (
        client_of(world, "pros_b").post(reverse("patrol:dispute", args=[finding.pk]), {"reasons": "x"}).status_code
        == 404
    )
    assert (
        client_of(world, "head").post(reverse("patrol:dispute", args=[finding.pk]), {"reasons": "x"}).status_code == 403
    )


# --- the notice register, the reply and the verification -----------------------------------------


def test_the_register_lists_the_notices_with_their_lights(world, board):
    later = make_notice(world.case_a, "测检案管监〔2024〕2号")
    response = client_of(world, "cm").get(reverse("patrol:notices"))
    assert [n.pk for n in response.context["page"].rows] == [later.pk, board["red"].pk]
    page = response.content.decode()
    assert "红灯" in page and "黄灯" in page
    red = client_of(world, "cm").get(reverse("patrol:notices"), {"light": "red"})
    assert [n.pk for n in red.context["page"].rows] == [board["red"].pk]
    assert client_of(world, "pros_b").get(reverse("patrol:notices")).context["page"].rows == [board["red"]]
    assert client_of(world, "pros_a").get(reverse("patrol:notices")).context["page"].rows == [later]
    assert client_of(world, "sysadmin").get(reverse("patrol:notices")).status_code == 403


def test_the_department_replies_and_the_office_verifies_through_the_pages(world, board):
    notice = board["red"]
    finding = board["b_grave_old"]
    url = reverse("patrol:notice", args=[notice.pk])
    head = client_of(world, "head")
    assert "提交回复" in head.get(url).content.decode()
    response = head.post(
        reverse("patrol:reply", args=[notice.pk]),
        {
            "findings_checked": "经核查，案卡出生日期录入有误",
            "outcome": "rectified",
            "reasons": "",
            "submit_token": token(head, url),
        },
    )
    assert response.status_code == 302
    reply = Reply.objects.get(notice=notice)
    assert reply.late  # due yesterday
    finding.refresh_from_db()
    assert finding.status == FindingStatus.REPLIED
    office = client_of(world, "cm")
    assert "提交核查" in office.get(url).content.decode()
    office.post(
        reverse("patrol:verify", args=[notice.pk]),
        {"verdict": "close", "note": "已整改到位", "submit_token": token(office, url)},
    )
    assert Verification.objects.get(notice=notice).closed
    finding.refresh_from_db()
    notice.refresh_from_db()
    assert (finding.status, finding.close_reason) == (FindingStatus.CLOSED, CloseReason.VERIFIED)
    assert notice.closed_at is not None
    page = office.get(url).content.decode()
    assert "经核查，案卡出生日期录入有误" in page and "已整改到位" in page


def test_a_dispute_needs_reasons(world, board):
    notice = board["red"]
    url = reverse("patrol:notice", args=[notice.pk])
    head = client_of(world, "head")
    head.post(
        reverse("patrol:reply", args=[notice.pk]),
        {"findings_checked": "已核查", "outcome": "disputed", "reasons": "", "submit_token": token(head, url)},
    )
    assert not Reply.objects.filter(notice=notice).exists()


@pytest.mark.parametrize(("role", "status"), [("cm", 403), ("pros_a", 404), ("other_chief", 404), ("sysadmin", 403)])
def test_who_may_not_reply(world, board, role, status):
    notice = board["red"]
    response = client_of(world, role).post(
        reverse("patrol:reply", args=[notice.pk]), {"findings_checked": "x", "outcome": "rectified"}
    )
    assert response.status_code == status
    assert not Reply.objects.filter(notice=notice).exists()


def test_the_head_may_not_verify(world, board):
    response = client_of(world, "head").post(
        reverse("patrol:verify", args=[board["red"].pk]), {"verdict": "close", "note": "x"}
    )
    assert response.status_code == 403


def test_the_notice_downloads_as_docx(world, board):
    response = client_of(world, "head").get(reverse("patrol:notice_docx", args=[board["red"].pk]))
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert response.content[:2] == b"PK"


# --- the rule catalogue and the playground --------------------------------------------------------


def test_the_catalogue_counts_hits_and_false_alarms(world, board):
    minor = board["rules"][0]
    make_finding(
        world.case_a,
        minor,
        subject="suspect:2",
        status=FindingStatus.CLOSED,
        close_reason=CloseReason.FALSE_ALARM,
        closed_at=at(1),
    )
    response = client_of(world, "cm").get(reverse("patrol:rules"))
    assert response.status_code == 200
    rule = next(r for r in response.context["rules"] if r.pk == minor.pk)
    # a_minor_new, b_minor_edge open; b_minor_closed and the false alarm closed (city's not in scope).
    assert (rule.counts["open"], rule.counts["total"], rule.counts["false_alarms"], rule.counts["rate"]) == (
        2,
        4,
        1,
        25.0,
    )


def test_the_rule_page_shows_the_definition_and_the_office_stops_the_rule(world, board):
    rule = board["rules"][0]
    url = reverse("patrol:rule", args=[rule.pk])
    office = client_of(world, "cm")
    page = office.get(url).content.decode()
    assert "&quot;blank&quot;: &quot;case.summary&quot;" in page
    assert "停用规则" in page
    office.post(reverse("patrol:rule_enable", args=[rule.pk]), {"enabled": "0", "submit_token": token(office, url)})
    rule.refresh_from_db()
    assert not rule.enabled
    assert (
        client_of(world, "head").post(reverse("patrol:rule_enable", args=[rule.pk]), {"enabled": "1"}).status_code
        == 403
    )
    assert client_of(world, "head").get(reverse("patrol:rule", args=[rule.pk + 1000])).status_code == 404


def test_the_playground_names_the_errors_of_a_bad_definition(world):
    office = client_of(world, "cm")
    bad = "subject: case\nwhen:\n  all:\n    - blank: case.summry\nshow: []\n"
    response = office.post(reverse("patrol:playground"), {"definition": bad})
    assert response.status_code == 200
    errors = response.context["errors"]
    assert errors and "when.all[0]" in errors[0]
    unparsable = office.post(reverse("patrol:playground"), {"definition": "when: [unclosed"})
    assert unparsable.context["form"].errors["definition"]


def test_the_playground_runs_a_good_definition(world):
    # case_a and case_b have no summary; case_city and case_other neither (the county's office sees two).
    office = client_of(world, "cm")
    response = office.post(
        reverse("patrol:playground"),
        {"definition": '{"subject": "case", "when": {"blank": "case.summary"}, "show": []}', "try": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.context["result"].hits >= 4
    assert {d.case_id for d, _ in response.context["details"]} == {world.case_a.pk, world.case_b.pk}
    assert world.case_a.name in response.content.decode()
    assert world.case_city.name not in response.content.decode()


def test_the_playground_saves_a_disabled_rule(world):
    office = client_of(world, "cm")
    url = reverse("patrol:playground")
    response = office.post(
        url,
        {
            "definition": "subject: case\nwhen: {blank: case.summary}\nshow: []\n",
            "case_types": ["prosecution_review"],
            "code": "TEST-902",
            "name": "简要案情未填录",
            "category": "card",
            "severity": "minor",
            "basis": "《人民检察院刑事诉讼规则》第664条",
            "message": "简要案情未填录",
            "reply_days": 10,
            "save": "1",
            "submit_token": token(office, url),
        },
    )
    rule = Rule.objects.get(code="TEST-902")
    assert response.status_code == 302 and response["Location"] == reverse("patrol:rule", args=[rule.pk])
    assert not rule.enabled
    assert rule.case_types == ["prosecution_review"]


@pytest.mark.parametrize("role", ["head", "chief", "pros_a", "sysadmin"])
def test_only_the_office_uses_the_playground(world, role):
    assert client_of(world, role).get(reverse("patrol:playground")).status_code == 403


# --- the full patrol, the menu and the panels -----------------------------------------------------


def test_the_office_runs_a_full_patrol_from_the_board(world):
    office = client_of(world, "cm")
    url = reverse("patrol:board")
    response = office.post(reverse("patrol:run"), {"submit_token": token(office, url)})
    assert response.status_code == 302
    assert not Run.objects.exists()  # not in the request: queued for the worker
    queued = DBTaskResult.objects.get(task_path="bihuan.patrol.tasks.patrol_full")
    assert queued.args_kwargs["args"] == [world.people["cm"].pk]
    patrol_full.call(*queued.args_kwargs["args"])
    run = Run.objects.get()
    assert run.triggered_by == world.people["cm"]
    assert run.cases_checked >= 4
    assert office.get(url).context["runs"] == [run]
    assert client_of(world, "head").post(reverse("patrol:run")).status_code == 403


def test_the_menu_entry(world):
    for role in ("cm", "head", "chief", "deputy"):
        assert "电子巡逻车" in client_of(world, role).get(reverse("web:workbench")).content.decode(), role
    for role in ("pros_a", "assistant_a", "sysadmin"):
        assert "电子巡逻车" not in client_of(world, role).get(reverse("web:workbench")).content.decode(), role


def test_the_workbench_shows_the_handlers_prompts(world, board):
    page = client_of(world, "pros_a").get(reverse("web:workbench")).content.decode()
    assert "巡查提示" in page
    assert board["a_minor_new"].message in page
    assert "巡查提示" not in client_of(world, "pros_a2").get(reverse("web:workbench")).content.decode()


def test_the_case_page_shows_open_and_recently_closed_findings(world, board):
    long_ago = make_finding(
        world.case_b,
        board["rules"][1],
        days_ago=90,
        status=FindingStatus.CLOSED,
        close_reason=CloseReason.RESOLVED,
        closed_at=at(60),
        message="很久以前销号的问题",
    )
    response = client_of(world, "head").get(reverse("cases:detail", args=[world.case_b.pk]))
    page = response.content.decode()
    assert board["b_grave_old"].message in page
    assert "核查整改到位" in page  # b_minor_closed, closed two days ago
    assert long_ago.message not in page
    # The same team's prosecutor reads the case, not its findings.
    assert (
        'id="patrol-panel"'
        not in client_of(world, "pros_a2").get(reverse("cases:detail", args=[world.case_a.pk])).content.decode()
    )


def test_a_report_notice_without_a_case(world):
    rule = make_rule(
        "TEST-901",
        Severity.SERIOUS,
        definition={"subject": "report", "when": {"ne": ["report.value", "report.counted"]}, "show": []},
    )
    notice = Notice.objects.create(
        number="测检案管监〔2024〕9号",
        org=world.county,
        department=world.county_dept,
        case=None,
        severity=Severity.SERIOUS,
        issued_at=at(0),
        reply_due=TODAY + timedelta(days=10),
    )
    Finding.objects.create(
        rule=rule,
        subject=f"report:{world.county.pk}:{world.county_dept.pk}:2024-05:intake",
        org=world.county,
        department=world.county_dept,
        severity=Severity.SERIOUS,
        message="业务报表受理数与案卡不一致",
        opened_at=at(0),
        last_seen_at=at(0),
        reply_due=TODAY + timedelta(days=10),
        notice=notice,
    )
    office = client_of(world, "cm")
    assert [n.pk for n in office.get(reverse("patrol:notices")).context["page"].rows] == [notice.pk]
    page = office.get(reverse("patrol:notice", args=[notice.pk])).content.decode()
    assert "业务报表（" in page and not re.search(r'href="/cases/\d+/"', page)
    assert client_of(world, "other_chief").get(reverse("patrol:notice", args=[notice.pk])).status_code == 404


# --- the Django admin -----------------------------------------------------------------------------


def admin_rule(**overrides) -> dict:
    data = {
        "code": "TEST-903",
        "name": "简要案情未填录",
        "category": "card",
        "severity": "minor",
        "basis": "《人民检察院刑事诉讼规则》第664条",
        "message": "简要案情未填录",
        "reply_days": "10",
        "case_types": ["prosecution_review"],
        "definition": '{"subject": "case", "when": {"blank": "case.summary"}, "show": []}',
        "enabled": "on",
    }
    return {**data, **overrides}


def test_the_admin_checks_a_rule_and_saves_it_through_the_actions(world):
    admin = client_of(world, "sysadmin")
    bad = admin.post(
        reverse("admin:patrol_rule_add"),
        admin_rule(definition='{"subject": "case", "when": {"blank": "case.summry"}, "show": []}'),
    )
    assert bad.status_code == 200
    assert any("when" in e for e in bad.context["adminform"].form.errors["definition"])
    assert not Rule.objects.filter(code="TEST-903").exists()
    assert admin.post(reverse("admin:patrol_rule_add"), admin_rule()).status_code == 302
    rule = Rule.objects.get(code="TEST-903")
    assert (rule.enabled, rule.version, rule.case_types) == (True, 1, ["prosecution_review"])
    changed = admin.post(
        reverse("admin:patrol_rule_change", args=[rule.pk]), admin_rule(severity="serious", enabled="")
    )
    assert changed.status_code == 302
    rule.refresh_from_db()
    assert (rule.severity, rule.version, rule.enabled) == ("serious", 2, False)


def test_the_admin_shows_runs_read_only(world):
    run = Run.objects.create(kind="case", case=world.case_a, started_at=timezone.now())
    admin = client_of(world, "sysadmin")
    page = admin.get(reverse("admin:patrol_run_change", args=[run.pk])).content.decode()
    assert world.case_a.name not in page
    assert admin.get(reverse("admin:patrol_run_add")).status_code == 403
