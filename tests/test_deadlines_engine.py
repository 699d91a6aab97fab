"""The statutory deadline engine: period arithmetic, the working-day calendar and the running
period of a case, each expected date worked out by hand from the statute.

Weekdays used below (worked out from 2023-01-01 Sunday, 2024-01-01 Monday, 2025-01-01 Wednesday,
2026-01-01 Thursday, 2027-01-01 Friday) and the State Council arrangements as shipped in
`chinesecalendar`: 2024 春节 02-10..02-17 (make-up 02-04, 02-18), 清明 04-04..04-06, 国庆
10-01..10-07 (make-up 09-29, 10-12); 2025 国庆/中秋 10-01..10-08 (make-up 09-28 Sunday, 10-11
Saturday); 2026 春节 02-15..02-23 (make-up 02-14 Saturday, 02-28 Saturday). 2027 is not covered.
"""

from datetime import date

import pytest

from bihuan.cases.choices import DueKind, LikelySentence, LinkKind, MeasureKind, Procedure, Stage
from bihuan.cases.models import CoerciveMeasure, ProceduralLink
from bihuan.deadlines.calendar import WorkCalendar
from bihuan.deadlines.engine import (
    CaseFacts,
    Period,
    PeriodRefused,
    Step,
    case_facts,
    check_new_return,
    compute,
    current_period,
)
from bihuan.deadlines.models import HolidayOverride
from bihuan.lib.periods import HALF_MONTH_DAYS, add_days, add_months
from tests import factories as f

CAL = WorkCalendar()


def texts(period: Period) -> list[str]:
    return [step.text for step in period.steps]


def facts(
    *,
    case_type="prosecution_review",
    procedure=Procedure.ORDINARY,
    stage=Stage.REVIEWING,
    received=date(2024, 1, 10),
    major_complex=False,
    likely_sentence=LikelySentence.UNKNOWN,
    links=(),
    custody=(),
    detained=False,
) -> CaseFacts:
    return CaseFacts(
        case_type=case_type,
        procedure=procedure,
        stage=stage,
        received_date=received,
        is_major_complex=major_complex,
        likely_sentence=likely_sentence,
        links=tuple(links),
        custody=tuple(custody),
        detained_at_receipt=detained,
    )


RETURN, EXTENSION, JURISDICTION, SUSPENSION = (
    LinkKind.SUPPLEMENTARY_INVESTIGATION,
    LinkKind.EXTENSION,
    LinkKind.JURISDICTION_CHANGE,
    LinkKind.SUSPENSION,
)


#
# lib.periods: months and days (SPC-Interp 202, CPL 105)
#


@pytest.mark.parametrize(
    ("start", "due"),
    [
        # SPC-Interp 202: 自本月某日至下月同日为一个月.
        (date(2024, 3, 15), date(2024, 4, 15)),
        # SPC-Interp 202: 下月同日不存在 → 下月最后一日; 2024 is a leap year.
        (date(2024, 1, 31), date(2024, 2, 29)),
        # The same in a common year.
        (date(2023, 1, 31), date(2023, 2, 28)),
        # SPC-Interp 202: no 30th in February either.
        (date(2024, 1, 30), date(2024, 2, 29)),
        # SPC-Interp 202: 起算日为本月最后一日的，至下月最后一日.
        (date(2024, 4, 30), date(2024, 5, 31)),
        # 02-29 ends February 2024, so the month ends on the last day of March.
        (date(2024, 2, 29), date(2024, 3, 31)),
        # 02-28 ends February 2023 (common year): the last day of March.
        (date(2023, 2, 28), date(2023, 3, 31)),
        # 02-28 does not end February 2024 (leap year): the same day of March.
        (date(2024, 2, 28), date(2024, 3, 28)),
        # Across the year end.
        (date(2024, 12, 31), date(2025, 1, 31)),
        (date(2024, 11, 30), date(2024, 12, 31)),
    ],
)
def test_one_month_follows_spc_interpretation_202(start, due):
    assert add_months(start, 1) == due


