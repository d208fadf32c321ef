"""Exams: a business user starts a practice run or the business's own assessment, answers and submits; the score
is fixed on submission, recorded on the staff file, and a spot test's result is published."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shian.core.services.audit import audit_record, snapshot
from shian.core.services.ledger import ledger_append
from shian.core.services.notifications import notify
from shian.core.services.recipients import managers_of
from shian.registry.choices import MembershipRole
from shian.registry.models import Operator, Staff, TrainingRecord

from ..choices import Audience, ExamKind
from ..models import Exam, Question
from ..rules import bad_indexes, is_correct, passes, score
from .common import config, draw_questions, require_member

# Which exams a business user may start for themselves, by their role at the business: directors and officers
# their own role's; the main person in charge either (they answer for both).
AUDIENCES = {
    MembershipRole.PRINCIPAL: [Audience.DIRECTOR, Audience.OFFICER],
    MembershipRole.DIRECTOR: [Audience.DIRECTOR],
    MembershipRole.OFFICER: [Audience.OFFICER],
}


def audiences_for(role: str | None) -> list[str]:
    return list(AUDIENCES.get(role, []))


@transaction.atomic
def exam_start(*, operator: Operator, user, audience: str, kind: str, staff: Staff | None = None) -> Exam:
    """A new practice exam or business assessment for a business user, its questions drawn for `audience`.
    `staff` (assessments only): the person on the staff list being assessed, whose file gets the result."""
    if kind not in (ExamKind.PRACTICE, ExamKind.ASSESSMENT):
        raise ValidationError({"kind": [_("Spot tests are assigned by the bureau.")]})
    role = require_member(user, operator)
    if audience not in audiences_for(role):
        raise ValidationError({"audience": [_("Your role at this business does not take this test.")]})
    if staff is not None:
        if kind != ExamKind.ASSESSMENT:
            raise ValidationError({"staff": [_("Only an assessment is recorded on a person's file.")]})
        if staff.operator_id != operator.pk or not staff.active:
            raise ValidationError({"staff": [_("The person is not on this business's staff.")]})
    seed, questions = draw_questions(audience)
    now = timezone.now()
    exam = Exam(
        operator=operator,
        user=user,
        staff=staff,
        audience=audience,
        kind=kind,
        questions=questions,
        seed=seed,
        pass_mark=config("PASS_MARK"),
        started_at=now,
    )
    exam.full_clean()
    exam.save()
    audit_record(actor=user, action="training.exam.start", obj=exam)
    return exam


def _clean_answers(exam: Exam, answers: dict, questions: dict[int, Question]) -> dict[str, list[int]]:
    """The answers as {question id (text): sorted option indexes}, one per question of the exam (unanswered:
    empty); anything that is not an answer to one of its questions is refused."""
    cleaned: dict[str, list[int]] = {str(pk): [] for pk in exam.questions}
    problems = []
    for key, chosen in answers.items():
        try:
            pk = int(key)
        except (TypeError, ValueError):
            pk = None
        if pk not in questions:
            problems.append(_("%(key)s is not a question of this exam.") % {"key": key})
            continue
        chosen = list(chosen) if isinstance(chosen, list | tuple | set) else [chosen]
        if bad_indexes(chosen, len(questions[pk].options)):
            problems.append(_("Question %(code)s has no such option.") % {"code": questions[pk].code})
            continue
        cleaned[str(pk)] = sorted(set(chosen))
    if problems:
        raise ValidationError({"answers": problems})
    return cleaned


@transaction.atomic
def exam_submit(*, exam: Exam, by, answers: dict) -> Exam:
    """Score an exam: `answers` maps each question id to the option indexes chosen (a question counts only when
    they are exactly the right ones). Passed against the exam's pass mark (SHIAN_TRAINING["PASS_MARK"] when it was
    drawn). Audited, appended to the ledger, recorded on the staff file when the exam is for a person; a spot test's
    result is published on the business's public page, and a failed one is reported to the business's main person
    in charge and director. A submitted exam never changes."""
    exam = Exam.objects.select_for_update().select_related("operator").get(pk=exam.pk)
    today = timezone.localdate()
    if exam.is_submitted:
        raise ValidationError(_("This exam has been submitted; its answers and score cannot change."))
    if exam.is_missed(today):
        raise ValidationError(
            _("This spot test was due on %(date)s and counts as missed.") % {"date": exam.due_on.isoformat()}
        )
    require_member(by, exam.operator)
    before = snapshot(exam)
    now = timezone.now()
    if exam.user_id is None:  # a spot test submitted by whoever opened it without starting it first
        exam.user, exam.started_at = by, exam.started_at or now
    elif exam.user_id != by.pk:
        raise ValidationError(_("Only the user who started this exam can submit it."))
    questions = Question.objects.in_bulk(exam.questions)
    exam.answers = _clean_answers(exam, answers, questions)
    correct = sum(1 for pk in exam.questions if is_correct(exam.answers[str(pk)], questions[pk].answer))
    exam.score = score(correct, len(exam.questions))
    exam.passed = passes(exam.score, exam.pass_mark)
    exam.submitted_at = now
    if exam.is_spot:
        exam.published_at = now  # spot-test results are published (Food Safety Law art. 44 [S])
    if exam.staff_id is not None:
        exam.record = _record(exam, by=by)
    exam.full_clean()
    exam.save()
    audit_record(actor=by, action="training.exam.submit", obj=exam, before=before)
    ledger_append(kind="training.exam.result", obj=exam, payload=_payload(exam, correct), actor=by)
    if exam.is_spot:
        _tell_result(exam)
    return exam


def _record(exam: Exam, *, by) -> TrainingRecord:
    """The result on the tested person's staff file (registry TrainingRecord, source "training")."""
    if exam.is_spot:
        agency = exam.assigned_by.agency if exam.assigned_by_id and exam.assigned_by.agency_id else None
        provider = agency.name if agency else ""
    else:
        provider = exam.operator.name
    record = TrainingRecord(
        staff_id=exam.staff_id,
        held_on=timezone.localdate(exam.submitted_at),
        topic=_("%(kind)s: %(role)s (score %(score)d)")
        % {"kind": exam.get_kind_display(), "role": exam.get_audience_display(), "score": exam.score},
        provider=provider[:128],
        passed=exam.passed,
        source="training",
    )
    record.full_clean()
    record.save()
    audit_record(actor=by, action="training.record.write", obj=record)
    return record


