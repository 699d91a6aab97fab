"""Who may triage, override risk, designate and reassign, which prosecutors take part in the
rotation, and which ledger lines a person may read."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet

from bihuan.cases.access import access_case, can_edit_case, visible_cases
from bihuan.cases.choices import OPEN_STAGES
from bihuan.cases.models import Case
from bihuan.orgs.choices import RoleCode
from bihuan.orgs.models import Department, User
from bihuan.orgs.scope import case_edit_q
from bihuan.triage.models import Assignment, AssignmentPause

NOTHING = Q(pk__in=[])


def heads_department(user: User, department_id: int | None) -> bool:
    return department_id is not None and user.has_role(RoleCode.DEPT_HEAD) and user.department_id == department_id


def manages_cases_of(user: User, case: Case) -> bool:
    """A member of the procuratorate's case-management office (案件管理人员)."""
    return user.has_role(RoleCode.CASE_MANAGER) and user.org_id == case.org_id


def can_triage(user: User, case: Case) -> bool:
    """Re-run triage, override the risk level, start the automatic assignment, reassign: the
    case-management office of the procuratorate and the head of the case's department."""
    return (manages_cases_of(user, case) or heads_department(user, case.department_id)) and can_edit_case(user, case)


def can_designate(user: User, case: Case) -> bool:
    """指定分案 is the department head's alone."""
    return heads_department(user, case.department_id) and can_edit_case(user, case)


def can_assign_anywhere(user: User) -> bool:
    """Whether the person does 分案 work at all (the bulk reassignment and workload pages)."""
    return (
        user.is_authenticated and user.org_id is not None and user.has_role(RoleCode.DEPT_HEAD, RoleCode.CASE_MANAGER)
    )


def access_case_for(user: User, case_id: int, allowed) -> Case:
    """The case if the person may act on it with `allowed(user, case)`: out of scope is 404 like
    a missing case, in scope without the right is 403."""
    case = access_case(user, case_id, for_write=True)
    if not allowed(user, case):
        raise PermissionDenied("无权进行该操作")
    return case


def prosecutors(departments: Department | int | QuerySet[Department]) -> QuerySet[User]:
    """Active people with the prosecutor role in the department (or in any of the departments)."""
    if not isinstance(departments, QuerySet):
        departments = [departments]
    return User.objects.filter(is_active=True, roles__code=RoleCode.PROSECUTOR, department__in=departments).order_by(
        "pk"
    )


def paused_ids() -> QuerySet:
    return AssignmentPause.objects.filter(resumed_at__isnull=True).values("prosecutor_id")


def eligible_prosecutors(departments: Department | int | QuerySet[Department]) -> QuerySet[User]:
    """Who takes part in the department's rotation: its active prosecutors not paused (暂停分案)."""
    return prosecutors(departments).exclude(pk__in=paused_ids())


def open_workloads(user_ids: list[int]) -> dict[int, int]:
    """Open cases (not 审结/归档) each person handles, in one query; 0 for those with none."""
    counts = dict(
        Case.objects.filter(prosecutor_id__in=user_ids, stage__in=OPEN_STAGES)
        .order_by()
        .values_list("prosecutor_id")
        .annotate(n=Count("id"))
        .values_list("prosecutor_id", "n")
    )
    return {pk: counts.get(pk, 0) for pk in user_ids}


def ledger_q(user: User) -> Q:
    """Ledger lines a person reads: the procuratorate (case-management office, chiefs), the
    department (heads), their own cases (prosecutors) or their team's (assistants, clerks).
    A ledger line carries its case's org, department, prosecutor and team, so this is the
    case edit scope applied to the ledger."""
    return case_edit_q(user)


def visible_assignments(user: User) -> QuerySet[Assignment]:
    """Ledger lines in the person's ledger scope, and only about cases they may read."""
    return Assignment.objects.filter(ledger_q(user), case__in=visible_cases(user).values("pk"))


def assignable_departments(user: User) -> QuerySet[Department]:
    """Departments whose assignments the person manages: the head's own, every department of
    the case manager's procuratorate."""
    if not can_assign_anywhere(user):
        return Department.objects.none()
    q = NOTHING
    if user.has_role(RoleCode.CASE_MANAGER):
        q |= Q(org_id=user.org_id)
    if user.has_role(RoleCode.DEPT_HEAD) and user.department_id:
        q |= Q(pk=user.department_id)
    return Department.objects.filter(q)


def workload_rows(user: User) -> list[dict]:
    """The prosecutors of the departments the person assigns in, with open cases and pauses."""
    people = list(prosecutors(assignable_departments(user)).select_related("department", "team"))
    loads = open_workloads([p.pk for p in people])
    pauses = {
        p.prosecutor_id: p
        for p in AssignmentPause.objects.filter(resumed_at__isnull=True, prosecutor__in=[p.pk for p in people])
    }
    return [
        {
            "person": p,
            "open": loads[p.pk],
            "pause": pauses.get(p.pk),
            "may_pause": heads_department(user, p.department_id),
        }
        for p in people
    ]