def test_several_months_clamp_to_the_target_month():
    # SPC-Interp 202 applied twice over: 12-31 ends its month, so two months end on 02-28 (2025 common year).
    assert add_months(date(2024, 12, 31), 2) == date(2025, 2, 28)


def test_days_do_not_count_the_start_day():
    # CPL 105: 期间开始的日不算在期间以内. 02-25 + 7 crosses 02-29 in 2024 and 02-28 in 2023.
    assert add_days(date(2024, 2, 25), 7) == date(2024, 3, 3)
    assert add_days(date(2023, 2, 25), 7) == date(2023, 3, 4)
    # SPC-Interp 202: 半个月一律按十五日计算.
    assert HALF_MONTH_DAYS == 15


#
# The working-day calendar
#


def test_make_up_working_days_count_as_working_days():
    # 2025-09-28 is a Sunday and 2025-10-11 a Saturday, both 国庆 make-up working days.
    assert CAL.is_workday(date(2025, 9, 28)) is True
    assert CAL.is_workday(date(2025, 10, 11)) is True
    # 2025-10-08 is a Wednesday inside the 国庆/中秋 holiday.
    assert CAL.is_workday(date(2025, 10, 8)) is False
    assert CAL.next_workday(date(2025, 10, 1)) == date(2025, 10, 9)
    assert CAL.next_workday(date(2025, 10, 9)) == date(2025, 10, 9)


def test_a_year_the_package_does_not_cover_counts_weekends_only():
    assert CAL.covers(2026) is True
    assert CAL.covers(2027) is False
    # 2027-10-01 is a Friday: without the year's arrangement it is a working day.
    assert CAL.is_workday(date(2027, 10, 1)) is True
    # 2027-10-02 is a Saturday.
    assert CAL.next_workday(date(2027, 10, 2)) == date(2027, 10, 4)


@pytest.mark.django_db
def test_load_reads_the_overrides_in_one_query(django_assert_num_queries):
    HolidayOverride.objects.create(date=date(2027, 2, 8), is_workday=False, note="2027年春节")
    HolidayOverride.objects.create(date=date(2025, 10, 8), is_workday=True, note="调整为工作日")
    with django_assert_num_queries(1):
        calendar = WorkCalendar.load()
    # Monday 2027-02-08 becomes a rest day, Wednesday 2025-10-08 a working day.
    assert calendar.is_workday(date(2027, 2, 8)) is False
    assert calendar.is_workday(date(2025, 10, 8)) is True


#
# compute(): one period from explicit inputs
#


def test_prosecution_review_month_ends_in_a_leap_february():
    # CPL 172 / Rule 351: one month; SPC-Interp 202: 01-31 → 02-29 (Thursday, a working day).
    period = compute("prosecution_review", date(2024, 1, 31), calendar=CAL)
    assert period == Period(
        "prosecution_review",
        date(2024, 1, 31),
        date(2024, 2, 29),
        (
            Step("审查起诉：应当在一个月以内作出决定", "CPL 172; Rule 351"),
            Step("2024-01-31 起算，一个月期满为 2024-02-29（次月无同日，取月末）", "SPC-Interp 202"),
        ),
    )


def test_prosecution_review_month_ends_in_a_common_february():
    # SPC-Interp 202: 2023-01-31 → 2023-02-28 (Tuesday).
    assert compute("prosecution_review", date(2023, 1, 31), calendar=CAL).due == date(2023, 2, 28)


def test_prosecution_review_from_the_last_day_of_a_month():
    # SPC-Interp 202: 04-30 is the last day of April → 05-31 (Friday).
    period = compute("prosecution_review", date(2024, 4, 30), calendar=CAL)
    assert period.due == date(2024, 5, 31)
    assert "2024-04-30 起算，一个月期满为 2024-05-31（起算日为月末，至次月最后一日）" in texts(period)


