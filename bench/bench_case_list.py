"""The case list page with filters, through the real HTTP stack (issue 2 figure: p95 ≤ 150 ms
over 200 requests with PostgreSQL holding 1,000,000 cases).

The script does not load data. Prepare the database once (see bench/README.md):

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/bihuan_bench SECRET_KEY=<any, kept>
    bihuan demo --no-serve --cases 0          # schema and the demo directory, no cases
    bihuan gencases --cases 1000000 --seed 1 --out /tmp/1m.jsonl
    bihuan loadcases /tmp/1m.jsonl

Then, with the same environment:

    python bench/bench_case_list.py [--requests 200] [--seed 1]

It starts `bihuan serve` on a free port, logs in as several demo roles through the login form
(urllib + cookie jar, CSRF token from the form), discovers real filter values from the page's
own selects and rows, then sends the requests one after another, each a different mix of
filters (stage, prosecutor, date range, charge, risk, track, suspect-name prefix, 部门受案号,
next-page cursor, combinations), and prints p50/p95/max in milliseconds per kind and overall.
Any answer other than 200 is reported and makes the exit status 1.
"""

import argparse
import html
import os
import random
import re
import sys
import urllib.parse
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_common import Browser, Reply, percentile, running_server, select_options  # noqa: E402

from bihuan.orgs.demo import DEMO_PASSWORD  # noqa: E402

LIST = "/cases/"
TARGET_P95_MS = 150
# A city chief (reads all four procuratorates), a county department head, a county case
# manager and a prosecutor: the widest and the narrowest scopes.
USERS = ("wh_chief", "hc_head", "rc_cm", "hc_pros1")
SURNAMES = "王李张刘陈杨黄赵吴周"
COMMON_CHARGES = ("危险驾驶", "盗窃", "帮助信息网络犯罪活动", "诈骗", "故意伤害", "交通肇事", "开设赌场")
CASE_NO = re.compile(r'<div class="case-no">([^<·]+?) ·')
RECEIVED = re.compile(r'<td class="nowrap">(\d{4}-\d{2}-\d{2})</td>')
NEXT_LINK = re.compile(r'<a [^>]*rel="next" href="([^"]+)"')
TOTAL = re.compile(r'<span class="total">([^<]+)</span>')


class Person:
    """A logged-in demo account and the filter values its own list page offers."""

    def __init__(self, base: str, username: str) -> None:
        self.username = username
        self.browser = Browser(base)
        self.browser.login(username, DEMO_PASSWORD)
        first = self.browser.get(LIST)
        if first.status != 200:
            raise RuntimeError(f"{username}: the case list answered {first.status}")
        self.options = select_options(first.body)
        self.numbers = CASE_NO.findall(first.body)
        dates = [date.fromisoformat(d) for d in RECEIVED.findall(first.body)]
        if not dates:
            raise RuntimeError(f"{username}: the case list is empty; load the cases first (see the docstring)")
        self.latest = max(dates)
        total = TOTAL.search(first.body)
        self.total = total.group(1) if total else "?"
        self.next_link = next_link(first)
        self.charges = [v for v, label in self.options.get("charge", []) if label.startswith(COMMON_CHARGES)]

    def pick(self, rng: random.Random, field: str) -> dict:
        values = [value for value, _ in self.options.get(field, [])]
        return {field: rng.choice(values)} if values else {}

    def date_range(self, rng: random.Random) -> dict:
        start = self.latest - timedelta(days=rng.randint(0, 720))
        return {"received_from": start.isoformat(), "received_to": (start + timedelta(days=30)).isoformat()}


def next_link(reply: Reply) -> str | None:
    match = NEXT_LINK.search(reply.body)
    return html.unescape(match.group(1)) if match else None


