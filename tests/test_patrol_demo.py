"""The patrol in `bihuan demo`: a first full patrol over the demo cases finds problems of every
severity, and the loop is under way (replies, verification, a late notice turned red)."""

from io import StringIO

import pytest
from django.core.management import call_command

from bihuan.patrol.demo_data import populate
from bihuan.patrol.models import (
    CloseReason,
    Finding,
    FindingStatus,
    Light,
    Notice,
    Reply,
    Run,
    RunKind,
    Severity,
    Verification,
)


@pytest.mark.django_db
def test_the_demo_patrol_finds_every_severity_and_runs_the_loop():
    out = StringIO()
    call_command("demo", "--no-serve", "--cases", "200", stdout=out)
    line = next(x for x in out.getvalue().splitlines() if x.startswith("电子巡逻车"))

    run = Run.objects.get(kind=RunKind.FULL)
    assert run.cases_checked == 200
    assert set(Finding.objects.values_list("severity", flat=True)) == set(Severity.values)
    assert all(run.opened.get(s, 0) > 0 for s in Severity.values)
    # Planted problems are found: the 取保候审 over 12 months and the wrong ID check character.
    assert Finding.objects.filter(rule__code="CS-001", severity=Severity.GRAVE).exists()
    assert Finding.objects.filter(rule__code="SF-001").exists()
    # Notices are numbered; one was grave and reported to the chief.
    assert Notice.objects.filter(reported_to_chief=True).exists()
    assert Reply.objects.count() == 3
    assert set(Verification.objects.values_list("closed", flat=True)) == {True, False}
    assert Notice.objects.filter(light=Light.RED).count() == 1
    assert Finding.objects.filter(close_reason=CloseReason.FALSE_ALARM).count() == 1
    assert Finding.objects.filter(severity=Severity.MINOR, status=FindingStatus.REPLIED).exists()
    assert "首次全面巡查 200 件" in line

    # Findings exist: nothing more is added.
    assert "不再添加" in populate()
    assert Run.objects.filter(kind=RunKind.FULL).count() == 1
