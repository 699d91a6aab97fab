"""Triage (繁简分流), risk level and assignment (分案); each write is one transaction with its
audit event(s)."""

from collections import defaultdict
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from bihuan.cases.actions import STALE_MESSAGE, StaleCase, bump_case
from bihuan.cases.choices import OPEN_STAGES, RiskLevel, Stage, Track
from bihuan.cases.models import Case
from bihuan.cases.signals import case_timeline_changed, cases_loaded
from bihuan.events.actions import EventSpec, jsonable, record, record_many
from bihuan.notifications.actions import notify
from bihuan.orgs.models import Team, User
from bihuan.triage.access import (
    can_designate,
    can_triage,
    eligible_prosecutors,
    heads_department,
    open_workloads,
    prosecutors,
)
from bihuan.triage.choices import Method, Outcome, RuleKind
from bihuan.triage.engine import decide
from bihuan.triage.features import case_features, case_features_many
from bihuan.triage.models import Assignment, AssignmentPause, RiskOverride, RotationPointer, TriageDecision, TriageRule

# When no rule of the standard matches (an administrator removed the fallback rule), a case is
# treated as complex and of low risk: a complex case gets a full review, never a shortened one.
FALLBACK = {
    RuleKind.TRACK: (Outcome.COMPLEX, "默认结果（繁案）"),
    RuleKind.RISK: (Outcome.LOW, "默认结果（低风险）"),
}


class TriageError(Exception):
    """A triage or assignment request that cannot be carried out; the message says why."""


def active_rules(kind: str) -> list[TriageRule]:
    return list(TriageRule.objects.filter(kind=kind, is_active=True).order_by("position", "id"))


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else "（空）"


#
# Triage and risk
#


def _standard() -> dict[str, list[TriageRule]]:
    return {kind: active_rules(kind) for kind in (RuleKind.TRACK, RuleKind.RISK)}


def _decisions(case_id: int, features: dict, standard: dict, actor: User | None) -> list[TriageDecision]:
    """The track and risk decisions (unsaved) for one case's features under the standard."""
    decisions = []
    for kind, rules in standard.items():
        fallback, fallback_name = FALLBACK[kind]
        found = decide(rules, features, fallback=fallback, fallback_name=fallback_name)
        decisions.append(
            TriageDecision(
                case_id=case_id,
                kind=kind,
                outcome=found.outcome,
                rule=found.rule,
                rule_name=found.name,
                rule_explanation=found.explanation,
                features=features,
                decided_by=actor,
            )
        )
    return decisions


def _triage_event(case: Case, decisions: list[TriageDecision], override: str | None, actor, before: dict) -> EventSpec:
    track, risk = decisions
    kept = f"（保留人工调整：{_label(RiskLevel, override)}）" if override else ""
    after = {"track": track.outcome, "risk_level": override or risk.outcome}
    return EventSpec(
        action="triage.run",
        object_type=case._meta.label_lower,
        object_id=case.pk,
        actor=actor,
        case_id=case.pk,
        org_code=case.org.code,
        summary=f"繁简分流：{track.get_outcome_display()}（{track.rule_name}）；"
        f"风险等级：{risk.get_outcome_display()}（{risk.rule_name}）{kept}",
        changes={name: [before[name], value] for name, value in after.items()},
    )


@transaction.atomic
def do_triage(case: Case, actor: User | None, *, expected_version: int | None = None) -> list[TriageDecision]:
    """Run the standard in force on the case and store both results with the deciding rules.

    1. Compute the case's features and take the first matching track rule and risk rule.
    2. Set `track` and `risk_level` by an optimistic update; a manual risk override on record
       keeps its level (the rule result is still stored beside it).
    3. Store the decisions with snapshots of the rule names and the features, and one event.
    """
    decisions = _decisions(case.pk, case_features(case), _standard(), actor)
    track, risk = decisions
    override = case.risk_overrides.values_list("level", flat=True).first()
    before = {"track": case.track, "risk_level": case.risk_level}
    values = {"track": track.outcome, "risk_level": override or risk.outcome}
    bump_case(case, case.row_version if expected_version is None else expected_version, **values)
    TriageDecision.objects.bulk_create(decisions)
    record_many([_triage_event(case, decisions, override, actor, before)])
    return decisions


