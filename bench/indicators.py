"""Indicators at a million cases (issue 7 figures): all indicators for one city procuratorate over
one year (≈ 50,000 cases) at p95 ≤ 300 ms and for the whole province (1,000,000 cases) in ≤ 2 s,
on PostgreSQL; the engine's time at most 1.5 × that of a hand-written SQL query giving the same
figures.

Subcommands, all with the caller's DATABASE_URL and SECRET_KEY:

    python bench/indicators.py fill --cases 1000000   # on a fresh `bihuan demo --no-serve --cases 0`
    bihuan indicators --refresh-facts                 # the fact table (fill writes with COPY, no signals)
    python bench/indicators.py run [--repeat 20]      # engine vs hand-written SQL, city and province
    python bench/indicators.py page [--requests 20]   # the /indicators/ page as the city chief
    python bench/indicators.py indexes [--drop]       # the indexes asked of the cases app, by hand

`fill` makes the province a province: nine more cities beside the demo's 威海 (each a city
procuratorate and three counties with a criminal department, a fast-track team, an ordinary team
and three prosecutors), then writes `--cases` cases with COPY spread evenly over the ten cities'
prosecutors, received over the 780 days before today and written in that order (as an office
registers them, so the table's physical order follows the dates), most of them concluded: matters of 审查起诉
alone (65 %), 审查逮捕 alone (10 %) or 审查逮捕 followed by 审查起诉 under the same 统一受案号 (25 %);
繁简 (60 % simple, handled by the fast-track team), 1–3 suspects with outcomes (批捕/不捕; 起诉,
four kinds of 不起诉, 撤回起诉), 认罪认罚, 量刑建议 (确定刑/幅度刑), court verdicts with judgment
dates and adoption, custody (拘留, 逮捕 with end dates, 取保候审), and the procedural links the
indicators read (退补 with their days out, 延长, 撤回起诉, 上诉, 抗诉, 发回重审, 不捕复议, 不诉复议,
不诉申诉). No audit events are written: this is test data, as with bench/deadlines.py.

`run` times the engine against a hand-written statement over the same fact table, and checks
every numerator and denominator against both that statement and one computing them from the
cases, suspects and links directly (timed once, for comparison).
"""

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import Browser, percentile, running_server  # noqa: E402

TARGET_CITY_P95_MS = 300
TARGET_PROVINCE_S = 2.0
TARGET_RATIO = 1.5
CITY, PROVINCE = "371000", "370000"
CHUNK = 50_000
SPAN_DAYS = 780
# Nine more cities of the province (the demo directory has 威海 only).
CITIES = (
    ("370100", "济南", "济"),
    ("370200", "青岛", "青"),
    ("370300", "淄博", "淄"),
    ("370400", "枣庄", "枣"),
    ("370500", "东营", "东"),
    ("370600", "烟台", "烟"),
    ("370700", "潍坊", "潍"),
    ("370800", "济宁", "宁"),
    ("370900", "泰安", "泰"),
)
NON_PROSECUTION = (("np_discretionary", 0.70), ("np_evidence", 0.18), ("np_statutory", 0.06), ("np_conditional", 0.06))
# The indexes the engine's author proposed for the cases app (tried here by hand, see README).
INDEXES = {
    "bench_suspect_judgment": "cases_suspect (judgment_date)",
    "bench_case_org_closed": "cases_case (org_id, closed_date)",
    "bench_case_dept_closed": "cases_case (department_id, closed_date)",
    "bench_case_team_closed": "cases_case (team_id, closed_date)",
    "bench_case_pros_closed": "cases_case (prosecutor_id, closed_date)",
    "bench_link_case_kind": "cases_procedurallink (case_id, kind)",
}


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bihuan.settings")
    import django

    django.setup()


def _defaults(model) -> dict:
    """Every concrete column (the automatic key left out) at its default."""
    meta = model._meta
    return {f.attname: f.get_default() for f in meta.concrete_fields if f is not meta.auto_field}


