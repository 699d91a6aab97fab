"""The patrol in the demo (`bihuan demo`; issue 6 §5): the loaded documents' fields, problems
planted in the generated cards, a first full patrol that finds some of every severity, and the
loop under way — notices replied and verified, a prompt disputed, a false alarm, a late notice
turned red.

The generated data already carries inconsistencies between card and 起诉书 in about 1 % of its
documents (bihuan.exchange.gen_text). The other problems are planted the way an import of
imperfect cards brings them, by writing the card rows directly: a wrong ID check character, a
取保候审 running for 13 months, a 监视居住 for 7, a third 退回补充侦查, a 速裁 case with a minor, a
court term that differs from an adopted 确定刑 recommendation, a reported monthly figure that
differs from the cases. The cases are chosen deterministically (lowest ids that fit), and nothing
is added when the database already holds findings.

The loop is advanced through the actions, as the department heads and the case-management
office would; the late notice is the one exception: its dates are moved back twelve days (a demo
cannot wait ten days), then `do_escalate` turns it red.
"""

from datetime import timedelta

from django.db.models import Count, Max, Q
from django.utils import timezone

from bihuan.bizreports.actions import do_enter_figures
from bihuan.bizreports.figures import case_figures
from bihuan.cases.choices import (
    CUSTODIAL_MEASURES,
    OPEN_STAGES,
    CaseType,
    LinkKind,
    MeasureKind,
    Outcome,
    Procedure,
    RecommendationKind,
)
from bihuan.cases.models import Case, CoerciveMeasure, ProceduralLink, Suspect
from bihuan.documents.actions import extract_loaded
from bihuan.lib.periods import add_months
from bihuan.orgs.choices import RoleCode
from bihuan.orgs.models import User
from bihuan.patrol.actions import (
    do_dispute_prompt,
    do_escalate,
    do_mark_false_alarm,
    do_patrol_full,
    do_reply,
    do_verify,
)
from bihuan.patrol.models import Finding, FindingStatus, Notice, ReplyOutcome, Severity

PLANTED_EACH = 3
CHECKED = (
    "经核查，通知书所列问题属实，已逐项核对案卡与法律文书并更正。",
    "经核查，通知书所列问题属实，已安排承办检察官更正。",
    "经核查，案卡所填与卷宗材料一致。",
)


def _open_suspects():
    return Suspect.objects.filter(case__stage__in=OPEN_STAGES, case__prosecutor__isnull=False).order_by("pk")


def _plant(today) -> int:
    """Write the planted problems; return how many rows were changed."""
    planted = 0
    # 公民身份号码 with a wrong check character (GB 11643).
    for suspect in _open_suspects().exclude(id_number="")[:PLANTED_EACH]:
        last = suspect.id_number[-1]
        Suspect.objects.filter(pk=suspect.pk).update(id_number=suspect.id_number[:-1] + ("1" if last != "1" else "2"))
        planted += 1
    # 取保候审 over 12 months and 监视居住 over 6 (CPL 79), still running, on suspects not in custody.
    held = CoerciveMeasure.objects.filter(kind__in=CUSTODIAL_MEASURES, end_date__isnull=True).values("suspect")
    chosen = list(_open_suspects().exclude(pk__in=held)[: PLANTED_EACH * 2])
    for n, suspect in enumerate(chosen):
        kind, months = (MeasureKind.BAIL, 13) if n < PLANTED_EACH else (MeasureKind.RESIDENCE, 7)
        suspect.measures.filter(end_date__isnull=True).delete()
        CoerciveMeasure.objects.create(
            suspect=suspect, kind=kind, deciding_body="公安机关", start_date=add_months(today, -months)
        )
        planted += 1
    # A third 退回补充侦查 (CPL 175 allows two).
    twice = (
        Case.objects.filter(stage__in=OPEN_STAGES, case_type=CaseType.PROSECUTION_REVIEW)
        .annotate(returns=Count("links", filter=_returns()), last=Max("links__end_date", filter=_returns()))
        .filter(returns=2, last__isnull=False)
        .order_by("pk")[:PLANTED_EACH]
    )
    for case in twice:
        start = min(case.last + timedelta(days=3), today)
        ProceduralLink.objects.create(case=case, kind=LinkKind.SUPPLEMENTARY_INVESTIGATION, seq=3, start_date=start)
        planted += 1
    # 速裁 with a minor (CPL 223(2)).
    for case in Case.objects.filter(stage__in=OPEN_STAGES, procedure=Procedure.FAST).order_by("pk")[:PLANTED_EACH]:
        Suspect.objects.filter(pk=case.suspects.order_by("seq").values("pk")[:1]).update(is_minor=True)
        planted += 1
    # The court adopted a 确定刑 recommendation but the term differs.
    adopted = Suspect.objects.filter(
        rec_kind=RecommendationKind.FIXED, rec_adopted=True, court_term__isnull=False, rec_term_min__isnull=False
    ).order_by("pk")[:PLANTED_EACH]
    for suspect in adopted:
        Suspect.objects.filter(pk=suspect.pk).update(court_term=suspect.rec_term_min + 2)
        planted += 1
    return planted + _plant_report(today)


