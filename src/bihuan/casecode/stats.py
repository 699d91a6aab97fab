"""案件码统计: the figures of the case code over a set of cases and a period, all set-based
(seed 001 case 6: "在办案件得分详情及'转码'查询统计功能"; issue 4 §8).

Every figure counts only the cases the viewer may read (the rule of
`bihuan.cases.access.visible_cases`) narrowed by the filters, both applied to the copies of the
case's scope columns on the evaluations and codes (`models.ScopeCopy`), never to the case table.
The page takes three aggregate queries whatever the number of cases (the codes, the evaluations, the deductions):

- cases by colour, and by procuratorate / department / prosecutor / agency: the current colour
  (`CaseCode.colour`) of the cases evaluated at least once in the period;
- per month: the evaluations of the period by resulting colour, and the 转码 (a colour other than
  the one of the case's previous evaluation, found by joining each evaluation to the one before);
- the most frequent deduction items of the period's evaluations, by item name (the name stays the
  same across template versions);
- the average days from the first red or yellow code to green, over the cases turned green in the
  period (`first_non_green_on` → `turned_green_on`);
- the re-evaluations overdue today (red every 7 days, yellow every 15, domain-rules §7.4), of
  cases not yet closed.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from io import BytesIO

from django.db.models import (
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from bihuan.casecode.models import CaseCode, Colour, Deduction, Evaluation
from bihuan.cases.access import visible_cases
from bihuan.cases.models import Case
from bihuan.orgs.models import Agency, Department, Organisation, User
from bihuan.orgs.scope import case_view_q

COLOURS = (Colour.RED, Colour.YELLOW, Colour.GREEN)
# The 转码 counted: towards green first, then away from it.
TRANSITIONS = (
    (Colour.RED, Colour.YELLOW),
    (Colour.YELLOW, Colour.GREEN),
    (Colour.RED, Colour.GREEN),
    (Colour.GREEN, Colour.YELLOW),
    (Colour.YELLOW, Colour.RED),
    (Colour.GREEN, Colour.RED),
)
TRANSITION_LABELS = {f"{a}_{b}": f"{Colour(a).label[0]}转{Colour(b).label[0]}" for a, b in TRANSITIONS}
TOP_ITEMS = 10


@dataclass(frozen=True)
class Filters:
    """Which cases and which period the figures cover; None means any."""

    start: date
    end: date
    org: Organisation | None = None  # with the procuratorates below it
    department: Department | None = None
    prosecutor: User | None = None
    agency: Agency | None = None

    def scope_label(self) -> str:
        parts = [f"{self.org.name}（含下级院）" if self.org else "全部可查看的检察院"]
        parts += [str(x) for x in (self.department, self.prosecutor, self.agency) if x is not None]
        return " · ".join(parts)

    def period_label(self) -> str:
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"


def this_year(today: date | None = None) -> tuple[date, date]:
    today = today or timezone.localdate()
    return date(today.year, 1, 1), today


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _bounds(filters: Filters) -> tuple[datetime, datetime]:
    """The period as [start 00:00, the day after the end 00:00) in local time."""
    return _local_midnight(filters.start), _local_midnight(filters.end + timedelta(days=1))


def case_scope(user: User, filters: Filters, prefix: str = "") -> Q:
    """The cases of `visible_cases(user)` narrowed by the filters, as a condition on the copies
    of the case's scope columns (`models.ScopeCopy`) of an Evaluation or a CaseCode, reached
    through `prefix` ("" on the row itself, "evaluation__" from a Deduction).

    The same rule as `visible_cases` (`case_view_q`), on the copies: no statistics query reads the
    wide case table, of a million rows, to find which cases a person may read."""
    q = case_view_q(user, prefix)
    if filters.org is not None:
        q &= Q(**{f"{prefix}org__path__startswith": filters.org.path})
    if filters.department is not None:
        q &= Q(**{f"{prefix}department": filters.department})
    if filters.prosecutor is not None:
        q &= Q(**{f"{prefix}prosecutor": filters.prosecutor})
    if filters.agency is not None:
        q &= Q(**{f"{prefix}source_agency": filters.agency})
    return q


def _in_period(filters: Filters, field: str = "evaluated_at") -> Q:
    start, end = _bounds(filters)
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def period_evaluations(user: User, filters: Filters) -> QuerySet[Evaluation]:
    return Evaluation.objects.filter(case_scope(user, filters), _in_period(filters))


def evaluated_codes(user: User, filters: Filters) -> QuerySet[CaseCode]:
    """The current codes of the cases evaluated at least once in the period."""
    in_period = Evaluation.objects.filter(_in_period(filters), case_id=OuterRef("case_id"))
    return CaseCode.objects.filter(case_scope(user, filters), Exists(in_period))


def turned_green_q(filters: Filters) -> Q:
    """Codes that turned green in the period after a red or yellow code (such a case was
    evaluated in the period: the evaluation that turned it green)."""
    return Q(turned_green_on__gte=filters.start, turned_green_on__lte=filters.end, first_non_green_on__isnull=False)


def _by_colour() -> dict:
    return {**{colour.value: Count("pk", filter=Q(colour=colour)) for colour in COLOURS}, "total": Count("pk")}


# The tables of current codes: the case's column each is grouped by. Cases without a value (no
# prosecutor, no agency) make a row with key None.
GROUP_TITLES = {"org": "检察院", "department": "承办部门", "prosecutor": "承办检察官", "agency": "侦查机关"}
GROUPS = {
    "org": "org_id",
    "department": "department_id",
    "prosecutor": "prosecutor_id",
    "agency": "source_agency_id",
}
COUNTS = (*(c.value for c in COLOURS), "total")
NOT_FILLED = "（未填）"


def _labels(group: str, keys: list[int]) -> dict[int, str]:
    """The names of the rows of a table, read after the counts (a few rows, never per case)."""
    if group == "org":
        return dict(Organisation.objects.filter(pk__in=keys).values_list("pk", "name"))
    if group == "department":
        return {
            d.pk: f"{d.name} · {d.org.short_name}" for d in Department.objects.filter(pk__in=keys).select_related("org")
        }
    if group == "prosecutor":
        people = User.objects.filter(pk__in=keys).select_related("org")
        return {p.pk: f"{p} · {p.org.short_name}" if p.org_id else str(p) for p in people}
    return dict(Agency.objects.filter(pk__in=keys).values_list("pk", "name"))


def code_figures(user: User, filters: Filters, today: date) -> tuple[dict[str, list[dict]], dict, dict]:
    """From the current codes in scope:

    - the cases evaluated in the period, by current colour: for each of GROUPS, rows {key, label,
      red, yellow, green, total}, largest first;
    - {"cases": n, "days": average days from the first red or yellow code to green} over those
      that turned green in the period (such a case was evaluated in it: that evaluation);
    - the re-evaluations overdue today, by colour, of cases not closed (whatever the period).

    One query groups the codes by the four keys; the tables then sum those groups (a prosecutor
    with an agency, never single cases), and their rows are named afterwards. The overdue codes
    are counted by a second query."""
    green = turned_green_q(filters)
    combined = (
        evaluated_codes(user, filters)
        .values(*GROUPS.values())
        .annotate(
            **_by_colour(),
            green_cases=Count("pk", filter=green),
            green_days=Sum(F("turned_green_on") - F("first_non_green_on"), filter=green),
        )
        .order_by()
    )
    tables: dict[str, dict] = {group: {} for group in GROUPS}
    green_cases, green_span = 0, timedelta(0)
    for row in combined:
        green_cases += row["green_cases"]
        green_span += row["green_days"] or timedelta(0)
        for group, key in GROUPS.items():
            entry = tables[group].setdefault(row[key], {"key": row[key], **dict.fromkeys(COUNTS, 0)})
            for name in COUNTS:
                entry[name] += row[name]
    sorted_tables = {}
    for group, rows in tables.items():
        names = _labels(group, [key for key in rows if key is not None])
        for key, entry in rows.items():
            entry["label"] = names.get(key, NOT_FILLED) if key is not None else NOT_FILLED
        sorted_tables[group] = sorted(rows.values(), key=lambda entry: (-entry["total"], entry["label"]))
    days = round(green_span.total_seconds() / 86400 / green_cases, 1) if green_cases else None
    overdue = overdue_codes(user, filters, today).aggregate(**_by_colour())
    return sorted_tables, {"cases": green_cases, "days": days}, overdue


def _with_previous(evaluations: QuerySet[Evaluation]) -> QuerySet[Evaluation]:
    """The evaluations annotated with the colour of the case's evaluation just before each
    (seq − 1), as `previous`: the colour a 转码 starts from, whether or not that evaluation lies
    in the period (read by the (case, seq) key, without the case row)."""
    before = (
        Evaluation.objects.filter(case_id=OuterRef("case_id"), seq=OuterRef("seq") - 1).order_by().values("colour")[:1]
    )
    return evaluations.annotate(previous=Subquery(before))


def monthly(user: User, filters: Filters) -> list[dict]:
    """One row per month of the period: {month, red, yellow, green, total} evaluations by
    resulting colour, and the 转码 counts {"red_yellow": n, …}: evaluations whose colour differs
    from that of the case's previous evaluation.

    One query counts the period's evaluations by month, colour and previous colour (a join of
    each evaluation to the one before it, which a window function LAG over each case's
    evaluations would give too, at the cost of a sort of every evaluation up to the period's end)."""
    counted = (
        _with_previous(period_evaluations(user, filters))
        .values("colour", "previous", month=TruncMonth("evaluated_at", output_field=DateField()))
        .annotate(n=Count("pk"))
        .order_by()
    )
    months: dict[date, dict] = {}
    year, month = filters.start.year, filters.start.month
    while (year, month) <= (filters.end.year, filters.end.month):
        first = date(year, month, 1)
        months[first] = {"month": first, **dict.fromkeys(COUNTS, 0), **dict.fromkeys(TRANSITION_LABELS, 0)}
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    for group in counted:
        row = months[group["month"]]
        row[group["colour"]] += group["n"]
        row["total"] += group["n"]
        if group["previous"] is not None and group["previous"] != group["colour"]:
            row[f"{group['previous']}_{group['colour']}"] += group["n"]
    return list(months.values())


