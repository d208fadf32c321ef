"""Reminders of the bureau's spot tests (`shian tick`; idempotent): the business the day before a test is due, and
its main person in charge and director once a test was not taken by its due date (it counts as failed)."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shian.core.services.notifications import notify
from shian.core.services.recipients import managers_of, staff_of
from shian.core.ticks import tick_handler
from shian.registry.choices import MembershipRole

from .models import Exam

# A missed test is reported when tick runs within this many days after its due date (the message is sent once).
MISSED_WINDOW_DAYS = 7


@tick_handler("training.spot_due")
def remind_spot_test_due() -> int:
    """Remind the business's users of a spot test due tomorrow and not yet submitted, once per test."""
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    sent = 0
    for exam in Exam.objects.spot().unsubmitted().filter(due_on=tomorrow).select_related("staff"):
        recipients = staff_of(exam.operator_id)
        if not recipients:
            continue
        notify(
            recipients=recipients,
            kind="training.spot.due",
            title=_("The spot test of %(name)s is due tomorrow (%(date)s)")
            % {"name": exam.staff.name, "date": tomorrow.isoformat()},
            link=reverse("training-exam", args=[exam.pk]),
            dedupe_key=f"training.spot.due:{exam.pk}",
            sms=True,
        )
        sent += 1
    return sent


@tick_handler("training.spot_missed")
def report_missed_spot_test() -> int:
    """Tell the business's main person in charge and director, once, of a spot test not taken by its due date."""
    today = timezone.localdate()
    recent = Exam.objects.missed(today).filter(due_on__gte=today - datetime.timedelta(days=MISSED_WINDOW_DAYS))
    sent = 0
    for exam in recent.select_related("staff"):
        recipients = managers_of(exam.operator_id, [MembershipRole.PRINCIPAL, MembershipRole.DIRECTOR])
        if not recipients:
            continue
        notify(
            recipients=recipients,
            kind="training.spot.missed",
            title=_("%(name)s did not take the bureau's spot test due on %(date)s")
            % {"name": exam.staff.name, "date": exam.due_on.isoformat()},
            body=_("A missed spot test counts as failed: the person may not be appointed until they pass one."),
            link=reverse("training-exam", args=[exam.pk]),
            dedupe_key=f"training.spot.missed:{exam.pk}",
        )
        sent += 1
    return sent
