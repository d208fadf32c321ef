"""Holiday notices: load the State Council's notice for a year the `chinese-calendar` library does not know.

The file format is described in docs/holiday-notice.md.
"""

import tomllib
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import CalendarDay, HolidayNotice
from .audit import audit_record, snapshot

NOTICE_KEYS = ("year", "title", "source_url", "holidays")
HOLIDAY_KEYS = ("name", "from", "to", "workdays")
FIRST_YEAR, LAST_YEAR = 2000, 2100
TITLE_MAX = HolidayNotice._meta.get_field("title").max_length
URL_MAX = HolidayNotice._meta.get_field("source_url").max_length
NAME_MAX = CalendarDay._meta.get_field("name").max_length


@dataclass(frozen=True)
class HolidayEntry:
    """One `[[holidays]]` entry once validated: the days off from `first` to `last` and the make-up days."""

    name: str
    first: date
    last: date
    workdays: tuple[date, ...]

    def days_off(self) -> list[date]:
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]


@dataclass(frozen=True)
class NoticeData:
    """A validated notice file."""

    year: int
    title: str
    source_url: str
    holidays: tuple[HolidayEntry, ...]


def parse_notice_file(path: str | Path) -> dict:
    """The parsed TOML notice file; `ValidationError` on key "file" when it cannot be read or parsed."""
    try:
        with open(path, "rb") as f:
            content = f.read()
    except OSError as e:
        raise ValidationError(
            {"file": _("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": e.strerror or e}}
        ) from e
    return parse_notice(content, name=str(path))


