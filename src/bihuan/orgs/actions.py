"""Writes to organisations and people; each is one transaction with one audit event."""

from datetime import UTC, datetime

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from bihuan.events.actions import EventSpec, record, record_many
from bihuan.orgs.models import Agency, Department, Organisation, Role, Team, User


def _org_code(person: User | None) -> str:
    """The unit code an event about a person is filed under ("" for agencies' investigators)."""
    return person.org.code if person is not None and person.org else ""


@transaction.atomic
def do_create_org(
    *, code: str, name: str, short_name: str, level: str, parent: Organisation | None, actor: User | None = None
) -> Organisation:
    org = Organisation.objects.create(code=code, name=name, short_name=short_name, level=level, parent=parent)
    record("org.create", org, actor=actor, org_code=code, summary=f"新建检察院 {name}（{code}）")
    return org


@transaction.atomic
def do_create_department(
    org: Organisation, *, name: str, short_name: str = "", kind: str, actor: User | None = None
) -> Department:
    dept = Department.objects.create(org=org, name=name, short_name=short_name, kind=kind)
    record("department.create", dept, actor=actor, org_code=org.code, summary=f"新建部门 {dept}")
    return dept


@transaction.atomic
def do_create_team(department: Department, *, name: str, fast_track: bool, actor: User | None = None) -> Team:
    team = Team.objects.create(department=department, name=name, is_fast_track=fast_track)
    kind = "快审团队" if fast_track else "办案团队"
    record("team.create", team, actor=actor, org_code=department.org.code, summary=f"新建{kind} {name}")
    return team


@transaction.atomic
def do_create_agency(*, name: str, kind: str, org: Organisation | None, actor: User | None = None) -> Agency:
    agency = Agency.objects.create(name=name, kind=kind, org=org)
    record("agency.create", agency, actor=actor, org_code=org.code if org else "", summary=f"新建侦查机关 {name}")
    return agency


@transaction.atomic
def do_create_person(
    *,
    username: str,
    full_name: str,
    password: str,
    roles: list[str],
    org: Organisation | None = None,
    department: Department | None = None,
    team: Team | None = None,
    agency: Agency | None = None,
    actor: User | None = None,
    validate: bool = True,
) -> User:
    """Create a login. The password must pass the complexity rules unless `validate` is off
    (fixtures only)."""
    user = User(username=username, full_name=full_name, org=org, department=department, team=team, agency=agency)
    if validate:
        validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.is_staff = "sysadmin" in roles
    user.save()
    user.roles.set(Role.objects.filter(code__in=roles))
    record(
        "person.create",
        user,
        actor=actor,
        org_code=org.code if org else "",
        summary=f"新建人员 {full_name}（{username}）",
        changes={"roles": [[], sorted(roles)]},
    )
    return user


@transaction.atomic
def do_set_roles(person: User, roles: list[str], *, actor: User) -> None:
    """Replace a person's roles (安全管理员)."""
    before = sorted(person.roles.values_list("code", flat=True))
    after = sorted(set(roles))
    if before == after:
        return
    person.roles.set(Role.objects.filter(code__in=after))
    person.is_staff = "sysadmin" in after
    person.save(update_fields=["is_staff"])
    person.__dict__.pop("role_codes", None)
    record(
        "person.roles",
        person,
        actor=actor,
        org_code=_org_code(person),
        summary=f"调整 {person} 的角色",
        changes={"roles": [before, after]},
    )


@transaction.atomic
def do_change_password(person: User, password: str, *, actor: User) -> None:
    """Set a new password (already validated) and restart the expiry period."""
    person.set_password(password)
    person.password_changed_at = timezone.now()
    person.save(update_fields=["password", "password_changed_at"])
    record(
        "person.password",
        person,
        actor=actor,
        org_code=_org_code(person),
        summary=f"修改 {person} 的密码",
    )


def _client_address(request) -> str:
    return (request.META.get("REMOTE_ADDR") or "") if request is not None else ""


@transaction.atomic
def do_record_login(person: User, request) -> None:
    """Log a successful login with the client address (等级保护 2.0: every login is audited)."""
    record(
        "auth.login",
        person,
        actor=person,
        org_code=_org_code(person),
        summary=f"{person} 登录系统",
        changes={"ip": [None, _client_address(request)]},
    )


@transaction.atomic
def do_record_logout(person: User, request) -> None:
    record(
        "auth.logout",
        person,
        actor=person,
        org_code=_org_code(person),
        summary=f"{person} 退出系统",
    )


@transaction.atomic
def do_record_login_failure(username: str, request, *, locked_out: bool = False) -> None:
    """Log a refused login. The username typed is kept; the password never is."""
    person = User.objects.filter(username=username).select_related("org").first()
    action, what = ("auth.lockout", "因多次失败被锁定") if locked_out else ("auth.login_failed", "登录失败")
    record_many(
        [
            EventSpec(
                action=action,
                object_type=User._meta.label_lower,
                object_id=person.pk if person else "",
                actor=None,
                org_code=_org_code(person),
                summary=f"账号 {username[:50]} {what}",
                changes={"ip": [None, _client_address(request)]},
            )
        ]
    )


# A reset password counts as expired, so that the person chooses their own at the next login.
RESET_PASSWORD_CHANGED_AT = datetime(2000, 1, 1, tzinfo=UTC)


@transaction.atomic
def do_reset_password(person: User, password: str, *, actor: User) -> None:
    """A 系统管理员 sets a new (already validated) password for a person who lost theirs; the
    person must change it at the next login."""
    person.set_password(password)
    person.password_changed_at = RESET_PASSWORD_CHANGED_AT
    person.save(update_fields=["password", "password_changed_at"])
    record(
        "person.password_reset",
        person,
        actor=actor,
        org_code=_org_code(person),
        summary=f"重置 {person} 的密码（下次登录须修改）",
    )
