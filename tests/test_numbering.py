"""Case numbers per domain-rules §7.6."""

from datetime import date

from bihuan.cases.numbering import DEPT_CASE_NO, advance_sequences, normalise_dept_case_no
from tests import factories as f


def test_numbers_follow_the_pattern_and_count_per_unit_business_and_year(world):
    county = world.county
    first = f.make_case(county, received=date(2024, 3, 5))
    second = f.make_case(county, received=date(2024, 7, 1))
    arrest = f.make_case(county, case_type="arrest_review", received=date(2024, 7, 2))
    next_year = f.make_case(county, received=date(2025, 1, 2))
    short = county.short_name
    # The world fixture registered two 审查起诉 cases of 2024 in this county before.
    assert first.dept_case_no == f"{short}检刑诉受[2024]371002000003号"
    assert second.dept_case_no == f"{short}检刑诉受[2024]371002000004号"
    assert arrest.dept_case_no == f"{short}检刑捕受[2024]371002000001号"
    assert next_year.dept_case_no == f"{short}检刑诉受[2025]371002000001号"
    assert DEPT_CASE_NO.match(first.dept_case_no)
    assert first.unified_case_no == "3710022024" + "0000003"
    assert next_year.unified_case_no == "37100220250000001"


def test_a_later_stage_keeps_the_matter_number(world):
    arrest = f.make_case(world.county, case_type="arrest_review", received=date(2024, 3, 1))
    review = f.make_case(world.county, received=date(2024, 4, 2), unified_case_no=arrest.unified_case_no)
    assert review.unified_case_no == arrest.unified_case_no
    assert review.dept_case_no != arrest.dept_case_no


def test_printed_brackets_are_normalised():
    assert normalise_dept_case_no("环检刑诉受〔2024〕371002000123号") == "环检刑诉受[2024]371002000123号"
    assert normalise_dept_case_no(" 环检刑诉受［2024］ 371002000123号") == "环检刑诉受[2024]371002000123号"


def test_loaded_numbers_move_the_series_on(world):
    advance_sequences([("测02检刑诉受[2024]371002000500号", "37100220240000900")])
    case = f.make_case(world.county, received=date(2024, 9, 9))
    assert case.dept_case_no.endswith("[2024]371002000501号")
    assert case.unified_case_no == "37100220240000901"
    # A lower number never moves a series back.
    advance_sequences([("测02检刑诉受[2024]371002000010号", "37100220240000010")])
    assert f.make_case(world.county, received=date(2024, 9, 9)).dept_case_no.endswith("000502号")
