"""The training pages: a business starts, takes and reviews its exams and sees only its own; a regulator sees the spot
tests of its county only (another county's get 404 on detail pages and see nothing in lists) and assigns them."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from shian.core.tests.factories import BusinessUserFactory
from shian.registry.tests.factories import MembershipFactory, OperatorFactory
from shian.training.models import Exam, Question
from shian.training.services import exam_start, exam_submit, spot_test_assign

from .conftest import client_for, right_answers

pytestmark = pytest.mark.django_db


@pytest.fixture
def stranger(db):
    """A business user of another business in the same county."""
    user = BusinessUserFactory(username="other-shop")
    MembershipFactory(operator=OperatorFactory(name="别家店"), user=user)
    return user


def test_a_business_user_starts_takes_and_reviews_an_exam(bank, few_questions, restaurant, officer):
    client = client_for(officer)
    page = client.get(reverse("training-home"))
    assert page.status_code == 200 and b'data-testid="start-exam"' in page.content
    response = client.post(
        reverse("training-exam-new", args=[restaurant.pk]),
        {f"op{restaurant.pk}-audience": "officer", f"op{restaurant.pk}-kind": "practice"},
    )
    exam = Exam.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("training-exam", args=[exam.pk])
    assert (exam.user, exam.audience, exam.kind) == (officer, "officer", "practice")
    page = client.get(reverse("training-exam", args=[exam.pk]))
    html = page.content.decode()
    assert html.count('data-testid="question"') == 6
    assert 'type="radio"' in html and 'type="checkbox"' in html  # HYG-2 is the officer's multiple-choice question
    answers = right_answers(exam)
    first = exam.questions[0]
    answers[first] = [(answers[first][0] + 1) % 2]  # one wrong
    data = {f"q{pk}": [str(i) for i in chosen] for pk, chosen in answers.items()}
    response = client.post(reverse("training-exam", args=[exam.pk]), data)
    assert response.status_code == 302
    exam.refresh_from_db()
    assert exam.score == 83 and exam.passed
    html = client.get(reverse("training-exam", args=[exam.pk])).content.decode()
    assert 'data-testid="exam-score" data-score="83" data-passed="yes"' in html
    assert html.count('data-testid="review-line"') == 6 and html.count('data-right="no"') == 1
    question = Question.objects.get(pk=first)
    assert question.explanation in html and question.source in html
    assert 'data-testid="exam-form"' not in html
    again = client.post(reverse("training-exam", args=[exam.pk]), data)  # a submitted exam takes no answers
    assert again.status_code == 403
    listing = client.get(reverse("training-home")).content.decode()
    assert f'data-exam="{exam.pk}"' in listing


def test_an_officer_cannot_start_a_directors_exam_through_the_page(bank, restaurant, officer):
    client = client_for(officer)
    response = client.post(
        reverse("training-exam-new", args=[restaurant.pk]),
        {f"op{restaurant.pk}-audience": "director", f"op{restaurant.pk}-kind": "practice"},
        follow=True,
    )
    assert not Exam.objects.exists()
    assert response.status_code == 200


def test_a_business_sees_only_its_own_exams(
    bank, few_questions, restaurant, officer, stranger, people, inspector, other_county_inspector
):
    exam = exam_start(operator=restaurant, user=officer, audience="officer", kind="practice")
    (spot,) = spot_test_assign(operator=restaurant, staff=[people["officer"]], by=inspector)
    exam_submit(exam=exam, by=officer, answers={})
    other = client_for(stranger)
    for pk in (exam.pk, spot.pk):
        assert other.get(reverse("training-exam", args=[pk])).status_code == 404
    assert other.post(reverse("training-spot-start", args=[spot.pk])).status_code == 404
    assert (
        other.post(
            reverse("training-exam-new", args=[restaurant.pk]),
            {f"op{restaurant.pk}-audience": "officer", f"op{restaurant.pk}-kind": "practice"},
        ).status_code
        == 404
    )
    html = other.get(reverse("training-home")).content.decode()
    assert f'data-exam="{exam.pk}"' not in html and f'data-exam="{spot.pk}"' not in html
    assert "waiting-spot-test" not in html
    mine = client_for(officer).get(reverse("training-home")).content.decode()
    assert f'data-exam="{spot.pk}"' in mine and f'data-exam="{exam.pk}"' in mine


def test_a_regulator_of_another_county_gets_404_and_sees_nothing(
    bank, few_questions, restaurant, officer, people, inspector, other_county_inspector
):
    exam = exam_start(operator=restaurant, user=officer, audience="officer", kind="practice")
    (spot,) = spot_test_assign(operator=restaurant, staff=[people["officer"]], by=inspector)
    exam_submit(exam=spot, by=officer, answers={})
    outsider = client_for(other_county_inspector)
    for pk in (exam.pk, spot.pk):
        assert outsider.get(reverse("training-exam", args=[pk])).status_code == 404
    for result in ("", "failed", "passed", "missed", "pending"):
        html = outsider.get(reverse("training-spot"), {"result": result}).content.decode()
        assert 'data-testid="spot-row"' not in html and 'data-testid="flagged"' not in html
    html = outsider.get(reverse("training-spot"), {"q": "姑苏面馆"}).content.decode()
    assert 'data-testid="operator-found"' not in html
    assert outsider.get(reverse("training-spot"), {"operator": restaurant.pk}).status_code == 404
    response = outsider.post(reverse("training-spot-assign", args=[restaurant.pk]), {"staff": [people["officer"].pk]})
    assert response.status_code == 404
    own = client_for(inspector)
    assert own.get(reverse("training-exam", args=[exam.pk])).status_code == 200
    html = own.get(reverse("training-exam", args=[spot.pk])).content.decode()
    assert 'data-testid="exam-score" data-score="0" data-passed="no"' in html


def test_a_regulator_finds_a_business_and_assigns_its_appointed_managers(
    bank, few_questions, restaurant, people, inspector, officer, django_capture_on_commit_callbacks
):
    client = client_for(inspector)
    html = client.get(reverse("training-spot"), {"q": "面馆"}).content.decode()
    assert f'href="?operator={restaurant.pk}"' in html
    html = client.get(reverse("training-spot"), {"operator": restaurant.pk}).content.decode()
    assert 'data-testid="assign-form"' in html
    assert "王总监" in html and "李安全" in html and "张工" not in html  # only appointed directors and officers
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("training-spot-assign", args=[restaurant.pk]),
            {"staff": [people["director"].pk, people["officer"].pk]},
        )
    assert response.status_code == 302
    assert Exam.objects.spot().count() == 2
    html = client.get(reverse("training-spot")).content.decode()
    assert html.count('data-testid="spot-row"') == 2
    html = client.get(reverse("training-spot"), {"operator": restaurant.pk}).content.decode()
    assert html.count('data-testid="assign-waiting"') == 2 and 'data-testid="assign"' not in html
    response = client.post(reverse("training-spot-assign", args=[restaurant.pk]), {"staff": [people["worker"].pk]})
    assert response.status_code == 302 and Exam.objects.count() == 2  # not a choice: refused by the form


def test_the_regulators_page_filters_by_result_and_shows_the_people_flagged(
    bank, few_questions, restaurant, people, inspector, officer
):
    passed, failed = spot_test_assign(operator=restaurant, staff=[people["director"], people["officer"]], by=inspector)
    exam_submit(exam=passed, by=officer, answers=right_answers(passed))
    exam_submit(exam=failed, by=officer, answers={})
    client = client_for(inspector)

    def rows(result):
        html = client.get(reverse("training-spot"), {"result": result}).content.decode()
        return {pk for pk in (passed.pk, failed.pk) if f'data-testid="spot-row" data-exam="{pk}"' in html}

    assert rows("passed") == {passed.pk}
    assert rows("failed") == {failed.pk}
    assert rows("pending") == set() and rows("") == {passed.pk, failed.pk}
    html = client.get(reverse("training-spot")).content.decode()
    assert f'data-testid="flagged-person" data-staff="{people["officer"].pk}"' in html
    assert f'data-staff="{people["director"].pk}"' not in html


def test_a_missed_spot_test_is_flagged_on_the_regulators_page(bank, few_questions, restaurant, people, inspector):
    (exam,) = spot_test_assign(operator=restaurant, staff=[people["director"]], by=inspector)
    later = datetime.datetime(2026, 3, 6, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(later, tick=False):
        client = client_for(inspector)
        html = client.get(reverse("training-spot"), {"result": "missed"}).content.decode()
        assert f'data-testid="spot-row" data-exam="{exam.pk}"' in html
        assert f'data-testid="flagged-person" data-staff="{people["director"].pk}"' in html
        assert 'data-result="missed"' in html


def test_a_business_user_starts_a_spot_test_from_the_page_and_submits_it(
    bank, few_questions, restaurant, people, inspector, officer, director
):
    (exam,) = spot_test_assign(operator=restaurant, staff=[people["officer"]], by=inspector)
    client = client_for(officer)
    html = client.get(reverse("training-exam", args=[exam.pk])).content.decode()
    assert 'data-testid="start-spot"' in html and 'data-testid="question"' not in html
    client.post(reverse("training-spot-start", args=[exam.pk]))
    exam.refresh_from_db()
    assert exam.user == officer
    html = client.get(reverse("training-exam", args=[exam.pk])).content.decode()
    assert html.count('data-testid="question"') == 6
    colleague = client_for(director).get(reverse("training-exam", args=[exam.pk])).content.decode()
    assert 'data-testid="exam-waiting"' in colleague and 'data-testid="question"' not in colleague
    data = {f"q{pk}": [str(i) for i in chosen] for pk, chosen in right_answers(exam).items()}
    client.post(reverse("training-exam", args=[exam.pk]), data)
    exam.refresh_from_db()
    assert exam.passed and exam.published_at is not None


def test_the_home_card_shows_spot_tests_waiting(bank, restaurant, people, inspector, officer, stranger):
    client = client_for(officer)
    assert b'data-testid="home-spot-tests"' not in client.get(reverse("home")).content
    (exam,) = spot_test_assign(operator=restaurant, staff=[people["officer"]], by=inspector)
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="home-spot-tests"' in html and reverse("training-exam", args=[exam.pk]) in html
    assert b'data-testid="home-spot-tests"' not in client_for(stranger).get(reverse("home")).content


def test_pages_by_kind_of_user(bank, officer, inspector):
    assert client_for(officer).get(reverse("training-spot")).status_code == 403
    response = client_for(inspector).get(reverse("training-home"))
    assert response.status_code == 302 and response["Location"] == reverse("training-spot")
    nav = client_for(officer).get(reverse("training-home")).content.decode()
    assert reverse("training-home") in nav and reverse("training-spot") not in nav


def test_an_exam_submitted_with_nothing_chosen_scores_zero(bank, few_questions, restaurant, officer):
    exam = exam_start(operator=restaurant, user=officer, audience="officer", kind="practice")
    response = client_for(officer).post(reverse("training-exam", args=[exam.pk]), {})
    assert response.status_code == 302
    exam.refresh_from_db()
    assert (exam.score, exam.passed) == (0, False)
