"""Appending to the event log. Every `do_*` action in the other apps calls `record` or
`record_many` inside its own transaction, so the event commits or rolls back with the change."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from bihuan.events.chain import event_digest
from bihuan.events.models import ChainHead, Event
from bihuan.lib.bulk import insert

SYSTEM_LABEL = "系统"


@dataclass
class EventSpec:
    """An event to append; `changes` maps a field to [before, after]."""

    action: str
    object_type: str
    object_id: Any
    actor: Any = None
    summary: str = ""
    case_id: int | None = None
    org_code: str = ""
    changes: dict = field(default_factory=dict)


def jsonable(value: Any) -> Any:
    """Turn a field value into the JSON form stored (and hashed) in the log."""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    if hasattr(value, "pk"):
        return str(value)
    return value


def _actor_fields(actor: Any) -> tuple[int | None, str]:
    if actor is None or not getattr(actor, "pk", None):
        return None, SYSTEM_LABEL
    label = getattr(actor, "full_name", "") or actor.get_username()
    return actor.pk, label[:100]


def record_many(specs: Iterable[EventSpec]) -> list[Event]:
    """Append events in one locked step; must run inside the caller's transaction."""
    specs = list(specs)
    if not specs:
        return []
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_many must run inside the action's transaction")
    ChainHead.objects.get_or_create(id=1)
    head = ChainHead.objects.select_for_update().get(id=1)
    now = timezone.now()
    seq, prev = head.last_seq, head.last_hash
    rows = []
    for spec in specs:
        seq += 1
        actor_id, actor_label = _actor_fields(spec.actor)
        fields = {
            "seq": seq,
            "at": now,
            "actor_id": actor_id,
            "actor_label": actor_label,
            "action": spec.action,
            "summary": spec.summary[:300],
            "object_type": spec.object_type,
            "object_id": str(spec.object_id),
            "case_id": spec.case_id,
            "org_code": spec.org_code,
            "changes": jsonable(spec.changes),
            "prev_hash": prev,
        }
        digest = event_digest(**fields)
        rows.append({**fields, "hash": digest})
        prev = digest
    insert(Event, rows)
    head.last_seq, head.last_hash = seq, prev
    head.save(update_fields=["last_seq", "last_hash"])
    return [Event(**row) for row in rows]


def record(action: str, obj: Any, *, actor: Any = None, **kwargs: Any) -> Event:
    """Append one event about `obj` (a model instance)."""
    spec = EventSpec(
        action=action,
        object_type=obj._meta.label_lower,
        object_id=obj.pk,
        actor=actor,
        **kwargs,
    )
    return record_many([spec])[0]


def diff(instance: Any, values: dict[str, Any]) -> dict[str, list]:
    """Return {field: [before, after]} for the values that differ from the instance's."""
    changes = {}
    for name, after in values.items():
        before = getattr(instance, name)
        if before != after:
            changes[name] = [jsonable(before), jsonable(after)]
    return changes
