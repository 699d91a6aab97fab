"""Workflow writes: stage moves, proposals and their approval chains, decisions, hearings,
meetings, committee items, duty records and mediation.

Every action is one transaction with one audit event. Each takes the case's `row_version` the
person saw (`seen`): the case row is updated only if it still has that version, otherwise
StaleCase is raised and nothing is written, so of two people acting on the same case at once
one succeeds and the other is told the case changed.
"""

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from bihuan.cases.actions import STALE_MESSAGE, StaleCase, bump_case
from bihuan.cases.choices import CaseType, LikelySentence, LinkKind, Outcome, Stage
from bihuan.cases.models import Case, ProceduralLink
from bihuan.cases.signals import case_timeline_changed
from bihuan.deadlines.engine import PeriodRefused, case_facts, check_new_return, count_returns
from bihuan.deadlines.models import running_due
from bihuan.events.actions import record
from bihuan.notifications.actions import notify
from bihuan.orgs.choices import RoleCode
from bihuan.orgs.models import User
from bihuan.workflow import machine
from bihuan.workflow.access import (
    holders,
    holds,
    is_case_manager,
    is_leader,
    is_prosecutor,
    require_holder,
    require_prosecutor,
)
from bihuan.workflow.choices import (
    CHECKLIST_CODES,
    CHECKLIST_LABELS,
    MAJOR_SENSITIVE_TAG,
    DutyKind,
    ItemStatus,
    MediationResult,
    MeetingStatus,
    Phase,
    RequestStatus,
    Verdict,
)
from bihuan.workflow.machine import WorkflowRefused
from bihuan.workflow.models import (
    ROLE_LABELS,
    ApprovalRequest,
    ApprovalStep,
    ChecklistMark,
    CommitteeItem,
    DecisionType,
    DutyRecord,
    HearingParticipant,
    JointMeeting,
    Mediation,
    MeetingOpinion,
    PublicHearing,
)

OPEN_STATUSES = (RequestStatus.DRAFT, RequestStatus.PENDING, RequestStatus.APPROVED)
# CPL 172, Rule 351: 重大、复杂的案件，可以延长十五日.
EXTENSION_DAYS = 15
# Seed 004 (检调对接): cases likely punished by 三年以下有期徒刑、拘役、管制或者单处罚金.
MEDIATION_SENTENCES = (LikelySentence.UP_TO_1Y, LikelySentence.UP_TO_3Y)


#
# Helpers shared by the actions
#


def _check_version(case: Case, seen: int) -> None:
    """Before any rule is applied: a person acting on a stale page is told the case changed,
    whatever else changed with it (their step may have been taken by someone else)."""
    if not Case.objects.filter(pk=case.pk, row_version=seen).exists():
        raise StaleCase(STALE_MESSAGE)


def _move(case: Case, seen: int, action: str, target: str | None = None, **values: Any) -> machine.Transition:
    """Move the case along the stage machine. The action then calls `_timeline_changed` once its
    links are written, so that the deadlines app recomputes from the finished state."""
    transition = machine.check(case, action, target)
    bump_case(case, seen, stage=transition.target, **values)
    return transition


def _timeline_changed(case: Case) -> None:
    case_timeline_changed.send(sender=Case, case=case)


def _event(action: str, obj: Any, case: Case, actor: User, summary: str, changes: dict | None = None) -> None:
    record(
        f"workflow.{action}",
        obj,
        actor=actor,
        case_id=case.pk,
        org_code=case.org.code,
        summary=summary,
        changes=changes or {},
    )


def _reload_request(request: ApprovalRequest) -> ApprovalRequest:
    """The request as stored now. No row lock: the conditional update of the case row_version
    lets only one of two concurrent actions commit (the other raises StaleCase and rolls back)."""
    return (
        ApprovalRequest.objects.select_related("decision_type", "case", "case__org")
        .prefetch_related("steps")
        .get(pk=request.pk)
    )


def open_request(case: Case) -> ApprovalRequest | None:
    return (
        ApprovalRequest.objects.filter(case=case, status__in=OPEN_STATUSES)
        .select_related("decision_type", "proposed_by")
        .prefetch_related("steps__actor")
        .first()
    )


def is_major_sensitive(case: Case) -> bool:
    return case.tags.filter(name=MAJOR_SENSITIVE_TAG).exists()