@transaction.atomic
def do_triage_many(case_ids: Iterable[int], actor: User | None = None) -> int:
    """Set-based triage of many cases (after a bulk load; the `triage` command): the features in
    a fixed number of queries, one UPDATE per distinct result, bulk inserts of the decisions and
    one event per case. Bumps row_version, so a person editing one of them meanwhile is told
    it changed. Returns the number of cases triaged."""
    cases = list(
        Case.objects.filter(pk__in=list(case_ids)).select_related("org").only("pk", "track", "risk_level", "org__code")
    )
    ids = [case.pk for case in cases]
    features = case_features_many(ids)
    overrides: dict[int, str] = {}
    for case_id, level in (
        RiskOverride.objects.filter(case_id__in=ids).order_by("case_id", "-id").values_list("case_id", "level")
    ):
        overrides.setdefault(case_id, level)
    standard = _standard()
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    decisions, specs = [], []
    for case in cases:
        found = _decisions(case.pk, features[case.pk], standard, actor)
        track, risk = found
        override = overrides.get(case.pk)
        groups[(track.outcome, override or risk.outcome)].append(case.pk)
        decisions += found
        specs.append(_triage_event(case, found, override, actor, {"track": case.track, "risk_level": case.risk_level}))
    for (track, risk_level), pks in groups.items():
        Case.objects.filter(pk__in=pks).update(track=track, risk_level=risk_level, row_version=F("row_version") + 1)
    TriageDecision.objects.bulk_create(decisions)
    record_many(specs)
    cases_loaded.send(sender=Case, case_ids=ids)
    return len(cases)


@transaction.atomic
def do_override_risk(case: Case, level: str, reason: str, actor: User, expected_version: int) -> RiskOverride:
    """Set the risk level by hand, with a written reason; later runs of the rules keep it."""
    reason = reason.strip()
    if not reason:
        raise TriageError("调整风险等级必须填写理由。")
    if level not in RiskLevel.values:
        raise TriageError("风险等级不正确。")
    previous = case.risk_level
    bump_case(case, expected_version, risk_level=level)
    override = RiskOverride.objects.create(case=case, level=level, previous_level=previous, reason=reason, by=actor)
    record(
        "triage.override_risk",
        case,
        actor=actor,
        case_id=case.pk,
        org_code=case.org.code,
        summary=f"人工调整风险等级：{_label(RiskLevel, previous)} → {_label(RiskLevel, level)}，理由：{reason}",
        changes={"risk_level": [previous, level]},
    )
    return override


#
# Assignment
#


def _pointer(pool: str) -> RotationPointer:
    """The pool's rotation pointer, locked until the transaction ends: two people assigning at
    the same time queue here, and the second sees the first one's choice."""
    return RotationPointer.objects.select_for_update().get_or_create(pool=pool)[0]


def _rotate(pointer: RotationPointer, candidates: list[User], loads: Mapping[int, int] | None = None) -> User:
    """The next person of the pool: among those with the fewest open cases (all, without
    `loads`), the first after the one who got the last case, wrapping around."""
    if loads is not None:
        least = min(loads[p.pk] for p in candidates)
        candidates = [p for p in candidates if loads[p.pk] == least]
    candidates = sorted(candidates, key=lambda p: p.pk)
    last = pointer.last_prosecutor_id
    chosen = next((p for p in candidates if last is not None and p.pk > last), candidates[0])
    pointer.last_prosecutor = chosen
    pointer.save(update_fields=["last_prosecutor"])
    return chosen


