"""Traces: from a lot or a trace code, every upstream lot (backward) or downstream lot and holder (forward),
found with one recursive query over the lot graph and one over the events of the lots reached."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from shian.core.choices import UserKind
from shian.core.rules import region_contains

from ..choices import EventKind, ItemRole
from ..epcis.identifiers import lot_identifier
from ..models import EventItem, Lot, TraceCode
from .trace_sql import BACKWARD, FORWARD, ITEM_COLUMNS, event_items, links_among, reached_lots

# CBV business steps by what they do to the goods at the business location (CBV 2.0 §7.2).
IN_STEPS = {"commissioning", "receiving", "accepting", "arriving", "unloading"}
OUT_STEPS = {"shipping", "departing", "retail_selling", "destroying", "dispensing", "decommissioning", "consuming"}


class TraceStartError(LookupError):
    pass


@dataclass
class Trace:
    """What a trace found. `events` and `holders` carry what the asking user may see: an event outside their
    scope keeps its shape (time, step, place and party names, lots) with quantities and documents hidden."""

    start: list[int]
    directions: tuple[str, ...]
    lots: dict[int, dict] = field(default_factory=dict)  # id → lot, with its hop distance and direction
    links: list[tuple[int, int, int]] = field(default_factory=list)  # (from lot, into lot, event)
    events: list[dict] = field(default_factory=list)
    holders: list[dict] = field(default_factory=list)

    def as_json(self) -> dict:
        """The trace for the API and the CLI (lots, lot links, events, holders)."""
        return {
            "directions": list(self.directions),
            "lots": [
                {
                    "id": lot["id"],
                    "identifier": lot["identifier"],
                    "lot_code": lot["lot_code"],
                    "product": lot["product__name"],
                    "gtin": lot["product__gtin"],
                    "hops": lot["hops"],
                    "direction": lot["direction"],
                }
                for lot in self.lots.values()
            ],
            "links": [{"from": a, "into": b} for a, b, _event in self.links],
            "events": [{k: v for k, v in e.items() if k not in ("location_id", "destination_id")} for e in self.events],
            "holders": [{k: v for k, v in h.items() if k != "location_id"} for h in self.holders],
        }


def trace_start(text: str) -> tuple[list[int], list[int]]:
    """The lots (and coded packs) a trace starts from: a trace code, a lot's identifier, or its GS1 spelling."""
    text = text.strip()
    code = TraceCode.objects.filter(code=text).first()
    if code is not None:
        return ([code.lot_id] if code.lot_id else _packed_in(code)), [code.pk]
    lot = Lot.objects.filter(identifier__in={text, lot_identifier(text)}).first()
    if lot is None:
        raise TraceStartError(_("no lot or trace code %(code)s is known") % {"code": text})
    return [lot.pk], []


def _packed_in(code: TraceCode) -> list[int]:
    """The lots ever packed into a case or pallet (the children of its aggregations)."""
    packings = EventItem.objects.filter(code=code, role=ItemRole.PARENT, event__kind=EventKind.AGGREGATION)
    children = EventItem.objects.filter(event__in=packings.values("event_id"), role=ItemRole.CHILD, lot__isnull=False)
    return sorted(set(children.values_list("lot_id", flat=True)))


def _seer(user):
    """Whether the user may see an event's private fields, from its region and business: the rule of
    `ScopedQuerySet.visible_to` (core/models/scoping.py) applied to rows already read. Asking `visible_to` for
    the trace's events instead costs a query whose plan for a province user took p95 from 5 to 28 ms
    (benchmarks/trace.py); keep the two in step."""
    if user is None or user.is_superuser:
        return lambda region, operator: True
    if user.kind == UserKind.REGULATOR and user.jurisdiction_id:
        return lambda region, operator: bool(region) and region_contains(user.jurisdiction_id, region)
    if user.kind == UserKind.BUSINESS:
        mine = set(user.operator_memberships.values_list("operator_id", flat=True))
        return lambda region, operator: operator in mine
    return lambda region, operator: False