def _payload(exam: Exam, correct: int) -> dict:
    return {
        "operator": exam.operator_id,
        "kind": exam.kind,
        "audience": exam.audience,
        "staff": exam.staff_id,
        "user": exam.user_id,
        "seed": exam.seed,
        "questions": exam.questions,
        "answers": exam.answers,
        "correct": correct,
        "score": exam.score,
        "pass_mark": exam.pass_mark,
        "passed": exam.passed,
        "submitted_at": exam.submitted_at.isoformat(),
    }


def _tell_result(exam: Exam) -> None:
    """A failed spot test flags the person: the business's main person in charge and director are told; the
    regulator who assigned it hears the result either way (both after commit)."""
    link = reverse("training-exam", args=[exam.pk])
    values = {"name": exam.staff.name, "role": exam.get_audience_display(), "score": exam.score}
    if not exam.passed:
        notify(
            recipients=managers_of(exam.operator_id, [MembershipRole.PRINCIPAL, MembershipRole.DIRECTOR]),
            kind="training.spot.failed",
            title=_("%(name)s (%(role)s) failed the bureau's spot test with %(score)d") % values,
            body=_("A person who failed the latest spot test may not be appointed food-safety director or officer."),
            link=link,
            dedupe_key=f"training.spot.failed:{exam.pk}",
            sms=True,
        )
    if exam.assigned_by_id:
        notify(
            recipients=[exam.assigned_by],
            kind="training.spot.result",
            title=_("Spot test of %(name)s at %(operator)s: %(score)d, %(result)s")
            % {**values, "operator": exam.operator.name, "result": _("passed") if exam.passed else _("failed")},
            link=link,
            dedupe_key=f"training.spot.result:{exam.pk}",
        )
