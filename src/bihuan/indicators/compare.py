"""Reported figures against the cases, month by month (issue 7 part 4).

The business-report app (`bihuan.bizreports`) stores the monthly figures a procuratorate or a
department reports, and `bizreports.figures.compare` recomputes every item of one unit and month
from the case cards. Its page (`/reports/`) shows one month. This module is the indicators' view
of the same data: every item over a range of months of one year (each month's reported figure,
the computed one and the difference, and their sums, all items being counts), and the indicators
whose numerator and denominator are report items, computed from the reported figures beside the
engine's value from the cases.

Reported figures exist for a procuratorate alone or one of its departments, so only the `org`
and `dept` scopes have them; `reported_unit` says which unit a scope is.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from bihuan.bizreports.figures import Row, compare
from bihuan.bizreports.items import ITEMS, ReportItem
from bihuan.indicators.access import Scope
from bihuan.indicators.definitions import BY_CODE, Indicator
from bihuan.indicators.engine import Figure, compute
from bihuan.indicators.periods import Period, month
from bihuan.orgs.models import Department, Organisation

# Indicators whose parts are exactly report items (same rows, same date basis: the suspects of
# the cases concluded in the month, bizreports/items.py): (indicator, numerator items,
# denominator items). Others differ in definition (起诉人数 of 不起诉率 keeps the withdrawn, a
# report's 起诉 does not; 退补 is reported by the date of the return, the indicator by the date the
# case concluded), so their reported figures cannot give the indicator.
REPORTED_INDICATORS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("no_arrest_rate", ("BPZDB",), ("PZDB", "BPZDB")),
    ("plea_rate", ("RZRF",), ("SJQSR",)),
    ("fixed_recommendation_share", ("QDXLX",), ("LXJY",)),
)


def reported_unit(scope: Scope) -> tuple[Organisation, Department | None] | None:
    """The reporting unit of a scope (a procuratorate, or a department of one); None for the
    scopes that never report (a procuratorate with those below, a team, a prosecutor)."""
    if scope.kind == "org":
        return scope.org, None
    if scope.kind == "dept":
        return scope.org, scope.department
    return None


def months_period(year: int, first: int, last: int) -> Period:
    """The days of months `first` to `last` of `year`."""
    return Period(date(year, first, 1), month(year, last).end)


@dataclass(frozen=True)
class ItemLine:
    """One report item over the months: the bizreports comparison row of each month, and the
    sums (reported only when every month was reported)."""

    item: ReportItem
    months: list[Row]

    @property
    def computed(self) -> int:
        return sum(row.computed for row in self.months)

    @property
    def reported(self) -> int | None:
        if any(row.reported is None for row in self.months):
            return None
        return sum(row.reported for row in self.months)

    @property
    def difference(self) -> int | None:
        reported = self.reported
        return None if reported is None else reported - self.computed

    @property
    def differing_months(self) -> int:
        return sum(1 for row in self.months if row.differs)

    @property
    def unreported_months(self) -> int:
        return sum(1 for row in self.months if row.reported is None)


def item_lines(org: Organisation, department: Department | None, year: int, first: int, last: int) -> list[ItemLine]:
    """Every item of the catalogue, month by month (bizreports' comparison of each month)."""
    per_month = [compare(org, year, month_no, department) for month_no in range(first, last + 1)]
    return [ItemLine(item, [rows[index] for rows in per_month]) for index, item in enumerate(ITEMS)]


@dataclass(frozen=True)
class IndicatorLine:
    """An indicator from the reported figures beside the engine's figure from the cases."""

    indicator: Indicator
    figure: Figure  # from the cases (the engine), with its drill-down
    reported_numerator: int | None  # None: some month of some item was not reported
    reported_denominator: int | None

    @property
    def reported_value(self) -> Decimal | None:
        if self.reported_numerator is None or self.reported_denominator is None:
            return None
        return self.indicator.value(self.reported_numerator, self.reported_denominator)

    @property
    def reported_display(self) -> str:
        return self.indicator.display(self.reported_value)

    @property
    def difference(self) -> Decimal | None:
        """Reported value − computed value (percentage points for a rate)."""
        reported, computed = self.reported_value, self.figure.value
        return None if reported is None or computed is None else reported - computed


def indicator_lines(scope: Scope, period: Period, lines: list[ItemLine]) -> list[IndicatorLine]:
    """The indicators of REPORTED_INDICATORS: from the sums of the reported items, and from the
    engine over the same days (one query: all three count suspects of concluded cases)."""
    totals = {line.item.code: line.reported for line in lines}

    def reported(codes: tuple[str, ...]) -> int | None:
        values = [totals[code] for code in codes]
        return None if None in values else sum(values)

    indicators = [BY_CODE[code] for code, _, _ in REPORTED_INDICATORS]
    figures = compute(scope, [period], indicators)[0]
    return [
        IndicatorLine(BY_CODE[code], figures[code], reported(numerator), reported(denominator))
        for code, numerator, denominator in REPORTED_INDICATORS
    ]
