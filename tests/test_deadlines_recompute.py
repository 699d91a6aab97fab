"""Keeping each case's CaseDue equal to the running statutory period: one case through the
signal, every case set-based, the command, the bulk-load signal and the calendar-change task."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import F
from django_tasks_db.models import DBTaskResult

from bihuan.cases.actions import do_update_case
from bihuan.cases.models import Case, CoerciveMeasure, ProceduralLink
from bihuan.cases.signals import cases_loaded
from bihuan.deadlines.calendar import WorkCalendar
from bihuan.deadlines.engine import case_facts, current_period
from bihuan.deadlines.models import CaseDue, HolidayOverride
from bihuan.deadlines.recompute import recompute_all, recompute_case
from bihuan.deadlines.tasks import recompute_deadlines
from tests import factories as f

TODAY = date(2024, 9, 2)


def stored(case: Case) -> tuple[date | None, str]:
    """The running period stored for the case; (None, "") without one."""
    return CaseDue.objects.filter(case=case).values_list("due_date", "due_kind").first() or (None, "")


def expected(case: Case) -> tuple[date | None, str]:
    period = current_period(case_facts(Case.objects.get(pk=case.pk)), WorkCalendar.load(), TODAY)
    return (period.due, period.kind) if period else (None, "")


def link(case, kind, start, end=None, seq=1):
    return ProceduralLink.objects.create(case=case, kind=kind, seq=seq, start_date=start, end_date=end)


def held(case, start, end=None, kind="arrest"):
    suspect = case.suspects.first() or f.make_suspect(case)
    return CoerciveMeasure.objects.create(suspect=suspect, kind=kind, start_date=start, end_date=end)


@pytest.fixture
def varied(world):
    """Cases of every shape the engine distinguishes, with no due date stored yet."""
    org, dept = world.county, world.county_dept
    make = lambda **kw: f.make_case(org, department=dept, prosecutor=world.people["pros_a"], **kw)  # noqa: E731
    cases = {
        "plain": make(received=date(2024, 5, 13)),
        "month_end": make(received=date(2024, 1, 31)),
        "holiday": make(received=date(2024, 9, 1)),  # 10-01 is 国庆节: rolls forward
        "holiday_custody": make(received=date(2024, 9, 1)),  # held on 10-01: does not roll
        "fast": make(received=date(2024, 8, 26), procedure="fast"),
        "fast_long": make(received=date(2024, 8, 26), procedure="fast", likely_sentence="le3"),
        "extended": make(received=date(2024, 7, 1)),
        "returned_open": make(received=date(2024, 6, 3)),
        "returned_back": make(received=date(2024, 6, 3)),
        "jurisdiction": make(received=date(2024, 6, 3)),
        "suspended": make(received=date(2024, 8, 1)),
        "suspended_open": make(received=date(2024, 8, 1)),
        "arrest_detained": make(received=date(2024, 8, 28), case_type="arrest_review"),
        "arrest_free": make(received=date(2024, 8, 28), case_type="arrest_review"),
        "arrest_major": make(received=date(2024, 8, 28), case_type="arrest_review", is_major_complex=True),
        "registered": make(received=date(2024, 8, 30), stage="registered"),
        "closed_stale": make(received=date(2024, 8, 1), stage="concluded"),
    }
    held(cases["holiday_custody"], date(2024, 8, 20))
    link(cases["extended"], "extension", date(2024, 7, 25))
    link(cases["returned_open"], "supplementary", date(2024, 6, 20))
    link(cases["returned_back"], "supplementary", date(2024, 6, 20), date(2024, 7, 15))
    link(cases["jurisdiction"], "jurisdiction", date(2024, 6, 10), date(2024, 6, 12))
    link(cases["suspended"], "suspension", date(2024, 8, 5), date(2024, 8, 14))
    link(cases["suspended_open"], "suspension", date(2024, 8, 20))
    held(cases["arrest_detained"], date(2024, 8, 25), kind="detention")
    held(cases["arrest_free"], date(2024, 8, 1), date(2024, 8, 10), kind="detention")
    # No due date stored, as after an upgrade from a release without them (the bench database);
    # a closed case still carrying one (say, written before it closed) must lose it.
    CaseDue.objects.all().delete()
    CaseDue.objects.create(case=cases["closed_stale"], due_date=date(2024, 9, 1), due_kind="prosecution_review")
    return cases


def test_recompute_all_agrees_with_the_engine_case_by_case(varied):
    """The set-based run stores, for every case, what current_period says for that one case."""
    result = recompute_all(today=TODAY)
    wrong = {key: (stored(c), expected(c)) for key, c in varied.items() if stored(c) != expected(c)}
    assert not wrong
    # The fixture covers every kind of period, and cases with none.
    kinds = {stored(c)[1] for c in varied.values()}
    assert kinds == {"arrest_review", "prosecution_review", "fast", "supplementary", ""}
    assert stored(varied["closed_stale"]) == (None, "")
    assert stored(varied["registered"]) == (None, "")
    # The statute, spelt out for a few (CPL 105, SPC-Interp 202, CPL 91, Rule 282).
    assert stored(varied["plain"]) == (date(2024, 6, 13), "prosecution_review")
    assert stored(varied["month_end"]) == (date(2024, 2, 29), "prosecution_review")
    assert stored(varied["holiday"]) == (date(2024, 10, 8), "prosecution_review")
    assert stored(varied["holiday_custody"]) == (date(2024, 10, 1), "prosecution_review")
    assert stored(varied["arrest_detained"]) == (date(2024, 9, 4), "arrest_review")
    assert stored(varied["arrest_free"]) == (date(2024, 9, 12), "arrest_review")
    assert stored(varied["arrest_major"]) == (date(2024, 9, 18), "arrest_review")
    assert result.examined == len(varied) + 4  # and the world's four open cases
    assert result.changed == len(varied) - 1 + 4  # the registered case had none and keeps none


def test_a_second_run_writes_nothing_and_a_changed_fact_writes_one_row(varied):
    recompute_all(today=TODAY)
    assert recompute_all(today=TODAY).changed == 0
    # A fact changed behind the application's back (no signal): the next full run catches it.
    Case.objects.filter(pk=varied["plain"].pk).update(received_date=date(2024, 5, 20))
    result = recompute_all(today=TODAY)
    assert result.changed == 1
    assert stored(varied["plain"]) == (date(2024, 6, 20), "prosecution_review")


def test_a_case_changed_during_the_run_keeps_its_own_value(varied):
    """A case whose own change recomputed it between the bulk read and the bulk write keeps the
    value computed from its new facts, not the one the run computed from the old ones."""
    case = varied["plain"]

    def someone_edits(_n: int) -> None:
        Case.objects.filter(pk=case.pk).update(received_date=date(2024, 5, 20), row_version=F("row_version") + 1)
        recompute_case(Case.objects.get(pk=case.pk))

    result = recompute_all(today=TODAY, progress=someone_edits)
    assert result.skipped == 1
    assert stored(case) == (date(2024, 6, 20), "prosecution_review")
    assert stored(varied["month_end"]) == expected(varied["month_end"])


def test_recompute_only_the_given_cases(varied):
    result = recompute_all(case_ids=[varied["plain"].pk], today=TODAY)
    assert (result.examined, result.changed) == (1, 1)
    assert stored(varied["month_end"]) == (None, "")


def test_a_new_case_gets_its_due_date(world):
    case = f.make_case(world.county, received=date(2024, 5, 13))
    assert stored(case) == (date(2024, 6, 13), "prosecution_review")
    registered = f.make_case(world.county, received=date(2024, 5, 13), stage="registered")
    assert stored(registered) == (None, "")


def test_a_timeline_change_recomputes_the_case(world):
    """Changing the receipt date through the action sends case_timeline_changed; the due date follows."""
    case = Case.objects.get(pk=world.case_a.pk)
    case = do_update_case(
        case, {"received_date": date(2024, 5, 13)}, actor=world.people["pros_a"], expected_version=case.row_version
    )
    assert stored(case) == (date(2024, 6, 13), "prosecution_review")
    case = do_update_case(case, {"stage": "concluded"}, actor=world.people["pros_a"], expected_version=case.row_version)
    assert stored(case) == (None, "")


def test_a_bulk_load_recomputes_the_loaded_cases(varied):
    cases_loaded.send(sender=Case, case_ids=[varied["plain"].pk, varied["fast"].pk])
    assert stored(varied["plain"]) == (date(2024, 6, 13), "prosecution_review")
    assert stored(varied["fast"]) == (date(2024, 9, 5), "fast")
    assert stored(varied["month_end"]) == (None, "")


def test_the_command_recomputes_and_says_what_changed(varied):
    out = StringIO()
    call_command("recomputedeadlines", "--no-progress", stdout=out, stderr=StringIO())
    assert "办案期限重新计算完成" in out.getvalue()
    assert f"期限变化 {len(varied) - 1 + 4} 件" in out.getvalue()
    assert stored(varied["plain"]) == (date(2024, 6, 13), "prosecution_review")


def test_a_holiday_override_queues_a_recompute_that_moves_due_dates(varied, django_capture_on_commit_callbacks):
    """Saving a HolidayOverride queues the task after commit (never in the request); the task
    moves every due date that now falls on a rest day, except while a suspect is held (CPL 105)."""
    plain = varied["plain"]
    custody = f.make_case(plain.org, department=plain.department, received=date(2024, 5, 13))
    held(custody, date(2024, 5, 1))
    recompute_all()
    assert stored(plain)[0] == stored(custody)[0] == date(2024, 6, 13)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        override = HolidayOverride.objects.create(date=date(2024, 6, 13), is_workday=False, note="测试调休")
        assert not DBTaskResult.objects.exists()  # nothing queued before the commit
    assert len(callbacks) == 1
    queued = DBTaskResult.objects.get()
    assert queued.task_path.endswith("recompute_deadlines")
    assert stored(plain)[0] == date(2024, 6, 13)  # the request itself changed no case

    assert "期限变化" in recompute_deadlines.call()
    assert stored(plain)[0] == date(2024, 6, 14)
    assert stored(custody)[0] == date(2024, 6, 13)

    with django_capture_on_commit_callbacks(execute=True):
        override.delete()
    assert DBTaskResult.objects.count() == 2
    recompute_deadlines.call()
    assert stored(plain)[0] == date(2024, 6, 13)