def _pick(rng: random.Random, weighted) -> str:
    r = rng.random()
    for value, share in weighted:
        r -= share
        if r < 0:
            return value
    return weighted[-1][0]


#
# fill
#


def _province() -> None:
    """Nine more cities with three counties each, their departments, teams and prosecutors."""
    from django.contrib.auth.hashers import make_password

    from bihuan.orgs.models import Department, Organisation, Role, Team, User

    province = Organisation.objects.get(code=PROVINCE)
    if Organisation.objects.filter(code=CITIES[0][0]).exists():
        return
    prosecutor = Role.objects.get(code="prosecutor")
    password = make_password(None)
    for code, name, short in CITIES:
        city = Organisation.objects.create(
            code=code, name=f"{name}市人民检察院", short_name=short, level="city", parent=province
        )
        units = [(city, short, "市院")] + [
            (
                Organisation.objects.create(
                    code=f"{code[:4]}0{n}",
                    name=f"{name}市第{n}区人民检察院",
                    short_name=f"{short}{n}",
                    level="county",
                    parent=city,
                ),
                f"{short}{n}",
                f"{n}区",
            )
            for n in (2, 3, 4)
        ]
        for org, prefix, label in units:
            department = Department.objects.create(org=org, name="第一检察部", short_name="一部", kind="criminal")
            fast = Team.objects.create(department=department, name=f"{label}快审团队", is_fast_track=True)
            ordinary = Team.objects.create(department=department, name=f"{label}办案一组")
            for n, team in enumerate((fast, ordinary, ordinary), start=1):
                user = User.objects.create(
                    username=f"bench_{org.code}_{n}",
                    full_name=f"{prefix}检察官{n}",
                    password=password,
                    org=org,
                    department=department,
                    team=team,
                )
                user.roles.add(prosecutor)


