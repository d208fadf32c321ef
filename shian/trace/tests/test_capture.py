import pytest

from shian.core.models import AuditEntry
from shian.trace.models import EventItem, Location, Lot, LotLink, TraceCode, TraceEvent
from shian.trace.services import epcis_capture

from .builders import document, event, lot
from .conftest import FARM, PORK

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
SHIPPED = event("shipping", "2026-03-01T08:00:00+08:00", at=FARM, lots=[(PORK, 600)], event_id=None)


def counts() -> tuple[int, ...]:
    return tuple(m.objects.count() for m in (TraceEvent, EventItem, Lot, TraceCode, Location, LotLink))


def test_a_capture_stores_events_with_their_items_and_an_audit_entry_naming_them(chain):
    shipped = TraceEvent.objects.get(event_id=chain.stored[2])
    assert (shipped.biz_step, shipped.biz_location.identifier, shipped.destination.name) == (
        "shipping",
        FARM,
        "姑苏肉制品厂",
    )
    assert [(i.role, i.lot.identifier, i.quantity, i.unit) for i in shipped.items.all()] == [("epc", PORK, 600, "KGM")]
    entry = AuditEntry.objects.get(action="trace.capture")
    assert entry.after["events"] == chain.stored
    assert shipped.captured_by.username == "trace-system"


def test_capturing_the_same_document_again_changes_nothing(chain, superuser):
    before = counts()
    again = epcis_capture(document=document(SHIPPED), by=superuser)
    assert again.ok and len(again.stored) == 1
    repeat = epcis_capture(document=document(SHIPPED, SHIPPED), by=superuser)
    assert repeat.ok and repeat.stored == [] and repeat.duplicates == again.stored * 2
    assert counts()[0] == before[0] + 1


def test_an_event_without_an_id_is_known_by_its_event_hash(superuser):
    result = epcis_capture(document=document(SHIPPED), by=superuser)
    assert result.stored[0].startswith("ni:///sha-256;")


def test_one_bad_event_refuses_the_whole_document_with_a_reason_per_event(superuser):
    bad = event("shipping", "yesterday", at=FARM, lots=[(PORK, 5)])
    negative = event("receiving", "2026-03-01T08:00:00+08:00", at=FARM, lots=[(PORK, -5)])
    result = epcis_capture(document=document(SHIPPED, bad, negative), by=superuser)
    assert not result.ok and result.stored == []
    assert {error.event for error in result.errors} == {1, 2}
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_a_document_that_breaks_the_official_schema_is_refused_with_the_json_path(superuser):
    from shian.trace.epcis.schema import schema_path

    if schema_path() is None:
        pytest.skip("the EPCIS JSON Schema is not configured (SHIAN_TRACE_EPCIS_JSON_SCHEMA)")
    broken = event("shipping", "2026-03-01T08:00:00+08:00", at=FARM, lots=[(PORK, 5)], action="MOVE")
    result = epcis_capture(document=document(SHIPPED, broken), by=superuser)
    assert not result.ok
    assert any(error.event == 1 and error.path.startswith("/epcisBody/eventList/1") for error in result.errors)
    assert counts() == (0, 0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    "body",
    [{"type": "Invoice"}, [1, 2], {"type": "EPCISDocument", "epcisBody": []}, {"type": "EPCISDocument"}],
)
def test_something_that_is_no_epcis_document_is_refused(superuser, body):
    result = epcis_capture(document=body, by=superuser)
    assert [error.event for error in result.errors] == [None]
    assert "EPCISDocument" in result.errors[0].message or "eventList" in result.errors[0].message


def test_a_business_captures_at_its_own_site_and_may_not_at_another(sites):
    from shian.core.tests.factories import BusinessUserFactory
    from shian.registry.tests.factories import MembershipFactory

    officer = BusinessUserFactory()
    MembershipFactory(user=officer, operator=sites["processor"].operator)
    own = event("receiving", "2026-03-01T10:00:00+08:00", lots=[(PORK, 1)])  # no bizLocation: its own site
    result = epcis_capture(document=document(own), by=officer)
    assert result.ok
    assert TraceEvent.objects.get(event_id=result.stored[0]).biz_location == sites["processor"]

    theirs = event("receiving", "2026-03-01T10:00:00+08:00", at=sites["market"].identifier, lots=[(PORK, 1)])
    refused = epcis_capture(document=document(theirs), by=officer)
    assert [(e.event, e.path) for e in refused.errors] == [(0, "bizLocation")]
    assert "not a site of your business" in refused.errors[0].message


def test_a_county_regulator_may_not_capture_at_a_site_in_another_county(sites, inspector):
    there = event("inspecting", "2026-03-01T10:00:00+08:00", at=sites["market"].identifier, lots=[(PORK, 1)])
    assert not epcis_capture(document=document(there), by=inspector).ok
    here = event("inspecting", "2026-03-01T10:00:00+08:00", at=sites["processor"].identifier, lots=[(PORK, 1)])
    assert epcis_capture(document=document(here), by=inspector).ok


def test_an_lgtin_urn_and_its_digital_link_are_one_lot(superuser):
    urn = event(
        "receiving", "2026-03-01T10:00:00+08:00", at=FARM, lots=[("urn:epc:class:lgtin:6901234.000001.F-0301", 1)]
    )
    assert epcis_capture(document=document(urn), by=superuser).ok
    assert list(Lot.objects.values_list("identifier", flat=True)) == [PORK]
    assert Lot.objects.get().product.gtin == "06901234000016"


def test_commissioning_codes_with_a_lot_number_binds_them_to_the_lot(superuser):
    codes = ["urn:epc:id:sgtin:6901234.000001.1001", "urn:epc:id:sgtin:6901234.000001.1002"]
    made = event(
        "commissioning",
        "2026-03-01T06:00:00+08:00",
        action="ADD",
        at=FARM,
        epcs=codes,
        ilmd={"cbvmda:lotNumber": "F-0301", "cbvmda:itemExpirationDate": "2026-03-20"},
    )
    assert epcis_capture(document=document(made), by=superuser).ok
    pork = Lot.objects.get(identifier=lot("06901234000016", "F-0301"))
    assert set(pork.codes.values_list("code", flat=True)) == set(codes)
    assert (str(pork.expiry_date), pork.producer.identifier) == ("2026-03-20", FARM)


def test_an_event_sent_again_with_an_error_declaration_marks_the_stored_one_erroneous(superuser):
    assert epcis_capture(document=document(SHIPPED), by=superuser).ok
    declared = SHIPPED | {
        "errorDeclaration": {"declarationTime": "2026-03-02T08:00:00+08:00", "reason": "incorrect_data"}
    }
    result = epcis_capture(document=document(declared), by=superuser)
    assert result.ok and result.stored == [] and len(result.declared) == 1
    assert TraceEvent.objects.get().error_declaration["reason"] == "incorrect_data"
    assert AuditEntry.objects.filter(action="trace.declare_error").count() == 1
    assert epcis_capture(document=document(declared), by=superuser).duplicates == result.declared


def test_an_event_time_with_any_offset_is_stored_as_the_same_instant(superuser):
    odd = event("shipping", "2026-03-01T08:00:00-19:14", at=FARM, lots=[(PORK, 1)])
    result = epcis_capture(document=document(odd), by=superuser)
    assert result.ok
    stored = TraceEvent.objects.get()
    assert stored.event_time.isoformat() == "2026-03-02T03:14:00+00:00"
