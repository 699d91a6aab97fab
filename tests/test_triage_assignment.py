"""Automatic assignment (快审轮案, 繁案轮案), its fairness, designation, reassignment, pauses,
concurrency and the acceptance hook."""

from collections import Counter
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from bihuan.cases.actions import StaleCase
from bihuan.cases.models import Case
from bihuan.cases.signals import case_accepted
from bihuan.events.models import Event
from bihuan.notifications.models import Notification
from bihuan.triage.access import open_workloads
from bihuan.triage.actions import (
    TriageError,
    do_assign,
    do_designate,
    do_pause_assignment,
    do_reassign,
    do_resume_assignment,
    do_triage,
)
from bihuan.triage.models import Assignment, RotationPointer
from tests import factories as f
from tests.triage_helpers import make_triage_case


def triaged(world, **facts) -> Case:
    case = make_triage_case(world, **facts)
    do_triage(case, None)
    case.refresh_from_db()
    return case


def bulk_cases(org, department, n: int, *, track: str, prefix: str, prosecutor=None) -> list[Case]:
    """Many triaged, unassigned cases at once (the simulation needs volume, not the card's history)."""
    rows = [
        Case(
            dept_case_no=f"{prefix}-{i}",
            unified_case_no=f"{prefix}{i:07d}"[-17:],
            name=f"模拟案件{i}",
            case_type="prosecution_review",
            org=org,
            department=department,
            prosecutor=prosecutor,
            received_date=date(2024, 3, 5),
            track=track,
            stage="received",
        )
        for i in range(n)
    ]
    return Case.objects.bulk_create(rows)


def test_a_simple_case_goes_to_the_fast_track_team_in_turn(world):
    team = [world.people["pros_a"], world.people["pros_a2"]]
    got = []
    for _ in range(4):
        case = triaged(world, charge="危险驾驶罪")
        assignment = do_assign(case, None)
        case.refresh_from_db()
        assert (case.team, case.stage, assignment.method) == (world.team_a, "assigned", "fast_rotation")
        got.append(case.prosecutor)
    assert got == [team[0], team[1], team[0], team[1]]
    last = Assignment.objects.first()
    assert last.by is None and last.team == world.team_a
    event = Event.objects.filter(action="triage.assign", case_id=last.case_id).get()
    assert "快审轮案" in event.summary
    assert Notification.objects.filter(recipient=last.prosecutor, case_id=last.case_id, kind="assignment").exists()


def test_a_complex_case_goes_to_the_least_loaded_prosecutor(world):
    # pros_a and pros_b each handle one open case of the world; pros_a2 none.
    first = triaged(world, tags=("涉黑涉恶",))
    assert do_assign(first, None).prosecutor == world.people["pros_a2"]
    first.refresh_from_db()
    assert (first.team, first.stage) == (world.team_a, "assigned")
    # Now all three carry one: they take the next cases in turn.
    got = [do_assign(triaged(world, suspects=2), None).prosecutor for _ in range(3)]
    assert sorted(p.pk for p in got) == sorted(world.people[k].pk for k in ("pros_a", "pros_a2", "pros_b"))
    assert Assignment.objects.filter(method="rotation").count() == 4


def test_closed_cases_do_not_count_as_workload(world):
    Case.objects.filter(pk=world.case_b.pk).update(stage="concluded")
    assert open_workloads([world.people["pros_a"].pk, world.people["pros_b"].pk]) == {
        world.people["pros_a"].pk: 1,
        world.people["pros_b"].pk: 0,
    }


def test_nobody_eligible_leaves_a_simple_case_in_the_team_queue(world):
    head = world.people["head"]
    for key in ("pros_a", "pros_a2"):
        do_pause_assignment(world.people[key], "休假", head)
    case = triaged(world, charge="危险驾驶罪")
    assert do_assign(case, None) is None
    case.refresh_from_db()
    assert (case.team, case.prosecutor, case.stage) == (world.team_a, None, "received")
    assert Event.objects.filter(action="triage.enqueue", case_id=case.pk).exists()
    do_resume_assignment(world.people["pros_a2"], head)
    assert do_assign(case, None).prosecutor == world.people["pros_a2"]


