"""Read EPCIS 2.0 events (JSON-LD, as dicts) into what the platform stores, with a readable reason for each
field it cannot take. Pure functions: no database."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from .hashing import event_hash_id
from .identifiers import short_name

KINDS = ("ObjectEvent", "AggregationEvent", "TransformationEvent", "TransactionEvent", "AssociationEvent")
# (JSON key, item role) for the identifiers and the quantities of each part of an event's "what".
_INSTANCE_LISTS = (("epcList", "epc"), ("childEPCs", "child"), ("inputEPCList", "input"), ("outputEPCList", "output"))
_QUANTITY_LISTS = (
    ("quantityList", "epc"),
    ("childQuantityList", "child"),
    ("inputQuantityList", "input"),
    ("outputQuantityList", "output"),
)
_STORED = {
    "type",
    "eventID",
    "eventTime",
    "eventTimeZoneOffset",
    "recordTime",
    "action",
    "bizStep",
    "disposition",
    "readPoint",
    "bizLocation",
    "sourceList",
    "destinationList",
    "bizTransactionList",
    "parentID",
    "transformationID",
    "errorDeclaration",
    *(key for key, _role in _INSTANCE_LISTS),
    *(key for key, _role in _QUANTITY_LISTS),
}
# Where the parties of a ship or receive are named several ways, the place is the clearest "who".
_PARTY_PREFERENCE = ("location", "possessing_party", "owning_party")


@dataclass
class Item:
    role: str
    identifier: str
    by_class: bool  # named by its class (a lot) with a quantity, not as one coded object
    quantity: Decimal | None = None
    unit: str = ""


@dataclass
class ReadEvent:
    event_id: str
    kind: str
    action: str
    event_time: datetime.datetime
    time_zone: str
    biz_step: str = ""
    disposition: str = ""
    read_point: str = ""
    biz_location: str = ""
    sources: list[dict] = field(default_factory=list)
    destinations: list[dict] = field(default_factory=list)
    documents: list[dict] = field(default_factory=list)
    items: list[Item] = field(default_factory=list)
    transformation_id: str = ""
    error_declaration: dict | None = None
    extra: dict | None = None
    hashed: bool = False  # the id is the event hash: the event came without one

    def party(self, which: str) -> str:
        """The preferred source or destination id."""
        parties = self.sources if which == "source" else self.destinations
        for kind in _PARTY_PREFERENCE:
            for party in parties:
                if party["type"] == kind:
                    return party["id"]
        return parties[0]["id"] if parties else ""


class EventError(ValueError):
    pass


def _time(event: dict) -> tuple[datetime.datetime, str]:
    """The event's time in UTC (as stored: PostgreSQL refuses offsets beyond ±15:59) and its offset as given."""
    try:
        moment = parse_datetime(str(event.get("eventTime", "")))
    except ValueError:
        moment = None
    if moment is None or moment.tzinfo is None:
        raise EventError(
            _("eventTime: %(value)r is not a date and time with a time zone") % {"value": event.get("eventTime")}
        )
    offset = str(event.get("eventTimeZoneOffset", "")) or zone_offset(moment)
    try:
        return moment.astimezone(datetime.UTC), offset
    except OverflowError:
        raise EventError(_("eventTime: %(value)r is out of range") % {"value": event.get("eventTime")}) from None


def zone_offset(moment: datetime.datetime) -> str:
    """An aware moment's offset as EPCIS writes it: +08:00."""
    minutes = int(moment.utcoffset().total_seconds() // 60)
    return f"{'-' if minutes < 0 else '+'}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _quantity(entry: dict, where: str) -> tuple[Decimal | None, str]:
    if "quantity" not in entry:
        return None, str(entry.get("uom", ""))
    try:
        quantity = Decimal(str(entry["quantity"]))
    except InvalidOperation:
        raise EventError(
            _("%(where)s: quantity %(value)r is not a number") % {"where": where, "value": entry["quantity"]}
        ) from None
    if not quantity.is_finite() or quantity < 0:
        raise EventError(
            _("%(where)s: quantity %(value)s must be zero or more") % {"where": where, "value": entry["quantity"]}
        )
    return quantity, str(entry.get("uom", ""))


def _items(event: dict) -> list[Item]:
    items = []
    if event.get("parentID"):
        items.append(Item("parent", str(event["parentID"]), by_class=False))
    for key, role in _INSTANCE_LISTS:
        items += [Item(role, str(epc), by_class=False) for epc in event.get(key) or ()]
    for key, role in _QUANTITY_LISTS:
        for n, entry in enumerate(event.get(key) or ()):
            quantity, unit = _quantity(entry, f"{key}[{n}]")
            items.append(Item(role, str(entry.get("epcClass", "")), by_class=True, quantity=quantity, unit=unit))
    return items


def _parties(entries, key: str) -> list[dict]:
    return [{"type": short_name(str(e.get("type", ""))), "id": str(e.get(key, ""))} for e in entries or ()]


def read_event(event: dict, context=None) -> ReadEvent:
    """One event of a capture document (whose `@context` names its extension prefixes); raises EventError with
    the reason when it cannot be stored."""
    kind = event.get("type")
    if kind not in KINDS:
        raise EventError(_("type: %(value)r is not an EPCIS event type") % {"value": kind})
    moment, offset = _time(event)
    items = _items(event)
    if (
        kind == "TransformationEvent"
        and not any(i.role == "input" for i in items)
        and not any(i.role == "output" for i in items)
    ):
        raise EventError(_("a transformation needs inputs or outputs"))
    event_id = str(event.get("eventID") or "")
    extra = {key: value for key, value in event.items() if key not in _STORED}
    return ReadEvent(
        event_id=event_id or event_hash_id(event, context),
        hashed=not event_id,
        kind=kind,
        action=str(event.get("action", "")),
        event_time=moment,
        time_zone=offset,
        biz_step=short_name(str(event.get("bizStep", ""))),
        disposition=short_name(str(event.get("disposition", ""))),
        read_point=str((event.get("readPoint") or {}).get("id", "")),
        biz_location=str((event.get("bizLocation") or {}).get("id", "")),
        sources=_parties(event.get("sourceList"), "source"),
        destinations=_parties(event.get("destinationList"), "destination"),
        documents=[
            {"type": short_name(str(t.get("type", ""))), "id": str(t.get("bizTransaction", ""))}
            for t in event.get("bizTransactionList") or ()
        ],
        items=items,
        transformation_id=str(event.get("transformationID", "")),
        error_declaration=event.get("errorDeclaration"),
        extra=extra or None,
    )
