"""Who reads and works the patrol (电子巡逻车), and the one way its pages fetch its objects.

Reading follows the case scope (`orgs.scope.case_view_q`) on the scope columns a Finding keeps
under the case's names, narrowed for those who only handle cases: the case-management office,
the chiefs and the committee read their procuratorate's findings (and those below it); a
department head reads the department's (and the same line of work below); a prosecutor reads
only the findings of the cases they handle. The three administrators (三员), investigators,
assistants and clerks read none of it (403). Another's finding or notice answers 404, like a
missing one.

Working the loop follows Rule 665: the case-management office (案件管理部门) of the finding's own
procuratorate runs the patrol, marks false alarms, verifies replies and keeps rules; the
department head or a prosecutor of the notified department replies to a notice; the handler of
a case disputes a prompt (口头提示) on it.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from bihuan.orgs.choices import OrgLevel, RoleCode
from bihuan.orgs.models import User
from bihuan.orgs.scope import NOTHING, ORG_WIDE_ROLES, case_view_q
from bihuan.patrol.models import Finding, FindingStatus, Notice, Rule, Severity

# The menu entry (电子巡逻车): the office, the leaders and the department heads; a prosecutor
# meets the patrol on the workbench and the case page.
NAV_ROLES = (*ORG_WIDE_ROLES, RoleCode.DEPT_HEAD)


def reads_patrol(user: User) -> bool:
    """Whether the user sees anything of the patrol at all."""
    return user.is_authenticated and user.has_role(*NAV_ROLES, RoleCode.PROSECUTOR)


def require_reader(user: User) -> None:
    if not reads_patrol(user):
        raise PermissionDenied("无权查看电子巡逻车")


def patrol_view_q(user: User, prefix: str = "") -> Q:
    """Findings (prefix "") or the cases of notices (prefix "case__") the user may read."""
    if not reads_patrol(user):
        return NOTHING
    if user.has_role(*NAV_ROLES):
        return case_view_q(user, prefix)
    return Q(**{f"{prefix}prosecutor_id": user.pk})


def visible_findings(user: User) -> QuerySet[Finding]:
    return Finding.objects.filter(patrol_view_q(user))


def visible_notices(user: User) -> QuerySet[Notice]:
    """Notices on the cases the user may read, and notices on report figures (no case) whose
    findings the user may read."""
    on_reports = Q(case__isnull=True) & Exists(visible_findings(user).filter(notice=OuterRef("pk")))
    return Notice.objects.filter(patrol_view_q(user, "case__") | on_reports)


def is_office(user: User, org_id: int | None = None) -> bool:
    """A case manager (案件管理部门), of procuratorate `org_id` when given."""
    if not (user.is_authenticated and user.has_role(RoleCode.CASE_MANAGER)):
        return False
    return org_id is None or user.org_id == org_id


def may_edit_rules(user: User | None) -> bool:
    """The rules are shared by every procuratorate of the installation, so they are changed (saved,
    enabled, disabled) by the 系统管理员 in the admin and by the case-management offices of city
    and provincial procuratorates; a county office tries drafts in the playground. `None` is the
    system itself (command line, tests' set-up)."""
    if user is None:
        return True
    if not user.is_authenticated:
        return False
    if user.has_role(RoleCode.SYSADMIN):
        return True
    return is_office(user) and user.org is not None and user.org.level != OrgLevel.COUNTY


RULES_ONLY = "巡查规则由系统管理员或市级以上院案件管理部门修改"


def may_reply(user: User, notice: Notice) -> bool:
    """The department head or a prosecutor of the notified department (Rule 665: 书面回复)."""
    if notice.closed_at is not None or notice.department_id is None:
        return False
    return user.has_role(RoleCode.DEPT_HEAD, RoleCode.PROSECUTOR) and user.department_id == notice.department_id


def may_dispute(user: User, finding: Finding) -> bool:
    """The handler of the case may dispute (申辩) an open prompt on it."""
    return (
        finding.severity == Severity.MINOR
        and finding.notice_id is None
        and finding.status == FindingStatus.OPEN
        and finding.prosecutor_id is not None
        and finding.prosecutor_id == user.pk
    )


OFFICE_ONLY = "仅本院案件管理部门可执行此操作"


def require_office(user: User, org_id: int | None = None) -> None:
    if not is_office(user, org_id):
        raise PermissionDenied(OFFICE_ONLY)


def access_finding(user: User, finding_id: int) -> Finding:
    """A finding in the user's scope; 404 otherwise, like a missing one (403 for those who read
    nothing of the patrol)."""
    require_reader(user)
    finding = (
        visible_findings(user)
        .filter(pk=finding_id)
        .select_related("rule", "case", "org", "department", "prosecutor", "notice", "closed_by")
        .first()
    )
    if finding is None:
        raise Http404("没有该巡查发现")
    return finding


def access_notice(user: User, notice_id: int) -> Notice:
    """A notice in the user's scope; 404 otherwise, like a missing one (403 for those who read
    nothing of the patrol)."""
    require_reader(user)
    notice = visible_notices(user).filter(pk=notice_id).select_related("case", "org", "department", "issued_by").first()
    if notice is None:
        raise Http404("没有该通知书")
    return notice


def access_rule(user: User, rule_id: int) -> Rule:
    """Any rule, for a reader of the patrol (the catalogue holds no case data)."""
    require_reader(user)
    rule = Rule.objects.filter(pk=rule_id).first()
    if rule is None:
        raise Http404("没有该规则")
    return rule
