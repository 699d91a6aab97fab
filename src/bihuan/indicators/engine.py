"""The indicator engine: every indicator of the registry for one scope and any periods, from ONE
conditional aggregate query over the fact table (`models.CaseFact`, kept by `facts.py`) plus one
for the 案-件比 link list (and one for the procuratorates of a tree scope), and the rows behind
each figure for the drill-down (from the cases, by the same measure definitions the fact table is
computed with).

Public API (see docs/indicators.md):

    compute(scope, periods, indicators=INDICATORS) -> list[dict[code, Figure]]  (one per period)
    compute_by(scope, periods, by, indicators=INDICATORS) -> {group id: list[dict[code, Figure]]}
    table(scope, period, indicators=INDICATORS) -> list[Row]    (with 同比 and 环比)
    drill_cases(indicator, part, scope, period) -> QuerySet[Case]
    drill_suspects(indicator, part, scope, period) -> QuerySet[Suspect] | None  (人 parts only)

`scope` is an `access.Scope` (check the viewer with `access.access_scope` first; the console
builds one with `access.org_scope`), `period` a `periods.Period`. Nothing here checks who asks.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce
from operator import add, or_

from django.db.models import Exists, F, IntegerField, OuterRef, Q, QuerySet, Sum, Value

from bihuan.cases.models import Case, ProceduralLink, Suspect
from bihuan.indicators.access import Scope
from bihuan.indicators.definitions import BY_CODE, INDICATORS, MATTER_LINKS, MEASURES, PARTS, Basis, Indicator, Part
from bihuan.indicators.models import CaseFact, extra_link_kinds, link_column
from bihuan.indicators.periods import Period

MODELS = {"suspect": Suspect, "case": Case, "link": ProceduralLink}


def _later_case_of_matter() -> Exists:
    """Another case of the same matter that is still open or concluded after this one: this case
    is then not the matter's last concluded procuratorate stage (domain-rules §7.3)."""
    later = Case.objects.filter(unified_case_no=OuterRef("unified_case_no")).filter(
        Q(closed_date__isnull=True)
        | Q(closed_date__gt=OuterRef("closed_date"))
        | Q(closed_date=OuterRef("closed_date"), pk__gt=OuterRef("pk"))
    )
    return Exists(later)


def base_rows(basis: Basis, scope: Scope | None = None) -> QuerySet:
    """The rows of a basis (within the scope, if given), before any period: suspects, cases,
    links, or the last case of each concluded matter. The drill-down lists them; the fact table
    (`facts.py`) is computed from them."""
    rows = MODELS[basis.model].objects.all()
    if scope is not None:
        rows = rows.filter(scope.case_q(basis.case_prefix))
    if basis is Basis.MATTER_CONCLUDED:
        rows = rows.filter(closed_date__isnull=False).exclude(_later_case_of_matter())
    return rows


def _as_number(value) -> int:
    """A COUNT or a SUM; NULL (a SUM over no rows) is 0."""
    return 0 if value is None else int(value)


# The case columns `compute_by` groups on.
GROUPS = {"org": "org_id", "department": "department_id", "team": "team_id", "prosecutor": "prosecutor_id"}


def _column(name: str, extra_kinds: list[str]):
    """The fact-table expression of a measure: its column, or for the 案-件比 links the sum of the
    columns of the kinds in force."""
    if MEASURES[name].total is not MATTER_LINKS:
        return F(name)
    if not extra_kinds:
        return Value(0, output_field=IntegerField())
    return reduce(add, (F(link_column(kind)) for kind in extra_kinds))


def _measure_values(
    names: list[str],
    scope: Scope,
    periods: Sequence[Period],
    extra_kinds: list[str],
    by: str | None = None,
) -> dict[int | None, list[dict[str, int]]]:
    """One query: every named measure for every period, per group of `by` (a key of GROUPS: the
    id of the case's procuratorate, department, team or prosecutor; for a matter, its last
    case's), or as a whole under the key None — sums over the scope's fact rows of the periods."""
    period_qs = [period.q("day") for period in periods]
    single = len(periods) == 1
    aggregates = {
        f"{name}__{index}": Sum(_column(name, extra_kinds), filter=None if single else period_q)
        for index, period_q in enumerate(period_qs)
        for name in names
    }
    rows = CaseFact.objects.filter(scope.fact_q()).filter(reduce(or_, period_qs))
    if by is None:
        results = {None: rows.aggregate(**aggregates)}
    else:
        column = GROUPS[by]
        grouped = rows.order_by().values(column).annotate(**aggregates)
        results = {result[column]: result for result in grouped}
    return {
        group: [{name: _as_number(result[f"{name}__{index}"]) for name in names} for index in range(len(periods))]
        for group, result in results.items()
    }


@dataclass(frozen=True)
class Figure:
    """One indicator for one scope and period."""

    indicator: Indicator
    period: Period
    numerator: int
    denominator: int

    @property
    def value(self) -> Decimal | None:
        return self.indicator.value(self.numerator, self.denominator)

    @property
    def display(self) -> str:
        return self.indicator.display(self.value)


