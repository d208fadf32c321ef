"""Control orders and recalls: suspect lots found at every holder by their forward trace, each holder told to
acknowledge and to report what it sealed, returned or destroyed, on a clock of 24 hours counted round the clock
(SHIAN_TRACE CONTROL_HOURS [S: Hengshui's practice]); closed only when every holder is accounted for."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shian.core.choices import UserKind
from shian.core.models import Region, User
from shian.core.services.audit import audit_record, snapshot
from shian.core.services.ledger import ledger_append
from shian.core.services.notifications import notify
from shian.core.services.recipients import bureau_of, staff_of
from shian.registry.models import Operator

from ..choices import ControlKind, ControlSource, ControlStatus, HolderStatus
from ..models import ControlHolder, ControlOrder, Location, Lot
from ..rules import may_answer
from ..selectors.trace import FORWARD, trace_of


def bureau_users(order: ControlOrder) -> list[User]:
    """Who follows the order at the bureau: the inspectors and heads of its region."""
    return bureau_of(order.region_id)


def _number(kind: str, region: Region, year: int) -> str:
    """GK-320508-2026-0001 for a control order, ZH-… for a recall: per region and year, in order."""
    prefix = f"{'ZH' if kind == ControlKind.RECALL else 'GK'}-{region.code}-{year}-"
    last = ControlOrder.objects.filter(number__startswith=prefix).aggregate(last=Max("number"))["last"]
    return f"{prefix}{int(last.rsplit('-', 1)[1]) + 1 if last else 1:04d}"


@transaction.atomic
def control_order_open(
    *, by: User, lots: list[Lot], source: str, reason: str, sample=None, producer: Operator | None = None
) -> ControlOrder:
    """Open a control order (a regulator) or a recall (`producer`: the business recalling its own lots): every
    holder the forward trace finds is listed with what it holds and notified at once."""
    if not lots:
        raise ValidationError({"lots": _("Name at least one suspect lot.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say what is wrong with the lots.")})
    if producer is not None:
        if not by.operator_memberships.filter(operator=producer).exists():
            raise ValidationError(_("Only the producer's own staff may recall its lots."))
        kind, source, region = ControlKind.RECALL, ControlSource.PRODUCER, producer.region
    else:
        if by.kind != UserKind.REGULATOR or not by.jurisdiction_id:
            raise ValidationError(_("Only a regulator opens a control order."))
        kind, region = ControlKind.CONTROL, by.jurisdiction
    now = timezone.now()
    Region.objects.select_for_update().filter(pk=region.pk).first()  # one numbering at a time per region
    order = ControlOrder.objects.create(
        number=_number(kind, region, timezone.localdate(now).year),
        kind=kind,
        source=source,
        reason=reason,
        sample=sample,
        region=region,
        agency=by.agency if by.kind == UserKind.REGULATOR else None,
        producer=producer,
        opened_at=now,
        opened_by=by,
        due_at=now + datetime.timedelta(hours=settings.SHIAN_TRACE["CONTROL_HOURS"]),
    )
    order.lots.set(lots)
    holders = _holders(order, lots)
    audit_record(actor=by, action="trace.control.open", obj=order, after=snapshot(order))
    ledger_append(
        kind="trace.control.open",
        payload={
            "number": order.number,
            "kind": kind,
            "lots": sorted(lot.identifier for lot in lots),
            "holders": len(holders),
            "due_at": order.due_at.isoformat(),
        },
        obj=order,
        actor=by,
    )
    link = reverse("control-detail", args=[order.pk])
    for holder in holders:
        if holder.operator_id:
            notify(
                recipients=staff_of(holder.operator_id),
                kind="trace.control.opened",
                title=_("%(number)s: stop selling and control lot %(lot)s")
                % {"number": order.number, "lot": holder.lot.lot_code or holder.lot.identifier},
                body=reason,
                link=link,
                dedupe_key=f"trace.control:{order.pk}:{holder.pk}",
                sms=True,
            )
    notify(
        recipients=bureau_users(order),
        kind="trace.control.opened",
        title=_("%(number)s opened: %(count)d holders to control") % {"number": order.number, "count": len(holders)},
        link=link,
    )
    return order


def _holders(order: ControlOrder, lots: list[Lot]) -> list[ControlHolder]:
    """One row per place that still holds (or is about to receive) a suspect lot or a lot made from it."""
    trace = trace_of(lots=[lot.pk for lot in lots], directions=(FORWARD,))
    places = {loc.pk: loc for loc in Location.objects.filter(pk__in={h["location_id"] for h in trace.holders})}
    rows, seen = [], set()
    for held in trace.holders:
        on_hand = held["on_hand"]
        if (on_hand is not None and on_hand <= 0) or (held["location_id"], held["lot"]) in seen:
            continue
        seen.add((held["location_id"], held["lot"]))
        location = places[held["location_id"]]
        rows.append(
            ControlHolder(
                order=order,
                location=location,
                operator_id=location.operator_id,
                lot_id=held["lot"],
                expected=on_hand,
                unit=held["unit"],
                in_transit=held["in_transit"],
            )
        )
    return ControlHolder.objects.bulk_create(rows)


def is_bureau_of(order: ControlOrder, by: User) -> bool:
    """Whether the user follows the order at the bureau (may change orders, and sees this one)."""
    return by.has_perm("trace.change_controlorder") and ControlOrder.objects.visible_to(by).filter(pk=order.pk).exists()


def _may_act(holder: ControlHolder, by: User) -> None:
    if holder.order.status != ControlStatus.OPEN:
        raise ValidationError(_("This control order is closed."))
    own = set(by.operator_memberships.values_list("operator_id", flat=True))
    if not may_answer(holder_operator=holder.operator_id, own_operators=own, is_bureau=is_bureau_of(holder.order, by)):
        raise ValidationError(_("Only the holder's own staff, or the bureau, may answer for this holder."))


@transaction.atomic
def control_acknowledge(*, holder: ControlHolder, by: User) -> ControlHolder:
    """The holder has the order and has stopped selling the lot."""
    _may_act(holder, by)
    if holder.status != HolderStatus.NOTIFIED:
        return holder
    before = snapshot(holder)
    holder.status, holder.acknowledged_at, holder.acknowledged_by = HolderStatus.ACKNOWLEDGED, timezone.now(), by
    holder.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
    audit_record(actor=by, action="trace.control.acknowledge", obj=holder, before=before, after=snapshot(holder))
    return holder


@transaction.atomic
def control_report(
    *,
    holder: ControlHolder,
    by: User,
    sealed: Decimal,
    returned: Decimal,
    destroyed: Decimal,
    sold: Decimal = Decimal(0),
    note: str = "",
) -> ControlHolder:
    """What the holder did with the lot: quantities sealed, returned, destroyed, and gone before the order,
    its photos being 五定 evidence uploaded for the holder. A report acknowledges the order too."""
    _may_act(holder, by)
    quantities = {"sealed": sealed, "returned": returned, "destroyed": destroyed, "sold": sold}
    problems = {k: _("Give a quantity of zero or more.") for k, v in quantities.items() if v is None or v < 0}
    if problems:
        raise ValidationError(problems)
    if holder.expected is not None and sum(quantities.values()) > holder.expected * Decimal("1.05"):
        raise ValidationError(
            _("That is more than the %(expected)s %(unit)s the trace says you hold: check the figures.")
            % {"expected": f"{holder.expected.normalize():f}", "unit": holder.unit}
        )
    before = snapshot(holder)
    now = timezone.now()
    for key, value in quantities.items():
        setattr(holder, key, value)
    holder.note, holder.status, holder.reported_at, holder.reported_by = note, HolderStatus.REPORTED, now, by
    if holder.acknowledged_at is None:
        holder.acknowledged_at, holder.acknowledged_by = now, by
    holder.save()
    audit_record(actor=by, action="trace.control.report", obj=holder, before=before, after=snapshot(holder))
    return holder


def missing(order: ControlOrder) -> list[ControlHolder]:
    """Holders not yet accounted for: not reported, or reporting less than the trace says they hold."""
    return [
        h
        for h in order.holders.select_related("location", "lot")
        if h.status != HolderStatus.REPORTED or (h.unaccounted or 0) > 0
    ]


@transaction.atomic
def control_close(*, order: ControlOrder, by: User, note: str = "") -> ControlOrder:
    """Close the order once every holder is accounted for (the closure report is then final)."""
    if order.status != ControlStatus.OPEN:
        raise ValidationError(_("This control order is already closed."))
    left = missing(order)
    if left:
        raise ValidationError(
            _("Every holder must be accounted for first; still open: %(names)s")
            % {"names": "、".join(sorted({h.location.name for h in left}))}
        )
    before = snapshot(order)
    order.status, order.closed_at, order.closed_by, order.closing_note = ControlStatus.CLOSED, timezone.now(), by, note
    order.save(update_fields=["status", "closed_at", "closed_by", "closing_note"])
    audit_record(actor=by, action="trace.control.close", obj=order, before=before, after=snapshot(order))
    totals = {
        key: str(sum((getattr(h, key) for h in order.holders.all()), Decimal(0)))
        for key in ("sealed", "returned", "destroyed", "sold")
    }
    ledger_append(kind="trace.control.close", payload={"number": order.number, "totals": totals}, obj=order, actor=by)
    return order
