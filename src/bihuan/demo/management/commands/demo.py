"""`bihuan demo`: migrate, create the demo directory, load generated cases, print the logins, serve."""

import subprocess
import sys
import tempfile
from importlib import import_module
from pathlib import Path
from typing import TextIO

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone
from django.utils.module_loading import module_has_submodule

from bihuan.cases.models import Case
from bihuan.demo.directory import build_directory, demo_logins, format_table
from bihuan.exchange.generate import dumps, generate_records
from bihuan.exchange.load import load_jsonl

DEMO_SEED = 2026


class Command(BaseCommand):
    help = "准备演示数据库（迁移、演示机构与人员、约 3000 件生成案件），列出各角色登录账号，并在本机启动服务。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--port", type=int, default=8000, help="服务端口（默认 8000）")
        parser.add_argument("--no-serve", action="store_true", help="只准备数据库，不启动服务")
        parser.add_argument("--cases", type=int, default=3000, help="数据库中没有案件时生成并导入的案件数（默认 3000）")

    def handle(self, *args, port: int, no_serve: bool, cases: int, verbosity: int, **options) -> None:
        self.stdout.write(f"数据库：{connection.vendor} {connection.settings_dict['NAME']}")
        self.stdout.write("迁移数据库 …")
        call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))

        created = build_directory()
        self.stdout.write(f"演示机构与人员：新建 {len(created)} 人（已存在的保持不变）。")

        if Case.objects.exists():
            self.stdout.write(f"数据库中已有 {Case.objects.count()} 件案件，不再生成。")
        elif cases > 0:
            # Rejected lines go to the raw stream, as in `bihuan loadcases`.
            self._load_cases(cases, options.get("stderr") or sys.stderr)
            self._feature_data()

        logins = demo_logins()
        self.stdout.write("\n各角色演示账号：")
        self.stdout.write(
            format_table(
                ("角色", "用户名", "密码", "姓名", "单位"),
                [(x.role, x.username, x.password, x.full_name, x.unit) for x in logins],
            )
        )
        self.stdout.write("")
        if no_serve:
            self.stdout.write(f"数据库已准备好。启动服务：bihuan demo --port {port}")
            return
        self.stdout.write(f"请在浏览器打开 http://127.0.0.1:{port}/ 登录。")
        # Background tasks (e.g. recomputing due dates after a holiday change) run in a worker
        # process beside the server, with the same environment (database, secret key).
        worker = subprocess.Popen([sys.executable, "-m", "bihuan", "db_worker"])  # noqa: S603 - fixed arguments
        try:
            call_command("serve", host="127.0.0.1", port=port, threads=8)
        finally:
            worker.terminate()
            worker.wait(timeout=10)

    def _feature_data(self) -> None:
        """Feature apps add their demo records over the loaded cases: an app with a module
        `demo_data.py` provides `populate() -> str` (a line saying what it added)."""
        for config in apps.get_app_configs():
            if module_has_submodule(config.module, "demo_data"):
                self.stdout.write(import_module(f"{config.name}.demo_data").populate())

    def _load_cases(self, count: int, stderr: TextIO) -> None:
        self.stdout.write(f"生成并导入 {count} 件演示案件 …")
        with tempfile.TemporaryDirectory(prefix="bihuan-demo-") as tmp:
            path = Path(tmp) / "demo-cases.jsonl"
            with path.open("w", encoding="utf-8") as out:
                # Received over the two years up to today, so that the cases still running are
                # open now, with live periods on the home and 期限 pages.
                for record in generate_records(count, DEMO_SEED, start=timezone.localdate()):
                    out.write(dumps(record) + "\n")
            report = load_jsonl(path, stderr=stderr)
        if report.rejected:
            raise CommandError(f"演示案件未能全部导入：{report.summary()}")
        self.stdout.write(f"演示案件：{report.summary()}。")
