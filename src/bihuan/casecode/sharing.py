"""The case code's QR link: a random, expiring, revocable token (ShareToken), carried in the link
signed, and what the public scan page may show (seed 001 case 6: 侦查人员手机扫描后即可获悉案件评分详情).

A link's path carries `Signer(salt=LINK_SALT).sign(key)`: a guessed or altered token fails the
signature check, which costs no database query, before any lookup. A case has at most one live
link: issuing a new one revokes the old. Opening the link needs no login; every opening is kept
as a `Scan` (time, address, browser) for the prosecutor.

This module holds the link's helpers and queries (signing, resolving, the scan log and its rate
limit, the masked code sheet); issuing and revoking a link are writes, in `actions`
(`do_issue_link`, `do_revoke_link`).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from bihuan.casecode.models import Deduction, Evaluation, InquiryItem, Scan, ScoreItem, ShareToken
from bihuan.cases.models import Case, Suspect
from bihuan.lib.masking import mask_name, mask_names_in

LINK_SALT = "casecode.link"
KEY_BYTES = 16  # 128 random bits: token_urlsafe gives 22 characters
USER_AGENT_KEPT = Scan._meta.get_field("user_agent").max_length

_signer = signing.Signer(salt=LINK_SALT)


def signed_key(token: ShareToken) -> str:
    return _signer.sign(token.key)


def link_path(token: ShareToken) -> str:
    return reverse("casecode:scan", args=[signed_key(token)])


def link_url(token: ShareToken) -> str:
    """The address the QR code encodes: the configured base address (HTTPS in production) + path."""
    return settings.SITE_URL.rstrip("/") + link_path(token)


def live_tokens(case: Case):
    return ShareToken.objects.filter(case=case, revoked_at=None, expires_at__gt=timezone.now())


def current_link(case: Case) -> ShareToken | None:
    """The case's live link (not revoked, not expired), if it has one."""
    return live_tokens(case).first()


class LinkGone(Exception):
    """A genuine link that was revoked or has expired."""


def resolve_link(signed: str) -> ShareToken | None:
    """The token of a link path: None for a bad signature (no query) or an unknown key; raises
    LinkGone for a revoked or expired one. One indexed query (the unique key), with the case and
    its current evaluation joined."""
    try:
        key = _signer.unsign(signed)
    except signing.BadSignature:
        return None
    token = (
        ShareToken.objects.select_related("case__code__current__template")
        .only(
            "key",
            "case",
            "expires_at",
            "revoked_at",
            "case__dept_case_no",
            "case__code__score",
            "case__code__colour",
            "case__code__current",
            "case__code__current__seq",
            "case__code__current__score",
            "case__code__current__colour",
            "case__code__current__vetoed",
            "case__code__current__evaluated_at",
            "case__code__current__template",
            "case__code__current__template__name",
            "case__code__current__template__version",
        )
        .filter(key=key)
        .first()
    )
    if token is None:
        return None
    if token.revoked_at is not None or token.expires_at <= timezone.now():
        raise LinkGone
    return token


def scan_allowed(address: str) -> bool:
    """At most `CASECODE_SCANS_PER_MINUTE` openings of scan links a minute from one address
    (valid or not, so guessing is slowed too); counted in the cache."""
    bucket = f"casecode:scan:{address}:{int(timezone.now().timestamp() // 60)}"
    cache.add(bucket, 0, timeout=120)
    try:
        count = cache.incr(bucket)
    except ValueError:  # evicted between add and incr
        cache.set(bucket, 1, timeout=120)
        count = 1
    return count <= settings.CASECODE_SCANS_PER_MINUTE


def log_scan(token: ShareToken, *, ip: str | None, user_agent: str) -> Scan:
    """Keep one opening of a link. The Scan rows are themselves the record of who opened it, so no
    audit event is appended (an anonymous page must not queue on the event chain's lock)."""
    return Scan.objects.create(
        token=token,
        case_id=token.case_id,
        scanned_at=timezone.now(),
        ip=ip or None,
        user_agent=user_agent[:USER_AGENT_KEPT],
    )


@dataclass
class ScoreRow:
    """One item of the score table and what this evaluation deducted on it (None: nothing)."""

    item: ScoreItem
    deduction: Deduction | None


@dataclass
class CodeSheet:
    """What may be shown of a case's code outside Bihuan (the scan page, the printed notice):
    the case number, the colour and score, the score table with the deductions and reasons, the
    open 补充侦查提纲 items, and the suspects' names masked. Full names in the written texts are
    masked too."""

    dept_case_no: str
    evaluation: Evaluation
    rows: list[ScoreRow]
    total: Decimal
    open_items: list[InquiryItem]
    suspects: list[str]


def suspect_names(case_id: int) -> list[str]:
    """The full names of the case's suspects, in the order they were recorded, to mask them."""
    return list(Suspect.objects.filter(case_id=case_id).order_by("pk").values_list("name", flat=True))


def code_sheet(case: Case, evaluation: Evaluation) -> CodeSheet:
    """Four small indexed queries: the suspects' names, the template's items, the deductions, the
    open items."""
    names = suspect_names(case.pk)

    def masked(text: str) -> str:
        return mask_names_in(text, names)

    deducted = {d.item_id: d for d in Deduction.objects.filter(evaluation_id=evaluation.pk)}
    rows = []
    for item in ScoreItem.objects.filter(template_id=evaluation.template_id).order_by("order", "id"):
        deduction = deducted.get(item.pk)
        if deduction is not None:
            deduction.reason = masked(deduction.reason)
        rows.append(ScoreRow(item, deduction))
    items = list(InquiryItem.objects.filter(case_id=case.pk, closed_in=None).select_related("item").order_by("id"))
    for i in items:
        i.problem, i.purpose = masked(i.problem), masked(i.purpose)
        i.matters, i.requirement = masked(i.matters), masked(i.requirement)
    total = sum((row.item.max_points for row in rows), Decimal(0))
    return CodeSheet(case.dept_case_no, evaluation, rows, total, items, [mask_name(n) for n in names])
