"""The working-day calendar for holiday roll-forward (CPL 105; domain-rules §7.1).

The State Council holiday arrangements (国务院办公厅 放假安排) come from the `chinesecalendar`
package; the 系统管理员 overrides single days in `HolidayOverride`. A year the package does not
cover counts only weekends as non-working days, and every explanation says so.
"""

from collections.abc import Mapping
from datetime import date, timedelta

import chinese_calendar
from chinese_calendar import Holiday

from bihuan.deadlines.models import HolidayOverride

_CHINESE_NAMES = {h.value: h.chinese for h in Holiday}
_OFFICIAL_HOLIDAYS: Mapping[date, str] = chinese_calendar.holidays
_MAKEUP_WORKDAYS: Mapping[date, str] = chinese_calendar.workdays
FIRST_YEAR = min(_OFFICIAL_HOLIDAYS).year
LAST_YEAR = max(_OFFICIAL_HOLIDAYS).year
DAY = timedelta(days=1)


def uncovered_note(year: int) -> str:
    return f"{year}年放假安排未收录，仅按周末顺延"


class WorkCalendar:
    """Working days: the admin overrides first, then the official arrangement, then weekends.

    Build it once with `load()` (one query) and reuse it for any number of cases; it memoizes
    `next_workday`.
    """

    def __init__(self, overrides: Mapping[date, tuple[bool, str]] | None = None) -> None:
        # date → (is_workday, note)
        self._overrides = dict(overrides or {})
        self._next: dict[date, date] = {}

    @classmethod
    def load(cls) -> "WorkCalendar":
        rows = HolidayOverride.objects.values_list("date", "is_workday", "note")
        return cls({d: (workday, note) for d, workday, note in rows})

    def covers(self, year: int) -> bool:
        """Whether the official arrangement of `year` is known."""
        return FIRST_YEAR <= year <= LAST_YEAR

    def is_workday(self, d: date) -> bool:
        override = self._overrides.get(d)
        if override is not None:
            return override[0]
        if d in _MAKEUP_WORKDAYS:
            return True
        return d.weekday() < 5 and d not in _OFFICIAL_HOLIDAYS

    def next_workday(self, d: date) -> date:
        """The first working day on or after `d`."""
        found = self._next.get(d)
        if found is None:
            found = d
            while not self.is_workday(found):
                found += DAY
            self._next[d] = found
        return found

    def rest_reason(self, d: date) -> str:
        """Why `d` is not a working day, in the words of an explanation line ("国庆节假日")."""
        override = self._overrides.get(d)
        if override is not None:
            return f"调整后的休息日（{override[1]}）" if override[1] else "调整后的休息日"
        name = _OFFICIAL_HOLIDAYS.get(d)
        if name is not None:
            return f"{_CHINESE_NAMES.get(name, name)}假日"
        return "周末休息日"
