"""案件码 at a million cases (issue 4 figures): the public scan page at p95 ≤ 100 ms and the
statistics page for a city over a year in ≤ 1 s, on PostgreSQL with 1,000,000 cases.

Three steps, each its own subcommand, all with the caller's DATABASE_URL and SECRET_KEY:

    python bench/casecode.py fill [--codes 300000]   # adds case codes to an existing case database
    python bench/casecode.py scan [--requests 300]   # p50/p95 of the scan page over HTTP, anonymous
    python bench/casecode.py stats [--requests 30]   # the statistics page as the city chief

`fill` works on a database that already holds the cases (`python bench/deadlines.py fill`, or
`gencases` + `loadcases`): it picks `--codes` cases that have no code yet and writes, with COPY,
histories of 1–4 evaluations each (first colours about 25 % red, 45 % yellow, 30 % green, then
moving mostly towards green), their deductions on the active template's items (vetoes included),
the current code of each case with its dates, the open 补充侦查提纲 items of non-green cases, one
QR link per case (valid 180 days from its last evaluation, so older ones have expired) and 0–3
scans of it. The procuratorates of the chosen cases are set to score every case (OfficeSetting),
as an office that uses the code for all its cases would be. No audit events are written: this is
test data, as with bench/deadlines.py.
"""

import argparse
import os
import random
import re
import secrets
import sys
import time
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import Browser, percentile, running_server  # noqa: E402

TARGET_SCAN_P95_MS = 100
TARGET_STATS_S = 1.0
CHUNK = 20_000
# Colour of the first evaluation, then of each next one given the previous (mostly towards green).
FIRST = (("red", 0.25), ("yellow", 0.45), ("green", 0.30))
NEXT = {
    "red": (("red", 0.30), ("yellow", 0.50), ("green", 0.20)),
    "yellow": (("red", 0.10), ("yellow", 0.35), ("green", 0.55)),
    "green": (("yellow", 0.15), ("green", 0.85)),
}
HISTORY_LENGTHS = ((1, 0.4), (2, 0.3), (3, 0.2), (4, 0.1))
VETO_SHARE = 0.3  # of red evaluations
LINK_DAYS = 180


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bihuan.settings")
    import django

    django.setup()


def _pick(rng: random.Random, weighted) -> object:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _defaults(model) -> dict:
    meta = model._meta
    return {f.attname: f.get_default() for f in meta.concrete_fields if f is not meta.auto_field}


#
# fill
#


def _deductions(rng: random.Random, colour: str, items: list[tuple[int, Decimal, bool]]) -> list[tuple]:
    """(item id, points, veto) giving `colour` under the default thresholds (< 70 red, < 90
    yellow): green loses 0–10 points, yellow 11–30, red 31–50 or a veto."""
    if colour == "red" and rng.random() < VETO_SHARE:
        vetoable = [item for item in items if item[2]]
        item_id, points, _ = rng.choice(vetoable)
        return [(item_id, points, True)]
    target = {"green": rng.choice((0, 0, 5, 10)), "yellow": rng.randint(11, 30), "red": rng.randint(31, 50)}[colour]
    cuts, left = [], Decimal(target)
    for item_id, points, _ in rng.sample(items, len(items)):
        if left <= 0:
            break
        cut = min(points, left)
        cuts.append((item_id, cut, False))
        left -= cut
    return cuts