def hearing_missing(request: ApprovalRequest) -> bool:
    """The hearing gate: a 不批准逮捕 or 不起诉 in a 重大敏感 case needs a public hearing hosted by
    a procuratorate leader before anyone approves it (seed 004, 威海/荣成: "在作出不捕不诉决定前，
    须由院领导主持召开公开听证会")."""
    if not request.decision_type.requires_hearing or not is_major_sensitive(request.case):
        return False
    return not PublicHearing.objects.filter(case=request.case, held_on__lte=timezone.localdate()).exists()


HEARING_MESSAGE = "本案为重大敏感案件，作出不批捕、不起诉决定前须由院领导主持召开公开听证会；请先记录公开听证。"


def check_return_allowed(case: Case) -> int:
    """Refuse a third 退回补充侦查 (CPL 175 para 3, Rule 350, counted by the deadlines engine
    across a change of jurisdiction); return the number the new one gets."""
    facts = case_facts(case)
    try:
        check_new_return(facts)
    except PeriodRefused as refused:
        raise WorkflowRefused(str(refused)) from refused
    return count_returns(facts) + 1


def check_extension_allowed(case: Case) -> None:
    """One extension of 15 days per review period (CPL 172); after 重新移送 the period restarts
    and may be extended again (domain-rules §7.2)."""
    if running_due(case) is None:
        raise WorkflowRefused("案件尚无正在计算的审查起诉期限，不能延长。")
    links = case.links.all()
    last_return = links.filter(kind=LinkKind.SUPPLEMENTARY_INVESTIGATION).order_by("-start_date", "-id").first()
    extensions = links.filter(kind=LinkKind.EXTENSION)
    if last_return is not None:
        extensions = extensions.filter(start_date__gt=last_return.end_date or last_return.start_date)
    if extensions.exists():
        raise WorkflowRefused("本次审查起诉期限已延长过一次（《刑事诉讼法》第一百七十二条：可以延长十五日）。")


def mediation_eligible(case: Case) -> bool:
    return case.likely_sentence in MEDIATION_SENTENCES


def _notify_holders(request: ApprovalRequest, role: str) -> None:
    case = request.case
    verb = "审核" if role == RoleCode.DEPT_HEAD else "审议" if role == RoleCode.COMMITTEE else "审批"
    notify(
        holders(role, case),
        kind="approval",
        title=f"待您{verb}：{case.name}（{request.decision_type.name}）",
        case=case,
        key=f"approval-{request.pk}-{len(request.approvals())}",
    )


def _on_reaching(request: ApprovalRequest, role: str, actor: User) -> None:
    """A step becomes current: tell its holders; a committee step puts the case on the agenda."""
    if role == RoleCode.COMMITTEE:
        CommitteeItem.objects.create(
            case=request.case,
            approval_request=request,
            question=f"{request.decision_type.name}：{request.opinion}",
            requested_by=actor,
        )
    _notify_holders(request, role)


#
# The stage machine
#


@transaction.atomic
def do_start_review(case: Case, *, actor: User, seen: int) -> None:
    _check_version(case, seen)
    require_prosecutor(actor, case)
    _move(case, seen, "start_review")
    _timeline_changed(case)
    _event("start_review", case, case, actor, "开始审查", {"stage": [Stage.ASSIGNED, Stage.REVIEWING]})


@transaction.atomic
def do_propose(case: Case, *, actor: User, decision_type: DecisionType, opinion: str, seen: int) -> ApprovalRequest:
    """The 承办检察官 proposes a decision (拟处理意见) under the authority list."""
    _check_version(case, seen)
    require_prosecutor(actor, case)
    if decision_type.case_type != case.case_type or not decision_type.active:
        raise WorkflowRefused(f"“{decision_type.name}”不适用于{CaseType(case.case_type).label}案件。")
    if open_request(case) is not None:
        raise WorkflowRefused("本案已有尚未办结的审批事项，请先办结后再提出新的处理意见。")
    if decision_type.link_kind == LinkKind.SUPPLEMENTARY_INVESTIGATION:
        check_return_allowed(case)
    if decision_type.link_kind == LinkKind.EXTENSION:
        check_extension_allowed(case)
    if decision_type.phase == Phase.AFTER_PROSECUTION:
        # 撤回起诉 (Rule 424): only a prosecuted case; the review stage itself is over.
        if case.stage != Stage.CONCLUDED or case.outcome != Outcome.PROSECUTE:
            raise WorkflowRefused(f"“{decision_type.name}”只适用于已提起公诉、尚未判决的案件。")
        bump_case(case, seen)
    else:
        _move(case, seen, "propose")
        _timeline_changed(case)
    request = ApprovalRequest.objects.create(
        case=case,
        decision_type=decision_type,
        proposed_by=actor,
        opinion=opinion,
        chain=decision_type.chain_roles(),
    )
    _event(
        "propose",
        request,
        case,
        actor,
        f"提出拟处理意见：{decision_type.name}",
        {"decision_type": [None, decision_type.name], "opinion": [None, opinion]},
    )
    return request


