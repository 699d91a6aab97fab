"""The investigators' codes and the joint review (复核申请) loop: file → decide → re-score → notify."""

import re
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from bihuan.casecode.actions import (
    DeductionInput,
    InquiryInput,
    do_decide_review,
    do_evaluate,
    do_file_review,
)
from bihuan.casecode.exceptions import CodeRefused
from bihuan.casecode.models import (
    CaseCode,
    Evaluation,
    EvaluationReason,
    InquiryItem,
    ReviewDecision,
    ReviewRequest,
    ReviewStatus,
    ScoreTemplate,
)
from bihuan.casecode.reviews import ClaimDecision, ClaimInput
from bihuan.notifications.models import Notification
from tests import factories as f


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel("2024-03-06 10:00 +0800", tick=False):
        yield


def template_items() -> dict:
    return {i.name: i for i in ScoreTemplate.objects.get(is_active=True).items.all()}


def score(case, actor, points: dict[str, int], *, veto=(), at=None) -> Evaluation:
    """Score `case` deducting `points` per item name, with a 补充侦查提纲 item for each."""
    items = template_items()
    return do_evaluate(
        case,
        actor=actor,
        deductions=[DeductionInput(items[n].pk, Decimal(p), f"{n}证据不足", veto=n in veto) for n, p in points.items()],
        inquiries=[InquiryInput(items[n].pk, f"{n}问题", "目的", "事项", "要求") for n in points],
        evaluated_at=at,
    )


def arrest_case(world, *, agency=None, name="张三丰盗窃案", suspect="张三丰", **fields):
    """A 审查逮捕 case (scored by default) of the county, handled by pros_a, from `agency`."""
    case = f.make_case(
        world.county,
        case_type="arrest_review",
        department=world.county_dept,
        team=world.team_a,
        prosecutor=world.people["pros_a"],
        source_agency=agency or world.people["investigator"].agency,
        name=name,
        **fields,
    )
    f.make_suspect(case, suspect)
    return case


def submit_token(client: Client, url: str) -> str:
    page = client.get(url).content.decode()
    return re.search(r'name="submit_token" value="([^"]+)"', page).group(1)


def deduction_of(evaluation: Evaluation, name: str):
    return evaluation.deductions.get(item__name=name)


# --- what an investigator sees -------------------------------------------------------------------


def test_an_investigator_sees_the_agency_codes_and_no_other_case_data(world):
    investigator = world.people["investigator"]
    ours = arrest_case(world)
    score(ours, world.people["pros_a"], {"主观方面": 10, "因果关系": 5, "前科累犯": 10, "涉案财物": 10})
    unscored = arrest_case(world, name="李某某诈骗案", suspect="李某某")
    other_agency = f.make_agency(world.county)
    theirs = arrest_case(world, agency=other_agency, name="王五抢劫案", suspect="王五")
    score(theirs, world.people["pros_a"], {"主观方面": 5})
    client = Client()
    client.force_login(investigator)

    listing = client.get("/casecode/agency/").content.decode()
    assert ours.dept_case_no in listing and "红码" in listing and "65.0" in listing
    assert theirs.dept_case_no not in listing and unscored.dept_case_no not in listing
    assert "张三丰" not in listing and ours.name not in listing

    detail = client.get(f"/casecode/agency/{ours.pk}/")
    page = detail.content.decode()
    assert detail.status_code == 200
    assert "张某某" in page and "主观方面证据不足" in page and "主观方面问题" in page
    suspect = ours.suspects.get()
    assert "张三丰" not in page and suspect.id_number not in page and ours.name not in page
    # Another agency's code, a case without a code, and the case pages: as if missing.
    assert client.get(f"/casecode/agency/{theirs.pk}/").status_code == 404
    assert client.get(f"/casecode/agency/{unscored.pk}/").status_code == 404
    assert client.get(f"/cases/{ours.pk}/").status_code == 404
    assert client.get(f"/casecode/cases/{ours.pk}/").status_code == 404


def test_a_prosecutor_cannot_open_the_investigators_pages(world):
    case = arrest_case(world)
    score(case, world.people["pros_a"], {"主观方面": 5})
    client = Client()
    client.force_login(world.people["pros_a"])
    assert client.get("/casecode/agency/").status_code == 403
    assert client.get(f"/casecode/agency/{case.pk}/").status_code == 404


# --- the loop end to end -------------------------------------------------------------------------