def parse_notice(content: bytes, *, name: str) -> dict:
    """A notice file's content (an upload, or a file read by `parse_notice_file`) parsed as TOML."""
    try:
        return tomllib.loads(content.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ValidationError(
            {"file": _("%(path)s is not valid TOML: %(reason)s") % {"path": name, "reason": e}}
        ) from e


class _Errors(dict):
    def add(self, key: str, message: str) -> None:
        self.setdefault(key, []).append(message)


def _unknown_keys(errors: _Errors, table: dict, allowed: tuple[str, ...], prefix: str = "") -> None:
    for key in table:
        if key not in allowed:
            errors.add(f"{prefix}{key}", _("Unknown key (expected one of: %(keys)s).") % {"keys": ", ".join(allowed)})


def _date(errors: _Errors, key: str, value) -> date | None:
    """A date from a TOML date or an ISO 8601 string; None (with an error) for anything else."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    errors.add(key, _("Must be a date such as 2027-01-01, not %(value)r.") % {"value": value})
    return None


def _in_year(errors: _Errors, key: str, day: date | None, year: int | None) -> date | None:
    if day is not None and year is not None and day.year != year:
        errors.add(key, _("%(date)s is not in %(year)s, the year of the notice.") % {"date": day, "year": year})
        return None
    return day


def _text(errors: _Errors, key: str, value, max_length: int, required: bool) -> str:
    if value is None:
        if required:
            errors.add(key, _("Required."))
        return ""
    if not isinstance(value, str):
        errors.add(key, _("Must be a text in quotes, not %(value)r.") % {"value": value})
        return ""
    value = value.strip()
    if required and not value:
        errors.add(key, _("Required: must not be blank."))
    if len(value) > max_length:
        errors.add(key, _("At most %(max)s characters.") % {"max": max_length})
    return value


def _holiday(errors: _Errors, index: int, entry, year: int | None) -> HolidayEntry | None:
    prefix = f"holidays[{index}]"
    if not isinstance(entry, dict):
        errors.add(prefix, _("Must be a [[holidays]] table with name, from, to and workdays."))
        return None
    count = sum(map(len, errors.values()))
    _unknown_keys(errors, entry, HOLIDAY_KEYS, prefix=f"{prefix}.")
    name = _text(errors, f"{prefix}.name", entry.get("name"), NAME_MAX, required=True)
    bounds = {}
    for key in ("from", "to"):
        if key not in entry:
            errors.add(f"{prefix}.{key}", _("Required."))
            bounds[key] = None
        else:
            bounds[key] = _in_year(errors, f"{prefix}.{key}", _date(errors, f"{prefix}.{key}", entry[key]), year)
    first, last = bounds["from"], bounds["to"]
    if first and last and first > last:
        errors.add(
            f"{prefix}.to",
            _("The holiday ends on %(to)s, before it starts on %(from)s.") % {"to": last, "from": first},
        )
    workdays = entry.get("workdays", [])
    made_up: list[date] = []
    if not isinstance(workdays, list):
        errors.add(f"{prefix}.workdays", _("Must be a list of dates, such as [2027-02-20]."))
        workdays = []
    for value in workdays:
        day = _in_year(errors, f"{prefix}.workdays", _date(errors, f"{prefix}.workdays", value), year)
        if day is None:
            continue
        if day.weekday() < 5:
            errors.add(
                f"{prefix}.workdays",
                _("%(date)s is not a Saturday or a Sunday: only a weekend day becomes a make-up working day.")
                % {"date": day},
            )
        elif day in made_up:
            errors.add(f"{prefix}.workdays", _("%(date)s is listed twice.") % {"date": day})
        else:
            made_up.append(day)
    if sum(map(len, errors.values())) > count:
        return None
    return HolidayEntry(name=name, first=first, last=last, workdays=tuple(made_up))


def _cross_check(errors: _Errors, holidays: list[tuple[int, HolidayEntry]]) -> None:
    """Holiday ranges must not overlap; a make-up working day must be neither a holiday nor listed twice."""
    for n, (index, entry) in enumerate(holidays):
        for other_index, other in holidays[:n]:
            if entry.first <= other.last and other.first <= entry.last:
                errors.add(
                    f"holidays[{index}]",
                    _(
                        "%(name)s (%(from)s to %(to)s) overlaps holidays[%(other)s] %(other_name)s "
                        "(%(other_from)s to %(other_to)s)."
                    )
                    % {
                        "name": entry.name,
                        "from": entry.first,
                        "to": entry.last,
                        "other": other_index,
                        "other_name": other.name,
                        "other_from": other.first,
                        "other_to": other.last,
                    },
                )
    made_up: dict[date, int] = {}
    for index, entry in holidays:
        for day in entry.workdays:
            off = next(((i, h) for i, h in holidays if h.first <= day <= h.last), None)
            if off is not None:
                errors.add(
                    f"holidays[{index}].workdays",
                    _("%(date)s is a make-up working day and also a holiday in holidays[%(other)s] %(name)s.")
                    % {"date": day, "other": off[0], "name": off[1].name},
                )
            elif day in made_up:
                errors.add(
                    f"holidays[{index}].workdays",
                    _("%(date)s is already a make-up working day in holidays[%(other)s].")
                    % {"date": day, "other": made_up[day]},
                )
            else:
                made_up[day] = index


def notice_validate(data: dict) -> NoticeData:
    """The notice from a parsed file, or `ValidationError` listing every problem by key (`year`, `title`,
    `source_url`, `holidays`, `holidays[N]`, `holidays[N].from` …; N counts the entries from 1)."""
    errors = _Errors()
    _unknown_keys(errors, data, NOTICE_KEYS)
    year = data.get("year")
    if not isinstance(year, int) or isinstance(year, bool) or not FIRST_YEAR <= year <= LAST_YEAR:
        errors.add(
            "year",
            _("Required: the year of the notice, between %(first)s and %(last)s, such as 2027.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
        )
        year = None
    title = _text(errors, "title", data.get("title"), TITLE_MAX, required=True)
    source_url = _text(errors, "source_url", data.get("source_url"), URL_MAX, required=False)
    if source_url:
        try:
            URLValidator()(source_url)
        except ValidationError:
            errors.add("source_url", _("Not a valid web address: %(url)s") % {"url": source_url})
    entries = data.get("holidays")
    holidays: list[tuple[int, HolidayEntry]] = []
    if not isinstance(entries, list) or not entries:
        errors.add("holidays", _("Required: at least one [[holidays]] entry."))
    else:
        for index, entry in enumerate(entries, start=1):
            holiday = _holiday(errors, index, entry, year)
            if holiday is not None:
                holidays.append((index, holiday))
        _cross_check(errors, holidays)
    if errors:
        raise ValidationError(dict(errors))
    return NoticeData(year=year, title=title, source_url=source_url, holidays=tuple(h for _i, h in holidays))


def _notice_state(notice: HolidayNotice) -> dict:
    """The notice and its days, for the audit trail."""
    days = notice.days.order_by("date").values_list("date", "is_workday", "name")
    return {**snapshot(notice), "days": [[day.isoformat(), workday, name] for day, workday, name in days]}


@transaction.atomic
def holiday_notice_load(*, data: dict, by=None) -> HolidayNotice:
    """Load (or replace, as a whole) the holiday notice of a year from a parsed notice file.

    Its days then override the `chinese-calendar` library for that year. Raises `ValidationError` by key
    (see `notice_validate`) and leaves any previously loaded notice unchanged when the data is invalid."""
    valid = notice_validate(data)
    days = [CalendarDay(date=day, is_workday=False, name=h.name) for h in valid.holidays for day in h.days_off()]
    days += [CalendarDay(date=day, is_workday=True, name=h.name) for h in valid.holidays for day in h.workdays]
    notice = HolidayNotice.objects.select_for_update().filter(year=valid.year).first()
    clash = (
        CalendarDay.objects.filter(date__in=[d.date for d in days])
        .exclude(notice__year=valid.year)
        .select_related("notice")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "holidays": _("%(date)s is already a day of the notice for %(year)s.")
                % {"date": clash.date, "year": clash.notice.year}
            }
        )
    before = None
    if notice is None:
        notice = HolidayNotice(year=valid.year)
    else:
        before = _notice_state(notice)
        notice.days.all().delete()
    notice.title, notice.source_url = valid.title, valid.source_url
    notice.save()
    for day in days:
        day.notice = notice
    CalendarDay.objects.bulk_create(days)
    audit_record(actor=by, action="calendar.notice.load", obj=notice, before=before, after=_notice_state(notice))
    return notice
