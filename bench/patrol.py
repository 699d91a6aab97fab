"""The patrol at a million cases (issue 6 figures): a full patrol with every built-in rule over
1,000,000 cases on PostgreSQL, against a single sequential read of the same columns (goal ≤ 3×),
and the patrol of one changed case (goal p95 ≤ 50 ms).

Subcommands, all with the caller's DATABASE_URL and SECRET_KEY, over the million-case province of
`bench/indicators.py fill` (cases, suspects, measures, links):

    python bench/patrol.py docs                 # adds 起诉书 with extracted fields, once
    python bench/patrol.py full [--runs 2]      # the full patrol, then the sequential read
    python bench/patrol.py case [--cases 200]   # the patrol of one changed case, p50/p95/max

`docs` gives the suspects of a case distinct names (the fill names them alike), every suspect the
case's charge as principal charge (the fill leaves suspects without charges) and every prosecuted
case an 起诉书. The fields extracted from 40 % of them (per defendant: name, gender, birth date, ID
number where the card has one, principal charge, 认罪认罚, 量刑建议 with its kind and term) agree
with the card, except for about 1 % of the defendants whose birth date is a day off and 1 % whose
charge differs — what the patrol must find. It is plain SQL (INSERT … SELECT), not the extractor:
the extractor's speed is measured in bench/extraction.py.

The sequential read is `COPY (SELECT <the columns the rules read> FROM <table>) TO STDOUT` for
every table the patrol language reads (its vocabulary, docs/patrol.md), read to the end by the
client: the least work any patrol must do to look at every value once.
"""

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import percentile  # noqa: E402

TARGET_RATIO = 3.0
TARGET_CASE_P95_MS = 50

# The columns the patrol language reads, per table (docs/patrol.md, "Fields" and "Collections").
READ = {
    "cases_case": (
        "id, dept_case_no, unified_case_no, name, case_type, procedure, track, risk_level, is_major_complex, "
        "likely_sentence, stage, outcome, received_date, closed_date, charge_id, source_agency_id, "
        "department_id, team_id, prosecutor_id, summary, org_id"
    ),
    "deadlines_casedue": "case_id, due_date, due_kind",
    "cases_case_tags": "case_id, tag_id",
    "cases_suspect": (
        "id, case_id, seq, name, gender, birth_date, id_number, ethnicity, education, occupation, "
        "household_address, address, is_minor, outcome, plea, plea_signed_date, rec_kind, rec_penalty, "
        "rec_term_min, rec_term_max, rec_probation, verdict, judgment_date, court_penalty, court_term, "
        "court_probation, rec_adopted"
    ),
    "cases_suspectcharge": "suspect_id, charge_id, is_main",
    "cases_coercivemeasure": "id, suspect_id, kind, deciding_body, start_date, end_date, place",
    "cases_procedurallink": "id, case_id, suspect_id, kind, seq, start_date, end_date, approver, note",
    "documents_document": "id, case_id, kind, number, title, signed_date",
    "documents_extractedfield": 'document_id, name, "group", value, corrected_value',
    "workflow_approvalrequest": "case_id, decision_type_id, status, recorded_at",
    "workflow_publichearing": "case_id, held_on",
}


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bihuan.settings")
    import django

    django.setup()


def _require_postgres():
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("需要 PostgreSQL（DATABASE_URL=postgres://…）。")
    return connection


