"""Demo data of the training module: the shipped question bank; at the first 姑苏 business, the officer's passed
assessment on the appointed officer's file and a spot test of that officer assigned by the county's inspector."""

import tomllib

from shian.core.choices import Role
from shian.core.demo import DemoContext, demo_step
from shian.duty.choices import DutyRole
from shian.duty.models import Appointment
from shian.registry.models import Operator

from .choices import ExamKind
from .management.commands.training import SHIPPED
from .models import Exam, Question
from .services import exam_start, exam_submit, questions_load, spot_test_assign


@demo_step(order=65)
def training(context: DemoContext) -> None:
    questions_load(data=tomllib.loads(SHIPPED.read_text("utf-8")))
    first = Operator.objects.filter(region_id="320508").order_by("id").first()
    officer = (
        Appointment.objects.current().filter(operator=first, role=DutyRole.OFFICER).select_related("staff").first()
    )
    if first is None or officer is None or Exam.objects.filter(operator=first).exists():
        return
    user = context.users[Role.OFFICER]
    exam = exam_start(operator=first, user=user, audience="officer", kind=ExamKind.ASSESSMENT, staff=officer.staff)
    right = {str(q.pk): q.answer for q in Question.objects.filter(pk__in=exam.questions)}
    exam_submit(exam=exam, by=user, answers=right)
    spot_test_assign(operator=first, staff=[officer.staff], by=context.users[Role.INSPECTOR])
