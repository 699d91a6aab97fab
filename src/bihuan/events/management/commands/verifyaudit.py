"""`bihuan verifyaudit`: check the event chain; exit 0 when intact, 1 at the first break."""

import sys

from django.core.management.base import BaseCommand

from bihuan.events.verify import chain_length, verify_chain


class Command(BaseCommand):
    help = "校验全程留痕记录的哈希链：完整时退出码为 0，否则指出第一条异常记录并以 1 退出。"

    def handle(self, *args, **options) -> None:
        broken = verify_chain()
        if broken is None:
            self.stdout.write(f"留痕记录完整：共 {chain_length()} 条，哈希链校验通过。")
            return
        self.stderr.write(f"留痕记录被破坏：第 {broken.seq} 条记录异常：{broken.reason}")
        sys.exit(1)