DOCS_SQL = (
    # `indicators.py fill` gives the case a charge (移送案由) but not its suspects: each suspect's
    # principal charge is the case's.
    """
    INSERT INTO cases_suspectcharge (suspect_id, charge_id, is_main)
    SELECT s.id, c.charge_id, true
    FROM cases_suspect s JOIN cases_case c ON c.id = s.case_id
    WHERE c.charge_id IS NOT NULL
    """,
    # The fill names every suspect alike; the 起诉书 and the patrol tell a case's defendants apart by
    # name, as people are.
    """
    UPDATE cases_suspect
    SET name = (ARRAY['张', '王', '李', '赵', '刘', '陈'])[1 + (seq - 1) %% 6] || '某' || seq
    """,
    # An 起诉书 for every prosecuted case, dated the day it was concluded.
    """
    INSERT INTO documents_document (case_id, kind, number, title, signed_date, text, created_at)
    SELECT c.id, 'indictment', '', '起诉书', c.closed_date, '', now()
    FROM cases_case c
    WHERE c.case_type = 'prosecution_review' AND c.outcome = 'prosecute'
    """,
    # Per defendant: name, gender, ID number as on the card; the birth date a day off for 1 %.
    """
    INSERT INTO documents_extractedfield (document_id, name, "group", value, start, "end", correction_note, row_version)
    SELECT d.id, f.name, s.seq, f.value, 0, 0, '', 1
    FROM documents_document d
    JOIN cases_suspect s ON s.case_id = d.case_id
    CROSS JOIN LATERAL (VALUES
        ('name', s.name),
        ('gender', CASE s.gender WHEN 'M' THEN '男' ELSE '女' END),
        ('id_number', NULLIF(s.id_number, '')),
        ('birth_date', to_char(s.birth_date + CASE WHEN s.id %% 100 = 7 THEN 1 ELSE 0 END, 'YYYY-MM-DD')),
        ('plea', CASE WHEN s.plea THEN '是' END),
        ('recommendation', CASE WHEN s.rec_kind <> '' THEN '有期徒刑' || s.rec_term_min || '个月' END),
        ('recommendation_kind', CASE s.rec_kind WHEN 'fixed' THEN '确定刑' WHEN 'range' THEN '幅度刑' END),
        ('recommendation_term_min', s.rec_term_min::text),
        ('recommendation_term_max', s.rec_term_max::text)
    ) AS f(name, value)
    WHERE d.kind = 'indictment' AND d.case_id %% 10 < 4 AND f.value IS NOT NULL
    """,
    # The principal charge; for 1 % of the defendants another charge of the catalogue.
    """
    INSERT INTO documents_extractedfield (document_id, name, "group", value, start, "end", correction_note, row_version)
    SELECT d.id, 'charge', s.seq,
           CASE WHEN s.id %% 100 = 11 THEN (SELECT name FROM cases_charge ORDER BY id LIMIT 1) ELSE ch.name END,
           0, 0, '', 1
    FROM documents_document d
    JOIN cases_suspect s ON s.case_id = d.case_id
    JOIN cases_suspectcharge sc ON sc.suspect_id = s.id AND sc.is_main
    JOIN cases_charge ch ON ch.id = sc.charge_id
    WHERE d.kind = 'indictment' AND d.case_id %% 10 < 4
    """,
)


def docs() -> None:
    _setup_django()
    connection = _require_postgres()
    started = time.monotonic()
    with connection.cursor() as cursor:
        # Once only: a statement that reads the table it fills (NOT EXISTS) is planned on the
        # empty table's statistics and turns quadratic.
        cursor.execute("SELECT EXISTS (SELECT 1 FROM documents_document WHERE kind = 'indictment')")
        if cursor.fetchone()[0]:
            sys.exit("已有起诉书，不再添加。")
        for statement in DOCS_SQL:
            cursor.execute(statement, ())  # parameters, so that %% is read as %
            print(f"  {cursor.rowcount:>9,} 行（{time.monotonic() - started:.0f} 秒）", flush=True)
            # Fresh statistics, or the next statement plans the new rows as none (nested loops).
            cursor.execute("ANALYZE documents_document; ANALYZE documents_extractedfield")
    print(f"已添加起诉书及其字段，用时 {time.monotonic() - started:.0f} 秒。")


