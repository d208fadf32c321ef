"""Reminders and escalations of the sampling clocks (`shian tick`; idempotent: each message once per sample and
deadline). Overdue states themselves are derived from the deadlines in queries, never stored."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shian.core.choices import Role, UserKind
from shian.core.models import User
from shian.core.services.notifications import notify
from shian.core.ticks import tick_handler

from .choices import DisposalStatus, SampleStatus
from .models import Disposal, Sample


def _bureau(agency_id) -> list[User]:
    return list(
        User.objects.filter(
            kind=UserKind.REGULATOR,
            agency_id=agency_id,
            groups__name__in=[Role.SAMPLING_OFFICER, Role.AGENCY_HEAD],
            is_active=True,
        ).distinct()
    )


def _lab(lab_id) -> list[User]:
    return list(User.objects.filter(lab_memberships__lab=lab_id, is_active=True))


def _business(operator_id) -> list[User]:
    return list(User.objects.filter(operator_memberships__operator=operator_id, is_active=True))


@tick_handler("sampling.lab_overdue")
def escalate_late_to_lab() -> int:
    """A sample not received by its lab within the to-lab limit: tell the sampling bureau and the lab."""
    sent = 0
    for sample in Sample.objects.late_to_lab(timezone.localdate()):
        notify(
            recipients=[*_bureau(sample.agency_id), *_lab(sample.lab_id)],
            kind="sampling.lab_overdue",
            title=_("Sample %(code)s has not reached the lab (due %(date)s)")
            % {"code": sample.code, "date": sample.lab_due.isoformat()},
            link=reverse("sample-detail", args=[sample.pk]),
            dedupe_key=f"sampling.lab_overdue:{sample.pk}:{sample.lab_due.isoformat()}",
        )
        sent += 1
    return sent


@tick_handler("sampling.report_overdue")
def escalate_report_overdue() -> int:
    """A sample at the lab past its reporting limit: tell the lab and the sampling bureau."""
    sent = 0
    for sample in Sample.objects.late_report(timezone.localdate()):
        notify(
            recipients=[*_lab(sample.lab_id), *_bureau(sample.agency_id)],
            kind="sampling.report_overdue",
            title=_("Test report of sample %(code)s overdue since %(date)s")
            % {"code": sample.code, "date": sample.report_due.isoformat()},
            link=reverse("sample-detail", args=[sample.pk]),
            dedupe_key=f"sampling.report_overdue:{sample.pk}:{sample.report_due.isoformat()}",
        )
        sent += 1
    return sent


@tick_handler("sampling.retest_window")
def remind_retest_window() -> int:
    """Tell a business served a failing result, once, that its time to apply for a re-test is running out."""
    today = timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.SHIAN_INSPECTION["REMIND_DAYS_BEFORE_DEADLINE"])
    closing = Sample.objects.filter(
        status=SampleStatus.FAILED, retest_due__gte=today, retest_due__lte=horizon, retest__isnull=True
    )
    sent = 0
    for sample in closing:
        notify(
            recipients=_business(sample.operator_id),
            kind="sampling.retest_window",
            title=_("A re-test of %(product)s may be applied for until %(date)s")
            % {"product": sample.product_name, "date": sample.retest_due.isoformat()},
            link=reverse("sample-detail", args=[sample.pk]),
            dedupe_key=f"sampling.retest_window:{sample.pk}",
        )
        sent += 1
    return sent


@tick_handler("sampling.disposal_overdue")
def escalate_disposal_overdue() -> int:
    """Follow-up handling not closed by its deadline: tell the business and the sampling bureau, once."""
    open_states = [DisposalStatus.ORDERED, DisposalStatus.RETURNED, DisposalStatus.REPORTED]
    late = Disposal.objects.filter(status__in=open_states, due__lt=timezone.localdate()).select_related("sample")
    sent = 0
    for disposal in late:
        sample = disposal.sample
        notify(
            recipients=[*_business(sample.operator_id), *_bureau(sample.agency_id)],
            kind="sampling.disposal_overdue",
            title=_("Follow-up handling of %(product)s overdue since %(date)s")
            % {"product": sample.product_name, "date": disposal.due.isoformat()},
            link=reverse("sample-detail", args=[sample.pk]),
            dedupe_key=f"sampling.disposal_overdue:{disposal.pk}:{disposal.due.isoformat()}",
        )
        sent += 1
    return sent
