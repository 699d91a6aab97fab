"""Who works the intake desk, and the one way its pages fetch cases and 先收后补 items.

The case-management office (案件管理人员) registers and accepts cases of its own procuratorate;
the chief and deputy chiefs read the desk. Everything else follows the case scope
(bihuan.cases.access): out of scope answers 404 like a missing case.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from bihuan.cases.access import access_case, visible_cases
from bihuan.cases.choices import Stage
from bihuan.cases.models import Case
from bihuan.intake.models import DeferredItem, IntakeRecord
from bihuan.orgs.choices import DepartmentKind, RoleCode
from bihuan.orgs.models import Department, User

DESK_ROLES = (RoleCode.CASE_MANAGER, RoleCode.CHIEF, RoleCode.DEPUTY_CHIEF)


def works_intake(user: User) -> bool:
    """Registers and accepts cases: the case-management office of a procuratorate."""
    return user.is_authenticated and user.org_id is not None and user.has_role(RoleCode.CASE_MANAGER)


def handling_departments(user: User) -> QuerySet[Department]:
    """The 刑事检察部门 of the person's procuratorate, to which a registered case is sent."""
    return Department.objects.filter(org_id=user.org_id, kind=DepartmentKind.CRIMINAL)


def default_department(user: User) -> Department | None:
    """The handling department when the procuratorate has only one."""
    departments = list(handling_departments(user)[:2])
    return departments[0] if len(departments) == 1 else None


def reads_desk(user: User) -> bool:
    return user.is_authenticated and user.org_id is not None and user.has_role(*DESK_ROLES)


def require_desk(user: User) -> None:
    if not reads_desk(user):
        raise PermissionDenied("仅案件管理部门和院领导可查看受理台")


def require_intake(user: User) -> None:
    if not works_intake(user):
        raise PermissionDenied("仅案件管理部门可登记、受理案件")


def access_intake_case(user: User, case_id: int, *, for_write: bool = False) -> Case:
    """The case for an intake page; writing needs the case-management office of its procuratorate
    (404 out of scope, 403 for a reader or any other role)."""
    case = access_case(user, case_id, for_write=for_write)
    if for_write:
        require_intake(user)
    return case


def own_cases(user: User) -> QuerySet[Case]:
    """The cases of the person's own procuratorate that they may see (the desk shows no others)."""
    return visible_cases(user).filter(org_id=user.org_id)


def pending_cases(user: User) -> QuerySet[Case]:
    """Cases waiting for acceptance (待受理), oldest receipt first."""
    return (
        own_cases(user).filter(stage=Stage.REGISTERED).select_related("source_agency").order_by("received_date", "id")
    )


def recent_acceptances(user: User, limit: int = 20) -> QuerySet[IntakeRecord]:
    return (
        IntakeRecord.objects.filter(case__in=own_cases(user), accepted_at__isnull=False)
        .select_related("case", "accepted_by")
        .order_by("-accepted_at")[:limit]
    )


def open_deferred(user: User) -> QuerySet[DeferredItem]:
    """Open 先收后补 items of the procuratorate's cases, by due date."""
    return (
        DeferredItem.objects.filter(fulfilled_at=None, record__case__in=own_cases(user))
        .select_related("record__case", "element")
        .order_by("due_date", "id")
    )


def access_deferred(case: Case, item_id: int) -> DeferredItem:
    """A 先收后补 item of a case the caller fetched through `access_intake_case`."""
    item = DeferredItem.objects.select_related("element", "record").filter(pk=item_id, record__case=case).first()
    if item is None:
        raise Http404("先收后补事项不存在")
    item.record.case = case
    return item
