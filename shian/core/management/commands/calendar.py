"""`shian calendar`: load a State Council holiday notice, show a year's holidays, count working days."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from shian.core.services.calendar import holiday_notice_load, parse_notice_file
from shian.core.workdays import CalendarYearUnknown, add_working_days, year_days


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as e:
        raise CommandError(f"Not a date (YYYY-MM-DD): {value}") from e


def _error_lines(error: ValidationError) -> str:
    if not hasattr(error, "error_dict"):
        return "\n".join(error.messages)
    return "\n".join(f"{key}: {message}" for key, messages in error.message_dict.items() for message in messages)


def _runs(days: list[tuple[date, str]]) -> list[tuple[str, date, date]]:
    """Consecutive days with the same name, as (name, first, last)."""
    runs: list[tuple[str, date, date]] = []
    for day, name in days:
        if runs and runs[-1][0] == name and (day - runs[-1][2]).days == 1:
            runs[-1] = (name, runs[-1][1], day)
        else:
            runs.append((name, day, day))
    return runs


class Command(BaseCommand):
    help = "The working-day calendar: load a holiday notice, show a year, add working days to a date."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="{load,show,add}")
        load = sub.add_parser("load", help="Load (or replace) a year's holiday notice from a TOML file.")
        load.add_argument("file", help="the notice file (format: docs/holiday-notice.md)")
        show = sub.add_parser("show", help="List a year's holidays and make-up working days.")
        show.add_argument("year", type=int)
        add = sub.add_parser("add", help="The date DAYS working days after START (negative: before).")
        add.add_argument("start", help="YYYY-MM-DD")
        add.add_argument("days", type=int)

    def handle(self, *args, action: str, **options):
        try:
            if action == "load":
                self.load(options["file"])
            elif action == "show":
                self.show(options["year"])
            else:
                self.stdout.write(add_working_days(_iso_date(options["start"]), options["days"]).isoformat())
        except ValidationError as e:
            raise CommandError(_error_lines(e)) from e
        except CalendarYearUnknown as e:
            raise CommandError(str(e)) from e

    def load(self, path: str) -> None:
        data = parse_notice_file(path)
        notice = holiday_notice_load(data=data)
        days = list(notice.days.values_list("is_workday", flat=True))
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {notice}: {len(data['holidays'])} holidays ({days.count(False)} days off), "
                f"{days.count(True)} make-up working days."
            )
        )

    def show(self, year: int) -> None:
        calendar = year_days(year)
        if calendar.from_notice:
            source = f"{calendar.notice_title} {calendar.notice_url}".strip()
            self.stdout.write(f"{year}: loaded notice {source}")
        else:
            self.stdout.write(f"{year}: from the chinese-calendar library")
        changed = sorted(calendar.days.items())
        off = [(day, name) for day, (is_workday, name) in changed if not is_workday]
        made_up = [(day, name) for day, (is_workday, name) in changed if is_workday]
        self.stdout.write("Holidays:")
        for name, first, last in _runs(off):
            count = (last - first).days + 1
            span = first.isoformat() if first == last else f"{first.isoformat()} – {last.isoformat()}"
            self.stdout.write(f"  {span} ({count} day{'s' if count > 1 else ''})  {name}")
        self.stdout.write("Make-up working days:" if made_up else "Make-up working days: none")
        for day, name in made_up:
            self.stdout.write(f"  {day.isoformat()} {day:%a}  {name}")
