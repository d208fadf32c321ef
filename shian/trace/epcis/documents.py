"""The EPCIS 2.0 JSON-LD envelopes around a list of events: a capture document and a query document."""

from django.utils import timezone

CONTEXT = ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"]


def _envelope(kind: str, body: dict) -> dict:
    return {
        "@context": CONTEXT,
        "type": kind,
        "schemaVersion": "2.0",
        "creationDate": timezone.now().isoformat(timespec="milliseconds"),
        "epcisBody": body,
    }


def capture_document(events: list[dict]) -> dict:
    return _envelope("EPCISDocument", {"eventList": events})


def query_document(events: list[dict]) -> dict:
    return _envelope(
        "EPCISQueryDocument",
        {"queryResults": {"queryName": "SimpleEventQuery", "resultsBody": {"eventList": events}}},
    )
