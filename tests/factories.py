"""Test data built through the actions, as the application builds it."""

from datetime import date
from itertools import count

from bihuan.cases.actions import do_add_suspect, do_create_case
from bihuan.cases.models import Case, Suspect
from bihuan.lib import idnumber
from bihuan.orgs.actions import (
    do_create_agency,
    do_create_department,
    do_create_org,
    do_create_person,
    do_create_team,
)
from bihuan.orgs.models import Department, Organisation, Team, User

PASSWORD = "Test-Passw0rd!"
_n = count(1)


def make_org(code: str, *, parent: Organisation | None = None, level: str | None = None) -> Organisation:
    level = level or ("county" if parent and parent.level == "city" else "city" if parent else "province")
    return do_create_org(
        code=code, name=f"测试{code}人民检察院", short_name=f"测{code[-2:]}", level=level, parent=parent
    )


def make_department(org: Organisation, name: str = "第一检察部", kind: str = "criminal") -> Department:
    return do_create_department(org, name=name, short_name=name[:2], kind=kind)


def make_team(department: Department, name: str | None = None, *, fast_track: bool = False) -> Team:
    return do_create_team(department, name=name or f"团队{next(_n)}", fast_track=fast_track)


def make_person(roles: list[str], *, org=None, department=None, team=None, agency=None, username=None) -> User:
    n = next(_n)
    return do_create_person(
        username=username or f"user{n}",
        full_name=f"人员{n}",
        password=PASSWORD,
        roles=roles,
        org=org,
        department=department,
        team=team,
        agency=agency,
        validate=False,
    )


def make_agency(org: Organisation | None = None, name: str | None = None):
    return do_create_agency(name=name or f"测试公安局{next(_n)}", kind="police", org=org)


def make_case(
    org: Organisation,
    *,
    department=None,
    team=None,
    prosecutor=None,
    case_type: str = "prosecution_review",
    received: date = date(2024, 3, 5),
    name: str | None = None,
    **fields,
) -> Case:
    return do_create_case(
        org=org,
        case_type=case_type,
        name=name or f"测试案件{next(_n)}",
        received_date=received,
        department=department,
        team=team,
        prosecutor=prosecutor,
        **fields,
    )


def make_suspect(case: Case, name: str = "张某某", *, birth: date = date(1990, 5, 17), **fields) -> Suspect:
    fields.setdefault("id_number", idnumber.make("371002", birth, next(_n), fields.get("gender", "M")))
    fields.setdefault("gender", "M")
    return do_add_suspect(case, actor=None, name=name, birth_date=birth, **fields)
