"""Generated cases (bihuan gencases) load without a rejected line and dump back unchanged."""

import io

import pytest

from bihuan.cases.models import Case
from bihuan.demo.directory import build_directory
from bihuan.events.models import Event
from bihuan.exchange.generate import dumps, generate_records
from bihuan.exchange.load import load_jsonl
from bihuan.exchange.records import canonical, dump_records


@pytest.fixture
def demo_directory(db):
    """The demo units and people; the charge catalogue comes with the migrations."""
    build_directory()


def test_generated_cases_round_trip(demo_directory, tmp_path):
    records = list(generate_records(300, 11))
    path = tmp_path / "generated.jsonl"
    path.write_text("".join(dumps(r) + "\n" for r in records), encoding="utf-8")
    err = io.StringIO()
    report = load_jsonl(path, stderr=err, batch_size=128)
    assert (report.created, report.rejected) == (300, 0), err.getvalue()
    assert list(dump_records(Case.objects.all())) == [canonical(r) for r in records]

    events = Event.objects.count()
    again = load_jsonl(path, stderr=err, batch_size=128)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 300)
    assert Event.objects.count() == events
