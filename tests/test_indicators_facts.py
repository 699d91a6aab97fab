"""The fact table of the indicators (`CaseFact`): the engine's sums over it equal the same
measures counted on the cases, suspects and links (the drill-down's rows), for every scope and
period of the hand-built data set; and it follows the writes of the cases — the actions' signals,
a bulk load, a team's 快审 flag — and the console's full rebuild.
"""

from datetime import date
from io import StringIO

from django.core.management import call_command
from django.db.models import Count, Sum

from bihuan.cases.actions import do_create_case, do_update_case
from bihuan.cases.models import Case, ProceduralLink
from bihuan.cases.signals import cases_loaded
from bihuan.indicators.access import Scope
from bihuan.indicators.definitions import FACT_MEASURES, INDICATORS, MATTER_LINKS, MEASURES, PARTS
from bihuan.indicators.engine import base_rows, compute
from bihuan.indicators.facts import refresh_facts
from bihuan.indicators.models import COUNTABLE_LINKS, CaseFact, ExtraLink, link_column
from bihuan.indicators.periods import Period, month, quarter, year
from tests import test_indicators_engine as dataset

data = dataset.data  # the hand-built data set, as a fixture of this module
Q1 = dataset.Q1


def from_cases(name: str, scope: Scope, period: Period) -> int:
    """A measure counted on the rows of its basis, without the fact table: the drill-down's rows
    (`base_rows`) in the period, COUNTed or SUMmed under the measure's condition; the 案-件比 links
    counted over all cases of those matters."""
    measure = MEASURES[name]
    rows = base_rows(measure.basis, scope).filter(period.q(measure.basis.date_field))
    if measure.total is MATTER_LINKS:
        kinds = list(ExtraLink.objects.values_list("kind", flat=True))
        matters = rows.values("unified_case_no")
        return ProceduralLink.objects.filter(case__unified_case_no__in=matters, kind__in=kinds).count()
    condition = measure.where or None
    aggregate = Count("pk", filter=condition) if measure.total is None else Sum(measure.total, filter=condition)
    return rows.aggregate(n=aggregate)["n"] or 0


def scopes(world) -> list[Scope]:
    return [
        Scope("org", world.county),
        Scope("tree", world.city),
        Scope("org", world.city),
        Scope("dept", world.county, department=world.county_dept),
        Scope("team", world.county, team=world.team_a),
        Scope("team", world.county, team=world.team_b),
        Scope("person", world.county, person=world.people["pros_a"]),
        Scope("person", world.county, person=world.people["pros_b"]),
    ]


PERIODS = [
    Q1,
    quarter(2024, 4),
    year(2025),
    month(2025, 3),
    month(2024, 12),
    Period(date(2025, 2, 14), date(2025, 3, 28)),
]


def assert_facts_match_cases(world) -> int:
    """Every numerator and denominator of every indicator, scope and period; returns how many
    were compared (and not zero)."""
    nonzero = 0
    for scope in scopes(world):
        figures = compute(scope, PERIODS)
        for period, by_code in zip(PERIODS, figures, strict=True):
            measures = {name: from_cases(name, scope, period) for name in MEASURES}
            for indicator in INDICATORS:
                for part_name in PARTS:
                    part = getattr(indicator, part_name)
                    expected = sum(sign * measures[name] for sign, name in part.terms)
                    got = getattr(by_code[indicator.code], part_name)
                    assert got == expected, (scope.token, period.label, indicator.code, part_name)
                    nonzero += bool(got)
    return nonzero


def test_the_fact_table_gives_what_the_cases_give_in_every_scope_and_period(data):
    assert assert_facts_match_cases(data.world) > 300
    # With part of the link list: the links of the kinds in force, counted on the cases.
    ExtraLink.objects.filter(kind__in=["appeal", "supplementary"]).delete()
    assert assert_facts_match_cases(data.world) > 300


def test_one_column_per_stored_measure_and_countable_link():
    columns = {f.name for f in CaseFact._meta.concrete_fields} - {"id", "case", "day", "org", "department", "team"}
    assert columns - {"prosecutor"} == {*FACT_MEASURES, *(link_column(kind) for kind in COUNTABLE_LINKS)}
    assert {name for name, m in MEASURES.items() if m.total is MATTER_LINKS} == {"extra_links"}


