"""Every write of the case code, each `do_*` one transaction with one audit event: scoring
(`do_evaluate`), the score templates, the QR link (`do_issue_link`, `do_revoke_link`), the
investigators' reviews and the 诉前会商 (`do_file_review`, `do_decide_review`,
`do_record_consultation`) and the intake gate (`do_gate_check`). Also the scoring inputs and the
checks a score needs (`is_scored`, `active_template`, `preview_score`).

The queries and rules these writes use stay in `scoring`, `sharing`, `reviews` and `gate`, which do
not import this module; the domain error is `exceptions.CodeRefused`.
"""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from bihuan.casecode.exceptions import CodeRefused
from bihuan.casecode.gate import ALLOWED, GATE_STAGES
from bihuan.casecode.models import (
    CaseCode,
    Colour,
    Consultation,
    Deduction,
    Evaluation,
    EvaluationReason,
    GateCheck,
    GateDecision,
    InquiryItem,
    OfficeSetting,
    ReviewClaim,
    ReviewDecision,
    ReviewRequest,
    ReviewStatus,
    ScoreItem,
    ScoreTemplate,
    ShareToken,
)
from bihuan.casecode.reviews import (
    NOTIFICATION_KIND,
    ClaimDecision,
    ClaimInput,
    agency_investigators,
    is_investigator,
    overall_decision,
)
from bihuan.casecode.scope import COLUMNS as SCOPE_COLUMNS
from bihuan.casecode.scoring import Result, evaluate, reevaluate_by
from bihuan.casecode.sharing import KEY_BYTES, live_tokens
from bihuan.cases.actions import StaleCase
from bihuan.cases.choices import CaseType, Stage
from bihuan.cases.models import Case
from bihuan.events.actions import record
from bihuan.intake.actions import IntakeError, do_accept
from bihuan.notifications.actions import notify
from bihuan.orgs.models import User

# Cases scored by default: 提前介入 (tagged so) and 审查逮捕 (seed 001 case 6, domain-rules §3.4).
EARLY_INVOLVEMENT_TAG = "提前介入"


@dataclass(frozen=True)
class DeductionInput:
    item_id: int
    points: Decimal
    reason: str
    veto: bool = False


@dataclass(frozen=True)
class InquiryInput:
    """One 补充侦查提纲 item (问题, 目的, 事项, 要求) for a deducted scoring item."""

    item_id: int
    problem: str
    purpose: str
    matters: str
    requirement: str


def active_template() -> ScoreTemplate:
    template = ScoreTemplate.objects.filter(is_active=True).first()
    if template is None:
        raise CodeRefused("没有启用的案件码评分表，请系统管理员启用一个版本。")
    return template


def is_scored(case: Case) -> bool:
    """Whether the case takes a code: 审查逮捕 and 提前介入 cases, and every case of a
    procuratorate that enabled it for all (OfficeSetting)."""
    if case.case_type == CaseType.ARREST_REVIEW:
        return True
    if case.tags.filter(name=EARLY_INVOLVEMENT_TAG).exists():
        return True
    return OfficeSetting.objects.filter(org_id=case.org_id, all_cases=True).exists()


def _checked_deductions(template: ScoreTemplate, deductions: list[DeductionInput]) -> dict[int, ScoreItem]:
    items = {item.pk: item for item in template.items.all()}
    seen: set[int] = set()
    for d in deductions:
        item = items.get(d.item_id)
        if item is None:
            raise CodeRefused("扣分项不属于当前评分表。")
        if d.item_id in seen:
            raise CodeRefused(f"“{item.name}”重复扣分。")
        seen.add(d.item_id)
        if d.points < 0 or d.points > item.max_points:
            raise CodeRefused(f"“{item.name}”扣分应在 0 至 {item.max_points} 分之间。")
        if d.veto and not item.veto:
            raise CodeRefused(f"“{item.name}”不设一票否决。")
        if d.points == 0 and not d.veto:
            raise CodeRefused(f"“{item.name}”未扣分，无需填写。")
        if not d.reason.strip():
            raise CodeRefused(f"“{item.name}”扣分须写明理由。")
    return items


def _score(template: ScoreTemplate, items: dict[int, ScoreItem], deductions: list[DeductionInput]) -> Result:
    total = sum((item.max_points for item in items.values()), Decimal(0))
    return evaluate(total, ((d.points, d.veto) for d in deductions), template.red_below, template.green_from)