class Writer:
    """Rows of one chunk, generated case by case."""

    def __init__(self, rng: random.Random, today: date, defaults: dict, charges: list[int]) -> None:
        self.rng, self.today, self.defaults, self.charges = rng, today, defaults, charges
        self.cases: list[dict] = []
        self.suspects: list[list[dict]] = []  # per case
        self.measures: list[list[list[dict]]] = []  # per case, per suspect
        self.links: list[list[dict]] = []  # per case; "suspect" holds the index of the suspect

    def _case(self, serial: int, matter: int, person: tuple, case_type: str, received: date, track: str) -> date | None:
        rng, today = self.rng, self.today
        prosecutor, org, department, team_fast, team_other = person
        prosecution = case_type == "prosecution_review"
        returns: list[tuple[int, int]] = []
        if prosecution:
            review = rng.randint(5, 15) if track == "simple" else rng.randint(20, 45)
            if rng.random() < (0.02 if track == "simple" else 0.2):
                returns.append((rng.randint(10, 20), rng.randint(20, 31)))
                if rng.random() < 0.25:
                    returns.append((rng.randint(5, 15), rng.randint(20, 31)))
        else:
            review = rng.randint(3, 7)
        closed = received + timedelta(days=review + sum(out for _, out in returns))
        if closed > today:
            closed = None
        links: list[dict] = []
        day = received
        for before, out in returns:
            start = day + timedelta(days=before)
            back = start + timedelta(days=out)
            if start > today:
                break
            links.append({"kind": "supplementary", "start_date": start, "end_date": back if back <= today else None})
            day = back
        if prosecution and track == "complex" and rng.random() < 0.12 and received + timedelta(days=28) <= today:
            links.append({"kind": "extension", "start_date": received + timedelta(days=28), "end_date": None})
        suspects, measures = [], []
        for seq in range(1, 1 + _pick_int(rng, ((1, 0.7), (2, 0.22), (3, 0.08)))):
            suspect, custody, more = self._suspect(seq, prosecution, received, closed)
            suspects.append(suspect)
            measures.append(custody)
            links += more
        first = suspects[0]["outcome"]
        self.cases.append(
            {
                **self.defaults["case"],
                "dept_case_no": f"鲁检{'刑诉' if prosecution else '刑捕'}受[{received.year}]B{serial:09d}号",
                "unified_case_no": f"B{matter}",
                "name": f"基准某某{serial}案",
                "case_type": case_type,
                "org_id": org,
                "department_id": department,
                "team_id": team_fast if track == "simple" else team_other,
                "prosecutor_id": prosecutor,
                "charge_id": rng.choice(self.charges),
                "received_date": received,
                "procedure": rng.choice(("fast", "simplified")) if track == "simple" else "ordinary",
                "track": track,
                "risk_level": rng.choice(("low", "low", "medium", "high")),
                "likely_sentence": "le1" if track == "simple" else rng.choice(("le3", "lt10")),
                "stage": ("archived" if closed < today - timedelta(days=90) else "concluded")
                if closed
                else "reviewing",
                "outcome": first if closed else "",
                "closed_date": closed,
                "row_version": 1,
                "created_at": self.defaults["now"],
                "updated_at": self.defaults["now"],
            }
        )
        self.suspects.append(suspects)
        self.measures.append(measures)
        self.links.append(links)
        return closed

    def _suspect(self, seq: int, prosecution: bool, received: date, closed: date | None):
        """A suspect with outcome, plea, recommendation, verdict; custody; links naming them."""
        rng, today = self.rng, self.today
        row = {**self.defaults["suspect"], "seq": seq, "name": "基准某", "gender": rng.choice("MMMF")}
        custody, links = [], []
        detained = rng.random() < (0.35 if prosecution else 0.9)
        if not prosecution:
            outcome = "arrest_approved" if rng.random() < 0.78 else "arrest_refused"
            if detained:
                custody.append({"kind": "detention", "start_date": received - timedelta(days=3), "end_date": closed})
            if closed and outcome == "arrest_approved":
                custody.append({"kind": "arrest", "start_date": closed, "end_date": None})
            elif closed and rng.random() < 0.04:
                links.append({"kind": "no_arrest_reconsideration", "start_date": closed + timedelta(days=5)})
            row.update(outcome=outcome if closed else "")
            return (
                row,
                [c for c in custody if c["start_date"] <= today],
                [lk for lk in links if lk["start_date"] <= today],
            )
        r = rng.random()
        outcome = "prosecute" if r < 0.85 else ("withdrawn" if r < 0.87 else _pick(rng, NON_PROSECUTION))
        plea = rng.random() < (0.9 if outcome != "np_evidence" else 0.2)
        rec = ""
        if outcome in ("prosecute", "withdrawn"):
            rec = (
                _pick(rng, (("fixed", 0.75), ("range", 0.25)))
                if plea
                else _pick(rng, (("fixed", 0.2), ("range", 0.5), ("", 0.3)))
            )
        judged = None
        if closed and outcome == "prosecute":
            judged = closed + timedelta(days=rng.randint(15, 120))
            if judged > today:
                judged = None
        if detained:
            end = judged if outcome == "prosecute" else (closed if closed and rng.random() < 0.7 else None)
            custody.append({"kind": "arrest", "start_date": received - timedelta(days=20), "end_date": end})
        elif rng.random() < 0.6:
            custody.append({"kind": "bail", "start_date": received - timedelta(days=10), "end_date": None})
        if not closed:
            row.update(plea=plea)
            return row, custody, links
        row.update(
            outcome=outcome,
            plea=plea,
            plea_signed_date=closed - timedelta(days=2) if plea else None,
            rec_kind=rec,
            rec_penalty="fixed_term" if rec else "",
            rec_term_min=6 if rec else None,
            rec_term_max=(6 if rec == "fixed" else 12) if rec else None,
        )
        if outcome == "withdrawn" and closed + timedelta(days=40) <= today:
            links.append({"kind": "withdrawal", "start_date": closed + timedelta(days=40), "named": True})
        elif outcome.startswith("np_") and rng.random() < 0.06:
            kind = rng.choice(("np_reconsideration", "np_complaint", "np_review"))
            links.append({"kind": kind, "start_date": closed + timedelta(days=10)})
        if judged:
            guilty = rng.random() >= 0.003
            row.update(
                verdict="guilty" if guilty else "not_guilty",
                judgment_date=judged,
                court_penalty="fixed_term" if guilty else "",
                court_term=rng.randint(6, 12) if guilty else None,
                rec_adopted=(rng.random() < 0.93) if rec else None,
            )
            r = rng.random()
            appeal = judged + timedelta(days=8)
            if r < 0.07 and appeal <= today:
                links.append({"kind": "appeal", "start_date": appeal, "named": True})
            elif r < 0.075 and appeal <= today:
                links.append({"kind": "protest", "start_date": appeal, "named": True})
            elif r < 0.077 and appeal + timedelta(days=60) <= today:
                links.append({"kind": "retrial", "start_date": appeal + timedelta(days=60), "named": True})
        return row, custody, links

    def matter(self, serial: int, matter: int, person: tuple, received: date) -> int:
        """One matter received on `received`: 1 or 2 cases. Returns the number of cases written."""
        rng, today = self.rng, self.today
        track = "simple" if rng.random() < 0.6 else "complex"
        r = rng.random()
        if r < 0.65:
            self._case(serial, matter, person, "prosecution_review", received, track)
            return 1
        closed = self._case(serial, matter, person, "arrest_review", received, track)
        if r < 0.75 or closed is None:
            return 1
        later = closed + timedelta(days=rng.randint(40, 70))
        if later > today:
            return 1
        self._case(serial + 1, matter, person, "prosecution_review", later, track)
        return 2

    def write(self) -> None:
        from bihuan.cases.models import Case, CoerciveMeasure, ProceduralLink, Suspect
        from bihuan.lib.bulk import insert

        case_ids = insert(Case, self.cases, ids=True)
        suspect_rows = [
            {**row, "case_id": case_id} for case_id, rows in zip(case_ids, self.suspects, strict=True) for row in rows
        ]
        suspect_ids = iter(insert(Suspect, suspect_rows, ids=True))
        measure_row, link_row = self.defaults["measure"], self.defaults["link"]
        measures, links = [], []
        for case_id, per_suspect, case_links in zip(case_ids, self.measures, self.links, strict=True):
            ids = [next(suspect_ids) for _ in per_suspect]
            for suspect_id, custody in zip(ids, per_suspect, strict=True):
                measures += [{**measure_row, **m, "suspect_id": suspect_id} for m in custody]
            counts: dict[str, int] = {}
            for link in case_links:
                named = link.pop("named", False)
                counts[link["kind"]] = counts.get(link["kind"], 0) + 1
                suspect = ids[0] if named else None
                links.append(
                    {**link_row, **link, "case_id": case_id, "suspect_id": suspect, "seq": counts[link["kind"]]}
                )
        insert(CoerciveMeasure, measures)
        insert(ProceduralLink, links)


