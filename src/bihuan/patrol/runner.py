"""Turning rule hits into findings, and new findings into prompts and notices (Rule 664–665;
domain-rules §7.5).

For each enabled rule the patrol compares the subjects the rule hits now with the rule's open
findings (by subject key):

1. a key hit and not open opens a finding, with the scope columns and compared values of its
   `Detail`, due `today + rule.reply_days` (Rule 665: 10 日以内);
2. an open finding no longer hit is closed as RESOLVED (问题已消除（自动销号）), and a notice
   left with no open finding is closed with it;
3. an open finding still hit keeps its status and gets `last_seen_at`.

A full run evaluates every rule with one set-based query over all cases (`sql_hits`, or
`report_hits` for rules on report figures) and reads details only for the new keys; a run over a
set of loaded cases does the same restricted to them; a case run evaluates the rules in memory
over one snapshot of the case (`memory_hits`) and settles only that case's findings. Writes are
bulk inserts and updates over primary-key chunks, never a query per case.

Then, for the findings the run opened: a 轻微 finding is a prompt (口头提示) to the handling
prosecutor; the 较重 and 严重 findings of a case become one numbered notice (`notice.issue_notices`).
"""

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils import timezone

from bihuan.cases.models import Case
from bihuan.lib.bulk import insert
from bihuan.notifications.models import Notification
from bihuan.orgs.choices import RoleCode
from bihuan.patrol.lang import Detail, compile_rule, load_case, memory_hits, report_hits, sql_details, sql_hits
from bihuan.patrol.models import OPEN_STATUSES, CloseReason, Finding, FindingStatus, Rule, Run, Severity
from bihuan.patrol.notice import FINDING_COLUMNS, chunks, close_finished_notices, issue_notices, notification, people_by
from bihuan.patrol.notice import send as send_notifications

REPORT = "report"
CASE_CHUNK = 5_000  # case ids in one `IN (…)` list
NOTIFY_PROMPT = "patrol_prompt"
# A rule's progress during a full run: (rules done, rules in all, the rule, its hits).
Progress = Callable[[int, int, Rule, int], None]


@dataclass
class Tally:
    """What a run found, by severity; stored on the Run row at the end."""

    rules: int = 0
    hits: int = 0
    opened: Counter = field(default_factory=Counter)
    still_open: Counter = field(default_factory=Counter)
    auto_closed: Counter = field(default_factory=Counter)
    notices: set[int] = field(default_factory=set)  # notices of auto-closed findings


def start_run(kind: str, *, case_id: int | None = None, actor=None) -> Run:
    return Run.objects.create(
        kind=kind,
        case_id=case_id,
        started_at=timezone.now(),
        triggered_by=actor if getattr(actor, "pk", None) else None,
    )


def finish_run(run: Run, tally: Tally, *, cases_checked: int, clock: float) -> Run:
    run.finished_at = timezone.now()
    run.duration_ms = round((time.perf_counter() - clock) * 1000)
    run.rules = tally.rules
    run.cases_checked = cases_checked
    run.hits = tally.hits
    run.opened = dict(tally.opened)
    run.still_open = dict(tally.still_open)
    run.auto_closed = dict(tally.auto_closed)
    run.save(
        update_fields=[
            "finished_at",
            "duration_ms",
            "rules",
            "cases_checked",
            "hits",
            "opened",
            "still_open",
            "auto_closed",
        ]
    )
    return run


def run_summary(run: Run) -> str:
    """One line: cases checked, and findings opened / still open / auto-closed by severity."""

    def counts(values: dict) -> str:
        return "、".join(f"{Severity(s).label} {values.get(s, 0):,}" for s in Severity.values)

    return (
        f"巡查案件 {run.cases_checked:,} 件，规则 {run.rules} 条，命中 {run.hits:,} 处；"
        f"新发现（{counts(run.opened)}），仍未解决（{counts(run.still_open)}），"
        f"自动销号（{counts(run.auto_closed)}）；耗时 {run.duration_ms or 0:,} 毫秒"
    )


def enabled_rules() -> list[Rule]:
    """The enabled rules, locked: a second run beside this one (the nightly patrol beside the
    office's button, a case run in the worker) waits for it, so no two runs open one finding."""
    return list(Rule.objects.select_for_update().filter(enabled=True).order_by("code"))


_compiled: dict[int, tuple[tuple, object]] = {}


