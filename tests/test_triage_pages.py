"""The triage pages: the case card and its forms, the 分案台账, the 快审 queue, bulk reassignment,
workloads and pauses, the standard page, the workbench panel and the menu."""

import secrets

import pytest
from django.urls import reverse

from bihuan.cases.models import Case
from bihuan.events.models import Event
from bihuan.triage.actions import do_designate, do_pause_assignment, do_reassign, do_triage
from bihuan.triage.models import Assignment, AssignmentPause, RiskOverride
from bihuan.web.submit import FIELD, SESSION_KEY
from tests.triage_helpers import make_triage_case


def login(client, world, role: str):
    client.force_login(world.people[role])
    return client


def token(client) -> str:
    """A once-only submit token, as the form page would have issued it."""
    value = secrets.token_urlsafe(8)
    session = client.session
    session[SESSION_KEY] = [*session.get(SESSION_KEY, []), value]
    session.save()
    return value


def post(client, name: str, case: Case | None = None, **data):
    url = reverse(f"triage:{name}", args=[case.pk] if case else [])
    return client.post(url, {FIELD: token(client), **data}, follow=True)


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_case_card_shows_the_rules_that_decided(client, world):
    case = make_triage_case(world, charge="危险驾驶罪", tags=("群体性",))
    do_triage(case, None)
    page = login(client, world, "head").get(case.get_absolute_url()).content.decode()
    assert "繁简分流" in page
    assert "简案类别罪名" in page and "常见轻罪" in page
    assert "群体性事件" in page and "风险：高" in page
    assert reverse("triage:designate", args=[case.pk]) in page
    assert reverse("triage:assign", args=[case.pk]) in page


def test_a_prosecutor_sees_the_card_without_forms(client, world):
    do_triage(fresh(world.case_a), None)
    page = login(client, world, "pros_a").get(world.case_a.get_absolute_url()).content.decode()
    assert "繁简分流" in page
    for name in ("run", "override_risk", "designate", "reassign"):
        assert reverse(f"triage:{name}", args=[world.case_a.pk]) not in page


def test_the_head_designates_with_a_reason_through_the_page(client, world):
    case = make_triage_case(world, suspects=2)
    do_triage(case, None)
    case = fresh(case)
    login(client, world, "head")
    data = {"row_version": case.row_version, "prosecutor": world.people["pros_b"].pk}
    refused = post(client, "designate", case, **data, reason="")
    assert any("理由" in m for m in messages_of(refused))
    assert not Assignment.objects.exists()
    done = post(client, "designate", case, **data, reason="熟悉涉众案件")
    assert "已指定由" in messages_of(done)[0]
    assert fresh(case).prosecutor == world.people["pros_b"]
    # The same version again: someone (here, the head) changed the case meanwhile.
    stale = post(client, "designate", case, **{**data, "prosecutor": world.people["pros_a"].pk}, reason="再次指定")
    assert messages_of(stale) == ["案件已被他人修改，请刷新后重试。"]
    assert Assignment.objects.count() == 1


def test_a_repeated_submission_does_nothing(client, world):
    case = make_triage_case(world)
    do_triage(case, None)
    case = fresh(case)
    login(client, world, "cm")
    url = reverse("triage:assign", args=[case.pk])
    value = token(client)
    client.post(url, {FIELD: value, "row_version": case.row_version})
    again = client.post(url, {FIELD: value, "row_version": case.row_version}, follow=True)
    assert messages_of(again)[-1] == "该操作已提交，未重复执行。"
    assert Assignment.objects.count() == 1


@pytest.mark.parametrize("name", ["designate", "reassign", "run", "override_risk", "assign"])
def test_who_may_post_the_case_actions(client, world, name):
    """A prosecutor cannot designate, reassign or re-run triage on their own case (403); another
    procuratorate gets 404, as for a missing case; nothing is written either way."""
    data = {"row_version": fresh(world.case_a).row_version, "prosecutor": world.people["pros_b"].pk}
    data.update(reason="理由", level="high")
    url = reverse(f"triage:{name}", args=[world.case_a.pk])
    login(client, world, "pros_a")
    assert client.post(url, {FIELD: token(client), **data}).status_code == 403
    login(client, world, "other_chief")
    assert client.post(url, {FIELD: token(client), **data}).status_code == 404
    # The city chief reads the county's cases but acts on none of them.
    login(client, world, "city_chief")
    assert client.post(url, {FIELD: token(client), **data}).status_code == 403
    assert not Assignment.objects.exists() and not RiskOverride.objects.exists()
    assert not Event.objects.filter(action__startswith="triage.").exists()


