"""Deadlines at a million cases (issue 3 figures): `bihuan recomputedeadlines` over 1,000,000 open
cases on PostgreSQL in ≤ 60 s, and the 在办案件 home page and the 期限预警 board at p95 ≤ 200 ms.

Three steps, each its own subcommand, all with the caller's DATABASE_URL and SECRET_KEY:

    python bench/deadlines.py fill --cases 1000000   # only where no million-case database exists
    python bench/deadlines.py recompute              # times `bihuan recomputedeadlines`, twice
    python bench/deadlines.py pages [--requests 200] # p50/p95/max of the two pages over HTTP

`fill` is a fast stand-in for `gencases` + `loadcases` (see bench/README.md): it adds open cases
to the demo directory's prosecutors with COPY — one suspect each, custody for 40 %, 退回补充侦查
for 10 % (open for a third of them), extensions, suspensions and changes of jurisdiction — with
receipt dates over the last 400 days, so that the pages see every urgency. Every case is open:
the recompute figure is about open cases, and an open case is the worst case for both pages.
"""

import argparse
import os
import random
import re
import subprocess
import sys
import time
import urllib.parse
from collections import defaultdict
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import Browser, percentile, running_server  # noqa: E402

TARGET_RECOMPUTE_S = 60
TARGET_P95_MS = 200
# A city chief (all four procuratorates), a county case manager, a county department head and
# a prosecutor: the widest and the narrowest scopes.
USERS = ("wh_chief", "rc_cm", "hc_head", "hc_pros1")
CHUNK = 50_000
OPEN_STAGES = ("received", "assigned", "reviewing", "proposed", "dept_review", "approval")


#
# fill
#


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bihuan.settings")
    import django

    django.setup()


def _defaults(model) -> dict:
    """Every concrete column (the automatic key left out) at its default, so that columns other
    apps add to the model are filled too."""
    meta = model._meta
    return {f.attname: f.get_default() for f in meta.concrete_fields if f is not meta.auto_field}


