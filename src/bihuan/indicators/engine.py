"""The indicator engine: every indicator of the registry for one scope and any periods, from one
conditional aggregate query per basis (at most five, plus one for the 案-件比 link list), and the
rows behind each figure for the drill-down.

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
from operator import or_

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from bihuan.cases.models import Case, ProceduralLink, Suspect
from bihuan.indicators.access import Scope
from bihuan.indicators.definitions import BY_CODE, INDICATORS, MEASURES, PARTS, Basis, Indicator, Part
from bihuan.indicators.models import extra_link_kinds
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


def _extra_links(kinds: list[str]) -> Coalesce | Value:
    """The number of extra-link events on all cases of the row's matter (domain-rules §2.2)."""
    if not kinds:
        return Value(0, output_field=IntegerField())
    links = (
        ProceduralLink.objects.filter(case__unified_case_no=OuterRef("unified_case_no"), kind__in=kinds)
        .order_by()
        .values("case__unified_case_no")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(links, output_field=IntegerField()), 0)


def base_rows(basis: Basis, scope: Scope, *, extra_kinds: list[str] | None = None) -> QuerySet:
    """The rows of a basis within the scope, before any period: suspects, cases, links, or the
    last case of each concluded matter (annotated with `extra_links` when kinds are given)."""
    rows = MODELS[basis.model].objects.filter(scope.case_q(basis.case_prefix))
    if basis is Basis.MATTER_CONCLUDED:
        rows = rows.filter(closed_date__isnull=False).exclude(_later_case_of_matter())
        if extra_kinds is not None:
            rows = rows.annotate(extra_links=_extra_links(extra_kinds))
    return rows


def _as_number(value) -> int:
    """A COUNT or a SUM; NULL (a SUM over no rows) is 0."""
    return 0 if value is None else int(value)


# The case columns `compute_by` groups on.
GROUPS = {"org": "org_id", "department": "department_id", "team": "team_id", "prosecutor": "prosecutor_id"}


def _measure_values(
    basis: Basis,
    names: list[str],
    scope: Scope,
    periods: Sequence[Period],
    extra_kinds: list[str],
    by: str | None = None,
) -> dict[int | None, list[dict[str, int]]]:
    """One query: every named measure of the basis for every period, per group of `by` (a key of
    GROUPS: the id of the case's procuratorate, department, team or prosecutor; for a matter, its
    last case's), or as a whole under the key None."""
    period_qs = [period.q(basis.date_field) for period in periods]
    single = len(periods) == 1
    aggregates = {}
    for index, period_q in enumerate(period_qs):
        for name in names:
            measure = MEASURES[name]
            condition = measure.where if single else period_q & measure.where
            key = f"{name}__{index}"
            if measure.total is None:
                aggregates[key] = Count("pk", filter=condition or None)
            else:
                aggregates[key] = Sum(measure.total, filter=condition or None)
    rows = base_rows(basis, scope, extra_kinds=extra_kinds if "extra_links" in names else None)
    rows = rows.filter(reduce(or_, period_qs))
    if by is None:
        results = {None: rows.aggregate(**aggregates)}
    else:
        column = basis.case_prefix + GROUPS[by]
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
    needed: dict[Basis, list[str]] = {}
    for indicator in indicators:
        for part_name in PARTS:
            for _, name in getattr(indicator, part_name).terms:
                names = needed.setdefault(MEASURES[name].basis, [])
                if name not in names:
                    names.append(name)
    extra_kinds = extra_link_kinds() if Basis.MATTER_CONCLUDED in needed else []
    zero = {name: 0 for names in needed.values() for name in names}
    values: dict[int | None, list[dict[str, int]]] = {} if by else {None: [dict(zero) for _ in periods]}
    for basis, names in needed.items():
        for group, per_period in _measure_values(basis, names, scope, periods, extra_kinds, by).items():
            slots = values.setdefault(group, [dict(zero) for _ in periods])
            for index, by_name in enumerate(per_period):
                slots[index].update(by_name)
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

    One aggregate query per basis the indicators use (all periods at once), plus one for the
    configured 案-件比 links when that indicator is asked for.
    """
    return _compute(scope, periods, indicators, None)[None]


def compute_by(
    scope: Scope, periods: Sequence[Period], by: str, indicators: Iterable[Indicator] = INDICATORS
) -> dict[int | None, list[dict[str, Figure]]]:
    """The same figures per procuratorate, department, team or prosecutor of the scope (`by`: a
    key of GROUPS), from the same number of queries (GROUP BY): {group id: [per period {code:
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