def _stage_move(request: ApprovalRequest, seen: int, action: str, target: str | None = None) -> None:
    """Stage moves of a request: none for a request made after prosecution (撤回起诉)."""
    if request.decision_type.phase == Phase.AFTER_PROSECUTION:
        bump_case(request.case, seen)
    else:
        _move(request.case, seen, action, target)
        _timeline_changed(request.case)


@transaction.atomic
def do_submit(request: ApprovalRequest, *, actor: User, seen: int) -> None:
    """Send the proposal up its chain: to the 部门主任 for 审核, or to the first leader."""
    _check_version(request.case, seen)
    request = _reload_request(request)
    case = request.case
    require_prosecutor(actor, case)
    if request.status != RequestStatus.DRAFT:
        raise WorkflowRefused("该处理意见已提交，不能重复提交。")
    first = request.current_role()
    target = Stage.DEPT_REVIEW if first == RoleCode.DEPT_HEAD else Stage.APPROVAL
    _stage_move(request, seen, "submit", target)
    request.status = RequestStatus.PENDING if first else RequestStatus.APPROVED
    request.save(update_fields=["status"])
    if first:
        _on_reaching(request, first, actor)
    to = ROLE_LABELS.get(first, "") if first else "（无需审批）"
    _event(
        "submit", request, case, actor, f"提交审批：{request.decision_type.name} → {to}", {"status": [None, "pending"]}
    )


@transaction.atomic
def do_decide_step(request: ApprovalRequest, *, actor: User, verdict: str, reason: str, seen: int) -> ApprovalStep:
    """The holder of the current step approves (审核/审批/签发) or returns with a reason.

    0. A page older than the case is refused first (someone else may have taken the step).
    1. Only the holder of the current step, in the case's scope, may act.
    2. Approving a 不捕/不诉 of a 重大敏感 case needs the public hearing first.
    3. A committee step needs its agenda item's 四到位/四提前/四必问 checklist complete.
    4. A return ends the request and sends the case back to the 承办检察官.
    """
    _check_version(request.case, seen)
    request = _reload_request(request)
    case = request.case
    if request.status != RequestStatus.PENDING:
        raise WorkflowRefused("该审批事项不在审批中。")
    role = request.current_role()
    require_holder(actor, role, case)
    if verdict == Verdict.RETURN and not reason.strip():
        raise WorkflowRefused("退回须写明理由。")
    if verdict == Verdict.APPROVE and hearing_missing(request):
        raise WorkflowRefused(HEARING_MESSAGE)
    item = None
    if role == RoleCode.COMMITTEE:
        item = request.committee_items.filter(status=ItemStatus.PENDING).prefetch_related("marks").first()
        missing = item.missing_checks() if item else ["检委会议题"]
        if missing:
            raise WorkflowRefused(f"检委会讨论核对事项尚未完成，不能记录检委会决定：{'、'.join(missing)}。")
    position = len(request.approvals())
    step = ApprovalStep.objects.create(
        request=request, position=position, role=role, verdict=verdict, reason=reason, actor=actor
    )
    if item is not None:
        item.status, item.decision = ItemStatus.DECIDED, f"{Verdict(verdict).label}。{reason}".strip()
        item.decided_by, item.decided_at = actor, timezone.now()
        item.save(update_fields=["status", "decision", "decided_by", "decided_at"])
    label = ROLE_LABELS[role]
    if verdict == Verdict.RETURN:
        _stage_move(request, seen, "return")
        request.status = RequestStatus.RETURNED
        request.save(update_fields=["status"])
        notify(
            [case.prosecutor_id],
            kind="approval_returned",
            title=f"{label}退回：{case.name}（{request.decision_type.name}）：{reason}",
            case=case,
        )
        summary = f"{label}退回“{request.decision_type.name}”：{reason}"
    else:
        request = _reload_request(request)
        _stage_move(request, seen, "approve")
        following = request.current_role()
        if following:
            _on_reaching(request, following, actor)
        else:
            request.status = RequestStatus.APPROVED
            request.save(update_fields=["status"])
            notify(
                [case.prosecutor_id],
                kind="approval_done",
                title=f"审批通过，请记录决定：{case.name}（{request.decision_type.name}）",
                case=case,
            )
        summary = f"{label}同意“{request.decision_type.name}”" + (f"：{reason}" if reason else "")
    _event("decide_step", step, case, actor, summary, {"verdict": [None, verdict], "reason": [None, reason]})
    return step


