"""Stored events written back out as EPCIS 2.0 JSON-LD: for a trace's export and for the query interface."""

from collections import defaultdict

from django.db.models import Prefetch
from django.utils import timezone

from ..choices import ItemRole
from ..models import EventItem, TraceEvent

_INSTANCE_KEYS = {
    ItemRole.EPC: "epcList",
    ItemRole.CHILD: "childEPCs",
    ItemRole.INPUT: "inputEPCList",
    ItemRole.OUTPUT: "outputEPCList",
}
_QUANTITY_KEYS = {
    ItemRole.EPC: "quantityList",
    ItemRole.CHILD: "childQuantityList",
    ItemRole.INPUT: "inputQuantityList",
    ItemRole.OUTPUT: "outputQuantityList",
}


def _time(moment, offset: str) -> str:
    hours, minutes = int(offset[:3]), int(offset[0] + offset[4:6])
    local = moment.astimezone(timezone.get_fixed_timezone(hours * 60 + minutes))
    return local.isoformat(timespec="milliseconds")


def _number(value):
    return int(value) if value == value.to_integral_value() else float(value)


def event_json(event: TraceEvent, *, visible: bool = True) -> dict:
    """One event as EPCIS 2.0 JSON-LD; without `visible`, its quantities and documents are left out."""
    body = {"type": event.kind, "eventID": event.event_id, "eventTime": _time(event.event_time, event.time_zone)}
    body["eventTimeZoneOffset"] = event.time_zone
    body["recordTime"] = event.recorded_at.isoformat(timespec="milliseconds")
    if event.action:
        body["action"] = event.action
    lists = defaultdict(list)
    for item in event.items.all():
        if item.role == ItemRole.PARENT:
            body["parentID"] = item.code.code
        elif item.role == ItemRole.CONTAINED:
            continue
        elif item.code_id:
            lists[_INSTANCE_KEYS[item.role]].append(item.code.code)
        else:
            entry = {"epcClass": item.lot.identifier}
            if visible and item.quantity is not None:
                entry["quantity"] = _number(item.quantity)
                if item.unit:
                    entry["uom"] = item.unit
            lists[_QUANTITY_KEYS[item.role]].append(entry)
    body |= lists
    if event.kind == "AggregationEvent" and "childEPCs" not in body and "childQuantityList" not in body:
        body["childEPCs"] = []
    for key, value in (("bizStep", event.biz_step), ("disposition", event.disposition)):
        if value:
            body[key] = value
    if event.read_point_id:
        body["readPoint"] = {"id": event.read_point.identifier}
    if event.biz_location_id:
        body["bizLocation"] = {"id": event.biz_location.identifier}
    if visible and event.documents:
        body["bizTransactionList"] = [{"type": d["type"], "bizTransaction": d["id"]} for d in event.documents]
    for key, field, parties in (
        ("sourceList", "source", event.sources),
        ("destinationList", "destination", event.destinations),
    ):
        if parties:
            body[key] = [{"type": p["type"], field: p["id"]} for p in parties]
    if event.transformation_id:
        body["transformationID"] = event.transformation_id
    if event.error_declaration:
        body["errorDeclaration"] = event.error_declaration
    if visible and event.extra:
        body |= event.extra
    return body


def with_items(events):
    """A queryset of events ready for `event_json` without a query per event."""
    items = EventItem.objects.select_related("lot", "code").order_by("pk")
    return events.select_related("read_point", "biz_location").prefetch_related(Prefetch("items", queryset=items))
