"""Who scores a case, and the one way the case-code pages fetch a case.

Reading a case's code follows the case scope (bihuan.cases.access): out of scope answers 404
like a missing case. Scoring is the handling prosecutor's work (seed 001 case 6: 承办检察官赋码),
done by the prosecutor of the case or an assistant of the handling team; heads and the
case-management office read the code but do not score.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from bihuan.casecode.actions import is_scored
from bihuan.casecode.models import CaseCode
from bihuan.cases.access import access_case, can_edit_case, visible_cases
from bihuan.cases.models import Case
from bihuan.orgs.choices import RoleCode
from bihuan.orgs.models import User


def handles_case(user: User, case: Case) -> bool:
    """The prosecutor of the case, or an assistant of its handling team, who may edit it."""
    if not user.is_authenticated:
        return False
    handler = user.has_role(RoleCode.PROSECUTOR) and case.prosecutor_id == user.pk
    assistant = user.has_role(RoleCode.ASSISTANT) and user.team_id is not None and case.team_id == user.team_id
    return (handler or assistant) and can_edit_case(user, case)


def may_score(user: User, case: Case) -> bool:
    """Whether the user may score (评分 / 重新评估) the case: its handler, on a case that takes a code."""
    return handles_case(user, case) and is_scored(case)


def access_scoring_case(user: User, case_id: int, *, for_write: bool = False) -> Case:
    """The case for a case-code page: 404 out of scope; writing (scoring) needs `may_score`, else 403."""
    case = access_case(user, case_id)
    if for_write and not may_score(user, case):
        raise PermissionDenied("仅案件承办检察官可对适用案件码的案件评分")
    return case


def visible_codes(user: User) -> QuerySet[CaseCode]:
    """The current codes of the evaluated cases in the user's case scope."""
    return CaseCode.objects.filter(case__in=visible_cases(user))
