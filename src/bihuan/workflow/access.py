"""Who holds which duty on a case: the 承办检察官, the holder of an approval step, a leader.

Scope first comes from `bihuan.cases.access.access_case`; these checks add the role the action
needs, always inside the case's own procuratorate (an upper procuratorate reads, never acts).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from bihuan.cases.access import visible_cases
from bihuan.cases.models import Case
from bihuan.orgs.choices import RoleCode
from bihuan.orgs.models import User
from bihuan.workflow.choices import ItemStatus, RequestStatus
from bihuan.workflow.machine import WorkflowRefused
from bihuan.workflow.models import ROLE_LABELS, ApprovalRequest, CommitteeItem, JointMeeting

LEADER_ROLES = (RoleCode.CHIEF, RoleCode.DEPUTY_CHIEF)
INBOX_SHOWN = 200


def is_prosecutor(user: User, case: Case) -> bool:
    """The case's own 承办检察官."""
    return user.has_role(RoleCode.PROSECUTOR) and case.prosecutor_id == user.pk


def is_case_manager(user: User, case: Case) -> bool:
    return user.has_role(RoleCode.CASE_MANAGER) and user.org_id == case.org_id


def is_leader(user: User, case: Case) -> bool:
    """A 检察长 or 副检察长 of the case's procuratorate (院领导)."""
    return user.has_role(*LEADER_ROLES) and user.org_id == case.org_id


def holds(user: User, role: str | None, case: Case) -> bool:
    """Whether the person may act for `role` on this case: a department head only on the
    department's cases, a leader or committee member only in their own procuratorate."""
    if role is None:
        return False
    if role == RoleCode.DEPT_HEAD:
        return (
            user.has_role(RoleCode.DEPT_HEAD)
            and case.department_id is not None
            and (user.department_id == case.department_id)
        )
    return user.has_role(role) and user.org_id == case.org_id


def holders(role: str, case: Case) -> QuerySet[User]:
    """The people who hold `role` on this case (whom to notify)."""
    people = User.objects.filter(roles__code=role, is_active=True)
    if role == RoleCode.DEPT_HEAD:
        return people.filter(department_id=case.department_id) if case.department_id else people.none()
    return people.filter(org_id=case.org_id)


def require_prosecutor(user: User, case: Case) -> None:
    if not is_prosecutor(user, case):
        raise PermissionDenied("只有本案承办检察官可以进行该操作。")


def require_holder(user: User, role: str, case: Case) -> None:
    if not holds(user, role, case):
        raise PermissionDenied(f"该操作须由本案的{ROLE_LABELS.get(role, role)}进行。")


def pending_for(user) -> list[ApprovalRequest]:
    """Requests whose current step this person holds, in their own procuratorate's scope."""
    if user.org_id is None:
        return []
    requests = (
        ApprovalRequest.objects.filter(status=RequestStatus.PENDING, case__in=visible_cases(user).filter(org=user.org))
        .select_related("case", "decision_type", "proposed_by")
        .prefetch_related("steps")
        .order_by("created_at", "id")[:INBOX_SHOWN]
    )
    return [r for r in requests if holds(user, r.current_role(), r.case)]


def agenda_for(user, *, status: str = ItemStatus.PENDING):
    """Committee items of the member's own procuratorate."""
    if not user.has_role(RoleCode.COMMITTEE) or user.org_id is None:
        return CommitteeItem.objects.none()
    return (
        CommitteeItem.objects.filter(status=status, case__in=visible_cases(user).filter(org=user.org))
        .select_related("case", "requested_by", "approval_request__decision_type", "decided_by")
        .prefetch_related("marks__checked_by", "approval_request__steps")
    )


def request_of(case: Case, request_id: int) -> ApprovalRequest:
    """An approval request of this case (ids of other cases' requests are not found)."""
    request = ApprovalRequest.objects.filter(pk=request_id, case=case).first()
    if request is None:
        raise WorkflowRefused("审批事项不存在。")
    return request


def meeting_of(case: Case, meeting_id: int) -> JointMeeting:
    meeting = JointMeeting.objects.filter(pk=meeting_id, case=case).first()
    if meeting is None:
        raise WorkflowRefused("联席会议不存在。")
    return meeting