def _pick_int(rng: random.Random, weighted) -> int:
    return int(_pick(rng, weighted))


def fill(cases: int, seed: int) -> None:
    _setup_django()
    from django.db import connection, transaction
    from django.utils import timezone

    from bihuan.cases.models import Case, Charge, CoerciveMeasure, ProceduralLink, Suspect
    from bihuan.orgs.models import Organisation, User

    if connection.vendor != "postgresql":
        sys.exit("fill 需要 PostgreSQL（DATABASE_URL=postgres://…）。")
    if not Organisation.objects.filter(code=CITY).exists():
        sys.exit("没有演示单位：先运行 bihuan demo --no-serve --cases 0。")
    _province()
    # The prosecutors of each city tree, with their unit and the two teams of their department.
    cities = {}
    for code in (CITY, *(c for c, _, _ in CITIES)):
        path = Organisation.objects.get(code=code).path
        people = []
        for pk, org, department in User.objects.filter(
            roles__code="prosecutor", org__path__startswith=path, department__isnull=False
        ).values_list("id", "org_id", "department_id"):
            teams = list(
                User.objects.get(pk=pk)
                .department.teams.order_by("-is_fast_track", "id")
                .values_list("id", "is_fast_track")
            )
            fast = next((t for t, is_fast in teams if is_fast), teams[0][0])
            other = next((t for t, is_fast in teams if not is_fast), fast)
            people.append((pk, org, department, fast, other))
        cities[code] = people
    charges = list(Charge.objects.values_list("id", flat=True)[:80])
    rng = random.Random(seed)
    today = timezone.localdate()
    defaults = {
        "case": _defaults(Case),
        "suspect": _defaults(Suspect),
        "measure": _defaults(CoerciveMeasure),
        "link": _defaults(ProceduralLink),
        "now": timezone.now(),
    }
    serial = Case.objects.count()
    matter = serial
    written = 0
    started = time.monotonic()
    city_people = list(cities.values())
    while written < cases:
        writer = Writer(rng, today, defaults, charges)
        n = 0
        while n < min(CHUNK, cases - written):
            matter += 1
            person = rng.choice(rng.choice(city_people))
            # Cases are written in the order they were received, as an office registers them.
            day = SPAN_DAYS - (SPAN_DAYS - 5) * (written + n) // cases
            added = writer.matter(serial + 1, matter, person, today - timedelta(days=day))
            serial += added
            n += added
        with transaction.atomic():
            writer.write()
        written += n
        print(f"  {written:>9,} 件（{time.monotonic() - started:.0f} 秒）", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"已添加 {written:,} 件案件，用时 {time.monotonic() - started:.0f} 秒。"
        "下一步：bihuan indicators --refresh-facts"
    )


