"""Stock on hand per lot at a business's sites, derived from its events (received and made, minus shipped,
sold, used and destroyed), and its suppliers with their grades."""

import datetime
from collections import Counter

from django.db.models import Case, Count, DecimalField, F, Max, Q, Sum, Value, When
from django.utils import timezone

from shian.sampling.models import Sample

from ..choices import EventKind, ItemRole, ReceiptStatus
from ..models import EventItem, Lot, Supplier, TraceDocument
from ..rules import supplier_grade
from .trace import IN_STEPS, OUT_STEPS

_SIGNED = Case(
    When(role=ItemRole.OUTPUT, then=F("quantity")),
    When(role=ItemRole.INPUT, then=-F("quantity")),
    When(Q(event__kind=EventKind.AGGREGATION) | Q(role__in=[ItemRole.PARENT, ItemRole.CHILD]), then=Value(0)),
    When(event__biz_step__in=IN_STEPS, then=F("quantity")),
    When(event__biz_step__in=OUT_STEPS, then=-F("quantity")),
    default=Value(0),
    output_field=DecimalField(max_digits=18, decimal_places=6),
)


def stock_rows(items) -> list[dict]:
    """(operator, lot, unit) with what is on hand there, for the event items given, only where some is."""
    return list(
        items.filter(lot__isnull=False, quantity__isnull=False, event__biz_location__operator__isnull=False)
        .values("event__biz_location__operator", "lot", "unit")
        .annotate(on_hand=Sum(_SIGNED), last_seen=Max("event__event_time"))
        .filter(on_hand__gt=0)
        .order_by("lot")
    )


def stock_on_hand(operator) -> list[dict]:
    """What the business holds, lot by lot, with each lot's product and expiry (soonest first)."""
    rows = stock_rows(EventItem.objects.filter(event__biz_location__operator=operator))
    lots = Lot.objects.select_related("product").in_bulk([row["lot"] for row in rows])
    today = timezone.localdate()
    for row in rows:
        lot = lots[row["lot"]]
        row["lot"] = lot
        row["days_left"] = (lot.expiry_date - today).days if lot.expiry_date else None
    return sorted(rows, key=lambda r: (r["days_left"] is None, r["days_left"] or 0))


def supplier_register(operator) -> list[Supplier]:
    """The business's suppliers, each with its licence's validity, its record (refusals in a year, failed samples
    in three years when it is on the platform) and its grade from them: three queries, whatever the register's
    size."""
    today, now = timezone.localdate(), timezone.now()
    refused = Q(receipts__status=ReceiptStatus.REFUSED, receipts__received_at__gte=now - datetime.timedelta(days=365))
    suppliers = list(operator.suppliers.annotate(refusals=Count("receipts", filter=refused)).order_by("name"))
    licences = {}
    for doc in TraceDocument.objects.filter(supplier__in=suppliers, kind__level="supplier").order_by("valid_until"):
        licences[doc.supplier_id] = doc  # the latest validity wins
    on_platform = {s.supplier_operator_id for s in suppliers if s.supplier_operator_id}
    failures = Counter()
    recent = Sample.objects.filter(final_verdict="fail", sampled_at__gte=now - datetime.timedelta(days=3 * 365))
    for producer, seller in recent.filter(Q(producer__in=on_platform) | Q(operator__in=on_platform)).values_list(
        "producer_id", "operator_id"
    ):
        for business in {producer, seller} & on_platform:
            failures[business] += 1
    for supplier in suppliers:
        supplier.licence = licence = licences.get(supplier.pk)
        if licence is None:
            supplier.licence_left_days = None
        else:
            supplier.licence_left_days = (licence.valid_until - today).days if licence.valid_until else 9999
        supplier.failed_samples = failures[supplier.supplier_operator_id] if supplier.supplier_operator_id else 0
        supplier.grade = supplier_grade(
            refusals_last_year=supplier.refusals,
            failed_samples=supplier.failed_samples,
            licence_left_days=supplier.licence_left_days,
        )
    return suppliers
