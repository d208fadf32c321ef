"""Director performance evaluation: weighted components, missing ones sharing their weight, a ranking per region."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shian.duty.choices import DutyRole
from shian.duty.performance import evaluations
from shian.duty.rules import performance_score
from shian.duty.services.staffing import appointment_make
from shian.registry.models import Operator, Staff
from shian.registry.tests.factories import OperatorFactory
from shian.training.tests.factories import taken_exam

from .conftest import put_in_force
from .test_services import signed_check

WEIGHTS = {"duty": 40, "inspection": 20, "sampling": 15, "rectification": 15, "training": 10}


def test_the_score_is_the_weighted_mean_of_what_was_measured():
    everything = {"duty": 100, "inspection": 60, "sampling": 100, "rectification": 0, "training": 80}
    assert performance_score(everything, WEIGHTS) == (4000 + 1200 + 1500 + 0 + 800) / 100
    no_inspection = {**everything, "inspection": None, "sampling": None}
    assert performance_score(no_inspection, WEIGHTS) == round((4000 + 0 + 800) / 65, 1)
    assert performance_score({"duty": None}, WEIGHTS) is None
    assert performance_score(everything, {**WEIGHTS, "training": 0}) == round((4000 + 1200 + 1500) / 90, 1)


@pytest.fixture
def two_directors(templates, restaurant, director, officer):
    other = OperatorFactory(name="姑苏小馆", category="catering")
    people = {}
    for operator, name in ((restaurant, "郑总监"), (other, "钱总监")):
        person = Staff.objects.create(operator=operator, name=name)
        appointment_make(
            operator=operator,
            staff=person,
            role=DutyRole.DIRECTOR,
            appointed_on=timezone.localdate() - datetime.timedelta(days=60),
            by=None,
        )
        people[operator.pk] = person
    control_list = put_in_force(restaurant, director, days_ago=10)
    for ago in range(10, 0, -1):
        signed_check(restaurant, officer, timezone.localdate() - datetime.timedelta(days=ago), control_list)
    put_in_force(other, None, days_ago=10)
    taken_exam(staff=people[restaurant.pk], user=director, kind="assessment", score=90, audience="director")
    return restaurant, other


def test_directors_are_ranked_by_their_duties_and_training(two_directors):
    restaurant, other = two_directors
    today = timezone.localdate()
    ranked = evaluations(Operator.objects.all(), first=today - datetime.timedelta(days=30), last=today, today=today)
    assert [e.operator for e in ranked] == [restaurant, other]
    best, worst = ranked
    assert best.components["training"] == 90 and worst.components["training"] == 0
    assert best.components["inspection"] is None  # not inspected in the window: its weight is shared
    assert best.components["duty"] > worst.components["duty"]
    assert best.rank == 1 and best.score > worst.score


def test_the_ranking_page_shows_only_the_region(two_directors, inspector, other_county_inspector):
    client = Client()
    client.force_login(inspector)
    page = client.get(reverse("duty-performance")).content.decode()
    assert page.count('data-testid="performance-row"') == 2
    client.force_login(other_county_inspector)
    assert client.get(reverse("duty-performance")).content.decode().count('data-testid="performance-row"') == 0


def test_regulators_find_the_ranking_in_their_menu(inspector, officer):
    from shian.core.navigation import navigation_for

    assert "duty-performance" in [item["name"] for item in navigation_for(inspector)]
    assert "duty-performance" not in [item["name"] for item in navigation_for(officer)]
