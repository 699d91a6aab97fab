"""Statutory period arithmetic (期间计算) on plain dates; no models, no calendar.

CPL 105: the day on which a period starts is not counted, so a period of N days starting on D
ends on D + N. SPC-Interp 202: a month runs from a day to the same day of the next month; when
that day does not exist, or the start is the last day of its month, it ends on the last day of
the target month; half a month is always 15 days (domain-rules §7.1).
"""

import calendar
from datetime import date, timedelta

# SPC-Interp 202: 半个月一律按十五日计算.
HALF_MONTH_DAYS = 15


def add_days(d: date, n: int) -> date:
    """The last day of a period of `n` days starting on `d`, `d` itself not counted (CPL 105)."""
    return d + timedelta(days=n)


def is_month_end(d: date) -> bool:
    return d.day == calendar.monthrange(d.year, d.month)[1]


def add_months(d: date, n: int) -> date:
    """The last day of a period of `n` months starting on `d` (SPC-Interp 202).

    The same day `n` months later; the last day of that month when the day is missing there or
    when `d` is the last day of its own month.
    """
    months = d.year * 12 + d.month - 1 + n
    year, month = divmod(months, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    if is_month_end(d):
        return date(year, month, last)
    return date(year, month, min(d.day, last))
