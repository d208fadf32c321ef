"""Working days on the Chinese calendar: library years, loaded holiday notices, the `calendar` command."""

import re
from datetime import date, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shian.core.models import AuditEntry, CalendarDay, HolidayNotice
from shian.core.services.calendar import holiday_notice_load, parse_notice_file
from shian.core.workdays import (
    CalendarYearUnknown,
    add_working_days,
    is_working_day,
    working_days_between,
    year_is_known,
)

D = date.fromisoformat
DOCS = Path(__file__).resolve().parents[3] / "docs" / "holiday-notice.md"


def days(first: str, last: str) -> list[date]:
    start, end = D(first), D(last)
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


# The State Council notices for 2025 and 2026, as shipped in chinese_calendar 1.11.0. The 2026 dates were
# checked with chinese_calendar.get_holiday_detail() and is_workday() for every day of 2026 before being
# written here: Spring Festival off Sun 02-15 to Mon 02-23, make-up Sat 02-14 and Sat 02-28; Mid-autumn off
# Fri 09-25 to Sun 09-27; National Day off Thu 10-01 to Wed 10-07, make-up Sun 09-20 and Sat 10-10.
DAYS_OFF = [
    *days("2025-01-28", "2025-02-04"),  # 2025 Spring Festival
    *days("2025-10-01", "2025-10-08"),  # 2025 National Day and Mid-autumn
    *days("2026-02-15", "2026-02-23"),  # 2026 Spring Festival
    *days("2026-09-25", "2026-09-27"),  # 2026 Mid-autumn
    *days("2026-10-01", "2026-10-07"),  # 2026 National Day
]
MAKE_UP_DAYS = [D(d) for d in ("2025-01-26", "2025-02-08", "2025-09-28", "2025-10-11")] + [
    D(d) for d in ("2026-02-14", "2026-02-28", "2026-09-20", "2026-10-10")
]
ORDINARY_WEEKDAYS = [D(d) for d in ("2025-01-27", "2025-02-05", "2025-10-09", "2026-02-24", "2026-10-08")]


def notice_2027(**changes) -> dict:
    """A small test notice for 2027 (made-up dates, not the real notice)."""
    data = {
        "year": 2027,
        "title": "国务院办公厅关于2027年部分节假日安排的通知（测试）",
        "source_url": "https://www.gov.cn/example",
        "holidays": [
            {"name": "元旦", "from": D("2027-01-01"), "to": D("2027-01-03"), "workdays": []},
            {"name": "春节", "from": D("2027-02-05"), "to": D("2027-02-13"), "workdays": [D("2027-01-31")]},
            {"name": "清明节", "from": D("2027-04-03"), "to": D("2027-04-05")},
        ],
    }
    data.update(changes)
    return data


