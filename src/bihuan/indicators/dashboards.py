"""The dashboards (指标看板): monthly trends, the 简案/繁案 review days and the 快审 share, the 红黄蓝
table against the configured targets, the comparison of teams of the same kind, and the 团队贡献度
系数 (seed 004). Every figure comes from the engine (`engine.compute`, `engine.compute_by`) or from
one set-based query, and carries the link to the cases behind it.

Nothing is ordered by score (seed 003, against “数据冲动”): teams by department and creation,
prosecutors by name.

Public API:

    months(period) -> list[Period]
    default_range(today=None) -> Period
    trends(scope, period, indicators=INDICATORS) -> list[Trend]
    trend_chart(trends, combined) -> dict                         (for json_script)
    cell(figure, scope, target=None) -> Cell
    target_table(scope, period, teams, people) -> TargetTable
    team_comparison(scope, period, teams) -> list[TeamGroup]
    comparison_chart(groups) -> dict                              (for json_script)
    contribution(scope, period, weights) -> list[DepartmentContribution]
    contribution_cases(scope, period, factor, unassigned=False) -> QuerySet[Case]
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from bihuan.cases.models import Case
from bihuan.indicators.access import Scope
from bihuan.indicators.definitions import BY_CODE, INDICATORS, Indicator
from bihuan.indicators.engine import Figure, compute, compute_by
from bihuan.indicators.models import FACTOR_Q, Colour, Factor, Target
from bihuan.indicators.periods import Period, month
from bihuan.indicators.views import drill_url
from bihuan.orgs.choices import RoleCode
from bihuan.orgs.models import Department, Team, User

# The trend charts show at most this many months (three years).
MAX_MONTHS = 36
# The headline figures: 简案 and 繁案 review days (seed 004: 30.6 → 10.7 days) and the 快审 share
# (seed 004: 39.4 %).
HEADLINE = ("review_days_simple", "review_days_complex", "fast_track_share")


def months(period: Period) -> list[Period]:
    """The calendar months the period touches, each cut to the period (the first and the last
    may be part of a month); the last MAX_MONTHS of them."""
    result = []
    start = period.start
    while start <= period.end:
        end = min(month(start.year, start.month).end, period.end)
        result.append(Period(start, end))
        start = end + timedelta(days=1)
    return result[-MAX_MONTHS:]


def default_range(today: date | None = None) -> Period:
    """The twelve months up to today: from the first day of the month eleven months back."""
    today = today or timezone.localdate()
    first = today.year * 12 + today.month - 1 - 11
    return Period(date(first // 12, first % 12 + 1, 1), today)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


@dataclass(frozen=True)
class Cell:
    """One figure of a table, with its colour against a target (None without a target or a
    value) and the links to the cases of its numerator and denominator."""

    figure: Figure
    numerator_url: str
    denominator_url: str
    colour: Colour | None = None


def cell(figure: Figure, scope: Scope, target: Target | None = None) -> Cell:
    return Cell(
        figure,
        drill_url(figure, "numerator", scope),
        drill_url(figure, "denominator", scope),
        target.colour(figure.value) if target else None,
    )


@dataclass(frozen=True)
class Trend:
    """An indicator month by month over the period, and over the whole period."""

    indicator: Indicator
    monthly: list[Cell]
    whole: Cell


def trends(scope: Scope, period: Period, indicators: Iterable[Indicator] = INDICATORS) -> list[Trend]:
    """Every indicator per month of the period and for the whole period: ONE engine call (at
    most six queries, whatever the number of months)."""
    indicators = list(indicators)
    *monthly, whole = compute(scope, [*months(period), period], indicators)
    return [
        Trend(i, [cell(values[i.code], scope) for values in monthly], cell(whole[i.code], scope)) for i in indicators
    ]


def _points(cells: Sequence[Cell]) -> list[dict]:
    """Chart points: the value and the drill-down of its numerator (a click opens it)."""
    return [{"value": _number(c.figure.value), "url": c.numerator_url} for c in cells]


def trend_chart(items: Sequence[Trend], combined: dict[str, Sequence[str]]) -> dict:
    """The data of the trend charts for json_script: one chart per indicator (element id
    "trend-CODE"), and one per entry of `combined` ({element id: indicator codes}) drawing
    several indicators on one chart."""
    by_code = {item.indicator.code: item for item in items}
    labels = [f"{c.figure.period.start:%Y-%m}" for c in items[0].monthly] if items else []
    charts = [
        {
            "id": f"trend-{item.indicator.code}",
            "unit": item.indicator.value_unit,
            "series": [{"name": item.indicator.name, "points": _points(item.monthly)}],
        }
        for item in items
    ]
    for element, codes in combined.items():
        charts.append(
            {
                "id": element,
                "unit": by_code[codes[0]].indicator.value_unit,
                "series": [
                    {"name": by_code[code].indicator.name, "points": _points(by_code[code].monthly)} for code in codes
                ],
            }
        )
    return {"months": labels, "charts": charts}


@dataclass(frozen=True)
class Line:
    """A team's or prosecutor's row: its own scope (the links open its cases) and its cells."""

    label: str
    scope: Scope
    cells: list[Cell | None]


@dataclass(frozen=True)
class TargetTable:
    targets: list[Target]
    teams: list[Line]
    people: list[Line]


def _team_scope(team: Team) -> Scope:
    return Scope("team", team.department.org, team=team)


def _person_scope(person: User) -> Scope:
    return Scope("person", person.org, person=person)


def _lines(groups: dict, objects: Iterable, scope_of, label_of, targets: list[Target]) -> list[Line]:
    lines = []
    for obj in objects:
        figures = groups.get(obj.pk)
        own = scope_of(obj)
        if figures is None:  # nothing counted: every figure of the row is empty
            figures = [{}]
        cells = [cell(figures[0][t.indicator], own, t) if t.indicator in figures[0] else None for t in targets]
        lines.append(Line(label_of(obj), own, cells))
    return lines


def _team_label(scope: Scope):
    wide = scope.kind in ("org", "tree")
    return lambda team: f"{team.department.org.short_name}·{team.department.name}·{team.name}" if wide else team.name


def target_table(scope: Scope, period: Period, teams: QuerySet[Team], people: QuerySet[User]) -> TargetTable:
    """The 红黄蓝 table: every team and prosecutor of the scope that the viewer may see (`teams`,
    `people`: their readable ones) against each configured target, from two GROUP BY engine
    calls. A prosecutor's row counts the cases they handle within the scope; within a team scope,
    over the team's department, so that the row is exactly their person scope (the scope its
    links open: their cases in their own department; the two differ only for cases a prosecutor
    handled in another department of an org or tree scope)."""
    order = {indicator.code: index for index, indicator in enumerate(INDICATORS)}
    targets = sorted(Target.objects.filter(indicator__in=BY_CODE), key=lambda t: order[t.indicator])
    indicators = [BY_CODE[t.indicator] for t in targets]
    if not indicators:
        return TargetTable([], [], [])
    team_lines: list[Line] = []
    if scope.kind != "person":
        by_team = compute_by(scope, [period], "team", indicators)
        shown = teams.filter(pk__in=[pk for pk in by_team if pk is not None]).select_related("department__org")
        if scope.kind == "team":
            shown = teams.filter(pk=scope.team.pk).select_related("department__org")
        shown = shown.order_by("department__org__path", "department_id", "pk")
        team_lines = _lines(by_team, shown, _team_scope, _team_label(scope), targets)
    base = scope
    people = people.select_related("org").order_by("full_name", "pk")
    if scope.kind == "team":
        base = Scope("dept", scope.org, department=scope.team.department)
        people = people.filter(team=scope.team)
    elif scope.kind == "person":
        people = people.filter(pk=scope.person.pk)
    by_person = compute_by(base, [period], "prosecutor", indicators)
    if scope.kind != "person":
        people = people.filter(pk__in=[pk for pk in by_person if pk is not None])
    person_lines = _lines(by_person, people, _person_scope, str, targets)
    return TargetTable(targets, team_lines, person_lines)


@dataclass(frozen=True)
class TeamGroup:
    """Teams of one kind (快审团队, or the ordinary teams) side by side, indicator by indicator."""

    title: str
    key: str  # "fast" or "ordinary": element ids
    teams: list[Line]  # cells in INDICATORS order
    indicators: tuple[Indicator, ...] = INDICATORS

    @property
    def rows(self) -> list[tuple[Indicator, list[Cell | None]]]:
        return [(indicator, [line.cells[i] for line in self.teams]) for i, indicator in enumerate(self.indicators)]


def team_comparison(scope: Scope, period: Period, teams: QuerySet[Team]) -> list[TeamGroup]:
    """Every indicator per team of the scope, in two groups compared only within themselves:
    快审团队 and the ordinary teams (`Team.is_fast_track`). One GROUP BY engine call. `teams`: the
    viewer's readable teams. A person scope has no teams to compare."""
    if scope.kind in ("person", "team"):
        return []
    by_team = compute_by(scope, [period], "team")
    shown = (
        teams.filter(pk__in=[pk for pk in by_team if pk is not None])
        .select_related("department__org")
        .order_by("department__org__path", "department_id", "pk")
    )
    label = _team_label(scope)
    groups = []
    for fast, key, title in ((True, "fast", "快审团队"), (False, "ordinary", "普通办案团队")):
        lines = [
            Line(label(t), _team_scope(t), [cell(by_team[t.pk][0][i.code], _team_scope(t)) for i in INDICATORS])
            for t in shown
            if t.is_fast_track is fast
        ]
        if lines:
            groups.append(TeamGroup(title, key, lines))
    return groups


