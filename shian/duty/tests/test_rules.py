"""Order 60 rules: who needs a director, who may be appointed, what is due and what was missed."""

import datetime

import pytest

from shian.duty.choices import DutyKind, DutyRole
from shian.duty.rules import (
    DinerThresholds,
    appointment_refusals,
    completion,
    director_reasons,
    due_periods,
    missed_periods,
    missing_roles,
    period_end,
    period_start,
    recent_misses,
)

LIMITS = DinerThresholds()


def needs_director(**facts) -> bool:
    base = {
        "category": "catering",
        "canteen_kind": "",
        "special_foods": [],
        "scale": "",
        "chain_headquarters": False,
        "daily_diners": None,
    }
    return bool(director_reasons(**{**base, **facts}, thresholds=LIMITS))


@pytest.mark.parametrize(("diners", "required"), [(None, False), (299, False), (300, True), (301, True)])
def test_kindergarten_canteen_needs_a_director_from_300_diners(diners, required):
    assert needs_director(category="canteen", canteen_kind="kindergarten", daily_diners=diners) is required


@pytest.mark.parametrize(("diners", "required"), [(499, False), (500, True)])
def test_school_canteen_needs_a_director_from_500_diners(diners, required):
    assert needs_director(category="canteen", canteen_kind="school", daily_diners=diners) is required


@pytest.mark.parametrize(("diners", "required"), [(1000, False), (1001, True)])
def test_any_unit_needs_a_director_above_1000_diners(diners, required):
    """More than 1,000: exactly 1,000 diners at a hospital canteen or a restaurant is not enough."""
    assert needs_director(category="canteen", canteen_kind="hospital", daily_diners=diners) is required
    assert needs_director(category="catering", daily_diners=diners) is required


def test_a_school_canteen_of_400_is_below_its_threshold_though_above_the_kindergartens():
    assert not needs_director(category="canteen", canteen_kind="school", daily_diners=400)
    assert needs_director(category="canteen", canteen_kind="kindergarten", daily_diners=400)


def test_thresholds_are_configuration():
    stricter = DinerThresholds(kindergarten=100, school=200, any_unit=500)
    facts = {
        "category": "canteen",
        "canteen_kind": "school",
        "special_foods": [],
        "scale": "",
        "chain_headquarters": False,
    }
    assert director_reasons(**facts, daily_diners=250, thresholds=stricter)
    assert not director_reasons(**facts, daily_diners=250, thresholds=LIMITS)


@pytest.mark.parametrize(
    ("facts", "required"),
    [
        ({"category": "production", "special_foods": ["infant_formula"]}, True),
        ({"category": "sales", "special_foods": ["health_food"]}, False),  # a seller of special foods is no producer
        ({"category": "production", "scale": "large"}, True),
        ({"category": "production", "scale": "medium"}, True),
        ({"category": "production", "scale": "small"}, False),
        ({"category": "catering", "scale": "medium"}, True),
        ({"category": "sales", "scale": "large"}, True),
        ({"category": "workshop", "scale": "large"}, False),
        ({"category": "catering", "chain_headquarters": True}, True),
        ({"category": "sales", "chain_headquarters": True}, True),
        ({"category": "production", "chain_headquarters": True}, False),
        ({"category": "vendor"}, False),
    ],
)
def test_who_else_needs_a_director(facts, required):
    assert needs_director(**facts) is required


def test_a_principal_and_an_officer_are_always_required_and_a_director_where_the_rule_says():
    assert missing_roles(held=[], director_required=False) == [DutyRole.PRINCIPAL, DutyRole.OFFICER]
    assert missing_roles(held=["principal", "officer"], director_required=True) == [DutyRole.DIRECTOR]
    assert missing_roles(held=["principal", "officer", "director"], director_required=True) == []