def compiled_rule(rule: Rule):
    """The rule compiled, kept while its definition and case types stay the same (a case run
    then compiles nothing)."""
    source = (rule.definition, tuple(rule.case_types))
    kept = _compiled.get(rule.pk)
    if kept is None or kept[0] != source:
        kept = (source, compile_rule(rule.definition, case_types=rule.case_types))
        _compiled[rule.pk] = kept
    return kept[1]


#
# Settling one rule's hits against its open findings
#


@dataclass
class Standing:
    """A rule's findings in scope before the run: the open ones by subject (id, severity, notice
    id), and the subjects closed as false alarms, which the rule does not reopen."""

    open: dict[str, tuple] = field(default_factory=dict)
    quiet: set[str] = field(default_factory=set)


def _standing(rule_ids: Iterable[int], scope: Q) -> dict[int, Standing]:
    found: dict[int, Standing] = defaultdict(Standing)
    rows = Finding.objects.filter(scope, rule_id__in=list(rule_ids)).filter(
        Q(status__in=OPEN_STATUSES) | Q(close_reason=CloseReason.FALSE_ALARM)
    )
    values = rows.values_list("rule_id", "subject", "id", "severity", "notice_id", "status")
    # A whole run streams (a rule may stand on hundreds of thousands of findings); one case's few
    # are one plain read — a server-side cursor is planned for its first rows and costs a round trip.
    for rule_id, subject, pk, severity, notice_id, status in values if scope else values.iterator(chunk_size=5_000):
        if status == FindingStatus.CLOSED:
            found[rule_id].quiet.add(subject)
        else:
            found[rule_id].open[subject] = (pk, severity, notice_id)
    return found


def _finding_row(rule: Rule, detail: Detail, *, run: Run, now: datetime, due: date) -> dict:
    # A case-subject hit is about the case itself; any other subject is named after the message.
    about = "" if detail.key.startswith("case:") else detail.subject_text
    message = f"{rule.message}（{about}）" if about else rule.message
    return {
        "rule_id": rule.pk,
        "subject": detail.key,
        "case_id": detail.case_id,
        "org_id": detail.org_id,
        "department_id": detail.department_id,
        "team_id": detail.team_id,
        "prosecutor_id": detail.prosecutor_id,
        "severity": rule.severity,
        "message": message[:300],
        "values": list(detail.values),
        "status": FindingStatus.OPEN,
        "opened_at": now,
        "opened_run_id": run.pk,
        "last_seen_at": now,
        "reply_due": due,
    }


def settle(
    rule: Rule,
    hits: Collection[str],
    standing: Standing,
    details: Callable[[set[str]], dict[str, Detail]],
    *,
    tally: Tally,
    run: Run,
    today: date,
) -> None:
    """Open findings for the new keys, close those no longer hit, count those still hit."""
    now = run.started_at
    open_now = standing.open
    hits = set(hits) - standing.quiet
    new_keys = hits - open_now.keys()
    gone = [open_now[key] for key in open_now.keys() - hits]
    tally.hits += len(hits)
    for key in open_now.keys() & hits:
        tally.still_open[open_now[key][1]] += 1
    if new_keys:
        due = today + timedelta(days=rule.reply_days)
        rows = [_finding_row(rule, d, run=run, now=now, due=due) for d in details(new_keys).values()]
        insert(Finding, rows)
        tally.opened[rule.severity] += len(rows)
    for batch in chunks(gone):
        Finding.objects.filter(pk__in=[pk for pk, _, _ in batch]).update(
            status=FindingStatus.CLOSED, close_reason=CloseReason.RESOLVED, closed_at=now
        )
    for _, severity, notice_id in gone:
        tally.auto_closed[severity] += 1
        if notice_id:
            tally.notices.add(notice_id)


def _picked(found: dict[str, Detail]) -> Callable[[set[str]], dict[str, Detail]]:
    """Details of the new keys out of those an evaluator returned with its hits."""
    return lambda keys: {key: found[key] for key in keys}


def _from_sql(compiled, today: date) -> Callable[[set[str]], dict[str, Detail]]:
    """Details of the new keys, read set-based for those keys only."""
    return lambda keys: sql_details(compiled, keys, today=today)


def _touch(rule_ids: list[int], scope: Q, *, now: datetime) -> None:
    """The open findings left in scope of the rules just settled were hit again (the others
    were closed): mark them seen, in one statement."""
    Finding.objects.filter(scope, rule_id__in=rule_ids, status__in=OPEN_STATUSES, last_seen_at__lt=now).update(
        last_seen_at=now
    )


#
# The kinds of run
#