def comparison_chart(groups: Sequence[TeamGroup]) -> dict:
    """The bars of the team comparison for json_script: per group, per indicator, one bar per
    team (a click opens the numerator's cases)."""
    return {
        "groups": [
            {
                "id": f"compare-{group.key}",
                "teams": [line.label for line in group.teams],
                "indicators": [
                    {
                        "code": indicator.code,
                        "name": indicator.name,
                        "unit": indicator.value_unit,
                        "values": [{"value": _number(cell.figure.value), "url": cell.numerator_url} for cell in cells],
                    }
                    for indicator, cells in group.rows
                ],
            }
            for group in groups
        ]
    }


def _quantize(value: Decimal, places: str) -> Decimal:
    return value.quantize(Decimal(places), ROUND_HALF_UP)


@dataclass
class ContributionRow:
    """A team's concluded cases (or those without a team: team None) and its contribution."""

    team: Team | None
    scope: Scope  # the team's, or the department's for the cases without a team
    counts: dict[str, int]  # by Factor
    cases: int
    points: Decimal
    prosecutors: int = 0
    share: Decimal | None = None  # % of the department's points, one decimal
    prosecutor_share: Decimal | None = None  # % of the prosecutors of the department's teams
    coefficient: Decimal | None = None  # share ÷ prosecutor share, two decimals

    @property
    def factor_counts(self) -> list[tuple[str, int]]:
        return [(factor, self.counts[factor]) for factor in Factor.values]


