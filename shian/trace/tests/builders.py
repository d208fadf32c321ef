"""EPCIS 2.0 events and documents for tests, in the JSON-LD shape a capture client sends."""

import itertools

_ids = itertools.count(1)
CONTEXT = ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"]


def lot(gtin: str, code: str) -> str:
    return f"https://id.gs1.org/01/{gtin}/10/{code}"


def event(
    step: str,
    when: str,
    *,
    kind: str = "ObjectEvent",
    action: str = "OBSERVE",
    at: str | None = None,
    lots: tuple = (),
    epcs: tuple = (),
    inputs: tuple = (),
    outputs: tuple = (),
    parent: str | None = None,
    children: tuple = (),
    source: str | None = None,
    destination: str | None = None,
    disposition: str | None = None,
    documents: tuple = (),
    event_id: str | None = "auto",
    **extra,
) -> dict:
    """One event; `lots`, `inputs`, `outputs`, `children` are (lot, quantity[, unit]) pairs."""

    def quantities(pairs):
        return [{"epcClass": p[0], "quantity": p[1], "uom": p[2] if len(p) > 2 else "KGM"} for p in pairs]

    body = {"type": kind, "eventTime": when, "eventTimeZoneOffset": "+08:00", "bizStep": step}
    if kind != "TransformationEvent":
        body["action"] = action
    if event_id:
        body["eventID"] = f"urn:uuid:00000000-0000-4000-8000-{next(_ids):012d}" if event_id == "auto" else event_id
    if at:
        body["bizLocation"] = {"id": at}
    if epcs:
        body["epcList"] = list(epcs)
    if lots:
        body["childQuantityList" if kind == "AggregationEvent" else "quantityList"] = quantities(lots)
    if parent:
        body["parentID"] = parent
    if children:
        body["childEPCs"] = list(children)
    if inputs:
        body["inputQuantityList"] = quantities(inputs)
    if outputs:
        body["outputQuantityList"] = quantities(outputs)
    if source:
        body["sourceList"] = [{"type": "owning_party", "source": source}]
    if destination:
        body["destinationList"] = [{"type": "owning_party", "destination": destination}]
    if disposition:
        body["disposition"] = disposition
    if documents:
        body["bizTransactionList"] = [{"type": t, "bizTransaction": i} for t, i in documents]
    if kind == "AggregationEvent" and not children and not lots:
        body["childEPCs"] = []
    return body | extra


def document(*events: dict) -> dict:
    return {
        "@context": CONTEXT,
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": "2026-03-01T08:00:00+08:00",
        "epcisBody": {"eventList": list(events)},
    }