def _give(
    case: Case,
    prosecutor: User,
    *,
    team: Team | None,
    method: str,
    reason: str,
    actor: User | None,
    expected_version: int,
) -> tuple[Assignment, EventSpec]:
    """Hand the case to the prosecutor: card, stage 受理 → 分案, ledger line, notice. Returns the
    event for the caller to record (one per case, several at once for a bulk reassignment)."""
    previous = case.prosecutor
    values: dict = {"prosecutor": prosecutor, "team": team}
    if case.stage == Stage.RECEIVED:
        values["stage"] = Stage.ASSIGNED
    changes = {
        "prosecutor": [jsonable(previous), jsonable(prosecutor)],
        "team": [jsonable(case.team), jsonable(team)],
    }
    if "stage" in values:
        changes["stage"] = [case.stage, values["stage"]]
    bump_case(case, expected_version, **values)
    assignment = Assignment.objects.create(
        case=case,
        org_id=case.org_id,
        department_id=case.department_id,
        team=team,
        prosecutor=prosecutor,
        previous_prosecutor=previous,
        method=method,
        reason=reason,
        by=actor,
    )
    if "stage" in changes:
        case_timeline_changed.send(sender=Case, case=case)
    label = Method(method).label
    notify(
        [prosecutor],
        kind="assignment",
        title=f"{label}：{case.name}（{case.dept_case_no}）由您承办",
        case=case,
        key=f"assignment-{assignment.pk}",
    )
    spec = EventSpec(
        action="triage.assign",
        object_type=case._meta.label_lower,
        object_id=case.pk,
        actor=actor,
        case_id=case.pk,
        org_code=case.org.code,
        summary=f"{label}：由 {prosecutor} 承办" + (f"，理由：{reason}" if reason else ""),
        changes=changes,
    )
    return assignment, spec


def fast_track_team(case: Case) -> Team | None:
    """The department's 快审团队 that receives the case: the one with the fewest open cases."""
    open_cases = Count("cases", filter=Q(cases__stage__in=OPEN_STAGES))
    teams = Team.objects.filter(department_id=case.department_id, is_fast_track=True)
    return teams.annotate(open_cases=open_cases).order_by("open_cases", "pk").first()


@transaction.atomic
def do_assign(case: Case, actor: User | None = None, *, expected_version: int | None = None) -> Assignment | None:
    """Automatic assignment of a triaged, unassigned case. Returns None when it stays unassigned
    (already assigned, no department, or nobody eligible; a simple case then waits in the
    fast-track team's queue).

    - 简案 → the department's 快审团队, then round-robin among that team's eligible prosecutors.
    - 繁案 (and 简案 where the department has no 快审团队) → the department's eligible prosecutors
      with the fewest open cases; ties go round in turn (rotation pointer).
    """
    if expected_version is not None and expected_version != case.row_version:
        raise StaleCase(STALE_MESSAGE)
    if case.prosecutor_id is not None or case.department_id is None:
        return None
    if case.track == Track.UNSORTED:
        raise TriageError("案件尚未繁简分流，不能自动分案。")
    team = None
    if case.track == Track.SIMPLE:
        # A case already waiting in a fast-track team's queue stays with that team.
        queued = case.team if case.team_id and case.team.is_fast_track else None
        team = queued or fast_track_team(case)
    if team is not None:
        candidates = list(eligible_prosecutors(case.department_id).filter(team=team).select_related("team"))
        if not candidates:
            _enqueue(case, team, actor)
            return None
        prosecutor = _rotate(_pointer(f"team:{team.pk}"), candidates)
        method, reason = Method.FAST_ROTATION, ""
    else:
        candidates = list(eligible_prosecutors(case.department_id).select_related("team"))
        if not candidates:
            return None
        # Lock first, then count: a concurrent assignment in the department has committed by then.
        pointer = _pointer(f"department:{case.department_id}")
        prosecutor = _rotate(pointer, candidates, open_workloads([p.pk for p in candidates]))
        method = Method.ROTATION
        reason = "本部门未设快审团队，简案按部门轮案" if case.track == Track.SIMPLE else ""
    assignment, spec = _give(
        case,
        prosecutor,
        team=team or prosecutor.team,
        method=method,
        reason=reason,
        actor=actor,
        expected_version=case.row_version,
    )
    record_many([spec])
    return assignment


def _enqueue(case: Case, team: Team, actor: User | None) -> None:
    """Put a simple case in the fast-track team's queue until a team member is available."""
    if case.team_id == team.pk:
        return
    before = jsonable(case.team)
    bump_case(case, case.row_version, team=team)
    record(
        "triage.enqueue",
        case,
        actor=actor,
        case_id=case.pk,
        org_code=case.org.code,
        summary=f"进入快审团队队列：{team}（暂无可分案的检察官）",
        changes={"team": [before, jsonable(team)]},
    )


