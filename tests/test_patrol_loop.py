"""The patrol's loop end to end, with the clock moved (Rule 665; domain-rules §7.5): hits open
findings; a 轻微 one is a prompt to the handler, a 较重 one a numbered notice to the department,
a 严重 one that and a report to the 检察长; the department replies, the office verifies or
reopens; late answers escalate; a fixed card closes its finding at the next patrol; a second
patrol over unchanged data opens nothing."""

from datetime import date, timedelta
from io import BytesIO

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django_tasks_db.models import DBTaskResult
from docx import Document as open_docx

from bihuan.cases.actions import do_update_case
from bihuan.cases.models import Case
from bihuan.cases.signals import cases_loaded
from bihuan.events.models import Event
from bihuan.notifications.models import Notification
from bihuan.patrol.actions import (
    PatrolRefused,
    do_dispute_prompt,
    do_escalate,
    do_mark_false_alarm,
    do_patrol_full,
    do_reopen_finding,
    do_reply,
    do_save_rule,
    do_set_rule_enabled,
    do_verify,
    try_rule,
)
from bihuan.patrol.models import Finding, Notice, Rule, Run
from bihuan.patrol.notice import FINDING_COLUMNS, issue_notices, notice_docx
from bihuan.patrol.tasks import patrol_case, patrol_cases, patrol_full
from tests.factories import make_org, make_person
from tests.patrol_loop_helpers import PATROL_DAY, make_rules

TODAY = PATROL_DAY.date()


@pytest.fixture
def loop(world):
    with time_machine.travel(PATROL_DAY, tick=False):
        rules = make_rules()
        yield world, rules


def patrol(world):
    return do_patrol_full(actor=world.people["cm"])


def fix_summary(case: Case) -> None:
    case.refresh_from_db()
    do_update_case(case, {"summary": "经审查，案情已补录。"}, actor=None, expected_version=case.row_version)


def finding_of(rule: Rule) -> Finding:
    return Finding.objects.get(rule=rule)


def notes(user, kind: str) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind=kind))


def test_a_full_patrol_prompts_the_handler_and_issues_numbered_notices(loop):
    """轻微 → a prompt to the handling prosecutor; 较重 → a notice numbered in the county's series to
    the department head; 严重 → a notice to the city's department head, reported to its 检察长."""
    world, rules = loop
    run = patrol(world)
    assert run.kind == "full"
    assert run.opened == {"minor": 1, "serious": 1, "grave": 1}
    assert run.cases_checked == Case.objects.count()
    assert run.triggered_by == world.people["cm"]
    assert Event.objects.filter(action="patrol.run", object_id=str(run.pk)).count() == 1

    prompt = finding_of(rules.minor)
    assert (prompt.case, prompt.subject, prompt.status) == (world.case_a, f"case:{world.case_a.pk}", "open")
    assert prompt.prosecutor == world.people["pros_a"]
    assert prompt.reply_due == TODAY + timedelta(days=10)
    assert prompt.notice is None
    (note,) = notes(world.people["pros_a"], "patrol_prompt")
    assert "张某某危险驾驶案" in note.title
    assert note.url == world.case_a.get_absolute_url()

    serious = finding_of(rules.serious)
    notice = serious.notice
    assert notice.number == f"{world.county.short_name}检案管监〔2024〕1号"
    assert (notice.case, notice.department, notice.severity) == (world.case_b, world.county_dept, "serious")
    assert notice.reported_to_chief is False
    assert notice.light == "yellow"
    assert notice.issued_by == world.people["cm"]
    assert notes(world.people["head"], "patrol_notice")
    assert not notes(world.people["chief"], "patrol_chief")

    grave = finding_of(rules.grave)
    assert grave.notice.number == f"{world.city.short_name}检案管监〔2024〕1号"
    assert grave.notice.reported_to_chief is True
    assert grave.notice.reply_due == TODAY + timedelta(days=7)
    assert notes(world.people["city_chief"], "patrol_chief")
    assert notes(world.people["city_head"], "patrol_notice")
    assert not notes(world.people["chief"], "patrol_chief")