#
# run: the engine against hand-written SQL
#

# The same figures from the cases themselves (the engine's formulation before the fact table): run
# once per scope to check that the fact table agrees with the cases at a million.
CASES_SQL = """
WITH scope_orgs AS (SELECT id FROM orgs_organisation WHERE path LIKE %(path)s),
closed AS MATERIALIZED (
    SELECT c.id, c.unified_case_no, c.team_id, c.track, c.received_date, c.closed_date,
           c.case_type = 'prosecution_review' AS pros, c.case_type = 'arrest_review' AS arr
    FROM cases_case c
    WHERE c.org_id IN (SELECT id FROM scope_orgs) AND c.closed_date BETWEEN %(start)s AND %(end)s
),
persons AS (
    SELECT
        count(*) FILTER (WHERE c.pros) AS closed_persons,
        count(*) FILTER (WHERE c.pros AND s.plea) AS plea_persons,
        count(*) FILTER (WHERE c.pros AND s.outcome IN ('prosecute', 'withdrawn')) AS prosecuted,
        count(*) FILTER (WHERE c.pros AND s.outcome = ANY(%(np)s)) AS not_prosecuted,
        count(*) FILTER (
            WHERE c.pros AND (s.outcome IN ('prosecute', 'withdrawn') OR s.outcome = ANY(%(np)s))
            AND EXISTS (
                SELECT 1 FROM cases_coercivemeasure m
                WHERE m.suspect_id = s.id AND m.kind = 'arrest' AND m.start_date <= c.closed_date
                  AND (m.end_date IS NULL OR m.end_date >= c.closed_date)
            )
        ) AS arrested_at_close,
        count(*) FILTER (WHERE c.pros AND s.outcome = 'withdrawn') AS withdrawn,
        count(*) FILTER (WHERE c.pros AND s.rec_kind IN ('fixed', 'range')) AS recommended,
        count(*) FILTER (WHERE c.pros AND s.rec_kind = 'fixed') AS recommended_fixed,
        count(*) FILTER (WHERE c.arr AND s.outcome = 'arrest_approved') AS arrest_approved,
        count(*) FILTER (WHERE c.arr AND s.outcome = 'arrest_refused') AS arrest_refused
    FROM closed c JOIN cases_suspect s ON s.case_id = c.id
),
judged AS (
    SELECT
        count(*) AS judged,
        count(*) FILTER (WHERE s.verdict = 'not_guilty') AS acquitted,
        count(*) FILTER (WHERE s.rec_kind IN ('fixed', 'range')) AS judged_recommended,
        count(*) FILTER (WHERE s.rec_kind IN ('fixed', 'range') AND s.rec_adopted) AS adopted
    FROM cases_suspect s JOIN cases_case c ON c.id = s.case_id
    WHERE s.judgment_date BETWEEN %(start)s AND %(end)s
      AND c.case_type = 'prosecution_review' AND c.org_id IN (SELECT id FROM scope_orgs)
),
cases AS (
    SELECT
        count(*) AS closed_cases,
        count(*) FILTER (WHERE t.is_fast_track) AS fast_track_cases,
        count(*) FILTER (WHERE c.pros) AS closed_prosecution,
        count(*) FILTER (WHERE c.pros AND c.track = 'simple') AS closed_simple,
        count(*) FILTER (WHERE c.pros AND c.track = 'complex') AS closed_complex,
        coalesce(sum(c.closed_date - c.received_date) FILTER (WHERE c.pros), 0) AS gross_days,
        coalesce(sum(c.closed_date - c.received_date) FILTER (WHERE c.pros AND c.track = 'simple'), 0)
            AS gross_days_simple,
        coalesce(sum(c.closed_date - c.received_date) FILTER (WHERE c.pros AND c.track = 'complex'), 0)
            AS gross_days_complex
    FROM closed c LEFT JOIN orgs_team t ON t.id = c.team_id
),
links AS (
    SELECT
        count(*) FILTER (WHERE l.kind = 'supplementary') AS returns,
        count(*) FILTER (WHERE l.kind = 'extension') AS extensions,
        coalesce(sum(coalesce(l.end_date, c.closed_date) - l.start_date)
            FILTER (WHERE l.kind = 'supplementary'), 0) AS days_out,
        coalesce(sum(coalesce(l.end_date, c.closed_date) - l.start_date)
            FILTER (WHERE l.kind = 'supplementary' AND c.track = 'simple'), 0) AS days_out_simple,
        coalesce(sum(coalesce(l.end_date, c.closed_date) - l.start_date)
            FILTER (WHERE l.kind = 'supplementary' AND c.track = 'complex'), 0) AS days_out_complex
    FROM closed c JOIN cases_procedurallink l ON l.case_id = c.id
    WHERE c.pros AND l.kind IN ('supplementary', 'extension')
),
last_stages AS (
    SELECT c.unified_case_no FROM closed c
    WHERE NOT EXISTS (
        SELECT 1 FROM cases_case o
        WHERE o.unified_case_no = c.unified_case_no
          AND (o.closed_date IS NULL OR o.closed_date > c.closed_date
               OR (o.closed_date = c.closed_date AND o.id > c.id))
    )
),
matters AS (
    SELECT
        count(*) AS matters,
        coalesce(sum((
            SELECT count(*) FROM cases_procedurallink l JOIN cases_case m ON m.id = l.case_id
            WHERE m.unified_case_no = ls.unified_case_no
              AND l.kind IN (SELECT kind FROM indicators_extralink)
        )), 0) AS extra_links
    FROM last_stages ls
)
SELECT * FROM persons, judged, cases, links, matters
"""


