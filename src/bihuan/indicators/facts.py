"""The fact table of the indicators (`models.CaseFact`), written from the cases set-based.

Every measure of `definitions.MEASURES` is evaluated per case and counting date with the
measure's own definition (the rows of its basis, its condition, its COUNT or SUM: the same
queryset the drill-down lists), the bases are put together with UNION ALL, summed per (case, day)
and written with the case's scope columns in ONE INSERT … SELECT per selection of cases. The 案-件比
row of a matter (its last stage) carries the matter's links per countable kind.

    refresh_facts(case_ids=None, progress=None) -> int   (rows written)

`case_ids=None` rebuilds the whole table in one transaction, CHUNK cases per statement
(`bihuan indicators --refresh-facts`); otherwise the rows of every case of the same matters
(统一受案号) as the given cases are replaced, since a matter's last stage and its links count on
one case's row. The signal receivers below keep the table in step with the writes of the cases,
inside their transactions (docs/indicators.md, "事实表").
"""

from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum

from bihuan.cases.models import Case, ProceduralLink
from bihuan.indicators.definitions import FACT_MEASURES, MEASURES, Basis, Measure
from bihuan.indicators.engine import base_rows
from bihuan.indicators.models import COUNTABLE_LINKS, CaseFact, link_column

CHUNK = 50_000  # case ids per statement of a full rebuild
LOCKED_MATTERS = 50  # above this many matters, a refresh locks the table rather than each matter
SCOPE_COLUMNS = ("org_id", "department_id", "team_id", "prosecutor_id")
LINK_COLUMNS = tuple(link_column(kind) for kind in COUNTABLE_LINKS)
COLUMNS = (*FACT_MEASURES, *LINK_COLUMNS)


def _aggregate(measure: Measure) -> Count | Sum:
    """The measure over one case's rows of one date: COUNT of the rows matching its condition, or
    the SUM of its total over them."""
    condition = measure.where or None
    if measure.total is None:
        return Count("pk", filter=condition)
    return Sum(measure.total, filter=condition)


def _basis_rows(basis: Basis, selection: Q) -> QuerySet:
    """The basis rows of the selected cases that have a counting date, grouped by case and date."""
    prefix = basis.case_prefix
    column = "pk" if basis.model == "case" else "case_id"
    rows = base_rows(basis).filter(Q(**{f"{basis.date_field}__isnull": False}))
    rows = rows.filter(Q(*(Q(**{prefix + key: value}) for key, value in selection.children)))
    return rows.order_by().values(fact_case=F(column), fact_day=F(basis.date_field))


def _branches(selection: Q) -> tuple[list[str], list]:
    """One SELECT per basis, each giving (case, day, every column): its own measures, 0 for the
    others; the matters with their links of every countable kind."""
    qn = connection.ops.quote_name
    by_basis: dict[Basis, list[str]] = {}
    for name in FACT_MEASURES:
        by_basis.setdefault(MEASURES[name].basis, []).append(name)
    selects, params = [], []
    for basis, names in by_basis.items():
        rows = _basis_rows(basis, selection)
        if basis is Basis.MATTER_CONCLUDED:
            rows = rows.annotate(fact_matter=F("unified_case_no"))
        sql, basis_params = rows.annotate(
            **{name: _aggregate(MEASURES[name]) for name in names}
        ).query.sql_with_params()
        params += basis_params
        # Compiled querysets and quoted fixed names only (no value is written into the text).
        values = [f"{f'b.{qn(c)}' if c in names else '0'} AS {qn(c)}" for c in COLUMNS]
        head, source = f"SELECT b.{qn('fact_case')}, b.{qn('fact_day')}, ", f" FROM ({sql}) b"
        if basis is not Basis.MATTER_CONCLUDED:
            selects.append(head + ", ".join(values) + source)
            continue
        # The links of all cases of each matter whose last stage is selected, per kind.
        links = (
            ProceduralLink.objects.filter(
                case__unified_case_no__in=base_rows(basis).filter(selection).values("unified_case_no")
            )
            .order_by()
            .values(fact_matter=F("case__unified_case_no"))
            .annotate(**{link_column(kind): Count("pk", filter=Q(kind=kind)) for kind in COUNTABLE_LINKS})
        )
        links_sql, links_params = links.query.sql_with_params()
        params += links_params
        values[len(FACT_MEASURES) :] = [f"COALESCE(l.{qn(c)}, 0) AS {qn(c)}" for c in LINK_COLUMNS]
        joined = f" LEFT JOIN ({links_sql}) l ON l.{qn('fact_matter')} = b.{qn('fact_matter')}"
        selects.append(head + ", ".join(values) + source + joined)
    return selects, params