def top_items(user: User, filters: Filters, limit: int = TOP_ITEMS) -> list[dict]:
    """The deduction items most often deducted in the period's evaluations: {name, n, points,
    vetoes}, by item name."""
    return list(
        Deduction.objects.filter(
            case_scope(user, filters, "evaluation__"), _in_period(filters, "evaluation__evaluated_at")
        )
        .values(name=F("item__name"))
        .annotate(n=Count("pk"), points=Sum("points"), vetoes=Count("pk", filter=Q(veto=True)))
        .order_by("-n", "-points", "name")[:limit]
    )


def overdue_codes(user: User, filters: Filters, today: date) -> QuerySet[CaseCode]:
    """The codes whose re-evaluation is overdue today, of cases not closed (any period). Whether
    the case is closed is read per overdue code by the case's key, not by joining the case table
    (which the database would scan whole)."""
    closed_on = Case.objects.filter(pk=OuterRef("case_id")).order_by().values("closed_date")[:1]
    return (
        CaseCode.objects.filter(case_scope(user, filters), reevaluate_by__lt=today)
        .annotate(case_closed_on=Subquery(closed_on))
        .filter(case_closed_on__isnull=True)
    )


#
# The whole report, its chart and its workbook
#


@dataclass(frozen=True)
class Report:
    filters: Filters
    today: date
    colours: dict[str, int]
    groups: dict[str, list[dict]]
    months: list[dict]
    items: list[dict]
    green: dict
    overdue: dict[str, int]

    @property
    def group_tables(self) -> list[tuple[str, str, list[dict]]]:
        return [(group, GROUP_TITLES[group], self.groups[group]) for group in GROUPS]

    @property
    def month_rows(self) -> list[dict]:
        """The monthly rows with their 转码 as a list of (from, to, n), in the order of TRANSITIONS."""
        return [{**row, "changes": [(a, b, row[f"{a}_{b}"]) for a, b in TRANSITIONS]} for row in self.months]