def fill(codes: int, seed: int) -> None:
    _setup_django()
    from django.db import connection, transaction
    from django.utils import timezone

    from bihuan.casecode.models import (
        CaseCode,
        Deduction,
        Evaluation,
        InquiryItem,
        OfficeSetting,
        Scan,
        ScoreTemplate,
        ShareToken,
    )
    from bihuan.casecode.scope import COLUMNS as SCOPE_COLUMNS
    from bihuan.casecode.scoring import reevaluate_by
    from bihuan.cases.models import Case
    from bihuan.lib.bulk import insert

    if connection.vendor != "postgresql":
        sys.exit("fill 需要 PostgreSQL（DATABASE_URL=postgres://…）。")
    template = ScoreTemplate.objects.filter(is_active=True).first()
    if template is None:
        sys.exit("没有启用的案件码评分表：先运行 bihuan migrate。")
    items = [(i.pk, i.max_points, bool(i.veto)) for i in template.items.all()]
    total_points = sum(points for _, points, _ in items)
    rng = random.Random(seed)
    now = timezone.now()
    zone = timezone.get_current_timezone()
    started = time.monotonic()
    candidates = list(
        Case.objects.filter(code__isnull=True, prosecutor__isnull=False).values_list("id", flat=True).iterator()
    )
    chosen = sorted(rng.sample(candidates, min(codes, len(candidates))))
    print(
        f"{len(candidates):,} 件案件无案件码，选取 {len(chosen):,} 件（{time.monotonic() - started:.0f} 秒）",
        flush=True,
    )
    orgs = Case.objects.values_list("org_id", flat=True).distinct()
    OfficeSetting.objects.bulk_create(
        [OfficeSetting(org_id=org, all_cases=True) for org in orgs], ignore_conflicts=True
    )
    rows = {m: _defaults(m) for m in (Evaluation, Deduction, CaseCode, InquiryItem, ShareToken, Scan)}
    written = defaultdict(int)
    for offset in range(0, len(chosen), CHUNK):
        ids = chosen[offset : offset + CHUNK]
        # The receipt date, and the case's scope columns its evaluations and code copy.
        facts = {
            row[0]: (row[1], dict(zip(SCOPE_COLUMNS, row[2:], strict=True)))
            for row in Case.objects.filter(pk__in=ids).values_list("id", "received_date", *SCOPE_COLUMNS)
        }
        evaluations, plans = [], []  # plans: (case id, [deductions]) per evaluation
        for case_id in ids:
            received, scope = facts[case_id]
            actor = scope["prosecutor_id"]
            day = datetime.combine(received, datetime.min.time(), tzinfo=zone) + timedelta(
                days=rng.randint(1, 10), hours=rng.randint(8, 17), minutes=rng.randrange(60)
            )
            colour = _pick(rng, FIRST)
            for seq in range(1, _pick(rng, HISTORY_LENGTHS) + 1):
                if day >= now:
                    break
                cuts = _deductions(rng, colour, items)
                score = total_points - sum((points for _, points, _ in cuts), Decimal(0))
                evaluations.append(
                    {
                        **rows[Evaluation],
                        "case_id": case_id,
                        "seq": seq,
                        "template_id": template.pk,
                        "reason": "first" if seq == 1 else "reevaluation",
                        "score": score,
                        "colour": colour,
                        "vetoed": any(veto for _, _, veto in cuts),
                        "evaluated_by_id": actor,
                        "evaluated_at": day,
                        **scope,
                    }
                )
                plans.append(cuts)
                day += timedelta(days=rng.randint(5, 20), minutes=rng.randrange(600))
                colour = _pick(rng, NEXT[colour])
        with transaction.atomic():
            evaluation_ids = insert(Evaluation, evaluations, ids=True)
            deductions, codes_rows, inquiries, tokens = [], [], [], []
            by_case: dict[int, list[int]] = defaultdict(list)
            for n, (evaluation_id, cuts) in enumerate(zip(evaluation_ids, plans, strict=True)):
                by_case[evaluations[n]["case_id"]].append(n)
                for item_id, points, veto in cuts:
                    deductions.append(
                        {
                            **rows[Deduction],
                            "evaluation_id": evaluation_id,
                            "item_id": item_id,
                            "points": points,
                            "veto": veto,
                            "reason": "证据不足，需补充侦查",
                        }
                    )
            for case_id, indexes in by_case.items():
                history = [evaluations[n] for n in indexes]
                last, last_id = history[-1], evaluation_ids[indexes[-1]]
                first_non_green = next((e for e in history if e["colour"] != "green"), None)
                green_after = first_non_green and next(
                    (e for e in history if e["colour"] == "green" and e["seq"] > first_non_green["seq"]), None
                )
                on = timezone.localdate(last["evaluated_at"])
                codes_rows.append(
                    {
                        **rows[CaseCode],
                        "case_id": case_id,
                        "current_id": last_id,
                        "score": last["score"],
                        "colour": last["colour"],
                        "first_evaluated_on": timezone.localdate(history[0]["evaluated_at"]),
                        "first_non_green_on": first_non_green and timezone.localdate(first_non_green["evaluated_at"]),
                        "turned_green_on": green_after and timezone.localdate(green_after["evaluated_at"]),
                        "reevaluate_by": reevaluate_by(last["colour"], on),
                        **facts[case_id][1],
                    }
                )
                if last["colour"] != "green":
                    for item_id, _, _ in plans[indexes[-1]]:
                        inquiries.append(
                            {
                                **rows[InquiryItem],
                                "case_id": case_id,
                                "item_id": item_id,
                                "raised_in_id": last_id,
                                "problem": "关键证据缺失",
                                "purpose": "查明案件事实",
                                "matters": "调取相关书证、询问证人",
                                "requirement": "十五日内补充完毕",
                            }
                        )
                created = last["evaluated_at"]
                tokens.append(
                    {
                        **rows[ShareToken],
                        "case_id": case_id,
                        "key": secrets.token_urlsafe(16),
                        "created_by_id": last["evaluated_by_id"],
                        "created_at": created,
                        "expires_at": created + timedelta(days=LINK_DAYS),
                    }
                )
            insert(Deduction, deductions)
            insert(CaseCode, codes_rows)
            insert(InquiryItem, inquiries)
            token_ids = insert(ShareToken, tokens, ids=True)
            scans = [
                {
                    **rows[Scan],
                    "token_id": token_id,
                    "case_id": token["case_id"],
                    "scanned_at": min(token["created_at"] + timedelta(hours=rng.randint(1, 200)), now),
                    "ip": f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                    "user_agent": "Mozilla/5.0 (Linux; Android 14) DingTalk/7.6",
                }
                for token_id, token in zip(token_ids, tokens, strict=True)
                for _ in range(rng.choice((0, 1, 1, 2, 3)))
            ]
            insert(Scan, scans)
        for name, rows_written in (
            ("evaluations", evaluations),
            ("deductions", deductions),
            ("codes", codes_rows),
            ("inquiries", inquiries),
            ("tokens", tokens),
            ("scans", scans),
        ):
            written[name] += len(rows_written)
        done = offset + len(ids)
        print(f"  {done:>9,} 件（{time.monotonic() - started:.0f} 秒）", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"已为 {len(chosen):,} 件案件赋码，用时 {time.monotonic() - started:.0f} 秒："
        + "，".join(f"{name} {n:,}" for name, n in written.items())
    )


