"""Reads of the training app: whether a person failed their latest spot test, the people a bureau's spot tests
flagged, the spot tests waiting at a business, an exam's questions with the answers given."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone

from shian.duty.choices import DutyRole
from shian.duty.models import Appointment
from shian.registry.models import Operator, Staff

from .choices import SpotResult
from .models import Exam, Question
from .rules import is_correct


def _latest_decided(exams: Iterable[Exam], today: datetime.date) -> dict[int, Exam]:
    """Each person's latest decided spot test (submitted, or missed), by the day it was decided."""
    latest: dict[int, Exam] = {}
    for exam in exams:
        if not exam.is_submitted and not exam.is_missed(today):
            continue  # still waiting: it decides nothing yet
        held = latest.get(exam.staff_id)
        if held is None or (exam.decided_on(), exam.pk) > (held.decided_on(), held.pk):
            latest[exam.staff_id] = exam
    return latest


def failed_spot_test(staff: Staff) -> bool:
    """True when the person's latest spot test (by submitted or due date) was failed, or missed (not taken by its
    due date). A test still waiting decides nothing: the one before it stands until it is taken. Managers who fail
    may not be appointed (regulations.md §3, Tianshui notice [S])."""
    today = timezone.localdate()
    exams = Exam.objects.spot().filter(staff=staff).only("pk", "kind", "staff_id", "submitted_at", "passed", "due_on")
    latest = _latest_decided(exams, today).get(staff.pk)
    return latest is not None and latest.result(today) in (SpotResult.FAILED, SpotResult.MISSED)


def flagged(exams, *, today: datetime.date) -> list[Exam]:
    """Of the spot tests `exams` (already scoped to the viewer), each person's latest decided one where it was
    failed or missed: the people who may not be appointed. Newest first."""
    spot = exams.spot().filter(staff__isnull=False).select_related("operator", "staff")
    latest = _latest_decided(spot, today)
    rows = [exam for exam in latest.values() if exam.result(today) in (SpotResult.FAILED, SpotResult.MISSED)]
    return sorted(rows, key=lambda exam: (exam.decided_on(), exam.pk), reverse=True)


def waiting_spot_tests(user, *, today: datetime.date):
    """The spot tests waiting to be taken at the user's businesses, the soonest due first."""
    return (
        Exam.objects.visible_to(user)
        .spot()
        .pending(today)
        .select_related("operator", "staff", "user")
        .order_by("due_on", "pk")
    )


@dataclass
class ReviewLine:
    number: int
    question: Question
    chosen: list[int]
    right: bool | None  # None: not submitted yet

    @property
    def options(self) -> list[dict]:
        return [
            {
                "index": i,
                "text": text,
                "chosen": i in self.chosen,
                "answer": i in self.question.answer,
            }
            for i, text in enumerate(self.question.options)
        ]

    @property
    def answer_texts(self) -> list[str]:
        return [self.question.options[i] for i in self.question.answer]


def exam_lines(exam: Exam) -> list[ReviewLine]:
    """The exam's questions in order, with what was chosen and (once submitted) whether it was right."""
    questions = Question.objects.in_bulk(exam.questions)
    lines = []
    for number, pk in enumerate(exam.questions, start=1):
        question = questions[pk]
        chosen = list(exam.answers.get(str(pk), []))
        right = is_correct(chosen, question.answer) if exam.is_submitted else None
        lines.append(ReviewLine(number, question, chosen, right))
    return lines


def appointees(operator: Operator, *, today: datetime.date | None = None) -> list[tuple[Staff, str]]:
    """The business's people who can be spot-tested: its current director and officers, with their role (with
    `today`: only those without a spot test waiting)."""
    appointments = (
        Appointment.objects.current()
        .filter(operator=operator, role__in=[DutyRole.DIRECTOR, DutyRole.OFFICER])
        .select_related("staff")
        .order_by("role", "staff__name")
    )
    if today is not None:
        appointments = appointments.exclude(staff__in=Exam.objects.spot().pending(today).values("staff_id"))
    seen: dict[int, tuple[Staff, str]] = {}
    for appointment in appointments:
        seen.setdefault(appointment.staff_id, (appointment.staff, appointment.role))
    return list(seen.values())


def published_spot_tests(operator: Operator, *, limit: int = 10) -> list[Exam]:
    """The business's published spot-test results, newest first (for its public page)."""
    return list(
        Exam.objects.spot()
        .filter(operator=operator, published_at__isnull=False)
        .select_related("staff")
        .order_by("-submitted_at", "-pk")[:limit]
    )
