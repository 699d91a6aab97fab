"""The patrol's filters (board, findings, notices, figures) and its forms (reply, verification,
notes, the rule playground)."""

from datetime import date, timedelta
from typing import Any

import yaml
from django import forms
from django.db.models import Q, QuerySet

from bihuan.cases.choices import CaseType
from bihuan.cases.filters import CaseFilterForm
from bihuan.indicators.periods import Period
from bihuan.orgs.models import User
from bihuan.patrol.models import (
    Category,
    CloseReason,
    FindingStatus,
    Light,
    Notice,
    ReplyOutcome,
    Rule,
    Severity,
)
from bihuan.patrol.stats import CORRECTED, Scope, on_days
from bihuan.web.widgets import FastSelect

DATE = forms.DateInput(attrs={"type": "date"})
ALL = [("", "全部")]

# Open findings by how long they have been open: (key, label, oldest day, newest day) in days
# before today, both included; None is open-ended.
AGE_BANDS = (
    ("0-3", "3日以内", 3, 0),
    ("4-10", "4至10日", 10, 4),
    ("11-", "10日以上", None, 11),
)


def age_q(key: str, today: date) -> Q:
    """Findings opened in age band `key` (AGE_BANDS) as of `today`."""
    _, _, oldest, newest = next(band for band in AGE_BANDS if band[0] == key)
    start = today - timedelta(days=oldest) if oldest is not None else None
    return on_days("opened_at", start, today - timedelta(days=newest))


