"""`shian tick` for the duty records: the officer is reminded before the day ends, the director on the week's last
day, the county's regulators when a business keeps missing its checks; each message once."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.utils import timezone

from shian.core.models import Notification
from shian.core.tests.factories import AgencyFactory, RegulatorFactory, region
from shian.duty import ticks
from shian.duty.services.records import daily_check_open, daily_check_sign

from .conftest import put_in_force
from .test_services import answer_all, signed_check

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(day: datetime.date, hour: int):
    return time_machine.travel(datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=SHANGHAI), tick=False)


def test_the_officer_is_reminded_after_the_cut_off_once_and_not_when_signed(
    django_capture_on_commit_callbacks, in_force, restaurant, officer, director
):
    today = timezone.localdate()
    with at(today, 12), django_capture_on_commit_callbacks(execute=True):
        assert ticks.remind_daily_check() == 0  # before 17:00
    with at(today, 18), django_capture_on_commit_callbacks(execute=True):
        assert ticks.remind_daily_check() == 1
        ticks.remind_daily_check()
    assert Notification.objects.filter(kind="duty.daily.due", recipient=officer).count() == 1
    assert not Notification.objects.filter(kind="duty.daily.due", recipient=director).exists()
    check = daily_check_open(operator=restaurant, by=officer)
    answer_all(check, officer)
    daily_check_sign(check=check, by=officer)
    with at(today, 19):
        assert ticks.remind_daily_check() == 0


def test_a_school_canteen_is_not_reminded_on_a_holiday(templates, officer):
    from shian.registry.tests.factories import MembershipFactory, OperatorFactory

    canteen = OperatorFactory(category="canteen", canteen_kind="school")
    MembershipFactory(operator=canteen, user=officer, role="officer")
    put_in_force(canteen, None)
    with at(datetime.date(2026, 2, 17), 18):  # Spring Festival
        assert ticks.remind_daily_check() == 0
    with at(datetime.date(2026, 2, 28), 18):  # a make-up working Saturday
        assert ticks.remind_daily_check() == 1


def test_the_director_is_reminded_on_the_last_day_of_the_week(
    django_capture_on_commit_callbacks, in_force, officer, director
):
    sunday = timezone.localdate() + datetime.timedelta(days=6 - timezone.localdate().weekday())
    with at(sunday - datetime.timedelta(days=1), 18):
        assert ticks.remind_weekly_review() == 0
    with at(sunday, 18), django_capture_on_commit_callbacks(execute=True):
        assert ticks.remind_weekly_review() == 1
    assert Notification.objects.filter(kind="duty.weekly.due", recipient=director).exists()
    assert not Notification.objects.filter(kind="duty.weekly.due", recipient=officer).exists()


def test_repeated_misses_go_to_the_county_bureau_once_a_week(
    django_capture_on_commit_callbacks, templates, restaurant, officer, director
):
    agency = AgencyFactory(region=region("320508"))
    gusu = RegulatorFactory(username="gusu-1", agency=agency)
    wuzhong = RegulatorFactory(username="wuzhong-1", agency=AgencyFactory(region=region("320506")))
    control_list = put_in_force(restaurant, director, days_ago=7)
    today = timezone.localdate()
    for ago in (7, 6, 5, 4):
        signed_check(restaurant, officer, today - datetime.timedelta(days=ago), control_list)
    with django_capture_on_commit_callbacks(execute=True):
        assert ticks.escalate_repeated_misses() == 1  # 3 of the last 7 days missed
        ticks.escalate_repeated_misses()
    assert Notification.objects.filter(kind="duty.repeated_misses", recipient=gusu).count() == 1
    assert not Notification.objects.filter(kind="duty.repeated_misses", recipient=wuzhong).exists()


def test_two_misses_are_not_escalated(templates, restaurant, officer, director):
    control_list = put_in_force(restaurant, director, days_ago=7)
    today = timezone.localdate()
    for ago in (7, 6, 5, 4, 3):
        signed_check(restaurant, officer, today - datetime.timedelta(days=ago), control_list)
    assert ticks.escalate_repeated_misses() == 0


def test_businesses_missing_an_appointment_are_told_on_mondays(django_capture_on_commit_callbacks, in_force, officer):
    monday = timezone.localdate()
    assert monday.weekday() == 0
    with at(monday + datetime.timedelta(days=1), 10):
        assert ticks.remind_staffing_gaps() == 0
    with at(monday, 10), django_capture_on_commit_callbacks(execute=True):
        assert ticks.remind_staffing_gaps() == 1
        ticks.remind_staffing_gaps()
    assert Notification.objects.filter(recipient=officer, kind="duty.staffing_gaps").count() == 1