def test_only_the_head_designates_the_case_manager_reassigns(client, world):
    case = fresh(world.case_a)
    login(client, world, "cm")
    data = {"row_version": case.row_version, "prosecutor": world.people["pros_b"].pk, "reason": "回避"}
    assert client.post(reverse("triage:designate", args=[case.pk]), {FIELD: token(client), **data}).status_code == 403
    done = post(client, "reassign", case, **data)
    assert "已改派" in messages_of(done)[0]
    assert Assignment.objects.get().method == "reassigned"


def test_risk_override_and_rerun_through_the_page(client, world):
    case = make_triage_case(world)
    do_triage(case, None)
    case = fresh(case)
    login(client, world, "cm")
    missing = post(client, "override_risk", case, row_version=case.row_version, level="high", reason="")
    assert any("理由" in m for m in messages_of(missing))
    post(client, "override_risk", case, row_version=case.row_version, level="high", reason="当事人扬言报复")
    case = fresh(case)
    assert case.risk_level == "high"
    rerun = post(client, "run", case, row_version=case.row_version)
    assert "已重新分流" in messages_of(rerun)[0]
    page = rerun.content.decode()
    assert "当事人扬言报复" in page and "规则结果：低风险" in page
    assert fresh(case).risk_level == "high"


def _ledger_world(world):
    head = world.people["head"]
    simple = make_triage_case(world, name="周某某危险驾驶案")
    do_triage(simple, None)
    do_designate(fresh(simple), world.people["pros_b"], "指定理由甲", head, expected_version=fresh(simple).row_version)
    do_reassign([fresh(world.case_a)], world.people["pros_a2"], "改派理由乙", head)
    city = fresh(world.case_city)
    return simple, city


def test_the_ledger_shows_each_person_their_scope(client, world):
    simple, _ = _ledger_world(world)
    seen = {}
    for role in ("cm", "chief", "head", "pros_b", "pros_a2", "pros_a", "city_chief", "city_head", "clerk_b"):
        page = login(client, world, role).get(reverse("triage:ledger")).content.decode()
        seen[role] = {reason for reason in ("指定理由甲", "改派理由乙") if reason in page}
    both = {"指定理由甲", "改派理由乙"}
    assert seen["cm"] == seen["chief"] == seen["head"] == both
    assert seen["pros_b"] == {"指定理由甲"}
    assert seen["pros_a2"] == {"改派理由乙"}
    assert seen["pros_a"] == set()  # the case went to someone else
    assert seen["city_chief"] == seen["city_head"] == set()  # another procuratorate's ledger
    assert seen["clerk_b"] == {"指定理由甲"}  # team B's case


def test_the_ledger_filters_and_pages(client, world):
    _ledger_world(world)
    login(client, world, "cm")
    url = reverse("triage:ledger")
    only = client.get(url, {"method": "reassigned"}).content.decode()
    assert "改派理由乙" in only and "指定理由甲" not in only
    by_person = client.get(url, {"prosecutor": world.people["pros_b"].pk}).content.decode()
    assert "指定理由甲" in by_person and "改派理由乙" not in by_person
    assert "没有符合条件" in client.get(url, {"date_from": "2099-01-01"}).content.decode()
    assert client.get(url, {"date_from": "不是日期"}).status_code == 200
    for n in range(55):
        Assignment.objects.create(
            case=world.case_b,
            org=world.county,
            department=world.county_dept,
            prosecutor=world.people["pros_b"],
            method="designated",
            reason=f"批量{n}",
        )
    first = client.get(url)
    assert len(first.context["page"].rows) == 50
    after = first.context["page"].next_cursor
    second = client.get(url, {"after": after})
    assert len(second.context["page"].rows) == 7


