"""The case list filters, shared by the case list page and the API.

`CaseFilterForm` parses the query string; `filter_cases` applies its cleaned data to a queryset
that is already limited to the viewer's scope (`visible_cases`). Every filter maps to an indexed
column, and the search picks the indexed column that fits what was typed.
"""

import re
from typing import Any, NamedTuple

from django import forms
from django.db.models import Q, QuerySet

from bihuan.cases.choices import CaseType, RiskLevel, Stage, Track
from bihuan.cases.models import Case, Charge, Suspect
from bihuan.cases.numbering import DEPT_CASE_NO, UNIFIED_CASE_NO, normalise_dept_case_no
from bihuan.orgs.choices import RoleCode
from bihuan.orgs.models import Department, Organisation, User
from bihuan.orgs.scope import ORG_WIDE_ROLES
from bihuan.web.widgets import FastSelect, ValuesModelChoiceField

# Track.UNSORTED is stored as "", which a select uses for "any"; the form names it explicitly.
TRACK_UNSORTED = "unsorted"
ANY = [("", "全部")]

EXACT_FILTERS = ("org", "department", "prosecutor", "charge", "stage", "risk_level", "case_type")

# Up to this many suspects found by name are passed to the case query as a list of ids.
FEW_SUSPECTS = 1_000

