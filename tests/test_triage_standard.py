"""The default triage standard and risk rules, rule editing, and manual risk overrides."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from bihuan.cases.actions import StaleCase
from bihuan.cases.models import Case
from bihuan.events.models import Event
from bihuan.triage.actions import TriageError, do_override_risk, do_triage
from bihuan.triage.features import case_features, case_features_many
from bihuan.triage.models import RiskOverride, TriageDecision, TriageRule
from tests.triage_helpers import make_triage_case

TRACK_CASES = [
    # (facts, track, deciding rule)
    ({"tags": ("涉黑涉恶",)}, "complex", "涉黑涉恶案件"),
    ({"tags": ("重大敏感",), "procedure": "fast"}, "complex", "重大敏感案件"),
    ({"is_major_complex": True}, "complex", "重大复杂案件"),
    ({"suspects": 2, "plea": True, "likely_sentence": "le1"}, "complex", "共同犯罪案件"),
    ({"charge": "盗窃罪", "likely_sentence": "lt10"}, "complex", "可能判处三年以上有期徒刑"),
    ({"charge": "非法经营罪", "procedure": "fast", "plea": True}, "simple", "速裁程序案件"),
    ({"charge": "职务侵占罪", "plea": True, "likely_sentence": "le3"}, "simple", "认罪认罚轻罪案件"),
    ({"charge": "故意伤害罪", "likely_sentence": "le3"}, "simple", "故意伤害（轻伤）案件"),
    ({"charge": "故意伤害罪"}, "complex", "其他案件"),
    ({"charge": "危险驾驶罪"}, "simple", "简案类别罪名"),
    ({"charge": "帮助信息网络犯罪活动罪", "likely_sentence": "le1"}, "simple", "简案类别罪名"),
    ({"charge": "抢劫罪"}, "complex", "其他案件"),
    ({"charge": None}, "complex", "其他案件"),
]


@pytest.mark.parametrize(("facts", "track", "rule"), TRACK_CASES)
def test_each_default_track_rule_decides_with_its_name(world, facts, track, rule):
    case = make_triage_case(world, **facts)
    do_triage(case, world.people["cm"])
    case.refresh_from_db()
    assert case.track == track
    decision = TriageDecision.objects.get(case=case, kind="track")
    assert (decision.outcome, decision.rule_name) == (track, rule)
    assert decision.rule_explanation == TriageRule.objects.get(kind="track", name=rule).explanation


RISK_CASES = [
    ({"tags": ("涉黑涉恶",)}, "high", "涉黑涉恶"),
    ({"tags": ("重大敏感",)}, "high", "重大敏感"),
    ({"tags": ("群体性",)}, "high", "群体性事件"),
    ({"minor": True, "plea": True}, "high", "涉未成年人"),
    ({"tags": ("政协委员",)}, "high", "涉人大代表、政协委员"),
    ({"likely_sentence": "ge10", "plea": True}, "high", "可能判处十年以上有期徒刑"),
    ({"custody": True}, "medium", "在押且不认罪认罚"),
    ({"suspects": 3, "plea": True}, "medium", "共同犯罪"),
    ({"likely_sentence": "lt10", "plea": True}, "medium", "可能判处三年以上有期徒刑"),
    ({"custody": True, "plea": True}, "low", "其他案件"),
    ({}, "low", "其他案件"),
]


@pytest.mark.parametrize(("facts", "level", "rule"), RISK_CASES)
def test_each_default_risk_rule_decides_with_its_name(world, facts, level, rule):
    case = make_triage_case(world, **facts)
    do_triage(case, None)
    case.refresh_from_db()
    assert case.risk_level == level
    assert TriageDecision.objects.get(case=case, kind="risk").rule_name == rule


def test_the_default_standard_names_only_catalogue_charges_and_existing_tags(db):
    for rule in TriageRule.objects.all():
        rule.full_clean()
    simple = TriageRule.objects.get(kind="track", name="简案类别罪名").conditions[0]["value"]
    # With 故意伤害（轻伤）, the seed's 24 categories of simple cases.
    assert len(simple) + 1 == 24


def test_features_of_many_cases_match_those_of_each(world):
    cases = [
        make_triage_case(world, suspects=2, plea=True, custody=True, tags=("群体性",)),
        make_triage_case(world, charge="故意伤害罪", minor=True, custody=True),
        make_triage_case(world, charge=None, suspects=0),
    ]
    many = case_features_many([c.pk for c in cases])
    assert many == {c.pk: case_features(c) for c in cases}
    first, second, third = (many[c.pk] for c in cases)
    assert (first["suspect_count"], first["all_plea"], first["custody_count"]) == (2, True, 2)
    assert first["tags"] == ["群体性"]
    assert (second["has_minor"], second["custody_without_plea"], second["main_charge"]) == (True, True, "故意伤害罪")
    assert (third["suspect_count"], third["all_plea"], third["charges"]) == (0, False, [])


def test_an_edited_rule_changes_new_results_but_never_past_ones(world):
    before = make_triage_case(world, charge="危险驾驶罪")
    do_triage(before, None)
    rule = TriageRule.objects.get(kind="track", name="简案类别罪名")
    rule.name = "简案类别罪名（修订）"
    rule.conditions = [{"feature": "main_charge", "op": "in", "value": ["盗窃罪"]}]
    rule.full_clean()
    rule.save()

    after = make_triage_case(world, charge="危险驾驶罪")
    do_triage(after, None)
    after.refresh_from_db()
    assert after.track == "complex"
    assert TriageDecision.objects.get(case=after, kind="track").rule_name == "其他案件"
    past = TriageDecision.objects.get(case=before, kind="track")
    assert (past.outcome, past.rule_name, past.rule_id) == ("simple", "简案类别罪名", rule.pk)
    assert Case.objects.get(pk=before.pk).track == "simple"

    theft = make_triage_case(world, charge="盗窃罪")
    do_triage(theft, None)
    assert TriageDecision.objects.get(case=theft, kind="track").rule_name == "简案类别罪名（修订）"


def test_an_inactive_rule_is_skipped(world):
    TriageRule.objects.filter(kind="track", name="简案类别罪名").update(is_active=False)
    case = make_triage_case(world, charge="危险驾驶罪")
    do_triage(case, None)
    assert TriageDecision.objects.get(case=case, kind="track").rule_name == "其他案件"


def test_without_any_matching_rule_the_case_is_complex_and_low_risk(world):
    TriageRule.objects.all().delete()
    case = make_triage_case(world)
    do_triage(case, None)
    case.refresh_from_db()
    assert (case.track, case.risk_level) == ("complex", "low")
    assert TriageDecision.objects.get(case=case, kind="track").rule_name == "默认结果（繁案）"


@pytest.mark.parametrize(
    ("conditions", "outcome", "message"),
    [
        ([{"feature": "no_such", "op": "eq", "value": 1}], "simple", "未知的要素"),
        ([{"feature": "suspect_count", "op": "contains_any", "value": [1]}], "simple", "不能使用运算符"),
        ([{"feature": "suspect_count", "op": "gt", "value": "1"}], "simple", "取值类型不正确"),
        ([{"feature": "all_plea", "op": "eq", "value": 1}], "simple", "取值类型不正确"),
        ([{"feature": "main_charge", "op": "in", "value": ["酒驾罪"]}], "simple", "没有这些取值"),
        ([{"feature": "tags", "op": "contains_any", "value": []}], "simple", "非空列表"),
        ([{"feature": "procedure", "op": "eq"}], "simple", "feature、op、value"),
        ({"feature": "procedure"}, "simple", "条件必须是列表"),
        ([], "high", "结果只能是"),
    ],
)
def test_a_bad_rule_is_refused_with_a_reason(db, conditions, outcome, message):
    rule = TriageRule(kind="track", position=1, name="试验", explanation="试验", conditions=conditions, outcome=outcome)
    with pytest.raises(ValidationError) as caught:
        rule.full_clean()
    assert message in str(caught.value)


def test_the_administrator_edits_a_rule_in_the_admin_and_it_is_audited(client, world):
    client.force_login(world.people["sysadmin"])
    rule = TriageRule.objects.get(kind="track", name="共同犯罪案件")
    url = reverse("admin:triage_triagerule_change", args=[rule.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "suspect_count" in page.content.decode()  # the feature reference
    data = {
        "kind": "track",
        "position": rule.position,
        "name": "共同犯罪案件（三人以上）",
        "explanation": rule.explanation,
        "outcome": "complex",
        "is_active": "on",
    }
    bad = client.post(url, {**data, "conditions": '[{"feature": "suspect_count", "op": "gt", "value": "两"}]'})
    assert bad.status_code == 200
    assert "取值类型不正确" in bad.content.decode()
    good = client.post(url, {**data, "conditions": '[{"feature": "suspect_count", "op": "gt", "value": 2}]'})
    assert good.status_code == 302
    rule.refresh_from_db()
    assert rule.conditions == [{"feature": "suspect_count", "op": "gt", "value": 2}]
    assert Event.objects.filter(action="config.update", object_id=str(rule.pk)).exists()


def test_a_manual_override_needs_a_reason_is_audited_and_survives_a_rerun(world):
    case = make_triage_case(world)
    do_triage(case, None)
    head = world.people["head"]
    with pytest.raises(TriageError):
        do_override_risk(case, "high", "  ", head, case.row_version)
    assert not RiskOverride.objects.exists()

    override = do_override_risk(case, "high", "被害人多次信访", head, case.row_version)
    case.refresh_from_db()
    assert case.risk_level == "high"
    assert (override.previous_level, override.by) == ("low", head)
    event = Event.objects.get(action="triage.override_risk", case_id=case.pk)
    assert "被害人多次信访" in event.summary
    assert event.changes == {"risk_level": ["low", "high"]}

    do_triage(case, None)
    case.refresh_from_db()
    assert case.risk_level == "high"
    assert TriageDecision.objects.filter(case=case, kind="risk").first().outcome == "low"


def test_a_stale_version_is_refused_and_writes_nothing(world):
    case = make_triage_case(world)
    seen = case.row_version
    do_triage(case, None)
    events = Event.objects.count()
    with pytest.raises(StaleCase):
        do_override_risk(case, "high", "理由", world.people["head"], seen)
    with pytest.raises(StaleCase):
        do_triage(case, None, expected_version=seen)
    assert Event.objects.count() == events
    assert not RiskOverride.objects.exists()
    assert TriageDecision.objects.filter(case=case).count() == 2


def test_the_command_triages_many_cases_as_one_by_one_would(world):
    """`bihuan triage` (set-based) gives every case the result and rule of do_triage."""
    facts = [facts for facts, _, _ in TRACK_CASES] + [facts for facts, _, _ in RISK_CASES]
    batch = [make_triage_case(world, **f) for f in facts]
    single = [make_triage_case(world, **f) for f in facts]
    do_override_risk(batch[-1], "high", "信访风险", world.people["head"], batch[-1].row_version)
    do_override_risk(single[-1], "high", "信访风险", world.people["head"], single[-1].row_version)
    for case in single:
        do_triage(Case.objects.get(pk=case.pk), None)
    out = StringIO()
    call_command("triage", "--org", world.county.code, stdout=out)
    # The batch, and the world's two county cases that nobody triaged yet.
    assert f"完成：共分流 {len(batch) + 2} 件案件。" in out.getvalue()

    def results(cases):
        rows = []
        for case in cases:
            fresh = Case.objects.get(pk=case.pk)
            names = [d.rule_name for d in TriageDecision.objects.filter(case=case).order_by("kind")]
            rows.append((fresh.track, fresh.risk_level, names))
        return rows

    assert results(batch) == results(single)
    assert Case.objects.get(pk=batch[-1].pk).risk_level == "high"
    assert Event.objects.filter(action="triage.run", case_id=batch[0].pk).count() == 1
    # Already triaged: a second run without --all has nothing to do.
    out = StringIO()
    call_command("triage", "--org", world.county.code, stdout=out)
    assert "共分流 0 件" in out.getvalue()
