"""The demo city procuratorate, its three county procuratorates and their people.

`bihuan demo` creates this directory; `bihuan gencases` assigns generated cases to its
departments, teams and prosecutors, so that generated files load into a demo database.
All names are fictional.
"""

from dataclasses import dataclass, field

DEMO_PASSWORD = "Bihuan@2026demo"  # noqa: S105 - printed by `bihuan demo` for the demo logins


@dataclass(frozen=True)
class DemoPerson:
    username: str
    full_name: str
    roles: tuple[str, ...]
    department: str | None = None
    team: str | None = None
    agency: str | None = None


@dataclass(frozen=True)
class DemoTeam:
    name: str
    fast_track: bool = False


@dataclass(frozen=True)
class DemoDepartment:
    name: str
    short_name: str
    kind: str
    teams: tuple[DemoTeam, ...] = ()


@dataclass(frozen=True)
class DemoOrg:
    code: str
    name: str
    short_name: str
    level: str
    parent: str | None
    departments: tuple[DemoDepartment, ...] = ()
    people: tuple[DemoPerson, ...] = ()
    agencies: tuple[str, ...] = field(default=())


CRIMINAL = "第一检察部"
CASE_MGMT = "案件管理部"


def _county(code: str, name: str, short: str, prefix: str, surnames: str, fast_track: bool, agencies: tuple) -> DemoOrg:
    teams = (DemoTeam(f"{short}院快审团队", fast_track=True),) if fast_track else ()
    teams += (DemoTeam(f"{short}院办案一组"), DemoTeam(f"{short}院办案二组"))
    s = surnames
    fast = teams[0].name if fast_track else teams[1].name
    people = (
        DemoPerson(f"{prefix}_chief", f"{s[0]}建国", ("chief", "committee")),
        DemoPerson(f"{prefix}_deputy", f"{s[1]}立新", ("deputy_chief", "committee")),
        DemoPerson(f"{prefix}_cm", f"{s[2]}晓燕", ("case_manager",), CASE_MGMT),
        DemoPerson(f"{prefix}_head", f"{s[3]}海涛", ("dept_head", "committee"), CRIMINAL),
        DemoPerson(f"{prefix}_pros1", f"{s[4]}静", ("prosecutor",), CRIMINAL, fast),
        DemoPerson(f"{prefix}_pros2", f"{s[5]}磊", ("prosecutor",), CRIMINAL, fast),
        DemoPerson(f"{prefix}_pros3", f"{s[6]}婷", ("prosecutor",), CRIMINAL, teams[-1].name),
        DemoPerson(f"{prefix}_pros4", f"{s[7]}强", ("prosecutor",), CRIMINAL, teams[-2].name),
        DemoPerson(f"{prefix}_asst", f"{s[8]}雪", ("assistant",), CRIMINAL, teams[-1].name),
    )
    return DemoOrg(
        code,
        name,
        short,
        "county",
        "371000",
        (
            DemoDepartment(CRIMINAL, "一部", "criminal", teams),
            DemoDepartment(CASE_MGMT, "案管", "case_mgmt"),
        ),
        people,
        agencies,
    )


DEMO_ORGS: tuple[DemoOrg, ...] = (
    DemoOrg("370000", "山东省人民检察院", "鲁", "province", None),
    DemoOrg(
        "371000",
        "威海市人民检察院",
        "威",
        "city",
        "370000",
        (
            DemoDepartment(CRIMINAL, "一部", "criminal", (DemoTeam("市院办案一组"), DemoTeam("市院办案二组"))),
            DemoDepartment(CASE_MGMT, "案管", "case_mgmt"),
        ),
        (
            DemoPerson("wh_chief", "王振华", ("chief", "committee")),
            DemoPerson("wh_deputy", "刘卫东", ("deputy_chief", "committee")),
            DemoPerson("wh_cm", "陈丽", ("case_manager",), CASE_MGMT),
            DemoPerson("wh_head", "杨光明", ("dept_head", "committee"), CRIMINAL),
            DemoPerson("wh_pros1", "赵敏", ("prosecutor",), CRIMINAL, "市院办案一组"),
            DemoPerson("wh_pros2", "孙浩", ("prosecutor",), CRIMINAL, "市院办案二组"),
            DemoPerson("wh_clerk", "周琳", ("clerk",), CRIMINAL, "市院办案一组"),
            DemoPerson("wh_sysadmin", "吴刚", ("sysadmin",)),
            DemoPerson("wh_secadmin", "郑芳", ("secadmin",)),
            DemoPerson("wh_auditadmin", "冯雷", ("auditadmin",)),
        ),
        ("威海市公安局", "威海市监察委员会"),
    ),
    _county(
        "371002",
        "威海市环翠区人民检察院",
        "环",
        "hc",
        "李张王刘陈杨黄赵吴",
        True,
        ("威海市公安局环翠分局", "威海市公安局高区分局"),
    ),
    _county("371082", "荣成市人民检察院", "荣", "rc", "周徐孙马朱胡郭何高", True, ("荣成市公安局",)),
    _county("371003", "威海市文登区人民检察院", "文", "wd", "林罗郑梁谢宋唐许韩", False, ("威海市公安局文登分局",)),
)

DEMO_INVESTIGATORS: tuple[DemoPerson, ...] = (
    DemoPerson("police_hc", "曹警官", ("investigator",), agency="威海市公安局环翠分局"),
    DemoPerson("police_rc", "彭警官", ("investigator",), agency="荣成市公安局"),
)