def test_due_date_on_national_day_moves_to_the_next_working_day():
    # CPL 105: 2024-09-01 + 1 month = 2024-10-01 (国庆, Tuesday) → first working day 10-08 (Tuesday).
    period = compute("prosecution_review", date(2024, 9, 1), calendar=CAL)
    assert period.due == date(2024, 10, 8)
    assert period.steps[-1] == Step("2024-10-01 为国庆节假日，顺延至 2024-10-08", "CPL 105")


def test_no_holiday_shift_while_the_suspect_is_in_custody():
    # CPL 105: 在押期间 … 不得因节假日而延长.
    period = compute("prosecution_review", date(2024, 9, 1), in_custody=True, calendar=CAL)
    assert period.due == date(2024, 10, 1)
    assert period.steps[-1] == Step("2024-10-01 为国庆节假日，但犯罪嫌疑人在押，期满日不因节假日延长", "CPL 105")


def test_custody_is_judged_on_the_due_date():
    # CPL 105: held until 2024-09-20 only, so on the due date 2024-10-01 the suspect is free → shift to 10-08.
    def held(d):
        return date(2024, 8, 20) <= d <= date(2024, 9, 20)

    assert compute("prosecution_review", date(2024, 9, 1), in_custody=held, calendar=CAL).due == date(2024, 10, 8)


def test_2025_national_day_includes_mid_autumn_and_ends_on_the_8th():
    # CPL 105: 2025-09-01 + 1 month = 10-01; 10-01..10-08 are holidays → 10-09 (Thursday).
    assert compute("prosecution_review", date(2025, 9, 1), calendar=CAL).due == date(2025, 10, 9)


def test_a_make_up_sunday_is_a_working_day():
    # 2025-08-28 + 1 month = 2025-09-28, a Sunday but a make-up working day: no shift (CPL 105).
    period = compute("prosecution_review", date(2025, 8, 28), calendar=CAL)
    assert period.due == date(2025, 9, 28)
    assert len(period.steps) == 2


def test_a_make_up_saturday_is_a_working_day():
    # Rule 282: not detained, 15 days: 2025-09-26 + 15 = 10-11, a make-up Saturday → stays.
    assert compute("arrest_review", date(2025, 9, 26), calendar=CAL).due == date(2025, 10, 11)


def test_spring_festival_2026_moves_the_due_date_past_the_holiday():
    # 2026-01-16 + 1 month = 02-16 (Monday, 春节); 02-15..02-23 holidays → 02-24 (Tuesday).
    period = compute("prosecution_review", date(2026, 1, 16), calendar=CAL)
    assert period.due == date(2026, 2, 24)
    assert "2026-02-16 为春节假日，顺延至 2026-02-24" in texts(period)


def test_spring_festival_2026_make_up_saturday():
    # 2026-01-14 + 1 month = 02-14, a Saturday worked before 春节: no shift.
    assert compute("prosecution_review", date(2026, 1, 14), calendar=CAL).due == date(2026, 2, 14)


def test_spring_festival_2024_in_custody_does_not_move():
    # 2024-01-10 + 1 month = 02-10 (春节, Saturday); in custody → 02-10 (CPL 105).
    assert compute("prosecution_review", date(2024, 1, 10), in_custody=True, calendar=CAL).due == date(2024, 2, 10)
    # Not in custody: 02-10..02-17 holidays, 02-18 a make-up Sunday → 02-18.
    assert compute("prosecution_review", date(2024, 1, 10), calendar=CAL).due == date(2024, 2, 18)


def test_fast_track_is_ten_days():
    # CPL 172 / Rule 273: 速裁 10 days: 2024-03-01 + 10 = 03-11 (Monday).
    period = compute("fast", date(2024, 3, 1), calendar=CAL)
    assert (period.kind, period.due) == (DueKind.FAST, date(2024, 3, 11))


