"""Scoring a case (案件码, domain-rules §7.4): the colour boundaries, the deductions that are
refused, the 补充侦查提纲 required for a non-green code and its 销号, the history and dates, and
who may score."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404

from bihuan.casecode.access import access_scoring_case, may_score
from bihuan.casecode.actions import DeductionInput, InquiryInput, active_template, do_evaluate
from bihuan.casecode.exceptions import CodeRefused
from bihuan.casecode.models import CaseCode, Colour, Evaluation, EvaluationReason, InquiryItem, OfficeSetting
from bihuan.events.models import Event
from tests.casecode_helpers import NOW, arrest_case


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(world):
    """A 审查逮捕 case of team A handled by pros_a: it takes a code."""
    return arrest_case(world)


def item(name: str):
    return active_template().items.get(name=name)


def cut(name: str, points, reason: str = "证据不足", veto: bool = False) -> DeductionInput:
    return DeductionInput(item(name).pk, Decimal(str(points)), reason, veto)


def inquiry(name: str, problem: str = "身份未核实") -> InquiryInput:
    return InquiryInput(item(name).pk, problem, "查明身份", "调取户籍资料", "十日内补充")


def inquiries_for(deductions: list[DeductionInput]) -> list[InquiryInput]:
    return [InquiryInput(d.item_id, "问题", "目的", "事项", "要求") for d in deductions]


def evaluate(case, world, deductions, inquiries=None, **kw):
    if inquiries is None:
        inquiries = inquiries_for(deductions)
    return do_evaluate(case, actor=world.people["pros_a"], deductions=deductions, inquiries=inquiries, **kw)


# Default table: 主体身份 10, 刑事责任能力与年龄 10, 主观方面 10, 客观行为与危害结果 15, 因果关系 5 …
BOUNDARIES = [
    # deductions → score, colour (red below 70, green from 90)
    ([("主体身份", 10), ("刑事责任能力与年龄", 10), ("主观方面", 10), ("因果关系", "0.1")], "69.9", "red"),
    ([("主体身份", 10), ("刑事责任能力与年龄", 10), ("主观方面", 10)], "70", "yellow"),
    ([("主体身份", 10), ("因果关系", "0.1")], "89.9", "yellow"),
    ([("主体身份", 10)], "90", "green"),
    ([], "100", "green"),
]


@pytest.mark.parametrize(("cuts", "score", "colour"), BOUNDARIES)
def test_colour_boundaries(world, case, cuts, score, colour):
    evaluation = evaluate(case, world, [cut(name, points) for name, points in cuts])
    assert (evaluation.score, evaluation.colour) == (Decimal(score), colour)
    code = CaseCode.objects.get(case=case)
    assert (code.score, code.colour, code.current) == (Decimal(score), colour, evaluation)


def test_a_veto_at_full_marks_is_red(world, case):
    evaluation = evaluate(case, world, [cut("主体身份", 0, "身份不明，无法核实", veto=True)])
    assert (evaluation.score, evaluation.colour, evaluation.vetoed) == (Decimal(100), Colour.RED, True)


@pytest.mark.parametrize(
    ("deductions", "message"),
    [
        ([("主体身份", 11, "超过分值", False)], "“主体身份”扣分应在 0 至 10.0 分之间。"),
        ([("主体身份", -1, "负数", False)], "“主体身份”扣分应在 0 至 10.0 分之间。"),
        ([("主观方面", 0, "无否决情形", True)], "“主观方面”不设一票否决。"),
        ([("主体身份", 0, "未扣分", False)], "“主体身份”未扣分，无需填写。"),
        ([("主体身份", 2, "  ", False)], "“主体身份”扣分须写明理由。"),
        ([("主体身份", 2, "一", False), ("主体身份", 1, "二", False)], "“主体身份”重复扣分。"),
    ],
)
def test_deductions_refused(world, case, deductions, message):
    cuts = [cut(name, points, reason, veto) for name, points, reason, veto in deductions]
    with pytest.raises(CodeRefused) as refused:
        evaluate(case, world, cuts, inquiries=[])
    assert str(refused.value) == message
    assert not Evaluation.objects.filter(case=case).exists()


def test_an_item_of_another_template_is_refused(world, case):
    from bihuan.casecode.actions import do_copy_template

    old = active_template().items.get(name="主体身份")
    copy = do_copy_template(active_template(), actor=world.people["sysadmin"])
    other = copy.items.get(name="主体身份")
    assert old.pk != other.pk
    with pytest.raises(CodeRefused, match="扣分项不属于当前评分表"):
        evaluate(case, world, [DeductionInput(other.pk, Decimal(1), "理由")])


def test_a_non_green_code_needs_an_inquiry_item_for_every_deduction(world, case):
    cuts = [cut("主体身份", 10), cut("主观方面", 10), cut("因果关系", 5)]
    with pytest.raises(CodeRefused) as refused:
        evaluate(case, world, cuts, inquiries=[inquiry("主体身份")])
    assert str(refused.value) == "非绿码案件须为每个扣分项列明补充侦查提纲：主观方面、因果关系。"
    # An inquiry item must be complete and name an item deducted this time.
    with pytest.raises(CodeRefused, match="须写明问题、目的、事项和要求"):
        evaluate(case, world, cuts, inquiries=[InquiryInput(item("主体身份").pk, "问题", "", "事项", "要求")])
    with pytest.raises(CodeRefused, match="须对应本次扣分的评分项"):
        evaluate(case, world, [cut("主体身份", 10)], inquiries=[inquiry("前科累犯")])
    # A green code needs none.
    assert evaluate(case, world, [cut("主体身份", 5)], inquiries=[]).colour == Colour.GREEN


def test_reevaluation_keeps_open_items_and_closes_restored_ones(world, case):
    with time_machine.travel("2024-03-06 10:00 +0800", tick=False):
        first = evaluate(case, world, [cut("主体身份", 10), cut("主观方面", 10), cut("因果关系", 5)])
    assert first.colour == Colour.YELLOW and first.reason == EvaluationReason.FIRST
    assert InquiryItem.objects.filter(case=case, closed_in=None).count() == 3
    code = CaseCode.objects.get(case=case)
    assert (code.first_non_green_on, code.reevaluate_by) == (date(2024, 3, 6), date(2024, 3, 21))

    # 主观方面 restored; 主体身份 still deducted: its open item covers it, no new one needed.
    with time_machine.travel("2024-03-13 10:00 +0800", tick=False):
        second = evaluate(case, world, [cut("主体身份", 10), cut("因果关系", 5)], inquiries=[])
    assert (second.seq, second.score, second.reason) == (2, Decimal(85), EvaluationReason.REEVALUATION)
    open_names = set(InquiryItem.objects.filter(case=case, closed_in=None).values_list("item__name", flat=True))
    assert open_names == {"主体身份", "因果关系"}
    assert InquiryItem.objects.get(case=case, item__name="主观方面").closed_in == second

    with time_machine.travel("2024-03-20 10:00 +0800", tick=False):
        third = evaluate(case, world, [], inquiries=[])
    assert third.colour == Colour.GREEN
    assert not InquiryItem.objects.filter(case=case, closed_in=None).exists()
    code.refresh_from_db()
    assert (code.turned_green_on, code.reevaluate_by, code.first_evaluated_on) == (
        date(2024, 3, 20),
        None,
        date(2024, 3, 6),
    )
    # Every evaluation is kept, with its own score and colour (转码 history).
    assert list(Evaluation.objects.filter(case=case).values_list("seq", "colour")) == [
        (1, "yellow"),
        (2, "yellow"),
        (3, "green"),
    ]
    event = Event.objects.filter(action="casecode.evaluate").last()
    assert event.case_id == case.pk and "销号补充侦查提纲事项 2 项" in event.summary


def test_red_is_due_again_in_seven_days(world, case):
    evaluate(case, world, [cut("主体身份", 0, "身份不明", veto=True)])
    assert CaseCode.objects.get(case=case).reevaluate_by == date(2024, 3, 13)


def test_which_cases_take_a_code(world, case):
    ordinary = world.case_a  # 审查起诉, not tagged 提前介入
    with pytest.raises(CodeRefused, match="不适用案件码评分"):
        do_evaluate(ordinary, actor=world.people["pros_a"], deductions=[])
    assert not may_score(world.people["pros_a"], ordinary)
    OfficeSetting.objects.create(org=world.county, all_cases=True)
    assert may_score(world.people["pros_a"], ordinary)
    assert do_evaluate(ordinary, actor=world.people["pros_a"], deductions=[]).colour == Colour.GREEN


def test_early_involvement_cases_take_a_code(world):
    from bihuan.cases.models import Tag

    case = world.case_b
    assert not may_score(world.people["pros_b"], case)
    case.tags.add(Tag.objects.get_or_create(name="提前介入")[0])
    assert may_score(world.people["pros_b"], case)


@pytest.mark.parametrize(
    ("role", "scores"),
    [
        ("pros_a", True),  # the handling prosecutor
        ("assistant_a", True),  # an assistant of the handling team
        ("pros_a2", False),  # same team, not the handler
        ("head", False),
        ("chief", False),
        ("cm", False),
    ],
)
def test_only_the_handler_scores(world, case, role, scores):
    user = world.people[role]
    assert may_score(user, case) is scores
    if scores:
        assert access_scoring_case(user, case.pk, for_write=True) == case
    else:
        with pytest.raises(PermissionDenied):
            access_scoring_case(user, case.pk, for_write=True)


@pytest.mark.parametrize("role", ["pros_b", "clerk_b", "other_chief", "investigator", "sysadmin"])
def test_out_of_scope_is_not_found(world, case, role):
    with pytest.raises(Http404):
        access_scoring_case(world.people[role], case.pk)