class ScopeFields(forms.Form):
    """The case list's procuratorate and department choices, limited to the person's scope."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cases = CaseFilterForm(user=user)
        for name, label in (("org", "检察院（含下级院）"), ("department", "办案部门")):
            self.fields[name] = cases.fields[name]
            self.fields[name].label = label
            self.fields[name].required = False

    def scope(self) -> Scope:
        return Scope(org=self.cleaned_data.get("org"), department=self.cleaned_data.get("department"))


BOARD_FIELDS = ("severity", "status", "org", "department", "rule", "light")


class FindingFilterForm(ScopeFields):
    """Which findings a list shows (the board's counts and the figures link here)."""

    STATUS = [("", "未销号"), *FindingStatus.choices, ("all", "全部")]
    REASONS = [*ALL, ("corrected", "整改纠正（核查或自动销号）"), *CloseReason.choices[1:]]

    severity = forms.ChoiceField(label="严重程度", choices=ALL + Severity.choices, required=False)
    status = forms.ChoiceField(label="状态", choices=STATUS, required=False)
    rule = forms.ModelChoiceField(
        label="规则", queryset=Rule.objects.all(), required=False, empty_label="全部", widget=FastSelect
    )
    light = forms.ChoiceField(label="通知书灯色", choices=ALL + Light.choices[1:], required=False)
    age = forms.ChoiceField(label="发现至今", choices=ALL + [b[:2] for b in AGE_BANDS], required=False)
    reason = forms.ChoiceField(label="销号原因", choices=REASONS, required=False)
    opened_from = forms.DateField(label="发现日期自", required=False, widget=DATE)
    opened_to = forms.DateField(label="发现日期至", required=False, widget=DATE)
    closed_from = forms.DateField(label="销号日期自", required=False, widget=DATE)
    closed_to = forms.DateField(label="销号日期至", required=False, widget=DATE)

    def __init__(self, *args: Any, board: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if board:  # the board filters open findings by what it counts
            for name in set(self.fields) - set(BOARD_FIELDS):
                del self.fields[name]

    def apply(self, findings: QuerySet, today: date) -> QuerySet:
        data = self.cleaned_data
        status = data.get("status")
        if status == "":
            findings = findings.exclude(status=FindingStatus.CLOSED)
        elif status != "all":
            findings = findings.filter(status=status)
        for name in ("severity", "rule"):
            if data.get(name):
                findings = findings.filter(**{name: data[name]})
        if data.get("light"):
            findings = findings.filter(notice__light=data["light"], notice__closed_at__isnull=True)
        if data.get("age"):
            findings = findings.filter(age_q(data["age"], today))
        reason = data.get("reason")
        if reason:
            findings = findings.filter(close_reason__in=CORRECTED if reason == "corrected" else [reason])
        return findings.filter(
            self.scope().q(),
            on_days("opened_at", data.get("opened_from"), data.get("opened_to")),
            on_days("closed_at", data.get("closed_from"), data.get("closed_to")),
        )


class NoticeFilterForm(ScopeFields):
    STATUS = [("", "未办结"), ("closed", "已办结"), ("all", "全部")]

    severity = forms.ChoiceField(label="严重程度", choices=ALL + Severity.choices[1:], required=False)
    status = forms.ChoiceField(label="状态", choices=STATUS, required=False)
    light = forms.ChoiceField(label="灯色", choices=ALL + Light.choices[1:], required=False)
    issued_from = forms.DateField(label="发出日期自", required=False, widget=DATE)
    issued_to = forms.DateField(label="发出日期至", required=False, widget=DATE)

    def apply(self, notices: QuerySet[Notice]) -> QuerySet[Notice]:
        data = self.cleaned_data
        if data.get("status") == "":
            notices = notices.filter(closed_at__isnull=True)
        elif data.get("status") == "closed":
            notices = notices.filter(closed_at__isnull=False)
        for name in ("severity", "light"):
            if data.get(name):
                notices = notices.filter(**{name: data[name]})
        return notices.filter(self.scope().q(), on_days("issued_at", data.get("issued_from"), data.get("issued_to")))


class StatsForm(ScopeFields):
    """The period and scope of 巡查成效 (query string: from, to, org, department)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # "from" and "to" are the parameters' names (a Python keyword cannot be a field attribute).
        self.fields["from"] = forms.DateField(label="自", widget=DATE)
        self.fields["to"] = forms.DateField(label="至", widget=DATE)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("from") and data.get("to") and data["from"] > data["to"]:
            self.add_error("to", "结束日期不能早于开始日期。")
        return data

    @property
    def period(self) -> Period:
        return Period(self.cleaned_data["from"], self.cleaned_data["to"])


class ReplyForm(forms.Form):
    """The department's written reply (Rule 665: 书面回复核查情况)."""

    findings_checked = forms.CharField(label="核查情况", widget=forms.Textarea(attrs={"rows": 3}))
    outcome = forms.ChoiceField(label="整改情况", choices=ReplyOutcome.choices, widget=forms.RadioSelect)
    reasons = forms.CharField(label="理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self) -> dict:
        data = super().clean()
        if data.get("outcome") == ReplyOutcome.DISPUTED and not data.get("reasons", "").strip():
            self.add_error("reasons", "有异议的，请写明理由。")
        return data


class VerifyForm(forms.Form):
    VERDICTS = [("close", "销号（整改到位）"), ("reopen", "重新打开（整改不到位）")]

    verdict = forms.ChoiceField(label="核查结论", choices=VERDICTS, widget=forms.RadioSelect)
    note = forms.CharField(label="核查意见", widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    note = forms.CharField(label="说明", max_length=300)


class DisputeForm(forms.Form):
    reasons = forms.CharField(label="申辩理由", widget=forms.Textarea(attrs={"rows": 2}))


class PlaygroundForm(forms.Form):
    """A draft rule: its definition (JSON or YAML: subject, when, show) and the case types it
    applies to; the catalogue's columns are needed only to save it."""

    definition = forms.CharField(label="规则定义（JSON 或 YAML）", widget=forms.Textarea(attrs={"rows": 14}))
    case_types = forms.MultipleChoiceField(
        label="适用案件类别（不选为全部）",
        choices=CaseType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_definition(self) -> dict:
        try:
            definition = yaml.safe_load(self.cleaned_data["definition"])
        except yaml.YAMLError as exc:
            raise forms.ValidationError(f"无法解析：{exc}") from exc
        if not isinstance(definition, dict):
            raise forms.ValidationError("规则定义应为含 subject、when、show 的对象。")
        return definition


class SaveRuleForm(forms.ModelForm):
    """The catalogue's columns of a rule saved from the playground (disabled until enabled)."""

    class Meta:
        model = Rule
        fields = ("code", "name", "category", "severity", "basis", "message", "reply_days")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = Category.choices
