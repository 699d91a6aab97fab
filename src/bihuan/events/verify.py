"""Checking the whole event chain, shared by `bihuan verifyaudit` and the audit log page."""

from bihuan.events.chain import GENESIS, Break, find_break
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


def chain_length() -> int:
    """How many events the chain head says were appended."""
    head = ChainHead.objects.filter(id=1).first()
    return head.last_seq if head else 0


def verify_chain() -> Break | None:
    """Walk every event in sequence order; None when the chain is intact."""
    head = ChainHead.objects.filter(id=1).first()
    head_seq, head_hash = (head.last_seq, head.last_hash) if head else (0, GENESIS)
    rows = Event.objects.order_by("seq").values(*FIELDS).iterator(chunk_size=5000)
    return find_break(rows, head_seq, head_hash)
