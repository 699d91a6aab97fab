"""The investigators' side of the case code and its joint review (复核申请), and the 诉前会商
record (seed 001 case 6: 侦查人员 ... 如对案件评分存在异议，可在线提出复核申请，由检警双方共同评议决定;
诉前会商 before the investigation custody deadline).

An investigator (侦查人员) sees the codes of the cases their agency transferred (Case.source_agency)
and nothing else of any case: the same restricted sheet as the public scan page. The case scope
(bihuan.orgs.scope) is not widened for them; their one door is `access_agency_case`. What they
read of the prosecutor's texts (the sheet, the review decisions) has the suspects' names masked.

This module holds the queries, the access check and the inputs of the reviews; filing and
deciding a review and recording a 诉前会商 are writes, in `actions` (`do_file_review`,
`do_decide_review`, `do_record_consultation`).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from bihuan.casecode.models import (
    CaseCode,
    Consultation,
    InquiryItem,
    ReviewDecision,
    ReviewRequest,
    ReviewStatus,
)
from bihuan.casecode.sharing import suspect_names
from bihuan.cases.models import Case
from bihuan.lib.masking import mask_names_in
from bihuan.orgs.choices import RoleCode
from bihuan.orgs.models import User

NOTIFICATION_KIND = "casecode"

#
# Investigators
#


def is_investigator(user: User) -> bool:
    return user.is_authenticated and user.agency_id is not None and user.has_role(RoleCode.INVESTIGATOR)


def agency_investigators(agency_id: int | None) -> QuerySet[User]:
    """The active investigators of an agency: they file reviews, are told of decisions, and one of
    them takes part in each decision."""
    if agency_id is None:
        return User.objects.none()
    return User.objects.filter(agency_id=agency_id, is_active=True, roles__code=RoleCode.INVESTIGATOR).distinct()


def open_items_count() -> Coalesce:
    """The number of open 补充侦查提纲 items of the code's case, as an annotation over CaseCode."""
    open_items = (
        InquiryItem.objects.filter(case_id=OuterRef("case_id"), closed_in=None)
        .order_by()
        .values("case_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(open_items), 0)


def agency_codes(user: User) -> QuerySet[CaseCode]:
    """The current codes of the cases the investigator's agency transferred, newest first."""
    if not is_investigator(user):
        return CaseCode.objects.none()
    return (
        CaseCode.objects.filter(case__source_agency_id=user.agency_id)
        .select_related("case", "current")
        .annotate(open_items=open_items_count())
        .order_by("-current__evaluated_at", "-case_id")
    )


def access_agency_case(user: User, case_id: int) -> Case:
    """A coded case of the investigator's agency; anything else answers 404 like a missing case."""
    case = (
        Case.objects.filter(pk=case_id, source_agency_id=user.agency_id, code__isnull=False)
        .select_related("org", "code__current")
        .first()
        if is_investigator(user)
        else None
    )
    if case is None:
        raise Http404("案件不存在")
    return case


def pending_review(case: Case) -> ReviewRequest | None:
    return ReviewRequest.objects.filter(case=case, status=ReviewStatus.PENDING).select_related("filed_by").first()


#
# Reviews: what is filed and decided (the writes are in actions)
#


@dataclass(frozen=True)
class ClaimInput:
    """One disputed deduction of the current evaluation and the investigator's reason."""

    deduction_id: int
    reason: str


@dataclass(frozen=True)
class ClaimDecision:
    """The joint decision on one claim: accept (all points back), partial (0 < restored <
    deducted) or reject (none back), with the reason."""

    claim_id: int
    decision: str
    reason: str
    restored: Decimal = Decimal(0)


def overall_decision(decisions: list[str]) -> str:
    """All claims accepted → 采纳; none accepted, even in part → 不予采纳; otherwise 部分采纳."""
    if all(d == ReviewDecision.ACCEPT for d in decisions):
        return ReviewDecision.ACCEPT
    if all(d == ReviewDecision.REJECT for d in decisions):
        return ReviewDecision.REJECT
    return ReviewDecision.PARTIAL


#
# Lists: reviews and 诉前会商
#


def consultations_of(case: Case) -> QuerySet[Consultation]:
    return Consultation.objects.filter(case=case).select_related("recorded_by")


def reviews_of(case: Case) -> QuerySet[ReviewRequest]:
    return ReviewRequest.objects.filter(case=case).select_related("filed_by", "decided_by", "agreed_by", "result")


def agency_reviews(case: Case) -> list[ReviewRequest]:
    """The case's review requests with their claims, for the agency's page: the prosecutor-written
    decision reasons have the suspects' names masked (as on the scan page)."""
    reviews = list(ReviewRequest.objects.filter(case=case).prefetch_related("claims__deduction__item"))
    names = suspect_names(case.pk)
    for review in reviews:
        review.decision_reason = mask_names_in(review.decision_reason, names)
        for claim in review.claims.all():
            claim.decision_reason = mask_names_in(claim.decision_reason, names)
    return reviews


def pending_reviews(cases: QuerySet[Case]) -> QuerySet[ReviewRequest]:
    """Pending review requests on the given cases, oldest first."""
    return (
        ReviewRequest.objects.filter(status=ReviewStatus.PENDING, case__in=cases)
        .select_related("case", "filed_by")
        .order_by("filed_at", "id")
    )
