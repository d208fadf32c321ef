"""Inspection and rectification pages, their PDFs and API: what each user may see and do."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from shian.core.services.tokens import api_token_create
from shian.core.tests.factories import AgencyFactory, BusinessUserFactory, RegulatorFactory, region
from shian.core.tests.test_evidence import PREMISES, photo
from shian.inspection.choices import RectificationKind, RectificationStatus
from shian.inspection.services import (
    inspection_answer,
    inspection_finish,
    inspection_start,
    order_evidence,
    rectification_issue,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(checklists, inspectors, operator, owner):
    """A finished 基本符合 inspection with one failed general item and a deadline order."""
    inspection = inspection_start(operator=operator, by=inspectors[0], inspectors=[inspectors[1]])
    answers = list(inspection.answers.select_related("item", "inspection"))
    general = next(a for a in answers if not a.item.key)
    for answer in answers:
        inspection_answer(answer=answer, by=inspectors[0], outcome="no" if answer == general else "yes")
    inspection = inspection_finish(
        inspection=inspection, by=inspectors[0], signed_by="店主", signature="data:image/png;base64,AA=="
    )
    order = rectification_issue(
        inspection=inspection,
        by=inspectors[0],
        kind=RectificationKind.DEADLINE,
        answers=[inspection.answers.get(pk=general.pk)],
        requirement="限期整改",
        working_days=5,
    )
    return inspection, order


@pytest.fixture
def outsider(db):
    return RegulatorFactory(username="outsider", agency=AgencyFactory(region=region("320506")))


def test_an_inspector_answers_items_on_the_phone_page(client, checklists, inspectors, operator):
    inspection = inspection_start(operator=operator, by=inspectors[0], inspectors=[inspectors[1]])
    answer = inspection.answers.first()
    client.force_login(inspectors[1])
    page = client.get(reverse("inspection-detail", args=[inspection.pk]))
    assert page.status_code == 200 and b"data-signature-pad" in page.content
    url = reverse("inspection-answer", args=[inspection.pk, answer.pk])
    row = client.post(url, {"outcome": "no", "note": "地面积水"}, headers={"HX-Request": "true"})
    assert row.status_code == 200 and b'data-outcome="no"' in row.content
    answer.refresh_from_db()
    assert answer.outcome == "no" and answer.note == "地面积水"


def test_someone_not_on_the_inspection_cannot_answer(client, checklists, inspectors, operator, gusu):
    inspection = inspection_start(operator=operator, by=inspectors[0], inspectors=[inspectors[1]])
    colleague = RegulatorFactory(username="colleague", agency=gusu)
    client.force_login(colleague)
    url = reverse("inspection-answer", args=[inspection.pk, inspection.answers.first().pk])
    assert client.post(url, {"outcome": "yes"}).status_code == 403


def test_finishing_without_a_signature_shows_the_error(client, checklists, inspectors, operator):
    inspection = inspection_start(operator=operator, by=inspectors[0], inspectors=[inspectors[1]])
    for answer in inspection.answers.select_related("item", "inspection"):
        inspection_answer(answer=answer, by=inspectors[0], outcome="yes")
    client.force_login(inspectors[0])
    response = client.post(reverse("inspection-finish", args=[inspection.pk]), {"signed_by": ""})
    assert response.status_code == 400 and b'data-field="signed_by"' in response.content
    response = client.post(reverse("inspection-finish", args=[inspection.pk]), {"refused": "on", "witness": "网格员"})
    assert response.status_code == 302
    inspection.refresh_from_db()
    assert inspection.refused and inspection.result == "compliant"


def test_pages_and_pdfs_are_scoped(client, finished, outsider, inspectors, owner):
    inspection, order = finished
    urls = [
        reverse("inspection-detail", args=[inspection.pk]),
        reverse("inspection-record-pdf", args=[inspection.pk]),
        reverse("rectification-detail", args=[order.pk]),
        reverse("rectification-notice-pdf", args=[order.pk]),
    ]
    client.force_login(outsider)
    assert [client.get(url).status_code for url in urls] == [404, 404, 404, 404]
    assert b'data-testid="inspection-table"' in client.get(reverse("inspection-list")).content
    assert inspection.operator.name.encode() not in client.get(reverse("inspection-list")).content
    client.force_login(owner)
    assert [client.get(url).status_code for url in urls] == [200, 200, 200, 200]
    assert client.get(urls[1]).content.startswith(b"%PDF")
    stranger = BusinessUserFactory(username="stranger")
    client.force_login(stranger)
    assert [client.get(url).status_code for url in urls] == [404, 404, 404, 404]


def test_the_business_reports_and_the_inspector_returns_through_the_pages(
    client, finished, inspectors, owner, photo_of
):
    _inspection, order = finished
    client.force_login(owner)
    detail = client.get(reverse("rectification-detail", args=[order.pk]))
    assert b'data-testid="submit-form"' in detail.content and b'data-testid="verify-form"' not in detail.content
    photo_of(owner, order.operator, subject=order)
    client.post(reverse("rectification-submit", args=[order.pk]), {"response": "已整改"})
    order.refresh_from_db()
    assert order.status == RectificationStatus.SUBMITTED
    # a business user cannot give the verdict
    assert client.post(reverse("rectification-verify", args=[order.pk]), {"accepted": "1"}).status_code == 403
    client.force_login(inspectors[0])
    client.post(reverse("rectification-verify", args=[order.pk]), {"accepted": "0", "reason": "照片模糊"})
    order.refresh_from_db()
    assert order.status == RectificationStatus.RETURNED and order.verdict_reason == "照片模糊"


def test_the_evidence_page_binds_a_photo_to_the_order(client, finished, owner, media):
    _inspection, order = finished
    client.force_login(owner)
    detail = reverse("rectification-detail", args=[order.pk])
    url = reverse("evidence-upload") + f"?subject=inspection.rectification:{order.pk}&next={detail}"
    assert client.get(url).status_code == 200
    taken = timezone.localtime().replace(second=0, microsecond=0) - datetime.timedelta(minutes=5)
    response = client.post(
        url,
        {
            "file": SimpleUploadedFile("fix.jpg", photo(taken_at=taken, position=PREMISES), "image/jpeg"),
            "face_photo": SimpleUploadedFile("face.jpg", photo(), "image/jpeg"),
            "scene": "整改后的操作间",
            "phone": owner.phone,
            "captured_at": taken.strftime("%Y-%m-%dT%H:%M"),
            "latitude": PREMISES[0],
            "longitude": PREMISES[1],
            "operator": order.operator_id,
        },
    )
    assert response.status_code == 302 and response["Location"] == detail
    assert [e.scene for e in order_evidence(order)] == ["整改后的操作间"]
    assert client.get(reverse("evidence-upload") + "?subject=inspection.rectification:999999").status_code == 404
    assert client.get(reverse("evidence-upload") + "?subject=core.user:1").status_code == 404


def test_the_file_page_shows_grade_and_inspections(client, finished, inspectors):
    inspection, _order = finished
    client.force_login(inspectors[0])
    page = client.get(reverse("operator-detail", args=[inspection.operator_id])).content
    assert b'data-testid="file-inspections"' in page and b'data-testid="file-open-order"' in page


def test_the_api_lists_what_the_caller_may_see(client, finished, outsider, inspectors):
    inspection, order = finished
    client.force_login(inspectors[0])
    listed = client.get("/api/v1/inspections/").json()["results"]
    assert [row["id"] for row in listed] == [inspection.pk]
    detail = client.get(f"/api/v1/inspections/{inspection.pk}/").json()
    assert detail["result"] == "basic" and any(a["outcome"] == "no" for a in detail["answers"])
    orders = client.get("/api/v1/rectifications/?status=open").json()["results"]
    assert [row["id"] for row in orders] == [order.pk] and orders[0]["items"]
    measures = client.get("/api/v1/inspections/measures/").json()
    assert measures["results"]["basic"] == 1 and measures["orders"] == 1
    client.force_login(outsider)
    assert client.get("/api/v1/inspections/").json()["results"] == []
    assert client.get(f"/api/v1/inspections/{inspection.pk}/").status_code == 404
    assert client.get("/api/v1/inspections/measures/").json()["inspections"] == 0


def test_a_token_needs_the_inspections_scope(client, finished, inspectors):
    _token, key = api_token_create(user=inspectors[0], name="t", scopes=["operators:read"], days=30)
    headers = {"Authorization": f"Token {key}"}
    assert client.get("/api/v1/inspections/", headers=headers).status_code == 403
    _token, key = api_token_create(user=inspectors[0], name="t2", scopes=["inspections:read"], days=30)
    assert client.get("/api/v1/inspections/", headers={"Authorization": f"Token {key}"}).status_code == 200