def check_complete(request: ApprovalRequest) -> None:
    """Refuse a decision whose chain is not complete, naming the step still missing."""
    role = request.current_role()
    if request.status == RequestStatus.RETURNED:
        raise WorkflowRefused("该处理意见已被退回，不能据此记录决定。")
    if role is not None:
        raise WorkflowRefused(
            f"审批未完成，尚缺“{ROLE_LABELS[role]}”审批，不能记录“{request.decision_type.name}”决定。"
        )
    if request.status != RequestStatus.APPROVED:
        raise WorkflowRefused("该处理意见尚未提交审批，不能记录决定。")


@transaction.atomic
def do_record_decision(request: ApprovalRequest, *, actor: User, decided_on: date, seen: int) -> None:
    """Record the approved decision on the case card.

    A concluding decision (起诉, 不起诉, 批准/不批准逮捕) sets the 审结方式 and 审结日期 of the case
    and each suspect not yet concluded, and concludes the case. 退回补充侦查 opens a
    ProceduralLink and sends the case out (CPL 175). 延长 adds the 15-day link running from the
    day after the current due date (CPL 172, domain-rules §7.2). 撤回起诉 adds its link and
    changes the outcome (Rule 424).
    """
    _check_version(request.case, seen)
    request = _reload_request(request)
    case = request.case
    require_prosecutor(actor, case)
    check_complete(request)
    if hearing_missing(request):
        raise WorkflowRefused(HEARING_MESSAGE)
    kind = request.decision_type
    approvals = request.approvals()
    approver = str(approvals[-1].actor) if approvals else str(actor)
    changes: dict[str, list] = {"decision_type": [None, kind.name], "decided_on": [None, decided_on]}
    if kind.link_kind == LinkKind.SUPPLEMENTARY_INVESTIGATION:
        seq = check_return_allowed(case)
        _move(case, seen, "record_return")
        ProceduralLink.objects.create(
            case=case,
            kind=kind.link_kind,
            seq=seq,
            start_date=decided_on,
            approver=approver,
            note=request.opinion[:300],
        )
        summary = f"退回补充侦查（第{seq}次）"
    elif kind.link_kind == LinkKind.EXTENSION:
        check_extension_allowed(case)
        due = running_due(case)
        start, end = due + timedelta(days=1), due + timedelta(days=EXTENSION_DAYS)
        seq = case.links.filter(kind=LinkKind.EXTENSION).count() + 1
        _move(case, seen, "record_extension")
        ProceduralLink.objects.create(
            case=case, kind=kind.link_kind, seq=seq, start_date=start, end_date=end, approver=approver
        )
        changes["extension"] = [None, f"{start}—{end}"]
        summary = f"延长审查起诉期限十五日（{start:%Y-%m-%d}至{end:%Y-%m-%d}）"
    elif kind.phase == Phase.AFTER_PROSECUTION:
        bump_case(case, seen, outcome=kind.outcome)
        case.suspects.filter(outcome=Outcome.PROSECUTE).update(outcome=kind.outcome)
        seq = case.links.filter(kind=LinkKind.WITHDRAWAL).count() + 1
        ProceduralLink.objects.create(
            case=case, kind=LinkKind.WITHDRAWAL, seq=seq, start_date=decided_on, approver=approver
        )
        summary = f"记录决定：{kind.name}"
    else:
        _move(case, seen, "record_decision", outcome=kind.outcome, closed_date=decided_on)
        case.suspects.filter(outcome=Outcome.NONE).update(outcome=kind.outcome)
        changes["outcome"] = [None, kind.outcome]
        summary = f"记录决定：{kind.name}，审结"
    request.status, request.recorded_at = RequestStatus.RECORDED, timezone.now()
    request.save(update_fields=["status", "recorded_at"])
    _timeline_changed(case)
    _event("record_decision", request, case, actor, summary, changes)


