"""The report figures recomputed from the case cards, and the comparison with what was reported.

This is the interface the patrol (电子巡逻车, seed 004: 案卡 ↔ 业务报表) and the indicators use:

    case_figures(org, year, month, department=None) -> {item code: count}
    compare(org, year, month, department=None) -> [Row(item, reported, computed, difference, figure)]
    cases_behind(item_code, org, year, month, department=None) -> QuerySet[Case]
    reported_figures(org, year, month, department=None) -> {item code: ReportFigure}
    reported_units(year, month) -> [(org, department or None)]  (the units that reported the month)

Each count is one conditional aggregate per basis of the catalogue (items.py): at most one query
for the cases received, one for the cases concluded, one for the suspects of concluded cases, one
for procedural links and one for withdrawals — never a loop over cases.
"""

from dataclasses import dataclass
from datetime import date
from functools import reduce
from operator import or_

from django.db.models import Count, QuerySet

from bihuan.bizreports.items import BY_CODE, ITEMS, Basis, ReportItem
from bihuan.bizreports.models import ReportFigure
from bihuan.cases.models import Case, ProceduralLink, Suspect
from bihuan.orgs.models import Department, Organisation

MODELS = {"case": Case, "suspect": Suspect, "link": ProceduralLink}


def month_bounds(year: int, month: int) -> tuple[date, date]:
    """The first day of the month and the first day of the next."""
    first = date(year, month, 1)
    after = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return first, after


def _rows(basis: Basis, org: Organisation, year: int, month: int, department: Department | None) -> QuerySet:
    """The rows a basis counts for one unit and month, before the items' own filters."""
    prefix = "" if basis.counted == "case" else "case__"
    unit = {f"{prefix}org": org}
    if department is not None:
        unit[f"{prefix}department"] = department
    return MODELS[basis.counted].objects.filter(basis.period_q(*month_bounds(year, month)), **unit)


def case_figures(org: Organisation, year: int, month: int, department: Department | None = None) -> dict[str, int]:
    """Every item of the catalogue counted from the case cards of the unit (the whole
    procuratorate when `department` is None) for the month."""
    figures: dict[str, int] = {}
    for basis in Basis:
        items = [item for item in ITEMS if item.basis is basis]
        if items:
            # Only rows some item counts (e.g. the two link kinds of 退补 and 延长) are read.
            counted = reduce(or_, (item.where for item in items))
            counts = (
                _rows(basis, org, year, month, department)
                .filter(counted)
                .aggregate(**{item.code: Count("pk", filter=item.where) for item in items})
            )
            figures.update(counts)
    return {item.code: figures[item.code] for item in ITEMS}


def cases_behind(
    item_code: str, org: Organisation, year: int, month: int, department: Department | None = None
) -> QuerySet[Case]:
    """The cases whose card rows make up the computed figure of an item (for a page to list:
    intersect with `visible_cases(user)` first)."""
    item = BY_CODE[item_code]
    rows = _rows(item.basis, org, year, month, department).filter(item.where)
    if item.basis.counted == "case":
        return Case.objects.filter(pk__in=rows.values("pk"))
    return Case.objects.filter(pk__in=rows.values("case_id"))


def reported_figures(
    org: Organisation, year: int, month: int, department: Department | None = None
) -> dict[str, ReportFigure]:
    """The current reported figure of each item that has one."""
    figures = ReportFigure.objects.filter(
        org=org, department=department, year=year, month=month, is_current=True
    ).select_related("batch", "batch__imported_by", "entered_by")
    return {figure.item: figure for figure in figures}


def reported_units(year: int, month: int) -> list[tuple[Organisation, Department | None]]:
    """The units (a procuratorate, or one of its departments) with current reported figures for
    the month: what a full patrol run compares."""
    units = (
        ReportFigure.objects.filter(year=year, month=month, is_current=True)
        .values_list("org_id", "department_id")
        .distinct()
    )
    pairs = sorted(set(units), key=lambda pair: (pair[0], pair[1] or 0))
    orgs = Organisation.objects.in_bulk({org_id for org_id, _ in pairs})
    departments = Department.objects.in_bulk({dept_id for _, dept_id in pairs if dept_id})
    return [(orgs[org_id], departments.get(dept_id)) for org_id, dept_id in pairs]


@dataclass(frozen=True)
class Row:
    item: ReportItem
    reported: int | None  # None: not reported
    computed: int
    difference: int | None  # reported − computed; None when not reported
    figure: ReportFigure | None  # the current reported figure, with its batch

    @property
    def differs(self) -> bool:
        return bool(self.difference)


def compare(org: Organisation, year: int, month: int, department: Department | None = None) -> list[Row]:
    """The reported figures beside the figures the case cards give, item by item."""
    computed = case_figures(org, year, month, department)
    reported = reported_figures(org, year, month, department)
    rows = []
    for item in ITEMS:
        figure = reported.get(item.code)
        value = figure.value if figure else None
        difference = None if value is None else value - computed[item.code]
        rows.append(Row(item, value, computed[item.code], difference, figure))
    return rows
