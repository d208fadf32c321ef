"""The incoming-check pages: a business receives on a phone, keeps its supplier register and sees its stock;
the bureau sees refused deliveries of its jurisdiction only."""

import pytest
from django.test import Client

from shian.trace.models import Receipt, Supplier

from .conftest import CODES, quarantine

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def signed_in(user) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


def test_a_delivery_received_on_the_form_is_checked(shop, beef):
    _operator, officer, supplier = shop
    page = signed_in(officer)
    assert page.get("/trace/receive/").status_code == 200
    form = {"codes": "", "supplier": supplier.pk, "quantity": "20", "unit": "箱", "product_name": "", "batch": ""}
    refused = page.post("/trace/receive/", form | {"codes": CODES[0]}, follow=True)
    assert "无码" not in refused.content.decode()  # it has its code …
    assert "冷库出库单 is missing" in refused.content.decode()  # … but no papers
    quarantine(shop, beef)
    slip = {"paper0_kind": "", "paper0_number": "CK-0301", "paper0_valid_until": ""}
    from shian.trace.models import DocumentKind

    slip["paper0_kind"] = DocumentKind.objects.get(code="outbound-slip").pk
    accepted = page.post("/trace/receive/", form | {"codes": "\n".join(CODES)} | slip, follow=True)
    assert "Accepted" in accepted.content.decode()
    assert list(Receipt.objects.values_list("status", flat=True).order_by("pk")) == ["refused", "accepted"]
    assert "BR-2611" in page.get("/trace/stock/").content.decode()


def test_the_form_needs_codes_or_a_product_and_batch(shop):
    _operator, officer, supplier = shop
    response = signed_in(officer).post("/trace/receive/", {"supplier": supplier.pk, "quantity": "1", "unit": "kg"})
    assert "Scan the trace codes, or give the product and its batch number." in response.content.decode()


def test_a_supplier_goes_into_the_register_with_its_licence(shop):
    officer = shop[1]
    page = signed_in(officer)
    page.post(
        "/trace/suppliers/",
        {
            "name": "苏州蔬菜批发",
            "credit_code": "",
            "licence_number": "JY1320508000002",
            "licence_valid_until": "2027-01-01",
        },
    )
    added = Supplier.objects.get(name="苏州蔬菜批发")
    assert added.documents.get().number == "JY1320508000002"
    assert "苏州蔬菜批发" in page.get("/trace/suppliers/").content.decode()


def test_the_bureau_sees_refusals_in_its_jurisdiction_only(shop, beef, inspector, other_county_inspector):
    _operator, officer, supplier = shop
    signed_in(officer).post(
        "/trace/receive/", {"codes": "", "supplier": supplier.pk, "quantity": "5", "unit": "kg", "product_name": "",
                             "batch": "", "paper0_number": ""} | {"codes": CODES[0]},
    )  # fmt: skip
    assert "苏州冷链物流有限公司" in signed_in(inspector).get("/trace/receipts/?status=refused").content.decode()
    assert "苏州冷链物流有限公司" not in signed_in(other_county_inspector).get("/trace/receipts/").content.decode()


def test_a_regulator_has_no_receiving_page(inspector):
    assert signed_in(inspector).get("/trace/receive/").status_code in (403, 404)


def test_a_ledger_uploaded_on_the_page_is_imported(shop):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from .test_ledgers import PURCHASES

    officer = shop[1]
    upload = SimpleUploadedFile("进货台账.csv", "\n".join(PURCHASES.splitlines()[:2]).encode("utf-8-sig"))
    page = signed_in(officer).post("/trace/ledgers/", {"kind": "purchases", "file": upload}, follow=True)
    assert "1 rows: 1 recorded, 0 refused." in page.content.decode()
    assert Receipt.objects.get().status == "accepted"
