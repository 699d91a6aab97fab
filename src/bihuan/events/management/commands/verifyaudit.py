"""`bihuan verifyaudit`: check the event chain; exit 0 when intact, 1 at the first break."""

import sys

from django.core.management.base import BaseCommand

from bihuan.events.chain import find_break
from bihuan.events.models import ChainHead, Event

FIELDS = [
    "seq",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "summary",
    "object_type",
    "object_id",
    "case_id",
    "org_code",
    "changes",
    "prev_hash",
    "hash",
]


class Command(BaseCommand):
    help = "校验全程留痕记录的哈希链：完整时退出码为 0，否则指出第一条异常记录并以 1 退出。"

    def handle(self, *args, **options) -> None:
        head = ChainHead.objects.filter(id=1).first()
        head_seq, head_hash = (head.last_seq, head.last_hash) if head else (0, "0" * 64)
        rows = Event.objects.order_by("seq").values(*FIELDS).iterator(chunk_size=5000)
        broken = find_break(rows, head_seq, head_hash)
        if broken is None:
            self.stdout.write(f"留痕记录完整：共 {head_seq} 条，哈希链校验通过。")
            return
        self.stderr.write(f"留痕记录被破坏：第 {broken.seq} 条记录异常：{broken.reason}")
        sys.exit(1)
