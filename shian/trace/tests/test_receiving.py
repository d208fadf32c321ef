"""Incoming checks (进货查验): the 无码 refusal, papers checked for validity, accepted deliveries on the trace."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from shian.core.models import LedgerEntry, Notification
from shian.core.tests.factories import region
from shian.registry.tests.factories import OperatorFactory
from shian.trace.models import ProductClass, Supplier, TraceEvent
from shian.trace.services import epcis_capture, operator_site
from shian.trace.services.receiving import PaperIn, local_lot, receipt_record

from .builders import document, event
from .conftest import BEEF, CODES, TODAY, kind, quarantine, slip

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def receive(shop, beef, **kwargs):
    operator, officer, supplier = shop
    values = {
        "quantity": Decimal(20),
        "unit": "箱",
        "received_at": datetime.datetime(2026, 3, 2, 9, tzinfo=datetime.UTC),
    }
    return receipt_record(operator=operator, supplier=supplier, lot=beef, by=officer, **(values | kwargs))


def test_imported_cold_chain_food_without_its_trace_code_is_refused_and_the_bureau_told(
    shop, beef, inspector, django_capture_on_commit_callbacks
):
    quarantine(shop, beef)
    with django_capture_on_commit_callbacks(execute=True):
        refused = receive(shop, beef, papers=[slip()])
    assert refused.status == "refused" and refused.event is None
    assert refused.problems == ["无码不准经营: 进口冷链食品 must come with its trace code"]
    assert Notification.objects.filter(recipient=inspector, kind="trace.receipt.refused").exists()
    assert not TraceEvent.objects.filter(biz_step="receiving").exists()


def test_with_its_codes_and_papers_the_delivery_is_accepted_onto_the_trace(shop, beef):
    quarantine(shop, beef)  # the first point's certificate, kept with the lot for every buyer
    accepted = receive(shop, beef, codes=CODES, papers=[slip()])
    assert (accepted.status, accepted.problems) == ("accepted", [])
    received = accepted.event
    assert received.biz_step == "receiving" and received.biz_location.operator == shop[0]
    assert {i.code.code for i in received.items.exclude(code=None)} == set(CODES)
    assert received.documents == [{"type": "desadv", "id": "urn:shian:doc:outbound-slip:CK-0301"}]
    assert received.source.name == "苏州冷链物流有限公司"


def test_a_paper_missing_or_out_of_date_is_a_reason_each(shop, beef):
    quarantine(shop, beef, valid_until=TODAY - datetime.timedelta(days=1))
    refused = receive(shop, beef, codes=CODES)
    assert refused.problems == [
        "入境货物检验检疫证明 310000226000123 is not valid on 2026-03-02",
        "冷库出库单 is missing",
    ]


def test_a_code_not_on_the_trace_or_of_another_lot_is_refused(shop, beef, superuser):
    quarantine(shop, beef)
    refused = receive(shop, beef, codes=["urn:epc:id:sgtin:6901234.000005.7777"], papers=[slip()])
    assert refused.problems == ["trace code urn:epc:id:sgtin:6901234.000005.7777 is not registered on the trace"]


def test_papers_handed_over_are_kept_with_their_hash_on_the_ledger(shop, beef):
    quarantine(shop, beef)
    scan = SimpleUploadedFile("slip.pdf", b"%PDF-1.4 slip", content_type="application/pdf")
    paper = PaperIn(kind=kind("outbound-slip"), number="CK-0302", issued_on=TODAY, file=scan)
    accepted = receive(shop, beef, codes=CODES, papers=[paper])
    kept = accepted.documents.get()
    assert len(kept.sha256) == 64 and kept.receipt == accepted
    assert LedgerEntry.objects.get(kind="trace.document").payload["sha256"] == kept.sha256


def test_a_batch_without_gs1_codes_is_one_lot_for_every_buyer_of_the_supplier(shop, rules):
    supplier = shop[2]
    other = OperatorFactory(name="姑苏小饭馆", region=region("320508"))
    theirs = Supplier.objects.create(operator=other, name="苏州冷链物流有限公司", credit_code=supplier.credit_code)
    prepackaged = ProductClass.objects.get(code="prepackaged")
    ours = local_lot(supplier=supplier, product_name="酱油", batch="20260301", product_class=prepackaged)
    assert local_lot(supplier=theirs, product_name="酱油", batch="20260301", product_class=prepackaged) == ours


def test_a_supplier_of_another_business_is_refused(shop, beef):
    operator, officer, _supplier = shop
    stranger = Supplier.objects.create(operator=OperatorFactory(), name="别家供货商")
    with pytest.raises(ValidationError):
        receipt_record(operator=operator, supplier=stranger, lot=beef, quantity=Decimal(1), unit="箱", by=officer)


def test_stock_on_hand_follows_the_trace_and_expiring_lots_are_announced(
    shop, beef, superuser, django_capture_on_commit_callbacks
):
    from shian.core.ticks import tick
    from shian.trace.selectors.stock import stock_on_hand

    quarantine(shop, beef)
    beef.expiry_date = TODAY + datetime.timedelta(days=5)
    beef.save()
    receive(shop, beef, codes=CODES, papers=[slip()])
    site = shop[0].trace_locations.get().identifier
    sold = event("retail_selling", "2026-03-02T12:00:00+08:00", at=site, lots=[(BEEF, 8, "CT")])
    assert epcis_capture(document=document(sold), by=superuser).ok
    (row,) = [r for r in stock_on_hand(shop[0]) if r["unit"] == "CT"]
    assert (row["lot"], row["on_hand"], row["days_left"]) == (beef, Decimal(12), 5)
    with django_capture_on_commit_callbacks(execute=True):
        tick()
        tick()
    told = Notification.objects.filter(kind="trace.expiry", recipient=shop[1])
    assert told.count() == 1 and "2026-03-07" in told.get().title


def test_the_supplier_register_grades_from_the_record(shop, beef):
    from shian.trace.selectors.stock import supplier_register

    (supplier,) = supplier_register(shop[0])
    assert supplier.grade == "A"
    receive(shop, beef)  # refused: no code, no papers
    (supplier,) = supplier_register(shop[0])
    assert (supplier.refusals, supplier.grade) == (1, "B")
    receive(shop, beef)
    assert supplier_register(shop[0])[0].grade == "C"


def test_a_receipt_captured_without_the_code_its_class_requires_is_refused_and_reported(
    shop, beef, superuser, inspector, django_capture_on_commit_callbacks
):
    site = operator_site(shop[0])
    uncoded = event("receiving", "2026-03-02T09:00:00+08:00", at=site.identifier, lots=[(BEEF, 20, "CT")])
    with django_capture_on_commit_callbacks(execute=True):
        result = epcis_capture(document=document(uncoded), by=superuser)
    assert [(e.event, e.path) for e in result.errors] == [(0, "epcList")]
    assert "无码不准经营" in result.errors[0].message
    assert Notification.objects.filter(recipient=inspector, kind="trace.uncoded").exists()
    coded = event("receiving", "2026-03-02T09:00:00+08:00", at=site.identifier, epcs=CODES)
    assert epcis_capture(document=document(coded), by=superuser).ok


@pytest.mark.parametrize(
    ("refusals", "failed", "licence_days", "grade"),
    [(0, 0, 365, "A"), (1, 0, 365, "B"), (0, 0, 10, "B"), (2, 0, 365, "C"), (0, 1, 365, "C"), (0, 0, -1, "C"),
     (0, 0, None, "C")],
)  # fmt: skip
def test_a_supplier_grade_follows_its_record(refusals, failed, licence_days, grade):
    from shian.trace.rules import supplier_grade

    assert supplier_grade(refusals_last_year=refusals, failed_samples=failed, licence_left_days=licence_days) == grade
