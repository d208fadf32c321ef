"""The web console in a real headless Chromium (Debian's, never a downloaded one), against the demo data."""

import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "test-output" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(autouse=True)
def _chromium():
    """Skip (or, with SHIAN_REQUIRE_BROWSER=1 as in CI, fail) before building any data when there is no browser."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium and fonts-noto-cjk to run the browser tests"
        if os.environ.get("SHIAN_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture
def demo(regions):
    """The demo's users and businesses; demo-inspector is an inspector of 苏州市姑苏区 with three businesses."""
    from shian.core.demo import DEMO_PASSWORD

    call_command("demo")
    return {"username": "demo-inspector", "password": DEMO_PASSWORD}


@pytest.fixture
def browser(monkeypatch, demo):
    """Headless Chromium, started once the demo data is in: no ORM call of the test may run inside
    Playwright's event loop, where Django would hand it a database connection that is never closed."""
    # Playwright's sync API runs an event loop in this thread, and Django refuses ORM calls beside a running loop.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_page(browser, viewport, **options):
    """A page that records script errors and CSP violations, so a test can assert there were none."""
    context = browser.new_context(viewport=viewport, **options)
    page = context.new_page()
    page.problems = []
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    page.on("console", lambda msg: msg.type == "error" and page.problems.append(msg.text))
    return page


def log_in(page, base_url, login):
    page.goto(base_url + "/")
    page.get_by_test_id("login-page").wait_for()
    page.locator("input[name=username]").fill(login["username"])
    page.locator("input[name=password]").fill(login["password"])
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("home-regulator").wait_for()


def fits_the_width(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_an_inspector_logs_in_on_a_phone_and_switches_to_english(live_server, demo, browser):
    from playwright.sync_api import expect

    page = open_page(
        browser, PHONE, device_scale_factor=2, is_mobile=True, has_touch=True, locale="zh-CN", reduced_motion="reduce"
    )
    log_in(page, live_server.url, demo)

    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.get_by_test_id("home-pretitle")).to_contain_text("苏州市姑苏区市场监督管理局")
    expect(page.locator("h1.page-title")).to_contain_text("李检查")
    expect(page.get_by_test_id("operators-total")).to_have_text("3")
    expect(page.locator('[data-chart="chart-operators"] canvas')).to_be_visible()  # ECharts loaded lazily
    assert fits_the_width(page)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "inspector-home-zh.png", full_page=True)

    english = page.get_by_test_id("lang-en")
    expect(english).to_be_hidden()  # the menu is collapsed behind the hamburger on a phone
    page.get_by_test_id("navbar-toggler").click()
    expect(english).to_be_visible()
    english.click()

    page.get_by_test_id("home-regulator").wait_for()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("nav-operator-list")).to_have_text("Food businesses")
    expect(page.get_by_test_id("lang-en")).to_have_attribute("aria-pressed", "true")
    expect(page.locator('[data-chart="chart-operators"] canvas')).to_be_visible()
    assert fits_the_width(page)
    page.screenshot(path=SCREENSHOTS / "inspector-home-en.png", full_page=True)
    assert page.problems == []


def test_searching_the_operator_list_updates_the_rows_in_place(live_server, demo, browser):
    from playwright.sync_api import expect

    page = open_page(browser, DESKTOP, locale="zh-CN")
    log_in(page, live_server.url, demo)
    page.get_by_test_id("nav-operator-list").click()
    rows = page.get_by_test_id("operator-row")
    expect(rows).to_have_count(3)

    page.evaluate("window.stillTheSamePage = true")
    page.get_by_test_id("operator-q").fill("肉铺")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("姑苏区放心肉铺")
    expect(page).to_have_url(re.compile(r"[?&]q=%E8%82%89%E9%93%BA"))
    assert page.evaluate("window.stillTheSamePage === true")  # htmx swapped the rows; no page load
    expect(page.get_by_test_id("export-csv")).to_have_attribute("href", re.compile(r"export\.csv\?.*q=%E8%82%89"))

    page.get_by_test_id("operator-q").fill("没有这家店")
    expect(page.get_by_test_id("operator-empty")).to_be_visible()
    expect(rows).to_have_count(0)
    assert page.problems == []
