"""Working days (工作日) on the Chinese calendar, with public holidays and make-up working days (调休).

Source: State Council holiday notices (国务院办公厅关于XXXX年部分节假日安排的通知); FSL/Order limits are in
working days, the start day not counted (Civil Code art. 201).

Where the days come from, for one year:

1. the holiday notice an administrator loaded for that year (`HolidayNotice` / `CalendarDay`), if there is
   one: its days override the library for the whole year, and days it does not list follow the plain
   Monday–Friday rule;
2. otherwise the `chinese-calendar` library, which ships the notices up to its last known year;
3. otherwise the year is unknown and `CalendarYearUnknown` is raised: nothing here ever guesses.

Deadlines. A legal limit "within N working days from X" (自X之日起N个工作日内) ends on
`add_working_days(X, N)`: the day of X itself is not counted, counting starts on the next working day, and
the result is the Nth working day after X, the last day on which the act is still in time (the day after it
the act is overdue). Example: a 5-working-day limit from Friday 2025-01-24, across the 2025 Spring Festival
(make-up working day Sunday 01-26, holidays 01-28..02-04), ends on Friday 2025-02-07.

Every public function reads the database afresh: one query per calendar year it touches, never one per day,
and nothing is cached between calls (several processes may serve requests, and an administrator may load a
notice at any time). `WorkingCalendar` lets a caller reuse those reads for many computations within one
request or job.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import islice

from chinese_calendar.constants import Holiday
from chinese_calendar.constants import holidays as _library_holidays
from chinese_calendar.constants import workdays as _library_workdays
from django.utils.translation import gettext as _

from .models import HolidayNotice

ONE_DAY = timedelta(days=1)

_CHINESE_NAME = {h.value: h.chinese for h in Holiday}


def _library_years() -> dict[int, dict[date, tuple[bool, str]]]:
    """The library's changed days by year: date -> (is working day, holiday name in Chinese)."""
    years: dict[int, dict[date, tuple[bool, str]]] = {}
    for day, name in _library_holidays.items():
        years.setdefault(day.year, {})[day] = (False, _CHINESE_NAME.get(name, name))
    for day, name in _library_workdays.items():
        years.setdefault(day.year, {})[day] = (True, _CHINESE_NAME.get(name, name))
    return years


# Data shipped inside the installed package (it changes only with the package), not state shared between
# requests.
_LIBRARY = _library_years()


class CalendarYearUnknown(Exception):
    """The working-day calendar of a year is not known: neither the library nor a loaded notice has it."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            _(
                "The working-day calendar for %(year)s is not known: load the State Council holiday notice "
                "for %(year)s with `shian calendar load FILE` (or in the administration site)."
            )
            % {"year": year}
        )


@dataclass(frozen=True)
class YearDays:
    """The days of one year that differ from the Monday–Friday rule: date -> (is working day, holiday name),
    with the notice they come from (title and address), or none when they come from the library."""

    year: int
    days: dict[date, tuple[bool, str]]
    notice_title: str | None = None
    notice_url: str = ""

    @property
    def from_notice(self) -> bool:
        return self.notice_title is not None

    def is_working_day(self, day: date) -> bool:
        if day in self.days:
            return self.days[day][0]
        return day.weekday() < 5


class WorkingCalendar:
    """The calendar for one call, request or job: each year is read from the database once (one query), when
    first needed. Never keep one at module level or between requests: a notice may be loaded meanwhile."""

    def __init__(self) -> None:
        self._years: dict[int, YearDays] = {}
        self._added: dict[tuple[date, int], date | int] = {}  # a date, or the unknown year it ran into

    def year(self, year: int) -> YearDays:
        """The changed days of `year`; raises `CalendarYearUnknown` if no notice or library knows it."""
        if year not in self._years:
            self._years[year] = self._load(year)
        return self._years[year]

    @staticmethod
    def _load(year: int) -> YearDays:
        # One LEFT JOIN: no row without a notice, one row with empty day fields for a notice without days.
        rows = list(
            HolidayNotice.objects.filter(year=year).values_list(
                "title", "source_url", "days__date", "days__is_workday", "days__name"
            )
        )
        if rows:
            days = {day: (workday, name) for _t, _u, day, workday, name in rows if day is not None}
            return YearDays(year=year, days=days, notice_title=rows[0][0], notice_url=rows[0][1])
        if year in _LIBRARY:
            return YearDays(year=year, days=_LIBRARY[year])
        raise CalendarYearUnknown(year)

    def is_working_day(self, day: date) -> bool:
        return self.year(day.year).is_working_day(day)

    def _walk(self, start: date, step: timedelta) -> Iterator[date]:
        """The working days after `start` in the direction of `step`, nearest first."""
        day = start
        while True:
            day += step
            if self.is_working_day(day):
                yield day

    def add_working_days(self, start: date, days: int) -> date:
        if days == 0:
            return start
        key = (start, days)
        if key not in self._added:  # a batch asks for the same few start days again and again
            try:
                walk = self._walk(start, ONE_DAY if days > 0 else -ONE_DAY)
                self._added[key] = next(islice(walk, abs(days) - 1, None))
            except CalendarYearUnknown as exc:
                self._added[key] = exc.year
        found = self._added[key]
        if isinstance(found, int):
            raise CalendarYearUnknown(found)
        return found

    def working_days_between(self, start: date, end: date) -> int:
        step = ONE_DAY if end >= start else -ONE_DAY
        count, day = 0, start
        while day != end:
            day += step
            count += self.is_working_day(day)
        return count if end >= start else -count


def year_is_known(year: int) -> bool:
    """Whether working days of `year` can be computed: a notice is loaded for it or the library knows it."""
    return year in _LIBRARY or HolidayNotice.objects.filter(year=year).exists()


def year_days(year: int) -> YearDays:
    """The holidays and make-up working days of a year (from its notice or the library); raises
    `CalendarYearUnknown` when the year is unknown."""
    return WorkingCalendar().year(year)


def is_working_day(day: date) -> bool:
    """Whether `day` is a working day: Monday to Friday unless a public holiday, or a make-up working day."""
    return WorkingCalendar().is_working_day(day)


def add_working_days(start: date, days: int) -> date:
    """The date that is `days` working days after `start`, not counting `start` itself.

    With days > 0 the result is the `days`-th working day after `start`; with days < 0 the `abs(days)`-th
    working day before it; with days == 0, `start` itself, working day or not. A legal limit "within N
    working days from X" ends on `add_working_days(X, N)` (see the module docstring). Raises
    `CalendarYearUnknown` when the count reaches a year the calendar does not know."""
    return WorkingCalendar().add_working_days(start, days)


def working_days_between(start: date, end: date) -> int:
    """How many working days lie after `start` up to and including `end`, counting from `start` towards `end`.

    end >= start: the working days in (start, end]. end < start: minus the working days in [end, start),
    the mirror image, so that `working_days_between(d, add_working_days(d, n)) == n` for every n. Raises
    `CalendarYearUnknown` when a day between them lies in a year the calendar does not know."""
    return WorkingCalendar().working_days_between(start, end)