def test_a_banned_person_may_not_be_director_or_officer_but_the_ban_does_not_touch_the_principal():
    assert appointment_refusals(role="officer", banned="吊销许可证五年内", failed_spot_test=False, active=True)
    assert appointment_refusals(role="director", banned="终身禁业", failed_spot_test=False, active=True)
    assert not appointment_refusals(role="principal", banned="终身禁业", failed_spot_test=False, active=True)
    assert appointment_refusals(role="officer", banned=None, failed_spot_test=True, active=True)
    assert appointment_refusals(role="officer", banned=None, failed_spot_test=False, active=False)
    assert not appointment_refusals(role="officer", banned=None, failed_spot_test=False, active=True)


def test_periods_are_days_iso_weeks_and_months():
    day = datetime.date(2026, 2, 26)  # a Thursday
    assert period_start(DutyKind.WEEKLY, day) == datetime.date(2026, 2, 23)
    assert period_end(DutyKind.WEEKLY, datetime.date(2026, 2, 23)) == datetime.date(2026, 3, 1)
    assert period_start(DutyKind.MONTHLY, day) == datetime.date(2026, 2, 1)
    assert period_end(DutyKind.MONTHLY, datetime.date(2026, 2, 1)) == datetime.date(2026, 2, 28)
    assert period_end(DutyKind.MONTHLY, datetime.date(2024, 2, 1)) == datetime.date(2024, 2, 29)


def weekdays(day):
    return day.weekday() < 5


def test_daily_checks_are_due_on_the_days_the_business_operates_from_the_day_its_list_took_force():
    due = due_periods(
        DutyKind.DAILY,
        since=datetime.date(2026, 3, 4),
        first=datetime.date(2026, 3, 1),
        last=datetime.date(2026, 3, 10),
        operates=weekdays,
    )
    assert due == [datetime.date(2026, 3, d) for d in (4, 5, 6, 9, 10)]


def test_a_week_is_due_when_it_has_a_working_day_after_the_list_took_force():
    due = due_periods(
        DutyKind.WEEKLY,
        since=datetime.date(2026, 3, 7),  # a Saturday: nothing of that week operates afterwards
        first=datetime.date(2026, 3, 1),
        last=datetime.date(2026, 3, 22),
        operates=weekdays,
    )
    assert due == [datetime.date(2026, 3, 9), datetime.date(2026, 3, 16)]
    every_day = due_periods(
        DutyKind.WEEKLY,
        since=datetime.date(2026, 3, 7),
        first=datetime.date(2026, 3, 1),
        last=datetime.date(2026, 3, 22),
        operates=lambda d: True,
    )
    assert every_day[0] == datetime.date(2026, 3, 2)  # a restaurant open that Saturday owes that week's review


def test_missed_periods_ended_before_today_without_a_signed_record_and_the_current_one_is_not_missed():
    due = [datetime.date(2026, 3, d) for d in (2, 3, 4, 5)]
    done = [datetime.date(2026, 3, 2), datetime.date(2026, 3, 4), datetime.date(2026, 2, 27)]
    assert missed_periods(DutyKind.DAILY, due=due, done=done, today=datetime.date(2026, 3, 5)) == [
        datetime.date(2026, 3, 3)
    ]
    weeks = [datetime.date(2026, 2, 23), datetime.date(2026, 3, 2)]
    assert missed_periods(DutyKind.WEEKLY, due=weeks, done=[], today=datetime.date(2026, 3, 5)) == [weeks[0]]


def test_completion_counts_only_due_periods():
    result = completion(
        [datetime.date(2026, 3, d) for d in (2, 3, 4, 5)], [datetime.date(2026, 3, d) for d in (1, 2, 3)]
    )
    assert (result.due, result.done, result.missed) == (4, 2, 2)
    assert result.rate == 0.5
    assert completion([], []).rate is None


def test_recent_misses_counts_the_window_before_today():
    missed = [datetime.date(2026, 3, d) for d in (1, 6, 8, 9)]
    assert recent_misses(missed, today=datetime.date(2026, 3, 10), days=7) == 3