def trace_of(*, lots: list[int], codes: list[int] = (), directions=(BACKWARD, FORWARD), user=None) -> Trace:
    """The trace of the given lots (and coded packs) in the given directions."""
    trace = Trace(start=list(lots), directions=tuple(directions))
    reached: dict[int, tuple[int, str]] = {}
    for lot_id, hops, way in reached_lots(list(lots), trace.directions) if lots else ():
        if lot_id not in reached or hops < reached[lot_id][0]:
            reached[lot_id] = (hops, way if hops else "start")
    ids = list(reached)
    trace.links = links_among(ids)
    sees = _seer(user)
    events: dict[int, dict] = {}
    for row in event_items(ids, list(codes)):
        item = dict(zip(ITEM_COLUMNS, row, strict=True))
        if item["lot"] in reached and item["lot"] not in trace.lots:
            hops, way = reached[item["lot"]]
            trace.lots[item["lot"]] = {
                "id": item["lot"],
                "identifier": item["lot_identifier"],
                "lot_code": item["lot_code"],
                "product__name": item["product"],
                "product__gtin": item["gtin"],
                "hops": hops,
                "direction": way,
            }
        event = events.get(item["event"])
        if event is None:
            event = events[item["event"]] = _event(item, sees(item["region_code"], item["operator"]))
        visible = event["visible"]
        event["items"].append(
            {
                "role": item["role"],
                "lot": item["lot"],
                "code": item["code"],
                "quantity": item["quantity"] if visible else None,
                "unit": item["unit"],
            }
        )
    trace.events = list(events.values())
    if FORWARD in directions:
        trace.holders = _holders(trace.events)
    return trace


_EVENT_KEYS = (
    "event_id",
    "type",
    "action",
    "time",
    "biz_step",
    "disposition",
    "location_id",
    "location",
    "region",
    "source",
    "destination_id",
    "destination",
)


def _event(item: dict, visible: bool) -> dict:
    event = {key: item[key] for key in _EVENT_KEYS}
    for key in ("location", "region", "source", "destination"):
        event[key] = event[key] or ""
    return event | {"documents": item["documents"] if visible else [], "visible": visible, "items": []}


def _delta(event: dict, item: dict) -> int:
    """+1 when the item arrives at (or is made at) the event's place, -1 when it leaves (or is used up), 0 else."""
    if item["role"] == ItemRole.OUTPUT:
        return 1
    if item["role"] == ItemRole.INPUT:
        return -1
    if event["type"] == EventKind.AGGREGATION or item["role"] in (ItemRole.PARENT, ItemRole.CHILD):
        return 0
    if event["biz_step"] in IN_STEPS:
        return 1
    return -1 if event["biz_step"] in OUT_STEPS else 0


ARRIVAL_STEPS = {"receiving", "accepting", "arriving", "unloading"}


def _holders(events: list[dict]) -> list[dict]:
    """Every place a reached lot was at, with what it still holds there (when quantities are visible), its
    latest disposition; and, for each destination, what was shipped to it and has not arrived (in transit)."""
    held: dict[tuple, dict] = {}
    shipped: dict[tuple, dict] = {}  # (destination, lot, unit) → the quantity sent and the latest shipment
    arrived: dict[tuple, Decimal | None] = {}  # (place, lot, unit) → received there (None: hidden from the user)
    for event in events:
        for item in event["items"]:
            if item["lot"] is None:
                continue
            key = (event["location_id"], item["lot"], item["unit"])
            if event["location_id"]:
                holder = held.setdefault(
                    key,
                    {
                        "location_id": event["location_id"],
                        "location": event["location"],
                        "region": event["region"],
                        "lot": item["lot"],
                        "unit": item["unit"],
                        "on_hand": Decimal(0) if event["visible"] else None,
                        "visible": event["visible"],
                        "in_transit": False,
                    },
                )
                if holder["on_hand"] is not None and item["quantity"] is not None:
                    holder["on_hand"] += _delta(event, item) * item["quantity"]
                holder["disposition"], holder["last_seen"] = event["disposition"], event["time"]
                if event["biz_step"] in ARRIVAL_STEPS:
                    so_far = arrived.get(key, Decimal(0))
                    hidden = so_far is None or item["quantity"] is None
                    arrived[key] = None if hidden else so_far + item["quantity"]
            if event["biz_step"] in ("shipping", "departing") and event["destination_id"]:
                sent = shipped.setdefault(
                    (event["destination_id"], item["lot"], item["unit"]), {"quantity": Decimal(0), "event": event}
                )
                sent["event"] = event
                sent["quantity"] = (
                    None
                    if item["quantity"] is None or sent["quantity"] is None
                    else (sent["quantity"] + item["quantity"])
                )
    for (destination, lot, unit), sent in shipped.items():
        got = arrived.get((destination, lot, unit), Decimal(0))
        if sent["quantity"] is None or got is None:  # quantities hidden: on its way only if nothing arrived
            if (destination, lot, unit) in held:
                continue
            pending = None
        else:
            pending = sent["quantity"] - got
        if pending is None or pending > 0:
            event = sent["event"]
            held[(destination, lot, unit, "in transit")] = {
                "location_id": destination,
                "location": event["destination"],
                "region": "",
                "lot": lot,
                "unit": unit,
                "on_hand": pending,
                "visible": event["visible"],
                "in_transit": True,
                "disposition": "in_transit",
                "last_seen": event["time"],
            }
    return list(held.values())