# What a careful hand-written query reads for the same figures: one SUM per column over the fact
# rows of the scope's procuratorates in the period, the 案-件比 links of the kinds in force.
FACTS_SQL = """
SELECT {sums}, {links} AS extra_links
FROM indicators_casefact f
WHERE f.org_id = ANY(%(orgs)s) AND f.day BETWEEN %(start)s AND %(end)s
"""


def _fetch(sql: str, params: dict) -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column.name for column in cursor.description]
        return {name: int(value or 0) for name, value in zip(names, cursor.fetchone(), strict=True)}


def hand_measures(path: str, start: date, end: date) -> dict[str, int]:
    """Every measure from the fact table, by hand: the configured link kinds and the scope's
    procuratorates first (one statement), then the sums."""
    from django.db import connection

    from bihuan.indicators.definitions import FACT_MEASURES

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT array_agg(kind) FROM indicators_extralink),"
            " (SELECT array_agg(id) FROM orgs_organisation WHERE path LIKE %s)",
            [path + "%"],
        )
        kinds, orgs = cursor.fetchone()
    sums = ", ".join(f"sum(f.{name}) AS {name}" for name in FACT_MEASURES)
    links = "sum(" + " + ".join(f"f.link_{kind}" for kind in kinds) + ")" if kinds else "0"
    return _fetch(FACTS_SQL.format(sums=sums, links=links), {"orgs": orgs, "start": start, "end": end})