def preview_score(template: ScoreTemplate, deductions: list[DeductionInput]) -> tuple[Result, str]:
    """The score and colour the deductions would give under `template` (nothing is stored), and
    the reason `do_evaluate` would refuse them ("" when none), for the live preview."""
    items = {item.pk: item for item in template.items.all()}
    result = _score(template, items, [d for d in deductions if d.item_id in items])
    try:
        _checked_deductions(template, deductions)
    except CodeRefused as exc:
        return result, str(exc)
    return result, ""


@transaction.atomic
def do_evaluate(
    case: Case,
    *,
    actor: User,
    deductions: list[DeductionInput],
    inquiries: list[InquiryInput] = (),
    note: str = "",
    reason: str | None = None,
    evaluated_at=None,
) -> Evaluation:
    """Score the case against the active template: store the evaluation and its deductions, the
    new 补充侦查提纲 items, close (销号) the open items whose points are restored, and move the
    case's current code. A non-green result needs an open 补充侦查提纲 item for every deducted
    item (seed 001 case 6: 逐项列明问题、目的、事项、要求). The investigators of the case's agency
    are told of the new code, except for a re-scoring by a review decision (that decision's own
    notification tells them)."""
    if not is_scored(case):
        raise CodeRefused("该案件不适用案件码评分（仅提前介入、审查逮捕案件，或本院已启用全部案件评分）。")
    # Evaluations of one case are serialised (their order numbers and the open items they close);
    # the locked row gives the scope columns copied onto the evaluation and the code.
    scope = Case.objects.select_for_update().filter(pk=case.pk).values(*SCOPE_COLUMNS).get()
    template = active_template()
    items = _checked_deductions(template, deductions)
    result = _score(template, items, deductions)
    deducted = {d.item_id for d in deductions}
    for inquiry in inquiries:
        if inquiry.item_id not in deducted:
            raise CodeRefused("补充侦查提纲事项须对应本次扣分的评分项。")
        if not all(s.strip() for s in (inquiry.problem, inquiry.purpose, inquiry.matters, inquiry.requirement)):
            raise CodeRefused("补充侦查提纲事项须写明问题、目的、事项和要求。")
    # Open items are matched by the item's name, so they carry over to a new template version.
    deducted_names = {items[i].name for i in deducted}
    open_items = InquiryItem.objects.filter(case=case, closed_in=None)
    if result.colour != Colour.GREEN:
        covered = set(open_items.filter(item__name__in=deducted_names).values_list("item__name", flat=True))
        covered |= {items[i.item_id].name for i in inquiries}
        ordered = sorted(deducted, key=lambda i: items[i].order)
        missing = [items[i].name for i in ordered if items[i].name not in covered]
        if missing:
            raise CodeRefused(f"非绿码案件须为每个扣分项列明补充侦查提纲：{'、'.join(missing)}。")

    at = evaluated_at or timezone.now()
    previous = CaseCode.objects.select_for_update().filter(case=case).first()
    seq = (Evaluation.objects.filter(case=case).aggregate(n=Max("seq"))["n"] or 0) + 1
    reason = reason or (EvaluationReason.FIRST if previous is None else EvaluationReason.REEVALUATION)
    evaluation = Evaluation.objects.create(
        case=case,
        seq=seq,
        template=template,
        reason=reason,
        score=result.score,
        colour=result.colour,
        vetoed=result.vetoed,
        note=note.strip(),
        evaluated_by=actor,
        evaluated_at=at,
        **scope,
    )
    Deduction.objects.bulk_create(
        Deduction(evaluation=evaluation, item_id=d.item_id, points=d.points, veto=d.veto, reason=d.reason.strip())
        for d in deductions
    )
    InquiryItem.objects.bulk_create(
        InquiryItem(
            case=case,
            item_id=i.item_id,
            raised_in=evaluation,
            problem=i.problem.strip(),
            purpose=i.purpose.strip(),
            matters=i.matters.strip(),
            requirement=i.requirement.strip(),
        )
        for i in inquiries
    )
    # 销号: an open item whose points this evaluation restores (no deduction on it any more).
    closed = open_items.exclude(item__name__in=deducted_names).update(closed_in=evaluation)
    _move_code(case, previous, evaluation, timezone.localdate(at), scope)
    before = previous.colour if previous else None
    record(
        "casecode.evaluate",
        evaluation,
        actor=actor,
        case_id=case.pk,
        org_code=case.org.code,
        summary=f"案件码第{seq}次评分：{result.score}分，{Colour(result.colour).label}"
        + ("（一票否决）" if result.vetoed else "")
        + (f"；销号补充侦查提纲事项 {closed} 项" if closed else ""),
        changes={"colour": [before, result.colour], "score": [previous.score if previous else None, result.score]},
    )
    if reason != EvaluationReason.REVIEW and case.source_agency_id is not None:
        notify(
            agency_investigators(case.source_agency_id),
            kind=NOTIFICATION_KIND,
            title=f"案件码更新：{case.dept_case_no} 第{seq}次评分 {result.score}分（{Colour(result.colour).label}）",
            case=case,
            url=reverse("casecode:agency_case", args=[case.pk]),
        )
    return evaluation


