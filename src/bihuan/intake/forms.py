"""Forms of the intake desk: registration with its suspects, materials received, acceptance."""

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone

from bihuan.cases.choices import CaseType, Gender, LikelySentence, MeasureKind, Procedure
from bihuan.cases.models import Charge, Tag
from bihuan.intake.access import default_department, handling_departments
from bihuan.intake.checks import Element, identity_problems, materials_received, minor_problem
from bihuan.intake.models import ElementKind, RequiredMaterial
from bihuan.orgs.models import Agency, Department, User
from bihuan.web.widgets import FastSelect, ValuesModelChoiceField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def material_names() -> list[str]:
    """The names of the materials any case type requires, once each, in configured order."""
    names = RequiredMaterial.objects.filter(kind=ElementKind.MATERIAL, active=True).values_list("name", flat=True)
    return list(dict.fromkeys(names))


class RegisterForm(forms.Form):
    """登记: the case as it arrives from the transferring agency."""

    case_type = forms.ChoiceField(label="案件类别", choices=CaseType.choices)
    name = forms.CharField(label="案件名称", max_length=200)
    source_agency = forms.ModelChoiceField(label="移送单位", queryset=Agency.objects.none(), widget=FastSelect)
    # The 刑事检察部门 that will handle it; triage and assignment then work inside it.
    department = forms.ModelChoiceField(label="承办部门", queryset=Department.objects.none(), required=False)
    charge = ValuesModelChoiceField(
        label="移送案由（罪名）", queryset=Charge.objects.all(), label_field="name", widget=FastSelect
    )
    received_date = forms.DateField(label="收案日期", widget=DATE)
    procedure = forms.ChoiceField(label="适用程序", choices=Procedure.choices, initial=Procedure.ORDINARY)
    is_major_complex = forms.BooleanField(label="重大复杂", required=False)
    likely_sentence = forms.ChoiceField(label="可能判处刑罚", choices=LikelySentence.choices, required=False)
    tags = forms.ModelMultipleChoiceField(
        label="案件标签", queryset=Tag.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    summary = forms.CharField(label="简要案情", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    materials = forms.MultipleChoiceField(
        label="已接收的随案移送材料", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["source_agency"].queryset = Agency.objects.filter(org_id=user.org_id)
        self.fields["department"].queryset = handling_departments(user)
        self.fields["department"].initial = default_department(user)
        self.fields["materials"].choices = [(n, n) for n in material_names()]
        self.fields["received_date"].initial = timezone.localdate()

    def clean_department(self) -> Department:
        """Left empty, the procuratorate's only 刑事检察部门."""
        value = self.cleaned_data["department"] or default_department(self.user)
        if value is None:
            raise forms.ValidationError("本院有多个刑事检察部门，请选择承办部门。")
        return value

    def clean_received_date(self) -> date:
        value = self.cleaned_data["received_date"]
        if value > timezone.localdate():
            raise forms.ValidationError("收案日期不能晚于今天。")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        case_type = data.get("case_type")
        if case_type:
            found, error = materials_received(case_type, data.get("materials", []))
            if error:
                self.add_error("materials", error)
            data["received"] = found
        return data


class SuspectForm(forms.Form):
    """One suspect with the coercive measure in force on receipt."""

    name = forms.CharField(label="姓名", max_length=50)
    gender = forms.ChoiceField(label="性别", choices=[("", "—"), *Gender.choices])
    id_number = forms.CharField(label="公民身份号码", max_length=18, required=False)
    birth_date = forms.DateField(label="出生日期", required=False, widget=DATE)
    is_minor = forms.BooleanField(label="未成年人", required=False)
    plea = forms.BooleanField(label="认罪认罚", required=False)
    measure_kind = forms.ChoiceField(label="强制措施", choices=[("", "未采取"), *MeasureKind.choices], required=False)
    measure_start = forms.DateField(label="起始日期", required=False, widget=DATE)
    measure_place = forms.CharField(label="羁押（执行）处所", max_length=100, required=False)

    def __init__(self, *args: Any, received_date: date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.received_date = received_date

    def clean_id_number(self) -> str:
        return self.cleaned_data["id_number"].strip().upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        number = data.get("id_number")
        if number:
            for problem in identity_problems(number, data.get("birth_date"), data.get("gender", "")):
                self.add_error("id_number", problem)
            if not data.get("birth_date") and not self.has_error("id_number"):
                # The birth date is inside the number; the card takes it from there.
                data["birth_date"] = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
        problem = minor_problem(data.get("birth_date"), self.received_date, data.get("is_minor", False))
        if problem:
            self.add_error("is_minor", problem)
        if data.get("measure_kind") and not data.get("measure_start"):
            self.add_error("measure_start", "请填写强制措施的起始日期。")
        if data.get("measure_start") and not data.get("measure_kind"):
            self.add_error("measure_kind", "请选择强制措施种类。")
        return data

    def suspect_fields(self) -> dict[str, Any]:
        """The values for `do_register_case`: the suspect's fields and its measures."""
        data = self.cleaned_data
        entry = {k: data[k] for k in ("name", "gender", "id_number", "birth_date", "is_minor", "plea")}
        entry["measures"] = (
            [{"kind": data["measure_kind"], "start_date": data["measure_start"], "place": data["measure_place"]}]
            if data.get("measure_kind")
            else []
        )
        return entry


class BaseSuspectFormSet(forms.BaseFormSet):
    default_error_messages = {**forms.BaseFormSet.default_error_messages, "too_few_forms": "请至少登记一名犯罪嫌疑人。"}


SuspectFormSet = forms.formset_factory(
    SuspectForm, formset=BaseSuspectFormSet, extra=2, min_num=1, validate_min=True, max_num=30, validate_max=True
)


class VersionForm(forms.Form):
    """The case's row_version as the person saw it."""

    row_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class MaterialsForm(VersionForm):
    materials = forms.ModelMultipleChoiceField(
        label="已接收材料",
        queryset=RequiredMaterial.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, case_type: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["materials"].queryset = RequiredMaterial.objects.filter(
            case_type=case_type, kind=ElementKind.MATERIAL, active=True
        )


class AcceptForm(VersionForm):
    """Acceptance, with a due date and a reason for each missing element taken 先收后补."""

    def __init__(self, *args: Any, missing: list[Element], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.missing = [e for e in missing if e.deferred is None]
        for element in self.missing:
            pk = element.requirement.pk
            self.fields[f"due_{pk}"] = forms.DateField(label=f"{element.name} 补送期限", required=False, widget=DATE)
            self.fields[f"reason_{pk}"] = forms.CharField(label="原因", max_length=200, required=False)

    def rows(self) -> list[tuple[Element, forms.BoundField, forms.BoundField]]:
        return [(e, self[f"due_{e.requirement.pk}"], self[f"reason_{e.requirement.pk}"]) for e in self.missing]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        defer = []
        for element in self.missing:
            pk = element.requirement.pk
            due, reason = data.get(f"due_{pk}"), (data.get(f"reason_{pk}") or "").strip()
            if due is None and reason:
                self.add_error(f"due_{pk}", "先收后补须写明补送期限。")
            elif due is not None:
                if not reason:
                    self.add_error(f"reason_{pk}", "请写明先收后补的原因。")
                defer.append((element.name, due, reason))
        data["defer"] = defer
        return data


class FulfilForm(VersionForm):
    item = forms.IntegerField(widget=forms.HiddenInput)
