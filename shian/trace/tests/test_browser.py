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