@transaction.atomic
def do_re_transfer(case: Case, *, actor: User, received_on: date, seen: int) -> ProceduralLink:
    """重新移送: the investigators send the case back after 补充侦查; the open link closes on the
    re-receipt date and the review period restarts in full from it (CPL 175 para 3, Rule 346)."""
    _check_version(case, seen)
    if not (is_prosecutor(actor, case) or is_case_manager(actor, case)):
        raise PermissionDenied("重新移送由本案承办检察官或案件管理人员登记。")
    link = case.links.filter(kind=LinkKind.SUPPLEMENTARY_INVESTIGATION, end_date__isnull=True).order_by("-id").first()
    if link is None:
        raise WorkflowRefused("本案没有尚未重新移送的退回补充侦查记录。")
    if received_on < link.start_date:
        raise WorkflowRefused(f"重新移送日期不能早于退回日期 {link.start_date:%Y-%m-%d}。")
    _move(case, seen, "re_transfer")
    link.end_date = received_on
    link.save(update_fields=["end_date"])
    _timeline_changed(case)
    _event(
        "re_transfer",
        link,
        case,
        actor,
        f"重新移送（第{link.seq}次退回补充侦查完毕），审查起诉期限重新计算",
        {"end_date": [None, received_on]},
    )
    return link


def _require_period_keeper(actor: User, case: Case) -> None:
    """Periods that stop or restart the clock are registered by the 承办检察官 or the
    case-management office, which supervises the procuratorate's own periods (Rule 613)."""
    if not (is_prosecutor(actor, case) or is_case_manager(actor, case)):
        raise PermissionDenied("该期间由本案承办检察官或案件管理人员登记。")
    if case.stage in (Stage.REGISTERED, Stage.CONCLUDED, Stage.ARCHIVED):
        raise WorkflowRefused(f"案件处于“{case.get_stage_display()}”阶段，不能登记办案期间。")


@transaction.atomic
def do_record_suspension(
    case: Case, *, actor: User, start: date, end: date | None, reason: str, seen: int
) -> ProceduralLink:
    """An interval that does not count toward the period: 精神病鉴定 (Rule 222) or the decision
    period after a 监察机关 transfer (CPL 170, Rule 143). The due date moves back by its length
    (domain-rules §7.1); an interval still running is closed later with its end date."""
    _check_version(case, seen)
    _require_period_keeper(actor, case)
    if end is not None and end < start:
        raise WorkflowRefused("结束日期不能早于起始日期。")
    if start < case.received_date:
        raise WorkflowRefused(f"起始日期不能早于受理日期 {case.received_date:%Y-%m-%d}。")
    if case.links.filter(kind=LinkKind.SUSPENSION, end_date__isnull=True).exists():
        raise WorkflowRefused("尚有未结束的不计入办案期限的期间，请先登记其结束日期。")
    bump_case(case, seen)
    seq = case.links.filter(kind=LinkKind.SUSPENSION).count() + 1
    link = ProceduralLink.objects.create(
        case=case, kind=LinkKind.SUSPENSION, seq=seq, start_date=start, end_date=end, note=reason[:300]
    )
    _timeline_changed(case)
    until = f"至{end:%Y-%m-%d}" if end else "起，尚未结束"
    _event("suspension", link, case, actor, f"登记不计入办案期限的期间：{reason}（{start:%Y-%m-%d}{until}）")
    return link


@transaction.atomic
def do_end_suspension(case: Case, *, actor: User, end: date, seen: int) -> ProceduralLink:
    """Close the running interval that does not count toward the period."""
    _check_version(case, seen)
    _require_period_keeper(actor, case)
    link = case.links.filter(kind=LinkKind.SUSPENSION, end_date__isnull=True).first()
    if link is None:
        raise WorkflowRefused("本案没有尚未结束的不计入办案期限的期间。")
    if end < link.start_date:
        raise WorkflowRefused(f"结束日期不能早于起始日期 {link.start_date:%Y-%m-%d}。")
    bump_case(case, seen)
    link.end_date = end
    link.save(update_fields=["end_date"])
    _timeline_changed(case)
    _event(
        "suspension_end", link, case, actor, f"不计入办案期限的期间结束（{end:%Y-%m-%d}）", {"end_date": [None, end]}
    )
    return link


