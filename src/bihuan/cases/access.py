"""The one way to fetch cases: every lookup applies the viewer's role and organisation scope."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from bihuan.cases.models import Case, Suspect
from bihuan.orgs.models import User
from bihuan.orgs.scope import case_edit_q, case_view_q


def visible_cases(user: User) -> QuerySet[Case]:
    return Case.objects.filter(case_view_q(user))


def can_edit_case(user: User, case: Case) -> bool:
    return Case.objects.filter(case_edit_q(user), pk=case.pk).exists()


def access_case(user: User, case_id: int, *, for_write: bool = False) -> Case:
    """Return the case if the user may see it; out of scope answers 404 exactly like missing."""
    case = (
        visible_cases(user)
        .select_related("org", "department", "team", "prosecutor", "source_agency", "charge")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404("案件不存在")
    if for_write and not can_edit_case(user, case):
        raise PermissionDenied("无权修改该案件")
    return case


def visible_suspects(user: User) -> QuerySet[Suspect]:
    return Suspect.objects.filter(case__in=visible_cases(user))


def access_suspect(user: User, suspect_id: int) -> Suspect:
    suspect = visible_suspects(user).select_related("case").filter(pk=suspect_id).first()
    if suspect is None:
        raise Http404("犯罪嫌疑人不存在")
    return suspect