def fill(cases: int, seed: int) -> None:
    _setup_django()
    from django.db import connection, transaction
    from django.utils import timezone

    from bihuan.cases.models import Case, Charge, CoerciveMeasure, ProceduralLink, Suspect
    from bihuan.lib.bulk import insert
    from bihuan.orgs.models import User

    if connection.vendor != "postgresql":
        sys.exit("fill 需要 PostgreSQL（DATABASE_URL=postgres://…）。")
    people = list(
        User.objects.filter(roles__code="prosecutor", org__isnull=False).values_list(
            "id", "org_id", "department_id", "team_id"
        )
    )
    if not people:
        sys.exit("没有承办检察官：先运行 bihuan demo --no-serve --cases 0。")
    charges = list(Charge.objects.values_list("id", flat=True)[:60])
    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()
    base = Case.objects.count()
    case_row, suspect_row = _defaults(Case), _defaults(Suspect)
    link_row, measure_row = _defaults(ProceduralLink), _defaults(CoerciveMeasure)
    started = time.monotonic()
    for offset in range(0, cases, CHUNK):
        n = min(CHUNK, cases - offset)
        rows, plans = [], []
        for i in range(n):
            serial = base + offset + i + 1
            prosecutor, org, department, team = rng.choice(people)
            received = today - timedelta(days=rng.randrange(400))
            stage = rng.choice(OPEN_STAGES)
            rows.append(
                {
                    **case_row,
                    "dept_case_no": f"威检刑诉受[{received.year}]B{serial:09d}号",
                    "unified_case_no": f"9{serial:016d}",
                    "name": f"基准某某{serial}案",
                    "case_type": "prosecution_review" if rng.random() < 0.85 else "arrest_review",
                    "org_id": org,
                    "department_id": department,
                    "team_id": team,
                    "prosecutor_id": prosecutor,
                    "charge_id": rng.choice(charges),
                    "received_date": received,
                    "procedure": "fast" if rng.random() < 0.3 else "ordinary",
                    "risk_level": rng.choice(("low", "low", "medium", "high")),
                    "likely_sentence": rng.choice(("le1", "le3", "lt10")),
                    "stage": stage,
                    "row_version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
            plans.append((received, rng.random()))
        with transaction.atomic():
            ids = insert(Case, rows, ids=True)
            suspects = insert(
                Suspect,
                [{**suspect_row, "case_id": c, "seq": 1, "name": "基准某", "gender": "M"} for c in ids],
                ids=True,
            )
            measures, links = [], []
            for case_id, suspect_id, (received, r) in zip(ids, suspects, plans, strict=True):
                if r < 0.4:
                    start = received - timedelta(days=10)
                    measures.append({**measure_row, "suspect_id": suspect_id, "kind": "arrest", "start_date": start})
                if r < 0.1:
                    back = received + timedelta(days=40) if r < 0.067 else None
                    link = {"case_id": case_id, "kind": "supplementary", "start_date": received + timedelta(days=20)}
                    links.append({**link_row, **link, "end_date": back})
                elif r < 0.13:
                    link = {"case_id": case_id, "kind": "extension", "start_date": received + timedelta(days=25)}
                    links.append({**link_row, **link})
                elif r < 0.14:
                    start = received + timedelta(days=5)
                    link = {"case_id": case_id, "kind": "suspension", "start_date": start}
                    links.append({**link_row, **link, "end_date": start + timedelta(days=9)})
                elif r < 0.145:
                    start = received + timedelta(days=3)
                    link = {"case_id": case_id, "kind": "jurisdiction", "start_date": start}
                    links.append({**link_row, **link, "end_date": start + timedelta(days=2)})
            insert(CoerciveMeasure, measures)
            insert(ProceduralLink, links)
        print(f"  {offset + n:>9,} 件（{time.monotonic() - started:.0f} 秒）", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"已添加 {cases:,} 件在办案件，用时 {time.monotonic() - started:.0f} 秒。")


#
# recompute
#


def recompute() -> int:
    """`bihuan recomputedeadlines` as a subprocess, twice: the first run writes every due date
    that changed, the second finds nothing to write."""
    status = 0
    for run in ("第一次", "第二次"):
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "bihuan", "recomputedeadlines", "--no-progress"],
            capture_output=True,
            text=True,
            env=os.environ.copy(),
            check=False,
        )
        seconds = time.monotonic() - started
        print(f"{run}：{seconds:.1f} 秒 — {done.stdout.strip() or done.stderr.strip()[-2000:]}")
        if done.returncode:
            status = 1
        elif seconds > TARGET_RECOMPUTE_S:
            print(f"  目标 ≤ {TARGET_RECOMPUTE_S} 秒：未达到")
    return status


#
# pages
#

HOME, BOARD = "/deadlines/cases/", "/deadlines/"
NEXT_LINK = re.compile(r'<a [^>]*rel="next" href="([^"]+)"')
OPTION = re.compile(r'<select[^>]*name="(\w+)"[^>]*>(.*?)</select>', re.S)
VALUE = re.compile(r'<option value="([^"]+)"')
KINDS = (
    "在办-第一页",
    "在办-阶段",
    "在办-风险",
    "在办-期限种类",
    "在办-紧急程度",
    "在办-承办检察官",
    "在办-下一页",
    "预警-全部",
    "预警-已超期",
    "预警-今日",
    "预警-即将到期",
    "预警-部门",
)


def _options(body: str) -> dict[str, list[str]]:
    return {name: VALUE.findall(inner) for name, inner in OPTION.findall(body)}