def build_request(kind: str, person: Person, rng: random.Random) -> tuple[str, dict]:
    """The path and query parameters of one request of the given kind."""
    if kind == "下一页" and person.next_link:
        parts = urllib.parse.urlsplit(person.next_link)
        return parts.path, dict(urllib.parse.parse_qsl(parts.query))
    params = {
        "第一页": lambda: {},
        "下一页": lambda: {},
        "阶段": lambda: person.pick(rng, "stage"),
        "承办检察官": lambda: person.pick(rng, "prosecutor"),
        "受理日期": lambda: person.date_range(rng),
        "罪名": lambda: {"charge": rng.choice(person.charges)} if person.charges else person.pick(rng, "charge"),
        "风险等级": lambda: person.pick(rng, "risk_level"),
        "繁简": lambda: person.pick(rng, "track"),
        "姓名前缀": lambda: {"q": rng.choice(SURNAMES) + "某"},
        "部门受案号": lambda: {"q": rng.choice(person.numbers)},
        "组合": lambda: {**person.pick(rng, "stage"), **person.date_range(rng), **person.pick(rng, "org")},
    }[kind]()
    return LIST, params


KINDS = (
    "第一页",
    "阶段",
    "承办检察官",
    "受理日期",
    "罪名",
    "风险等级",
    "繁简",
    "姓名前缀",
    "部门受案号",
    "下一页",
    "组合",
)


def database_label() -> str:
    """DATABASE_URL without its password."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        return "（默认 SQLite）"
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}{f':{parts.port}' if parts.port else ''}{parts.path}"


def run(base: str, requests: int, warmup: int, seed: int, slowest: int) -> int:
    rng = random.Random(seed)
    people = [Person(base, username) for username in USERS]
    print(f"服务器 {base}；数据库 {database_label()}")
    for p in people:
        print(f"  {p.username}: 案件列表 {p.total}")
    timings: dict[str, list[float]] = defaultdict(list)
    measured: list[tuple[float, str]] = []
    failures = []
    for i in range(warmup + requests):
        person = people[i % len(people)]
        kind = KINDS[i % len(KINDS)]
        path, params = build_request(kind, person, rng)
        # Searches go through the form's POST, which answers with a tokenised list URL.
        reply = person.browser.post(path, params) if "q" in params else person.browser.get(path, params)
        request = f"{person.username} {kind} {path}?{urllib.parse.urlencode(params)}"
        if reply.status != 200:
            failures.append(f"{request}: {reply.status}")
            continue
        # A search that finds nothing would be fast for the wrong reason.
        if kind == "部门受案号" and params["q"] not in reply.body:
            failures.append(f"{request}: 结果中没有所查的部门受案号")
        # The next "下一页" request of this person follows the page it just saw, going deeper.
        person.next_link = next_link(reply) or person.next_link
        if i >= warmup:
            timings[kind].append(reply.ms)
            measured.append((reply.ms, request))
    every = [ms for values in timings.values() for ms in values]
    print(f"\n{len(every)} 次请求（另预热 {warmup} 次），{len(people)} 个账号，顺序发送：")
    print(f"{'类别':<10}{'次数':>6}{'p50':>10}{'p95':>10}{'max':>10}   (ms)")
    for kind in KINDS:
        values = timings.get(kind)
        if values:
            print(
                f"{kind:<10}{len(values):>6}{percentile(values, 50):>10.1f}"
                f"{percentile(values, 95):>10.1f}{max(values):>10.1f}"
            )
    if every:
        p95 = percentile(every, 95)
        print(f"{'全部':<10}{len(every):>6}{percentile(every, 50):>10.1f}{p95:>10.1f}{max(every):>10.1f}")
        print(f"目标 p95 ≤ {TARGET_P95_MS} ms：{'达到' if p95 <= TARGET_P95_MS else '未达到'}")
    for ms, request in sorted(measured, reverse=True)[:slowest]:
        print(f"  慢：{ms:7.1f} ms  {request}")
    for failure in failures:
        print(f"失败：{failure}", file=sys.stderr)
    return 1 if failures else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="measured requests (default 200)")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests first (default 20)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the request mix (default 1)")
    parser.add_argument("--port", type=int, default=None, help="server port (default: a free one)")
    parser.add_argument("--threads", type=int, default=8, help="waitress threads (default 8)")
    parser.add_argument("--slowest", type=int, default=0, help="list the N slowest requests (default 0)")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        print("注意：未设置 DATABASE_URL，使用当前目录的 SQLite 数据库。", file=sys.stderr)
    with running_server(args.port, args.threads) as base:
        status = run(base, args.requests, args.warmup, args.seed, args.slowest)
    sys.exit(status)


if __name__ == "__main__":
    main()