def case_measures(path: str, start: date, end: date) -> dict[str, int]:
    """Every measure from the cases, suspects and links (no fact table)."""
    from bihuan.cases.choices import NON_PROSECUTION as NP

    params = {"path": path + "%", "start": start, "end": end, "np": [str(o) for o in NP]}
    return _fetch(CASES_SQL, params)


def _timed(function, repeat: int) -> tuple[list[float], object]:
    function()  # warm
    timings, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        timings.append((time.perf_counter() - started) * 1000)
    return timings, result


def run(repeat: int, year_no: int, explain: bool) -> int:
    _setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bihuan.cases.models import Case
    from bihuan.indicators.access import org_scope
    from bihuan.indicators.definitions import INDICATORS, PARTS
    from bihuan.indicators.engine import compute
    from bihuan.indicators.periods import year
    from bihuan.orgs.models import Organisation

    period = year(year_no)
    status = 0
    print(f"数据库：{Case.objects.count():,} 件案件；期间 {period.label}；每项重复 {repeat} 次（另预热 1 次）。")
    ratios = []
    for code, label, goal_ms, stat in (
        (CITY, "市院（含下级院）", TARGET_CITY_P95_MS, 95),
        (PROVINCE, "全省", TARGET_PROVINCE_S * 1000, 100),
    ):
        org = Organisation.objects.get(code=code)
        scope = org_scope(org, include_lower=True)
        engine_ms, figures = _timed(lambda scope=scope: compute(scope, [period])[0], repeat)
        hand_ms, measures = _timed(lambda org=org: hand_measures(org.path, period.start, period.end), repeat)
        started = time.perf_counter()
        from_cases = case_measures(org.path, period.start, period.end)
        cases_ms = (time.perf_counter() - started) * 1000
        mismatches = []
        for indicator in INDICATORS:
            figure = figures[indicator.code]
            for part_name in PARTS:
                part = getattr(indicator, part_name)
                got = getattr(figure, part_name)
                for source, values in (("手写 SQL（事实表）", measures), ("由案件直接计算", from_cases)):
                    expected = sum(sign * values[name] for sign, name in part.terms)
                    if got != expected:
                        mismatches.append(f"{indicator.code}.{part_name}: 引擎 {got}，{source} {expected}")
        cases = figures["plea_rate"].denominator
        closed = Case.objects.filter(org__path__startswith=org.path, closed_date__range=(period.start, period.end))
        print(f"\n{label}：期间内审结 {closed.count():,} 件，审查起诉审结 {cases:,} 人")
        for name, values in (("引擎 compute", engine_ms), ("手写 SQL", hand_ms)):
            print(
                f"  {name:<14} p50 {percentile(values, 50):8.1f}  p95 {percentile(values, 95):8.1f}"
                f"  max {max(values):8.1f} ms"
            )
        print(f"  由案件直接计算（不经事实表，一次）{cases_ms:8.1f} ms")
        ratio = percentile(engine_ms, 50) / percentile(hand_ms, 50)
        ratios.append(ratio)
        worst = percentile(engine_ms, stat)
        verdict = "达到" if worst <= goal_ms else "未达到"
        print(f"  引擎 {'p95' if stat == 95 else 'max'} {worst:.1f} ms（目标 ≤ {goal_ms:.0f} ms：{verdict}）")
        verdict = "达到" if ratio <= TARGET_RATIO else "未达到"
        print(f"  引擎 / 手写 SQL（p50）= {ratio:.2f}（目标 ≤ {TARGET_RATIO}：{verdict}）")
        if worst > goal_ms or ratio > TARGET_RATIO:
            status = 1
        if mismatches:
            status = 1
            print("  与手写 SQL 不一致：\n    " + "\n    ".join(mismatches))
        else:
            print("  15 项指标的分子、分母与手写 SQL（事实表）、由案件直接计算的结果均一致。")
        for indicator in INDICATORS:
            figure = figures[indicator.code]
            print(f"    {indicator.name:<16} {figure.numerator:>9,} / {figure.denominator:>9,} = {figure.display}")
        if explain:
            with CaptureQueriesContext(connection) as queries:
                compute(scope, [period])
            with connection.cursor() as cursor:
                for query in queries.captured_queries:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                    print(f"\n  -- {query['time']} s\n  {query['sql'][:300]}…")
                    print("\n".join("    " + row[0] for row in cursor.fetchall()))
    return status