def test_rows_per_case_and_counting_date(data):
    c = data.cases
    rows = {(fact.case_id, fact.day): fact for fact in CaseFact.objects.all()}
    # P1: concluded 2025-02-14 (孙三 孙四; M1's last stage with its 4 links), 孙三 judged 2025-03-20.
    closed, judged = rows[(c["P1"].pk, date(2025, 2, 14))], rows[(c["P1"].pk, date(2025, 3, 20))]
    assert (closed.closed_persons, closed.prosecuted, closed.not_prosecuted, closed.matters) == (2, 1, 1, 1)
    assert (closed.link_no_arrest_reconsideration, closed.link_appeal, closed.link_supplementary) == (1, 1, 1)
    assert (closed.gross_days, closed.days_out, closed.returns) == (40, 15, 1)
    assert (judged.judged, judged.adopted, judged.closed_persons, judged.matters) == (1, 1, 0, 0)
    # A1 is not its matter's last stage; P5 is open and nobody of it was judged: no row.
    assert rows[(c["A1"].pk, date(2024, 12, 27))].matters == 0
    assert not CaseFact.objects.filter(case=c["P5"]).exists()
    # The scope columns are the case's.
    assert (closed.org_id, closed.team_id, closed.prosecutor_id) == (
        c["P1"].org_id,
        c["P1"].team_id,
        c["P1"].prosecutor_id,
    )


def test_a_write_through_the_actions_refreshes_the_matter(data):
    """`do_update_case` sends `case_changed`: the rows of P1 and of A1 (same matter) follow."""
    county, p1 = Scope("org", data.world.county), Case.objects.get(pk=data.cases["P1"].pk)
    (before,) = compute(county, [Q1])
    do_update_case(p1, {"closed_date": date(2025, 4, 2)}, actor=None, expected_version=p1.row_version)
    (after,) = compute(county, [Q1])
    # P1 leaves Q1: 孙三 孙四 no longer counted; M1 ends in April.
    assert after["plea_rate"].denominator == before["plea_rate"].denominator - 2
    assert (after["case_ratio"].numerator, after["case_ratio"].denominator) == (7, 3)  # M2, M3 (4 links), M4
    assert assert_facts_match_cases(data.world)


def test_a_new_stage_of_a_matter_reopens_it(data):
    """Registering a later stage (`do_create_case` with the matter's 统一受案号) sends
    `case_timeline_changed`: M3's concluded 审查起诉 is no longer its last stage."""
    county, p3 = Scope("org", data.world.county), data.cases["P3"]
    do_create_case(
        org=data.world.county,
        case_type="prosecution_review",
        name="P3 重新受理",
        received_date=date(2025, 3, 20),
        unified_case_no=p3.unified_case_no,
        department=data.world.county_dept,
    )
    (q1,) = compute(county, [Q1])
    # M1, M2, M4 = 3 案 and M1's 4 links = 7 件.
    assert (q1["case_ratio"].numerator, q1["case_ratio"].denominator) == (7, 3)
    assert assert_facts_match_cases(data.world)


def test_a_bulk_load_refreshes_its_cases(data):
    """`cases_loaded` (sent by the loader inside its transaction) refreshes the cases named."""
    p4 = data.cases["P4"]
    Case.objects.filter(pk=p4.pk).update(track="complex")
    county = Scope("org", data.world.county)
    assert compute(county, [Q1])[0]["review_days_complex"].denominator == 1  # not yet: no signal
    cases_loaded.send(sender=Case, case_ids=[p4.pk])
    assert compute(county, [Q1])[0]["review_days_complex"].denominator == 2


def test_a_team_losing_its_fast_track_flag(data):
    team_a = data.world.team_a
    team_a.is_fast_track = False
    team_a.save()
    (q1,) = compute(Scope("org", data.world.county), [Q1])
    assert q1["fast_track_share"].display == "0.0%"
    pk = team_a.pk
    team_a.delete()  # its cases lose their team (SET_NULL, no signal of the cases)
    assert not CaseFact.objects.filter(team_id=pk).exists()
    assert assert_facts_match_cases(data.world)


def test_the_console_rebuilds_the_whole_table(data):
    count = CaseFact.objects.count()
    CaseFact.objects.all().delete()
    err = StringIO()
    call_command("indicators", "--refresh-facts", stdout=StringIO(), stderr=err)
    assert CaseFact.objects.count() == count
    assert f"指标事实表已重建：{count:,} 行" in err.getvalue()
    assert dataset.figures(Scope("org", data.world.county)) == dataset.COUNTY_Q1


def test_refreshing_a_selection_leaves_the_other_rows(data):
    a2 = data.cases["A2"]
    others = set(CaseFact.objects.exclude(case=a2).values_list("pk", flat=True))
    assert refresh_facts([a2.pk]) == 1
    assert set(CaseFact.objects.exclude(case=a2).values_list("pk", flat=True)) == others
    assert refresh_facts([]) == 0
    # Any number of ids (several statements on SQLite), unknown ones ignored: every row again.
    every = [*Case.objects.values_list("pk", flat=True), *range(10**6, 10**6 + 250)]
    assert refresh_facts(every) == CaseFact.objects.count() == len(others) + 1