def _check_target(case: Case, prosecutor: User) -> None:
    if not eligible_prosecutors(case.department_id).filter(pk=prosecutor.pk).exists():
        raise TriageError(f"{prosecutor} 不是本部门可分案的检察官。")


def _check_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise TriageError("必须填写理由。")
    return reason


@transaction.atomic
def do_designate(case: Case, prosecutor: User, reason: str, actor: User, *, expected_version: int) -> Assignment:
    """指定分案: the department head gives the case to a prosecutor of the department, with a
    written reason."""
    if not can_designate(actor, case):
        raise PermissionDenied("只有本部门主任可以指定分案。")
    reason = _check_reason(reason)
    _check_target(case, prosecutor)
    if case.prosecutor_id == prosecutor.pk:
        raise TriageError("该案已由所选检察官承办。")
    assignment, spec = _give(
        case,
        prosecutor,
        team=prosecutor.team,
        method=Method.DESIGNATED,
        reason=reason,
        actor=actor,
        expected_version=expected_version,
    )
    record_many([spec])
    return assignment


@transaction.atomic
def do_reassign(
    cases: Iterable[Case],
    prosecutor: User,
    reason: str,
    actor: User,
    *,
    expected_versions: Mapping[int, int] | None = None,
) -> list[Assignment]:
    """改派 one or many assigned cases to another prosecutor of their department, with a
    written reason. `expected_versions` ({case id: row_version seen}) refuses the whole batch
    if any case changed meanwhile; all or nothing."""
    reason = _check_reason(reason)
    assignments, specs = [], []
    for case in cases:
        if not can_triage(actor, case):
            raise PermissionDenied("无权改派该案件。")
        if case.prosecutor_id is None:
            raise TriageError(f"{case.dept_case_no} 尚未分案，不能改派。")
        if case.prosecutor_id == prosecutor.pk:
            raise TriageError(f"{case.dept_case_no} 已由所选检察官承办。")
        _check_target(case, prosecutor)
        seen = case.row_version if expected_versions is None else expected_versions[case.pk]
        assignment, spec = _give(
            case,
            prosecutor,
            team=prosecutor.team,
            method=Method.REASSIGNED,
            reason=reason,
            actor=actor,
            expected_version=seen,
        )
        assignments.append(assignment)
        specs.append(spec)
    if not assignments:
        raise TriageError("请选择要改派的案件。")
    record_many(specs)
    return assignments


#
# Pauses (暂停分案)
#


@transaction.atomic
def do_pause_assignment(prosecutor: User, reason: str, actor: User) -> AssignmentPause:
    """Take a prosecutor out of the rotation; only the head of their department may."""
    if not heads_department(actor, prosecutor.department_id):
        raise PermissionDenied("只有本部门主任可以暂停分案。")
    reason = _check_reason(reason)
    if not prosecutors(prosecutor.department_id).filter(pk=prosecutor.pk).exists():
        raise TriageError(f"{prosecutor} 不是本部门的检察官。")
    if AssignmentPause.objects.filter(prosecutor=prosecutor, resumed_at__isnull=True).exists():
        raise TriageError(f"{prosecutor} 已暂停分案。")
    pause = AssignmentPause.objects.create(prosecutor=prosecutor, reason=reason, paused_by=actor)
    record(
        "triage.pause",
        pause,
        actor=actor,
        org_code=actor.org.code,
        summary=f"暂停分案：{prosecutor}，理由：{reason}",
    )
    return pause


@transaction.atomic
def do_resume_assignment(prosecutor: User, actor: User) -> AssignmentPause:
    """Put a paused prosecutor back into the rotation."""
    if not heads_department(actor, prosecutor.department_id):
        raise PermissionDenied("只有本部门主任可以恢复分案。")
    pause = AssignmentPause.objects.select_for_update().filter(prosecutor=prosecutor, resumed_at__isnull=True).first()
    if pause is None:
        raise TriageError(f"{prosecutor} 未暂停分案。")
    pause.resumed_by, pause.resumed_at = actor, timezone.now()
    pause.save(update_fields=["resumed_by", "resumed_at"])
    record("triage.resume", pause, actor=actor, org_code=actor.org.code, summary=f"恢复分案：{prosecutor}")
    return pause
