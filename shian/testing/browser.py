"""Browser-test support: Debian's Chromium (never a downloaded one) through Playwright, the demo data, and
helpers. Loaded as a pytest plugin by the root conftest; a browser test asks for the `browser` fixture."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def chromium():
    """Skip (or, with SHIAN_REQUIRE_BROWSER=1 as in CI, fail) before building any data when there is no browser."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium and fonts-noto-cjk to run the browser tests"
        if os.environ.get("SHIAN_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture
def demo(chromium, regions):
    """The demo's users and businesses; demo-inspector is an inspector of 苏州市姑苏区 with three businesses."""
    from shian.core.demo import DEMO_PASSWORD

    call_command("demo")
    return {"username": "demo-inspector", "password": DEMO_PASSWORD}


@pytest.fixture
def browser(monkeypatch, chromium, demo):
    """Headless Chromium, started once the demo data is in: no ORM call of the test may run inside
    Playwright's event loop, where Django would hand it a database connection that is never closed."""
    # Playwright's sync API runs an event loop in this thread, and Django refuses ORM calls beside a running loop.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def open_page(browser, viewport, *, server_clock: bool = False, **options):
    """A page that records script errors and CSP violations, so a test can assert there were none. With
    `server_clock`, its clock is the server's (the suite runs on a fixed date: conftest.TEST_NOW), for pages
    whose scripts send the time (the 五定 upload's capture time); Playwright's fake clock is not installed
    elsewhere, since debounced requests (htmx `delay:`) then fire late."""
    from django.utils import timezone

    context = browser.new_context(viewport=viewport, **options)
    if server_clock:
        context.clock.install(time=timezone.now())
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
