"""Every write of the patrol (电子巡逻车), each `do_*` one transaction with one audit event:
the runs (`do_patrol_full`, `do_patrol_case`, `do_patrol_cases`), the loop of Rule 665 (the
department's reply, the office's verification, false alarms, a handler's dispute of a prompt,
escalation) and the rules (`do_save_rule`, `do_set_rule_enabled`). Also the read-only rule
playground (`try_rule`).

Who may act follows `bihuan.patrol.access`: the case-management office of the finding's own
procuratorate verifies, marks false alarms and reopens; the department head or a prosecutor of
the notified department replies; the handler disputes a prompt. A refused action raises
PermissionDenied, or `PatrolRefused` with the reason in Chinese; a bad rule raises
ValidationError with the messages of `check_definition` (each naming its place).

A subject closed as a false alarm (误报, or a dispute the office accepted) is not reopened by
the same rule: the catalogue counts false alarms, so that the rule, not the case, gets fixed.
"""

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from bihuan.cases.choices import CaseType
from bihuan.cases.models import Case
from bihuan.events.actions import EventSpec, diff, record, record_many
from bihuan.notifications.actions import notify
from bihuan.orgs.choices import RoleCode
from bihuan.orgs.models import Department, Organisation, User
from bihuan.patrol.access import RULES_ONLY, is_office, may_dispute, may_edit_rules, may_reply
from bihuan.patrol.escalation import escalate
from bihuan.patrol.lang import Detail, check_definition, compile_rule, report_hits, sql_details, sql_hits
from bihuan.patrol.models import (
    OPEN_STATUSES,
    CloseReason,
    Finding,
    FindingStatus,
    Light,
    Notice,
    Reply,
    ReplyOutcome,
    Rule,
    Run,
    RunKind,
    Verification,
)
from bihuan.patrol.notice import TITLE, chunks, close_finished_notices, people_by
from bihuan.patrol.runner import (
    REPORT,
    cases_in,
    finish_run,
    follow_up,
    patrol_memory,
    patrol_sql,
    run_summary,
    start_run,
)

RULE_FIELDS = ("code", "name", "category", "basis", "severity", "reply_days", "case_types", "message", "definition")
NOTIFY_REPLY = "patrol_reply"
NOTIFY_REOPEN = "patrol_reopen"


class PatrolRefused(Exception):
    """A patrol action the loop does not allow (a closed notice, a dispute without reasons …);
    the message says why, in Chinese."""


def _today(today: date | None) -> date:
    return today or timezone.localdate()


#
# Runs
#


@transaction.atomic
def do_patrol_full(*, actor: User | None = None, today: date | None = None, progress=None) -> Run:
    """Patrol every case and report figure with every enabled rule, set-based (the nightly run
    and the office's 立即全面巡查); `progress(done, total, rule, hits)` hears of each rule."""
    clock = time.perf_counter()
    run = start_run(RunKind.FULL, actor=actor)
    tally = patrol_sql(run, today=_today(today), progress=progress)
    follow_up(run, actor=actor)
    finish_run(run, tally, cases_checked=Case.objects.count(), clock=clock)
    record("patrol.run", run, actor=actor, summary=f"全面巡查：{run_summary(run)}")
    return run


@transaction.atomic
def do_patrol_case(case_id: int, *, today: date | None = None) -> Run:
    """Patrol one case that changed, in memory (the worker runs it after the write commits);
    Case.DoesNotExist when the case is gone."""
    clock = time.perf_counter()
    org_code = Case.objects.filter(pk=case_id).values_list("org__code", flat=True).first()
    if org_code is None:
        raise Case.DoesNotExist(f"案件 {case_id} 不存在")
    run = start_run(RunKind.CASE, case_id=case_id)
    tally = patrol_memory(run, case_id, today=_today(today))
    if tally.opened:
        follow_up(run)
    finish_run(run, tally, cases_checked=1, clock=clock)
    record("patrol.run", run, case_id=case_id, org_code=org_code, summary=f"案件变更巡查：{run_summary(run)}")
    return run


@transaction.atomic
def do_patrol_cases(case_ids: Sequence[int], *, today: date | None = None) -> Run:
    """Patrol a set of cases set-based (a bulk load, `cases_loaded`): the full run's queries
    restricted to those cases; report rules wait for the full run."""
    clock = time.perf_counter()
    ids = cases_in(case_ids)
    run = start_run(RunKind.CASE, case_id=ids[0] if len(ids) == 1 else None)
    tally = patrol_sql(run, today=_today(today), case_ids=ids)
    follow_up(run)
    finish_run(run, tally, cases_checked=len(ids), clock=clock)
    record("patrol.run", run, summary=f"导入案件巡查：{run_summary(run)}")
    return run