def test_fast_track_likely_over_one_year_is_fifteen_days():
    # CPL 172 / Rule 273: 15 days: 2024-03-01 + 15 = 03-16 (Saturday) → Monday 03-18 (CPL 105).
    period = compute("fast", date(2024, 3, 1), likely_over_1y=True, calendar=CAL)
    assert period.due == date(2024, 3, 18)
    assert texts(period)[-1] == "2024-03-16 为周末休息日，顺延至 2024-03-18"


def test_fast_track_weekend_in_custody_does_not_move():
    # CPL 105: 03-16 stays while in custody.
    assert compute("fast", date(2024, 3, 1), likely_over_1y=True, in_custody=True, calendar=CAL).due == date(
        2024, 3, 16
    )


def test_arrest_review_detained_is_seven_days():
    # CPL 91 para 3 / Rule 282: 2024-03-01 + 7 = 03-08 (Friday).
    period = compute("arrest_review", date(2024, 3, 1), in_custody=True, calendar=CAL)
    assert period.due == date(2024, 3, 8)
    assert period.steps[0].basis == "CPL 91; Rule 282"


def test_arrest_review_detained_over_national_day_is_not_extended():
    # CPL 91 + CPL 105: 2024-09-24 + 7 = 10-01, the suspect is detained → 10-01.
    assert compute("arrest_review", date(2024, 9, 24), in_custody=True, calendar=CAL).due == date(2024, 10, 1)


def test_arrest_review_not_detained_is_fifteen_days():
    # Rule 282: 2024-03-01 + 15 = 03-16 (Saturday) → 03-18 (CPL 105, not held).
    assert compute("arrest_review", date(2024, 3, 1), calendar=CAL).due == date(2024, 3, 18)


def test_arrest_review_not_detained_major_complex_is_twenty_days():
    # Rule 282: 重大、复杂 ≤ 20 days: 2024-03-01 + 20 = 03-21 (Thursday).
    assert compute("arrest_review", date(2024, 3, 1), major_complex=True, calendar=CAL).due == date(2024, 3, 21)


def test_extension_adds_fifteen_days_from_the_day_after_the_original_due_date():
    # CPL 172 / Rule 351: 2024-05-20 + 1 month = 06-20; extension 06-21..07-05 (Friday).
    period = compute("prosecution_review", date(2024, 5, 20), extended=True, calendar=CAL)
    assert period.due == date(2024, 7, 5)
    assert period.steps[-1] == Step(
        "重大、复杂案件经批准延长审查起诉期限十五日：自 2024-06-21 起至 2024-07-05", "CPL 172; Rule 351"
    )


def test_extension_starts_after_the_unshifted_original_due_date():
    # domain-rules §1.1 item 4: 2024-03-05 + 1 month = 04-05 (清明) is not shifted before the
    # extension: 04-06..04-20; 04-20 is a Saturday → 04-22 (Monday, CPL 105).
    period = compute("prosecution_review", date(2024, 3, 5), extended=True, calendar=CAL)
    assert period.due == date(2024, 4, 22)
    assert "重大、复杂案件经批准延长审查起诉期限十五日：自 2024-04-06 起至 2024-04-20" in texts(period)


def test_supplementary_investigation_is_one_month():
    # CPL 175: 一个月以内补充侦查完毕: 2024-03-15 → 04-15 (Monday).
    period = compute("supplementary", date(2024, 3, 15), calendar=CAL)
    assert (period.kind, period.due) == (DueKind.SUPPLEMENTARY, date(2024, 4, 15))


def test_a_suspension_pushes_the_due_date_back_by_its_length():
    # Rule 222: 06-01..06-10 (10 days, both included) not counted: 06-20 + 10 = 06-30 (Sunday) → 07-01.
    period = compute(
        "prosecution_review", date(2024, 5, 20), suspensions=[(date(2024, 6, 1), date(2024, 6, 10))], calendar=CAL
    )
    assert period.due == date(2024, 7, 1)
    assert "2024-06-01 至 2024-06-10 不计入办案期限（10日），期满日顺延至 2024-06-30" in texts(period)


