"""The web console in a real headless Chromium (Debian's, never a downloaded one), against the demo data."""

import re

import pytest

from shian.testing.browser import DESKTOP, PHONE, SCREENSHOTS, fits_the_width, log_in, open_page

pytestmark = pytest.mark.browser


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
    page.wait_for_load_state()  # htmx is deferred: rows can show before it binds the search box

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