def test_the_notice_docx_carries_the_number_and_the_compared_values(loop):
    world, rules = loop
    patrol(world)
    notice = finding_of(rules.serious).notice
    document = open_docx(BytesIO(notice_docx(notice)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "案件流程监控通知书" in text
    assert notice.number in text
    assert f"{world.county_dept.name}：" in text
    assert "李某某盗窃案" in text
    assert "案卡姓名：李某某（来源：案卡）" in text
    assert "简要案情：（空）（来源：案卡）" in text
    assert "第六百六十五条" in text
    assert "2024年6月13日前将核查情况书面回复" in text
    assert "（院印）" in text


def test_findings_on_report_figures_get_one_notice_per_reporting_unit(loop):
    """A report figure belongs to no case: its 较重 findings go to the reporting department in one
    notice without a case."""
    world, rules = loop
    now = PATROL_DAY
    for item in ("受理案件数", "起诉人数"):
        Finding.objects.create(
            rule=rules.serious,
            subject=f"report:{world.county.pk}:{world.county_dept.pk}:2024-05:{item}",
            org=world.county,
            department=world.county_dept,
            severity="serious",
            message=f"报表数与案卡统计数不一致（{item}）",
            values=[{"label": "报表数", "value": "12", "source": "业务报表"}],
            opened_at=now,
            last_seen_at=now,
            reply_due=TODAY + timedelta(days=10),
        )
    (notice,) = issue_notices(Finding.objects.values_list(*FINDING_COLUMNS), now=now)
    assert (notice.case, notice.department, notice.org) == (None, world.county_dept, world.county)
    assert notice.findings.count() == 2
    text = "\n".join(p.text for p in open_docx(BytesIO(notice_docx(notice))).paragraphs)
    assert "经对业务报表与案卡的比对，发现下列问题：" in text
    assert "二、报表数与案卡统计数不一致（起诉人数）" in text
    assert notes(world.people["head"], "patrol_notice")


def test_a_second_patrol_over_unchanged_data_opens_nothing_new(loop):
    world, _ = loop
    patrol(world)
    counts = (Finding.objects.count(), Notice.objects.count(), Notification.objects.count())
    again = patrol(world)
    assert again.opened == {}
    assert again.still_open == {"minor": 1, "serious": 1, "grave": 1}
    assert again.auto_closed == {}
    assert (Finding.objects.count(), Notice.objects.count(), Notification.objects.count()) == counts
    assert set(Finding.objects.values_list("last_seen_at", flat=True)) == {again.started_at}


def test_a_fixed_card_closes_its_finding_and_notice_at_the_next_patrol(loop):
    world, rules = loop
    patrol(world)
    fix_summary(world.case_a)
    fix_summary(world.case_b)
    run = patrol(world)
    assert run.auto_closed == {"minor": 1, "serious": 1}
    prompt, serious = finding_of(rules.minor), finding_of(rules.serious)
    assert (prompt.status, prompt.close_reason) == ("closed", "resolved")
    assert (serious.status, serious.close_reason) == ("closed", "resolved")
    assert serious.notice.closed_at is not None
    assert finding_of(rules.grave).status == "open"
    assert run.still_open == {"grave": 1}


def test_a_reply_then_verification_closes_the_notice(loop):
    world, rules = loop
    patrol(world)
    notice = finding_of(rules.serious).notice
    with pytest.raises(PermissionDenied):
        do_reply(notice, actor=world.people["city_head"], findings_checked="已核查", outcome="rectified")
    reply = do_reply(notice, actor=world.people["head"], findings_checked="已补录简要案情", outcome="rectified")
    assert reply.late is False
    assert finding_of(rules.serious).status == "replied"
    assert notes(world.people["cm"], "patrol_reply")
    with pytest.raises(PatrolRefused, match="等待案件管理部门核查"):
        do_reply(notice, actor=world.people["pros_b"], findings_checked="再次回复", outcome="rectified")
    with pytest.raises(PermissionDenied):
        do_verify(notice, actor=world.people["head"], closed=True, note="自己核查")

    do_verify(notice, actor=world.people["cm"], closed=True, note="已核实整改到位")
    closed = finding_of(rules.serious)
    assert (closed.status, closed.close_reason, closed.closed_by) == ("closed", "verified", world.people["cm"])
    notice.refresh_from_db()
    assert notice.closed_at is not None
    assert notice.light == ""
    with pytest.raises(PatrolRefused, match="已办结"):
        do_verify(notice, actor=world.people["cm"], closed=True, note="再次核查")


def test_verification_can_reopen_with_a_new_period(loop, time_machine):
    world, rules = loop
    patrol(world)
    notice = finding_of(rules.serious).notice
    with pytest.raises(PatrolRefused, match="理由"):
        do_reply(notice, actor=world.people["pros_b"], findings_checked="已核查", outcome="disputed", reasons=" ")
    do_reply(notice, actor=world.people["pros_b"], findings_checked="已核查", outcome="disputed", reasons="无需填写")
    time_machine.move_to(PATROL_DAY + timedelta(days=3), tick=False)
    do_verify(notice, actor=world.people["cm"], closed=False, note="简要案情为必填项")
    reopened = finding_of(rules.serious)
    assert (reopened.status, reopened.reopened) == ("open", 1)
    assert reopened.reply_due == date(2024, 6, 16)
    notice.refresh_from_db()
    assert (notice.light, notice.reply_due, notice.closed_at) == ("yellow", date(2024, 6, 16), None)
    assert notes(world.people["head"], "patrol_reopen")
    assert notice.verifications.get().closed is False


def test_an_accepted_dispute_is_a_false_alarm_the_rule_does_not_reopen(loop):
    world, rules = loop
    patrol(world)
    notice = finding_of(rules.serious).notice
    do_reply(notice, actor=world.people["head"], findings_checked="已核查", outcome="disputed", reasons="案情另附")
    do_verify(notice, actor=world.people["cm"], closed=True, note="异议成立")
    assert finding_of(rules.serious).close_reason == "false_alarm"
    run = patrol(world)
    assert run.opened == {}
    assert Finding.objects.filter(rule=rules.serious).count() == 1


def test_late_answers_escalate_prompts_to_notices_and_notices_to_red(loop, time_machine):
    """After the due date: the unfixed prompt becomes a 较重 notice (口头提示 → 通知书) and the
    unanswered notices turn red for the 分管副检察长 and the office; the grave one reaches the
    检察长 again. A reply after the due date is marked late."""
    world, rules = loop
    patrol(world)
    time_machine.move_to(PATROL_DAY + timedelta(days=8), tick=False)  # past the grave notice's 7 days
    assert do_escalate() == {"prompts": 0, "notices": 0, "red": 1}
    grave = finding_of(rules.grave).notice
    assert (grave.light, grave.escalated_at is not None) == ("red", True)
    assert notes(world.people["city_chief"], "patrol_red")
    assert not notes(world.people["deputy"], "patrol_red")

    time_machine.move_to(PATROL_DAY + timedelta(days=11), tick=False)
    counts = do_escalate()
    assert counts == {"prompts": 1, "notices": 1, "red": 1}
    serious = finding_of(rules.serious).notice
    assert serious.light == "red"
    assert notes(world.people["deputy"], "patrol_red")
    assert notes(world.people["cm"], "patrol_red")
    assert not notes(world.people["chief"], "patrol_red")
    prompt = finding_of(rules.minor)
    assert prompt.notice.number == f"{world.county.short_name}检案管监〔2024〕2号"
    assert prompt.notice.severity == "serious"
    assert prompt.reply_due == date(2024, 6, 24)
    assert prompt.severity == "minor"
    assert do_escalate() == {"prompts": 0, "notices": 0, "red": 0}
    assert Event.objects.filter(action="patrol.escalate").count() == 2

    reply = do_reply(serious, actor=world.people["head"], findings_checked="已补录", outcome="rectified")
    assert reply.late is True


def test_the_office_marks_a_false_alarm(loop):
    world, rules = loop
    patrol(world)
    finding = finding_of(rules.serious)
    with pytest.raises(PermissionDenied):
        do_mark_false_alarm(finding, actor=world.people["head"], note="误报")
    with pytest.raises(PatrolRefused):
        do_mark_false_alarm(finding, actor=world.people["cm"], note="")
    do_mark_false_alarm(finding, actor=world.people["cm"], note="系同名人员")
    finding.refresh_from_db()
    assert (finding.status, finding.close_reason, finding.close_note) == ("closed", "false_alarm", "系同名人员")
    assert finding.notice.closed_at is not None
    assert patrol(world).opened == {}


def test_a_handler_disputes_a_prompt_and_the_office_keeps_it(loop, time_machine):
    world, rules = loop
    patrol(world)
    prompt = finding_of(rules.minor)
    with pytest.raises(PermissionDenied):
        do_dispute_prompt(prompt, actor=world.people["pros_b"], reasons="不是我的案件")
    do_dispute_prompt(prompt, actor=world.people["pros_a"], reasons="简要案情见起诉意见书")
    prompt.refresh_from_db()
    assert (prompt.status, prompt.dispute) == ("replied", "简要案情见起诉意见书")
    assert notes(world.people["cm"], "patrol_reply")
    time_machine.move_to(PATROL_DAY + timedelta(days=2), tick=False)
    do_reopen_finding(prompt, actor=world.people["cm"], note="案卡须填写简要案情")
    prompt.refresh_from_db()
    assert (prompt.status, prompt.reopened, prompt.reply_due) == ("open", 1, date(2024, 6, 15))
    assert notes(world.people["pros_a"], "patrol_reopen")
    with pytest.raises(PatrolRefused):
        do_reopen_finding(prompt, actor=world.people["cm"], note="再次维持")


def test_disabling_a_rule_closes_its_findings(loop):
    world, rules = loop
    patrol(world)
    county_office = make_person(["case_manager"], org=make_org("371099", parent=world.county))
    with pytest.raises(PermissionDenied):  # rules are shared: not a county office's to switch off
        do_set_rule_enabled(rules.serious, actor=county_office, enabled=False)
    do_set_rule_enabled(rules.serious, actor=world.people["sysadmin"], enabled=False)
    finding = finding_of(rules.serious)
    assert (finding.status, finding.close_reason) == ("closed", "rule_disabled")
    assert finding.notice.closed_at is not None
    run = patrol(world)
    assert run.rules == 2
    assert Finding.objects.filter(rule=rules.serious).count() == 1
    do_set_rule_enabled(rules.serious, actor=world.people["sysadmin"], enabled=True)
    assert patrol(world).opened == {"serious": 1}


def test_saving_a_rule_checks_it_and_versions_it(loop):
    world, rules = loop
    with pytest.raises(ValidationError) as raised:
        do_save_rule(
            rules.minor,
            actor=world.people["sysadmin"],
            fields={"definition": {"subject": "case", "when": {"blank": "case.nosuch"}}},
        )
    assert any("case.nosuch" in message for message in raised.value.messages)
    with pytest.raises(ValidationError):
        do_save_rule(rules.minor, actor=world.people["sysadmin"], fields={"case_types": ["nosuch"]})
    changed = do_save_rule(rules.minor, actor=world.people["sysadmin"], fields={"reply_days": 5})
    assert (changed.version, changed.reply_days, changed.customised) == (2, 5, False)
    builtin = Rule.objects.filter(builtin=True).first()  # synced from catalogue/*.yaml by migrate
    tuned = do_save_rule(builtin, actor=world.people["sysadmin"], fields={"reply_days": builtin.reply_days + 1})
    assert (tuned.version, tuned.customised) == (builtin.version + 1, True)


def test_a_case_write_queues_the_case_run_which_patrols_in_memory(loop, django_capture_on_commit_callbacks):
    world, rules = loop
    with django_capture_on_commit_callbacks(execute=True):
        fix_summary(world.case_b)
        assert not DBTaskResult.objects.exists()  # nothing queued before the commit
    queued = DBTaskResult.objects.get()
    assert queued.task_path.endswith("patrol_case")
    assert queued.args_kwargs["args"] == [world.case_b.pk]
    assert not Finding.objects.exists()  # the write itself patrolled nothing

    patrol_case.call(world.case_a.pk)
    run = Run.objects.get(kind="case")
    assert (run.case, run.cases_checked, run.opened) == (world.case_a, 1, {"minor": 1})
    assert finding_of(rules.minor).opened_run == run
    assert notes(world.people["pros_a"], "patrol_prompt")
    assert not Finding.objects.filter(rule=rules.serious).exists()  # only that case

    patrol_case.call(world.case_a.pk)
    assert Finding.objects.count() == 1
    fix_summary(world.case_a)
    patrol_case.call(world.case_a.pk)
    assert finding_of(rules.minor).close_reason == "resolved"
    assert "不存在" in patrol_case.call(987654)


def test_the_office_full_patrol_runs_as_a_task(loop):
    world, _ = loop
    summary = patrol_full.call(world.people["cm"].pk)
    run = Run.objects.get()
    assert (run.kind, run.triggered_by) == ("full", world.people["cm"])
    assert summary.startswith(f"巡查案件 {run.cases_checked} 件，规则 3 条，命中 3 处")


def test_loaded_cases_are_patrolled_set_based_in_the_worker(loop, django_capture_on_commit_callbacks):
    world, rules = loop
    ids = [world.case_b.pk, world.case_city.pk]
    with django_capture_on_commit_callbacks(execute=True):
        cases_loaded.send(sender=Case, case_ids=ids)
    queued = DBTaskResult.objects.get(task_path__endswith="patrol_cases")
    assert queued.args_kwargs["args"] == [ids]
    patrol_cases.call(ids)
    run = Run.objects.get()
    assert (run.kind, run.cases_checked, run.opened) == ("case", 2, {"serious": 1, "grave": 1})
    assert not Finding.objects.filter(rule=rules.minor).exists()


def test_the_playground_runs_a_draft_and_writes_nothing(loop):
    world, _ = loop
    draft = {"subject": "case", "when": {"blank": "case.summary"}, "show": [{"label": "案件", "value": "case.name"}]}
    trial = try_rule(draft, limit=2)
    assert trial.hits == Case.objects.filter(summary="").count() == 4
    assert {(u.org, u.hits) for u in trial.units} == {(world.county, 2), (world.city, 1), (world.other_county, 1)}
    assert len(trial.details) == 2
    assert trial.details[0].values[0]["label"] == "案件"
    assert try_rule(draft, case_types=["arrest_review"]).hits == 0
    with pytest.raises(ValidationError):
        try_rule({"subject": "case", "when": {"nosuch": 1}})
    assert not Finding.objects.exists()
    assert not Run.objects.exists()