def _move_code(case: Case, code: CaseCode | None, evaluation: Evaluation, on: date, scope: dict) -> None:
    """Point the case's current code at `evaluation`, keeping the dates and the case's scope
    columns the statistics read."""
    if code is None:
        code = CaseCode(case=case, first_evaluated_on=on)
    for column, value in scope.items():
        setattr(code, column, value)
    code.current = evaluation
    code.score, code.colour = evaluation.score, evaluation.colour
    if evaluation.colour != Colour.GREEN and code.first_non_green_on is None:
        code.first_non_green_on = on
    if evaluation.colour == Colour.GREEN and code.first_non_green_on is not None and code.turned_green_on is None:
        code.turned_green_on = on
    code.reevaluate_by = reevaluate_by(evaluation.colour, on)
    code.save()


# --- score templates (configuration of the 系统管理员) ---------------------------------------------


def template_in_use(template: ScoreTemplate) -> bool:
    """A version that scored a case is frozen: past evaluations keep its table and thresholds."""
    return Evaluation.objects.filter(template=template).exists()


@transaction.atomic
def do_copy_template(template: ScoreTemplate, *, actor: User) -> ScoreTemplate:
    """复制为新版本: the next version of the table with the same items and thresholds, not yet
    in force, to be edited and then activated."""
    latest = ScoreTemplate.objects.filter(name=template.name).aggregate(v=Max("version"))["v"] or 0
    copy = ScoreTemplate.objects.create(
        name=template.name,
        version=latest + 1,
        red_below=template.red_below,
        green_from=template.green_from,
        is_active=False,
        note=f"复制自第{template.version}版",
    )
    ScoreItem.objects.bulk_create(
        ScoreItem(
            template=copy,
            order=item.order,
            dimension=item.dimension,
            name=item.name,
            max_points=item.max_points,
            veto=item.veto,
            guidance=item.guidance,
        )
        for item in template.items.all()
    )
    record(
        "casecode.template_copy",
        copy,
        actor=actor,
        summary=f"复制案件码评分表：{template} → 第{copy.version}版",
        changes={"version": [template.version, copy.version]},
    )
    return copy


@transaction.atomic
def do_activate_template(template: ScoreTemplate, *, actor: User) -> ScoreTemplate:
    """Put a version in force: new evaluations use it; the version in force so far is switched off
    (its past evaluations keep it)."""
    template = ScoreTemplate.objects.select_for_update().get(pk=template.pk)
    if template.is_active:
        raise CodeRefused(f"“{template}”已是启用的版本。")
    if not template.items.exists():
        raise CodeRefused(f"“{template}”没有评分项，不能启用。")
    previous = ScoreTemplate.objects.select_for_update().filter(is_active=True).first()
    if previous is not None:
        previous.is_active = False
        previous.save(update_fields=["is_active"])
    template.is_active = True
    template.save(update_fields=["is_active"])
    record(
        "casecode.template_activate",
        template,
        actor=actor,
        summary=f"启用案件码评分表 {template}" + (f"，停用 {previous}" if previous else ""),
        changes={"is_active": [False, True], "previous": [previous.pk if previous else None, None]},
    )
    return template


# --- the QR link (sharing) ------------------------------------------------------------------------


@transaction.atomic
def do_issue_link(case: Case, *, actor: User) -> ShareToken:
    """Issue a new link for an evaluated case, valid `CASECODE_LINK_DAYS` days; the case's live
    link, if any, is revoked (one live link per case)."""
    if not CaseCode.objects.filter(case=case).exists():
        raise CodeRefused("该案件尚未评分，不能生成案件码链接。")
    now = timezone.now()
    revoked = live_tokens(case).update(revoked_at=now, revoked_by=actor)
    token = ShareToken.objects.create(
        case=case,
        key=secrets.token_urlsafe(KEY_BYTES),
        created_by=actor,
        created_at=now,
        expires_at=now + timedelta(days=settings.CASECODE_LINK_DAYS),
    )
    record(
        "casecode.link_issue",
        token,
        actor=actor,
        case_id=case.pk,
        org_code=case.org.code,
        summary=f"生成案件码链接，有效期至 {timezone.localtime(token.expires_at):%Y-%m-%d}"
        + ("；原链接已撤销" if revoked else ""),
    )
    return token


