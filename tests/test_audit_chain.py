"""`bihuan verifyaudit` against an intact chain and against rows altered, deleted or inserted
directly in the database, on SQLite and PostgreSQL alike."""

import hashlib
import json
import threading
from datetime import UTC, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.test import override_settings

from bihuan.events.actions import record
from bihuan.events.chain import canonical, event_digest
from bihuan.events.models import ChainHead, Event
from bihuan.events.verify import FIELDS
from bihuan.orgs.models import Organisation
from tests import factories as f

COLUMNS = FIELDS
INSERT = f"INSERT INTO events_event ({', '.join(COLUMNS)}) VALUES ({', '.join(['%s'] * len(COLUMNS))})"  # noqa: S608


def verify() -> tuple[int, str, str]:
    """Run `bihuan verifyaudit`; return its exit status, stdout and stderr."""
    out, err = StringIO(), StringIO()
    try:
        call_command("verifyaudit", stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def row(seq: int) -> dict:
    return Event.objects.filter(seq=seq).values(*COLUMNS).get()


def insert_raw(values: dict) -> None:
    """INSERT an event row behind the application's back."""
    params = dict(values)
    params["at"] = connection.ops.adapt_datetimefield_value(params["at"])
    params["changes"] = json.dumps(params["changes"], ensure_ascii=False)
    sql(INSERT, [params[c] for c in COLUMNS])


def unkeyed_digest(values: dict) -> str:
    """What an intruder who knows the row layout but not the key would compute: plain SHA-256."""
    body = [values[c] for c in COLUMNS if c != "hash"]
    body[1] = values["at"].astimezone(UTC).isoformat(timespec="microseconds")
    return hashlib.sha256(canonical(body).encode()).hexdigest()


def guessed_key_digest(values: dict) -> str:
    """The application's own HMAC, but under a guessed key."""
    with override_settings(SECRET_KEY="guessed-secret", AUDIT_KEY=None):
        return event_digest(**{c: values[c] for c in COLUMNS if c != "hash"})


def assert_broken_at(seq: int) -> str:
    code, out, err = verify()
    assert code == 1, (out, err)
    assert f"第 {seq} 条记录异常" in err
    return err


@pytest.fixture
def chain(world) -> list[int]:
    """The sequence numbers of the events the world fixture appended (orgs, people, cases)."""
    seqs = list(Event.objects.values_list("seq", flat=True))
    assert len(seqs) > 20
    return seqs


def test_intact_chain_passes_with_the_count(chain):
    code, out, err = verify()
    assert code == 0, err
    assert out.strip() == f"留痕记录完整：共 {len(chain)} 条，哈希链校验通过。"


def test_empty_log_passes(db):
    sql("DELETE FROM events_event", [])
    ChainHead.objects.all().delete()
    code, out, _ = verify()
    assert code == 0
    assert "共 0 条" in out


def test_altered_changes_are_found(chain, world):
    seq = Event.objects.get(action="case.create", case_id=world.case_b.pk).seq
    changes = row(seq)["changes"]
    changes["name"][1] = "李某某盗窃案（已改）"
    sql("UPDATE events_event SET changes = %s WHERE seq = %s", [json.dumps(changes, ensure_ascii=False), seq])
    err = assert_broken_at(seq)
    assert "被篡改" in err


def test_altered_actor_label_is_found(chain):
    seq = chain[len(chain) // 2]
    sql("UPDATE events_event SET actor_label = %s WHERE seq = %s", ["张三", seq])
    assert_broken_at(seq)


def test_altered_time_is_found(chain):
    seq = chain[3]
    moved = row(seq)["at"] - timedelta(days=1)
    sql("UPDATE events_event SET at = %s WHERE seq = %s", [connection.ops.adapt_datetimefield_value(moved), seq])
    assert_broken_at(seq)


def test_the_first_of_several_breaks_is_named(chain):
    first, later = chain[5], chain[-2]
    sql("UPDATE events_event SET summary = %s WHERE seq IN (%s, %s)", ["已修改", first, later])
    assert_broken_at(first)


def test_deleted_middle_row_is_found(chain):
    seq = chain[len(chain) // 2]
    sql("DELETE FROM events_event WHERE seq = %s", [seq])
    err = assert_broken_at(seq)
    assert "缺失" in err


def test_deleted_last_row_is_found(chain):
    sql("DELETE FROM events_event WHERE seq = %s", [chain[-1]])
    err = assert_broken_at(chain[-1])
    assert "链尾" in err


def test_rewritten_row_with_a_recomputed_plain_hash_is_found(chain):
    """An intruder who edits a row and rehashes it without the key is still caught."""
    seq = chain[2]
    values = row(seq)
    values["summary"] = "伪造的摘要"
    sql(
        "UPDATE events_event SET summary = %s, hash = %s WHERE seq = %s",
        [values["summary"], unkeyed_digest(values), seq],
    )
    assert_broken_at(seq)


def test_rewritten_row_rehashed_under_a_guessed_key_is_found(chain):
    seq = chain[-1]
    values = row(seq)
    values["actor_label"] = "他人"
    digest = guessed_key_digest(values)
    sql("UPDATE events_event SET actor_label = %s, hash = %s WHERE seq = %s", [values["actor_label"], digest, seq])
    sql("UPDATE events_chainhead SET last_hash = %s", [digest])
    assert_broken_at(seq)


def _next_row(chain: list[int], **overrides) -> dict:
    """A row that claims to follow the current end of the chain."""
    last = row(chain[-1])
    values = {**last, "seq": chain[-1] + 1, "prev_hash": last["hash"], "summary": "系统外插入"}
    values.update(overrides)
    return values


def test_inserted_row_with_made_up_hash_is_found(chain):
    insert_raw(_next_row(chain, hash="f" * 64))
    assert_broken_at(chain[-1] + 1)


def test_inserted_row_hashed_without_the_key_is_found(chain):
    values = _next_row(chain)
    values["hash"] = unkeyed_digest(values)
    insert_raw(values)
    assert_broken_at(chain[-1] + 1)


def test_inserted_row_hashed_under_a_guessed_key_is_found(chain):
    values = _next_row(chain)
    values["hash"] = guessed_key_digest(values)
    insert_raw(values)
    assert_broken_at(chain[-1] + 1)


def test_copied_row_with_a_new_seq_is_found(chain):
    original = row(chain[4])
    insert_raw({**original, "seq": chain[-1] + 1})
    assert_broken_at(chain[-1] + 1)


def test_copied_row_relinked_to_the_end_is_found(chain):
    """A copy whose prev_hash points at the real end still fails: the HMAC covers seq and prev_hash."""
    original = row(chain[4])
    insert_raw({**original, "seq": chain[-1] + 1, "prev_hash": row(chain[-1])["hash"]})
    assert_broken_at(chain[-1] + 1)


def test_correctly_keyed_row_inserted_out_of_band_is_found(chain):
    """Even a row hashed with the right key is foreign when the chain head does not know it."""
    values = _next_row(chain)
    values["hash"] = event_digest(**{k: values[k] for k in COLUMNS if k != "hash"})
    insert_raw(values)
    err = assert_broken_at(chain[-1] + 1)
    assert "系统外插入" in err


def test_row_inserted_into_the_middle_is_found(chain):
    """Moving later rows up to make room breaks the chain at the inserted row."""
    seq = chain[-1]
    sql("DELETE FROM events_event WHERE seq = %s", [seq])
    insert_raw(_next_row(chain[:-1], hash="0" * 64))
    assert_broken_at(seq)


def test_events_cannot_be_saved_twice_or_deleted_through_the_orm(chain):
    event = Event.objects.get(seq=chain[0])
    event.summary = "改写"
    with pytest.raises(RuntimeError, match="append-only"):
        event.save()
    with pytest.raises(RuntimeError, match="append-only"):
        event.delete()
    assert verify()[0] == 0


def test_querysets_cannot_update_or_delete_events(chain):
    with pytest.raises(RuntimeError, match="append-only"):
        Event.objects.filter(seq=chain[3]).update(summary="改写")
    with pytest.raises(RuntimeError, match="append-only"):
        Event.objects.filter(seq=chain[3]).delete()
    with pytest.raises(RuntimeError, match="append-only"):
        Event.objects.bulk_update([Event.objects.get(seq=chain[3])], ["summary"])
    assert Event.objects.count() == len(chain)
    assert verify()[0] == 0


def test_new_instance_with_an_existing_seq_does_not_overwrite(chain):
    """A fresh Event carrying a used seq must not turn into an UPDATE of that row."""
    original = row(chain[1])
    forged = Event(**{**original, "summary": "覆盖"})
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017 - IntegrityError or RuntimeError
        forged.save()
    assert row(chain[1]) == original
    assert verify()[0] == 0


def test_appends_through_record_continue_the_chain(chain, world):
    with transaction.atomic():
        record("test.touch", world.county, actor=world.people["chief"], summary="再追加一条", changes={"x": [1, 2]})
    code, out, _ = verify()
    assert code == 0
    assert f"共 {len(chain) + 1} 条" in out


def _committed(fn):
    """Run fn on a connection of its own (committed work, outside the test's transaction)."""
    result, failure = [], []

    def target():
        try:
            result.append(fn())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test thread
            failure.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return result[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite serialises writers; row locks need PostgreSQL")
def test_concurrent_appends_stay_one_chain(db):
    """Two threads, each appending 50 events in their own transactions, leave one intact chain."""
    before = _committed(lambda: ChainHead.objects.filter(id=1).values_list("last_seq", flat=True).first())
    org = _committed(lambda: f.make_org("379900"))
    start = _committed(lambda: ChainHead.objects.get(id=1).last_seq)
    barrier = threading.Barrier(2)
    failures = []

    def append(label: str) -> None:
        try:
            barrier.wait()
            for i in range(50):
                with transaction.atomic():
                    record("test.concurrent", org, summary=f"{label}-{i}")
        except BaseException as exc:  # noqa: BLE001 - reported by the test thread
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append, args=(name,)) for name in ("甲", "乙")]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not failures
        code, out, err = _committed(verify)
        assert code == 0, err
        assert f"共 {start + 100} 条" in out
        seqs = _committed(lambda: list(Event.objects.filter(seq__gt=start).values_list("seq", flat=True)))
        assert seqs == list(range(start + 1, start + 101))
        labels = _committed(lambda: sorted(Event.objects.filter(seq__gt=start).values_list("summary", flat=True)))
        assert labels == sorted(f"{name}-{i}" for name in ("甲", "乙") for i in range(50))
    finally:
        _committed(lambda: _undo_committed(before, org.pk))


@transaction.atomic
def _undo_committed(before: int | None, org_id: int) -> None:
    """Put the test database back as it was before the concurrency test committed anything."""
    last = before or 0
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM events_event WHERE seq > %s", [last])
    if before is None:
        ChainHead.objects.filter(id=1).delete()
    else:
        previous = Event.objects.filter(seq=last).values_list("hash", flat=True).first()
        ChainHead.objects.filter(id=1).update(last_seq=last, last_hash=previous or "0" * 64)
    Organisation.objects.filter(pk=org_id).delete()
