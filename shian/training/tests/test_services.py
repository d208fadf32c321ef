"""Exams and spot tests: drawing for the role, scoring all-or-nothing against the pass mark from settings, a submitted
exam fixed, the staff file, the ledger and the audit; spot tests for appointed people only, published, and failed
or missed ones flagging the person."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from shian.core.models import AuditEntry, LedgerEntry, Notification
from shian.core.tests.factories import AgencyFactory, BusinessUserFactory, RegulatorFactory, region
from shian.registry.models import Staff, TrainingRecord
from shian.registry.tests.factories import MembershipFactory, OperatorFactory
from shian.training.models import Exam, Question
from shian.training.rules import draw
from shian.training.selectors import failed_spot_test
from shian.training.services import exam_start, exam_submit, questions_load, spot_test_assign, spot_test_start

from .conftest import big_bank, right_answers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]  # the tests read the messages

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def pool_for(audience: str) -> list[tuple[int, str]]:
    return [(q.pk, q.topic) for q in Question.objects.active() if audience in q.audience]


# Drawing ----------------------------------------------------------------------------------------------------------


def test_an_exam_draws_the_configured_number_for_the_role_mixing_topics_reproducibly(restaurant, officer, director):
    questions_load(data=big_bank())
    exam = exam_start(operator=restaurant, user=officer, audience="officer", kind="practice")
    assert len(exam.questions) == 20 and len(set(exam.questions)) == 20
    drawn = Question.objects.filter(pk__in=exam.questions)
    assert all("officer" in q.audience for q in drawn)  # no director-only question
    assert set(drawn.values_list("topic", flat=True)) == {"law", "order60", "hygiene"}
    assert draw(pool_for("officer"), 20, exam.seed) == exam.questions  # the stored seed reproduces the draw
    other = exam_start(operator=restaurant, user=officer, audience="officer", kind="practice")
    assert other.seed != exam.seed and other.questions != exam.questions
    director_exam = exam_start(operator=restaurant, user=director, audience="director", kind="assessment")
    assert draw(pool_for("director"), 20, director_exam.seed) == director_exam.questions
    assert len(pool_for("director")) == 36 and len(pool_for("officer")) == 24


def test_the_number_of_questions_comes_from_settings(settings, restaurant, officer):
    questions_load(data=big_bank())
    settings.SHIAN_TRAINING = {**settings.SHIAN_TRAINING, "QUESTIONS": 7}
    exam = exam_start(operator=restaurant, user=officer, audience="officer", kind="practice")
    assert len(exam.questions) == 7


def test_who_may_start_which_exam(bank, restaurant, officer, principal):
    with pytest.raises(ValidationError, match="role"):
        exam_start(operator=restaurant, user=officer, audience="director", kind="practice")
    with pytest.raises(ValidationError, match="assigned by the bureau"):
        exam_start(operator=restaurant, user=officer, audience="officer", kind="spot")
    stranger = BusinessUserFactory(username="stranger")
    MembershipFactory(operator=OperatorFactory(name="别家店"), user=stranger)
    with pytest.raises(ValidationError, match="Only a user of this business"):
        exam_start(operator=restaurant, user=stranger, audience="officer", kind="practice")
    for audience in ("director", "officer"):  # the main person in charge answers for both
        assert exam_start(operator=restaurant, user=principal, audience=audience, kind="practice").pk


def test_no_bank_no_exam(restaurant, officer):
    with pytest.raises(ValidationError, match="load it first"):
        exam_start(operator=restaurant, user=officer, audience="officer", kind="practice")


# Scoring ----------------------------------------------------------------------------------------------------------


def test_all_right_scores_100_and_passes_with_a_ledger_entry_and_an_audit(
    bank, few_questions, restaurant, officer, django_capture_on_commit_callbacks
):
    exam = exam_start(operator=restaurant, user=officer, audience="officer", kind="practice")
    with django_capture_on_commit_callbacks(execute=True):
        exam = exam_submit(exam=exam, by=officer, answers=right_answers(exam))
    assert (exam.score, exam.passed, exam.pass_mark) == (100, True, 80)
    assert exam.submitted_at is not None and exam.published_at is None  # only spot results are published
    entry = LedgerEntry.objects.get(kind="training.exam.result", object_id=str(exam.pk))
    assert entry.payload["score"] == 100 and entry.payload["passed"] is True
    assert AuditEntry.objects.filter(action="training.exam.start", object_id=str(exam.pk)).exists()
    submitted = AuditEntry.objects.get(action="training.exam.submit", object_id=str(exam.pk))
    assert submitted.before["score"] is None and submitted.after["score"] == 100
    assert not TrainingRecord.objects.exists()  # a practice exam is for nobody's file


def test_a_multiple_choice_question_counts_only_when_all_its_right_options_are_chosen(
    bank, restaurant, director, settings
):
    settings.SHIAN_TRAINING = {**settings.SHIAN_TRAINING, "QUESTIONS": 9}
    exam = exam_start(operator=restaurant, user=director, audience="director", kind="practice")
    assert len(exam.questions) == 9
    answers = right_answers(exam)
    law3 = bank["LAW-3"].pk  # right: [0, 1, 3]
    answers[law3] = [0, 1]  # one right option missing
    answers[bank["O60-3"].pk] = [0, 1, 2]  # one wrong option added
    exam = exam_submit(exam=exam, by=director, answers=answers)
    assert exam.score == 7 * 100 // 9 == 77 and exam.passed is False
    assert exam.answers[str(law3)] == [0, 1]


def test_the_pass_mark_comes_from_settings_when_the_exam_is_drawn(bank, few_questions, restaurant, officer, settings):
    settings.SHIAN_TRAINING = {**settings.SHIAN_TRAINING, "PASS_MARK": 50}
    exam = exam_start(operator=restaurant, user=officer, audience="officer", kind="practice")
    answers = right_answers(exam)
    for pk in exam.questions[:3]:
        answers.pop(pk)  # half unanswered
    settings.SHIAN_TRAINING = {**settings.SHIAN_TRAINING, "PASS_MARK": 90}  # later changes do not apply
    exam = exam_submit(exam=exam, by=officer, answers=answers)
    assert (exam.score, exam.pass_mark, exam.passed) == (50, 50, True)
    assert exam.answers[str(exam.questions[0])] == []


def test_the_default_pass_mark_is_80(bank, few_questions, restaurant, officer):
    exam = exam_start(operator=restaurant, user=officer, audience="officer", kind="practice")
    answers = right_answers(exam)
    answers.pop(exam.questions[0])
    exam = exam_submit(exam=exam, by=officer, answers=answers)
    assert (exam.score, exam.passed) == (83, True)
    second = exam_start(operator=restaurant, user=officer, audience="officer", kind="practice")
    answers = right_answers(second)
    for pk in second.questions[:2]:
        answers.pop(pk)
    assert exam_submit(exam=second, by=officer, answers=answers).passed is False  # 66


def test_a_submitted_exam_cannot_change(bank, few_questions, restaurant, officer):
    exam = exam_start(operator=restaurant, user=officer, audience="officer", kind="practice")
    exam_submit(exam=exam, by=officer, answers={})
    with pytest.raises(ValidationError, match="cannot change"):
        exam_submit(exam=exam, by=officer, answers=right_answers(exam))
    exam.refresh_from_db()
    assert exam.score == 0 and exam.passed is False
    assert LedgerEntry.objects.filter(kind="training.exam.result").count() == 1


def test_only_the_taker_submits_and_only_answers_to_its_questions(bank, few_questions, restaurant, officer, principal):
    exam = exam_start(operator=restaurant, user=officer, audience="officer", kind="practice")
    with pytest.raises(ValidationError, match="Only the user who started"):
        exam_submit(exam=exam, by=principal, answers={})
    outside = next(q.pk for q in bank.values() if q.pk not in exam.questions)
    with pytest.raises(ValidationError, match="not a question of this exam"):
        exam_submit(exam=exam, by=officer, answers={outside: [0]})
    with pytest.raises(ValidationError, match="no such option"):
        exam_submit(exam=exam, by=officer, answers={exam.questions[0]: [9]})
    exam.refresh_from_db()
    assert exam.submitted_at is None


def test_an_assessment_of_a_person_goes_on_their_staff_file(bank, few_questions, restaurant, officer, people):
    li = people["officer"]
    exam = exam_start(operator=restaurant, user=officer, audience="officer", kind="assessment", staff=li)
    exam = exam_submit(exam=exam, by=officer, answers=right_answers(exam))
    record = TrainingRecord.objects.get(staff=li)
    assert (record.source, record.passed, record.held_on) == ("training", True, timezone.localdate())
    assert exam.record == record
    assert AuditEntry.objects.filter(action="training.record.write", object_id=str(record.pk)).exists()
    with pytest.raises(ValidationError, match="Only an assessment"):
        exam_start(operator=restaurant, user=officer, audience="officer", kind="practice", staff=li)


# Spot tests -------------------------------------------------------------------------------------------------------


def test_a_spot_test_is_drawn_for_each_persons_role_due_in_three_days_and_the_business_is_told(
    bank, few_questions, restaurant, officer, director, people, inspector, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        exams = spot_test_assign(operator=restaurant, staff=[people["director"], people["officer"]], by=inspector)
    director_exam, officer_exam = exams
    assert (director_exam.kind, director_exam.audience, director_exam.staff) == ("spot", "director", people["director"])
    assert officer_exam.audience == "officer"
    assert all("officer" in q.audience for q in Question.objects.filter(pk__in=officer_exam.questions))
    assert director_exam.due_on == timezone.localdate() + datetime.timedelta(days=3)
    assert director_exam.user is None and director_exam.assigned_by == inspector
    told = Notification.objects.filter(kind="training.spot.assigned")
    assert set(told.values_list("recipient__username", flat=True)) == {
        "mian-officer",
        "mian-director",
        "mian-principal",
    }
    assert "王总监" in told.first().title
    assert AuditEntry.objects.filter(action="training.spot.assign").count() == 2


def test_people_without_an_appointment_are_refused_by_name_and_nothing_is_assigned(bank, restaurant, people, inspector):
    with pytest.raises(ValidationError) as caught:
        spot_test_assign(operator=restaurant, staff=[people["director"], people["worker"]], by=inspector)
    assert "张工 is not appointed food-safety director or officer" in " ".join(caught.value.messages)
    assert not Exam.objects.exists()
    elsewhere = Staff.objects.create(operator=OperatorFactory(name="别家店"), name="赵某")
    with pytest.raises(ValidationError, match="not on this business's staff"):
        spot_test_assign(operator=restaurant, staff=[elsewhere], by=inspector)
    with pytest.raises(ValidationError, match="at least one"):
        spot_test_assign(operator=restaurant, staff=[], by=inspector)


def test_only_a_regulator_of_the_businesss_region_assigns_and_one_test_waits_at_a_time(
    bank, restaurant, people, officer, inspector, other_county_inspector
):
    with pytest.raises(ValidationError, match="outside your jurisdiction"):
        spot_test_assign(operator=restaurant, staff=[people["officer"]], by=other_county_inspector)
    with pytest.raises(ValidationError, match="Only a regulator"):
        spot_test_assign(operator=restaurant, staff=[people["officer"]], by=officer)
    city = RegulatorFactory(agency=AgencyFactory(name="苏州市市场监督管理局", region=region("320500")))
    spot_test_assign(operator=restaurant, staff=[people["officer"]], by=city)  # the city sees its counties
    with pytest.raises(ValidationError, match="already has a spot test waiting"):
        spot_test_assign(operator=restaurant, staff=[people["officer"]], by=inspector)


def test_a_business_user_starts_the_spot_test_and_becomes_its_taker(
    bank, few_questions, restaurant, people, officer, director, inspector
):
    (exam,) = spot_test_assign(operator=restaurant, staff=[people["officer"]], by=inspector)
    exam = spot_test_start(exam=exam, by=officer)
    assert exam.user == officer and exam.started_at is not None
    assert AuditEntry.objects.filter(action="training.spot.start", object_id=str(exam.pk)).exists()
    with pytest.raises(ValidationError, match="Another user"):
        spot_test_start(exam=exam, by=director)
    with pytest.raises(ValidationError, match="Only the user who started"):
        exam_submit(exam=exam, by=director, answers={})
    with pytest.raises(ValidationError, match="Only a user of this business"):
        spot_test_start(exam=exam, by=inspector)


def test_a_passed_spot_test_is_published_and_recorded_and_does_not_flag(
    bank, few_questions, restaurant, people, officer, inspector, django_capture_on_commit_callbacks
):
    (exam,) = spot_test_assign(operator=restaurant, staff=[people["officer"]], by=inspector)
    spot_test_start(exam=exam, by=officer)
    with django_capture_on_commit_callbacks(execute=True):
        exam = exam_submit(exam=exam, by=officer, answers=right_answers(exam))
    assert exam.passed and exam.published_at is not None
    record = TrainingRecord.objects.get(staff=people["officer"])
    assert record.source == "training" and record.passed is True and record.provider == inspector.agency.name
    assert not failed_spot_test(people["officer"])
    assert not Notification.objects.filter(kind="training.spot.failed").exists()
    assert Notification.objects.filter(kind="training.spot.result", recipient=inspector).exists()


def test_a_failed_spot_test_flags_the_person_and_tells_the_principal_and_director(
    bank, few_questions, restaurant, people, officer, director, principal, inspector, django_capture_on_commit_callbacks
):
    (exam,) = spot_test_assign(operator=restaurant, staff=[people["officer"]], by=inspector)
    assert not failed_spot_test(people["officer"])  # waiting decides nothing
    with django_capture_on_commit_callbacks(execute=True):
        exam = exam_submit(exam=exam, by=officer, answers={})  # submitted without starting: the submitter takes it
    assert exam.user == officer and exam.passed is False and exam.published_at is not None
    assert failed_spot_test(people["officer"])
    assert not failed_spot_test(people["director"])
    told = Notification.objects.filter(kind="training.spot.failed")
    assert set(told.values_list("recipient__username", flat=True)) == {"mian-director", "mian-principal"}
    assert "李安全" in told.first().title
    assert TrainingRecord.objects.get(staff=people["officer"]).passed is False


def test_a_missed_spot_test_flags_the_person_and_cannot_be_taken_late(
    bank, few_questions, restaurant, people, officer, inspector
):
    (exam,) = spot_test_assign(operator=restaurant, staff=[people["director"]], by=inspector)
    with time_machine.travel(datetime.datetime(2026, 3, 5, 20, 0, tzinfo=SHANGHAI)):
        assert not failed_spot_test(people["director"])  # due today: still open
    with time_machine.travel(datetime.datetime(2026, 3, 6, 9, 0, tzinfo=SHANGHAI)):
        assert Exam.objects.missed(timezone.localdate()).get() == exam
        assert failed_spot_test(people["director"])
        with pytest.raises(ValidationError, match="counts as missed"):
            spot_test_start(exam=exam, by=officer)
        with pytest.raises(ValidationError, match="counts as missed"):
            exam_submit(exam=exam, by=officer, answers=right_answers(exam))
    exam.refresh_from_db()
    assert exam.submitted_at is None and exam.published_at is None


def test_the_latest_decided_spot_test_counts(bank, few_questions, restaurant, people, officer, inspector):
    person = people["officer"]
    (first,) = spot_test_assign(operator=restaurant, staff=[person], by=inspector)
    exam_submit(exam=first, by=officer, answers={})
    assert failed_spot_test(person)
    (retest,) = spot_test_assign(operator=restaurant, staff=[person], by=inspector)
    assert failed_spot_test(person)  # the retest is still waiting: the failure stands
    exam_submit(exam=retest, by=officer, answers=right_answers(retest))
    assert not failed_spot_test(person)
