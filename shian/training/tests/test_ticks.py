"""`shian tick` for spot tests: the business is reminded the day before one is due, its main person in charge and
director are told once when one was missed; each message once."""

import datetime
import zoneinfo

import pytest
import time_machine

from shian.core.models import Notification
from shian.training import ticks
from shian.training.services import exam_submit, spot_test_assign

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def on(day: int, hour: int = 9):
    return time_machine.travel(datetime.datetime(2026, 3, day, hour, 0, tzinfo=SHANGHAI), tick=False)


def test_the_business_is_reminded_the_day_before_a_spot_test_is_due_once(
    bank, restaurant, people, officer, director, principal, inspector, django_capture_on_commit_callbacks
):
    (exam,) = spot_test_assign(operator=restaurant, staff=[people["officer"]], by=inspector)  # due 5 March
    with on(3), django_capture_on_commit_callbacks(execute=True):
        assert ticks.remind_spot_test_due() == 0
    with on(4), django_capture_on_commit_callbacks(execute=True):
        assert ticks.remind_spot_test_due() == 1
    with on(4, 18), django_capture_on_commit_callbacks(execute=True):
        ticks.remind_spot_test_due()
    reminders = Notification.objects.filter(kind="training.spot.due")
    assert reminders.count() == 3  # each of the business's three users, once
    assert set(reminders.values_list("recipient__username", flat=True)) == {
        "mian-officer",
        "mian-director",
        "mian-principal",
    }
    assert all(str(exam.pk) in n.link for n in reminders)


def test_a_submitted_spot_test_is_not_reminded(bank, restaurant, people, officer, inspector):
    (exam,) = spot_test_assign(operator=restaurant, staff=[people["officer"]], by=inspector)
    exam_submit(exam=exam, by=officer, answers={})
    with on(4):
        assert ticks.remind_spot_test_due() == 0


def test_a_missed_spot_test_is_reported_to_the_principal_and_director_once(
    bank, restaurant, people, officer, director, principal, inspector, django_capture_on_commit_callbacks
):
    spot_test_assign(operator=restaurant, staff=[people["director"]], by=inspector)  # due 5 March
    with on(5, 20), django_capture_on_commit_callbacks(execute=True):
        assert ticks.report_missed_spot_test() == 0  # still due today
    with on(6), django_capture_on_commit_callbacks(execute=True):
        assert ticks.report_missed_spot_test() == 1
    with on(7), django_capture_on_commit_callbacks(execute=True):
        ticks.report_missed_spot_test()
    told = Notification.objects.filter(kind="training.spot.missed")
    assert set(told.values_list("recipient__username", flat=True)) == {"mian-director", "mian-principal"}
    assert told.count() == 2
    assert "王总监" in told.first().title


def test_the_handlers_are_registered_with_shian_tick():
    from shian.core.ticks import _handlers

    assert _handlers["training.spot_due"] is ticks.remind_spot_test_due
    assert _handlers["training.spot_missed"] is ticks.report_missed_spot_test
