"""Forms of the triage pages: each state-changing form carries the case's row_version."""

from django import forms

from bihuan.cases.choices import RiskLevel
from bihuan.orgs.choices import RoleCode
from bihuan.orgs.models import Department, User
from bihuan.triage.choices import Method

REASON = forms.CharField(label="理由", max_length=300, widget=forms.TextInput(attrs={"placeholder": "必填"}))


class VersionForm(forms.Form):
    """Re-run triage or the automatic assignment: only the version the person saw."""

    row_version = forms.IntegerField(widget=forms.HiddenInput)


class RiskOverrideForm(VersionForm):
    level = forms.ChoiceField(label="风险等级", choices=RiskLevel.choices)
    reason = REASON


class ProsecutorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj}（{obj.team}）" if obj.team_id else str(obj)


class AssignToForm(VersionForm):
    """Designate or reassign one case to a prosecutor of its department."""

    prosecutor = ProsecutorChoiceField(label="承办检察官", queryset=User.objects.none())
    reason = REASON

    def __init__(self, *args, candidates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prosecutor"].queryset = candidates


class BulkReassignForm(forms.Form):
    """Several cases ("id:row_version" each) to one prosecutor, with one reason."""

    cases = forms.MultipleChoiceField(label="案件", widget=forms.CheckboxSelectMultiple)
    prosecutor = ProsecutorChoiceField(label="改派给", queryset=User.objects.none())
    reason = REASON

    def __init__(self, *args, rows, candidates, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cases"].choices = [(f"{c.pk}:{c.row_version}", c.dept_case_no) for c in rows]
        self.fields["prosecutor"].queryset = candidates

    def versions(self) -> dict[int, int]:
        """{case id: row_version seen} of the ticked cases."""
        pairs = (value.split(":") for value in self.cleaned_data["cases"])
        return {int(pk): int(version) for pk, version in pairs}


class PauseForm(forms.Form):
    prosecutor = forms.ModelChoiceField(label="检察官", queryset=User.objects.none(), widget=forms.HiddenInput)
    reason = forms.CharField(label="暂停理由", max_length=300, required=False)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["prosecutor"].queryset = User.objects.filter(
            department_id=user.department_id, roles__code=RoleCode.PROSECUTOR
        )


class LedgerFilterForm(forms.Form):
    date_from = forms.DateField(label="分案日期自", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label="至", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    department = forms.ModelChoiceField(label="部门", queryset=Department.objects.none(), required=False)
    prosecutor = forms.ModelChoiceField(label="承办检察官", queryset=User.objects.none(), required=False)
    method = forms.ChoiceField(label="分案方式", choices=[("", "全部"), *Method.choices], required=False)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(org_id=user.org_id)
        self.fields["prosecutor"].queryset = User.objects.filter(
            org_id=user.org_id, roles__code=RoleCode.PROSECUTOR
        ).order_by("pk")

    def filter(self, assignments):
        data = self.cleaned_data
        if data.get("date_from"):
            assignments = assignments.filter(at__date__gte=data["date_from"])
        if data.get("date_to"):
            assignments = assignments.filter(at__date__lte=data["date_to"])
        for name in ("department", "prosecutor", "method"):
            if data.get(name):
                assignments = assignments.filter(**{name: data[name]})
        return assignments
