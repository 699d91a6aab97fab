from typing import Any

from django import forms
from django.utils import timezone

from bihuan.bizreports.access import may_read, readable_orgs, reads_whole_orgs
from bihuan.bizreports.importer import FIRST_YEAR, MAX_FILE_BYTES
from bihuan.bizreports.items import CHOICES, ITEMS
from bihuan.orgs.models import Department, User
from bihuan.web.widgets import FastSelect

MONTHS = [(m, f"{m}月") for m in range(1, 13)]


def last_month() -> tuple[int, int]:
    """Reports are made after a month ends: the month before this one."""
    first = timezone.localdate().replace(day=1)
    return (first.year - 1, 12) if first.month == 1 else (first.year, first.month - 1)


def unit_defaults(user: User) -> dict[str, Any]:
    year, month = last_month()
    department = "" if reads_whole_orgs(user) else user.department_id
    return {"org": user.org_id, "department": department, "year": year, "month": month}


class MonthFields(forms.Form):
    year = forms.IntegerField(label="年", min_value=FIRST_YEAR, widget=forms.NumberInput(attrs={"class": "year"}))
    month = forms.TypedChoiceField(label="月", choices=MONTHS, coerce=int, widget=FastSelect)

    def clean(self) -> dict:
        data = super().clean()
        year, month = data.get("year"), data.get("month")
        today = timezone.localdate()
        if year and month and (year, month) > (today.year, today.month):
            self.add_error("month", f"{year}年{month}月尚未到来。")
        return data


class ReportUnitForm(MonthFields):
    """Which procuratorate, department and month the report page shows."""

    org = forms.ModelChoiceField(label="检察院", queryset=None, empty_label=None, widget=FastSelect)
    department = forms.ModelChoiceField(
        label="部门", queryset=None, required=False, empty_label="全院", widget=FastSelect
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        orgs = readable_orgs(user)
        self.fields["org"].queryset = orgs
        self.fields["department"].queryset = Department.objects.filter(org__in=orgs).select_related("org")

    def clean(self) -> dict:
        data = super().clean()
        org, department = data.get("org"), data.get("department")
        if org is None:
            return data
        if department is not None and department.org_id != org.pk:
            self.add_error("department", f"该部门不属于{org.name}。")
        elif not may_read(self.user, org, department):
            self.add_error("department", "无权查看该单位的业务报表，请选择本部门。")
        return data


class ItemCasesForm(ReportUnitForm):
    item = forms.ChoiceField(label="报表项目", choices=CHOICES, widget=FastSelect)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="报表文件",
        help_text=f"CSV（UTF-8 或 GB18030 编码）或 Excel（.xlsx），不超过 {MAX_FILE_BYTES // 1024 // 1024} MB",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    all_or_nothing = forms.BooleanField(label="有任一行错误时全部不导入", required=False)


class EntryForm(MonthFields):
    """Manual entry for one unit and month of the user's own procuratorate; one field per item."""

    department = forms.ModelChoiceField(
        label="部门", queryset=None, required=False, empty_label="全院", widget=FastSelect
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(org_id=user.org_id)
        for item in ITEMS:
            self.fields[item.code] = forms.IntegerField(
                label=item.label, min_value=0, required=False, help_text=item.definition
            )

    def item_fields(self) -> list:
        return [self[item.code] for item in ITEMS]

    def values(self) -> dict[str, int]:
        """The figures filled in; an empty field keeps the current figure."""
        return {item.code: self.cleaned_data[item.code] for item in ITEMS if self.cleaned_data[item.code] is not None}
