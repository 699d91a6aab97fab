"""Counting periods of the indicators: a date range, both ends included, with the period a year
earlier (同比) and the period before (环比).

A calendar month, quarter or year is compared with the previous month, quarter or year; any other
range with the range of the same number of days that ends the day before it begins.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Q
from django.utils import timezone


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _year_before(day: date) -> date:
    """The same day a year earlier; the last day of a month stays the last day (29 Feb → 28 Feb,
    28 Feb 2025 → 29 Feb 2024)."""
    if day == _last_day(day.year, day.month):
        return _last_day(day.year - 1, day.month)
    return day.replace(year=day.year - 1)


@dataclass(frozen=True)
class Period:
    """Days `start` to `end`, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("结束日期不能早于开始日期")

    @property
    def months(self) -> int | None:
        """1, 3 or 12 for a calendar month, quarter or year; None for any other range."""
        start, end = self.start, self.end
        if start.day != 1 or end != _last_day(end.year, end.month) or start.year != end.year:
            return None
        length = end.month - start.month + 1
        if length == 1 or (length == 3 and start.month % 3 == 1) or length == 12:
            return length
        return None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> "Period":
        """环比: the previous month, quarter or year; else the same number of days just before."""
        months = self.months
        if months is None:
            return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))
        end = self.start - timedelta(days=1)
        first_month = end.month - months + 1
        return Period(date(end.year, first_month, 1), end)

    def year_earlier(self) -> "Period":
        """同比: the same days a year earlier."""
        return Period(_year_before(self.start), _year_before(self.end))

    def q(self, field: str) -> Q:
        """Rows whose `field` (a date) lies in the period."""
        return Q(**{f"{field}__gte": self.start, f"{field}__lte": self.end})

    @property
    def label(self) -> str:
        start, end = self.start, self.end
        if self.months == 1:
            return f"{start.year}年{start.month}月"
        if self.months == 3:
            return f"{start.year}年第{(start.month + 2) // 3}季度"
        if self.months == 12:
            return f"{start.year}年"
        return f"{start:%Y-%m-%d}至{end:%Y-%m-%d}"


def month(year: int, month_no: int) -> Period:
    return Period(date(year, month_no, 1), _last_day(year, month_no))


def quarter(year: int, quarter_no: int) -> Period:
    first = 3 * (quarter_no - 1) + 1
    return Period(date(year, first, 1), _last_day(year, first + 2))


def year(year_no: int) -> Period:
    return Period(date(year_no, 1, 1), date(year_no, 12, 31))


def year_to_date(today: date | None = None) -> Period:
    """1 January of this year to today (the pages' default, domain-rules §7.2)."""
    today = today or timezone.localdate()
    return Period(date(today.year, 1, 1), today)