def _write(selection: Q) -> int:
    """Insert the rows of the selected cases (a filter on Case, without relations' prefix)."""
    qn = connection.ops.quote_name
    selects, params = _branches(selection)
    group = ["u." + qn("fact_case"), "u." + qn("fact_day"), *(f"c.{qn(c)}" for c in SCOPE_COLUMNS)]
    sums = [f"COALESCE(SUM(u.{qn(c)}), 0)" for c in COLUMNS]
    columns = ["case_id", "day", *SCOPE_COLUMNS, *COLUMNS]
    sql = (
        f"INSERT INTO {qn(CaseFact._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "  # noqa: S608
        f"SELECT {', '.join(group)}, {', '.join(sums)} FROM ({' UNION ALL '.join(selects)}) u "
        f"JOIN {qn(Case._meta.db_table)} c ON c.{qn('id')} = u.{qn('fact_case')} "
        f"GROUP BY {', '.join(group)} "
        # Written in index order: a procuratorate's rows of a period then lie on few pages.
        f"ORDER BY c.{qn('org_id')}, u.{qn('fact_day')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _lock(matters: QuerySet) -> None:
    """Serialise the refreshes of one matter (PostgreSQL; SQLite has one writer at a time). Two
    transactions writing cases of one matter at once would otherwise each replace its rows
    without seeing the other's: a unique violation, or a row left from the other's view. A
    transaction-level advisory lock per matter; a bulk refresh locks the table against other
    writers instead (it conflicts with the row lock every DELETE and INSERT takes; readers go on)."""
    if connection.vendor != "postgresql":
        return
    numbers = sorted(set(matters.values_list("unified_case_no", flat=True)))
    with connection.cursor() as cursor:
        if len(numbers) > LOCKED_MATTERS:
            table = connection.ops.quote_name(CaseFact._meta.db_table)
            cursor.execute(f"LOCK TABLE {table} IN SHARE ROW EXCLUSIVE MODE")
        else:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(m)) FROM unnest(%s::text[]) AS m", [numbers])


@transaction.atomic
def refresh_facts(case_ids: Iterable[int] | None = None, progress: Callable[[int, int], None] | None = None) -> int:
    """Recompute the fact rows of the given cases and of every case of their matters, or (None)
    of all cases, from the cases; returns the number of rows written. `progress(done, total)` is
    called after each chunk of a full rebuild (case ids)."""
    if case_ids is not None:
        ids, written = list(case_ids), 0
        # The ids recur in each basis's subquery (six times) beside a few parameters of the
        # measures: as many per statement as the database takes (SQLite 999, psycopg 65,535).
        step = (connection.features.max_query_params or 65_535) // 8
        for start in range(0, len(ids), step):
            matters = Case.objects.filter(pk__in=ids[start : start + step]).values("unified_case_no")
            _lock(matters)
            CaseFact.objects.filter(case__in=Case.objects.filter(unified_case_no__in=matters)).delete()
            written += _write(Q(unified_case_no__in=matters))
        return written
    if connection.vendor == "postgresql":
        # A new file rather than a million dead rows for the rebuild to write past (and every
        # scan to read until a vacuum); it locks the table until the rebuild commits.
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {connection.ops.quote_name(CaseFact._meta.db_table)}")
    else:
        CaseFact.objects.all().delete()
    bounds = Case.objects.aggregate(low=Min("pk"), high=Max("pk"))
    if bounds["low"] is None:
        return 0
    written, total = 0, bounds["high"] - bounds["low"] + 1
    for low in range(bounds["low"], bounds["high"] + 1, CHUNK):
        written += _write(Q(pk__range=(low, low + CHUNK - 1)))
        if progress:
            progress(min(low + CHUNK - bounds["low"], total), total)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the planner's statistics of the new table
            cursor.execute(f"ANALYZE {connection.ops.quote_name(CaseFact._meta.db_table)}")
    return written


#
# Receivers (connected in apps.py): the table follows the writes, in their transactions.
#


def on_case_changed(sender, case_id: int, **kwargs) -> None:
    """`case_changed`: any write to a case or what hangs on it (sent as the case is bumped)."""
    refresh_facts([case_id])


def on_timeline_changed(sender, case: Case, **kwargs) -> None:
    """`case_timeline_changed`: the workflow sends it once its links and suspects' outcomes are
    written (after `case_changed`), so the row sees the finished state of the action."""
    refresh_facts([case.pk])


def on_cases_loaded(sender, case_ids: list[int], **kwargs) -> None:
    """`cases_loaded`: a bulk load created or changed these cases."""
    refresh_facts(case_ids)


def on_team_changed(sender, instance, created: bool = False, **kwargs) -> None:
    """A team saved or deleted: its 快审 flag counts in `fast_track_cases`, and a deleted team
    leaves its cases without one. The cases are those its fact rows name (taken before the
    rows are replaced)."""
    if not created:
        refresh_facts(list(CaseFact.objects.filter(team_id=instance.pk).values_list("case_id", flat=True)))


def fill_after_migrate(sender, **kwargs) -> None:
    """After migrate: a database that has cases but no facts yet (the upgrade that brings the
    table) gets them at once, so that the indicators never show zero for cases that exist."""
    if Case.objects.exists() and not CaseFact.objects.exists():
        refresh_facts()