def test_a_paused_prosecutor_gets_no_complex_case(world):
    do_pause_assignment(world.people["pros_a2"], "借调", world.people["head"])
    got = {do_assign(triaged(world, suspects=2), None).prosecutor for _ in range(4)}
    assert got == {world.people["pros_a"], world.people["pros_b"]}


def test_only_the_department_head_pauses_and_with_a_reason(world):
    with pytest.raises(PermissionDenied):
        do_pause_assignment(world.people["pros_a"], "理由", world.people["cm"])
    with pytest.raises(TriageError):
        do_pause_assignment(world.people["pros_a"], " ", world.people["head"])


def test_a_case_already_assigned_or_untriaged_is_not_assigned_again(world):
    assert do_assign(world.case_a, None) is None
    case = make_triage_case(world)
    with pytest.raises(TriageError):
        do_assign(case, None)


def test_without_a_fast_track_team_simple_cases_rotate_in_the_department(world):
    dept = f.make_department(world.county, "第二检察部")
    people = [f.make_person(["prosecutor"], org=world.county, department=dept) for _ in range(2)]
    case = triaged(world, charge="危险驾驶罪", department=dept)
    assignment = do_assign(case, None)
    assert assignment.method == "rotation"
    assert assignment.prosecutor in people
    assert "未设快审团队" in assignment.reason


def _department_with(world, n: int):
    dept = f.make_department(world.county, "第三检察部")
    team = f.make_team(dept, "快审团队", fast_track=True)
    people = [f.make_person(["prosecutor"], org=world.county, department=dept, team=team) for _ in range(n)]
    return dept, team, people


def _within_one_of_mean(counts: dict[int, int]) -> bool:
    mean = sum(counts.values()) / len(counts)
    return all(abs(c - mean) <= 1 for c in counts.values())


@pytest.mark.parametrize(("track", "n"), [("complex", 1000), ("simple", 300)])
def test_many_assignments_with_equal_workloads_are_fair(world, track, n):
    """1,000 simulated assignments (繁案轮案; 300 of 快审轮案, a plain round) leave every eligible
    prosecutor within ±1 case of the mean."""
    dept, _, people = _department_with(world, 3)
    for case in bulk_cases(world.county, dept, n, track=track, prefix=f"F{track}"):
        assert do_assign(case, None) is not None
    counts = Counter(Assignment.objects.filter(department=dept).values_list("prosecutor_id", flat=True))
    assert set(counts) == {p.pk for p in people}
    assert sum(counts.values()) == n
    assert _within_one_of_mean(counts), counts


def test_unequal_starting_workloads_even_out(world):
    dept, _, people = _department_with(world, 4)
    for person, load in zip(people, (0, 5, 12, 30), strict=True):
        bulk_cases(world.county, dept, load, track="complex", prefix=f"L{person.pk}", prosecutor=person)
    for case in bulk_cases(world.county, dept, 300, track="complex", prefix="U"):
        do_assign(case, None)
    loads = open_workloads([p.pk for p in people])
    assert sum(loads.values()) == 347
    assert _within_one_of_mean(loads), loads
    # The most loaded at the start got the fewest new cases.
    got = Counter(Assignment.objects.filter(department=dept).values_list("prosecutor_id", flat=True))
    assert got[people[3].pk] == min(got.values())


def test_designation_is_the_department_heads_with_a_reason(world):
    case = triaged(world, suspects=2)
    target = world.people["pros_b"]
    for role in ("pros_a", "cm", "chief"):
        with pytest.raises(PermissionDenied):
            do_designate(case, target, "熟悉此类案件", world.people[role], expected_version=case.row_version)
    with pytest.raises(TriageError):
        do_designate(case, target, "", world.people["head"], expected_version=case.row_version)
    with pytest.raises(TriageError):
        do_designate(case, world.people["head"], "理由", world.people["head"], expected_version=case.row_version)
    assert not Assignment.objects.exists()

    assignment = do_designate(case, target, "熟悉此类案件", world.people["head"], expected_version=case.row_version)
    case.refresh_from_db()
    assert (case.prosecutor, case.team, case.stage) == (target, world.team_b, "assigned")
    assert (assignment.method, assignment.reason, assignment.by) == ("designated", "熟悉此类案件", world.people["head"])
    assert "熟悉此类案件" in Event.objects.get(action="triage.assign", case_id=case.pk).summary