def test_review_loop_partial_decision_rescores_and_tells_both(world):
    """Red 65 (主观方面 10, 因果关系 5, 前科累犯 10, 涉案财物 10 deducted). The investigator
    disputes three; accept 主观方面 (10 back), partial 因果关系 (3 back), reject 前科累犯:
    deducted 2 + 10 + 10 = 22 → 78, yellow; 主观方面's inquiry item is 销号."""
    investigator, prosecutor = world.people["investigator"], world.people["pros_a"]
    case = arrest_case(world)
    first = score(case, prosecutor, {"主观方面": 10, "因果关系": 5, "前科累犯": 10, "涉案财物": 10})
    assert (first.score, first.colour) == (Decimal(65), "red")

    police = Client()
    police.force_login(investigator)
    url = f"/casecode/agency/{case.pk}/"
    token = submit_token(police, url)
    disputed = {n: deduction_of(first, n) for n in ("主观方面", "因果关系", "前科累犯")}
    data = {f"reason_{d.pk}": f"{n}已有补充证据" for n, d in disputed.items()}
    response = police.post(f"{url}review/", {**data, "submit_token": token, "reason": "证据已补充"})
    assert response.status_code == 302
    review = ReviewRequest.objects.get(case=case)
    assert review.status == ReviewStatus.PENDING and review.evaluation == first
    assert review.claims.count() == 3
    assert Notification.objects.filter(recipient=prosecutor, title__contains="复核申请").exists()
    assert "待评议" in police.get(url).content.decode()

    office = Client()
    office.force_login(prosecutor)
    case_page = office.get(f"/cases/{case.pk}/").content.decode()
    assert "待评议的复核申请" in case_page and "主观方面已有补充证据" in case_page
    workbench = office.get("/").content.decode()
    assert "待评议的复核申请" in workbench
    claims = {c.deduction.item.name: c for c in review.claims.select_related("deduction__item")}
    token = re.search(r'name="submit_token" value="([^"]+)"', case_page).group(1)
    decision = {
        "submit_token": token,
        "agreed_by": investigator.pk,
        "reason": "检警共同评议",
        f"decision_{claims['主观方面'].pk}": "accept",
        f"reason_{claims['主观方面'].pk}": "补充了供述",
        f"decision_{claims['因果关系'].pk}": "partial",
        f"restored_{claims['因果关系'].pk}": "3",
        f"reason_{claims['因果关系'].pk}": "部分补正",
        f"decision_{claims['前科累犯'].pk}": "reject",
        f"reason_{claims['前科累犯'].pk}": "仍未调取前科材料",
    }
    response = office.post(f"/casecode/cases/{case.pk}/review/decide/", decision)
    assert response.status_code == 302

    review.refresh_from_db()
    assert review.status == ReviewStatus.DECIDED and review.decision == ReviewDecision.PARTIAL
    assert review.agreed_by == investigator and review.decided_by == prosecutor
    result = review.result
    assert result.reason == EvaluationReason.REVIEW and result.seq == 2
    assert (result.score, result.colour) == (Decimal(78), "yellow")
    assert {d.item.name: d.points for d in result.deductions.all()} == {
        "因果关系": Decimal(2),
        "前科累犯": Decimal(10),
        "涉案财物": Decimal(10),
    }
    code = CaseCode.objects.get(case=case)
    assert (code.score, code.colour, code.current) == (Decimal(78), "yellow", result)
    closed = InquiryItem.objects.get(case=case, item__name="主观方面")
    assert closed.closed_in == result
    assert InquiryItem.objects.filter(case=case, closed_in=None).count() == 3
    for person in (prosecutor, investigator):
        assert Notification.objects.filter(recipient=person, title__contains="复核结果").exists()
    told = Notification.objects.get(recipient=investigator, title__contains="复核结果")
    assert told.url == url and "部分采纳" in told.title and "78" in told.title
    assert "78.0" in police.get(url).content.decode()


def _filed(world, points, disputed, case=None):
    case = case or arrest_case(world)
    evaluation = score(case, world.people["pros_a"], points)
    claims = [ClaimInput(deduction_of(evaluation, n).pk, f"{n}异议") for n in disputed]
    return do_file_review(case, actor=world.people["investigator"], claims=claims)