@transaction.atomic
def do_revoke_link(token: ShareToken, *, actor: User) -> None:
    """Revoke a link: opening it answers 410 from now on."""
    if token.revoked_at is not None:
        raise CodeRefused("该链接已撤销。")
    token.revoked_at, token.revoked_by = timezone.now(), actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    record(
        "casecode.link_revoke",
        token,
        actor=actor,
        case_id=token.case_id,
        org_code=token.case.org.code,
        summary="撤销案件码链接",
    )


# --- reviews (复核申请) and 诉前会商 ------------------------------------------------------------------


def _notify_review(review: ReviewRequest, title: str, *, investigators: bool) -> None:
    """Tell the handling prosecutor (who opens the case page) and, when asked, the agency's
    investigators (who open the agency's code page: they cannot read the case)."""
    case = review.case
    notify([case.prosecutor_id], kind=NOTIFICATION_KIND, title=title, case=case)
    if investigators:
        notify(
            agency_investigators(case.source_agency_id),
            kind=NOTIFICATION_KIND,
            title=title,
            case=case,
            url=reverse("casecode:agency_case", args=[case.pk]),
        )


@transaction.atomic
def do_file_review(case: Case, *, actor: User, claims: list[ClaimInput], reason: str = "") -> ReviewRequest:
    """An investigator of the case's agency disputes deductions of the current evaluation (复核申请),
    each with a reason. One pending request per case at a time. The handling prosecutor is told."""
    if not is_investigator(actor) or actor.agency_id != case.source_agency_id:
        raise CodeRefused("仅移送单位的侦查人员可对该案件码申请复核。")
    code = CaseCode.objects.select_for_update().filter(case=case).first()
    if code is None:
        raise CodeRefused("该案件尚未评分，不能申请复核。")
    if ReviewRequest.objects.filter(case=case, status=ReviewStatus.PENDING).exists():
        raise CodeRefused("该案件已有待评议的复核申请，请等待评议结果后再申请。")
    if not claims:
        raise CodeRefused("请至少选择一个有异议的扣分项。")
    deductions = {d.pk: d for d in Deduction.objects.filter(evaluation_id=code.current_id).select_related("item")}
    seen: set[int] = set()
    for claim in claims:
        deduction = deductions.get(claim.deduction_id)
        if deduction is None:
            raise CodeRefused("复核只能针对当前评分中的扣分项。")
        if claim.deduction_id in seen:
            raise CodeRefused(f"“{deduction.item.name}”重复申请。")
        seen.add(claim.deduction_id)
        if not claim.reason.strip():
            raise CodeRefused(f"请写明对“{deduction.item.name}”扣分的异议理由。")
    review = ReviewRequest.objects.create(
        case=case,
        evaluation_id=code.current_id,
        filed_by=actor,
        filed_at=timezone.now(),
        reason=reason.strip() or "；".join(c.reason.strip() for c in claims),
    )
    ReviewClaim.objects.bulk_create(
        ReviewClaim(request=review, deduction_id=c.deduction_id, reason=c.reason.strip()) for c in claims
    )
    names = "、".join(deductions[c.deduction_id].item.name for c in claims)
    record(
        "casecode.review_file",
        review,
        actor=actor,
        case_id=case.pk,
        org_code=case.org.code,
        summary=f"侦查人员申请复核案件码扣分：{names}",
    )
    _notify_review(
        review,
        f"复核申请：{case.dept_case_no} 的侦查人员对“{names}”扣分申请复核",
        investigators=False,
    )
    return review


def _restored(claim: ReviewClaim, decision: ClaimDecision) -> Decimal:
    name = claim.deduction.item.name
    if decision.decision == ReviewDecision.ACCEPT:
        return claim.deduction.points
    if decision.decision == ReviewDecision.REJECT:
        return Decimal(0)
    if decision.decision != ReviewDecision.PARTIAL:
        raise CodeRefused(f"“{name}”的评议结果无效。")
    if not Decimal(0) < decision.restored < claim.deduction.points:
        raise CodeRefused(f"“{name}”部分采纳时，恢复分值应大于 0 且小于原扣分 {claim.deduction.points} 分。")
    return decision.restored


