"""`bihuan patrol`: a full patrol printed as text or JSON with each rule's progress on stderr,
`--escalate` for the nightly job, and `--rules --json` the catalogue."""

import json
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from bihuan.patrol.models import Rule, Run
from tests.patrol_loop_helpers import PATROL_DAY, make_rules


@pytest.fixture
def rules(world, time_machine):
    time_machine.move_to(PATROL_DAY, tick=False)
    return make_rules()


def patrol(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("patrol", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_prints_the_run_with_counts_by_severity_and_progress(rules):
    out, err = patrol()
    run = Run.objects.get()
    assert (run.kind, run.triggered_by) == ("full", None)
    assert f"全面巡查完成（巡查记录 #{run.pk}）" in out
    assert f"巡查案件 {run.cases_checked} 件，规则 3 条，命中 3 处" in out
    opened = next(line for line in out.splitlines() if line.startswith("新发现"))
    assert opened.split()[1:] == ["1", "1", "1", "3"]
    assert "[1/3] T-GRV 测试规则T-GRV：命中 1" in err
    assert "[3/3] T-SER" in err
    again, _ = patrol("--full")
    assert next(line for line in again.splitlines() if line.startswith("新发现")).split()[1:] == ["0"] * 4
    assert next(line for line in again.splitlines() if line.startswith("仍未解决")).split()[-1] == "3"


def test_json_gives_every_severity_and_escalate_adds_the_escalation(rules):
    data = json.loads(patrol("--full", "--json")[0])
    assert data["kind"] == "full"
    assert data["rules"] == 3
    assert data["opened"] == {"minor": 1, "serious": 1, "grave": 1}
    assert data["auto_closed"] == {"minor": 0, "serious": 0, "grave": 0}
    assert "escalated" not in data
    with time_machine.travel(PATROL_DAY + timedelta(days=11), tick=False):
        data = json.loads(patrol("--full", "--escalate", "--json")[0])
    assert data["opened"] == {"minor": 0, "serious": 0, "grave": 0}
    assert data["still_open"] == {"minor": 1, "serious": 1, "grave": 1}
    assert data["escalated"] == {"prompts": 1, "notices": 1, "red": 2}
    text, _ = patrol("--escalate")
    assert "升级：口头提示转通知书 0 项（通知书 0 份），红灯 0 份" in text


def test_rules_json_lists_the_catalogue(rules):
    out, err = patrol("--rules", "--json")
    catalogue = json.loads(out)
    assert err == ""
    assert not Run.objects.exists()
    assert len(catalogue) == Rule.objects.count()
    minor = next(r for r in catalogue if r["code"] == "T-MIN")
    assert minor == {
        "code": "T-MIN",
        "name": "测试规则T-MIN",
        "category": "card",
        "severity": "minor",
        "basis": "《人民检察院刑事诉讼规则》第六百六十五条",
        "enabled": True,
        "case_types": [],
    }
    assert any(r["enabled"] is False for r in catalogue)  # the built-in rules switched off here
    text, _ = patrol("--rules")
    assert "T-MIN     轻微  启用  测试规则T-MIN（全部案件）" in text
    assert f"共 {Rule.objects.count()} 条规则。" in text