def test_several_suspensions_add_up():
    # Rule 222 and Rule 143: 3 + 5 days: 2024-03-15 + 1 month = 04-15, + 8 = 04-23 (Tuesday).
    intervals = [(date(2024, 3, 20), date(2024, 3, 22)), (date(2024, 4, 1), date(2024, 4, 5))]
    assert compute("prosecution_review", date(2024, 3, 15), suspensions=intervals, calendar=CAL).due == date(
        2024, 4, 23
    )


def test_an_uncovered_year_shifts_over_weekends_only_and_says_so():
    # 2027-01-06 + 1 month = 02-06 (Saturday) → 02-08 (Monday): the 2027 春节 is unknown.
    period = compute("prosecution_review", date(2027, 1, 6), calendar=CAL)
    assert period.due == date(2027, 2, 8)
    assert "2027年放假安排未收录，仅按周末顺延" in texts(period)


@pytest.mark.django_db
def test_an_override_makes_a_day_a_holiday():
    # The administrator enters the 2027 春节: 02-08 becomes a rest day → 02-06 moves to 02-09 (Tuesday).
    HolidayOverride.objects.create(date=date(2027, 2, 8), is_workday=False, note="2027年春节")
    period = compute("prosecution_review", date(2027, 1, 6), calendar=WorkCalendar.load())
    assert period.due == date(2027, 2, 9)


@pytest.mark.django_db
def test_an_override_makes_a_holiday_a_working_day():
    # 2025-10-08 declared a working day: 2025-09-01 + 1 month = 10-01 → 10-08.
    HolidayOverride.objects.create(date=date(2025, 10, 8), is_workday=True, note="调整")
    assert compute("prosecution_review", date(2025, 9, 1), calendar=WorkCalendar.load()).due == date(2025, 10, 8)


@pytest.mark.django_db
def test_an_override_on_the_due_date_names_its_note():
    # 2024-03-08 (Friday) declared a rest day; 速裁 2024-02-27 + 10 = 03-08 (across 02-29) → the next
    # working day 03-11 (Monday).
    HolidayOverride.objects.create(date=date(2024, 3, 8), is_workday=False, note="本地调休")
    period = compute("fast", date(2024, 2, 27), calendar=WorkCalendar.load())
    assert period.due == date(2024, 3, 11)
    assert texts(period)[-1] == "2024-03-08 为调整后的休息日（本地调休），顺延至 2024-03-11"


def test_compute_refuses_an_extension_outside_prosecution_review():
    with pytest.raises(ValueError, match="仅适用于审查起诉"):
        compute("fast", date(2024, 3, 1), extended=True, calendar=CAL)


def test_steps_cite_their_articles_by_name():
    assert Step("x", "CPL 105").citation == "《刑事诉讼法》第105条"
    assert Step("x", "CPL 91; Rule 282").citation == "《刑事诉讼法》第91条；《人民检察院刑事诉讼规则》第282条"
    assert Step("x", "Rule 222; Rule 143").citation == "《人民检察院刑事诉讼规则》第222条、第143条"
    assert Step("x").citation == ""


#
# current_period(): the running period from the case's history
#


@pytest.mark.parametrize("stage", [Stage.REGISTERED, Stage.CONCLUDED, Stage.ARCHIVED])
def test_no_period_before_receipt_or_after_conclusion(stage):
    assert current_period(facts(stage=stage), CAL) is None


def test_arrest_review_case_detained_at_receipt():
    # CPL 91: 2024-03-01 + 7 = 03-08.
    period = current_period(facts(case_type="arrest_review", received=date(2024, 3, 1), detained=True), CAL)
    assert (period.kind, period.due) == (DueKind.ARREST_REVIEW, date(2024, 3, 8))


