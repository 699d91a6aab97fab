"""Score templates in the admin (系统管理员): a version that scored a case is frozen; a change is a
new version (复制为新版本) put in force by an action, and past evaluations keep their table,
score and colour (domain-rules §7.4: a template change never rewrites past evaluations)."""

from decimal import Decimal

import pytest
import time_machine
from django.test import Client

from bihuan.casecode.actions import (
    DeductionInput,
    InquiryInput,
    active_template,
    do_activate_template,
    do_copy_template,
    do_evaluate,
)
from bihuan.casecode.exceptions import CodeRefused
from bihuan.casecode.models import CaseCode, Evaluation, ScoreTemplate
from bihuan.events.models import Event
from tests.casecode_helpers import NOW, arrest_case

ADMIN = "/admin/casecode/scoretemplate/"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def case(world):
    return arrest_case(world)


@pytest.fixture
def admin(world) -> Client:
    client = Client()
    client.force_login(world.people["sysadmin"])
    return client


def deduct(template: ScoreTemplate, name: str, points) -> DeductionInput:
    return DeductionInput(template.items.get(name=name).pk, Decimal(points), "理由")


def change_data(template: ScoreTemplate, **changes) -> dict:
    """The admin change form of a template as posted, with its items; `changes` overrides fields."""
    items = list(template.items.all())
    data = {
        "name": template.name,
        "red_below": str(template.red_below),
        "green_from": str(template.green_from),
        "note": template.note,
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": str(len(items)),
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "1000",
    }
    for n, item in enumerate(items):
        for field in ("order", "dimension", "name", "max_points", "veto", "guidance"):
            data[f"items-{n}-{field}"] = str(getattr(item, field))
        data[f"items-{n}-id"] = str(item.pk)
        data[f"items-{n}-template"] = str(template.pk)
    data.update(changes)
    return data


def test_the_admin_lists_the_templates_with_their_total(admin):
    body = admin.get(ADMIN).content.decode()
    assert "“案件码”量化评分表" in body and "100.0 分" in body
    page = admin.get(f"{ADMIN}{active_template().pk}/change/").content.decode()
    assert "主体身份" in page and 'name="items-0-max_points"' in page  # unused: editable
    assert admin.get("/admin/casecode/officesetting/").status_code == 200


def test_an_unused_version_is_edited_and_checked(admin, world):
    template = active_template()
    url = f"{ADMIN}{template.pk}/change/"
    response = admin.post(url, change_data(template, red_below="90", green_from="80"))
    assert response.status_code == 200
    assert "红码分数线（低于）不得高于绿码分数线（不低于）。" in response.content.decode()
    response = admin.post(url, change_data(template, **{"items-0-max_points": "0"}))
    assert "分值须大于 0。" in response.content.decode()
    response = admin.post(url, change_data(template, green_from="85", **{"items-0-max_points": "12"}))
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.green_from == Decimal(85)
    assert template.items.get(name="主体身份").max_points == Decimal(12)
    # Any positive total is allowed; the page says it is not 100.
    assert "102.0 分（不是 100 分" in admin.get(url).content.decode()
    assert Event.objects.filter(action="config.update", summary__contains="主体身份").exists()


def test_a_used_version_is_read_only(admin, world, case):
    template = active_template()
    do_evaluate(case, actor=world.people["pros_a"], deductions=[])
    url = f"{ADMIN}{template.pk}/change/"
    page = admin.get(url).content.decode()
    assert 'name="items-0-max_points"' not in page and 'name="red_below"' not in page
    assert admin.post(url, change_data(template, green_from="85")).status_code == 403
    template.refresh_from_db()
    assert template.green_from == Decimal(90)


def test_copy_edit_activate(admin, world, case):
    v1 = active_template()
    # First evaluation under v1: 主体身份 −10, 因果关系 −5 → 85, yellow.
    first = do_evaluate(
        case,
        actor=world.people["pros_a"],
        deductions=[deduct(v1, "主体身份", 10), deduct(v1, "因果关系", 5)],
        inquiries=[InquiryInput(v1.items.get(name=n).pk, "问", "目", "事", "要") for n in ("主体身份", "因果关系")],
    )
    assert (first.score, first.colour) == (Decimal(85), "yellow")

    response = admin.post(ADMIN, {"action": "copy_as_new_version", "_selected_action": [v1.pk]})
    assert response.status_code == 302
    v2 = ScoreTemplate.objects.get(name=v1.name, version=2)
    assert not v2.is_active and v2.items.count() == 10
    # The copy is edited: yellow now from 80 (green from 85), and 因果关系 worth 10 points.
    url = f"{ADMIN}{v2.pk}/change/"
    items = {i.name: n for n, i in enumerate(v2.items.all())}
    data = change_data(v2, green_from="85", red_below="80", **{f"items-{items['因果关系']}-max_points": "10"})
    assert admin.post(url, data).status_code == 302

    response = admin.post(ADMIN, {"action": "activate", "_selected_action": [v2.pk]}, follow=True)
    assert "已启用" in response.content.decode()
    v1.refresh_from_db()
    assert active_template() == v2 and not v1.is_active
    assert Event.objects.filter(action="casecode.template_activate", object_id=str(v2.pk)).exists()

    # The same deductions under v2: total 105 − 15 = 90 → green; the open items (matched by
    # name) of the deducted items remain, so no new 补充侦查提纲 items are needed.
    second = do_evaluate(
        case, actor=world.people["pros_a"], deductions=[deduct(v2, "主体身份", 10), deduct(v2, "因果关系", 5)]
    )
    assert (second.template, second.score, second.colour) == (v2, Decimal(90), "green")
    # The first evaluation keeps its table, score and colour.
    first = Evaluation.objects.get(pk=first.pk)
    assert (first.template, first.score, first.colour) == (v1, Decimal(85), "yellow")
    assert v1.items.get(name="因果关系").max_points == Decimal(5)
    assert CaseCode.objects.get(case=case).colour == "green"
    client = Client()
    client.force_login(world.people["pros_a"])
    body = client.get(f"/casecode/cases/{case.pk}/").content.decode()
    assert "（第1版）（红码低于70.0分，绿码不低于90.0分）" in body
    assert "（第2版）（红码低于80.0分，绿码不低于85.0分）" in body

    # v1 is now used: read-only; v2 too.
    assert admin.post(f"{ADMIN}{v1.pk}/change/", change_data(v1)).status_code == 403
    assert admin.post(url, change_data(v2)).status_code == 403


def test_activation_refusals(world):
    sysadmin = world.people["sysadmin"]
    v1 = active_template()
    with pytest.raises(CodeRefused, match="已是启用的版本"):
        do_activate_template(v1, actor=sysadmin)
    empty = ScoreTemplate.objects.create(name="空表", version=1)
    with pytest.raises(CodeRefused, match="没有评分项，不能启用"):
        do_activate_template(empty, actor=sysadmin)
    v2 = do_copy_template(v1, actor=sysadmin)
    v3 = do_copy_template(v1, actor=sysadmin)
    assert (v2.version, v3.version) == (2, 3)  # the next free version of the name
    do_activate_template(v3, actor=sysadmin)
    assert list(ScoreTemplate.objects.filter(is_active=True)) == [v3]


@pytest.mark.parametrize("role", ["pros_a", "head", "secadmin", "auditadmin"])
def test_only_the_sysadmin_keeps_the_templates(world, role):
    client = Client()
    client.force_login(world.people[role])
    assert client.get(ADMIN).status_code in (302, 403)