def sequential_read() -> tuple[float, dict[str, int]]:
    """Seconds to read every column the rules read, once, to the client; bytes per table."""
    connection = _require_postgres()
    sizes = {}
    started = time.monotonic()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for table, columns in READ.items():
            size = 0
            with raw.copy(f"COPY (SELECT {columns} FROM {table}) TO STDOUT") as copy:  # noqa: S608 - fixed names
                for block in copy:
                    size += len(block)
            sizes[table] = size
    return time.monotonic() - started, sizes


def full(runs: int) -> int:
    _setup_django()
    connection = _require_postgres()
    from bihuan.cases.models import Case
    from bihuan.patrol.actions import do_patrol_full
    from bihuan.patrol.models import Rule

    print(f"案件 {Case.objects.count():,} 件，启用规则 {Rule.objects.filter(enabled=True).count()} 条。")
    times = []
    for n in range(1, runs + 1):
        started = time.monotonic()
        clock = [started]

        def each_rule(done, total, rule, hits, clock=clock) -> None:
            now = time.monotonic()
            print(f"    {done:>3}/{total} {rule.code:<7} {hits:>8,} 命中 {now - clock[0]:6.1f} 秒", flush=True)
            clock[0] = now

        run = do_patrol_full(progress=each_rule)
        elapsed = time.monotonic() - started
        times.append(elapsed)
        print(
            f"第 {n} 次全面巡查：{elapsed:.1f} 秒；巡查 {run.cases_checked:,} 件，命中 {run.hits:,}，"
            f"新发现 {run.opened}，自动销号 {run.auto_closed}",
            flush=True,
        )
    with connection.cursor() as cursor:
        # Fresh statistics after the writes, as autovacuum would give them: a case run's read of
        # its standing findings is otherwise planned on the counts before the first run.
        cursor.execute("ANALYZE patrol_finding; ANALYZE patrol_notice; ANALYZE notifications_notification")
    reads = [sequential_read() for _ in range(2)]
    read_s = min(r[0] for r in reads)
    sizes = reads[0][1]
    print(f"顺序读取规则所读的列（{sum(sizes.values()) / 2**20:,.0f} MiB）：{read_s:.1f} 秒")
    for table, size in sizes.items():
        print(f"  {table:<28} {size / 2**20:>8,.1f} MiB")
    ratio = times[-1] / read_s
    print(f"全面巡查 ÷ 顺序读取 = {ratio:.2f}（目标 ≤ {TARGET_RATIO}）")
    return 0 if ratio <= TARGET_RATIO else 1


def case(count: int, seed: int) -> int:
    _setup_django()
    _require_postgres()
    from bihuan.cases.models import Case
    from bihuan.patrol.actions import do_patrol_case

    rng = random.Random(seed)
    top = Case.objects.order_by("-pk").values_list("pk", flat=True).first()
    ids = Case.objects.filter(pk__in=[rng.randint(1, top) for _ in range(count * 2)]).values_list("pk", flat=True)
    ids = list(ids)[:count]
    for pk in ids[:5]:  # warm the connection and the caches of the code
        do_patrol_case(pk)
    times = []
    for pk in ids:
        started = time.perf_counter()
        do_patrol_case(pk)
        times.append((time.perf_counter() - started) * 1000)
    p50, p95 = percentile(times, 50), percentile(times, 95)
    print(
        f"单案巡查 {len(times)} 次：p50 {p50:.1f} ms，p95 {p95:.1f} ms，最长 {max(times):.1f} ms"
        f"（目标 p95 ≤ {TARGET_CASE_P95_MS} ms）"
    )
    return 0 if p95 <= TARGET_CASE_P95_MS else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("docs")
    p_full = sub.add_parser("full")
    p_full.add_argument("--runs", type=int, default=2)
    p_case = sub.add_parser("case")
    p_case.add_argument("--cases", type=int, default=200)
    p_case.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    if args.command == "docs":
        docs()
    elif args.command == "full":
        sys.exit(full(args.runs))
    else:
        sys.exit(case(args.cases, args.seed))


if __name__ == "__main__":
    main()
