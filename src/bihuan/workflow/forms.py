"""Forms of the workflow panel. Each carries the case's `row_version` (optimistic check) and is
rendered with a once-only submit token."""

from django import forms
from django.utils import timezone

from bihuan.cases.choices import RiskLevel
from bihuan.orgs.choices import RoleCode
from bihuan.orgs.models import User
from bihuan.workflow.access import LEADER_ROLES
from bihuan.workflow.choices import (
    CHECKLIST_CODES,
    CHECKLIST_LABELS,
    DutyKind,
    MediationResult,
    ParticipantKind,
    Phase,
)
from bihuan.workflow.models import DecisionType

# A date input takes ISO dates whatever the locale's display format.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})
# Rows of the hearing and meeting forms: one participant or attendee each.
PARTICIPANT_ROWS = 4


class CaseActionForm(forms.Form):
    row_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, case=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.case = case


class ProposeForm(CaseActionForm):
    decision_type = forms.ModelChoiceField(DecisionType.objects.none(), label="决定事项", empty_label="请选择")
    opinion = forms.CharField(label="拟处理意见及理由", widget=TEXT)

    def __init__(self, *args, phase: str = Phase.REVIEW, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        choices = DecisionType.objects.filter(case_type=self.case.case_type, active=True)
        # The form offers the decisions of one phase; the action checks the phase of the one sent.
        self.fields["decision_type"].queryset = choices if self.is_bound else choices.filter(phase=phase)


class RequestActionForm(CaseActionForm):
    request_id = forms.IntegerField(widget=forms.HiddenInput)


class DecideForm(RequestActionForm):
    verdict = forms.ChoiceField(label="意见", choices=[("approve", "同意"), ("return", "退回")])
    reason = forms.CharField(label="意见或退回理由", widget=TEXT, required=False)


class RecordDecisionForm(RequestActionForm):
    decided_on = forms.DateField(label="决定日期", widget=DATE, initial=timezone.localdate)


class ReTransferForm(CaseActionForm):
    received_on = forms.DateField(label="重新移送（受理）日期", widget=DATE, initial=timezone.localdate)


class SuspensionForm(CaseActionForm):
    REASONS = [
        ("精神病鉴定（《人民检察院刑事诉讼规则》第二百二十二条）", "精神病鉴定"),
        ("监察机关移送案件先行拘留后的决定期间（《刑事诉讼法》第一百七十条）", "留置案件先行拘留后的决定期间"),
    ]
    reason = forms.ChoiceField(label="事由", choices=REASONS)
    start = forms.DateField(label="起始日期", widget=DATE, initial=timezone.localdate)
    end = forms.DateField(label="结束日期（尚未结束的不填）", widget=DATE, required=False)


class EndSuspensionForm(CaseActionForm):
    end = forms.DateField(label="结束日期", widget=DATE, initial=timezone.localdate)


class JurisdictionForm(CaseActionForm):
    decided_on = forms.DateField(label="改变管辖决定日期", widget=DATE)
    received_on = forms.DateField(label="现承办院收到案件日期", widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label="说明", max_length=300, required=False)


class HearingForm(CaseActionForm):
    held_on = forms.DateField(label="听证日期", widget=DATE, initial=timezone.localdate)
    host = forms.ModelChoiceField(User.objects.none(), label="主持人（院领导）", empty_label="请选择")
    topic = forms.CharField(label="听证事项", max_length=200)
    conclusion = forms.CharField(label="听证结论", widget=TEXT)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        case = self.case
        self.fields["host"].queryset = User.objects.filter(
            org_id=case.org_id, roles__code__in=LEADER_ROLES, is_active=True
        ).distinct()
        for i in range(1, PARTICIPANT_ROWS + 1):
            required = i == 1
            self.fields[f"kind_{i}"] = forms.ChoiceField(
                label=f"参加人{i}身份", choices=[("", "—"), *ParticipantKind.choices], required=required
            )
            self.fields[f"name_{i}"] = forms.CharField(label=f"参加人{i}姓名", max_length=50, required=required)
            self.fields[f"opinion_{i}"] = forms.CharField(label=f"参加人{i}意见", required=required)

    def participant_rows(self) -> list[tuple]:
        return [(self[f"kind_{i}"], self[f"name_{i}"], self[f"opinion_{i}"]) for i in range(1, PARTICIPANT_ROWS + 1)]

    def clean(self) -> dict:
        data = super().clean()
        rows = []
        for i in range(1, PARTICIPANT_ROWS + 1):
            values = [data.get(f"{f}_{i}", "") for f in ("kind", "name", "opinion")]
            if any(values) and not all(values):
                raise forms.ValidationError(f"参加人{i}的身份、姓名和意见须一并填写。")
            if all(values):
                rows.append(tuple(values))
        data["participants"] = rows
        return data


class DiscussionForm(CaseActionForm):
    forum = forms.ChoiceField(label="提请", choices=[("joint", "检察官联席会议讨论"), ("committee", "检察委员会讨论")])
    question = forms.CharField(label="讨论事项", widget=TEXT)


class JointMeetingForm(CaseActionForm):
    meeting_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    held_on = forms.DateField(label="召开日期", widget=DATE, initial=timezone.localdate)
    agenda = forms.CharField(label="议题", widget=TEXT)
    conclusion = forms.CharField(label="会议结论", widget=TEXT)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        case = self.case
        attendees = User.objects.filter(org_id=case.org_id, roles__code=RoleCode.PROSECUTOR, is_active=True)
        for i in range(1, PARTICIPANT_ROWS + 1):
            required = i == 1
            self.fields[f"attendee_{i}"] = forms.ModelChoiceField(
                attendees.distinct(), label=f"参会检察官{i}", required=required, empty_label="—"
            )
            self.fields[f"opinion_{i}"] = forms.CharField(label=f"检察官{i}意见", required=required)

    def attendee_rows(self) -> list[tuple]:
        return [(self[f"attendee_{i}"], self[f"opinion_{i}"]) for i in range(1, PARTICIPANT_ROWS + 1)]

    def clean(self) -> dict:
        data = super().clean()
        rows = []
        for i in range(1, PARTICIPANT_ROWS + 1):
            attendee, opinion = data.get(f"attendee_{i}"), data.get(f"opinion_{i}", "")
            if bool(attendee) != bool(opinion):
                raise forms.ValidationError(f"参会检察官{i}与其意见须一并填写。")
            if attendee:
                rows.append((attendee, opinion))
        data["opinions"] = rows
        return data


class ChecklistForm(CaseActionForm):
    item_id = forms.IntegerField(widget=forms.HiddenInput)
    codes = forms.MultipleChoiceField(
        label="核对事项",
        choices=[(c, CHECKLIST_LABELS[c]) for c in CHECKLIST_CODES],
        widget=forms.CheckboxSelectMultiple,
    )


class CommitteeDecisionForm(CaseActionForm):
    item_id = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.CharField(label="检委会决定", widget=TEXT)


class DutyForm(CaseActionForm):
    kind = forms.ChoiceField(label="职责事项", choices=DutyKind.choices)
    occurred_on = forms.DateField(label="日期", widget=DATE, initial=timezone.localdate)
    counterpart = forms.CharField(label="对象", max_length=100, required=False)
    risk_level = forms.ChoiceField(label="风险等级", choices=[("", "—"), *RiskLevel.choices], required=False)
    content = forms.CharField(label="内容", widget=TEXT)

    def __init__(self, *args, kinds: list[str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [(k, DutyKind(k).label) for k in kinds]
            if DutyKind.RISK_ASSESSMENT not in kinds:
                del self.fields["risk_level"]


class MediationForm(CaseActionForm):
    mediator = forms.CharField(label="调解人", max_length=100)
    held_on = forms.DateField(label="调解日期", widget=DATE, initial=timezone.localdate)
    parties = forms.CharField(label="当事人", max_length=200)
    result = forms.ChoiceField(label="调解结果", choices=MediationResult.choices)
    amount = forms.DecimalField(label="赔偿（和解）金额（元）", max_digits=12, decimal_places=2, required=False)
    terms = forms.CharField(label="和解协议内容", widget=TEXT, required=False)
