"""The traceability API: a business system captures with a scoped token; traces and queries are scoped."""

import csv
import io

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from shian.core.tests.factories import BusinessUserFactory
from shian.registry.tests.factories import MembershipFactory
from shian.testing.api import client_with_token
from shian.trace.models import TraceEvent

from .builders import document, event
from .conftest import FARM, PORK, SAUSAGE, SLICED

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_throttle_counts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def officer(sites):
    user = BusinessUserFactory(username="processor-officer")
    MembershipFactory(user=user, operator=sites["processor"].operator)
    return user


RECEIVED = event("receiving", "2026-03-01T10:00:00+08:00", lots=[(PORK, 600)], source=FARM)


def test_a_business_system_captures_a_document_and_a_retry_changes_nothing(officer):
    erp = client_with_token(officer, ["trace:capture"])
    first = erp.post("/api/v1/trace/capture", document(RECEIVED), format="json")
    assert first.status_code == 201, first.json()
    assert first.json() == {"stored": [RECEIVED["eventID"]], "duplicates": [], "declared": []}
    again = erp.post("/api/v1/trace/capture", document(RECEIVED), format="json")
    assert again.json() == {"stored": [], "duplicates": [RECEIVED["eventID"]], "declared": []}
    assert TraceEvent.objects.count() == 1


def test_capture_takes_json_ld_and_xml(officer):
    erp = client_with_token(officer, ["trace:capture"])
    body = APIClient()._encode_json(document(RECEIVED), "application/json")
    response = erp.generic("POST", "/api/v1/trace/capture", body, content_type="application/ld+json")
    assert response.status_code == 201
    xml = b"""<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" schemaVersion="2.0" creationDate="2026-03-01T00:00:00Z">
  <EPCISBody><EventList><ObjectEvent>
    <eventTime>2026-03-01T11:00:00.000+08:00</eventTime><eventTimeZoneOffset>+08:00</eventTimeZoneOffset>
    <epcList><epc>urn:epc:id:sgtin:6901234.000001.1001</epc></epcList>
    <action>OBSERVE</action><bizStep>urn:epcglobal:cbv:bizstep:inspecting</bizStep>
  </ObjectEvent></EventList></EPCISBody>
</epcis:EPCISDocument>"""
    response = erp.generic("POST", "/api/v1/trace/capture", xml, content_type="application/xml")
    assert response.status_code == 201, response.json()
    stored = TraceEvent.objects.get(event_id=response.json()["stored"][0])
    assert (stored.biz_step, stored.event_id[:14]) == ("inspecting", "ni:///sha-256;")


def test_a_refused_document_lists_each_bad_event(officer):
    erp = client_with_token(officer, ["trace:capture"])
    bad = event("receiving", "not a time", lots=[(PORK, 1)])
    response = erp.post("/api/v1/trace/capture", document(RECEIVED, bad), format="json")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert {problem["event"] for problem in error["details"]["events"]} == {1}
    assert TraceEvent.objects.count() == 0


def test_malformed_xml_is_a_400_naming_the_problem(officer):
    erp = client_with_token(officer, ["trace:capture"])
    response = erp.generic("POST", "/api/v1/trace/capture", b"<EPCISDocument><oops>", content_type="application/xml")
    assert response.status_code == 400
    assert response.json()["error"]["message"]


def test_capture_needs_the_capture_scope(officer):
    reader = client_with_token(officer, ["trace:read"])
    assert reader.post("/api/v1/trace/capture", document(RECEIVED), format="json").status_code == 403


def test_a_trace_through_the_api_hides_other_counties_quantities(chain, inspector):
    api = client_with_token(inspector, ["trace:read"])
    body = api.get("/api/v1/trace", {"code": PORK, "direction": "forward"}).json()
    assert {lot["identifier"] for lot in body["lots"]} == {PORK, SAUSAGE, SLICED}
    market = [e for e in body["events"] if e["location"] == "吴中农贸市场"]
    assert market and all(item["quantity"] is None for e in market for item in e["items"])
    assert any(h["in_transit"] for h in body["holders"])


def test_trace_parameters_are_checked(chain, inspector):
    api = client_with_token(inspector, ["trace:read"])
    assert api.get("/api/v1/trace", {"code": PORK, "direction": "up"}).status_code == 400
    assert api.get("/api/v1/trace", {"code": "nothing-such"}).json()["error"]["code"] == "not_found"


