"""Shared personas: a city procuratorate with one county below it, each with a criminal
department of two teams, and one person for every role."""

from dataclasses import dataclass

import pytest

from tests import factories as f


@dataclass
class World:
    city: object
    county: object
    other_county: object
    city_dept: object
    county_dept: object
    county_cm_dept: object
    team_a: object
    team_b: object
    people: dict
    case_a: object  # county, team A, handled by pros_a
    case_b: object  # county, team B, handled by pros_b
    case_city: object  # city, city department
    case_other: object  # the other county


@pytest.fixture
def world(db) -> World:
    city = f.make_org("371000")
    county = f.make_org("371002", parent=city)
    other = f.make_org("371082", parent=city)
    city_dept = f.make_department(city)
    county_dept = f.make_department(county)
    county_cm = f.make_department(county, "案件管理部", "case_mgmt")
    other_dept = f.make_department(other)
    team_a = f.make_team(county_dept, "快审团队", fast_track=True)
    team_b = f.make_team(county_dept, "办案二组")
    agency = f.make_agency(county)
    p = {
        "pros_a": f.make_person(["prosecutor"], org=county, department=county_dept, team=team_a),
        "pros_a2": f.make_person(["prosecutor"], org=county, department=county_dept, team=team_a),
        "pros_b": f.make_person(["prosecutor"], org=county, department=county_dept, team=team_b),
        "assistant_a": f.make_person(["assistant"], org=county, department=county_dept, team=team_a),
        "clerk_b": f.make_person(["clerk"], org=county, department=county_dept, team=team_b),
        "head": f.make_person(["dept_head"], org=county, department=county_dept),
        "cm": f.make_person(["case_manager"], org=county, department=county_cm),
        "deputy": f.make_person(["deputy_chief", "committee"], org=county),
        "chief": f.make_person(["chief", "committee"], org=county),
        "city_chief": f.make_person(["chief"], org=city),
        "city_head": f.make_person(["dept_head"], org=city, department=city_dept),
        "other_chief": f.make_person(["chief"], org=other),
        "investigator": f.make_person(["investigator"], agency=agency),
        "sysadmin": f.make_person(["sysadmin"], org=city),
        "secadmin": f.make_person(["secadmin"], org=city),
        "auditadmin": f.make_person(["auditadmin"], org=city),
    }
    case_a = f.make_case(county, department=county_dept, team=team_a, prosecutor=p["pros_a"], name="张某某危险驾驶案")
    f.make_suspect(case_a, "张某某")
    case_b = f.make_case(county, department=county_dept, team=team_b, prosecutor=p["pros_b"], name="李某某盗窃案")
    f.make_suspect(case_b, "李某某")
    case_city = f.make_case(city, department=city_dept, name="王某某故意伤害案")
    case_other = f.make_case(other, department=other_dept, name="赵某某诈骗案")
    return World(
        city, county, other, city_dept, county_dept, county_cm, team_a, team_b, p, case_a, case_b, case_city, case_other
    )
