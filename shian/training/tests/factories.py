import datetime

from django.utils import timezone

from shian.training.models import Exam


def taken_exam(*, staff, user, kind: str, score: int, audience: str = "officer", due_on: datetime.date | None = None):
    """An exam of `staff` already submitted with `score` (pass mark 80), as another module's tests need one."""
    now = timezone.now()
    return Exam.objects.create(
        operator=staff.operator,
        user=user,
        staff=staff,
        audience=audience,
        kind=kind,
        due_on=due_on if due_on is not None or kind != "spot" else timezone.localdate(),
        questions=[],
        seed=1,
        answers={},
        pass_mark=80,
        started_at=now,
        submitted_at=now,
        score=score,
        passed=score >= 80,
    )
