"""`bihuan gencases --cases N --seed S --out FILE`: write synthetic exchange-format cases."""

import sys
from datetime import date
from itertools import islice

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from bihuan.exchange.generate import DEFAULT_START, dumps, generate_records

PROGRESS_FROM = 10_000  # cases; smaller files are written before a bar would be worth drawing
CHUNK = 1_000


class Command(BaseCommand):
    help = (
        "为演示检察院生成交换格式（JSON Lines）的模拟案件。同一种子生成的文件逐字节相同；"
        f"受理日期分布在 --start（默认 {DEFAULT_START:%Y-%m-%d}）之前两年内，届时尚未办结的案件处于办理中。"
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--cases", type=int, required=True, help="案件数（行数）")
        parser.add_argument("--seed", type=int, default=1, help="随机种子，默认 1")
        parser.add_argument("--out", required=True, help="输出文件，- 表示标准输出")
        parser.add_argument(
            "--start", type=date.fromisoformat, default=DEFAULT_START, help="截止日期 YYYY-MM-DD（“今天”）"
        )

    def handle(self, *args, **options) -> None:
        count = options["cases"]
        if count < 0:
            raise CommandError("--cases 不能为负数")
        # Raw streams: the progress bar writes partial lines that Django's wrapper would end.
        stdout = options.get("stdout") or sys.stdout
        stderr = options.get("stderr") or sys.stderr
        to_stdout = options["out"] == "-"
        try:
            out = stdout if to_stdout else open(options["out"], "w", encoding="utf-8", newline="\n")  # noqa: SIM115
        except OSError as e:
            raise CommandError(f"无法写入 {options['out']}：{e.strerror}") from e
        records = generate_records(count, options["seed"], start=options["start"])
        try:
            with tqdm(total=count, unit="件", file=stderr, disable=count < PROGRESS_FROM, mininterval=0.5) as bar:
                while chunk := list(islice(records, CHUNK)):
                    out.write("".join(dumps(r) + "\n" for r in chunk))
                    bar.update(len(chunk))
        finally:
            if not to_stdout:
                out.close()
        if not to_stdout:
            self.stdout.write(f"已生成 {count} 件案件，写入 {options['out']}（种子 {options['seed']}）。")
