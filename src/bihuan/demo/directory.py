"""Creates the demo directory of `bihuan.orgs.demo` through the organisation actions.

Idempotent: organisations, departments, teams, agencies and people that already exist (by unit
code, name or username) are left as they are.
"""

import unicodedata
from dataclasses import dataclass

from django.db import transaction

from bihuan.orgs.actions import (
    do_create_agency,
    do_create_department,
    do_create_org,
    do_create_person,
    do_create_team,
)
from bihuan.orgs.choices import AgencyKind, RoleCode
from bihuan.orgs.demo import DEMO_INVESTIGATORS, DEMO_ORGS, DEMO_PASSWORD, DemoOrg, DemoPerson
from bihuan.orgs.models import Agency, Department, Organisation, Team, User


@dataclass(frozen=True)
class Login:
    """One line of the login table that `bihuan demo` prints."""

    role: str
    username: str
    password: str
    full_name: str
    unit: str


def _agency_kind(name: str) -> str:
    return AgencyKind.SUPERVISION if "监察委员会" in name else AgencyKind.POLICE


def _people() -> list[tuple[DemoOrg | None, DemoPerson]]:
    return [(org, person) for org in DEMO_ORGS for person in org.people] + [
        (None, person) for person in DEMO_INVESTIGATORS
    ]


@transaction.atomic
def build_directory() -> list[User]:
    """Create what is missing of the demo directory; return the people created."""
    orgs = {o.code: o for o in Organisation.objects.filter(code__in=[spec.code for spec in DEMO_ORGS])}
    for spec in DEMO_ORGS:  # parents come before their children
        if spec.code not in orgs:
            orgs[spec.code] = do_create_org(
                code=spec.code,
                name=spec.name,
                short_name=spec.short_name,
                level=spec.level,
                parent=orgs[spec.parent] if spec.parent else None,
            )

    departments = {
        (d.org.code, d.name): d for d in Department.objects.filter(org__in=orgs.values()).select_related("org")
    }
    teams = {
        (t.department.org.code, t.name): t
        for t in Team.objects.filter(department__org__in=orgs.values()).select_related("department__org")
    }
    for spec in DEMO_ORGS:
        for dept_spec in spec.departments:
            key = (spec.code, dept_spec.name)
            if key not in departments:
                departments[key] = do_create_department(
                    orgs[spec.code], name=dept_spec.name, short_name=dept_spec.short_name, kind=dept_spec.kind
                )
            for team_spec in dept_spec.teams:
                if (spec.code, team_spec.name) not in teams:
                    teams[spec.code, team_spec.name] = do_create_team(
                        departments[key], name=team_spec.name, fast_track=team_spec.fast_track
                    )

    agency_names = [(spec.code, name) for spec in DEMO_ORGS for name in spec.agencies]
    agencies = {a.name: a for a in Agency.objects.filter(name__in=[name for _, name in agency_names])}
    for code, name in agency_names:
        if name not in agencies:
            agencies[name] = do_create_agency(name=name, kind=_agency_kind(name), org=orgs[code])

    people = _people()
    existing = set(User.objects.filter(username__in=[p.username for _, p in people]).values_list("username", flat=True))
    created = []
    for org_spec, person in people:
        if person.username in existing:
            continue
        code = org_spec.code if org_spec else None
        created.append(
            do_create_person(
                username=person.username,
                full_name=person.full_name,
                password=DEMO_PASSWORD,
                roles=list(person.roles),
                org=orgs[code] if code else None,
                department=departments[code, person.department] if person.department else None,
                team=teams[code, person.team] if person.team else None,
                agency=agencies[person.agency] if person.agency else None,
            )
        )
    return created


def _unit(org_spec: DemoOrg | None, person: DemoPerson) -> str:
    if org_spec is None:
        return person.agency or ""
    return " ".join(part for part in (org_spec.name, person.department, person.team) if part)


def demo_logins() -> list[Login]:
    """One login per role, each a different person where the directory allows it."""
    people = _people()
    used: set[str] = set()
    logins = []
    for role in RoleCode:
        holders = [(org, p) for org, p in people if role.value in p.roles]
        org_spec, person = next(((o, p) for o, p in holders if p.username not in used), holders[0])
        used.add(person.username)
        logins.append(Login(role.label, person.username, DEMO_PASSWORD, person.full_name, _unit(org_spec, person)))
    return logins


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def format_table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> str:
    """A plain-text table whose columns line up with Chinese (double-width) characters."""
    widths = [max(_width(row[i]) for row in [header, *rows]) for i in range(len(header))]

    def line(row: tuple[str, ...]) -> str:
        return "  ".join(cell + " " * (widths[i] - _width(cell)) for i, cell in enumerate(row)).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(header), rule, *(line(row) for row in rows)])