@transaction.atomic
def do_decide_review(
    review: ReviewRequest,
    *,
    actor: User,
    decisions: list[ClaimDecision],
    agreed_by: User,
    reason: str = "",
) -> ReviewRequest:
    """Record the joint decision (检警双方共同评议) on a pending review and re-score the case.

    1. Every claim gets accept / partial / reject with a reason; the overall decision follows
       (`overall_decision`).
    2. Unless every claim is rejected, the case is re-scored (EvaluationReason.REVIEW) from its
       current deductions, each claimed item's points reduced by the points restored; a fully
       restored item drops out, which 销号 its open 补充侦查提纲 items. A veto stays unless its
       claim is accepted in full.
    3. The prosecutor and the agency's investigators are told.
    The caller checks that `actor` may score the case (access.access_scoring_case)."""
    review = ReviewRequest.objects.select_for_update().select_related("case__org").get(pk=review.pk)
    case = review.case
    if review.status != ReviewStatus.PENDING:
        raise CodeRefused("该复核申请已处理。")
    if agreed_by is None or not agency_investigators(case.source_agency_id).filter(pk=agreed_by.pk).exists():
        raise CodeRefused("共同评议的侦查人员须为移送单位的侦查人员。")
    claims = {c.pk: c for c in review.claims.select_related("deduction__item")}
    given = {d.claim_id: d for d in decisions}
    if set(given) != set(claims) or len(given) != len(decisions):
        raise CodeRefused("请对每个复核事项作出评议结果。")
    restored: dict[int, tuple[Decimal, bool]] = {}
    for claim_id, claim in claims.items():
        decision = given[claim_id]
        if not decision.reason.strip():
            raise CodeRefused(f"请写明“{claim.deduction.item.name}”的评议理由。")
        claim.restored = _restored(claim, decision)
        claim.decision, claim.decision_reason = decision.decision, decision.reason.strip()
        restored[claim.deduction.item_id] = (claim.restored, decision.decision == ReviewDecision.ACCEPT)
    ReviewClaim.objects.bulk_update(claims.values(), ["decision", "restored", "decision_reason"])
    review.decision = overall_decision([c.decision for c in claims.values()])
    now = timezone.now()
    if review.decision != ReviewDecision.REJECT:
        review.result = do_evaluate(
            case,
            actor=actor,
            deductions=_reduced_deductions(case, restored),
            note=f"复核改分：{review.get_decision_display()}",
            reason=EvaluationReason.REVIEW,
            evaluated_at=now,
        )
    review.status = ReviewStatus.DECIDED
    review.decision_reason = reason.strip()
    review.decided_by, review.agreed_by, review.decided_at = actor, agreed_by, now
    review.save(
        update_fields=["status", "decision", "decision_reason", "decided_by", "agreed_by", "decided_at", "result"]
    )
    outcome = (
        f"，改分后 {review.result.score} 分（{Colour(review.result.colour).label}）"
        if review.result
        else "，维持原评分"
    )
    record(
        "casecode.review_decide",
        review,
        actor=actor,
        case_id=case.pk,
        org_code=case.org.code,
        summary=f"复核申请评议结果：{review.get_decision_display()}（共同评议：{agreed_by}）{outcome}",
        changes={"status": [ReviewStatus.PENDING, ReviewStatus.DECIDED], "decision": [None, review.decision]},
    )
    _notify_review(
        review,
        f"复核结果：{case.dept_case_no} {review.get_decision_display()}{outcome}",
        investigators=True,
    )
    return review


def _reduced_deductions(case: Case, restored: dict[int, tuple[Decimal, bool]]) -> list[DeductionInput]:
    """The current evaluation's deductions less the restored points (keyed by item): the case may
    have been re-scored since the review was filed, so the current deductions are the base."""
    current = Deduction.objects.filter(evaluation_id=CaseCode.objects.get(case=case).current_id)
    result = []
    for d in current:
        back, accepted = restored.get(d.item_id, (Decimal(0), False))
        points = max(d.points - back, Decimal(0))
        veto = d.veto and not accepted
        if points > 0 or veto:
            result.append(DeductionInput(item_id=d.item_id, points=points, reason=d.reason, veto=veto))
    return result


