"""`bihuan loadcases` into the database DATABASE_URL names: cases per second (issue 2 figure:
≥ 2,000 cases/s into PostgreSQL for 100,000 generated cases).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bihuan_bench python bench/bench_loadcases.py
    (options: --cases N, default 100000; --seed S, default 1)

1. Generate the file with `bihuan gencases` into bench/out/ (reused when it is already there).
2. Prepare the database: the migrations (they bring the charge catalogue) and the demo directory
   of units, departments, teams and people that generated cases refer to.
3. Time `bihuan loadcases FILE` twice: the first load creates every case, the second finds every
   case unchanged. Print cases per second of wall time for both, and the loader's CPU time.

The database must hold no case yet (a fresh database); otherwise the script stops rather than
time a load that only compares.
"""

import argparse
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

OUT = Path(__file__).resolve().parent / "out"

# Settings require a SECRET_KEY; a benchmark database signs its audit events with this one.
os.environ.setdefault("SECRET_KEY", "bench-loadcases-not-a-secret")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bihuan.settings")


def bihuan(*args: str) -> tuple[float, float, int]:
    """Run a `bihuan` command; return its wall time, its CPU time (s) and its exit status."""
    cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    status = subprocess.run([sys.executable, "-m", "bihuan", *args], env=os.environ, check=False).returncode
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime, status


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    path = OUT / f"loadcases-{args.cases}-{args.seed}.jsonl"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        wall, _, status = bihuan("gencases", "--cases", str(args.cases), "--seed", str(args.seed), "--out", str(path))
        if status:
            sys.exit(f"gencases 失败（退出码 {status}）")
        print(f"gencases：{args.cases} 件，{wall:.1f} s")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bihuan.cases.models import Case
    from bihuan.demo.directory import build_directory

    call_command("migrate", verbosity=0)
    build_directory()
    if Case.objects.exists():
        sys.exit("数据库中已有案件：请用一个新的数据库测量首次导入。")
    vendor = connection.vendor
    connection.close()

    print(f"数据库：{vendor}；文件：{path}（{args.cases} 件）")
    for label in ("首次导入（全部新增）", "再次导入（全部未变）"):
        wall, cpu, status = bihuan("loadcases", str(path))
        note = "" if status == 0 else f"；有行被拒绝（退出码 {status}），见上方的报告"
        print(f"{label}：{wall:.1f} s，{args.cases / wall:.0f} 件/秒（导入进程 CPU {cpu:.1f} s）{note}")


if __name__ == "__main__":
    main()
