"""Intake (受理, Rule 156–158): numbers, the completeness check, acceptance with 先收后补,
fulfilment and the overdue reminder."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from bihuan.cases.actions import StaleCase, do_create_case
from bihuan.cases.choices import LikelySentence, Stage
from bihuan.cases.models import Case
from bihuan.cases.numbering import DEPT_CASE_NO, UNIFIED_CASE_NO
from bihuan.cases.signals import case_accepted, case_timeline_changed
from bihuan.events.models import Event
from bihuan.intake.actions import (
    IncompleteCase,
    IntakeError,
    do_accept,
    do_fulfil_deferred,
    do_set_received,
    notify_overdue_deferred,
)
from bihuan.intake.checks import missing_elements
from bihuan.intake.models import DeferredItem, IntakeRecord, RequiredMaterial
from bihuan.notifications.models import Notification
from tests.intake_helpers import materials, register

TODAY = date(2024, 3, 6)


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel("2024-03-06 10:00 +0800", tick=False):
        yield


@pytest.fixture
def signals():
    """Collects what case_accepted and case_timeline_changed send."""
    sent = []

    def accepted(sender, case, actor, **kwargs):
        sent.append(("accepted", case.pk, actor.pk))

    def timeline(sender, case, **kwargs):
        sent.append(("timeline", case.pk))

    case_accepted.connect(accepted)
    case_timeline_changed.connect(timeline)
    yield sent
    case_accepted.disconnect(accepted)
    case_timeline_changed.disconnect(timeline)


def test_registration_numbers_the_case_and_waits_for_acceptance(world):
    case = register(world)
    assert case.stage == Stage.REGISTERED
    assert DEPT_CASE_NO.match(case.dept_case_no)
    assert case.dept_case_no.startswith(f"{world.county.short_name}检刑诉受[2024]371002")
    assert UNIFIED_CASE_NO.match(case.unified_case_no)
    assert case.unified_case_no.startswith("3710022024")
    second = register(world, name="李某某盗窃案")
    assert int(second.dept_case_no[-7:-1]) == int(case.dept_case_no[-7:-1]) + 1
    record = IntakeRecord.objects.get(case=case)
    assert record.registered_by == world.people["cm"]
    assert set(record.received.values_list("name", flat=True)) == {
        "起诉意见书",
        "案卷材料",
        "证据材料",
        "强制措施法律文书",
    }
    assert case.suspects.get().measures.get().kind == "bail"
    assert Event.objects.filter(case_id=case.pk, action="intake.register").exists()


def test_complete_case_has_nothing_missing(world):
    assert missing_elements(register(world)) == []


def test_missing_materials_and_card_data_are_listed_in_chinese(world):
    case = register(world, received=materials("prosecution_review", "起诉意见书"), measure=False)
    assert missing_elements(case) == ["案卷材料", "证据材料", "强制措施"]


def test_conditional_materials_apply_only_when_their_condition_holds(world):
    """讯问录音录像 for a likely sentence of ten years or more (CPL 123); the confession material
    for a suspect who pleads (CPL 162 para 2); the measure documents once a measure is recorded."""
    case = register(world, plea=True, likely_sentence=LikelySentence.TEN_PLUS)
    assert missing_elements(case) == ["讯问犯罪嫌疑人录音录像", "认罪认罚相关材料"]
    # 强制措施法律文书 only because a measure is recorded: without one, the card check asks for it.
    plain = register(
        world, name="王某某盗窃案", received=materials("prosecution_review", "起诉意见书", "案卷材料", "证据材料")
    )
    assert "强制措施法律文书" in missing_elements(plain)


def test_completeness_blocks_acceptance_and_writes_nothing(world, signals):
    case = register(world, received=materials("prosecution_review", "起诉意见书"))
    events = Event.objects.count()
    with pytest.raises(IncompleteCase) as refused:
        do_accept(case, actor=world.people["cm"], expected_version=case.row_version)
    assert refused.value.missing == ["案卷材料", "证据材料", "强制措施法律文书"]
    assert "缺少：案卷材料、证据材料、强制措施法律文书" in str(refused.value)
    case.refresh_from_db()
    assert case.stage == Stage.REGISTERED
    assert Event.objects.count() == events
    assert [s for s in signals if s[0] == "accepted"] == []


def _complete(world, case):
    do_set_received(case, materials("prosecution_review"), actor=world.people["cm"], expected_version=case.row_version)
    case.refresh_from_db()
    return case


def test_acceptance_moves_the_stage_and_sends_the_signals(world, signals):
    case = register(world, plea=True)
    case = _complete(world, case)
    signals.clear()
    do_accept(case, actor=world.people["cm"], expected_version=case.row_version)
    case.refresh_from_db()
    assert case.stage == Stage.RECEIVED
    assert signals == [("timeline", case.pk), ("accepted", case.pk, world.people["cm"].pk)]
    record = IntakeRecord.objects.get(case=case)
    assert record.accepted_by == world.people["cm"]
    event = Event.objects.get(case_id=case.pk, action="intake.accept")
    assert event.changes["stage"] == ["registered", "received"]


def test_deferred_elements_with_a_due_date_allow_acceptance(world, signals):
    """先收后补: each missing element deferred with a due date and a reason."""
    case = register(world, received=materials("prosecution_review", "起诉意见书", "案卷材料"))
    due = TODAY + timedelta(days=7)
    do_accept(
        case,
        actor=world.people["cm"],
        expected_version=case.row_version,
        defer=[("证据材料", due, "鉴定意见尚未出具"), ("强制措施法律文书", due, "取保候审决定书副本未附")],
    )
    case.refresh_from_db()
    assert case.stage == Stage.RECEIVED
    items = DeferredItem.objects.filter(record__case=case)
    assert sorted((i.element.name, i.due_date, i.reason) for i in items) == [
        ("强制措施法律文书", due, "取保候审决定书副本未附"),
        ("证据材料", due, "鉴定意见尚未出具"),
    ]
    assert "先收后补" in Event.objects.get(case_id=case.pk, action="intake.accept").summary
    # Still missing until delivered.
    assert missing_elements(case) == ["证据材料", "强制措施法律文书"]


def test_deferring_only_some_missing_elements_is_refused(world):
    case = register(world, received=materials("prosecution_review", "起诉意见书", "案卷材料"))
    with pytest.raises(IncompleteCase) as refused:
        do_accept(
            case,
            actor=world.people["cm"],
            expected_version=case.row_version,
            defer=[("证据材料", TODAY + timedelta(days=3), "鉴定意见尚未出具")],
        )
    assert refused.value.missing == ["强制措施法律文书"]
    assert not DeferredItem.objects.exists()


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (("证据材料", TODAY - timedelta(days=1), "原因"), "补送期限须为今天或以后"),
        (("证据材料", TODAY, " "), "请写明“证据材料”先收后补的原因"),
        (("起诉意见书", TODAY, "原因"), "不是该案缺少的要素"),
    ],
)
def test_a_deferral_needs_a_future_due_date_a_reason_and_a_missing_element(world, entry, message):
    case = register(world, received=materials("prosecution_review", "起诉意见书", "案卷材料", "强制措施法律文书"))
    with pytest.raises(IntakeError, match=message):
        do_accept(case, actor=world.people["cm"], expected_version=case.row_version, defer=[entry])


def test_stale_version_writes_nothing(world):
    case = _complete(world, register(world))
    with pytest.raises(StaleCase):
        do_accept(case, actor=world.people["cm"], expected_version=case.row_version - 1)
    case.refresh_from_db()
    assert case.stage == Stage.REGISTERED


def test_a_case_is_accepted_once(world):
    case = _complete(world, register(world))
    do_accept(case, actor=world.people["cm"], expected_version=case.row_version)
    case.refresh_from_db()
    with pytest.raises(IntakeError, match="不在待受理阶段"):
        do_accept(case, actor=world.people["cm"], expected_version=case.row_version)


def test_a_loaded_case_waiting_for_acceptance_gets_the_same_check(world):
    """loadcases writes cases in stage 待受理 without an intake record: the check applies alike."""
    case = do_create_case(
        org=world.county, case_type="prosecution_review", name="导入案件", received_date=TODAY, stage=Stage.REGISTERED
    )
    assert missing_elements(case) == ["起诉意见书", "案卷材料", "证据材料", "犯罪嫌疑人", "移送单位", "移送案由"]
    with pytest.raises(IncompleteCase):
        do_accept(case, actor=world.people["cm"], expected_version=case.row_version)
    assert not IntakeRecord.objects.filter(case=case).exists()


def test_fulfilling_a_deferred_material_marks_it_received(world):
    case = register(world, received=materials("prosecution_review", "起诉意见书", "案卷材料", "强制措施法律文书"))
    do_accept(case, actor=world.people["cm"], expected_version=case.row_version, defer=[("证据材料", TODAY, "鉴定中")])
    case.refresh_from_db()
    item = DeferredItem.objects.get()
    do_fulfil_deferred(item, actor=world.people["cm"], expected_version=case.row_version)
    item.refresh_from_db()
    assert item.fulfilled_by == world.people["cm"]
    assert missing_elements(case) == []
    with pytest.raises(IntakeError, match="已补齐"):
        do_fulfil_deferred(item, actor=world.people["cm"], expected_version=case.row_version + 1)


def test_overdue_deferred_items_notify_the_case_management_office_once(world):
    case = register(world, received=materials("prosecution_review", "起诉意见书", "案卷材料", "强制措施法律文书"))
    do_accept(case, actor=world.people["cm"], expected_version=case.row_version, defer=[("证据材料", TODAY, "鉴定中")])
    assert notify_overdue_deferred(TODAY) == 0  # due today is not overdue
    assert notify_overdue_deferred(TODAY + timedelta(days=1)) == 1
    notification = Notification.objects.get()
    assert notification.recipient == world.people["cm"]
    assert "先收后补逾期" in notification.title
    assert notification.url == f"/intake/{case.pk}/"
    with time_machine.travel("2024-03-08 09:00 +0800", tick=False):
        call_command("intakereminders")
    assert Notification.objects.count() == 1


def test_case_of_another_type_cannot_be_given_materials_it_does_not_need(world):
    case = register(world)
    with pytest.raises(IntakeError, match="不是该类案件的随案移送材料"):
        do_set_received(
            case,
            materials("arrest_review", "提请批准逮捕书"),
            actor=world.people["cm"],
            expected_version=case.row_version,
        )
    assert Case.objects.get(pk=case.pk).row_version == case.row_version


def test_the_system_administrator_edits_the_requirements_in_the_admin(world):
    """The default lists are configuration: the 系统管理员 switches an element off, audited; the
    check follows at once."""
    element = RequiredMaterial.objects.get(case_type="prosecution_review", name="证据材料")
    admin = Client()
    admin.force_login(world.people["sysadmin"])
    url = f"/admin/intake/requiredmaterial/{element.pk}/change/"
    assert admin.get("/admin/intake/requiredmaterial/").status_code == 200
    data = {
        "case_type": element.case_type,
        "name": element.name,
        "kind": element.kind,
        "card_check": "",
        "condition": element.condition,
        "basis": element.basis,
        "position": element.position,
    }  # "active" left out: unticked
    assert admin.post(url, data).status_code == 302
    assert Event.objects.filter(action="config.update", object_id=str(element.pk)).exists()
    case = register(world, received=materials("prosecution_review", "起诉意见书", "案卷材料", "强制措施法律文书"))
    assert missing_elements(case) == []
    manager = Client()
    manager.force_login(world.people["cm"])
    assert manager.get("/admin/intake/requiredmaterial/").status_code == 302