@transaction.atomic
def do_record_consultation(
    case: Case, *, actor: User, held_on: date, participants: str, opinions: str, conclusion: str
) -> Consultation:
    """Record a 诉前会商 with the investigators on a coded case (seed 001 case 6: 在案件侦查期限届满前
    十五日启动侦诉会商程序). The caller checks that `actor` may score the case."""
    if not CaseCode.objects.filter(case=case).exists():
        raise CodeRefused("该案件尚未评分，无需诉前会商。")
    if held_on > timezone.localdate():
        raise CodeRefused("会商日期不能晚于今天。")
    texts = {"参加人员": participants, "会商意见": opinions, "会商结论": conclusion}
    empty = [label for label, text in texts.items() if not text.strip()]
    if empty:
        raise CodeRefused(f"请填写{'、'.join(empty)}。")
    consultation = Consultation.objects.create(
        case=case,
        held_on=held_on,
        participants=participants.strip(),
        opinions=opinions.strip(),
        conclusion=conclusion.strip(),
        recorded_by=actor,
    )
    record(
        "casecode.consultation",
        consultation,
        actor=actor,
        case_id=case.pk,
        org_code=case.org.code,
        summary=f"记录诉前会商（{held_on:%Y-%m-%d}）：{conclusion.strip()[:60]}",
    )
    return consultation


# --- the intake gate (扫码受理) ----------------------------------------------------------------------


@transaction.atomic
def do_gate_check(
    case: Case,
    *,
    actor: User,
    coded_case: Case,
    decision: str,
    due_date: date | None = None,
    reason: str = "",
) -> GateCheck:
    """Record the gate's decision on a 审查起诉 case by the colour of its matter's code.

    1. The decision must fit the colour (ALLOWED); 延期受理 and 先收后补 need a date from today on
       (延期受理: the date it is looked at again; 先收后补: the date the open items are due) and
       a reason.
    2. 受理 and 先收后补 accept the case through the intake app (`do_accept`: the materials check
       and the stage move are its own) unless it is already accepted.
    3. The GateCheck keeps the colour and the evaluation read; the handling prosecutor of the
       coded case is told of anything but a green acceptance.
    The caller checks that `actor` works the intake desk of the case's procuratorate."""
    if case.case_type != CaseType.PROSECUTION_REVIEW or case.stage not in GATE_STAGES:
        raise CodeRefused("扫码受理仅适用于待受理或刚受理的审查起诉案件。")
    if coded_case.unified_case_no != case.unified_case_no:
        raise CodeRefused("案件码与移送审查起诉的案件不属于同一案件（统一受案号不同）。")
    code = CaseCode.objects.select_related("current").filter(case=coded_case).first()
    if code is None:
        raise CodeRefused("该案件没有案件码。")
    colour = Colour(code.colour)
    if decision not in ALLOWED[colour]:
        choices = "、".join(GateDecision(d).label for d in ALLOWED[colour])
        raise CodeRefused(f"{colour.label}案件只能{choices}。")
    reason = reason.strip()
    if decision in (GateDecision.DEFER, GateDecision.ACCEPT_PENDING):
        if due_date is None or due_date < timezone.localdate():
            raise CodeRefused(f"{GateDecision(decision).label}须写明今天或以后的日期。")
        if not reason:
            raise CodeRefused(f"请写明{GateDecision(decision).label}的理由。")
    if decision == GateDecision.DEFER and case.stage != Stage.REGISTERED:
        raise CodeRefused("案件已受理，不能延期受理。")
    if decision in (GateDecision.ACCEPT, GateDecision.ACCEPT_PENDING) and case.stage == Stage.REGISTERED:
        try:
            do_accept(case, actor=actor, expected_version=case.row_version)
        except (IntakeError, StaleCase) as exc:
            raise CodeRefused(str(exc)) from exc
    check = GateCheck.objects.create(
        case=case,
        coded_case=coded_case,
        evaluation=code.current,
        colour=colour,
        decision=decision,
        due_date=due_date if decision != GateDecision.ACCEPT else None,
        reason=reason,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    label = GateDecision(decision).label
    when = f"，期限 {due_date:%Y-%m-%d}" if check.due_date else ""
    record(
        "casecode.gate",
        check,
        actor=actor,
        case_id=case.pk,
        org_code=case.org.code,
        summary=f"扫码受理：{colour.label}（{code.score}分），{label}{when}" + (f"；理由：{reason}" if reason else ""),
    )
    if decision != GateDecision.ACCEPT:
        notify(
            [coded_case.prosecutor_id],
            kind=NOTIFICATION_KIND,
            title=f"扫码受理：{case.dept_case_no} 为{colour.label}，案管部门决定{label}{when}",
            case=coded_case,
        )
    return check