@transaction.atomic
def do_record_jurisdiction_change(
    case: Case, *, actor: User, decided_on: date, received_on: date, note: str, seen: int
) -> ProceduralLink:
    """改变管辖 during 审查起诉: the period runs again from the day the procuratorate now
    handling the case received it (CPL 172 para 2, Rule 351 para 2); 退补 before and after it
    count together (Rule 350)."""
    _check_version(case, seen)
    _require_period_keeper(actor, case)
    if case.case_type != CaseType.PROSECUTION_REVIEW:
        raise WorkflowRefused("改变管辖重新计算期限只适用于审查起诉案件。")
    if received_on < decided_on:
        raise WorkflowRefused("收到案件日期不能早于改变管辖决定日期。")
    bump_case(case, seen)
    seq = case.links.filter(kind=LinkKind.JURISDICTION_CHANGE).count() + 1
    link = ProceduralLink.objects.create(
        case=case,
        kind=LinkKind.JURISDICTION_CHANGE,
        seq=seq,
        start_date=decided_on,
        end_date=received_on,
        note=note[:300],
    )
    _timeline_changed(case)
    _event(
        "jurisdiction",
        link,
        case,
        actor,
        f"改变管辖，自 {received_on:%Y-%m-%d} 收到案件之日起重新计算审查起诉期限",
        {"end_date": [None, received_on]},
    )
    return link


@transaction.atomic
def do_archive(case: Case, *, actor: User, seen: int) -> None:
    _check_version(case, seen)
    if not (is_prosecutor(actor, case) or is_case_manager(actor, case)):
        raise PermissionDenied("归档由本案承办检察官或案件管理人员办理。")
    if open_request(case) is not None:
        raise WorkflowRefused("本案尚有未办结的审批事项，不能归档。")
    _move(case, seen, "archive")
    _timeline_changed(case)
    _event("archive", case, case, actor, "归档", {"stage": [Stage.CONCLUDED, Stage.ARCHIVED]})


#
# Hearings, meetings and the committee
#


@transaction.atomic
def do_record_hearing(
    case: Case,
    *,
    actor: User,
    held_on: date,
    host: User,
    topic: str,
    conclusion: str,
    participants: list[tuple[str, str, str]],
    seen: int,
) -> PublicHearing:
    """A public hearing with its participants (kind, name, opinion) and conclusion."""
    _check_version(case, seen)
    if not (is_prosecutor(actor, case) or is_leader(actor, case)):
        raise PermissionDenied("公开听证由本案承办检察官或院领导记录。")
    if not is_leader(host, case):
        raise WorkflowRefused("公开听证会须由本院院领导（检察长或副检察长）主持。")
    if not participants:
        raise WorkflowRefused("请至少记录一名听证参加人及其意见。")
    if held_on > timezone.localdate():
        raise WorkflowRefused("听证日期不能晚于今天；听证会召开后再记录。")
    bump_case(case, seen)
    hearing = PublicHearing.objects.create(
        case=case, held_on=held_on, host=host, topic=topic, conclusion=conclusion, recorded_by=actor
    )
    HearingParticipant.objects.bulk_create(
        HearingParticipant(hearing=hearing, kind=kind, name=name, opinion=opinion)
        for kind, name, opinion in participants
    )
    _event(
        "hearing",
        hearing,
        case,
        actor,
        f"记录公开听证（{held_on:%Y-%m-%d}，主持人 {host}，参加人 {len(participants)} 名）",
        {"held_on": [None, held_on], "host": [None, str(host)], "conclusion": [None, conclusion]},
    )
    return hearing