def test_single_and_bulk_reassignment_need_a_reason(world):
    head = world.people["head"]
    cases = list(Case.objects.filter(pk__in=[world.case_a.pk, world.case_b.pk]).order_by("pk"))
    with pytest.raises(TriageError):
        do_reassign(cases, world.people["pros_a2"], "  ", head)
    events = Event.objects.count()
    done = do_reassign(cases, world.people["pros_a2"], "原承办人调岗", head)
    assert [a.method for a in done] == ["reassigned", "reassigned"]
    assert [a.previous_prosecutor for a in done] == [world.people["pros_a"], world.people["pros_b"]]
    assert set(Case.objects.filter(pk__in=[c.pk for c in cases]).values_list("prosecutor", flat=True)) == {
        world.people["pros_a2"].pk
    }
    assert Event.objects.count() == events + 2
    case = Case.objects.get(pk=world.case_a.pk)
    single = do_reassign([case], world.people["pros_b"], "回避", world.people["cm"])
    assert single[0].by == world.people["cm"]


def test_a_prosecutor_may_not_reassign(world):
    with pytest.raises(PermissionDenied):
        do_reassign([world.case_a], world.people["pros_b"], "理由", world.people["pros_a"])
    assert not Assignment.objects.exists()


def test_a_stale_bulk_reassignment_writes_nothing(world):
    cases = list(Case.objects.filter(pk__in=[world.case_a.pk, world.case_b.pk]).order_by("pk"))
    seen = {cases[0].pk: cases[0].row_version, cases[1].pk: cases[1].row_version - 1}
    with pytest.raises(StaleCase):
        do_reassign(cases, world.people["pros_a2"], "理由", world.people["head"], expected_versions=seen)
    assert not Assignment.objects.exists()
    assert Case.objects.get(pk=world.case_a.pk).prosecutor == world.people["pros_a"]


def test_two_people_assigning_at_once_one_wins(world):
    case = triaged(world, suspects=2)
    mine, theirs = Case.objects.get(pk=case.pk), Case.objects.get(pk=case.pk)
    do_designate(mine, world.people["pros_b"], "指定", world.people["head"], expected_version=mine.row_version)
    with pytest.raises(StaleCase):
        do_designate(theirs, world.people["pros_a"], "指定", world.people["head"], expected_version=theirs.row_version)
    with pytest.raises(StaleCase):
        # The automatic assignment read the case before the designation.
        theirs.prosecutor = None
        do_assign(theirs, None)
    assert Assignment.objects.count() == 1
    assert Case.objects.get(pk=case.pk).prosecutor == world.people["pros_b"]
    # The refused automatic assignment did not move the rotation either.
    assert not RotationPointer.objects.filter(last_prosecutor__isnull=False).exists()


def test_accepting_a_case_triages_and_assigns_it(world):
    case = make_triage_case(world, charge="危险驾驶罪", plea=True, likely_sentence="le1")
    Case.objects.filter(pk=case.pk).update(stage="received")
    case.refresh_from_db()
    case_accepted.send(sender=Case, case=case, actor=world.people["cm"])
    case.refresh_from_db()
    assert (case.track, case.risk_level, case.team, case.stage) == ("simple", "low", world.team_a, "assigned")
    assert case.prosecutor in (world.people["pros_a"], world.people["pros_a2"])
    actions = list(Event.objects.filter(case_id=case.pk).order_by("seq").values_list("action", flat=True))
    assert actions[-2:] == ["triage.run", "triage.assign"]