def test_arrest_review_case_not_detained_major_complex():
    # Rule 282: 20 days: 2024-03-01 + 20 = 03-21.
    period = current_period(facts(case_type="arrest_review", received=date(2024, 3, 1), major_complex=True), CAL)
    assert period.due == date(2024, 3, 21)


def test_prosecution_review_restarts_in_full_on_re_transfer():
    # CPL 175 / Rule 346: returned 02-01, re-transferred 02-20 → 02-20 + 1 month = 03-20 (Wednesday).
    period = current_period(facts(links=[(RETURN, 1, date(2024, 2, 1), date(2024, 2, 20))]), CAL)
    assert (period.kind, period.start, period.due) == (DueKind.PROSECUTION_REVIEW, date(2024, 2, 20), date(2024, 3, 20))
    assert "2024-02-01 第1次退回补充侦查，2024-02-20 补充侦查完毕重新移送，审查起诉期限重新计算" in texts(period)


def test_while_returned_the_investigators_month_runs():
    # CPL 175: returned 2024-02-01, not yet back → 03-01 (Friday), kind 补充侦查.
    period = current_period(facts(stage=Stage.RETURNED, links=[(RETURN, 1, date(2024, 2, 1), None)]), CAL)
    assert (period.kind, period.start, period.due) == (DueKind.SUPPLEMENTARY, date(2024, 2, 1), date(2024, 3, 1))


def test_an_extension_after_the_second_re_transfer():
    # CPL 175 twice, then CPL 172 extension: back on 04-08 → 05-08, + 15 = 05-23 (Thursday).
    links = [
        (RETURN, 1, date(2024, 1, 25), date(2024, 2, 20)),
        (RETURN, 2, date(2024, 3, 10), date(2024, 4, 8)),
        (EXTENSION, 1, date(2024, 5, 9), date(2024, 5, 23)),
    ]
    period = current_period(facts(links=links), CAL)
    assert (period.start, period.due) == (date(2024, 4, 8), date(2024, 5, 23))


def test_an_extension_before_a_re_transfer_does_not_carry_over():
    # Extension of the first period (02-11..02-25) ends with the return on 03-01; re-transferred
    # 03-20 → 04-20 (Saturday) → 04-22, without 15 days (CPL 175 restarts the period in full).
    links = [
        (EXTENSION, 1, date(2024, 2, 11), date(2024, 2, 25)),
        (RETURN, 1, date(2024, 3, 1), date(2024, 3, 20)),
    ]
    assert current_period(facts(links=links), CAL).due == date(2024, 4, 22)


def test_a_third_return_is_refused():
    # CPL 175 para 3: 补充侦查以二次为限.
    one = facts(links=[(RETURN, 1, date(2024, 1, 25), date(2024, 2, 20))])
    check_new_return(one)
    two = facts(links=[*one.links, (RETURN, 2, date(2024, 3, 10), date(2024, 4, 8))])
    with pytest.raises(PeriodRefused, match="补充侦查以二次为限"):
        check_new_return(two)


def test_a_recorded_third_return_still_gives_the_running_period_and_flags_it():
    # CPL 175 para 3 broken by the record itself: the period still runs from the last re-transfer
    # 05-10 → 06-10 (Monday, 端午 holiday 2024-06-10) → 06-11 (Tuesday), and the explanation says so.
    links = [
        (RETURN, 1, date(2024, 1, 20), date(2024, 2, 5)),
        (RETURN, 2, date(2024, 2, 25), date(2024, 3, 10)),
        (RETURN, 3, date(2024, 4, 1), date(2024, 5, 10)),
    ]
    period = current_period(facts(links=links), CAL)
    assert period.due == date(2024, 6, 11)
    assert Step("第3次退回补充侦查超过二次的限制", "CPL 175; Rule 350") in period.steps