def _part_value(part: Part, values: dict[str, int]) -> int:
    return sum(sign * values[name] for sign, name in part.terms)


def _compute(
    scope: Scope, periods: Sequence[Period], indicators: Iterable[Indicator], by: str | None
) -> dict[int | None, list[dict[str, Figure]]]:
    indicators = list(indicators)
    names = list(dict.fromkeys(name for i in indicators for p in PARTS for _, name in getattr(i, p).terms))
    extra_kinds = extra_link_kinds() if any(MEASURES[name].total is MATTER_LINKS for name in names) else []
    values = _measure_values(names, scope, periods, extra_kinds, by)
    return {
        group: [
            {
                indicator.code: Figure(
                    indicator,
                    period,
                    _part_value(indicator.numerator, group_values[index]),
                    _part_value(indicator.denominator, group_values[index]),
                )
                for indicator in indicators
            }
            for index, period in enumerate(periods)
        ]
        for group, group_values in values.items()
    }


def compute(
    scope: Scope, periods: Sequence[Period], indicators: Iterable[Indicator] = INDICATORS
) -> list[dict[str, Figure]]:
    """Every indicator for the scope in each period: a dict by indicator code per period.

    One aggregate query over the fact rows of the scope (all periods at once), plus one for the
    configured 案-件比 links when that indicator is asked for and, for a procuratorate with those
    below it, one for their ids.
    """
    return _compute(scope, periods, indicators, None)[None]


def compute_by(
    scope: Scope, periods: Sequence[Period], by: str, indicators: Iterable[Indicator] = INDICATORS
) -> dict[int | None, list[dict[str, Figure]]]:
    """The same figures per procuratorate, department, team or prosecutor of the scope (`by`: a
    key of GROUPS), from the same queries with a GROUP BY: {group id: [per period {code:
    Figure}]}. Groups without any counted row are absent; cases without a team (or prosecutor…)
    come under None. For the comparison of teams or prosecutors on the dashboards.
    """
    if by not in GROUPS:
        raise ValueError(f"unknown grouping: {by}")
    return _compute(scope, periods, indicators, by)


@dataclass(frozen=True)
class Row:
    """An indicator's figure for a period beside the same period a year earlier (同比) and the
    previous period (环比)."""

    indicator: Indicator
    current: Figure
    year_earlier: Figure
    previous: Figure

    @staticmethod
    def _change(now: Figure, then: Figure) -> Decimal | None:
        if now.value is None or then.value is None:
            return None
        return now.value - then.value

    @property
    def year_on_year(self) -> Decimal | None:
        """Change of the value against a year earlier (percentage points for a rate)."""
        return self._change(self.current, self.year_earlier)

    @property
    def period_on_period(self) -> Decimal | None:
        return self._change(self.current, self.previous)


def table(scope: Scope, period: Period, indicators: Iterable[Indicator] = INDICATORS) -> list[Row]:
    """Every indicator for the period with 同比 and 环比, from the same handful of queries."""
    indicators = list(indicators)
    current, earlier, previous = compute(scope, [period, period.year_earlier(), period.previous()], indicators)
    return [Row(i, current[i.code], earlier[i.code], previous[i.code]) for i in indicators]


def _indicator(indicator: Indicator | str) -> Indicator:
    return BY_CODE[indicator] if isinstance(indicator, str) else indicator


def drill_rows(indicator: Indicator | str, part: str, scope: Scope, period: Period) -> QuerySet:
    """The rows (suspects, cases or links) counted by a part's measures of its first basis."""
    chosen: Part = getattr(_indicator(indicator), part)
    basis = chosen.drill_measure.basis
    where = reduce(
        or_, (MEASURES[name].where for sign, name in chosen.terms if sign > 0 and MEASURES[name].basis is basis)
    )
    return base_rows(basis, scope).filter(period.q(basis.date_field)).filter(where)


def drill_cases(indicator: Indicator | str, part: str, scope: Scope, period: Period) -> QuerySet[Case]:
    """The cases behind a numerator or denominator (for 件 of 案-件比: each matter's last case).
    Intersect with `visible_cases(user)` before listing them to a person."""
    chosen: Part = getattr(_indicator(indicator), part)
    rows = drill_rows(indicator, part, scope, period)
    column = "pk" if chosen.drill_measure.basis.model == "case" else "case_id"
    return Case.objects.filter(pk__in=rows.values(column))


def drill_suspects(indicator: Indicator | str, part: str, scope: Scope, period: Period) -> QuerySet[Suspect] | None:
    """The persons behind a 人 part; None for parts that count cases, links or days."""
    chosen: Part = getattr(_indicator(indicator), part)
    if not chosen.lists_persons:
        return None
    return Suspect.objects.filter(pk__in=drill_rows(indicator, part, scope, period).values("pk"))