#
# page: /indicators/ over HTTP
#


def page(requests: int, year_no: int) -> int:
    from bihuan.orgs.demo import DEMO_PASSWORD

    params = {"scope": f"tree:{CITY}", "from": f"{year_no}-01-01", "to": f"{year_no}-12-31"}
    timings = []
    with running_server(threads=4) as base:
        browser = Browser(base)
        browser.login("wh_chief", DEMO_PASSWORD)
        for i in range(requests + 2):
            reply = browser.get("/indicators/", params)
            if reply.status != 200:
                print(f"/indicators/ 答 {reply.status}", file=sys.stderr)
                return 1
            if i >= 2:
                timings.append(reply.ms)
    print(
        f"/indicators/（威海市院含下级院，{year_no} 年，本期+同比+环比），{requests} 次请求（另预热 2 次）："
        f"p50 {percentile(timings, 50):.1f}，p95 {percentile(timings, 95):.1f}，max {max(timings):.1f} ms"
    )
    return 0


def indexes(drop: bool) -> None:
    _setup_django()
    from django.db import connection

    with connection.cursor() as cursor:
        for name, target in INDEXES.items():
            started = time.monotonic()
            cursor.execute(f"DROP INDEX IF EXISTS {name}" if drop else f"CREATE INDEX IF NOT EXISTS {name} ON {target}")
            print(f"{'删除' if drop else '建立'} {name}：{time.monotonic() - started:.1f} 秒")
        cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="step", required=True)
    p_fill = sub.add_parser("fill", help="add generated cases over the province (PostgreSQL)")
    p_fill.add_argument("--cases", type=int, default=1_000_000)
    p_fill.add_argument("--seed", type=int, default=1)
    p_run = sub.add_parser("run", help="time the engine and the hand-written SQL")
    p_run.add_argument("--repeat", type=int, default=20)
    p_run.add_argument("--year", type=int, default=None, help="the counting year (default: last year)")
    p_run.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the engine's queries")
    p_page = sub.add_parser("page", help="time /indicators/ as the city chief")
    p_page.add_argument("--requests", type=int, default=20)
    p_page.add_argument("--year", type=int, default=None)
    p_idx = sub.add_parser("indexes", help="create (or --drop) the proposed indexes by hand")
    p_idx.add_argument("--drop", action="store_true")
    args = parser.parse_args()
    last_year = time.localtime().tm_year - 1
    if args.step == "fill":
        fill(args.cases, args.seed)
    elif args.step == "run":
        sys.exit(run(args.repeat, args.year or last_year, args.explain))
    elif args.step == "page":
        sys.exit(page(args.requests, args.year or last_year))
    else:
        indexes(args.drop)


if __name__ == "__main__":
    main()
