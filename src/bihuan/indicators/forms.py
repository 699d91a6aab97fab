"""The scope and period pickers of the indicator pages (query string: scope, from, to)."""

from typing import Any

from django import forms

from bihuan.indicators.access import Scope, scope_choices
from bihuan.indicators.definitions import INDICATORS, PARTS
from bihuan.indicators.periods import Period
from bihuan.orgs.models import User
from bihuan.web.widgets import FastSelect

DATE = forms.DateInput(attrs={"type": "date"})


class PeriodForm(forms.Form):
    """The period; `scope` is checked by `access_scope` before the form is built."""

    def __init__(self, *args: Any, user: User, scope: Scope | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = scope_choices(user, scope)
        self.fields["scope"] = forms.ChoiceField(label="统计范围", choices=choices, widget=FastSelect)
        # "from" and "to" are the parameters' names (a Python keyword cannot be a field attribute).
        self.fields["from"] = forms.DateField(label="自", widget=DATE)
        self.fields["to"] = forms.DateField(label="至", widget=DATE)

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("from"), data.get("to")
        if start and end and start > end:
            self.add_error("to", "结束日期不能早于开始日期。")
        return data

    @property
    def period(self) -> Period:
        return Period(self.cleaned_data["from"], self.cleaned_data["to"])


class DrillForm(PeriodForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"] = forms.ChoiceField(
            label="指标", choices=[(i.code, i.name) for i in INDICATORS], widget=FastSelect
        )
        self.fields["part"] = forms.ChoiceField(
            label="分子/分母", choices=list(zip(PARTS, ("分子", "分母"), strict=True)), widget=FastSelect
        )
