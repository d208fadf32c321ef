"""Reminders and escalations of the control clock (`shian tick`; each message once per order and holder)."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shian.core.services.notifications import notify
from shian.core.services.recipients import staff_of
from shian.core.ticks import tick_handler

from .choices import ControlStatus, HolderStatus
from .models import ControlOrder, EventItem, Lot
from .selectors.stock import stock_rows
from .services.control import bureau_users


@tick_handler("trace.control_reminder")
def remind_holders() -> int:
    """Halfway through the clock, each holder that has not acknowledged is reminded (by SMS too)."""
    now, sent = timezone.now(), 0
    for order in ControlOrder.objects.filter(status=ControlStatus.OPEN, due_at__gt=now).prefetch_related("holders"):
        if now < order.opened_at + (order.due_at - order.opened_at) / 2:
            continue
        for holder in order.holders.all():
            if holder.status != HolderStatus.NOTIFIED or not holder.operator_id:
                continue
            notify(
                recipients=staff_of(holder.operator_id),
                kind="trace.control_reminder",
                title=_("%(number)s: acknowledge the control order (due %(due)s)")
                % {"number": order.number, "due": timezone.localtime(order.due_at).strftime("%m-%d %H:%M")},
                link=reverse("control-detail", args=[order.pk]),
                dedupe_key=f"trace.control_reminder:{holder.pk}",
                sms=True,
            )
            sent += 1
    return sent


@tick_handler("trace.control_overdue")
def escalate_overdue() -> int:
    """Past the clock with holders not accounted for: the bureau is told who is missing."""
    now, sent = timezone.now(), 0
    for order in ControlOrder.objects.filter(status=ControlStatus.OPEN, due_at__lte=now):
        waiting = order.holders.filter(status=HolderStatus.NOTIFIED).select_related("location")
        if not waiting:
            continue
        notify(
            recipients=bureau_users(order),
            kind="trace.control_overdue",
            title=_("%(number)s is overdue: %(count)d holders have not acknowledged")
            % {"number": order.number, "count": len(waiting)},
            body="、".join(holder.location.name for holder in waiting),
            link=reverse("control-detail", args=[order.pk]),
            dedupe_key=f"trace.control_overdue:{order.pk}",
            sms=True,
        )
        sent += 1
    return sent


@tick_handler("trace.expiry")
def warn_expiring_stock() -> int:
    """A lot on hand that expires within SHIAN_TRACE EXPIRY_WARNING_DAYS, or has expired: its holder is told
    (once per lot and state)."""
    today = timezone.localdate()
    soon = today + datetime.timedelta(days=settings.SHIAN_TRACE["EXPIRY_WARNING_DAYS"])
    lots = Lot.objects.filter(expiry_date__lte=soon, expiry_date__gte=today - datetime.timedelta(days=30))
    rows = stock_rows(EventItem.objects.filter(lot__in=lots))
    names = {lot.pk: lot for lot in lots.select_related("product")}
    sent = 0
    for row in rows:
        lot = names[row["lot"]]
        expired = lot.expiry_date < today
        title = _("%(lot)s expired on %(day)s: take it off sale") if expired else _("%(lot)s expires on %(day)s")
        holder = row["event__biz_location__operator"]
        notify(
            recipients=staff_of(holder),
            kind="trace.expiry",
            title=title % {"lot": lot, "day": lot.expiry_date.isoformat()},
            link=reverse("stock"),
            dedupe_key=f"trace.expiry:{holder}:{lot.pk}:{'expired' if expired else 'soon'}",
        )
        sent += 1
    return sent
