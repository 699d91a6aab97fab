from django import forms

from bihuan.orgs.choices import RoleCode
from bihuan.orgs.models import Organisation


class PeopleFilterForm(forms.Form):
    org = forms.ModelChoiceField(label="单位", queryset=Organisation.objects.none(), required=False, empty_label="全部")
    q = forms.CharField(label="姓名或用户名", required=False, max_length=50)

    def __init__(self, *args, orgs, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class RolesForm(forms.Form):
    roles = forms.MultipleChoiceField(
        label="角色", choices=RoleCode.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