def _returns() -> Q:
    return Q(links__kind=LinkKind.SUPPLEMENTARY_INVESTIGATION)


def _plant_report(today) -> int:
    """Last month's figures of the busiest procuratorate, entered by its case-management office as
    counted from the cards, except one item reported two higher."""
    month = today.replace(day=1) - timedelta(days=1)
    busiest = (
        Case.objects.filter(outcome=Outcome.PROSECUTE)
        .values("org")
        .annotate(n=Count("pk"))
        .order_by("-n", "org")
        .first()
    )
    if busiest is None:
        return 0
    clerk = User.objects.filter(org_id=busiest["org"], roles__code=RoleCode.CASE_MANAGER).order_by("pk").first()
    if clerk is None:
        return 0
    counted = case_figures(clerk.org, month.year, month.month)
    item = max(counted, key=lambda code: (counted[code], code))
    figures = {code: value + (2 if code == item else 0) for code, value in counted.items()}
    do_enter_figures(clerk.org, None, month.year, month.month, figures, actor=clerk)
    return 1


def _person(role: str, **where) -> User | None:
    return User.objects.filter(roles__code=role, **where).order_by("pk").first()


def _advance_loop(today) -> list[str]:
    """Replies, verifications, a disputed prompt, a false alarm and a late notice."""
    done = []
    notices = list(Notice.objects.filter(department__isnull=False, case__isnull=False).order_by("pk")[:4])
    for n, notice in enumerate(notices[:3]):
        head = _person(RoleCode.DEPT_HEAD, department=notice.department)
        office = _person(RoleCode.CASE_MANAGER, org=notice.org)
        if head is None or office is None:
            continue
        outcome = ReplyOutcome.DISPUTED if n == 2 else ReplyOutcome.RECTIFIED
        do_reply(
            notice,
            actor=head,
            findings_checked=CHECKED[n],
            outcome=outcome,
            reasons="" if outcome == ReplyOutcome.RECTIFIED else "文书所载为笔误，已另行更正，案卡无误。",
        )
        done.append(f"{notice.number} 已回复")
        if n == 0:
            do_verify(notice, actor=office, closed=True, note="经核查，已整改到位，予以销号。")
            done.append(f"{notice.number} 核查销号")
        elif n == 1:
            do_verify(notice, actor=office, closed=False, note="案卡仍未更正，请继续整改。")
            done.append(f"{notice.number} 重新打开")
    if len(notices) > 3:
        late = notices[3]
        Notice.objects.filter(pk=late.pk).update(
            issued_at=late.issued_at - timedelta(days=12), reply_due=today - timedelta(days=2)
        )
        Finding.objects.filter(notice=late).update(reply_due=today - timedelta(days=2))
        done.append(f"{late.number} 逾期未回复")
    prompts = Finding.objects.filter(severity=Severity.MINOR, status=FindingStatus.OPEN, case__isnull=False)
    disputed = prompts.filter(prosecutor__isnull=False).order_by("pk").first()
    if disputed is not None:
        do_dispute_prompt(disputed, actor=disputed.prosecutor, reasons="该项已按卷宗材料填录，请核查。")
        done.append("一条口头提示被申辩")
    false_alarm = prompts.exclude(pk=getattr(disputed, "pk", None)).order_by("-pk").first()
    office = false_alarm and _person(RoleCode.CASE_MANAGER, org=false_alarm.org)
    if office:
        do_mark_false_alarm(false_alarm, actor=office, note="核对卷宗后确认案卡无误，系误报。")
        done.append("一条误报销号")
    escalated = do_escalate(today=today)
    done.append(f"升级 {sum(escalated.values())} 项")
    return done


def populate() -> str:
    if Finding.objects.exists():
        return "电子巡逻车：已有巡查记录，不再添加。"
    today = timezone.localdate()
    extracted = extract_loaded()
    planted = _plant(today)
    run = do_patrol_full(today=today)
    by_severity = {s.label: run.opened.get(s.value, 0) for s in Severity}
    loop = _advance_loop(today)
    return (
        f"电子巡逻车：提取导入文书 {extracted} 份，埋设问题 {planted} 处；首次全面巡查 {run.cases_checked} 件，"
        f"发现 {'、'.join(f'{k} {v}' for k, v in by_severity.items())}；{'，'.join(loop)}。"
    )