@transaction.atomic
def do_request_discussion(case: Case, *, actor: User, forum: str, question: str, seen: int) -> Any:
    """提请讨论: the 承办检察官 asks for a 检察官联席会议 (`forum` "joint") or puts the case on the
    检察委员会 agenda (`forum` "committee")."""
    _check_version(case, seen)
    require_prosecutor(actor, case)
    bump_case(case, seen)
    if forum == "committee":
        obj = CommitteeItem.objects.create(case=case, question=question, requested_by=actor)
        notify(holders(RoleCode.CHIEF, case), kind="committee", title=f"提请检委会讨论：{case.name}", case=case)
        summary = "提请检察委员会讨论"
    else:
        obj = JointMeeting.objects.create(case=case, agenda=question, requested_by=actor)
        notify(holders(RoleCode.DEPT_HEAD, case), kind="meeting", title=f"提请检察官联席会议：{case.name}", case=case)
        summary = "提请召开检察官联席会议"
    _event("request_discussion", obj, case, actor, f"{summary}：{question}", {"question": [None, question]})
    return obj


@transaction.atomic
def do_record_joint_meeting(
    case: Case,
    *,
    actor: User,
    held_on: date,
    agenda: str,
    opinions: list[tuple[User, str]],
    conclusion: str,
    seen: int,
    meeting: JointMeeting | None = None,
) -> JointMeeting:
    """The 部门主任 records a 检察官联席会议 held on the case: agenda, each attendee's opinion and
    the conclusion; a meeting the 承办检察官 asked for is closed by it."""
    _check_version(case, seen)
    require_holder(actor, RoleCode.DEPT_HEAD, case)
    if not opinions:
        raise WorkflowRefused("请至少记录一名参会检察官的意见。")
    if meeting is not None and (meeting.case_id != case.pk or meeting.status != MeetingStatus.REQUESTED):
        raise WorkflowRefused("该联席会议已召开或不属于本案。")
    bump_case(case, seen)
    meeting = meeting or JointMeeting(case=case)
    meeting.agenda, meeting.held_on, meeting.conclusion = agenda, held_on, conclusion
    meeting.status, meeting.convened_by = MeetingStatus.HELD, actor
    meeting.save()
    MeetingOpinion.objects.bulk_create(MeetingOpinion(meeting=meeting, attendee=u, opinion=o) for u, o in opinions)
    if case.prosecutor_id:
        notify([case.prosecutor_id], kind="meeting", title=f"检察官联席会议已形成结论：{case.name}", case=case)
    _event(
        "joint_meeting",
        meeting,
        case,
        actor,
        f"召开检察官联席会议（{held_on:%Y-%m-%d}，{len(opinions)} 名检察官发表意见）",
        {"agenda": [None, agenda], "conclusion": [None, conclusion]},
    )
    return meeting


def _pending_item(case: Case, item_id: int) -> CommitteeItem:
    item = CommitteeItem.objects.filter(pk=item_id, case=case).prefetch_related("marks").first()
    if item is None:
        raise WorkflowRefused("检委会议题不存在。")
    if item.status != ItemStatus.PENDING:
        raise WorkflowRefused("该检委会议题已作出决定。")
    return item


@transaction.atomic
def do_check_committee_items(case: Case, *, actor: User, item_id: int, codes: list[str], seen: int) -> int:
    """A committee member checks items of the 四到位/四提前/四必问 list; returns how many were new."""
    _check_version(case, seen)
    require_holder(actor, RoleCode.COMMITTEE, case)
    item = _pending_item(case, item_id)
    done = {m.code for m in item.marks.all()}
    new = [c for c in dict.fromkeys(codes) if c in CHECKLIST_CODES and c not in done]
    if not new:
        raise WorkflowRefused("没有新的核对事项。")
    bump_case(case, seen)
    ChecklistMark.objects.bulk_create(ChecklistMark(item=item, code=c, checked_by=actor) for c in new)
    _event(
        "committee_check",
        item,
        case,
        actor,
        f"检委会核对：{'、'.join(CHECKLIST_LABELS[c] for c in new)}",
        {"checked": [None, new]},
    )
    return len(new)