def _scope(case_ids: list[int] | None) -> Q:
    return Q() if case_ids is None else Q(case_id__in=case_ids)


def patrol_sql(
    run: Run,
    *,
    today: date,
    case_ids: Sequence[int] | None = None,
    progress: Progress | None = None,
) -> Tally:
    """Every enabled rule, set-based: over all cases (and report figures) when `case_ids` is
    None, else over those cases only (report rules skipped), CASE_CHUNK cases a query."""
    tally = Tally()
    rules = enabled_rules()
    if case_ids is not None:
        rules = [r for r in rules if compiled_rule(r).subject != REPORT]
    parts: list[list[int] | None] = [None] if case_ids is None else list(chunks(case_ids, CASE_CHUNK))
    for done, rule in enumerate(rules, 1):
        compiled = compiled_rule(rule)
        before = tally.hits
        if compiled.subject == REPORT:
            found = report_hits(compiled, today=today)
            standing = _standing([rule.pk], Q())[rule.pk]
            settle(rule, found.keys(), standing, _picked(found), tally=tally, run=run, today=today)
        else:
            for ids in parts:
                hits = sql_hits(compiled, today=today, case_ids=ids)
                standing = _standing([rule.pk], _scope(ids))[rule.pk]
                settle(rule, hits, standing, _from_sql(compiled, today), tally=tally, run=run, today=today)
        if progress is not None:
            progress(done, len(rules), rule, tally.hits - before)
    tally.rules = len(rules)
    for ids in parts:
        _touch([r.pk for r in rules], _scope(ids), now=run.started_at)
    close_finished_notices(tally.notices, now=run.started_at)
    return tally


def patrol_memory(run: Run, case_id: int, *, today: date) -> Tally:
    """Every enabled rule but the report rules, in memory over one snapshot of the case; only
    the case's findings are settled."""
    tally = Tally()
    rules = [r for r in enabled_rules() if compiled_rule(r).subject != REPORT]
    snapshot = load_case(case_id)
    scope = Q(case_id=case_id)
    standing = _standing([r.pk for r in rules], scope)
    for rule in rules:
        found = memory_hits(compiled_rule(rule), snapshot, today=today)
        settle(rule, found.keys(), standing[rule.pk], _picked(found), tally=tally, run=run, today=today)
    tally.rules = len(rules)
    _touch([r.pk for r in rules], scope, now=run.started_at)
    close_finished_notices(tally.notices, now=run.started_at)
    return tally


def cases_in(case_ids: Iterable[int]) -> list[int]:
    """The ids among `case_ids` of cases that exist (a loaded case may be gone by the time the
    worker runs)."""
    found: list[int] = []
    for batch in chunks(sorted(set(case_ids)), CASE_CHUNK):
        found += Case.objects.filter(pk__in=batch).values_list("id", flat=True)
    return found


#
# After opening: prompts and notices
#


def follow_up(run: Run, *, actor=None) -> None:
    """Prompt the handler of each new 轻微 finding; issue one notice per case for the new 较重
    and 严重 findings (Rule 665)."""
    opened = Finding.objects.filter(opened_run=run)
    send_notifications(_prompts(opened.filter(severity=Severity.MINOR)))
    issue_notices(
        opened.exclude(severity=Severity.MINOR).order_by("id").values_list(*FINDING_COLUMNS).iterator(chunk_size=5_000),
        now=run.started_at,
        actor=actor,
    )


def _prompts(findings) -> Iterator[Notification]:
    """口头提示 in the app: to the handling prosecutor; with no handler, to the department heads,
    and with no department either (a report figure of the whole procuratorate), to its
    case-management office."""
    heads = people_by(RoleCode.DEPT_HEAD, "department_id")
    managers = people_by(RoleCode.CASE_MANAGER, "org_id")
    rows = findings.values_list(
        "id", "case_id", "org_id", "department_id", "prosecutor_id", "message", "case__name", "case__dept_case_no"
    )
    for pk, case_id, org_id, department_id, prosecutor_id, message, name, number in rows.iterator(chunk_size=5_000):
        if prosecutor_id:
            recipients = [prosecutor_id]
        elif department_id:
            recipients = heads.get(department_id, [])
        else:
            recipients = managers.get(org_id, [])
        title = f"巡查提示：{name}（{number}）{message}" if case_id else f"巡查提示：{message}"
        for user_id in recipients:
            yield notification(user_id, kind=NOTIFY_PROMPT, title=title, case_id=case_id, key=f"patrol_prompt:{pk}")
