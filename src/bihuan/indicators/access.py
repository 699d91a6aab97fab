"""Whose figures a person may see: the scopes of the indicators.

A scope is a procuratorate (alone, or with those below it), a department, a team or a prosecutor.
Its figures are computed from the cases of the scope, so a person may see a scope only if every
case in it is one they may read (bihuan/orgs/scope.py):

- chief, deputy chief, committee member, case manager: their procuratorate and those below, with
  any department, team or prosecutor there;
- department head: their department, and the departments of the same line of work below, with
  their teams and prosecutors;
- prosecutor, assistant, clerk: their own team; a prosecutor also their own cases;
- investigators and the three administrators (三员): nothing.

A scope is written as a token in URLs and forms: ``org:CODE`` (the procuratorate alone),
``tree:CODE`` (with those below), ``dept:ID``, ``team:ID``, ``person:ID``. A scope a person may
not see answers 404, exactly like one that does not exist.
"""

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from bihuan.orgs.choices import RoleCode
from bihuan.orgs.models import Department, Organisation, Team, User
from bihuan.orgs.scope import ORG_WIDE_ROLES, TEAM_ROLES, reads_cases

KINDS = ("org", "tree", "dept", "team", "person")


@dataclass(frozen=True)
class Scope:
    """The cases an indicator is computed over. Exactly one of the objects is set, by `kind`."""

    kind: str  # one of KINDS
    org: Organisation
    department: Department | None = None
    team: Team | None = None
    person: User | None = None

    @property
    def token(self) -> str:
        if self.kind in ("org", "tree"):
            return f"{self.kind}:{self.org.code}"
        obj = {"dept": self.department, "team": self.team, "person": self.person}[self.kind]
        return f"{self.kind}:{obj.pk}"

    @property
    def include_lower(self) -> bool:
        return self.kind == "tree"

    @property
    def label(self) -> str:
        if self.kind == "org":
            return f"{self.org.name}（本院）"
        if self.kind == "tree":
            return f"{self.org.name}（含下级院）"
        if self.kind == "dept":
            return f"{self.org.short_name}·{self.department.name}"
        if self.kind == "team":
            return f"{self.org.short_name}·{self.team.name}"
        return f"{self.org.short_name}·{self.person}（承办检察官）"

    def case_q(self, prefix: str = "") -> Q:
        """The scope's cases, as a filter on Case (prefix "") or on a model pointing at a case
        ("case__"). Every branch leads with an indexed column of Case."""
        if self.kind == "tree":
            return Q(**{f"{prefix}org__path__startswith": self.org.path})
        q = Q(**{f"{prefix}org_id": self.org.pk})
        if self.kind == "dept":
            q &= Q(**{f"{prefix}department_id": self.department.pk})
        elif self.kind == "team":
            q &= Q(**{f"{prefix}team_id": self.team.pk, f"{prefix}department_id": self.team.department_id})
        elif self.kind == "person":
            q &= Q(**{f"{prefix}prosecutor_id": self.person.pk})
            if self.person.department_id:
                q &= Q(**{f"{prefix}department_id": self.person.department_id})
        return q

    def fact_q(self) -> Q:
        """The scope on the fact table (`models.CaseFact`): as `case_q()`, with a tree's
        procuratorates first resolved to their ids (one small query), so that the planner reads
        each one's rows of the period from the (org, day) index rather than scanning the table."""
        if self.kind == "tree":
            orgs = Organisation.objects.filter(path__startswith=self.org.path)
            return Q(org_id__in=list(orgs.values_list("pk", flat=True)))
        return self.case_q()


def org_scope(org: Organisation, *, include_lower: bool = False) -> Scope:
    """A procuratorate's scope, for callers that have already checked the viewer (the console)."""
    return Scope("tree" if include_lower else "org", org)


def reads_indicators(user: User) -> bool:
    """Whether the person works with case data at all (the indicator pages answer 403 otherwise)."""
    return reads_cases(user) and user.org_id is not None


def _org_wide(user: User) -> bool:
    return user.has_role(*ORG_WIDE_ROLES)


def _subtree(user: User) -> Q:
    return Q(path__startswith=user.org.path)


