"""Report figures from the case cards (hand-counted), the comparison and the cases behind a figure."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bihuan.bizreports.actions import do_enter_figures
from bihuan.bizreports.figures import case_figures, cases_behind, compare, reported_units
from bihuan.bizreports.items import ITEMS, find_item
from tests.bizreports_helpers import MARCH_COUNTY, MARCH_SECOND_DEPT, build_small


@pytest.fixture
def small(world):
    return build_small(world)


def test_the_whole_procuratorate_figures_match_the_hand_count(small):
    figures = case_figures(small.world.county, 2024, 3)
    assert figures == MARCH_COUNTY


def test_a_department_counts_only_its_own_cases(small):
    figures = case_figures(small.world.county, 2024, 3, small.second_dept)
    assert figures == {item.code: MARCH_SECOND_DEPT.get(item.code, 0) for item in ITEMS}


def test_the_month_of_each_figure_follows_its_date(small):
    """February: A2 received (受理日期), P1's first return (link start); P6 concluded (审结日期)."""
    figures = case_figures(small.world.county, 2024, 2)
    assert figures["SLDB"] == 1
    assert figures["TB"] == 1
    assert figures["SJQS"] == 1
    assert figures["SJQSR"] == 2
    april = case_figures(small.world.county, 2024, 4)
    assert april["SJQS"] == 1  # P4, concluded on 1 April


def test_another_procuratorate_counts_its_own(small):
    figures = case_figures(small.world.other_county, 2024, 3)
    # O1 and the world's case_other (received 2024-03-05, open).
    assert (figures["SLQS"], figures["SJQS"], figures["QS"]) == (2, 1, 1)


def test_figures_take_one_query_per_basis_not_per_case(small):
    with CaptureQueriesContext(connection) as queries:
        case_figures(small.world.county, 2024, 3)
    assert len(queries) == 5


def test_cases_behind_a_figure(small):
    county, c = small.world.county, small.cases
    assert set(cases_behind("SJDB", county, 2024, 3)) == {c["A1"], c["A2"]}
    assert set(cases_behind("QS", county, 2024, 3)) == {c["P1"]}
    assert set(cases_behind("TB", county, 2024, 3)) == {c["P2"]}
    assert set(cases_behind("CHQS", county, 2024, 3)) == {c["P5"], c["P6"]}
    assert set(cases_behind("SLQS", county, 2024, 3, small.second_dept)) == {c["P2"]}


def test_compare_gives_reported_computed_and_difference(small):
    county, cm = small.world.county, small.world.people["cm"]
    do_enter_figures(county, None, 2024, 3, {"QS": 2, "BQS": 5, "TB": 0}, cm)
    rows = {row.item.code: row for row in compare(county, 2024, 3)}
    assert (rows["QS"].reported, rows["QS"].computed, rows["QS"].difference) == (2, 2, 0)
    assert (rows["BQS"].reported, rows["BQS"].computed, rows["BQS"].difference) == (5, 2, 3)
    assert rows["TB"].difference == -1
    assert rows["BQS"].differs is True
    assert rows["QS"].differs is False
    assert (rows["SLQS"].reported, rows["SLQS"].difference, rows["SLQS"].figure) == (None, None, None)
    assert rows["BQS"].figure.batch.imported_by == cm
    # The department's report is a unit of its own.
    assert all(row.reported is None for row in compare(county, 2024, 3, small.second_dept))


def test_items_are_found_by_code_or_name():
    assert find_item("qs").code == "QS"
    assert find_item("起诉").code == "QS"
    assert find_item("起诉（人）").code == "QS"
    assert find_item("起诉(人)").code == "QS"
    assert find_item("相对不起诉（人）").code == "BQSXD"
    assert find_item("批捕") is None


def test_the_units_that_reported_a_month(small):
    world, cm = small.world, small.world.people["cm"]
    do_enter_figures(world.county, None, 2024, 3, {"QS": 2}, cm)
    do_enter_figures(world.county, small.second_dept, 2024, 3, {"QS": 0}, cm)
    do_enter_figures(world.county, None, 2024, 2, {"QS": 1}, cm)
    assert reported_units(2024, 3) == [(world.county, None), (world.county, small.second_dept)]
    assert reported_units(2024, 1) == []
