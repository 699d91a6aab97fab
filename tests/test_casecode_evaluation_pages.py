"""The scoring pages as the handling prosecutor and the other readers see them: the evaluation form
with its live score, the errors in Chinese, the case page panel, the code page with the history and
score tables, and the list of evaluated cases."""

import re
from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from bihuan.casecode.actions import DeductionInput, InquiryInput, active_template, do_evaluate
from bihuan.casecode.models import CaseCode, Evaluation, InquiryItem
from tests import factories as f
from tests.casecode_helpers import NOW, arrest_case

TOKEN = re.compile(r'name="submit_token" value="([^"]+)"')
THIRTY = [("主体身份", 10, "a"), ("刑事责任能力与年龄", 10, "b"), ("主观方面", 10, "c")]


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(world):
    return arrest_case(world)


def login(world, role: str) -> Client:
    client = Client()
    client.force_login(world.people[role])
    return client


def item_id(name: str) -> int:
    return active_template().items.get(name=name).pk


def form_data(client: Client, case, cuts=(), inquiries=(), **extra) -> dict:
    """A filled scoring form: cuts are (item name, points, reason[, veto]); inquiries item names."""
    page = client.get(f"/casecode/cases/{case.pk}/score/").content.decode()
    data = {"submit_token": TOKEN.search(page)[1], "note": "", **extra}
    for name, points, reason, *veto in cuts:
        prefix = f"i{item_id(name)}"
        data[f"{prefix}_points"] = str(points)
        data[f"{prefix}_reason"] = reason
        if veto:
            data[f"{prefix}_veto"] = "on"
    for name in inquiries:
        prefix = f"i{item_id(name)}"
        data.update(
            {
                f"{prefix}_problem": f"{name}问题",
                f"{prefix}_purpose": f"{name}目的",
                f"{prefix}_matters": f"{name}事项",
                f"{prefix}_requirement": f"{name}要求",
            }
        )
    return data


def score(client, case, cuts=(), inquiries=(), **extra):
    return client.post(f"/casecode/cases/{case.pk}/score/", form_data(client, case, cuts, inquiries, **extra))


@pytest.mark.parametrize(
    ("cuts", "expected"),
    [
        ([*THIRTY, ("因果关系", "0.1", "d")], "69.9 红码"),
        (THIRTY, "70.0 黄码"),
        ([("主体身份", 10, "a"), ("因果关系", "0.1", "d")], "89.9 黄码"),
        ([("主体身份", 10, "a")], "90.0 绿码"),
        ([("主体身份", 0, "身份不明", True)], "100.0 红码"),
    ],
)
def test_scoring_through_the_page(world, case, cuts, expected):
    client = login(world, "pros_a")
    names = [c[0] for c in cuts]
    response = score(client, case, cuts, inquiries=names)
    assert response.status_code == 302 and response.url == f"/casecode/cases/{case.pk}/"
    code = CaseCode.objects.get(case=case)
    assert f"{code.score} {code.get_colour_display()}" == expected
    page = client.get(response.url).content.decode()
    assert f"已评分：{code.score}分，{code.get_colour_display()}" in page


def test_the_form_shows_the_table_and_the_errors_in_chinese(world, case):
    client = login(world, "pros_a")
    page = client.get(f"/casecode/cases/{case.pk}/score/").content.decode()
    for text in ("犯罪构成", "量刑情节", "主体身份", "身份不明", "涉案财物去向不明", "100.0", "绿码"):
        assert text in page
    # 主观方面 has no veto condition: no veto box for it.
    assert f'name="i{item_id("主体身份")}_veto"' in page
    assert f'name="i{item_id("主观方面")}_veto"' not in page

    response = score(client, case, [("主体身份", 12, "超过分值")], inquiries=["主体身份"])
    assert response.status_code == 400
    assert "“主体身份”扣分应在 0 至 10.0 分之间。" in response.content.decode()
    cuts = [("主体身份", 10, "身份未核实"), ("主观方面", 10, "故意未查清"), ("因果关系", 5, "x")]
    response = score(client, case, cuts)
    assert response.status_code == 400
    body = response.content.decode()
    assert "非绿码案件须为每个扣分项列明补充侦查提纲：主体身份、主观方面、因果关系。" in body
    assert "身份未核实" in body  # what was typed is kept
    assert not Evaluation.objects.filter(case=case).exists()


def test_a_double_submission_scores_once(world, case):
    client = login(world, "pros_a")
    data = form_data(client, case, [("主体身份", 5, "身份证明不全")])
    assert client.post(f"/casecode/cases/{case.pk}/score/", data).status_code == 302
    again = client.post(f"/casecode/cases/{case.pk}/score/", data, follow=True)
    assert "该操作已提交，未重复执行。" in again.content.decode()
    assert Evaluation.objects.filter(case=case).count() == 1


def test_live_preview(world, case):
    client = login(world, "pros_a")
    url = f"/casecode/cases/{case.pk}/score/preview/"
    data = form_data(client, case, [("主体身份", 10, "a"), ("因果关系", 2, "")])
    body = client.post(url, data).content.decode()
    assert "88.0" in body and "黄码" in body and "“因果关系”扣分须写明理由。" in body
    data = form_data(client, case, [("证据合法性", 0, "非法取证", True)])
    body = client.post(url, data).content.decode()
    assert "100.0" in body and "红码" in body and "一票否决" in body
    assert not Evaluation.objects.exists()
    assert client.get(url).status_code == 405
    assert login(world, "head").post(url, data).status_code == 403


@pytest.mark.parametrize(("role", "status"), [("pros_a2", 403), ("head", 403), ("chief", 403), ("pros_b", 404)])
def test_only_the_handler_may_post_a_score(world, case, role, status):
    client = login(world, role)
    data = form_data(login(world, "pros_a"), case, [("主体身份", 5, "理由")])
    assert client.post(f"/casecode/cases/{case.pk}/score/", data).status_code == status
    assert not Evaluation.objects.exists()