def docs_example(tmp_path: Path) -> Path:
    """The example notice of docs/holiday-notice.md, as a file."""
    block = re.search(r"```toml\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL).group(1)
    path = tmp_path / "holidays-2027.toml"
    path.write_text(block, encoding="utf-8")
    return path


@pytest.mark.django_db
class TestLibraryYears:
    @pytest.mark.parametrize("day", DAYS_OFF, ids=str)
    def test_public_holidays_are_not_working_days(self, day):
        assert not is_working_day(day)

    @pytest.mark.parametrize("day", MAKE_UP_DAYS, ids=str)
    def test_make_up_weekend_days_are_working_days(self, day):
        assert day.weekday() >= 5
        assert is_working_day(day)

    @pytest.mark.parametrize("day", ORDINARY_WEEKDAYS, ids=str)
    def test_weekdays_around_the_holidays_are_working_days(self, day):
        assert is_working_day(day)

    @pytest.mark.parametrize(
        ("start", "n", "expected"),
        [
            ("2025-01-24", 5, "2025-02-07"),  # Sun 01-26 (make-up), Mon 01-27, then 02-05, 02-06, 02-07
            ("2025-01-24", 1, "2025-01-26"),  # the make-up Sunday is the next working day
            ("2025-01-27", 1, "2025-02-05"),  # the whole Spring Festival is skipped
            ("2025-09-26", 3, "2025-09-30"),  # Sat off, Sun 09-28 make-up, 09-29, 09-30
            ("2025-09-30", 1, "2025-10-09"),
            ("2025-09-30", 3, "2025-10-11"),  # ends on the make-up Saturday
            ("2026-02-13", 1, "2026-02-14"),  # make-up Saturday before the 2026 Spring Festival
            ("2026-02-13", 2, "2026-02-24"),
            ("2026-02-13", 6, "2026-02-28"),  # make-up Saturday after it
            ("2026-09-24", 1, "2026-09-28"),  # over the 2026 Mid-autumn weekend
            ("2026-09-30", 1, "2026-10-08"),
            ("2026-09-30", 3, "2026-10-10"),
            ("2025-02-05", -1, "2025-01-27"),  # backwards over the Spring Festival
            ("2025-02-07", -5, "2025-01-24"),
            ("2026-10-08", -1, "2026-09-30"),
            ("2025-12-31", 1, "2026-01-04"),  # New Year 2026: Thu 01-01 to Sat 01-03 off, Sun 01-04 make-up
        ],
    )
    def test_add_working_days(self, start, n, expected):
        assert add_working_days(D(start), n) == D(expected)

    def test_zero_days_is_the_start_day_even_on_a_holiday_and_reads_nothing(self, django_assert_num_queries):
        with django_assert_num_queries(0):
            assert add_working_days(D("2025-01-28"), 0) == D("2025-01-28")
            assert working_days_between(D("2025-01-28"), D("2025-01-28")) == 0

    @pytest.mark.parametrize(
        ("start", "end", "expected"),
        [
            ("2025-01-24", "2025-02-07", 5),
            ("2025-01-27", "2025-02-04", 0),  # only holidays after Monday 01-27
            ("2025-01-24", "2025-01-26", 1),  # the end day counts
            ("2025-02-07", "2025-01-24", -5),
            ("2026-09-30", "2026-10-10", 3),
            (
                "2025-12-01",
                "2026-01-31",
                43,
            ),  # across years: 22 after Mon 12-01, 21 in January 2026 (Sun 01-04 make-up)
        ],
    )
    def test_working_days_between(self, start, end, expected):
        assert working_days_between(D(start), D(end)) == expected

    def test_one_query_per_year_touched(self, django_assert_num_queries):
        with django_assert_num_queries(1):
            add_working_days(D("2025-01-02"), 200)
        with django_assert_num_queries(2):
            add_working_days(D("2025-12-01"), 60)
        with django_assert_num_queries(2):
            working_days_between(D("2026-12-31"), D("2025-01-01"))

    def test_library_years_are_known(self):
        assert year_is_known(2004)
        assert year_is_known(2026)
        assert not year_is_known(2003)


@pytest.mark.django_db
class TestUnknownYear:
    def test_2027_is_unknown_before_its_notice_is_loaded(self):
        assert not year_is_known(2027)
        with pytest.raises(CalendarYearUnknown, match="2027") as excinfo:
            is_working_day(D("2027-01-04"))
        assert excinfo.value.year == 2027
        assert "shian calendar load FILE" in str(excinfo.value)

    def test_a_count_running_into_an_unknown_year_refuses_to_guess(self):
        with pytest.raises(CalendarYearUnknown, match="2027"):
            add_working_days(D("2026-12-30"), 2)
        with pytest.raises(CalendarYearUnknown, match="2027"):
            working_days_between(D("2026-12-01"), D("2027-01-05"))
        with pytest.raises(CalendarYearUnknown, match="2003"):
            add_working_days(D("2004-01-02"), -2)

    def test_a_loaded_notice_makes_the_year_known(self, django_assert_num_queries):
        holiday_notice_load(data=notice_2027())
        assert year_is_known(2027)
        assert not is_working_day(D("2027-01-01"))
        assert not is_working_day(D("2027-02-08"))  # a Monday of the Spring Festival
        assert is_working_day(D("2027-01-31"))  # the make-up Sunday counts
        assert not is_working_day(D("2027-01-30"))  # an ordinary Saturday
        assert is_working_day(D("2027-05-03"))  # a Monday the notice does not list
        assert add_working_days(D("2026-12-30"), 2) == D("2027-01-04")
        assert add_working_days(D("2027-01-29"), 2) == D("2027-02-01")  # Sun 01-31 make-up, Mon 02-01
        assert add_working_days(D("2027-02-04"), 1) == D("2027-02-15")
        assert working_days_between(D("2027-02-04"), D("2027-01-29")) == -5  # 01-29, 01-31, 02-01..02-03
        with django_assert_num_queries(1):
            add_working_days(D("2027-01-04"), 100)

    def test_a_notice_replaces_the_library_for_its_whole_year(self):
        holiday_notice_load(
            data={
                "year": 2026,
                "title": "国务院办公厅关于2026年部分节假日安排的通知（测试）",
                "holidays": [{"name": "春节", "from": D("2026-02-16"), "to": D("2026-02-20")}],
            }
        )
        assert not is_working_day(D("2026-02-16"))
        assert is_working_day(D("2026-02-23"))  # off in the library, not in this notice
        assert not is_working_day(D("2026-02-14"))  # the library's make-up Saturday is gone
        assert is_working_day(D("2026-10-01"))


@pytest.mark.django_db
class TestNoticeLoad:
    def test_load_writes_days_off_and_make_up_days_and_audits(self, inspector):
        notice = holiday_notice_load(data=notice_2027(), by=inspector)
        stored = {d.date: (d.is_workday, d.name) for d in CalendarDay.objects.filter(notice=notice)}
        assert len(stored) == 3 + 9 + 3 + 1
        assert stored[D("2027-02-06")] == (False, "春节")
        assert stored[D("2027-01-31")] == (True, "春节")
        entry = AuditEntry.objects.get(action="calendar.notice.load")
        assert entry.actor == inspector
        assert entry.object_id == str(notice.pk)
        assert entry.before is None
        assert ["2027-01-31", True, "春节"] in entry.after["days"]

    def test_loading_a_year_again_replaces_its_notice_and_audits_the_change(self):
        first = holiday_notice_load(data=notice_2027())
        changed = notice_2027(title="第二版")
        changed["holidays"][1] = {"name": "春节", "from": D("2027-02-06"), "to": D("2027-02-12")}
        second = holiday_notice_load(data=changed)
        assert second.pk == first.pk
        assert HolidayNotice.objects.get(year=2027).title == "第二版"
        assert is_working_day(D("2027-02-05"))
        assert not is_working_day(D("2027-01-31"))  # the first version's make-up Sunday is gone
        entries = AuditEntry.objects.filter(action="calendar.notice.load").order_by("id")
        assert len(entries) == 2
        assert entries[1].before["title"] == notice_2027()["title"]
        assert ["2027-01-31", True, "春节"] in entries[1].before["days"]
        assert ["2027-01-31", True, "春节"] not in entries[1].after["days"]

    def test_iso_date_strings_are_accepted(self):
        data = notice_2027()
        data["holidays"] = [{"name": "元旦", "from": "2027-01-01", "to": "2027-01-03", "workdays": ["2027-01-09"]}]
        holiday_notice_load(data=data)
        assert is_working_day(D("2027-01-09"))

    @pytest.mark.parametrize(
        ("change", "key", "fragment"),
        [
            (lambda d: d["holidays"][0].update({"from": D("2026-12-31")}), "holidays[1].from", "2026-12-31"),
            (lambda d: d["holidays"][2].update({"to": D("2028-01-01")}), "holidays[3].to", "2028-01-01"),
            (
                lambda d: d["holidays"][1].update({"workdays": [D("2028-01-01")]}),
                "holidays[2].workdays",
                "2028",
            ),
            (
                lambda d: d["holidays"][1].update({"workdays": [D("2027-02-22")]}),
                "holidays[2].workdays",
                "2027-02-22",
            ),
            (
                lambda d: d["holidays"][2].update({"from": D("2027-04-05"), "to": D("2027-04-03")}),
                "holidays[3].to",
                "2027-04-03",
            ),
            (
                lambda d: d["holidays"].append({"name": "元宵", "from": D("2027-02-12"), "to": D("2027-02-14")}),
                "holidays[4]",
                "holidays[2]",
            ),
            (
                lambda d: d["holidays"][0].update({"workdays": [D("2027-02-06")]}),
                "holidays[1].workdays",
                "2027-02-06",
            ),
            (
                lambda d: d["holidays"][2].update({"workdays": [D("2027-01-31")]}),
                "holidays[3].workdays",
                "holidays[2]",
            ),
            (
                lambda d: d["holidays"][1].update({"workdays": [D("2027-01-31"), D("2027-01-31")]}),
                "holidays[2].workdays",
                "2027-01-31",
            ),
            (
                lambda d: d["holidays"][1].update({"workday": [D("2027-01-31")]}),
                "holidays[2].workday",
                "workdays",
            ),
            (lambda d: d["holidays"][1].update({"from": "2027-02-30"}), "holidays[2].from", "2027-02-30"),
            (
                lambda d: d["holidays"][1].update({"from": datetime(2027, 2, 5, 8)}),
                "holidays[2].from",
                "2027",
            ),
            (lambda d: d["holidays"][1].pop("to"), "holidays[2].to", ""),
            (lambda d: d["holidays"][1].update({"name": " "}), "holidays[2].name", ""),
            (lambda d: d.update({"holidays": []}), "holidays", "[[holidays]]"),
            (lambda d: d.update({"year": "2027"}), "year", "2027"),
            (lambda d: d.pop("title"), "title", ""),
            (lambda d: d.update({"source_url": "gov.cn notice"}), "source_url", "gov.cn notice"),
            (lambda d: d.update({"years": 2027}), "years", "year"),
        ],
        ids=[
            "from-before-the-year",
            "to-after-the-year",
            "make-up-outside-the-year",
            "make-up-on-a-monday",
            "from-after-to",
            "overlapping-ranges",
            "make-up-on-a-holiday",
            "make-up-listed-twice-across",
            "make-up-listed-twice",
            "misspelt-key",
            "impossible-date",
            "datetime-not-date",
            "missing-to",
            "blank-name",
            "no-holidays",
            "year-as-text",
            "missing-title",
            "bad-url",
            "unknown-top-level-key",
        ],
    )
    def test_bad_notices_say_where_and_why_and_leave_the_loaded_notice_untouched(self, change, key, fragment):
        loaded = holiday_notice_load(data=notice_2027())
        days_before = list(CalendarDay.objects.order_by("date").values_list("date", "is_workday", "name"))
        bad = notice_2027()
        change(bad)
        with pytest.raises(ValidationError) as excinfo:
            holiday_notice_load(data=bad)
        errors = excinfo.value.message_dict
        assert key in errors, errors
        assert fragment in " ".join(errors[key])
        assert HolidayNotice.objects.get().title == loaded.title
        assert list(CalendarDay.objects.order_by("date").values_list("date", "is_workday", "name")) == days_before
        assert AuditEntry.objects.filter(action="calendar.notice.load").count() == 1

    def test_every_problem_is_reported_at_once(self):
        bad = notice_2027(title="")
        bad["holidays"][1]["workdays"] = [D("2027-02-22")]
        with pytest.raises(ValidationError) as excinfo:
            holiday_notice_load(data=bad)
        assert set(excinfo.value.message_dict) == {"title", "holidays[2].workdays"}

    def test_unreadable_and_malformed_files(self, tmp_path):
        with pytest.raises(ValidationError) as excinfo:
            parse_notice_file(tmp_path / "missing.toml")
        assert "missing.toml" in excinfo.value.message_dict["file"][0]
        broken = tmp_path / "broken.toml"
        broken.write_text('year = 2027\ntitle = "unterminated\n', encoding="utf-8")
        with pytest.raises(ValidationError) as excinfo:
            parse_notice_file(broken)
        assert "line 2" in excinfo.value.message_dict["file"][0]


@pytest.mark.django_db
class TestCommand:
    def test_load_the_documented_example_then_show_and_add(self, tmp_path):
        out = StringIO()
        call_command("calendar", "load", str(docs_example(tmp_path)), stdout=out)
        assert "7 holidays (29 days off), 6 make-up working days" in out.getvalue()
        out = StringIO()
        call_command("calendar", "show", "2027", stdout=out)
        shown = out.getvalue()
        assert "国务院办公厅关于2027年部分节假日安排的通知（示例）" in shown
        assert "2027-01-01 – 2027-01-03 (3 days)  元旦" in shown
        assert "2027-02-05 – 2027-02-13 (9 days)  春节" in shown
        assert "2027-06-09 (1 day)  端午节" in shown
        assert "2027-01-31 Sun  春节" in shown
        assert "2027-10-09 Sat  国庆节" in shown
        out = StringIO()
        call_command("calendar", "add", "2027-02-04", "6", stdout=out)
        assert out.getvalue().strip() == "2027-02-20"

    def test_show_a_library_year(self):
        out = StringIO()
        call_command("calendar", "show", "2025", stdout=out)
        shown = out.getvalue()
        assert "chinese-calendar" in shown
        assert "2025-01-28 – 2025-02-04 (8 days)  春节" in shown
        assert "2025-01-26 Sun  春节" in shown
        assert "2025-10-11 Sat  国庆节" in shown

    def test_add_forwards_and_backwards(self):
        out = StringIO()
        call_command("calendar", "add", "2025-01-24", "5", stdout=out)
        call_command("calendar", "add", "2025-02-07", "-5", stdout=out)
        assert out.getvalue().split() == ["2025-02-07", "2025-01-24"]

    @pytest.mark.parametrize(
        ("args", "fragment"),
        [
            (("show", "2027"), "2027"),
            (("add", "2026-12-30", "5"), "2027"),
            (("add", "24/01/2025", "5"), "24/01/2025"),
        ],
    )
    def test_unknown_years_and_bad_input_are_command_errors(self, args, fragment):
        with pytest.raises(CommandError, match=re.escape(fragment)):
            call_command("calendar", *args)

    def test_a_bad_file_is_a_command_error_naming_the_entry(self, tmp_path):
        path = tmp_path / "bad.toml"
        path.write_text(
            'year = 2027\ntitle = "t"\n[[holidays]]\nname = "春节"\nfrom = 2027-02-05\nto = 2027-02-13\n'
            "workdays = [2027-02-22]\n",
            encoding="utf-8",
        )
        with pytest.raises(CommandError, match=r"holidays\[1\]\.workdays: 2027-02-22"):
            call_command("calendar", "load", str(path))
        assert not HolidayNotice.objects.exists()


@pytest.fixture
def notice_2027_loaded(db):
    holiday_notice_load(data=notice_2027())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(start=st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31)), n=st.integers(-60, 60))
def test_counting_back_what_was_added_gives_the_same_number(notice_2027_loaded, start, n):
    end = add_working_days(start, n)
    assert working_days_between(start, end) == n
    if n:
        assert is_working_day(end)
        assert (end > start) == (n > 0)


def test_an_administrator_loads_a_notice_through_the_admin(client, admin_user, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(admin_user)
    broken = SimpleUploadedFile("bad.toml", b"year = 2027\ntitle = ")
    response = client.post("/admin/core/holidaynotice/add/", {"file": broken}, headers={"Accept-Language": "en"})
    assert response.status_code == 200
    assert "file: bad.toml is not valid TOML" in response.context["form"].non_field_errors()[0]
    assert not HolidayNotice.objects.exists()
    example = SimpleUploadedFile("2027.toml", docs_example(tmp_path).read_bytes())
    response = client.post("/admin/core/holidaynotice/add/", {"file": example})
    assert response.status_code == 302
    notice = HolidayNotice.objects.get()
    assert notice.year == 2027 and year_is_known(2027)
    assert AuditEntry.objects.filter(action="calendar.notice.load", actor=admin_user).exists()
    assert client.get(f"/admin/core/holidaynotice/{notice.pk}/change/").status_code == 200
