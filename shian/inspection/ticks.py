"""Reminders and escalations of the rectification loop and of publication (`shian tick`; idempotent)."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shian.core.choices import Role
from shian.core.models import User
from shian.core.services.notifications import notify
from shian.core.ticks import tick_handler

from .choices import RectificationKind, RectificationStatus
from .models import Inspection, Rectification
from .services import verifiers_of


def _heads_of(agency_ids) -> list[User]:
    return list(User.objects.filter(agency_id__in=agency_ids, groups__name=Role.AGENCY_HEAD, is_active=True))


@tick_handler("inspection.rectification_due")
def remind_rectification_due() -> int:
    """Tell the business's users, once per order and deadline, that an order falls due within the configured
    number of days."""
    today = timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.SHIAN_INSPECTION["REMIND_DAYS_BEFORE_DEADLINE"])
    orders = Rectification.objects.filter(
        kind=RectificationKind.DEADLINE, deadline__gte=today, deadline__lte=horizon
    ).exclude(status__in=[RectificationStatus.CLOSED, RectificationStatus.SUBMITTED])
    sent = 0
    for order in orders.select_related("operator"):
        members = User.objects.filter(operator_memberships__operator=order.operator_id, is_active=True)
        notify(
            recipients=list(members),
            kind="rectification.due",
            title=_("Rectification due on %(date)s: %(operator)s")
            % {"date": order.deadline.isoformat(), "operator": order.operator},
            link=reverse("rectification-detail", args=[order.pk]),
            dedupe_key=f"rectification.due:{order.pk}:{order.deadline.isoformat()}",
            sms=True,
        )
        sent += 1
    return sent


@tick_handler("inspection.rectification_overdue")
def escalate_rectification_overdue() -> int:
    """Tell the inspector who issued an overdue order and the heads of their agency, once per order; for an order a
    business opened for its self-inspection, the business's user who opened it and the county's bureau."""
    today = timezone.localdate()
    sent = 0
    for order in Rectification.objects.overdue(today).select_related("operator", "issued_by"):
        notify(
            recipients=list({order.issued_by, *verifiers_of(order), *_heads_of([order.issued_by.agency_id])}),
            kind="rectification.overdue",
            title=_("Rectification overdue since %(date)s: %(operator)s")
            % {"date": order.deadline.isoformat(), "operator": order.operator},
            link=reverse("rectification-detail", args=[order.pk]),
            dedupe_key=f"rectification.overdue:{order.pk}:{order.deadline.isoformat()}",
        )
        sent += 1
    return sent


@tick_handler("inspection.publication_overdue")
def escalate_publication_overdue() -> int:
    """Tell the heads of the agency when a result is past its 20-working-day publication limit, once each."""
    today = timezone.localdate()
    sent = 0
    for inspection in Inspection.objects.unpublished().filter(publish_by__lt=today).select_related("operator"):
        notify(
            recipients=_heads_of([inspection.agency_id]),
            kind="inspection.publication_overdue",
            title=_("Inspection result not published in time: %(operator)s") % {"operator": inspection.operator},
            link=reverse("inspection-detail", args=[inspection.pk]),
            dedupe_key=f"inspection.publication_overdue:{inspection.pk}",
        )
        sent += 1
    return sent