def _request(kind: str, options: dict[str, list[str]], next_link: str | None, rng: random.Random):
    pick = lambda field: {field: rng.choice(options[field])} if options.get(field) else {}  # noqa: E731
    if kind == "在办-下一页" and next_link:
        parts = urllib.parse.urlsplit(next_link.replace("&amp;", "&"))
        return parts.path, dict(urllib.parse.parse_qsl(parts.query))
    return {
        "在办-第一页": (HOME, {}),
        "在办-下一页": (HOME, {}),
        "在办-阶段": (HOME, pick("stage")),
        "在办-风险": (HOME, pick("risk_level")),
        "在办-期限种类": (HOME, pick("due_kind")),
        "在办-紧急程度": (HOME, pick("urgency")),
        "在办-承办检察官": (HOME, pick("prosecutor")),
        "预警-全部": (BOARD, {}),
        "预警-已超期": (BOARD, {"urgency": "overdue"}),
        "预警-今日": (BOARD, {"urgency": "today"}),
        "预警-即将到期": (BOARD, {"urgency": "soon"}),
        "预警-部门": (BOARD, pick("department")),
    }[kind]


def pages(requests: int, warmup: int, seed: int, threads: int) -> int:
    from bihuan.orgs.demo import DEMO_PASSWORD

    rng = random.Random(seed)
    timings: dict[str, list[float]] = defaultdict(list)
    failures = []
    with running_server(threads=threads) as base:
        people = []
        for username in USERS:
            browser = Browser(base)
            browser.login(username, DEMO_PASSWORD)
            first = browser.get(HOME)
            if first.status != 200:
                raise RuntimeError(f"{username}: 在办案件 answered {first.status}")
            match = NEXT_LINK.search(first.body)
            people.append([username, browser, _options(first.body), match.group(1) if match else None])
        for i in range(warmup + requests):
            person = people[i % len(people)]
            username, browser, options, next_link = person
            kind = KINDS[i % len(KINDS)]
            path, params = _request(kind, options, next_link, rng)
            reply = browser.get(path, params)
            if reply.status != 200:
                failures.append(f"{username} {kind} {path}?{urllib.parse.urlencode(params)}: {reply.status}")
                continue
            if kind == "在办-下一页":
                match = NEXT_LINK.search(reply.body)
                person[3] = match.group(1) if match else None
            if i >= warmup:
                timings[kind].append(reply.ms)
    every = [ms for values in timings.values() for ms in values]
    print(f"{len(every)} 次请求（另预热 {warmup} 次），{len(USERS)} 个账号，顺序发送：")
    print(f"{'类别':<12}{'次数':>6}{'p50':>10}{'p95':>10}{'max':>10}   (ms)")
    for kind in KINDS:
        values = timings.get(kind)
        if values:
            print(
                f"{kind:<12}{len(values):>6}{percentile(values, 50):>10.1f}"
                f"{percentile(values, 95):>10.1f}{max(values):>10.1f}"
            )
    for label, prefix in (("在办案件", "在办"), ("期限预警", "预警")):
        values = [ms for kind, v in timings.items() if kind.startswith(prefix) for ms in v]
        if values:
            p95 = percentile(values, 95)
            verdict = "达到" if p95 <= TARGET_P95_MS else "未达到"
            p50 = percentile(values, 50)
            print(f"{label}：p50 {p50:.1f}，p95 {p95:.1f} ms（目标 ≤ {TARGET_P95_MS} ms：{verdict}）")
    for failure in failures:
        print(f"失败：{failure}", file=sys.stderr)
    return 1 if failures else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="step", required=True)
    p_fill = sub.add_parser("fill", help="add generated open cases (PostgreSQL)")
    p_fill.add_argument("--cases", type=int, default=1_000_000)
    p_fill.add_argument("--seed", type=int, default=1)
    sub.add_parser("recompute", help="time bihuan recomputedeadlines, twice")
    p_pages = sub.add_parser("pages", help="p95 of the home page and the board over HTTP")
    p_pages.add_argument("--requests", type=int, default=200)
    p_pages.add_argument("--warmup", type=int, default=24)
    p_pages.add_argument("--seed", type=int, default=1)
    p_pages.add_argument("--threads", type=int, default=8)
    args = parser.parse_args()
    if args.step == "fill":
        fill(args.cases, args.seed)
    elif args.step == "recompute":
        sys.exit(recompute())
    else:
        sys.exit(pages(args.requests, args.warmup, args.seed, args.threads))


if __name__ == "__main__":
    main()