def report(user: User, filters: Filters, today: date | None = None) -> Report:
    """Every table of the statistics page: four aggregate queries, whatever the number of cases."""
    today = today or timezone.localdate()
    groups, green, overdue = code_figures(user, filters, today)
    # Every case has a procuratorate: the totals are the sums of that table's rows.
    colours = {name: sum(row[name] for row in groups["org"]) for name in COUNTS}
    return Report(
        filters=filters,
        today=today,
        colours=colours,
        groups=groups,
        months=monthly(user, filters),
        items=top_items(user, filters),
        green=green,
        overdue=overdue,
    )


def chart_data(report: Report) -> dict:
    """The monthly trend for the page's chart (passed with json_script)."""
    return {
        "months": [f"{row['month']:%Y-%m}" for row in report.months],
        "colours": {c.value: {"label": c.label, "data": [row[c.value] for row in report.months]} for c in COLOURS},
        "changes": {
            key: {"label": label, "data": [row[key] for row in report.months]}
            for key, label in TRANSITION_LABELS.items()
        },
    }


def _sheet(book: Workbook, title: str, report: Report, header: list[str], rows: list[list]) -> None:
    sheet = book.create_sheet(title)
    sheet.append([f"案件码统计 · {title} · {report.filters.scope_label()} · 评分日期 {report.filters.period_label()}"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet["A1"].font = Font(bold=True)
    sheet.append(header)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.column_dimensions["A"].width = 28


def workbook(report: Report) -> bytes:
    """The report as an .xlsx file: one sheet per table, a title row with the scope and period."""
    book = Workbook()
    book.remove(book.active)
    colour_header = [c.label for c in COLOURS] + ["合计"]
    _sheet(
        book,
        "按颜色",
        report,
        ["颜色", "案件数"],
        [[c.label, report.colours[c.value]] for c in COLOURS] + [["合计", report.colours["total"]]],
    )
    for group, title in GROUP_TITLES.items():
        rows = [[row["label"], *(row[name] for name in COUNTS)] for row in report.groups[group]]
        _sheet(book, f"按{title}", report, [title, *colour_header], rows)
    _sheet(
        book,
        "按月评分与转码",
        report,
        ["月份", *(f"评为{c.label}" for c in COLOURS), "评分次数", *TRANSITION_LABELS.values()],
        [
            [f"{row['month']:%Y-%m}", *(row[name] for name in COUNTS), *(row[key] for key in TRANSITION_LABELS)]
            for row in report.months
        ],
    )
    _sheet(
        book,
        "高频扣分项",
        report,
        ["评分项", "扣分次数", "扣分合计", "一票否决次数"],
        [[row["name"], row["n"], float(row["points"]), row["vetoes"]] for row in report.items],
    )
    _sheet(
        book,
        "转绿码用时",
        report,
        ["期间内转为绿码的案件数", "自首次红黄码至转绿码平均天数"],
        [[report.green["cases"], report.green["days"]]],
    )
    _sheet(
        book,
        "逾期未重新评估",
        report,
        ["颜色", f"逾期案件数（截至 {report.today:%Y-%m-%d}）"],
        [[c.label, report.overdue[c.value]] for c in COLOURS[:2]] + [["合计", report.overdue["total"]]],
    )
    out = BytesIO()
    book.save(out)
    return out.getvalue()


#
# The cases behind a count
#


@dataclass(frozen=True)
class Drill:
    title: str
    cases: QuerySet[Case]


def _colour(params: Mapping[str, str], name: str = "colour") -> Colour | None:
    value = params.get(name, "")
    return Colour(value) if value in Colour.values else None


def _month_param(params: Mapping[str, str]) -> date | None:
    """The first day of a "YYYY-MM" parameter's month, or None."""
    try:
        year, month = (int(part) for part in params.get("month", "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return None


def _next_month(first: date) -> date:
    return date(first.year + 1, 1, 1) if first.month == 12 else date(first.year, first.month + 1, 1)


def drill(user: User, filters: Filters, params: Mapping[str, str], today: date | None = None) -> Drill:
    """The cases behind one count of the report, named by `params`:

    - show=codes [colour] [group, key]: current codes of the cases evaluated in the period, of one
      procuratorate / department / prosecutor / agency (key "none": without one);
    - show=month, month=YYYY-MM, colour [from]: cases evaluated that month with that colour (and,
      with `from`, whose previous evaluation was of that colour: a 转码);
    - show=item, item=NAME: cases with a deduction on that item in the period;
    - show=green: cases turned green in the period; show=overdue [colour]: overdue re-evaluations.
    """
    show, colour = params.get("show", "codes"), _colour(params)
    named = f"{colour.label}" if colour else ""
    if show == "month" and (month := _month_param(params)) is not None:
        evaluations = period_evaluations(user, filters).filter(
            evaluated_at__gte=_local_midnight(month), evaluated_at__lt=_local_midnight(_next_month(month))
        )
        title = f"{month:%Y年%m月}评分"
        if colour:
            evaluations = evaluations.filter(colour=colour)
            title += f"为{colour.label}"
        if (before := _colour(params, "from")) and colour:
            evaluations = _with_previous(evaluations).filter(previous=before)
            title = f"{month:%Y年%m月}{before.label}转{colour.label}"
        return Drill(f"{title}的案件", visible_cases(user).filter(pk__in=evaluations.values("case_id")))
    if show == "item" and params.get("item"):
        deductions = Deduction.objects.filter(
            evaluation__in=period_evaluations(user, filters), item__name=params["item"]
        )
        return Drill(
            f"“{params['item']}”被扣分的案件",
            visible_cases(user).filter(pk__in=deductions.values("evaluation__case_id")),
        )
    if show == "green":
        codes = CaseCode.objects.filter(case_scope(user, filters), turned_green_q(filters))
        return Drill("期间内转为绿码的案件", visible_cases(user).filter(pk__in=codes.values("case_id")))
    if show == "overdue":
        codes = overdue_codes(user, filters, today)
        if colour:
            codes = codes.filter(colour=colour)
        return Drill(f"逾期未重新评估的{named}案件", visible_cases(user).filter(pk__in=codes.values("case_id")))
    codes = evaluated_codes(user, filters)
    title = f"期间内评分、当前为{named}的案件" if colour else "期间内评分的案件"
    if colour:
        codes = codes.filter(colour=colour)
    group, key = params.get("group"), params.get("key", "")
    if group in GROUPS:
        field = GROUPS[group]
        if key == "none":
            codes = codes.filter(**{f"{field}__isnull": True})
            title = f"未填{GROUP_TITLES[group]}、{title}"
        elif key.isdigit():
            codes = codes.filter(**{field: int(key)})
    return Drill(title, visible_cases(user).filter(pk__in=codes.values("case_id")))
