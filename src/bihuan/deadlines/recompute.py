"""Keeping each case's `CaseDue` equal to its running statutory period.

Invariant: `CaseDue.due_date` is set exactly when a statutory period runs for the case
(domain-rules §7.1–7.2), and `due_kind` names that period; a case without a row has none. One
case follows its own writes through `case_timeline_changed` (`recompute_case`); a bulk load, a
working-day calendar change or the `recomputedeadlines` command recompute many cases at once
(`recompute_all`), set-based:

1. three streamed queries, each ordered by case id — the cases, their procedural links, the
   intervals in which a suspect of the case is held — merged in Python;
2. `current_period` per case, in Python (the engine is the only place the rules live);
3. the values that changed written back in bulk, one upsert: COPY into a temporary table and
   `INSERT … SELECT … ON CONFLICT DO UPDATE` on PostgreSQL, `executemany` elsewhere.

The due date is derived data: writing it bumps no `row_version` and appends no event of its own
(the write that changed the facts recorded one). Each value carries the case `row_version` it
was computed from (`case_version`), and an upsert never replaces a value computed from a later
version: a case whose own change recomputed it while a bulk run was reading keeps that value.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from operator import itemgetter

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from bihuan.cases.choices import CUSTODIAL_MEASURES, OPEN_STAGES, DueKind
from bihuan.cases.models import Case, CoerciveMeasure, ProceduralLink
from bihuan.deadlines.calendar import WorkCalendar
from bihuan.deadlines.engine import CaseFacts, build_facts, case_facts, current_period
from bihuan.deadlines.models import CaseDue
from bihuan.lib.bulk import copy_rows

# Rows fetched per round trip while streaming, and rows written per statement on SQLite.
CHUNK = 5_000
# From this many rows written at once, the due table's secondary indexes are dropped before the
# write and built again after it (PostgreSQL): building an index of a million rows takes seconds,
# inserting a million rows into five indexes a minute. Readers of the table wait meanwhile.
REBUILD_FROM = 100_000
# From this many rows written, the due table's statistics are refreshed (PostgreSQL).
ANALYZE_FROM = 50_000
# Distinct sets of facts remembered with their due date during one run (bounds its memory).
KNOWN_LIMIT = 200_000
# The case's scope columns, copied onto its CaseDue row.
SCOPE = ("org_id", "department_id", "team_id", "prosecutor_id")
_STORED_SCOPE = tuple(f"due__{name}" for name in SCOPE)
CASE_COLUMNS = (
    "id",
    "case_type",
    "procedure",
    "stage",
    "received_date",
    "is_major_complex",
    "likely_sentence",
    *SCOPE,
    "due__due_date",
    "due__due_kind",
    *_STORED_SCOPE,
    "row_version",
)
# A change to write: case id, due date, due kind, the case row_version read, the scope columns.
Change = tuple[int, date | None, str, int, int | None, int | None, int | None, int | None]


@dataclass
class RecomputeResult:
    """What a bulk recompute did."""

    examined: int = 0
    changed: int = 0
    running: int = 0  # cases with a running period after the run
    skipped: int = 0  # changed by someone else while the run read them; their own write recomputed them

    def summary(self) -> str:
        return f"检查 {self.examined:,} 件，期限变化 {self.changed:,} 件，正在计算期限的案件 {self.running:,} 件" + (
            f"，{self.skipped:,} 件因同时被修改而跳过" if self.skipped else ""
        )


def due_of(facts: CaseFacts, calendar: WorkCalendar, today: date | None = None) -> tuple[date | None, str]:
    """(due_date, due_kind) of the period running on `today`, or (None, "") when none runs."""
    period = current_period(facts, calendar, today)
    if period is None:
        return None, DueKind.NONE
    return period.due, period.kind


#
# One case
#


def recompute_case(case: Case, *, calendar: WorkCalendar | None = None) -> bool:
    """Bring one case's due date up to date; runs in the caller's transaction (the one that
    changed the case). Returns whether the stored value changed. The row is written with the
    case's current version even when the value is the same, so that a bulk run that read the
    case before this change cannot put back a value computed from the old facts."""
    due_date, due_kind = due_of(case_facts(case), calendar or WorkCalendar.load(), timezone.localdate())
    row = (
        Case.objects.filter(pk=case.pk)
        .values_list("row_version", *SCOPE, "due__due_date", "due__due_kind", "due__case_version", *_STORED_SCOPE)
        .get()
    )
    version, scope, stored = row[0], row[1:5], row[5:]
    if stored == (due_date, due_kind, version, *scope):
        return False
    _write([(case.pk, due_date, due_kind, version, *scope)])
    return (stored[0], stored[1] or DueKind.NONE) != (due_date, due_kind)


#
# Many cases
#


def candidates(case_ids: Iterable[int] | None = None) -> QuerySet[Case]:
    """The cases a bulk run examines: every open case, and any other case that still carries a
    due date (a closed case must lose it). A closed case without one stays as it is: no period
    runs after 审结 (the engine answers None for it)."""
    cases = Case.objects.filter(Q(stage__in=OPEN_STAGES) | Q(due__due_date__isnull=False))
    if case_ids is not None:
        cases = cases.filter(pk__in=list(case_ids))
    return cases


def _facts(values: tuple, links: tuple[tuple, ...], custody: tuple[tuple, ...]) -> CaseFacts:
    """CaseFacts from a streamed case row (the CASE_COLUMNS between id and the scope) and its
    links and custody intervals, built as `case_facts` builds them for one case."""
    case_type, procedure, stage, received, major_complex, likely_sentence = values
    return build_facts(
        case_type=case_type,
        procedure=procedure,
        stage=stage,
        received_date=received,
        is_major_complex=major_complex,
        likely_sentence=likely_sentence,
        links=links,
        custody=custody,
    )


def _grouped(rows: Iterable[tuple]) -> Iterator[tuple[int, tuple[tuple, ...]]]:
    """(case id, (row without the id, ...)) from rows whose first value is the case id, in order."""
    for case_id, group in groupby(rows, key=itemgetter(0)):
        yield case_id, tuple(row[1:] for row in group)


class _Merged:
    """Rows of a stream ordered by case id, looked up case by case in the same order."""

    def __init__(self, rows: Iterable[tuple]) -> None:
        self._groups = _grouped(rows)
        self._next: tuple[int, tuple[tuple, ...]] | None = next(self._groups, None)

    def take(self, case_id: int) -> tuple[tuple, ...]:
        while self._next is not None and self._next[0] < case_id:
            self._next = next(self._groups, None)
        if self._next is not None and self._next[0] == case_id:
            rows = self._next[1]
            self._next = next(self._groups, None)
            return rows
        return ()


def _streams(cases: QuerySet[Case]) -> tuple[Iterator[tuple], _Merged, _Merged]:
    """The three set-based reads, each ordered by case id."""
    ids = cases.values("pk")
    case_rows = cases.order_by("pk").values_list(*CASE_COLUMNS).iterator(chunk_size=CHUNK)
    links = (
        ProceduralLink.objects.filter(case_id__in=ids)
        .order_by("case_id", "start_date", "id")
        .values_list("case_id", "kind", "seq", "start_date", "end_date")
        .iterator(chunk_size=CHUNK)
    )
    custody = (
        CoerciveMeasure.objects.filter(suspect__case_id__in=ids, kind__in=CUSTODIAL_MEASURES)
        .order_by("suspect__case_id", "start_date", "id")
        .values_list("suspect__case_id", "start_date", "end_date")
        .iterator(chunk_size=CHUNK)
    )
    return case_rows, _Merged(links), _Merged(custody)


def recompute_all(
    *,
    case_ids: Iterable[int] | None = None,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> RecomputeResult:
    """Recompute the due date of every open case (or of `case_ids`), set-based (see the module
    docstring). `progress(n)` is told every `CHUNK` cases how many more were examined."""
    today = today or timezone.localdate()
    calendar = WorkCalendar.load()
    result = RecomputeResult()
    changes: list[Change] = []
    # current_period is a pure function of the facts (for one calendar and day), and many cases
    # share theirs (same receipt date and kind, no links): compute each distinct one once.
    known: dict[tuple, tuple[date | None, str]] = {}
    case_rows, links, custody = _streams(candidates(case_ids))
    for row in case_rows:
        case_id, scope, version = row[0], row[7:11], row[17]
        # A case without a CaseDue row reads (None, None): no period, like (None, "").
        stored = (row[11], row[12] or DueKind.NONE)
        key = (row[1:7], links.take(case_id), custody.take(case_id))
        due = known.get(key)
        if due is None:
            if len(known) >= KNOWN_LIMIT:
                known.clear()
            due = known[key] = due_of(_facts(*key), calendar, today)
        result.examined += 1
        result.running += due[0] is not None
        # A running period carries the case's scope; a case without one needs no row.
        if due != stored or (due[0] is not None and scope != row[13:17]):
            changes.append((case_id, *due, version, *scope))
        if progress is not None and result.examined % CHUNK == 0:
            progress(CHUNK)
    if progress is not None and result.examined % CHUNK:
        progress(result.examined % CHUNK)
    written = _write(changes)
    result.changed = written
    result.skipped = len(changes) - written
    return result


def _write(changes: list[Change]) -> int:
    """Upsert rows into CaseDue, skipping a row stored from a later case version and a case
    deleted meanwhile; return how many rows were written."""
    if not changes:
        return 0
    table = connection.ops.quote_name(CaseDue._meta.db_table)
    cases = connection.ops.quote_name(Case._meta.db_table)
    columns = ["case_id", "due_date", "due_kind", "case_version", *SCOPE]
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns[1:])
    upsert = (
        f"INSERT INTO {table} ({', '.join(columns)}) "  # noqa: S608 - quoted names, fixed columns
        "SELECT {select} WHERE EXISTS (SELECT 1 FROM " + cases + " AS c WHERE c.id = {id}) "
        f"ON CONFLICT (case_id) DO UPDATE SET {updates} WHERE {table}.case_version <= excluded.case_version"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE TEMPORARY TABLE deadline_changes (case_id bigint, due_date date, due_kind varchar(20), "
                "case_version integer, org_id bigint, department_id bigint, team_id bigint, prosecutor_id bigint) "
                "ON COMMIT DROP"
            )
            copy_rows(cursor, "deadline_changes", columns, changes)
            # Row counts for the planner: a few changes join by the case's key, many by hashing.
            cursor.execute("ANALYZE deadline_changes")
            select = ", ".join(f"t.{c}" for c in columns) + " FROM deadline_changes AS t"
            indexes = _drop_indexes(cursor) if len(changes) >= REBUILD_FROM else []
            cursor.execute(upsert.format(select=select, id="t.case_id"))
            written = cursor.rowcount
            for definition in indexes:
                cursor.execute(definition)
            # Dropped now, not at commit: a caller's transaction may run several recomputes.
            cursor.execute("DROP TABLE deadline_changes")
            if written >= ANALYZE_FROM:
                # The pages plan on the due-date statistics; after a mass change (the first
                # run after an upgrade fills every due date) stale ones make them slow.
                cursor.execute(f"ANALYZE {table}")
            return written
        written = 0
        sql = upsert.format(select=", ".join(["%s"] * len(columns)), id="%s")
        for start in range(0, len(changes), CHUNK):
            chunk = changes[start : start + CHUNK]
            cursor.executemany(sql, [(*change, change[0]) for change in chunk])
            written += cursor.rowcount
        return written


def _drop_indexes(cursor) -> list[str]:
    """Drop the due table's secondary indexes; return the statements that build them again."""
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s "
        "AND indexname NOT IN (SELECT conname FROM pg_constraint)",
        [CaseDue._meta.db_table],
    )
    indexes = cursor.fetchall()
    for name, _ in indexes:
        cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    return [definition for _, definition in indexes]


#
# Signal receivers (connected in DeadlinesConfig.ready)
#


def on_timeline_changed(sender, case: Case, **kwargs) -> None:
    """`case_timeline_changed`: the case's own write changed what its period depends on."""
    recompute_case(case)


def on_scope_changed(sender, case: Case, **kwargs) -> None:
    """`case_scope_changed`: the case changed hands; its running period's scope columns follow."""
    recompute_case(case)


def on_cases_loaded(sender, case_ids: list[int], **kwargs) -> None:
    """`cases_loaded`: a bulk load created or changed these cases, in the same transaction."""
    recompute_all(case_ids=case_ids)
