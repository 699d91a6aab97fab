"""Hashing and verification of the event chain."""

import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings

GENESIS = "0" * 64


def _key() -> bytes:
    # AUDIT_KEY lets the log outlive a SECRET_KEY rotation; by default it derives from SECRET_KEY.
    explicit = getattr(settings, "AUDIT_KEY", None)
    base = explicit or f"bihuan-audit:{settings.SECRET_KEY}"
    return hashlib.sha256(base.encode()).digest()


def canonical(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def event_digest(
    *,
    seq: int,
    at: datetime,
    actor_id: int | None,
    actor_label: str,
    action: str,
    summary: str,
    object_type: str,
    object_id: str,
    case_id: int | None,
    org_code: str,
    changes: dict,
    prev_hash: str,
) -> str:
    body = canonical(
        [
            seq,
            at.astimezone(UTC).isoformat(timespec="microseconds"),
            actor_id,
            actor_label,
            action,
            summary,
            object_type,
            str(object_id),
            case_id,
            org_code,
            changes,
            prev_hash,
        ]
    )
    return hmac.new(_key(), body.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Break:
    """The first place where the chain does not hold."""

    seq: int | None
    reason: str


def find_break(rows: Iterator[dict], head_seq: int, head_hash: str) -> Break | None:
    """Walk the rows in sequence order and return the first break, or None when intact.

    1. Sequence numbers must run 1, 2, 3 … without gaps (a gap is a deleted row).
    2. Each row's prev_hash must be the previous row's hash (a reordered or foreign row).
    3. Each row's hash must be the HMAC of its content (an altered or forged row).
    4. The last row must be the one the chain head remembers (a deleted tail).
    """
    expected_seq = 1
    prev = GENESIS
    for row in rows:
        seq = row["seq"]
        if seq != expected_seq:
            if seq > expected_seq:
                return Break(expected_seq, f"第 {expected_seq} 条至第 {seq - 1} 条记录缺失（被删除）")
            return Break(seq, "序号重复或乱序")
        if row["prev_hash"] != prev:
            return Break(seq, "前序哈希与上一条记录不符（记录被删除、插入或替换）")
        fields = {k: row[k] for k in row if k not in ("hash",)}
        if event_digest(**fields) != row["hash"]:
            return Break(seq, "记录内容与其哈希不符（被篡改或在系统外插入）")
        prev = row["hash"]
        expected_seq += 1
    last_seq = expected_seq - 1
    if last_seq != head_seq or prev != head_hash:
        if last_seq < head_seq:
            return Break(last_seq + 1, f"链尾记录缺失：应有 {head_seq} 条，现有 {last_seq} 条")
        return Break(head_seq + 1, "链尾之后存在系统外插入的记录")
    return None
