"""EPCIS 2.0 capture: a document's events checked against the official schema and read, then stored all
together or not at all; an event already stored (same event id, or the same event hash when it has none) is
skipped, so a retried capture changes nothing (EPCIS 2.0 §8.2.7)."""

from dataclasses import dataclass, field
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from shian.core.bulk import insert_rows
from shian.core.choices import UserKind
from shian.core.models import signed_in
from shian.core.rules import region_contains
from shian.core.services.audit import audit_record
from shian.core.services.notifications import notify
from shian.core.services.recipients import bureau_of
from shian.registry.models import Operator

from ..choices import EventKind, ItemRole, LocationKind
from ..epcis.identifiers import lot_identifier
from ..epcis.reading import EventError, ReadEvent, read_event
from ..epcis.schema import schema_errors
from ..models import EventItem, Location, Lot, LotLink, TraceEvent
from .objects import Resolver
from .sites import operator_site


@dataclass
class CaptureError:
    event: int | None  # the event's position in the document; None for the document as a whole
    message: str
    path: str = ""
    region: str | None = None  # for a refusal the bureau must hear of (无码): the receiving place's region

    def as_dict(self) -> dict:
        return {"event": self.event, "path": self.path, "message": self.message}


@dataclass
class CaptureResult:
    stored: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    declared: list[str] = field(default_factory=list)  # stored events now declared erroneous
    errors: list[CaptureError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Refused(Exception):
    pass


def _document_errors(document) -> list[CaptureError]:
    if not isinstance(document, dict) or document.get("type") != "EPCISDocument":
        return [CaptureError(None, _("the body is not an EPCIS 2.0 document (its type must be EPCISDocument)"))]
    body = document.get("epcisBody")
    events = body.get("eventList") if isinstance(body, dict) else None
    if not isinstance(events, list) or not all(isinstance(e, dict) for e in events):
        return [CaptureError(None, _("epcisBody.eventList must be a list of events"), "/epcisBody/eventList")]
    limit = settings.SHIAN_TRACE["CAPTURE_MAX_EVENTS"]
    if len(events) > limit:
        return [CaptureError(None, _("a document may hold at most %(limit)d events") % {"limit": limit})]
    errors = []
    for path, message in schema_errors(document):
        event = path[2] if path[:2] == ["epcisBody", "eventList"] and len(path) > 2 else None
        errors.append(CaptureError(event, message, "/" + "/".join(str(part) for part in path)))
    return errors


class _Authority:
    """Where the capturing user may record events: a business at its own sites; a regulator within its
    jurisdiction; a superuser (a traceability system run by the bureau) anywhere."""

    def __init__(self, user):
        self.user = user
        self.operators = (
            list(Operator.objects.filter(memberships__user=user)) if user and user.kind == UserKind.BUSINESS else []
        )

    def check(self, location: "Place | Location | None", created: bool) -> str | None:
        user = self.user
        if user is None or user.is_superuser:
            return None
        if user.kind == UserKind.BUSINESS:
            if location is None or created:
                return None if len(self.operators) == 1 else _("name the bizLocation: you act for several businesses")
            if location.operator_id not in {o.pk for o in self.operators}:
                return _("bizLocation %(id)s is not a site of your business") % {"id": location.identifier}
            return None
        if user.kind == UserKind.REGULATOR:
            if location is None or location.region_id is None:
                return None
            if user.jurisdiction_id and region_contains(user.jurisdiction_id, location.region_id):
                return None
            return _("bizLocation %(id)s is outside your jurisdiction") % {"id": location.identifier}
        return _("only businesses, regulators and traceability systems capture events")


class Place(NamedTuple):
    """What a capture needs of a location (read without building a model instance for each)."""

    pk: int
    identifier: str
    operator_id: int | None
    region_id: str | None


def _places(identifiers: set[str]) -> dict[str, Place]:
    rows = Location.objects.filter(identifier__in=identifiers).values_list(
        "id", "identifier", "operator_id", "region_id"
    )
    return {row[1]: Place(*row) for row in rows}


def _where(read: list[ReadEvent], authority: _Authority, errors: list[CaptureError]) -> dict[str, Place]:
    """The locations the events name, the unknown ones created: a business's unknown bizLocation is a new site
    of its own, any other unknown place an outside party."""
    names = {r.biz_location for r in read} | {r.read_point for r in read}
    names |= {p["id"] for r in read for p in (*r.sources, *r.destinations)}
    names.discard("")
    known = _places(names)
    own = authority.operators[0] if len(authority.operators) == 1 else None
    new_sites = {r.biz_location for r in read if r.biz_location} - set(known)
    Location.objects.bulk_create(
        [
            Location(
                identifier=name,
                name=name,
                operator=own,
                region_id=own.region_id if own else None,
                kind=LocationKind.SITE if own else LocationKind.PARTY,
            )
            for name in sorted(new_sites)
        ]
        + [Location(identifier=name, name=name) for name in sorted(names - set(known) - new_sites)],
        ignore_conflicts=True,  # another capture may create the same place at the same moment
    )
    if len(known) < len(names):
        known |= _places(names - set(known))
    site_default = operator_site(own) if own else None
    for n, r in enumerate(read):
        location = known.get(r.biz_location) if r.biz_location else site_default
        if problem := authority.check(location, r.biz_location in new_sites):
            errors.append(CaptureError(n, problem, "bizLocation"))
    if site_default:
        known[""] = site_default
    return known


def epcis_capture(*, document: dict, by=None) -> CaptureResult:
    """Store a capture document's new events, or none of them with every reason when any is bad."""
    by = signed_in(by)
    result = CaptureResult(errors=_document_errors(document))
    if any(error.event is None for error in result.errors):
        return result
    flagged, read = {error.event for error in result.errors}, []
    for n, raw in enumerate(document["epcisBody"]["eventList"]):
        try:
            read.append(read_event(raw, document.get("@context")))
        except EventError as exc:
            if n not in flagged:
                result.errors.append(CaptureError(n, str(exc)))
    if result.errors:
        result.errors.sort(key=lambda error: error.event)
        return result
    try:
        with transaction.atomic():
            _store(read, by, result)
            if result.errors:
                raise _Refused
    except _Refused:
        result.stored.clear()
        result.declared.clear()
    for error in result.errors:
        if error.region:  # a finding: the bureau hears of it though nothing was stored
            notify(
                recipients=bureau_of(error.region),
                kind="trace.uncoded",
                title=_("A receipt without its trace code was refused"),
                body=error.message,
            )
    return result


def _store(read: list[ReadEvent], by, result: CaptureResult) -> None:
    authority = _Authority(by)
    places = _where(read, authority, result.errors)
    if result.errors:
        return
    seen = set(TraceEvent.objects.filter(event_id__in=[r.event_id for r in read]).values_list("event_id", flat=True))
    fresh, again = [], []
    for r in read:
        (again if r.event_id in seen else fresh).append(r)
        seen.add(r.event_id)
    result.errors += _uncoded(read, places)
    if result.errors:
        return
    if fresh:
        _store_fresh(fresh, places, by, result)
    for r in again:
        if r.error_declaration and _declare_error(r, by):
            result.declared.append(r.event_id)
        else:
            result.duplicates.append(r.event_id)


RECEIVING_STEPS = {"receiving", "accepting"}


def _uncoded(read: list[ReadEvent], places: dict[str, Place]) -> list[CaptureError]:
    """无码不准经营: a receipt of a lot whose product class requires a trace code, naming no coded object, is
    refused (regulations.md §5.2 [S]); the bureau of the receiving place hears of it."""
    wanted = {
        lot_identifier(item.identifier)
        for r in read
        if r.biz_step in RECEIVING_STEPS
        for item in r.items
        if item.by_class
    }
    if not wanted:
        return []
    coded = dict(
        Lot.objects.filter(identifier__in=wanted, product__product_class__requires_trace_code=True).values_list(
            "identifier", "product__product_class__name"
        )
    )
    errors = []
    for n, r in enumerate(read):
        if r.biz_step not in RECEIVING_STEPS or any(not item.by_class for item in r.items):
            continue
        for item in r.items:
            if lot_identifier(item.identifier) in coded:
                message = _("无码不准经营: %(product)s must come with its trace code") % {
                    "product": coded[lot_identifier(item.identifier)]
                }
                where = places.get(r.biz_location) if r.biz_location else places.get("")
                errors.append(CaptureError(n, message, "epcList", region=where.region_id if where else None))
    return errors


def _declare_error(r: ReadEvent, by) -> bool:
    """An event captured again with an error declaration marks the stored one erroneous (EPCIS 2.0 §7.4.1.2)."""
    event = TraceEvent.objects.select_for_update().get(event_id=r.event_id)
    if event.error_declaration:
        return False
    event.error_declaration = r.error_declaration
    event.save(update_fields=["error_declaration"])
    audit_record(actor=by, action="trace.declare_error", obj=event, after={"errorDeclaration": r.error_declaration})
    return True


def _store_fresh(fresh: list[ReadEvent], places: dict[str, Place], by, result: CaptureResult) -> None:
    """Insert the new events, their items and lot links as rows (COPY on PostgreSQL), and audit the capture."""
    objects = Resolver(fresh, places)
    events = [_event_row(r, places, by) for r in fresh]
    insert_rows(TraceEvent, events)
    items, links = [], []
    for r, event in zip(fresh, events, strict=True):
        event_items = objects.items(r, event["id"])
        items += event_items
        if r.kind == EventKind.TRANSFORMATION:
            inputs = {i["lot_id"] for i in event_items if i["role"] == ItemRole.INPUT and i["lot_id"]}
            outputs = {i["lot_id"] for i in event_items if i["role"] == ItemRole.OUTPUT and i["lot_id"]}
            links += [{"source_id": a, "target_id": b, "event_id": event["id"]} for a in inputs for b in outputs]
    insert_rows(EventItem, items)
    insert_rows(LotLink, [link for link in links if link["source_id"] != link["target_id"]])
    # One entry per capture, naming every event it stored (each event also keeps who captured it and when).
    ids = [event["event_id"] for event in events]
    audit_record(actor=by, action="trace.capture", obj=TraceEvent(**events[0]), after={"events": ids})
    result.stored = [event["event_id"] for event in events]


def _event_row(r: ReadEvent, places: dict[str, Place], by) -> dict:
    where = places.get(r.biz_location) if r.biz_location else places.get("")
    read_point = places.get(r.read_point) if r.read_point else None
    source, destination = places.get(r.party("source")), places.get(r.party("destination"))
    return {
        "event_id": r.event_id,
        "kind": r.kind,
        "action": r.action,
        "event_time": r.event_time,
        "time_zone": r.time_zone,
        "biz_step": r.biz_step,
        "disposition": r.disposition,
        "read_point_id": read_point.pk if read_point else None,
        "biz_location_id": where.pk if where else None,
        "source_id": source.pk if source else None,
        "destination_id": destination.pk if destination else None,
        "sources": r.sources,
        "destinations": r.destinations,
        "documents": r.documents,
        "transformation_id": r.transformation_id,
        "error_declaration": r.error_declaration,
        "extra": r.extra,
        "operator_id": where.operator_id if where else None,
        "region_id": where.region_id if where else None,
        "captured_by_id": by.pk if by else None,
    }
