"""Spot-test results on the business's public page: date, role, surname and a star, score, pass or fail; never the
full name or an ID number, and nothing before a result is published."""

import pytest
from django.test import Client
from django.urls import reverse

from shian.training.services import exam_submit, spot_test_assign

from .conftest import right_answers

pytestmark = pytest.mark.django_db


def public_page(operator) -> str:
    response = Client().get(reverse("public-operator", args=[operator.public_id]), {"lang": "en"})
    assert response.status_code == 200
    return response.content.decode()


def test_published_spot_tests_show_masked_names_and_results(
    bank, few_questions, restaurant, people, officer, inspector
):
    wang, li = people["director"], people["officer"]
    passed, failed = spot_test_assign(operator=restaurant, staff=[wang, li], by=inspector)
    assert 'data-testid="public-spot-tests"' not in public_page(restaurant)  # nothing published yet
    exam_submit(exam=passed, by=officer, answers=right_answers(passed))
    exam_submit(exam=failed, by=officer, answers={})
    html = public_page(restaurant)
    assert 'data-testid="public-spot-tests"' in html
    assert html.count('data-testid="public-spot-test"') == 2
    assert "王*" in html and "李*" in html
    assert "王总监" not in html and "李安全" not in html
    assert wang.id_number not in html
    assert 'data-passed="yes"' in html and 'data-passed="no"' in html
    assert "Food-safety director" in html and "Food-safety officer" in html
    assert ">100 ·" in html or "100 ·" in html


def test_a_waiting_spot_test_is_not_on_the_public_page(bank, restaurant, people, inspector):
    spot_test_assign(operator=restaurant, staff=[people["officer"]], by=inspector)
    assert "public-spot-test" not in public_page(restaurant)
