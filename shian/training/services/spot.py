"""Bureau spot tests (监督抽查考核): a regulator picks appointed directors and officers of a business in their region;
each gets a test drawn for their role, due within SHIAN_TRAINING["SPOT_TEST_DAYS"] calendar days, taken by a
business user of that business."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shian.core.choices import UserKind
from shian.core.services.audit import audit_record, snapshot
from shian.core.services.notifications import notify
from shian.core.services.recipients import staff_of
from shian.duty.choices import DutyRole
from shian.duty.models import Appointment
from shian.registry.models import Operator, Staff

from ..choices import ExamKind
from ..models import Exam
from .common import config, draw_questions, require_member


def tested_roles(operator: Operator, staff_ids) -> dict[int, str]:
    """The role each person is tested for: their current appointment at the business as director, else officer."""
    roles: dict[int, str] = {}
    appointments = Appointment.objects.current().filter(
        operator=operator, staff_id__in=list(staff_ids), role__in=[DutyRole.DIRECTOR, DutyRole.OFFICER]
    )
    for staff_id, role in appointments.values_list("staff_id", "role"):
        if roles.get(staff_id) != DutyRole.DIRECTOR:
            roles[staff_id] = role
    return roles


@transaction.atomic
def spot_test_assign(*, operator: Operator, staff: list[Staff], by) -> list[Exam]:
    """One spot test for each person, drawn for the role they are appointed to. People who are not appointed
    director or officer of the business, or who already have a test waiting, are refused (all named, and no test
    is assigned). The business's users are told (after commit)."""
    if getattr(by, "kind", None) != UserKind.REGULATOR and not getattr(by, "is_superuser", False):
        raise ValidationError(_("Only a regulator assigns spot tests."))
    if not Operator.objects.visible_to(by).filter(pk=operator.pk).exists():
        raise ValidationError(_("The business is outside your jurisdiction."))
    people = list({person.pk: person for person in staff}.values())
    if not people:
        raise ValidationError({"staff": [_("Choose at least one person to test.")]})
    today = timezone.localdate()
    roles = tested_roles(operator, [person.pk for person in people])
    waiting = set(Exam.objects.spot().pending(today).filter(staff__in=people).values_list("staff_id", flat=True))
    problems = []
    for person in people:
        if person.operator_id != operator.pk:
            problems.append(_("%(name)s is not on this business's staff.") % {"name": person.name})
        elif person.pk not in roles:
            problems.append(
                _("%(name)s is not appointed food-safety director or officer of this business.") % {"name": person.name}
            )
        elif person.pk in waiting:
            problems.append(_("%(name)s already has a spot test waiting.") % {"name": person.name})
    if problems:
        raise ValidationError({"staff": problems})
    now = timezone.now()
    due_on = today + datetime.timedelta(days=config("SPOT_TEST_DAYS"))
    exams = []
    for person in people:
        seed, questions = draw_questions(roles[person.pk])
        exam = Exam(
            operator=operator,
            staff=person,
            audience=roles[person.pk],
            kind=ExamKind.SPOT,
            questions=questions,
            seed=seed,
            pass_mark=config("PASS_MARK"),
            assigned_by=by,
            assigned_at=now,
            due_on=due_on,
        )
        exam.full_clean()
        exam.save()
        audit_record(actor=by, action="training.spot.assign", obj=exam)
        exams.append(exam)
    names = "、".join(person.name for person in people)
    notify(
        recipients=staff_of(operator.pk),
        kind="training.spot.assigned",
        title=_("The bureau has set a food-safety spot test for %(names)s, due on %(date)s")
        % {"names": names, "date": due_on.isoformat()},
        body=_("A user of the business starts the test on the training page, with the person tested answering."),
        link=reverse("training-home"),
        sms=True,
    )
    return exams


@transaction.atomic
def spot_test_start(*, exam: Exam, by) -> Exam:
    """A business user of the business opens a spot test to take it: they are recorded as its taker."""
    exam = Exam.objects.select_for_update().select_related("operator").get(pk=exam.pk)
    if not exam.is_spot:
        raise ValidationError(_("This is not a spot test."))
    if exam.is_submitted:
        raise ValidationError(_("This exam has been submitted; its answers and score cannot change."))
    if exam.is_missed(timezone.localdate()):
        raise ValidationError(
            _("This spot test was due on %(date)s and counts as missed.") % {"date": exam.due_on.isoformat()}
        )
    require_member(by, exam.operator)
    if exam.user_id is not None:
        if exam.user_id != by.pk:
            raise ValidationError(_("Another user has already started this spot test."))
        return exam
    before = snapshot(exam)
    exam.user, exam.started_at = by, timezone.now()
    exam.save(update_fields=["user", "started_at"])
    audit_record(actor=by, action="training.spot.start", obj=exam, before=before)
    return exam
