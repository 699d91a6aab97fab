"""The 案件流程监控通知书 (Rule 665): issuing numbered notices on findings, telling the people who
must act on them, and the DOCX the department receives.

A notice covers the 较重/严重 findings of one case opened together (one patrol run, or one
escalation of prompts left unfixed); report findings, which belong to no case, get one notice
per reporting unit. Its number is `{院简称}检案管监〔YYYY〕N号` (GB/T 9704-2012 §7.2.4, as
`documents.generate.official_number` writes it), numbered per procuratorate and year.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from bihuan.cases.numbering import take_numbers
from bihuan.documents.generate import chinese_date, official_number, printed_case_no, render_docx
from bihuan.lib.cnnum import int_to_cn
from bihuan.notifications.models import Notification
from bihuan.orgs.choices import RoleCode
from bihuan.orgs.models import Organisation, User
from bihuan.patrol.models import OPEN_STATUSES, Finding, Light, Notice, Severity

BATCH = 1_000
NOTICE_SERIES = "案管监"  # 案件管理部门的流程监控文书
TEMPLATE = "notice.docx"
TITLE = "案件流程监控通知书"
SEVERITY_RANK = {Severity.MINOR: 0, Severity.SERIOUS: 1, Severity.GRAVE: 2}
NOTIFY_NOTICE = "patrol_notice"
NOTIFY_CHIEF = "patrol_chief"
# The columns of a finding that issuing a notice needs.
FINDING_COLUMNS = ("id", "case_id", "org_id", "department_id", "severity", "reply_due")


def chunks(items: Iterable, size: int = BATCH) -> Iterator[list]:
    """`items` in lists of at most `size` (pk__in lists, bulk writes)."""
    batch: list = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


#
# Who hears of it
#


def people_by(role: str, column: str) -> dict[int, list[int]]:
    """Active holders of `role` grouped by their `column` ("org_id" or "department_id")."""
    grouped: dict[int, list[int]] = defaultdict(list)
    rows = User.objects.filter(roles__code=role, is_active=True).exclude(**{f"{column}__isnull": True})
    for key, user_id in rows.values_list(column, "id").distinct():
        grouped[key].append(user_id)
    return grouped


def case_url(case_id: int | None) -> str:
    return reverse("cases:detail", args=[case_id]) if case_id else ""


def send(rows: Iterable[Notification]) -> int:
    """Insert notifications in batches; one a person already has (the same key) is skipped."""
    sent = 0
    for batch in chunks(rows):
        Notification.objects.bulk_create(batch, ignore_conflicts=True)
        sent += len(batch)
    return sent


def notification(recipient_id: int, *, kind: str, title: str, case_id: int | None, key: str) -> Notification:
    return Notification(
        recipient_id=recipient_id, case_id=case_id, kind=kind, title=title[:200], url=case_url(case_id), key=key
    )


#
# Issuing notices
#


@dataclass
class _Draft:
    org_id: int
    case_id: int | None
    department_id: int | None
    severity: str
    reply_due: date
    finding_ids: list[int]


def _drafts(findings: Iterable[Sequence]) -> list[_Draft]:
    """Group findings (FINDING_COLUMNS) into notices: one per case, or per reporting unit for
    findings on report figures. The notice takes the gravest severity and the earliest due date."""
    drafts: dict[tuple, _Draft] = {}
    for finding_id, case_id, org_id, department_id, severity, reply_due in findings:
        key = (org_id, case_id) if case_id else (org_id, None, department_id)
        draft = drafts.get(key)
        if draft is None:
            drafts[key] = _Draft(org_id, case_id, department_id, severity, reply_due, [finding_id])
            continue
        draft.finding_ids.append(finding_id)
        draft.reply_due = min(draft.reply_due, reply_due)
        if SEVERITY_RANK[severity] > SEVERITY_RANK[draft.severity]:
            draft.severity = severity
    return list(drafts.values())


def issue_notices(findings: Iterable[Sequence], *, now: datetime, actor=None, floor: str = "") -> list[Notice]:
    """Issue numbered notices on open findings (rows of FINDING_COLUMNS) and tell the department
    heads of the department, and for a 严重 notice the 检察长 too (Rule 665: 情节严重的，同时向
    检察长报告). `floor` raises the notice's severity to at least that (a prompt left unfixed
    becomes a 较重 matter). Set-based: one numbering lock per procuratorate, bulk writes."""
    drafts = _drafts(findings)
    if not drafts:
        return []
    for draft in drafts:
        if floor and SEVERITY_RANK[floor] > SEVERITY_RANK[draft.severity]:
            draft.severity = floor
    short_names = dict(Organisation.objects.filter(pk__in={d.org_id for d in drafts}).values_list("id", "short_name"))
    per_org: dict[int, list[_Draft]] = defaultdict(list)
    for draft in drafts:
        per_org[draft.org_id].append(draft)
    year = timezone.localtime(now).year
    pairs: list[tuple[Notice, _Draft]] = []
    for org_id, group in sorted(per_org.items()):
        first = take_numbers(org_id, NOTICE_SERIES, year, len(group))
        for n, draft in enumerate(group, first):
            notice = Notice(
                number=official_number(short_names[org_id], NOTICE_SERIES, year, n),
                org_id=org_id,
                department_id=draft.department_id,
                case_id=draft.case_id,
                severity=draft.severity,
                reported_to_chief=draft.severity == Severity.GRAVE,
                issued_at=now,
                issued_by=actor if getattr(actor, "pk", None) else None,
                reply_due=draft.reply_due,
            )
            pairs.append((notice, draft))
    notices = [notice for notice, _ in pairs]
    for batch in chunks(notices):
        Notice.objects.bulk_create(batch)
    # A case's findings take its notice by one UPDATE a batch (the notice is the case's one issued
    # now); a per-row CASE (bulk_update) grows with the square of the batch on a first patrol of
    # a million cases. Report figures' notices have no case: those few are linked row by row.
    issued = Notice.objects.filter(case_id=OuterRef("case_id"), issued_at=now)
    for batch in chunks(finding_id for _, draft in pairs if draft.case_id for finding_id in draft.finding_ids):
        Finding.objects.filter(pk__in=batch).update(
            notice_id=Subquery(issued.values("pk")[:1]), reply_due=Subquery(issued.values("reply_due")[:1])
        )
    uncased = [
        Finding(pk=finding_id, notice_id=notice.pk, reply_due=notice.reply_due)
        for notice, draft in pairs
        if not draft.case_id
        for finding_id in draft.finding_ids
    ]
    Finding.objects.bulk_update(uncased, ["notice", "reply_due"], batch_size=BATCH)
    send(_notice_notifications(notices))
    return notices


def _notice_notifications(notices: list[Notice]) -> Iterator[Notification]:
    heads = people_by(RoleCode.DEPT_HEAD, "department_id")
    chiefs = people_by(RoleCode.CHIEF, "org_id")
    for notice in notices:
        title = f"{TITLE} {notice.number}：请于 {notice.reply_due} 前将核查情况书面回复案件管理部门"
        for user_id in heads.get(notice.department_id, ()):
            yield notification(
                user_id, kind=NOTIFY_NOTICE, title=title, case_id=notice.case_id, key=f"patrol_notice:{notice.pk}"
            )
        if notice.reported_to_chief:
            report = f"报告检察长：{TITLE} {notice.number}，情节严重"
            for user_id in chiefs.get(notice.org_id, ()):
                yield notification(
                    user_id, kind=NOTIFY_CHIEF, title=report, case_id=notice.case_id, key=f"patrol_chief:{notice.pk}"
                )


def close_finished_notices(notice_ids: Iterable[int], *, now: datetime) -> int:
    """Close the open notices among `notice_ids` that have no open finding left; the light goes
    off (the escalation time stays as the record of it)."""
    closed = 0
    for batch in chunks(set(notice_ids) - {None}):
        closed += (
            Notice.objects.filter(pk__in=batch, closed_at__isnull=True)
            .exclude(findings__status__in=OPEN_STATUSES)
            .update(closed_at=now, light=Light.NONE)
        )
    return closed


#
# The document
#


def notice_paragraphs(notice: Notice) -> list[str]:
    """The body of the notice: what was found, on what basis, the compared values and their
    sources, and the reply the department owes (Rule 665: 10 日以内书面回复)."""
    department = "你部门" if notice.department_id else "你单位"
    if notice.case_id:
        case = notice.case
        opening = (
            f"经案件流程监控，{department}办理的{case.name}（部门受案号：{printed_case_no(case.dept_case_no)}）"
            "存在下列问题："
        )
    else:
        opening = "经对业务报表与案卡的比对，发现下列问题："
    paragraphs = [opening]
    findings = notice.findings.select_related("rule").order_by("id")
    for n, finding in enumerate(findings, 1):
        rule = finding.rule
        compared = "；".join(
            f"{v.get('label', '')}：{v.get('value') or '（空）'}（来源：{v.get('source', '')}）" for v in finding.values
        )
        text = f"{int_to_cn(n)}、{finding.message}（规则 {rule.code} {rule.name}）。依据：{rule.basis}。"
        if compared:
            text += f"比对情况：{compared}。"
        paragraphs.append(text)
    paragraphs.append(
        f"根据《人民检察院刑事诉讼规则》第六百六十五条的规定，请{department}查明情况、依法纠正，"
        f"并于{chinese_date(notice.reply_due)}前将核查情况书面回复本院案件管理部门。"
    )
    if notice.reported_to_chief:
        paragraphs.append("鉴于上述问题情节严重，本通知书已同时报告检察长。")
    return paragraphs


def notice_docx(notice: Notice) -> bytes:
    """The notice as a GB/T 9704-2012 DOCX, from the shared notice template of the documents app
    (title, 文号, 主送 the department, body, 院印 place and date)."""
    addressee = notice.department.name if notice.department_id else "本院有关部门"
    return render_docx(
        TEMPLATE,
        {
            "org_name": notice.org.name,
            "doc_number": notice.number,
            "date": chinese_date(timezone.localdate(notice.issued_at)),
            "title": TITLE,
            "addressee": addressee,
            "paragraphs": notice_paragraphs(notice),
        },
    )
