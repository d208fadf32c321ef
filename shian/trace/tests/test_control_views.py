"""The control-order pages: a regulator opens one from a lot; a holder sees only its own rows and acknowledges."""

import pytest
from django.test import Client

from shian.core.tests.factories import BusinessUserFactory
from shian.registry.tests.factories import MembershipFactory
from shian.trace.models import ControlOrder

from .conftest import PORK

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def signed_in(user) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(user)
    return client


@pytest.fixture
def market_officer(sites):
    user = BusinessUserFactory(username="market-officer")
    MembershipFactory(user=user, operator=sites["market"].operator)
    return user


def test_a_regulator_opens_an_order_from_a_lot_and_sees_who_has_not_acknowledged(chain, inspector, market_officer):
    page = signed_in(inspector)
    response = page.post(
        "/trace/control/new/", {"codes": PORK, "source": "failed_sample", "reason": "检出瘦肉精", "sample_code": ""}
    )
    order = ControlOrder.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/trace/control/{order.pk}/"
    detail = page.get(response["Location"]).content.decode()
    assert "3 of 3 holders not acknowledged" in detail and "吴中农贸市场" in detail
    assert order.number in page.get("/trace/control/").content.decode()


def test_an_unknown_lot_is_a_form_error_and_nothing_is_opened(chain, inspector):
    response = signed_in(inspector).post(
        "/trace/control/new/", {"codes": "no-such-lot", "source": "finding", "reason": "x"}
    )
    assert response.status_code == 200 and "no lot or trace code no-such-lot is known" in response.content.decode()
    assert not ControlOrder.objects.exists()


def test_a_holder_sees_only_its_own_row_and_acknowledges(chain, inspector, market_officer):
    signed_in(inspector).post("/trace/control/new/", {"codes": PORK, "source": "finding", "reason": "x"})
    order = ControlOrder.objects.get()
    page = signed_in(market_officer)
    detail = page.get(f"/trace/control/{order.pk}/").content.decode()
    assert "吴中农贸市场" in detail and "吴中超市" not in detail
    mine = order.holders.get(location__name="吴中农贸市场")
    page.post(f"/trace/control/{order.pk}/holders/{mine.pk}/acknowledge/")
    mine.refresh_from_db()
    assert mine.status == "acknowledged"
    theirs = order.holders.get(location__name="吴中超市")
    page.post(f"/trace/control/{order.pk}/holders/{theirs.pk}/acknowledge/")
    theirs.refresh_from_db()
    assert theirs.status == "notified"


def test_the_closure_report_downloads_as_pdf(chain, inspector):
    page = signed_in(inspector)
    page.post("/trace/control/new/", {"codes": PORK, "source": "finding", "reason": "x"})
    response = page.get(f"/trace/control/{ControlOrder.objects.get().pk}/report.pdf")
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")


def test_a_business_that_holds_nothing_does_not_see_the_order(chain, inspector, sites):
    signed_in(inspector).post("/trace/control/new/", {"codes": PORK, "source": "finding", "reason": "x"})
    outsider = BusinessUserFactory()
    MembershipFactory(user=outsider, operator=sites["wholesaler"].operator)
    assert signed_in(outsider).get(f"/trace/control/{ControlOrder.objects.get().pk}/").status_code == 404