@dataclass
class DepartmentContribution:
    department: Department
    rows: list[ContributionRow] = field(default_factory=list)
    cases: int = 0
    points: Decimal = Decimal(0)
    prosecutors: int = 0


def contribution(scope: Scope, period: Period, weights: dict[str, Decimal]) -> list[DepartmentContribution]:
    """The 团队贡献度系数 of every team of the scope's departments (org, tree or dept scopes):

    points of a team = Σ over its cases concluded in the period (审查逮捕 and 审查起诉, by 审结日期)
    of (weight of the case's track + weight of each added factor it has);
    share = the team's points ÷ the points of all concluded cases of its department;
    coefficient = share ÷ (the team's prosecutors ÷ the prosecutors of the department's teams).

    A coefficient of 1 means the team's weighted work matches its share of the prosecutors.
    Two queries: the counts per department and team (GROUP BY), the prosecutors per team.
    """
    if scope.kind not in ("org", "tree", "dept"):
        return []
    counts = (
        Case.objects.filter(scope.case_q(), period.q("closed_date"), department__isnull=False)
        .order_by()
        .values("department_id", "team_id")
        .annotate(cases=Count("pk"), **{factor: Count("pk", filter=FACTOR_Q[factor]) for factor in Factor.values})
    )
    rows = {(row["department_id"], row["team_id"]): row for row in counts}
    departments = {d.pk: d for d in Department.objects.filter(pk__in={k[0] for k in rows}).select_related("org")}
    teams = {
        t.pk: t for t in Team.objects.filter(pk__in={k[1] for k in rows if k[1]}).select_related("department__org")
    }
    staffed = (
        User.objects.filter(roles__code=RoleCode.PROSECUTOR, is_active=True, team__department__in=list(departments))
        .order_by()
        .values("team_id")
        .annotate(n=Count("pk", distinct=True))
    )
    prosecutors = {row["team_id"]: row["n"] for row in staffed}
    result: dict[int, DepartmentContribution] = {}
    for (department_id, team_id), row in sorted(rows.items(), key=lambda item: (item[0][0], item[0][1] or 0)):
        department = departments[department_id]
        block = result.setdefault(department_id, DepartmentContribution(department))
        team = teams.get(team_id)
        own = _team_scope(team) if team else Scope("dept", department.org, department=department)
        factor_counts = {factor: row[factor] for factor in Factor.values}
        points = sum((factor_counts[f] * weights[f] for f in Factor.values), Decimal(0))
        line = ContributionRow(
            team, own, factor_counts, row["cases"], points, prosecutors.get(team_id, 0) if team else 0
        )
        block.rows.append(line)
        block.cases += line.cases
        block.points += points
        block.prosecutors += line.prosecutors
    for block in result.values():
        for line in block.rows:
            if block.points:
                line.share = _quantize(line.points * 100 / block.points, "0.1")
            if line.team is not None and block.prosecutors:
                line.prosecutor_share = _quantize(Decimal(line.prosecutors) * 100 / block.prosecutors, "0.1")
                if line.prosecutors and block.points:
                    exact = (line.points / block.points) / (Decimal(line.prosecutors) / block.prosecutors)
                    line.coefficient = _quantize(exact, "0.01")
    return sorted(result.values(), key=lambda b: (b.department.org.path, b.department.pk))


def contribution_cases(scope: Scope, period: Period, factor: str | None, *, unassigned: bool = False) -> QuerySet[Case]:
    """The concluded cases behind a count of the contribution table: the scope's cases concluded
    in the period, with the factor (None: all), and only those without a team if `unassigned`.
    Intersect with `visible_cases(user)` before listing them."""
    q = scope.case_q() & period.q("closed_date") & Q(department__isnull=False)
    if factor:
        q &= FACTOR_Q[Factor(factor)]
    if unassigned:
        q &= Q(team__isnull=True)
    return Case.objects.filter(q)