def test_returns_before_and_after_a_change_of_jurisdiction_count_together():
    # Rule 350: one return here, one at the new procuratorate → no third.
    links = [
        (RETURN, 1, date(2024, 1, 20), date(2024, 2, 5)),
        (JURISDICTION, 1, date(2024, 2, 10), date(2024, 2, 15)),
        (RETURN, 1, date(2024, 2, 25), date(2024, 3, 10)),
    ]
    with pytest.raises(PeriodRefused, match="第三百五十条"):
        check_new_return(facts(links=links))


def test_change_of_jurisdiction_restarts_from_the_new_receipt():
    # CPL 172 para 2 / Rule 351 para 2: received at the new procuratorate 01-25 → 02-25 (Sunday) → 02-26.
    period = current_period(facts(links=[(JURISDICTION, 1, date(2024, 1, 20), date(2024, 1, 25))]), CAL)
    assert (period.start, period.due) == (date(2024, 1, 25), date(2024, 2, 26))


def test_a_suspension_link_pushes_the_due_date_back():
    # Rule 222: 2024-05-20 → 06-20, + 10 days (06-01..06-10) = 06-30 (Sunday) → 07-01.
    links = [(SUSPENSION, 1, date(2024, 6, 1), date(2024, 6, 10))]
    assert current_period(facts(received=date(2024, 5, 20), links=links), CAL).due == date(2024, 7, 1)


def test_an_open_suspension_counts_up_to_today():
    # Rule 222: 06-01..06-05 so far (5 days): 06-20 + 5 = 06-25 (Tuesday).
    links = [(SUSPENSION, 1, date(2024, 6, 1), None)]
    period = current_period(facts(received=date(2024, 5, 20), links=links), CAL, today=date(2024, 6, 5))
    assert period.due == date(2024, 6, 25)


@pytest.mark.parametrize(
    ("sentence", "due"),
    [
        # CPL 172 / Rule 273: ≤ 1 year → 10 days: 2024-03-01 + 10 = 03-11 (Monday).
        (LikelySentence.UP_TO_1Y, date(2024, 3, 11)),
        # Over 1 year → 15 days: 03-16 (Saturday) → 03-18.
        (LikelySentence.UP_TO_3Y, date(2024, 3, 18)),
    ],
)
def test_fast_track_case(sentence, due):
    period = current_period(facts(procedure=Procedure.FAST, received=date(2024, 3, 1), likely_sentence=sentence), CAL)
    assert (period.kind, period.due) == (DueKind.FAST, due)


def test_custody_intervals_decide_the_holiday_shift():
    # CPL 105: held from 08-20 with no end → 10-01 stays; released 09-20 → 10-08.
    held = facts(received=date(2024, 9, 1), custody=[(date(2024, 8, 20), None)])
    released = facts(received=date(2024, 9, 1), custody=[(date(2024, 8, 20), date(2024, 9, 20))])
    assert current_period(held, CAL).due == date(2024, 10, 1)
    assert current_period(released, CAL).due == date(2024, 10, 8)


@pytest.mark.django_db
def test_case_facts_reads_links_and_custody(world, django_assert_num_queries):
    case = f.make_case(world.county, received=date(2024, 3, 1))
    suspect = f.make_suspect(case, "周某某")
    CoerciveMeasure.objects.create(suspect=suspect, kind=MeasureKind.DETENTION, start_date=date(2024, 2, 27))
    CoerciveMeasure.objects.create(suspect=suspect, kind=MeasureKind.BAIL, start_date=date(2023, 5, 1))
    ProceduralLink.objects.create(case=case, kind=SUSPENSION, start_date=date(2024, 3, 2), end_date=date(2024, 3, 3))
    with django_assert_num_queries(2):
        built = case_facts(case)
    assert built.custody == ((date(2024, 2, 27), None),)
    assert built.links == ((SUSPENSION, 1, date(2024, 3, 2), date(2024, 3, 3)),)
    assert built.detained_at_receipt is True
    # CPL 172 + Rule 222: 2024-03-01 + 1 month = 04-01, + 2 days = 04-03 (Wednesday).
    assert current_period(built, CAL).due == date(2024, 4, 3)
