"""The case-code colour as a triage feature: the colour of the matter's current code (the case's own,
else that of a case with the same 统一受案号), "none" when never scored; the triage rules then
send green to the simple track and yellow/red to the careful one, with no special code."""

from decimal import Decimal

import pytest

from bihuan.casecode.actions import DeductionInput, InquiryInput, active_template, do_evaluate
from bihuan.cases.models import Tag
from bihuan.triage.actions import do_triage
from bihuan.triage.features import FEATURES, case_features, case_features_many
from bihuan.triage.models import TriageRule
from tests import factories as f


@pytest.fixture
def arrest(world):
    """The 审查逮捕 case of a matter, scored by pros_a."""
    return f.make_case(
        world.county,
        department=world.county_dept,
        team=world.team_a,
        prosecutor=world.people["pros_a"],
        case_type="arrest_review",
        name="周某某盗窃案",
    )


def prosecution_of(world, arrest):
    """The same matter coming for 审查起诉: a new case with the matter's 统一受案号."""
    return f.make_case(
        world.county, department=world.county_dept, name="周某某盗窃案", unified_case_no=arrest.unified_case_no
    )


def score(world, case, points: int, veto: bool = False):
    item = active_template().items.get(name="客观行为与危害结果")
    cuts = [DeductionInput(item.pk, Decimal(points), "身份证明不全", veto)] if points or veto else []
    inquiries = [InquiryInput(item.pk, "问题", "目的", "事项", "要求")] if cuts else []
    return do_evaluate(case, actor=world.people["pros_a"], deductions=cuts, inquiries=inquiries)


def test_the_feature_is_registered():
    feature = FEATURES["case_code"]
    assert feature.label == "案件码颜色"
    assert feature.values() == {"red": "红码", "yellow": "黄码", "green": "绿码", "none": "未赋码"}


def test_the_colour_of_the_matter(world, arrest):
    later = prosecution_of(world, arrest)
    assert case_features(later)["case_code"] == "none"
    assert case_features(arrest)["case_code"] == "none"
    score(world, arrest, 0, veto=True)
    assert case_features(later)["case_code"] == "red"
    score(world, arrest, 15)  # re-evaluated: 85, yellow — the current code counts
    found = case_features_many([arrest.pk, later.pk, world.case_b.pk])
    colours = {k: v["case_code"] for k, v in found.items()}
    assert colours == {arrest.pk: "yellow", later.pk: "yellow", world.case_b.pk: "none"}
    # The case's own code comes first.
    world.case_b.tags.add(Tag.objects.get(name="提前介入"))  # the tag ships with the app
    score(world, world.case_b, 0)
    assert case_features(world.case_b)["case_code"] == "green"


def test_the_suggested_rules_decide_the_track(world, arrest):
    """The default rules shipped in the report: green → 简案; yellow/red → 繁案."""
    for position, (name, op, value, outcome) in enumerate(
        [("绿码案件快办", "eq", "green", "simple"), ("红黄码案件精办", "in", ["yellow", "red"], "complex")]
    ):
        rule = TriageRule(
            kind="track",
            position=position,
            name=name,
            explanation="案件码",
            conditions=[{"feature": "case_code", "op": op, "value": value}],
            outcome=outcome,
        )
        rule.full_clean()
        rule.save()
    later = prosecution_of(world, arrest)
    score(world, arrest, 0)
    track, _ = do_triage(later, None)
    assert (track.outcome, track.rule_name, track.features["case_code"]) == ("simple", "绿码案件快办", "green")
    score(world, arrest, 15)
    later.refresh_from_db()
    track, _ = do_triage(later, None)
    assert (track.outcome, track.rule_name) == ("complex", "红黄码案件精办")
