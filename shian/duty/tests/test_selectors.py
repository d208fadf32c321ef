"""What is due and missed, derived from the Chinese calendar, and the completion regulators see."""

import datetime

import pytest
from django.utils import timezone

from shian.duty.choices import DutyKind
from shian.duty.models import RiskControlList
from shian.duty.selectors import oversight, staffing_gaps, standings, total_of
from shian.registry.models import Operator
from shian.registry.tests.factories import OperatorFactory

from .conftest import put_in_force
from .test_services import signed_check

D = datetime.date


@pytest.fixture
def school(templates, restaurant):
    """A school canteen whose list took force on Monday 9 February 2026, before the Spring Festival holiday
    (15–23 February, with make-up working Saturdays on 14 and 28 February)."""
    canteen = OperatorFactory(name="实验小学食堂", category="canteen", canteen_kind="school")
    control_list = put_in_force(canteen, None)
    RiskControlList.objects.filter(pk=control_list.pk).update(in_force_from=D(2026, 2, 9))
    control_list.refresh_from_db()
    return canteen, control_list


def test_a_school_canteen_owes_checks_on_working_days_only_make_up_saturdays_included(school, officer):
    canteen, control_list = school
    for day in (D(2026, 2, 9), D(2026, 2, 10), D(2026, 2, 14), D(2026, 2, 24), D(2026, 2, 27)):
        signed_check(canteen, officer, day, control_list)
    today = timezone.localdate()
    assert today == D(2026, 3, 2)  # the suite's fixed Monday
    standing = standings(Operator.objects.filter(pk=canteen.pk), first=D(2026, 2, 1), last=today, today=today)[
        canteen.pk
    ]
    missed = standing.missed[DutyKind.DAILY]
    assert missed == [D(2026, 2, 11), D(2026, 2, 12), D(2026, 2, 13), D(2026, 2, 25), D(2026, 2, 26), D(2026, 2, 28)]
    assert D(2026, 2, 16) not in missed and D(2026, 2, 21) not in missed  # the holiday and its weekend
    daily = standing.completion[DutyKind.DAILY]
    assert (daily.due, daily.done) == (11, 5)  # today (Monday 2 March) is due, not yet missed
    weekly = standing.missed[DutyKind.WEEKLY]
    assert weekly == [D(2026, 2, 9), D(2026, 2, 23)]  # the holiday week 16–22 February owes no review


def test_a_restaurant_owes_a_check_every_day(templates, restaurant, officer, director):
    control_list = put_in_force(restaurant, director, days_ago=7)
    signed_check(restaurant, officer, D(2026, 2, 28), control_list)  # Saturday
    today = timezone.localdate()
    standing = standings(Operator.objects.filter(pk=restaurant.pk), first=D(2026, 2, 1), last=today, today=today)[
        restaurant.pk
    ]
    assert standing.completion[DutyKind.DAILY].due == 7 and standing.completion[DutyKind.DAILY].done == 1
    assert D(2026, 3, 1) in standing.missed[DutyKind.DAILY]  # Sunday
    assert standing.missed[DutyKind.MONTHLY] == [D(2026, 2, 1)]


def test_nothing_is_due_before_a_list_is_in_force(templates, restaurant):
    today = timezone.localdate()
    standing = standings(Operator.objects.filter(pk=restaurant.pk), first=D(2026, 2, 1), last=today, today=today)[
        restaurant.pk
    ]
    assert standing.plan is None and standing.completion == {}


def test_staffing_gaps_of_many_businesses_at_once(templates, restaurant, django_assert_max_num_queries):
    big_school = OperatorFactory(category="canteen", canteen_kind="school", daily_diners=800)
    operators = Operator.objects.filter(pk__in=[restaurant.pk, big_school.pk])
    with django_assert_max_num_queries(2):
        gaps = staffing_gaps(operators)
    assert gaps[restaurant.pk] == ["principal", "officer"]
    assert gaps[big_school.pk] == ["principal", "director", "officer"]


def test_oversight_sums_businesses_per_county_and_flags_those_that_stopped(templates, restaurant, officer, director):
    control_list = put_in_force(restaurant, director, days_ago=10)
    for ago in (10, 9):
        signed_check(restaurant, officer, timezone.localdate() - datetime.timedelta(days=ago), control_list)
    idle = OperatorFactory(name="无清单小店", category="catering")
    wuzhong = OperatorFactory(name="吴中小店", category="catering", region_id="320506")
    today = timezone.localdate()
    operators = Operator.objects.filter(pk__in=[restaurant.pk, idle.pk, wuzhong.pk])
    rows = oversight(operators, first=today - datetime.timedelta(days=29), last=today, today=today, by_region=True)
    gusu = next(row for row in rows if row.key == "320508")
    assert (gusu.businesses, gusu.recording, gusu.stopped, gusu.gaps) == (2, 1, 1, 2)  # nobody appointed at either
    assert (gusu.completion[DutyKind.DAILY].due, gusu.completion[DutyKind.DAILY].done) == (10, 2)
    assert total_of(rows).businesses == 3
    per_business = oversight(
        operators.filter(region_id="320508"),
        first=today - datetime.timedelta(days=29),
        last=today,
        today=today,
        by_region=False,
    )
    assert {row.label for row in per_business} == {"姑苏面馆", "无清单小店"}