#
# scan
#


def scan(requests: int, warmup: int, seed: int, threads: int) -> int:
    """GET the public scan page of random live links, anonymous, one after another."""
    _setup_django()
    from django.utils import timezone

    from bihuan.casecode.models import ShareToken
    from bihuan.casecode.sharing import link_path

    live = ShareToken.objects.filter(revoked_at=None, expires_at__gt=timezone.now())
    # Random rows without sorting the table: ids drawn from its range, the next live one taken.
    bounds = list(live.order_by("id").values_list("id", flat=True)[:1]) + list(
        live.order_by("-id").values_list("id", flat=True)[:1]
    )
    if not bounds:
        sys.exit("没有有效的案件码链接：先运行 python bench/casecode.py fill。")
    rng = random.Random(seed)
    paths = []
    for _ in range(warmup + requests):
        token = live.filter(id__gte=rng.randint(bounds[0], bounds[1])).order_by("id").first()
        paths.append(link_path(token or live.first()))
    # The page allows 30 openings a minute from one address; the bench is one address.
    os.environ["CASECODE_SCANS_PER_MINUTE"] = str(10 * (warmup + requests))
    timings, failures = [], []
    with running_server(threads=threads) as base:
        browser = Browser(base)
        for i, path in enumerate(paths):
            reply = browser.get(path)
            if reply.status != 200 or "扣分" not in reply.body:
                failures.append(f"{path}: {reply.status}")
            elif i >= warmup:
                timings.append(reply.ms)
    if timings:
        p50, p95 = percentile(timings, 50), percentile(timings, 95)
        verdict = "达到" if p95 <= TARGET_SCAN_P95_MS else "未达到"
        print(f"扫码页：{len(timings)} 次请求（另预热 {warmup} 次），随机有效链接，未登录，顺序发送")
        print(
            f"p50 {p50:.1f}，p95 {p95:.1f}，max {max(timings):.1f} ms（目标 p95 ≤ {TARGET_SCAN_P95_MS} ms：{verdict}）"
        )
    for failure in failures[:20]:
        print(f"失败：{failure}", file=sys.stderr)
    return 1 if failures else 0


