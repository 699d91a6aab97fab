"""The indicator engine on a hand-built county data set, every expected figure worked out by hand
in the comments (domain-rules §7.3), never by calling the code under test.

The data set (the county of the `world`, first quarter of 2025, Q1 = 2025-01-01 … 2025-03-31):

matter M1  A1 审查逮捕, team A (快审), closed 2024-12-27: 孙一 批准逮捕, 孙二 不批准逮捕;
              不批捕复议 2025-01-02 (an extra link)
           P1 审查起诉, team A, 简案, received 2025-01-05, closed 2025-02-14 (40 days):
              退补 2025-01-20 → 重新移送 2025-02-04 (15 days out), 延长 from 2025-02-06, 上诉 2025-04-01
              孙三 起诉, 认罪认罚, 确定刑, arrested 2024-12-27 (open); judged 2025-03-20 有罪, adopted
              孙四 相对不起诉, 幅度刑, arrested 2024-12-27 → 2025-02-01 (released before closing)
matter M2  A2 审查逮捕, team B, closed 2025-01-16: 周一 批准, 周二 批准, 周三 不批准
matter M3  P3 审查起诉, team B, 繁案, received 2024-11-01, closed 2025-03-10 (129 days):
              退补 2024-11-20 → 2024-12-20 (30), 退补 2025-01-05 → 2025-02-04 (30), 延长 from 2024-12-25,
              撤回起诉 2025-03-25
              吴一 撤回起诉 (was 起诉), 认罪认罚, 确定刑
              吴二 起诉, 认罪认罚, 确定刑; judged 2025-03-28 无罪, not adopted
              吴三 存疑不起诉, arrested 2024-10-25 (open)
matter M4  P4 审查起诉, team A, 简案, received 2025-03-01, closed 2025-03-11 (10 days);
              不计入办案期限 2025-03-05 → 03-06 (not an extra link, not days out)
              郑一 起诉, 认罪认罚, 确定刑, arrested 2025-02-20 → 2025-03-11 (the closing day); judged 2025-04-10
matter M5  P5 审查起诉, team B, received 2025-02-01, still open: 王一 (nothing counts)
matter M6  P6 审查起诉, team B, received 2024-11-20, closed 2024-12-15: 冯一 起诉, 幅度刑;
              judged 2025-02-10 有罪, adopted
city       C1 审查起诉 of the city, closed 2025-01-20: 陈一 法定不起诉
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from bihuan.cases.models import Case, CoerciveMeasure, ProceduralLink
from bihuan.indicators.access import Scope
from bihuan.indicators.definitions import BY_CODE, EMPTY, INDICATORS
from bihuan.indicators.engine import compute, compute_by, drill_cases, drill_suspects, table
from bihuan.indicators.facts import refresh_facts
from bihuan.indicators.models import DEFAULT_EXTRA_LINKS, ExtraLink
from bihuan.indicators.periods import Period, month, quarter, year, year_to_date
from tests import factories as f

Q1 = quarter(2025, 1)
ARREST, PROSECUTION = "arrest_review", "prosecution_review"


@dataclass
class Data:
    world: object
    cases: dict
    suspects: dict


def _case(world, key, *, team, prosecutor, received, closed=None, case_type=PROSECUTION, matter=None, **fields):
    stage = "concluded" if closed else "reviewing"
    return f.make_case(
        world.county if key != "C1" else world.city,
        department=world.county_dept if key != "C1" else world.city_dept,
        team=team,
        prosecutor=prosecutor,
        case_type=case_type,
        received=received,
        name=f"{key}案",
        stage=stage,
        closed_date=closed,
        unified_case_no=matter.unified_case_no if matter else None,
        **fields,
    )


def _link(case, kind, start, end=None, seq=1):
    ProceduralLink.objects.create(case=case, kind=kind, start_date=start, end_date=end, seq=seq)


def _arrest(suspect, start, end=None):
    CoerciveMeasure.objects.create(suspect=suspect, kind="arrest", start_date=start, end_date=end)


@pytest.fixture
def data(world) -> Data:
    a, b = world.team_a, world.team_b
    pa, pb = world.people["pros_a"], world.people["pros_b"]
    c, s = {}, {}
    c["A1"] = _case(
        world, "A1", team=a, prosecutor=pa, received=date(2024, 12, 20), closed=date(2024, 12, 27), case_type=ARREST
    )
    s["孙一"] = f.make_suspect(c["A1"], "孙一", outcome="arrest_approved")
    s["孙二"] = f.make_suspect(c["A1"], "孙二", outcome="arrest_refused")
    _link(c["A1"], "no_arrest_reconsideration", date(2025, 1, 2))
    c["P1"] = _case(
        world,
        "P1",
        team=a,
        prosecutor=pa,
        received=date(2025, 1, 5),
        closed=date(2025, 2, 14),
        matter=c["A1"],
        track="simple",
    )
    _link(c["P1"], "supplementary", date(2025, 1, 20), date(2025, 2, 4))
    _link(c["P1"], "extension", date(2025, 2, 6), date(2025, 2, 20))
    _link(c["P1"], "appeal", date(2025, 4, 1))
    s["孙三"] = f.make_suspect(
        c["P1"],
        "孙三",
        outcome="prosecute",
        plea=True,
        rec_kind="fixed",
        verdict="guilty",
        judgment_date=date(2025, 3, 20),
        rec_adopted=True,
    )
    _arrest(s["孙三"], date(2024, 12, 27))
    s["孙四"] = f.make_suspect(c["P1"], "孙四", outcome="np_discretionary", rec_kind="range")
    _arrest(s["孙四"], date(2024, 12, 27), date(2025, 2, 1))

    c["A2"] = _case(
        world, "A2", team=b, prosecutor=pb, received=date(2025, 1, 10), closed=date(2025, 1, 16), case_type=ARREST
    )
    for name, outcome in (("周一", "arrest_approved"), ("周二", "arrest_approved"), ("周三", "arrest_refused")):
        s[name] = f.make_suspect(c["A2"], name, outcome=outcome)

    c["P3"] = _case(
        world, "P3", team=b, prosecutor=pb, received=date(2024, 11, 1), closed=date(2025, 3, 10), track="complex"
    )
    _link(c["P3"], "supplementary", date(2024, 11, 20), date(2024, 12, 20), seq=1)
    _link(c["P3"], "supplementary", date(2025, 1, 5), date(2025, 2, 4), seq=2)
    _link(c["P3"], "extension", date(2024, 12, 25), date(2025, 1, 8))
    _link(c["P3"], "withdrawal", date(2025, 3, 25))
    s["吴一"] = f.make_suspect(c["P3"], "吴一", outcome="withdrawn", plea=True, rec_kind="fixed")
    s["吴二"] = f.make_suspect(
        c["P3"],
        "吴二",
        outcome="prosecute",
        plea=True,
        rec_kind="fixed",
        verdict="not_guilty",
        judgment_date=date(2025, 3, 28),
        rec_adopted=False,
    )
    s["吴三"] = f.make_suspect(c["P3"], "吴三", outcome="np_evidence")
    _arrest(s["吴三"], date(2024, 10, 25))

    c["P4"] = _case(
        world, "P4", team=a, prosecutor=pa, received=date(2025, 3, 1), closed=date(2025, 3, 11), track="simple"
    )
    _link(c["P4"], "suspension", date(2025, 3, 5), date(2025, 3, 6))
    s["郑一"] = f.make_suspect(
        c["P4"],
        "郑一",
        outcome="prosecute",
        plea=True,
        rec_kind="fixed",
        verdict="guilty",
        judgment_date=date(2025, 4, 10),
    )
    _arrest(s["郑一"], date(2025, 2, 20), date(2025, 3, 11))

    c["P5"] = _case(world, "P5", team=b, prosecutor=pb, received=date(2025, 2, 1))
    s["王一"] = f.make_suspect(c["P5"], "王一")

    c["P6"] = _case(world, "P6", team=b, prosecutor=pb, received=date(2024, 11, 20), closed=date(2024, 12, 15))
    s["冯一"] = f.make_suspect(
        c["P6"],
        "冯一",
        outcome="prosecute",
        rec_kind="range",
        verdict="guilty",
        judgment_date=date(2025, 2, 10),
        rec_adopted=True,
    )

    c["C1"] = _case(world, "C1", team=None, prosecutor=None, received=date(2025, 1, 2), closed=date(2025, 1, 20))
    s["陈一"] = f.make_suspect(c["C1"], "陈一", outcome="np_statutory")
    refresh_facts()  # the links and measures above were written past the actions
    return Data(world, c, s)


def figures(scope: Scope, period: Period = Q1) -> dict[str, tuple[int, int, str]]:
    (result,) = compute(scope, [period])
    return {code: (fig.numerator, fig.denominator, fig.display) for code, fig in result.items()}


# Q1 2025 for the county alone, by hand from the data set above.
COUNTY_Q1 = {
    # 案: M1 (last stage P1, 2025-02-14), M2 (A2), M3 (P3), M4 (P4) = 4; M5 open, M6 closed in 2024.
    # extra links: M1 不批捕复议 + 退补 + 延长 + 上诉 = 4, M3 退补 ×2 + 延长 + 撤回起诉 = 4 → 件 = 4 + 8 = 12.
    "case_ratio": (12, 4, "1 : 3.00"),
    # persons of P1, P3, P4: 起诉 孙三 吴一(撤回) 吴二 郑一 = 4; 不起诉 孙四 吴三 = 2.
    "non_prosecution_rate": (2, 6, "33.3%"),
    # A2 only (A1 closed in 2024): 不批准 周三 of 3.
    "no_arrest_rate": (1, 3, "33.3%"),
    # 认罪认罚: 孙三 吴一 吴二 郑一 of 6 persons.
    "plea_rate": (4, 6, "66.7%"),
    # recommendations: 孙三 吴一 吴二 郑一 确定刑, 孙四 幅度刑.
    "fixed_recommendation_share": (4, 5, "80.0%"),
    # judged in Q1: 孙三 (adopted), 吴二 (not adopted), 冯一 (adopted; case closed in 2024); 郑一 judged in April.
    "recommendation_adoption_rate": (2, 3, "66.7%"),
    # arrested on the closing day: 孙三 (open), 吴三 (open), 郑一 (ends on the closing day); 孙四 released.
    "pretrial_detention_rate": (3, 6, "50.0%"),
    # 退补: P1 once, P3 twice (one of them in 2024: counted with the case, concluded in Q1) of P1, P3, P4.
    "supplementary_investigation_rate": (3, 3, "100.0%"),
    "extension_rate": (2, 3, "66.7%"),
    # P1 40 − 15 = 25, P3 129 − 60 = 69, P4 10 (the suspension is not subtracted): 104 / 3 = 34.67.
    "review_days": (104, 3, "34.7 天"),
    "review_days_simple": (35, 2, "17.5 天"),
    "review_days_complex": (69, 1, "69.0 天"),
    # closed in Q1: A2, P1, P3, P4; team A (快审) handled P1 and P4.
    "fast_track_share": (2, 4, "50.0%"),
    # 吴一 of the four prosecuted.
    "withdrawal_rate": (1, 4, "25.0%"),
    # judged in Q1: 孙三, 吴二 (无罪), 冯一.
    "acquittal_rate": (1, 3, "33.3%"),
}


def test_every_indicator_of_the_county_by_hand(data):
    assert figures(Scope("org", data.world.county)) == COUNTY_Q1
    assert set(COUNTY_Q1) == {indicator.code for indicator in INDICATORS}


def test_registry_follows_domain_rules_7_3():
    names = {indicator.name for indicator in INDICATORS}
    assert {
        "案-件比",
        "不起诉率",
        "不捕率",
        "认罪认罚从宽制度适用率",
        "确定刑量刑建议占比",
        "量刑建议采纳率",
        "诉前羁押率",
        "退回补充侦查率",
        "延长审查起诉期限率",
        "审查起诉平均办案天数",
        "审查起诉平均办案天数（简案）",
        "审查起诉平均办案天数（繁案）",
        "快审团队办案占比",
        "撤回起诉率",
        "无罪判决率",
    } == names
    assert all(code.isascii() for code in BY_CODE)
    assert all(i.formula and i.date_basis and i.source for i in INDICATORS)


def test_extra_links_are_seeded_and_configurable(data):
    assert set(ExtraLink.objects.values_list("kind", flat=True)) == {str(k) for k in DEFAULT_EXTRA_LINKS}
    assert len(DEFAULT_EXTRA_LINKS) == 11
    county = Scope("org", data.world.county)
    # Without 上诉 (M1's appeal) the matters have 7 extra links: 件 = 11, 11 / 4 = 2.75.
    ExtraLink.objects.filter(kind="appeal").delete()
    assert figures(county)["case_ratio"] == (11, 4, "1 : 2.75")
    # Nor 延长 (one on M1, one on M3): 件 = 9, 9 / 4 = 2.25.
    ExtraLink.objects.filter(kind="extension").delete()
    assert figures(county)["case_ratio"] == (9, 4, "1 : 2.25")
    # An empty list: 件 = 案.
    ExtraLink.objects.all().delete()
    assert figures(county)["case_ratio"] == (4, 4, "1 : 1.00")


def test_scopes_team_person_and_the_tree(data):
    world = data.world
    team_a = figures(Scope("team", world.county, team=world.team_a))
    # team A in Q1: P1 and P4 closed, both by the 快审 team; persons 孙三 孙四 郑一.
    assert team_a["fast_track_share"] == (2, 2, "100.0%")
    assert team_a["plea_rate"] == (2, 3, "66.7%")
    assert team_a["review_days_complex"] == (0, 0, EMPTY)  # no 繁案: zero denominator
    # M1 and M4 end with team A: 案 2, extra links 4 + 0.
    assert team_a["case_ratio"] == (6, 2, "1 : 3.00")
    pros_b = figures(Scope("person", world.county, person=world.people["pros_b"]))
    # pros_b: P3 (吴一 吴二 起诉, 吴三 不起诉) and A2.
    assert pros_b["non_prosecution_rate"] == (1, 3, "33.3%")
    assert pros_b["no_arrest_rate"] == (1, 3, "33.3%")
    # department = the whole county here (all its cases are in the criminal department).
    assert figures(Scope("dept", world.county, department=world.county_dept)) == COUNTY_Q1
    # the city alone: C1 (陈一 法定不起诉); with the counties below: 3 of 7.
    assert figures(Scope("org", world.city))["non_prosecution_rate"] == (1, 1, "100.0%")
    assert figures(Scope("tree", world.city))["non_prosecution_rate"] == (3, 7, "42.9%")
    assert figures(Scope("org", world.other_county))["non_prosecution_rate"] == (0, 0, EMPTY)


def test_empty_period_gives_no_values(data):
    result = figures(Scope("org", data.world.county), year(2023))
    assert all(value == (0, 0, EMPTY) for value in result.values())


def test_year_on_year_and_previous_period(data, django_assert_max_num_queries):
    county = Scope("org", data.world.county)
    # All indicators for three periods: one query over the fact table and one for the link list.
    with django_assert_max_num_queries(2):
        rows = {row.indicator.code: row for row in table(county, Q1)}
    assert rows["plea_rate"].year_earlier.period == quarter(2024, 1)
    assert rows["plea_rate"].previous.period == quarter(2024, 4)
    # Q1 2024: nothing at all.
    assert rows["no_arrest_rate"].year_earlier.display == EMPTY
    assert rows["no_arrest_rate"].year_on_year is None
    # Q4 2024: A1 closed (孙一 批准, 孙二 不批准) → 50.0%; Q1 33.3% → −16.7 points.
    assert rows["no_arrest_rate"].previous.display == "50.0%"
    assert rows["no_arrest_rate"].period_on_period == Decimal("-16.7")
    # Q4 2024: P6 (冯一 起诉) and A1 closed; M6 is the only matter ending then.
    assert rows["non_prosecution_rate"].previous.display == "0.0%"
    assert rows["case_ratio"].previous.display == "1 : 1.00"
    assert rows["fast_track_share"].previous.display == "50.0%"  # A1 by team A, P6 by team B
    assert rows["case_ratio"].current.display == "1 : 3.00"


def test_a_case_spanning_periods_counts_once_in_its_closing_period(data):
    county = Scope("org", data.world.county)
    # P3 was received in November 2024 and returned twice; it counts in March 2025 only.
    assert figures(county, month(2025, 3))["review_days_complex"] == (69, 1, "69.0 天")
    assert figures(county, month(2024, 11))["review_days_complex"] == (0, 0, EMPTY)
    assert figures(county, month(2024, 12))["supplementary_investigation_rate"] == (0, 1, "0.0%")  # P6


def test_drill_down_lists_exactly_the_cases_and_persons(data):
    county, c, s = Scope("org", data.world.county), data.cases, data.suspects

    def cases(code, part):
        return set(drill_cases(code, part, county, Q1))

    def persons(code, part):
        return set(drill_suspects(code, part, county, Q1))

    assert persons("non_prosecution_rate", "numerator") == {s["孙四"], s["吴三"]}
    assert cases("non_prosecution_rate", "numerator") == {c["P1"], c["P3"]}
    assert persons("non_prosecution_rate", "denominator") == {
        s[n] for n in ("孙三", "孙四", "吴一", "吴二", "吴三", "郑一")
    }
    assert persons("pretrial_detention_rate", "numerator") == {s["孙三"], s["吴三"], s["郑一"]}
    assert persons("recommendation_adoption_rate", "numerator") == {s["孙三"], s["冯一"]}
    assert cases("supplementary_investigation_rate", "numerator") == {c["P1"], c["P3"]}
    assert cases("case_ratio", "denominator") == {c["P1"], c["A2"], c["P3"], c["P4"]}
    assert cases("fast_track_share", "numerator") == {c["P1"], c["P4"]}
    assert drill_suspects("review_days", "numerator", county, Q1) is None
    assert cases("review_days", "numerator") == {c["P1"], c["P3"], c["P4"]}


def test_periods():
    assert month(2024, 2) == Period(date(2024, 2, 1), date(2024, 2, 29))
    assert month(2024, 2).year_earlier() == month(2023, 2)
    assert month(2025, 2).year_earlier() == month(2024, 2)  # to 29 February
    assert month(2025, 1).previous() == month(2024, 12)
    assert quarter(2025, 1).previous() == quarter(2024, 4)
    assert year(2025).previous() == year(2024)
    ten_days = Period(date(2025, 3, 5), date(2025, 3, 14))
    assert ten_days.previous() == Period(date(2025, 2, 23), date(2025, 3, 4))
    assert year_to_date(date(2025, 5, 6)) == Period(date(2025, 1, 1), date(2025, 5, 6))
    assert quarter(2025, 2).label == "2025年第2季度"
    with pytest.raises(ValueError):
        Period(date(2025, 2, 1), date(2025, 1, 1))


def test_re_transferred_case_still_out_counts_days_to_closing(data):
    """A return never re-transferred (no end date) counts as out until the case concluded."""
    p4 = data.cases["P4"]
    _link(p4, "supplementary", date(2025, 3, 8))
    Case.objects.filter(pk=p4.pk).update(closed_date=date(2025, 3, 11))
    refresh_facts([p4.pk])
    county = figures(Scope("org", data.world.county))
    # P4: 10 − 3 = 7 → 25 + 69 + 7 = 101; 4 returns.
    assert county["review_days"] == (101, 3, "33.7 天")
    assert county["supplementary_investigation_rate"] == (4, 3, "133.3%")


def test_the_system_administrator_edits_the_extra_links_in_the_admin(data):
    """The list is configuration: removing 上诉 in the admin is audited and changes 件 at once."""
    from django.test import Client

    from bihuan.events.models import Event

    admin = Client()
    admin.force_login(data.world.people["sysadmin"])
    assert admin.get("/admin/indicators/extralink/").status_code == 200
    appeal = ExtraLink.objects.get(kind="appeal")
    response = admin.post(f"/admin/indicators/extralink/{appeal.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert Event.objects.filter(action="config.delete", object_id=str(appeal.pk)).exists()
    assert figures(Scope("org", data.world.county))["case_ratio"] == (11, 4, "1 : 2.75")
    response = admin.post("/admin/indicators/extralink/add/", {"kind": "appeal", "note": "被告人上诉"})
    assert response.status_code == 302
    assert Event.objects.filter(action="config.create").exists()
    assert figures(Scope("org", data.world.county))["case_ratio"] == (12, 4, "1 : 3.00")
    manager = Client()
    manager.force_login(data.world.people["cm"])
    assert manager.get("/admin/indicators/extralink/").status_code == 302


def test_a_matter_counts_when_its_last_stage_concludes(data):
    """M1's 审查起诉 (P1) reopened: the matter has an open stage, so it counts in no period, even
    though its 审查逮捕 (A1) concluded in December 2024."""
    county = Scope("org", data.world.county)
    Case.objects.filter(pk=data.cases["P1"].pk).update(closed_date=None, stage="reviewing")
    refresh_facts([data.cases["P1"].pk])
    # Q1: M2, M3, M4 with 0 + 4 + 0 extra links.
    assert figures(county)["case_ratio"] == (7, 3, "1 : 2.33")
    # Q4 2024: only M6 (P6); A1 is not M1's last stage.
    assert figures(county, quarter(2024, 4))["case_ratio"] == (1, 1, "1 : 1.00")
    assert set(drill_cases("case_ratio", "denominator", county, quarter(2024, 4))) == {data.cases["P6"]}


def test_figures_per_team_from_one_grouped_query(data, django_assert_max_num_queries):
    world = data.world
    with django_assert_max_num_queries(2):
        by_team = compute_by(Scope("org", world.county), [Q1], "team")
    assert set(by_team) == {world.team_a.pk, world.team_b.pk}
    team_a, team_b = by_team[world.team_a.pk][0], by_team[world.team_b.pk][0]
    # team A: P1, P4 (孙三 孙四 郑一); team B: A2, P3 (吴一 吴二 吴三), and 冯一 of P6 judged in Q1.
    assert (team_a["plea_rate"].numerator, team_a["plea_rate"].denominator) == (2, 3)
    assert (team_b["plea_rate"].numerator, team_b["plea_rate"].denominator) == (2, 3)
    assert team_a["fast_track_share"].display == "100.0%"
    assert team_b["fast_track_share"].display == "0.0%"
    assert (team_a["case_ratio"].numerator, team_a["case_ratio"].denominator) == (6, 2)  # M1 4 links, M4 none
    assert (team_b["case_ratio"].numerator, team_b["case_ratio"].denominator) == (6, 2)  # M2 none, M3 4 links
    assert team_b["recommendation_adoption_rate"].display == "50.0%"  # 冯一 adopted, 吴二 not
    assert team_a["review_days_complex"].display == EMPTY
    with pytest.raises(ValueError):
        compute_by(Scope("org", world.county), [Q1], "charge")
