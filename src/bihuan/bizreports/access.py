"""Who reads and who enters business reports.

A report of a whole procuratorate sums all of its cases, so it is read by those who read all of
them (chief, deputy chief, committee member, case manager: the procuratorate and those below,
bihuan/orgs/scope.py). A department head reads the reports of their department and of the same
line of work below, as with cases. Only a case manager enters or imports, and only for their own
procuratorate: an upper procuratorate reads lower ones' reports but never changes them.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from bihuan.bizreports.models import ReportBatch, ReportFigure
from bihuan.cases.filters import scope_orgs
from bihuan.orgs.choices import RoleCode
from bihuan.orgs.models import Department, Organisation, User
from bihuan.orgs.scope import NOTHING, ORG_WIDE_ROLES

READER_ROLES = (*ORG_WIDE_ROLES, RoleCode.DEPT_HEAD)


def reads_reports(user: User) -> bool:
    return user.is_authenticated and user.org_id is not None and user.has_role(*READER_ROLES)


def enters_reports(user: User) -> bool:
    return user.is_authenticated and user.org_id is not None and user.has_role(RoleCode.CASE_MANAGER)


def readable_orgs(user: User) -> QuerySet[Organisation]:
    return scope_orgs(user) if reads_reports(user) else Organisation.objects.none()


def reads_whole_orgs(user: User) -> bool:
    """Whether the user reads whole procuratorates' figures (not only a department's)."""
    return reads_reports(user) and user.has_role(*ORG_WIDE_ROLES)


def readable_departments(user: User, org: Organisation) -> QuerySet[Department]:
    """The departments of `org` whose reports the user may read."""
    departments = Department.objects.filter(org=org)
    if not reads_reports(user) or not org.path.startswith(user.org.path):
        return departments.none()
    if user.has_role(*ORG_WIDE_ROLES):
        return departments
    if user.department_id is None:
        return departments.none()
    if org.pk == user.org_id:
        return departments.filter(pk=user.department_id)
    return departments.filter(kind=user.department.kind)


def may_read(user: User, org: Organisation, department: Department | None) -> bool:
    if department is None:
        return reads_whole_orgs(user) and org.path.startswith(user.org.path)
    return readable_departments(user, org).filter(pk=department.pk).exists()


def may_enter(user: User, org: Organisation) -> bool:
    return enters_reports(user) and org.pk == user.org_id


def check_may_enter(user: User | None, org: Organisation) -> None:
    """Refuse a write for another procuratorate; None is the system (the console command)."""
    if user is not None and not may_enter(user, org):
        raise PermissionDenied("只能填报本院的业务报表")


def figure_read_q(user: User) -> Q:
    """ReportFigure rows the user may read; mirrors `may_read`."""
    if not reads_reports(user):
        return NOTHING
    q = NOTHING
    if user.has_role(*ORG_WIDE_ROLES):
        q |= Q(org__path__startswith=user.org.path)
    if user.has_role(RoleCode.DEPT_HEAD) and user.department_id:
        q |= Q(department_id=user.department_id)
        q |= Q(org__path__startswith=user.org.path, department__kind=user.department.kind) & ~Q(org_id=user.org_id)
    return q


def visible_figures(user: User) -> QuerySet[ReportFigure]:
    return ReportFigure.objects.filter(figure_read_q(user))


def visible_batches(user: User) -> QuerySet[ReportBatch]:
    """Batches with at least one figure the user may read."""
    return ReportBatch.objects.filter(pk__in=visible_figures(user).values("batch_id"))


def access_batch(user: User, batch_id: int) -> ReportBatch:
    batch = visible_batches(user).select_related("org", "imported_by").filter(pk=batch_id).first()
    if batch is None:
        raise Http404("批次不存在")
    return batch