def _decide(world, review, decisions: dict[str, tuple[str, int]]):
    claims = {c.deduction.item.name: c for c in review.claims.select_related("deduction__item")}
    return do_decide_review(
        review,
        actor=world.people["pros_a"],
        decisions=[ClaimDecision(claims[n].pk, d, "评议理由", Decimal(r)) for n, (d, r) in decisions.items()],
        agreed_by=world.people["investigator"],
    )


def test_accepting_every_claim_restores_all_points_and_turns_green(world):
    review = _filed(world, {"主观方面": 10, "因果关系": 5}, ["主观方面", "因果关系"])
    review = _decide(world, review, {"主观方面": ("accept", 0), "因果关系": ("accept", 0)})
    assert review.decision == ReviewDecision.ACCEPT
    assert (review.result.score, review.result.colour) == (Decimal(100), "green")
    assert not InquiryItem.objects.filter(case=review.case, closed_in=None).exists()


def test_rejecting_every_claim_keeps_the_score(world):
    review = _filed(world, {"主观方面": 10, "因果关系": 5}, ["主观方面"])
    review = _decide(world, review, {"主观方面": ("reject", 0)})
    assert review.decision == ReviewDecision.REJECT and review.result is None
    assert Evaluation.objects.filter(case=review.case).count() == 1
    assert CaseCode.objects.get(case=review.case).score == Decimal(85)
    assert Notification.objects.filter(recipient=world.people["investigator"], title__contains="不予采纳").exists()


def test_an_accepted_veto_claim_lifts_the_veto(world):
    case = arrest_case(world)
    evaluation = score(case, world.people["pros_a"], {"主体身份": 2}, veto=["主体身份"])
    assert evaluation.colour == "red"
    claims = [ClaimInput(deduction_of(evaluation, "主体身份").pk, "身份已查明")]
    review = do_file_review(case, actor=world.people["investigator"], claims=claims)
    review = _decide(world, review, {"主体身份": ("accept", 0)})
    assert (review.result.score, review.result.colour, review.result.vetoed) == (Decimal(100), "green", False)


@pytest.mark.parametrize(
    ("decisions", "message"),
    [
        ({"主观方面": ("partial", 10)}, "部分采纳时，恢复分值应大于 0 且小于原扣分"),
        ({"主观方面": ("partial", 0)}, "部分采纳时，恢复分值应大于 0 且小于原扣分"),
        ({"主观方面": ("maybe", 0)}, "评议结果无效"),
        ({}, "请对每个复核事项作出评议结果"),
    ],
)
def test_a_bad_decision_is_refused_and_writes_nothing(world, decisions, message):
    review = _filed(world, {"主观方面": 10}, ["主观方面"])
    with pytest.raises(CodeRefused, match=message):
        _decide(world, review, decisions)
    review.refresh_from_db()
    assert review.status == ReviewStatus.PENDING and Evaluation.objects.filter(case=review.case).count() == 1


def test_the_joint_decision_needs_an_investigator_of_the_agency(world):
    review = _filed(world, {"主观方面": 10}, ["主观方面"])
    stranger = f.make_person(["investigator"], agency=f.make_agency(world.county))
    with pytest.raises(CodeRefused, match="共同评议的侦查人员须为移送单位的侦查人员"):
        do_decide_review(
            review,
            actor=world.people["pros_a"],
            decisions=[ClaimDecision(review.claims.get().pk, "accept", "理由")],
            agreed_by=stranger,
        )


def test_one_pending_review_per_case_and_only_the_agency_files(world):
    review = _filed(world, {"主观方面": 10, "因果关系": 5}, ["主观方面"])
    deduction = deduction_of(review.evaluation, "因果关系")
    with pytest.raises(CodeRefused, match="已有待评议的复核申请"):
        do_file_review(review.case, actor=world.people["investigator"], claims=[ClaimInput(deduction.pk, "异议")])
    stranger = f.make_person(["investigator"], agency=f.make_agency(world.county))
    with pytest.raises(CodeRefused, match="仅移送单位的侦查人员"):
        do_file_review(review.case, actor=stranger, claims=[ClaimInput(deduction.pk, "异议")])
    with pytest.raises(CodeRefused, match="仅移送单位的侦查人员"):
        do_file_review(review.case, actor=world.people["pros_a"], claims=[ClaimInput(deduction.pk, "异议")])


