"""Role and organisation scope: which cases a person may read and which they may change.

Both answers are Q objects over Case, so a list filter and a single-object check use the same
rule; `prefix` applies the reading rule to another model carrying the case's scope columns under
the same names (deadlines.CaseDue, reached from Case as `due__`). Roles combine by union. An
upper procuratorate reads the cases below it but never edits them; the three administrators (三员)
and investigators see no case data at all.
"""

from django.db.models import Q

from bihuan.orgs.choices import RoleCode
from bihuan.orgs.models import User

NOTHING = Q(pk__in=[])

ORG_WIDE_ROLES = (RoleCode.CHIEF, RoleCode.DEPUTY_CHIEF, RoleCode.COMMITTEE, RoleCode.CASE_MANAGER)
# A committee member reads the procuratorate's cases to discuss them; membership alone edits none.
ORG_EDIT_ROLES = (RoleCode.CHIEF, RoleCode.DEPUTY_CHIEF, RoleCode.CASE_MANAGER)
TEAM_ROLES = (RoleCode.PROSECUTOR, RoleCode.ASSISTANT, RoleCode.CLERK)


def _below(user: User, p: str = "") -> Q:
    """Cases of the procuratorates under the user's own (not including it)."""
    return Q(**{f"{p}org__path__startswith": user.org.path}) & ~Q(**{f"{p}org_id": user.org_id})


def case_view_q(user: User, prefix: str = "") -> Q:
    """Cases the user may read (their scope columns reached through `prefix`)."""
    if not user.is_authenticated or user.org_id is None:
        return NOTHING
    p = prefix
    q = NOTHING
    if user.has_role(*ORG_WIDE_ROLES):
        q |= Q(**{f"{p}org__path__startswith": user.org.path})
    if user.has_role(RoleCode.DEPT_HEAD) and user.department_id:
        q |= Q(**{f"{p}department_id": user.department_id})
        # A department head reads the same line of work in the procuratorates below.
        q |= _below(user, p) & Q(**{f"{p}department__kind": user.department.kind})
    if user.has_role(*TEAM_ROLES):
        q |= Q(**{f"{p}prosecutor_id": user.pk})
        if user.team_id:
            q |= Q(**{f"{p}team_id": user.team_id})
    return q


def case_edit_q(user: User) -> Q:
    """Cases the user may change: never those of another procuratorate."""
    if not user.is_authenticated or user.org_id is None:
        return NOTHING
    q = NOTHING
    if user.has_role(*ORG_EDIT_ROLES):
        q |= Q(org_id=user.org_id)
    if user.has_role(RoleCode.DEPT_HEAD) and user.department_id:
        q |= Q(department_id=user.department_id)
    if user.has_role(RoleCode.PROSECUTOR):
        q |= Q(prosecutor_id=user.pk)
    if user.has_role(RoleCode.ASSISTANT, RoleCode.CLERK) and user.team_id:
        q |= Q(team_id=user.team_id)
    return q


def reads_cases(user: User) -> bool:
    """Whether the user has any role that works with case data."""
    return user.is_authenticated and user.has_role(*ORG_WIDE_ROLES, RoleCode.DEPT_HEAD, *TEAM_ROLES)