#
# stats
#

STATS, EXPORT = "/casecode/stats/", "/casecode/stats/export/"
TOTAL = re.compile(r'class="stat total"[^>]*><div class="n">([^<]*)<')


def stats(requests: int, warmup: int, threads: int, username: str) -> int:
    """The statistics page for the city chief's whole city over the last 365 days, then the
    same with this year (the page's default), a county, and the Excel export."""
    from bihuan.orgs.demo import DEMO_PASSWORD

    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()  # the application's TIME_ZONE
    year = {"start": (today - timedelta(days=364)).isoformat(), "end": today.isoformat()}
    kinds = {"城市·近一年": (STATS, year), "城市·本年（默认）": (STATS, {}), "导出·近一年": (EXPORT, year)}
    timings: dict[str, list[float]] = defaultdict(list)
    failures = []
    with running_server(threads=threads) as base:
        browser = Browser(base)
        browser.login(username, DEMO_PASSWORD)
        for i in range(warmup + requests):
            kind = list(kinds)[i % len(kinds)]
            path, params = kinds[kind]
            reply = browser.get(path, params)
            if reply.status != 200:
                failures.append(f"{kind}: {reply.status}")
            elif i >= warmup:
                timings[kind].append(reply.ms)
        first = browser.get(STATS, year)
        match = TOTAL.search(first.body)
        total = match.group(1) if match else "?"
    print(f"案件码统计，{username}，{len(kinds)} 类请求各约 {requests // len(kinds)} 次（另预热 {warmup} 次）")
    print(f"近一年期间内评分案件：{total}")
    print(f"{'类别':<16}{'次数':>6}{'p50':>10}{'p95':>10}{'max':>10}   (ms)")
    for kind, values in timings.items():
        print(
            f"{kind:<16}{len(values):>6}{percentile(values, 50):>10.1f}"
            f"{percentile(values, 95):>10.1f}{max(values):>10.1f}"
        )
    main = timings.get("城市·近一年")
    if main:
        worst = percentile(main, 95) / 1000
        verdict = "达到" if worst <= TARGET_STATS_S else "未达到"
        print(f"城市·近一年：p95 {worst:.2f} 秒（目标 ≤ {TARGET_STATS_S:.0f} 秒：{verdict}）")
    for failure in failures:
        print(f"失败：{failure}", file=sys.stderr)
    return 1 if failures else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="step", required=True)
    p_fill = sub.add_parser("fill", help="add case codes to the cases of the database (PostgreSQL)")
    p_fill.add_argument("--codes", type=int, default=300_000)
    p_fill.add_argument("--seed", type=int, default=1)
    p_scan = sub.add_parser("scan", help="p50/p95 of the public scan page over HTTP")
    p_scan.add_argument("--requests", type=int, default=300)
    p_scan.add_argument("--warmup", type=int, default=20)
    p_scan.add_argument("--seed", type=int, default=1)
    p_scan.add_argument("--threads", type=int, default=8)
    p_stats = sub.add_parser("stats", help="the statistics page as the city chief")
    p_stats.add_argument("--requests", type=int, default=30)
    p_stats.add_argument("--warmup", type=int, default=3)
    p_stats.add_argument("--threads", type=int, default=8)
    p_stats.add_argument("--user", default="wh_chief")
    args = parser.parse_args()
    if args.step == "fill":
        fill(args.codes, args.seed)
    elif args.step == "scan":
        sys.exit(scan(args.requests, args.warmup, args.seed, args.threads))
    else:
        sys.exit(stats(args.requests, args.warmup, args.threads, args.user))


if __name__ == "__main__":
    main()