def test_a_claim_needs_a_reason_and_a_deduction_of_the_current_evaluation(world):
    case = arrest_case(world)
    old = score(case, world.people["pros_a"], {"主观方面": 10})
    current = score(case, world.people["pros_a"], {"主观方面": 8})
    investigator = world.people["investigator"]
    with pytest.raises(CodeRefused, match="当前评分中的扣分项"):
        do_file_review(case, actor=investigator, claims=[ClaimInput(deduction_of(old, "主观方面").pk, "异议")])
    with pytest.raises(CodeRefused, match="请写明对“主观方面”扣分的异议理由"):
        do_file_review(case, actor=investigator, claims=[ClaimInput(deduction_of(current, "主观方面").pk, " ")])
    with pytest.raises(CodeRefused, match="至少选择一个"):
        do_file_review(case, actor=investigator, claims=[])


def test_only_the_handler_decides(world):
    review = _filed(world, {"主观方面": 10}, ["主观方面"])
    client = Client()
    client.force_login(world.people["head"])
    assert client.post(f"/casecode/cases/{review.case.pk}/review/decide/", {}).status_code == 403


# --- the investigators are told of every scoring ------------------------------------------------


def _updates(person) -> list[Notification]:
    return list(Notification.objects.filter(recipient=person, title__startswith="案件码更新").order_by("pk"))


def test_every_scoring_tells_the_agency_investigators_but_not_a_review_rescoring(world):
    investigator, prosecutor = world.people["investigator"], world.people["pros_a"]
    colleague = f.make_person(["investigator"], agency=investigator.agency)
    stranger = f.make_person(["investigator"], agency=f.make_agency(world.county))
    case = arrest_case(world)
    first = score(case, prosecutor, {"主观方面": 10, "因果关系": 5, "前科累犯": 10, "涉案财物": 10})  # 65, red
    score(case, prosecutor, {"主观方面": 10})  # 90, green
    no = case.dept_case_no
    expected = [f"案件码更新：{no} 第1次评分 65.0分（红码）", f"案件码更新：{no} 第2次评分 90.0分（绿码）"]
    for person in (investigator, colleague):
        told = _updates(person)
        assert [n.title for n in told] == expected
        assert {n.url for n in told} == {f"/casecode/agency/{case.pk}/"} and {n.case_id for n in told} == {case.pk}
    assert _updates(stranger) == [] and _updates(prosecutor) == []
    assert first.seq == 1

    # A review decision re-scores (第3次), and its own 复核结果 notification is the one they get.
    current = CaseCode.objects.get(case=case).current
    claims = [ClaimInput(deduction_of(current, "主观方面").pk, "已补充")]
    review = do_file_review(case, actor=investigator, claims=claims)
    review = _decide(world, review, {"主观方面": ("accept", 0)})
    assert review.result.seq == 3
    assert len(_updates(investigator)) == 2
    assert Notification.objects.filter(recipient=investigator, title__contains="复核结果").count() == 1


def test_scoring_a_case_without_a_source_agency_tells_no_investigator(world):
    case = f.make_case(
        world.county,
        case_type="arrest_review",
        department=world.county_dept,
        team=world.team_a,
        prosecutor=world.people["pros_a"],
    )
    assert case.source_agency_id is None
    score(case, world.people["pros_a"], {"主观方面": 10})
    assert not Notification.objects.filter(title__startswith="案件码更新").exists()


def test_the_agency_page_masks_the_suspects_names_in_the_decision_reasons(world):
    case = arrest_case(world)  # suspect 张三丰
    review = _filed(world, {"主观方面": 10}, ["主观方面"], case=case)
    claim = review.claims.get()
    do_decide_review(
        review,
        actor=world.people["pros_a"],
        decisions=[ClaimDecision(claim.pk, "reject", "张三丰的供述仍前后矛盾")],
        agreed_by=world.people["investigator"],
        reason="经共同评议，张三丰主观方面证据仍不足",
    )
    police = Client()
    police.force_login(world.people["investigator"])
    page = police.get(f"/casecode/agency/{case.pk}/").content.decode()
    assert "张某某的供述仍前后矛盾" in page and "综合评议意见：经共同评议，张某某主观方面证据仍不足" in page
    assert "张三丰" not in page
    # Only what is shown is masked: the record keeps the texts as written.
    review.refresh_from_db()
    assert review.decision_reason == "经共同评议，张三丰主观方面证据仍不足"
    assert review.claims.get().decision_reason == "张三丰的供述仍前后矛盾"