# 部门受案号 as typed: it names the 受 of 受案号, or carries a bracketed year.
DEPT_NO_HINT = re.compile(r"受|[\[〔［]")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj}（{obj.org.short_name}）" if obj.org_id else str(obj)


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label="搜索",
        required=False,
        max_length=100,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "部门受案号 / 统一受案号 / 案件名称 / 犯罪嫌疑人姓名"}
        ),
    )
    org = forms.ModelChoiceField(
        label="承办单位", queryset=Organisation.objects.none(), required=False, empty_label="全部", widget=FastSelect
    )
    department = forms.ModelChoiceField(
        label="承办部门", queryset=Department.objects.none(), required=False, empty_label="全部", widget=FastSelect
    )
    prosecutor = PersonChoiceField(
        label="承办检察官", queryset=User.objects.none(), required=False, empty_label="全部", widget=FastSelect
    )
    stage = forms.ChoiceField(label="办理阶段", choices=ANY + Stage.choices, required=False, widget=FastSelect)
    track = forms.ChoiceField(
        label="繁简",
        choices=ANY
        + [(Track.SIMPLE, Track.SIMPLE.label), (Track.COMPLEX, Track.COMPLEX.label), (TRACK_UNSORTED, "未分流")],
        required=False,
        widget=FastSelect,
    )
    risk_level = forms.ChoiceField(label="风险等级", choices=ANY + RiskLevel.choices, required=False, widget=FastSelect)
    case_type = forms.ChoiceField(label="案件类别", choices=ANY + CaseType.choices, required=False, widget=FastSelect)
    charge = ValuesModelChoiceField(
        label="移送案由（罪名）",
        queryset=Charge.objects.all(),
        label_field="name",
        required=False,
        empty_label="全部",
        widget=FastSelect,
    )
    received_from = forms.DateField(label="受理日期自", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    received_to = forms.DateField(label="受理日期至", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = scope_orgs(user)
        self.fields["org"].queryset = orgs
        self.fields["department"].queryset = Department.objects.filter(org__in=orgs).select_related("org")
        prosecutors = User.objects.filter(org__in=orgs, roles__code=RoleCode.PROSECUTOR, is_active=True)
        if not user.has_role(*ORG_WIDE_ROLES, RoleCode.DEPT_HEAD):
            # Team members read their own and their team's cases: offer only those prosecutors.
            prosecutors = prosecutors.filter(Q(pk=user.pk) | Q(team_id=user.team_id) if user.team_id else Q(pk=user.pk))
        self.fields["prosecutor"].queryset = prosecutors.select_related("org").order_by("org__path", "full_name")

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("received_from"), data.get("received_to")
        if start and end and start > end:
            self.add_error("received_to", "结束日期不能早于开始日期。")
        return data


def scope_orgs(user: User) -> QuerySet[Organisation]:
    """The procuratorates whose cases the user may read: the subtree for those who read the
    procuratorates below (chiefs, case managers, department heads), otherwise their own."""
    if user.org_id is None:
        return Organisation.objects.none()
    if user.has_role(*ORG_WIDE_ROLES, RoleCode.DEPT_HEAD):
        return Organisation.objects.filter(path__startswith=user.org.path)
    return Organisation.objects.filter(pk=user.org_id)


class FilteredCases(NamedTuple):
    """Filtered cases, and whether counting them is cheap: a search matching many suspects, or a
    scan of case names, finds its page in received-date order, but a count would have to go
    through every case in scope."""

    cases: QuerySet[Case]
    countable: bool = True


def search_cases(queryset: QuerySet[Case], text: str) -> FilteredCases:
    """Search by what the input looks like, so that each branch uses an index:

    - digits only: 统一受案号, exact (17 digits) or prefix;
    - a 部门受案号 (〔〕 and ［］ accepted): exact when complete, else prefix;
    - anything else: suspects whose name starts with it (Suspect.name is indexed); if there are
      none, the charges whose name contains it; else case names containing it.
    """
    compact = re.sub(r"\s+", "", text)
    if not compact:
        return FilteredCases(queryset)
    if compact.isdigit():
        if UNIFIED_CASE_NO.match(compact):
            return FilteredCases(queryset.filter(unified_case_no=compact))
        return FilteredCases(queryset.filter(unified_case_no__startswith=compact))
    if DEPT_NO_HINT.search(compact):
        number = normalise_dept_case_no(compact)
        if DEPT_CASE_NO.match(number):
            return FilteredCases(queryset.filter(dept_case_no=number))
        return FilteredCases(queryset.filter(dept_case_no__startswith=number))
    # One OR of both would scan every case for a rare name. Case names begin with the suspect's
    # name (张某某危险驾驶案), so input that matches suspects is looked up through their index,
    # and only other input (盗窃, 赌场) falls back to scanning case names. A few matches are
    # passed as ids, which the planner cannot misjudge; many stay a subquery, and the list then
    # finds its page early in received-date order.
    by_suspect = Suspect.objects.filter(name__startswith=compact).values_list("case_id", flat=True)
    case_ids = list(by_suspect[: FEW_SUSPECTS + 1])
    if len(case_ids) > FEW_SUSPECTS:
        return FilteredCases(queryset.filter(pk__in=by_suspect), countable=False)
    if case_ids:
        return FilteredCases(queryset.filter(pk__in=case_ids))
    # Case names are the first suspect's name and the charge (张某某盗窃案): input that names no
    # suspect but is part of a charge name (盗窃, 赌场) is looked up through the charge index.
    charge_ids = list(Charge.objects.filter(name__contains=compact).values_list("pk", flat=True))
    if charge_ids:
        return FilteredCases(queryset.filter(charge_id__in=charge_ids))
    # Anything else scans the case names in scope: list the page, but do not count as well.
    return FilteredCases(queryset.filter(name__contains=compact), countable=False)


def filter_cases(queryset: QuerySet[Case], data: dict) -> FilteredCases:
    """Apply a CaseFilterForm's cleaned data."""
    exact = {name: data.get(name) for name in EXACT_FILTERS}
    queryset = queryset.filter(**{name: value for name, value in exact.items() if value})
    track = data.get("track")
    if track:
        queryset = queryset.filter(track=Track.UNSORTED if track == TRACK_UNSORTED else track)
    if data.get("received_from"):
        queryset = queryset.filter(received_date__gte=data["received_from"])
    if data.get("received_to"):
        queryset = queryset.filter(received_date__lte=data["received_to"])
    return search_cases(queryset, data.get("q") or "")