def readable_departments(user: User) -> QuerySet[Department]:
    """Departments whose figures the person may see."""
    if not reads_indicators(user):
        return Department.objects.none()
    q = Q(pk__in=[])
    if _org_wide(user):
        q |= Q(org__path__startswith=user.org.path)
    if user.has_role(RoleCode.DEPT_HEAD) and user.department_id:
        q |= Q(pk=user.department_id)
        q |= Q(org__path__startswith=user.org.path, kind=user.department.kind) & ~Q(org_id=user.org_id)
    return Department.objects.filter(q)


def readable_orgs(user: User) -> QuerySet[Organisation]:
    """Procuratorates whose whole figures the person may see."""
    if not (reads_indicators(user) and _org_wide(user)):
        return Organisation.objects.none()
    return Organisation.objects.filter(_subtree(user))


def readable_teams(user: User) -> QuerySet[Team]:
    q = Q(department__in=readable_departments(user))
    if reads_indicators(user) and user.has_role(*TEAM_ROLES) and user.team_id:
        q |= Q(pk=user.team_id)
    return Team.objects.filter(q)


def readable_people(user: User) -> QuerySet[User]:
    """Prosecutors whose own figures the person may see."""
    q = Q(department__in=readable_departments(user))
    if reads_indicators(user) and user.has_role(RoleCode.PROSECUTOR):
        q |= Q(pk=user.pk)
    return User.objects.filter(q, roles__code=RoleCode.PROSECUTOR, org__isnull=False).distinct()


def _parse(token: str) -> tuple[str, str] | None:
    kind, _, ident = (token or "").partition(":")
    if kind not in KINDS or not ident:
        return None
    if kind not in ("org", "tree") and not ident.isdigit():
        return None
    return kind, ident


def access_scope(user: User, token: str) -> Scope:
    """The scope a token names, if the person may see it; 404 otherwise (like a missing one)."""
    parsed = _parse(token)
    if parsed is None:
        raise Http404("统计范围不存在")
    kind, ident = parsed
    scope = None
    if kind in ("org", "tree"):
        org = readable_orgs(user).filter(code=ident).first()
        scope = Scope(kind, org) if org else None
    elif kind == "dept":
        department = readable_departments(user).select_related("org").filter(pk=int(ident)).first()
        scope = Scope(kind, department.org, department=department) if department else None
    elif kind == "team":
        team = readable_teams(user).select_related("department__org").filter(pk=int(ident)).first()
        scope = Scope(kind, team.department.org, team=team) if team else None
    else:
        person = readable_people(user).select_related("org").filter(pk=int(ident)).first()
        scope = Scope(kind, person.org, person=person) if person else None
    if scope is None:
        raise Http404("统计范围不存在")
    return scope


def default_scope(user: User) -> Scope | None:
    """The person's own unit: their procuratorate, department, own cases (prosecutor) or team."""
    if not reads_indicators(user):
        return None
    if _org_wide(user):
        return Scope("org", user.org)
    if user.has_role(RoleCode.DEPT_HEAD) and user.department_id:
        return Scope("dept", user.org, department=user.department)
    if user.has_role(RoleCode.PROSECUTOR):
        return Scope("person", user.org, person=user)
    if user.team_id:
        return Scope("team", user.org, team=user.team)
    return None


def scope_choices(user: User, current: Scope | None) -> list[tuple[str, str]]:
    """The scopes a picker offers: the procuratorates the person may see (alone and with those
    below), and the departments, teams and prosecutors of the current scope's procuratorate."""
    org = current.org if current else user.org
    choices: list[tuple[str, str]] = []
    orgs = readable_orgs(user)
    parents = set(Organisation.objects.filter(parent__in=orgs).values_list("parent_id", flat=True))
    for each in orgs:
        choices.append((f"org:{each.code}", f"{each.name}（本院）"))
        if each.pk in parents:
            choices.append((f"tree:{each.code}", f"{each.name}（含下级院）"))
    departments = readable_departments(user).filter(org=org).select_related("org")
    choices += [(f"dept:{d.pk}", f"{d.org.short_name}·{d.name}") for d in departments]
    teams = readable_teams(user).filter(department__org=org).select_related("department__org")
    choices += [(f"team:{t.pk}", f"{t.department.org.short_name}·{t.name}") for t in teams]
    people = readable_people(user).filter(org=org).select_related("org").order_by("full_name")
    choices += [(f"person:{p.pk}", f"{p.org.short_name}·{p}（承办检察官）") for p in people]
    if current is not None and current.token not in {token for token, _ in choices}:
        choices.insert(0, (current.token, current.label))
    return choices