def test_the_queue_lists_simple_cases_waiting_in_the_team(client, world):
    for key in ("pros_a", "pros_a2"):
        do_pause_assignment(world.people[key], "集中培训", world.people["head"])
    case = make_triage_case(world, name="吴某某盗窃案", charge="盗窃罪")
    do_triage(case, None)
    login(client, world, "cm")
    post(client, "assign", case, row_version=fresh(case).row_version)
    page = client.get(reverse("triage:queue")).content.decode()
    assert "吴某某盗窃案" in page
    assert "吴某某盗窃案" not in login(client, world, "pros_b").get(reverse("triage:queue")).content.decode()


def test_bulk_reassignment_by_the_head(client, world):
    login(client, world, "head")
    page = client.get(reverse("triage:bulk_reassign"))
    assert page.status_code == 200
    body = page.content.decode()
    assert world.case_a.name in body and world.case_b.name in body
    a, b = fresh(world.case_a), fresh(world.case_b)
    chosen = [f"{a.pk}:{a.row_version}", f"{b.pk}:{b.row_version}"]
    url = reverse("triage:bulk_reassign")
    refused = client.post(url, {FIELD: token(client), "cases": chosen, "prosecutor": world.people["pros_a2"].pk})
    assert not Assignment.objects.exists()
    assert any(m.startswith("理由：") for m in messages_of(refused))
    done = client.post(
        url,
        {FIELD: token(client), "cases": chosen, "prosecutor": world.people["pros_a2"].pk, "reason": "办案组调整"},
        follow=True,
    )
    assert "已改派 2 件案件" in messages_of(done)[0]
    assert set(Assignment.objects.values_list("method", "reason")) == {("reassigned", "办案组调整")}
    assert {fresh(world.case_a).prosecutor, fresh(world.case_b).prosecutor} == {world.people["pros_a2"]}


def test_bulk_reassignment_of_a_case_out_of_scope_is_refused(client, world):
    login(client, world, "head")
    other = fresh(world.case_other)
    response = client.post(
        reverse("triage:bulk_reassign"),
        {FIELD: token(client), "cases": [f"{other.pk}:{other.row_version}"], "prosecutor": world.people["pros_b"].pk},
    )
    assert response.status_code == 200  # the form offers no such case
    assert not Assignment.objects.exists()


def test_pausing_and_resuming_through_the_workload_page(client, world):
    login(client, world, "head")
    person = world.people["pros_b"]
    page = client.get(reverse("triage:workload")).content.decode()
    assert str(person) in page
    post(client, "pause", prosecutor=person.pk, reason="外出培训")
    assert AssignmentPause.objects.get(prosecutor=person, resumed_at__isnull=True).reason == "外出培训"
    assert "外出培训" in client.get(reverse("triage:workload")).content.decode()
    post(client, "resume", prosecutor=person.pk)
    assert not AssignmentPause.objects.filter(resumed_at__isnull=True).exists()
    login(client, world, "cm")
    assert client.post(reverse("triage:pause"), {FIELD: token(client), "prosecutor": person.pk}).status_code == 403


def test_the_standard_page_shows_the_rules_to_everyone(client, world):
    for role in ("pros_a", "sysadmin"):
        page = login(client, world, role).get(reverse("triage:standard")).content.decode()
        assert "繁简分流规则" in page and "风险等级规则" in page
        assert "涉黑涉恶案件" in page and "犯罪嫌疑人人数 大于 1" in page and "危险驾驶罪" in page


def test_the_workbench_and_the_menu(client, world):
    do_reassign([fresh(world.case_a)], world.people["pros_a2"], "调整", world.people["head"])
    page = login(client, world, "head").get(reverse("web:workbench")).content.decode()
    assert "最近分案" in page and world.case_a.name in page
    assert reverse("triage:ledger") in page and reverse("triage:standard") in page
    prosecutor = login(client, world, "pros_b").get(reverse("web:workbench")).content.decode()
    assert "最近分案" not in prosecutor
    admin = login(client, world, "sysadmin").get(reverse("web:workbench")).content.decode()
    assert reverse("triage:standard") in admin and reverse("triage:ledger") not in admin
