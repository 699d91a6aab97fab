"""Keeping `Case.due_date` / `Case.due_kind` equal to the running statutory period.

Invariant: `due_date` is set exactly when a statutory period runs for the case (domain-rules
§7.1–7.2), and `due_kind` names that period. One case follows its own writes through
`case_timeline_changed` (`recompute_case`); a bulk load, a working-day calendar change or the
`recomputedeadlines` command recompute many cases at once (`recompute_all`), set-based:

1. three streamed queries, each ordered by case id — the cases, their procedural links, the
   intervals in which a suspect of the case is held — merged in Python;
2. `current_period` per case, in Python (the engine is the only place the rules live);
3. the rows whose value changed written back in bulk: COPY into a temporary table and one
   `UPDATE … FROM` on PostgreSQL, `executemany` elsewhere.

The due date is derived data: writing it bumps no `row_version` and appends no event of its own
(the write that changed the facts recorded one). A bulk write only touches a row whose
`row_version` is still the one that was read, so a case changed meanwhile keeps the value its
own change computed.
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
from bihuan.lib.bulk import copy_rows

# Rows fetched per round trip while streaming, and rows written per statement on SQLite.
CHUNK = 5_000
# From this many rows written, the case table's statistics are refreshed (PostgreSQL).
ANALYZE_FROM = 50_000
# Distinct sets of facts remembered with their due date during one run (bounds its memory).
KNOWN_LIMIT = 200_000
CASE_COLUMNS = (
    "id",
    "case_type",
    "procedure",
    "stage",
    "received_date",
    "is_major_complex",
    "likely_sentence",
    "due_date",
    "due_kind",
    "row_version",
)


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
    """Bring one case's due date up to date; runs in the caller's transaction. Returns whether
    the stored value changed."""
    due_date, due_kind = due_of(case_facts(case), calendar or WorkCalendar.load(), timezone.localdate())
    stored = Case.objects.filter(pk=case.pk).values_list("due_date", "due_kind").first()
    case.due_date, case.due_kind = due_date, due_kind
    if stored == (due_date, due_kind):
        return False
    Case.objects.filter(pk=case.pk).update(due_date=due_date, due_kind=due_kind)
    return True


#
# Many cases
#


def candidates(case_ids: Iterable[int] | None = None) -> QuerySet[Case]:
    """The cases a bulk run examines: every open case, and any other case that still carries a
    due date (a closed case must lose it). A closed case without one stays as it is: no period
    runs after 审结 (the engine answers None for it)."""
    cases = Case.objects.filter(Q(stage__in=OPEN_STAGES) | Q(due_date__isnull=False))
    if case_ids is not None:
        cases = cases.filter(pk__in=list(case_ids))
    return cases


def _facts(values: tuple, links: tuple[tuple, ...], custody: tuple[tuple, ...]) -> CaseFacts:
    """CaseFacts from a streamed case row (the CASE_COLUMNS between id and due_date) and its
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
    changes: list[tuple[int, date | None, str, int]] = []
    # current_period is a pure function of the facts (for one calendar and day), and many cases
    # share theirs (same receipt date and kind, no links): compute each distinct one once.
    known: dict[tuple, tuple[date | None, str]] = {}
    case_rows, links, custody = _streams(candidates(case_ids))
    for row in case_rows:
        case_id, stored_date, stored_kind, version = row[0], row[7], row[8], row[9]
        key = (row[1:7], links.take(case_id), custody.take(case_id))
        due = known.get(key)
        if due is None:
            if len(known) >= KNOWN_LIMIT:
                known.clear()
            due = known[key] = due_of(_facts(*key), calendar, today)
        result.examined += 1
        result.running += due[0] is not None
        if due != (stored_date, stored_kind):
            changes.append((case_id, *due, version))
        if progress is not None and result.examined % CHUNK == 0:
            progress(CHUNK)
    if progress is not None and result.examined % CHUNK:
        progress(result.examined % CHUNK)
    written = _write(changes)
    result.changed = written
    result.skipped = len(changes) - written
    return result


def _write(changes: list[tuple[int, date | None, str, int]]) -> int:
    """Write (id, due_date, due_kind, row_version read) rows; return how many rows changed."""
    if not changes:
        return 0
    table = connection.ops.quote_name(Case._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE TEMPORARY TABLE deadline_changes "
                "(id bigint, due_date date, due_kind varchar(20), row_version integer) ON COMMIT DROP"
            )
            copy_rows(cursor, "deadline_changes", ["id", "due_date", "due_kind", "row_version"], changes)
            # Row counts for the planner: a few changes join by the case's key, many by hashing.
            cursor.execute("ANALYZE deadline_changes")
            cursor.execute(
                f"UPDATE {table} AS c SET due_date = t.due_date, due_kind = t.due_kind "  # noqa: S608 - quoted name
                "FROM deadline_changes AS t WHERE c.id = t.id AND c.row_version = t.row_version"
            )
            written = cursor.rowcount
            # Dropped now, not at commit: a caller's transaction may run several recomputes.
            cursor.execute("DROP TABLE deadline_changes")
            if written >= ANALYZE_FROM:
                # The pages plan on the due-date statistics; after a mass change (the first
                # run after an upgrade fills every due date) stale ones make them slow.
                cursor.execute(f"ANALYZE {table}")
            return written
        written = 0
        sql = f"UPDATE {table} SET due_date = %s, due_kind = %s WHERE id = %s AND row_version = %s"  # noqa: S608
        for start in range(0, len(changes), CHUNK):
            chunk = changes[start : start + CHUNK]
            cursor.executemany(sql, [(d, k, i, v) for i, d, k, v in chunk])
            written += cursor.rowcount
        return written


#
# Signal receivers (connected in DeadlinesConfig.ready)
#


def on_timeline_changed(sender, case: Case, **kwargs) -> None:
    """`case_timeline_changed`: the case's own write changed what its period depends on."""
    recompute_case(case)


def on_cases_loaded(sender, case_ids: list[int], **kwargs) -> None:
    """`cases_loaded`: a bulk load created or changed these cases, in the same transaction."""
    recompute_all(case_ids=case_ids)
