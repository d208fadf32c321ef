"""Every GS1 EPCIS 2.0 example document (../shared/data/gs1-epcis2-examples, the standard's own examples) is
captured with the right number of events of each type, or refused with a useful message when it breaks the
official schema."""

import json
from collections import Counter
from pathlib import Path

import pytest
from defusedxml import ElementTree

from shian.trace.models import TraceEvent
from shian.trace.services import EpcisFileError, epcis_document_read, epcis_file_capture

EXAMPLES = Path(__file__).resolve().parents[4] / "shared/data/gs1-epcis2-examples"
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("english"),
    pytest.mark.skipif(not EXAMPLES.is_dir(), reason=f"the GS1 EPCIS examples are not at {EXAMPLES}"),
]
EVENT_TYPES = {"ObjectEvent", "AggregationEvent", "TransformationEvent", "TransactionEvent", "AssociationEvent"}
# Examples that are not capture documents: a query result, capture-job status reports, master data only.
NOT_CAPTURE = {"EPCISQueryDocument.jsonld"}


def examples(folder: str, pattern: str) -> list[Path]:
    return sorted((EXAMPLES / folder).rglob(pattern)) if EXAMPLES.is_dir() else []


def json_types(path: Path) -> Counter:
    events = (json.loads(path.read_text(encoding="utf-8")).get("epcisBody") or {}).get("eventList") or []
    return Counter(event["type"] for event in events)


def xml_types(path: Path) -> Counter:
    root = ElementTree.parse(path).getroot()
    return Counter(
        element.tag.rsplit("}", 1)[-1] for element in root.iter() if element.tag.rsplit("}", 1)[-1] in EVENT_TYPES
    )


def stored_types() -> Counter:
    return Counter(TraceEvent.objects.values_list("kind", flat=True))


@pytest.mark.parametrize("path", examples("JSON", "*.jsonld"), ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_json_ld_examples_capture_with_every_event(path, superuser):
    if path.name in NOT_CAPTURE:
        result = epcis_file_capture(path=path, by=superuser)
        assert not result.ok and "EPCISDocument" in result.errors[0].message
        return
    result = epcis_file_capture(path=path, by=superuser)
    assert result.ok, [e.as_dict() for e in result.errors]
    assert stored_types() == json_types(path)
    assert len(result.stored) + len(result.duplicates) == sum(json_types(path).values())


# Official XML examples that break the official JSON Schema (the two standards' texts disagree): refused.
BREAK_THE_JSON_SCHEMA = {
    "Example-PersistentDisposition.xml": "persistentDisposition",  # the XSD allows it on every event type
    "SensorDataExamples.xml": "type",  # sensor reports with `exception` but no `type`
}


@pytest.mark.parametrize("path", examples("XML", "*.xml"), ids=lambda p: str(p.relative_to(EXAMPLES)))
def test_xml_examples_capture_with_every_event(path, superuser):
    root = ElementTree.parse(path).getroot().tag.rsplit("}", 1)[-1]
    if root != "EPCISDocument":  # master data and capture-job reports: no capture documents
        with pytest.raises(EpcisFileError, match=root):
            epcis_file_capture(path=path, by=superuser)
        return
    result = epcis_file_capture(path=path, by=superuser)
    if path.name in BREAK_THE_JSON_SCHEMA:
        assert not result.ok and TraceEvent.objects.count() == 0
        assert BREAK_THE_JSON_SCHEMA[path.name] in " ".join(e.message for e in result.errors)
        return
    assert result.ok, [e.as_dict() for e in result.errors]
    assert len(result.stored) + len(result.declared) == sum(xml_types(path).values())
    declared = Counter(TraceEvent.objects.filter(event_id__in=result.declared).values_list("kind", flat=True))
    assert stored_types() + declared == xml_types(path)  # an event sent again to declare it erroneous


def test_a_document_that_breaks_the_schema_is_refused_with_the_place_and_reason(superuser, tmp_path):
    from shian.trace.epcis.schema import schema_path

    if schema_path() is None:
        pytest.skip("the EPCIS JSON Schema is not configured")
    source = EXAMPLES / "JSON/Example_9.6.1-ObjectEvent.jsonld"
    document = epcis_document_read(source)
    document["epcisBody"]["eventList"][0]["action"] = "SHIP"
    document["epcisBody"]["eventList"][0].pop("eventTime")
    broken = tmp_path / "broken.jsonld"
    broken.write_text(json.dumps(document))
    result = epcis_file_capture(path=broken, by=superuser)
    assert not result.ok and TraceEvent.objects.count() == 0
    assert {error.event for error in result.errors} == {0}
    messages = " ".join(error.message for error in result.errors)
    assert "eventTime" in messages
