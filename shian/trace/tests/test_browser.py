"""A control order in a real headless Chromium: a regulator opens one from a suspect lot, two holders
acknowledge on their phones, the third does not, and the order's page shows who is missing."""

from types import SimpleNamespace

import pytest

from shian.core.demo import DEMO_PASSWORD
from shian.core.tests.factories import BusinessUserFactory, region
from shian.registry.tests.factories import MembershipFactory, OperatorFactory
from shian.testing.browser import DESKTOP, PHONE, SCREENSHOTS, fits_the_width, log_in, open_page
from shian.trace.choices import LocationKind
from shian.trace.models import Location

from .conftest import CATERER, PORK

pytestmark = pytest.mark.browser


@pytest.fixture
def canteen(demo, sites):
    """The caterer waiting for the pork is a canteen on the platform too."""
    operator = OperatorFactory(name="吴中职工食堂", region=region("320506"))
    return Location.objects.create(
        identifier=CATERER, kind=LocationKind.SITE, name=operator.name, operator=operator, region_id="320506"
    )


@pytest.fixture
def holders(canteen, chain, sites):
    """An officer for each of the three holders (every database read happens before the browser starts)."""
    operators = {
        "market": sites["market"].operator,
        "retailer": sites["retailer"].operator,
        "canteen": canteen.operator,
    }
    for key, operator in operators.items():
        officer = BusinessUserFactory(username=f"{key}-officer")
        officer.set_password(DEMO_PASSWORD)
        officer.save()
        MembershipFactory(user=officer, operator=operator)
    return SimpleNamespace(market="market-officer", retailer="retailer-officer")


def log_in_business(page, base_url: str, username: str) -> None:
    page.goto(base_url + "/")
    page.get_by_test_id("login-page").wait_for()
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("home-business").wait_for()


def test_a_control_order_two_holders_acknowledge_on_phones_one_does_not(live_server, holders, browser):
    from playwright.sync_api import expect

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    base, too_wide = live_server.url, []

    # 1. The 姑苏区 inspector opens a control order from the suspect pork lot.
    bureau = open_page(browser, DESKTOP, locale="zh-CN")
    log_in(bureau, base, {"username": "demo-inspector", "password": DEMO_PASSWORD})
    bureau.get_by_test_id("nav-control-list").click()
    bureau.get_by_test_id("control-new").click()
    bureau.get_by_test_id("control-codes").fill(PORK)
    bureau.locator("select[name=source]").select_option("failed_sample")
    bureau.get_by_test_id("control-reason").fill("猪肉检出克伦特罗")
    bureau.get_by_test_id("control-submit").click()
    expect(bureau.get_by_test_id("control-holder")).to_have_count(3)
    expect(bureau.get_by_test_id("control-remaining")).to_contain_text("23")
    order_url = bureau.url

    # 2. Two holders acknowledge on their phones, each seeing only its own row.
    for username in (holders.market, holders.retailer):
        phone = open_page(browser, PHONE, locale="zh-CN")
        log_in_business(phone, base, username)
        phone.goto(order_url)
        expect(phone.get_by_test_id("control-holder")).to_have_count(1)
        phone.get_by_test_id("control-acknowledge").click()
        expect(phone.get_by_test_id("holder-status")).to_have_text("已确认")
        if not fits_the_width(phone):
            too_wide.append(username)
        phone.screenshot(path=str(SCREENSHOTS / f"trace-control-{username}.png"), full_page=True)
        assert phone.problems == []

    # 3. The order's page shows the one holder that has not acknowledged.
    bureau.reload()
    expect(bureau.get_by_test_id("control-counts")).to_contain_text("1")
    expect(bureau.get_by_test_id("control-missing")).to_have_text("吴中职工食堂 · 吴中区")
    expect(bureau.locator("[data-testid=control-holder][data-status=notified]")).to_have_count(1)
    bureau.screenshot(path=str(SCREENSHOTS / "trace-control-bureau.png"), full_page=True)
    assert bureau.problems == []
    assert too_wide == []


@pytest.fixture
def receiving(demo, shop, beef):
    """A shop whose officer receives the coded beef (its quarantine paper on file with the lot)."""
    from shian.trace.models import DocumentKind

    from .conftest import quarantine

    quarantine(shop, beef)
    officer = shop[1]
    officer.set_password(DEMO_PASSWORD)
    officer.save()
    return SimpleNamespace(
        username=officer.username,
        supplier=str(shop[2].pk),
        slip=str(DocumentKind.objects.get(code="outbound-slip").pk),
    )


FAKE_CAMERA = """
window.BarcodeDetector = class {
  constructor() { this.codes = %s; }
  detect() { return Promise.resolve(this.codes.length ? [{rawValue: this.codes.shift()}] : []); }
};
navigator.mediaDevices.getUserMedia = () => Promise.resolve(document.createElement("canvas").captureStream());
"""


def test_a_shop_receives_coded_cold_chain_food_by_scanning_on_a_phone(live_server, receiving, browser):
    import json

    from playwright.sync_api import expect

    from .conftest import CODES

    phone = open_page(browser, PHONE, locale="zh-CN")
    phone.add_init_script(FAKE_CAMERA % json.dumps(CODES))  # a camera that sees the two cartons' codes
    log_in_business(phone, live_server.url, receiving.username)
    phone.goto(live_server.url + "/trace/receive/")
    phone.get_by_test_id("scan-camera").click()
    expect(phone.get_by_test_id("receive-codes")).to_have_value("\n".join(CODES))
    phone.get_by_test_id("scan-camera").click()  # stop the camera
    phone.locator("select[name=supplier]").select_option(receiving.supplier)
    phone.locator("input[name=quantity]").fill("20")
    phone.locator("input[name=unit]").fill("箱")
    phone.locator("select[name=paper0_kind]").select_option(receiving.slip)
    phone.locator("input[name=paper0_number]").fill("CK-0301")
    phone.get_by_test_id("receive-submit").click()
    expect(phone.get_by_test_id("receipt-row")).to_have_attribute("data-status", "accepted")
    assert fits_the_width(phone)
    phone.screenshot(path=str(SCREENSHOTS / "trace-receive.png"), full_page=True)
    assert phone.problems == []