def test_readers_see_the_score_page_without_the_form(world, case):
    page = login(world, "head").get(f"/casecode/cases/{case.pk}/score/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "仅本案承办检察官" in body and 'id="score-form"' not in body
    assert login(world, "pros_b").get(f"/casecode/cases/{case.pk}/score/").status_code == 404
    # A case that takes no code: the notice, and no scoring for its handler either.
    body = login(world, "pros_a").get(f"/casecode/cases/{world.case_a.pk}/score/").content.decode()
    assert "该案件不适用案件码评分" in body and 'id="score-form"' not in body


def evaluated(world, case):
    """Two evaluations: yellow (3 deductions) on 6 March, then 主观方面 restored on 13 March."""
    actor = world.people["pros_a"]
    ids = {name: item_id(name) for name in ("主体身份", "主观方面", "因果关系")}
    cuts = [
        DeductionInput(ids["主体身份"], Decimal(10), "户籍证明未调取"),
        DeductionInput(ids["主观方面"], Decimal(10), "犯意证据单一"),
        DeductionInput(ids["因果关系"], Decimal(5), "鉴定意见缺失"),
    ]
    inquiries = [InquiryInput(i, f"问题{n}", f"目的{n}", f"事项{n}", f"要求{n}") for n, i in ids.items()]
    do_evaluate(case, actor=actor, deductions=cuts, inquiries=inquiries, note="首次评估")
    with time_machine.travel("2024-03-13 09:00 +0800", tick=False):
        do_evaluate(case, actor=actor, deductions=[cuts[0], cuts[2]], note="补充了犯意证据")


def test_case_page_panel(world, case):
    evaluated(world, case)
    body = login(world, "pros_a").get(f"/cases/{case.pk}/").content.decode()
    assert "案件码" in body and "转码记录" in body
    assert "85.0" in body and "黄码" in body and "2024-03-13" in body and "2024-03-28" in body  # due again
    assert "75.0" in body and "首次评分" in body and "重新评估" in body
    assert "鉴定意见缺失" in body and "问题主观方面" in body and "已销号" in body and "未销号" in body
    assert f'href="/casecode/cases/{case.pk}/score/"' in body
    # A reader sees the code, not the scoring button; a case that takes no code has no panel.
    body = login(world, "head").get(f"/cases/{case.pk}/").content.decode()
    assert "转码记录" in body and f'href="/casecode/cases/{case.pk}/score/"' not in body
    assert "转码记录" not in login(world, "pros_a").get(f"/cases/{world.case_a.pk}/").content.decode()


def test_the_code_page_shows_every_evaluation_with_its_table(world, case):
    evaluated(world, case)
    response = login(world, "chief").get(f"/casecode/cases/{case.pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "第1次评分：75.0分" in body and "第2次评分：85.0分" in body
    assert body.count("涉案财物去向不明") == 2  # the whole table, for each evaluation
    assert "犯意证据单一" in body and "补充了犯意证据" in body
    assert InquiryItem.objects.filter(case=case, closed_in__seq=2).count() == 1


def test_the_list_of_evaluated_cases(world, case):
    evaluated(world, case)
    other = f.make_case(
        world.county, department=world.county_dept, team=world.team_b, prosecutor=world.people["pros_b"],
        case_type="arrest_review", name="吴某某诈骗案",
    )  # fmt: skip
    do_evaluate(other, actor=world.people["pros_b"], deductions=[])
    body = login(world, "head").get("/casecode/").content.decode()
    assert "周某某盗窃案" in body and "吴某某诈骗案" in body
    assert body.index("周某某盗窃案") < body.index("吴某某诈骗案")  # lowest score first
    body = login(world, "head").get("/casecode/?colour=green").content.decode()
    assert "周某某盗窃案" not in body and "吴某某诈骗案" in body
    # Scope: pros_a sees the team A case only; investigators and the 三员 see no list.
    body = login(world, "pros_a").get("/casecode/").content.decode()
    assert "周某某盗窃案" in body and "吴某某诈骗案" not in body
    assert login(world, "sysadmin").get("/casecode/").status_code == 403
    # The menu entry is there for the roles with case data.
    assert 'href="/casecode/"' in body


def test_the_list_pages_by_keyset(world, case, monkeypatch):
    from bihuan.casecode import views

    monkeypatch.setattr(views.LIST_SEEK, "size", 1)
    evaluated(world, case)
    other = f.make_case(
        world.county, department=world.county_dept, team=world.team_a, prosecutor=world.people["pros_a"],
        case_type="arrest_review", name="吴某某诈骗案",
    )  # fmt: skip
    do_evaluate(other, actor=world.people["pros_a"], deductions=[])
    client = login(world, "pros_a")
    first = client.get("/casecode/").content.decode()
    assert "周某某盗窃案" in first and "吴某某诈骗案" not in first
    after = re.search(r'href="\?after=([^"]+)"', first)[1]
    second = client.get(f"/casecode/?after={after}").content.decode()
    assert "吴某某诈骗案" in second and "周某某盗窃案" not in second
    assert client.get("/casecode/?after=NaN_1").status_code == 200


def test_no_template_in_force(world, case):
    from bihuan.casecode.models import ScoreTemplate

    ScoreTemplate.objects.update(is_active=False)
    client = login(world, "pros_a")
    body = client.get(f"/casecode/cases/{case.pk}/score/").content.decode()
    assert "没有启用的案件码评分表" in body and 'id="score-form"' not in body
    assert client.post(f"/casecode/cases/{case.pk}/score/", {}).status_code == 400