@transaction.atomic
def do_decide_committee_item(case: Case, *, actor: User, item_id: int, decision: str, seen: int) -> CommitteeItem:
    """The committee's decision on a discussion item. The committee step of an approval chain is
    decided through `do_decide_step`, which applies the same checklist gate."""
    _check_version(case, seen)
    require_holder(actor, RoleCode.COMMITTEE, case)
    item = _pending_item(case, item_id)
    if item.approval_request_id:
        raise WorkflowRefused("该议题是审批链中的检委会环节，请在审批栏中记录检委会决定。")
    missing = item.missing_checks()
    if missing:
        raise WorkflowRefused(f"检委会讨论核对事项尚未完成，不能记录检委会决定：{'、'.join(missing)}。")
    bump_case(case, seen)
    item.status, item.decision, item.decided_by, item.decided_at = ItemStatus.DECIDED, decision, actor, timezone.now()
    item.save(update_fields=["status", "decision", "decided_by", "decided_at"])
    if case.prosecutor_id:
        notify([case.prosecutor_id], kind="committee", title=f"检委会已作出决定：{case.name}", case=case)
    _event("committee_decision", item, case, actor, f"检委会决定：{decision}", {"decision": [None, decision]})
    return item


#
# Duty records and mediation
#


def may_record_duty(user: User, case: Case, kind: str) -> bool:
    """Who records which duty (seed 004): the 承办人 预判风险、报告进展、释法说理; the 部门主任
    查听案件 and 跟踪督促; the 分管检察长 (and the 检察长) 听取汇报."""
    if kind in (DutyKind.RISK_ASSESSMENT, DutyKind.PROGRESS_REPORT, DutyKind.EXPLANATION):
        return is_prosecutor(user, case)
    if kind == DutyKind.SUPERVISION:
        return holds(user, RoleCode.DEPT_HEAD, case)
    return is_leader(user, case) or holds(user, RoleCode.DEPT_HEAD, case)


@transaction.atomic
def do_record_duty(
    case: Case,
    *,
    actor: User,
    kind: str,
    occurred_on: date,
    content: str,
    counterpart: str = "",
    risk_level: str = "",
    seen: int,
) -> DutyRecord:
    """Record a duty. A 风险评估 sets the case's risk level; a 督促 and a 进展报告 notify."""
    _check_version(case, seen)
    if not may_record_duty(actor, case, kind):
        raise PermissionDenied(f"您不能记录本案的“{DutyKind(kind).label}”。")
    values: dict[str, Any] = {}
    changes: dict[str, list] = {"content": [None, content]}
    if kind == DutyKind.RISK_ASSESSMENT:
        if not risk_level:
            raise WorkflowRefused("风险评估须选择风险等级。")
        values["risk_level"] = risk_level
        changes["risk_level"] = [case.risk_level, risk_level]
    bump_case(case, seen, **values)
    duty = DutyRecord.objects.create(
        case=case,
        kind=kind,
        actor=actor,
        occurred_on=occurred_on,
        counterpart=counterpart,
        risk_level=risk_level if kind == DutyKind.RISK_ASSESSMENT else "",
        content=content,
    )
    if kind == DutyKind.SUPERVISION and case.prosecutor_id:
        notify([case.prosecutor_id], kind="supervision", title=f"部门主任督促：{case.name}：{content}", case=case)
    if kind == DutyKind.PROGRESS_REPORT:
        notify(holders(RoleCode.DEPT_HEAD, case), kind="progress", title=f"办案进展报告：{case.name}", case=case)
    _event("duty", duty, case, actor, f"{DutyKind(kind).label}：{content[:60]}", changes)
    return duty


@transaction.atomic
def do_record_mediation(
    case: Case,
    *,
    actor: User,
    mediator: str,
    held_on: date,
    parties: str,
    result: str,
    amount: Decimal | None,
    terms: str,
    seen: int,
) -> Mediation:
    """检调对接: mediation and settlement in a case likely punished by at most three years."""
    _check_version(case, seen)
    require_prosecutor(actor, case)
    if not mediation_eligible(case):
        raise WorkflowRefused("检调对接适用于可能判处三年有期徒刑以下刑罚的案件；本案可能判处的刑罚不在此范围。")
    if result == MediationResult.SETTLED and not terms.strip():
        raise WorkflowRefused("达成和解的，请记录和解协议内容。")
    bump_case(case, seen)
    mediation = Mediation.objects.create(
        case=case,
        mediator=mediator,
        held_on=held_on,
        parties=parties,
        result=result,
        amount=amount,
        terms=terms,
        recorded_by=actor,
    )
    _event(
        "mediation",
        mediation,
        case,
        actor,
        f"检调对接：{MediationResult(result).label}" + (f"，金额 {amount} 元" if amount is not None else ""),
        {"result": [None, result], "amount": [None, amount]},
    )
    return mediation