@transaction.atomic
def do_escalate(*, today: date | None = None) -> dict[str, int]:
    """Escalate what was not answered in time (Rule 665; domain-rules §7.5): prompts left unfixed
    become notices, notices left unanswered turn red and go to the 分管副检察长."""
    counts = escalate(today=_today(today), now=timezone.now())
    if any(counts.values()):
        summary = (
            f"巡查升级：口头提示转通知书 {counts['prompts']} 项（通知书 {counts['notices']} 份），"
            f"红灯 {counts['red']} 份"
        )
        record_many([EventSpec("patrol.escalate", Notice._meta.label_lower, "", summary=summary, changes=counts)])
    return counts


#
# The loop of Rule 665
#


def _locked_notice(notice: Notice) -> Notice:
    return Notice.objects.select_for_update(of=("self",)).select_related("org").get(pk=notice.pk)


def _locked_finding(finding: Finding) -> Finding:
    return Finding.objects.select_for_update(of=("self",)).select_related("org", "rule").get(pk=finding.pk)


def _record_notice(action: str, obj, notice: Notice, *, actor: User, summary: str) -> None:
    record(action, obj, actor=actor, case_id=notice.case_id, org_code=notice.org.code, summary=summary)


def _required(text: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise PatrolRefused(message)
    return text


@transaction.atomic
def do_reply(notice: Notice, *, actor: User, findings_checked: str, outcome: str, reasons: str = "") -> Reply:
    """The department's written reply (Rule 665: 10 日以内书面回复): what it found and whether it
    rectified or disputes, with reasons; a reply after the due date is marked late. The notice's
    open findings wait for the office's verification (REPLIED)."""
    notice = _locked_notice(notice)
    if notice.closed_at is not None:
        raise PatrolRefused("该通知书已办结。")
    if not may_reply(actor, notice):
        raise PermissionDenied("只有被通知部门的负责人或检察官可以回复通知书。")
    waiting = notice.findings.filter(status=FindingStatus.OPEN)
    if not waiting.exists():
        raise PatrolRefused("该通知书已回复，正等待案件管理部门核查。")
    checked = _required(findings_checked, "请填写核查情况。")
    if outcome not in ReplyOutcome.values:
        raise PatrolRefused("请选择整改情况：已整改或有异议。")
    if outcome == ReplyOutcome.DISPUTED:
        reasons = _required(reasons, "有异议的，请写明理由。")
    now = timezone.now()
    late = timezone.localdate(now) > notice.reply_due
    reply = Reply.objects.create(
        notice=notice,
        findings_checked=checked,
        outcome=outcome,
        reasons=(reasons or "").strip(),
        replied_by=actor,
        replied_at=now,
        late=late,
    )
    waiting.update(status=FindingStatus.REPLIED)
    notify(
        people_by(RoleCode.CASE_MANAGER, "org_id").get(notice.org_id, []),
        kind=NOTIFY_REPLY,
        title=f"{TITLE} {notice.number} 已回复（{reply.get_outcome_display()}{'，逾期' if late else ''}），请核查",
        case=notice.case,
        key=f"{NOTIFY_REPLY}:{reply.pk}",
    )
    _record_notice(
        "patrol.reply",
        reply,
        notice,
        actor=actor,
        summary=f"回复{TITLE} {notice.number}：{reply.get_outcome_display()}{'（逾期回复）' if late else ''}",
    )
    return reply


@transaction.atomic
def do_verify(notice: Notice, *, actor: User, closed: bool, note: str) -> Verification:
    """The office checks the reply: closed (销号) closes the findings and the notice — as a false
    alarm where the department disputed and the office agrees (异议成立); not closed reopens the
    findings with a new period (today + the rule's reply days) and the light back to yellow."""
    notice = _locked_notice(notice)
    if not is_office(actor, notice.org_id):
        raise PermissionDenied("只有本院案件管理部门可以核查回复。")
    if notice.closed_at is not None:
        raise PatrolRefused("该通知书已办结。")
    replied = list(notice.findings.filter(status=FindingStatus.REPLIED).select_related("rule"))
    if not replied:
        raise PatrolRefused("办案部门尚未回复，暂不能核查。")
    note = _required(note, "请填写核查意见。")
    now = timezone.now()
    today = timezone.localdate(now)
    verification = Verification.objects.create(
        notice=notice, closed=closed, note=note, verified_by=actor, verified_at=now
    )
    if closed:
        last = notice.replies.order_by("-replied_at", "-id").first()
        reason = CloseReason.FALSE_ALARM if last.outcome == ReplyOutcome.DISPUTED else CloseReason.VERIFIED
        notice.findings.filter(status__in=OPEN_STATUSES).update(
            status=FindingStatus.CLOSED, close_reason=reason, closed_at=now, closed_by=actor, close_note=note[:300]
        )
        notice.closed_at = now
        notice.light = Light.NONE
        notice.save(update_fields=["closed_at", "light"])
    else:
        for finding in replied:
            finding.status = FindingStatus.OPEN
            finding.reopened += 1
            finding.reply_due = today + timedelta(days=finding.rule.reply_days)
        Finding.objects.bulk_update(replied, ["status", "reopened", "reply_due"])
        notice.reply_due = min(f.reply_due for f in replied)
        notice.light = Light.YELLOW
        notice.save(update_fields=["reply_due", "light"])
        notify(
            people_by(RoleCode.DEPT_HEAD, "department_id").get(notice.department_id, []),
            kind=NOTIFY_REOPEN,
            title=f"{TITLE} {notice.number} 核查未通过，请于 {notice.reply_due} 前整改并重新回复",
            case=notice.case,
            key=f"{NOTIFY_REOPEN}:notice:{verification.pk}",
        )
    _record_notice(
        "patrol.verify",
        verification,
        notice,
        actor=actor,
        summary=f"核查{TITLE} {notice.number}：{'销号' if closed else '重新打开'}",
    )
    return verification


@transaction.atomic
def do_mark_false_alarm(finding: Finding, *, actor: User, note: str) -> Finding:
    """The office closes a finding as a false alarm (误报); a notice left with no open finding
    closes with it. The rule does not reopen the subject."""
    finding = _locked_finding(finding)
    if not is_office(actor, finding.org_id):
        raise PermissionDenied("只有本院案件管理部门可以将问题标记为误报。")
    if finding.status == FindingStatus.CLOSED:
        raise PatrolRefused("该问题已销号。")
    note = _required(note, "请说明误报的理由。")
    now = timezone.now()
    _close(finding, reason=CloseReason.FALSE_ALARM, actor=actor, note=note, now=now)
    close_finished_notices([finding.notice_id], now=now)
    _record_finding("patrol.false_alarm", finding, actor=actor, summary=f"标记误报：{finding.message}")
    return finding


@transaction.atomic
def do_dispute_prompt(finding: Finding, *, actor: User, reasons: str) -> Finding:
    """The handler disputes a prompt (申辩) with reasons; the office then accepts it (误报) or
    keeps the prompt (`do_reopen_finding`)."""
    finding = _locked_finding(finding)
    if not may_dispute(actor, finding):
        raise PermissionDenied("只有本案承办检察官可以对未整改的口头提示提出申辩。")
    finding.dispute = _required(reasons, "请写明申辩理由。")
    finding.status = FindingStatus.REPLIED
    finding.save(update_fields=["dispute", "status"])
    notify(
        people_by(RoleCode.CASE_MANAGER, "org_id").get(finding.org_id, []),
        kind=NOTIFY_REPLY,
        title=f"巡查提示申辩：{finding.message}",
        case=finding.case,
        key=f"{NOTIFY_REPLY}:finding:{finding.pk}:{finding.reopened}",
    )
    _record_finding("patrol.dispute", finding, actor=actor, summary=f"对巡查提示提出申辩：{finding.message}")
    return finding


@transaction.atomic
def do_reopen_finding(finding: Finding, *, actor: User, note: str) -> Finding:
    """The office keeps a disputed prompt: open again, due today + the rule's reply days."""
    finding = _locked_finding(finding)
    if not is_office(actor, finding.org_id):
        raise PermissionDenied("只有本院案件管理部门可以维持巡查提示。")
    if finding.status != FindingStatus.REPLIED or finding.notice_id is not None:
        raise PatrolRefused("只能维持已申辩的口头提示；通知书的回复请在通知书中核查。")
    note = _required(note, "请填写不予采纳申辩的理由。")
    finding.status = FindingStatus.OPEN
    finding.reopened += 1
    finding.reply_due = timezone.localdate() + timedelta(days=finding.rule.reply_days)
    finding.save(update_fields=["status", "reopened", "reply_due"])
    if finding.prosecutor_id:
        notify(
            [finding.prosecutor_id],
            kind=NOTIFY_REOPEN,
            title=f"巡查提示申辩未被采纳（{note[:60]}），请于 {finding.reply_due} 前整改：{finding.message}",
            case=finding.case,
            key=f"{NOTIFY_REOPEN}:finding:{finding.pk}:{finding.reopened}",
        )
    _record_finding("patrol.reopen", finding, actor=actor, summary=f"维持巡查提示：{note}")
    return finding


def _close(finding: Finding, *, reason: str, actor: User, note: str, now) -> None:
    finding.status = FindingStatus.CLOSED
    finding.close_reason = reason
    finding.closed_at = now
    finding.closed_by = actor
    finding.close_note = note[:300]
    finding.save(update_fields=["status", "close_reason", "closed_at", "closed_by", "close_note"])


def _record_finding(action: str, finding: Finding, *, actor: User, summary: str) -> None:
    record(action, finding, actor=actor, case_id=finding.case_id, org_code=finding.org.code, summary=summary)


#
# Rules
#


def _rule_errors(values: dict) -> list[str]:
    errors = check_definition(values.get("definition"))
    unknown = [t for t in values.get("case_types") or [] if t not in CaseType.values]
    if unknown:
        errors.append(f"case_types：未知的案件类别 {'、'.join(map(str, unknown))}")
    return errors


@transaction.atomic
def do_save_rule(rule: Rule | None, *, actor: User, fields: dict) -> Rule:
    """Create a rule (disabled unless `fields` says `enabled`) or change one: the definition is
    checked first (ValidationError with the messages); a change takes the next version, and a
    built-in rule changed here is marked customised, so that migrate no longer overwrites it."""
    if not may_edit_rules(actor):
        raise PermissionDenied(RULES_ONLY)
    values = {name: fields[name] for name in RULE_FIELDS if name in fields}
    if rule is None:
        errors = _rule_errors(values)
        if errors:
            raise ValidationError(errors)
        rule = Rule(enabled=bool(fields.get("enabled", False)), **values)
        rule.full_clean()
        rule.save()
        record("patrol.rule_create", rule, actor=actor, summary=f"新增巡查规则 {rule}")
        return rule
    rule = Rule.objects.select_for_update().get(pk=rule.pk)
    errors = _rule_errors({"definition": rule.definition, "case_types": rule.case_types, **values})
    if errors:
        raise ValidationError(errors)
    changes = diff(rule, values)
    if not changes:
        return rule
    for name, value in values.items():
        setattr(rule, name, value)
    rule.version += 1
    rule.customised = rule.builtin
    rule.full_clean()
    rule.save()
    record("patrol.rule_change", rule, actor=actor, summary=f"修改巡查规则 {rule}", changes=changes)
    return rule


@transaction.atomic
def do_set_rule_enabled(rule: Rule, *, actor: User, enabled: bool) -> Rule:
    """Enable or disable a rule; disabling closes its open findings (规则停用) and the notices
    left with no open finding."""
    if not may_edit_rules(actor):
        raise PermissionDenied(RULES_ONLY)
    rule = Rule.objects.select_for_update().get(pk=rule.pk)
    if rule.enabled == enabled:
        return rule
    rule.enabled = enabled
    rule.save(update_fields=["enabled", "updated_at"])
    closed = 0
    if not enabled:
        now = timezone.now()
        rows = list(Finding.objects.filter(rule=rule, status__in=OPEN_STATUSES).values_list("id", "notice_id"))
        for batch in chunks(rows):
            Finding.objects.filter(pk__in=[pk for pk, _ in batch]).update(
                status=FindingStatus.CLOSED, close_reason=CloseReason.RULE_DISABLED, closed_at=now, closed_by=actor
            )
        close_finished_notices([notice_id for _, notice_id in rows], now=now)
        closed = len(rows)
    summary = f"启用巡查规则 {rule}" if enabled else f"停用巡查规则 {rule}，销号未解决的问题 {closed} 项"
    record("patrol.rule_enable", rule, actor=actor, summary=summary, changes={"enabled": [not enabled, enabled]})
    return rule


#
# The playground
#


@dataclass
class UnitHits:
    org: Organisation
    department: Department | None
    hits: int


@dataclass
class Trial:
    """A draft rule run over every case (nothing written): the hits, per unit, and the first."""

    hits: int
    units: list[UnitHits]
    details: list[Detail]


def try_rule(definition: dict, *, case_types: Sequence[str] = (), today: date | None = None, limit: int = 200) -> Trial:
    """Run a draft rule over every case (or report figure) and write nothing: the hit count, the
    hits per procuratorate and department, and the first `limit` hits with their values.
    ValidationError with the messages of an invalid definition."""
    errors = _rule_errors({"definition": definition, "case_types": list(case_types)})
    if errors:
        raise ValidationError(errors)
    today = _today(today)
    compiled = compile_rule(definition, case_types=case_types)
    if compiled.subject == REPORT:
        found = report_hits(compiled, today=today)
    else:
        found = sql_details(compiled, sql_hits(compiled, today=today), today=today)
    per_unit = Counter((d.org_id, d.department_id) for d in found.values())
    orgs = Organisation.objects.in_bulk({org for org, _ in per_unit})
    departments = Department.objects.in_bulk({dept for _, dept in per_unit if dept})
    units = [
        UnitHits(orgs[org], departments.get(dept) if dept else None, n)
        for (org, dept), n in sorted(per_unit.items(), key=lambda item: (-item[1], item[0][0], item[0][1] or 0))
    ]
    first = sorted(found.values(), key=lambda d: (d.case_id or 0, d.key))[:limit]
    return Trial(hits=len(found), units=units, details=first)