def test_the_trace_spreadsheet_has_one_row_per_event_and_lot(chain, superuser):
    api = APIClient()
    api.force_login(superuser)
    response = api.get("/api/v1/trace/sheet", {"code": SAUSAGE, "direction": "backward"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "追溯批次码 Traceability lot code"
    received = [r for r in rows[1:] if r[4] == "姑苏肉制品厂" and r[10] == "urn:shian:doc:DA-1"]
    assert [(r[0], r[2], r[3], r[9]) for r in received] == [(PORK, "600", "KGM", "desadv")]
    assert api.get("/api/v1/trace/sheet", {"code": SAUSAGE, "file": "xlsx"}).status_code == 200


def test_the_trace_exports_as_an_epcis_document_that_captures_back(chain, superuser):
    from shian.trace.epcis.schema import schema_errors
    from shian.trace.services import epcis_capture

    api = APIClient()
    api.force_login(superuser)
    exported = api.get("/api/v1/trace/epcis", {"code": PORK}).json()
    assert schema_errors(exported) == []
    events = exported["epcisBody"]["eventList"]
    assert len(events) == TraceEvent.objects.count() - 2  # all but the salt's commissioning and receipt
    again = epcis_capture(document=exported, by=superuser)
    assert again.ok and again.stored == [] and len(again.duplicates) == len(events)


def test_the_event_query_filters_like_epcis(chain, superuser):
    api = APIClient()
    api.force_login(superuser)
    query = {"EQ_bizStep": "receiving", "GE_eventTime": "2026-03-03T00:00:00+08:00", "MATCH_epc": SAUSAGE}
    body = api.get("/api/v1/trace/events", query).json()
    assert body["type"] == "EPCISQueryDocument"
    found = body["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    # the wholesaler's and the retailer's receipts, and the market's receipt of the pallet the sausage was on
    assert sorted(e["eventTime"][:16] for e in found) == ["2026-03-03T11:00", "2026-03-03T12:00", "2026-03-04T10:00"]
    assert all(e["bizStep"] == "receiving" for e in found)


def test_the_event_query_pages_with_a_next_link(chain, superuser):
    api = APIClient()
    api.force_login(superuser)
    first = api.get("/api/v1/trace/events", {"perPage": 10})
    assert len(first.json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]) == 10
    link = first["Link"].split(";")[0].strip("<>")
    rest = api.get(link).json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    assert len(rest) == TraceEvent.objects.count() - 10
    assert api.get("/api/v1/trace/events", {"perPage": 0}).status_code == 400


def test_the_event_query_shows_a_county_only_its_own_events(chain, inspector):
    api = client_with_token(inspector, ["trace:read"])
    found = api.get("/api/v1/trace/events").json()["epcisBody"]["queryResults"]["resultsBody"]["eventList"]
    regions = set(
        TraceEvent.objects.filter(event_id__in=[e["eventID"] for e in found]).values_list("region", flat=True)
    )
    assert regions == {"320508"}
    assert len(found) == TraceEvent.objects.filter(region="320508").count()


def test_the_spreadsheet_and_the_epcis_export_hide_other_counties_quantities(chain, inspector):
    api = client_with_token(inspector, ["trace:read"])  # 姑苏区
    response = api.get("/api/v1/trace/sheet", {"code": SAUSAGE, "direction": "forward"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))[1:]
    market = [r for r in rows if r[4] == "吴中农贸市场"]
    ours = [r for r in rows if r[4] == "姑苏肉制品厂"]
    assert market and all(r[2] == "" for r in market)  # quantities hidden
    assert ours and all(r[2] for r in ours)
    exported = api.get("/api/v1/trace/epcis", {"code": SAUSAGE, "direction": "forward"}).json()
    theirs = [e for e in exported["epcisBody"]["eventList"] if e["bizLocation"]["id"].startswith("urn:shian:site:")]
    quantities = {
        e["bizLocation"]["id"]: [q.get("quantity") for q in e.get("quantityList", [])]
        for e in theirs
        if e.get("quantityList")
    }
    hidden = [q for site, qs in quantities.items() for q in qs if q is None]
    assert hidden and any(q is not None for qs in quantities.values() for q in qs)


@pytest.mark.parametrize("moment", ["0541-04-10T05:10:09.000344-19:14", "9999-12-31T23:59:59-15:59"])
def test_the_event_query_takes_any_iso_instant(chain, superuser, moment):
    api = APIClient()
    api.force_login(superuser)
    assert api.get("/api/v1/trace/events", {"GE_eventTime": moment}).status_code == 200
    assert api.get("/api/v1/trace/events", {"LT_eventTime": "2026-03-03"}).status_code == 400  # no time zone
