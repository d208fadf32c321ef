"""The registry in a real headless Chromium on a phone-sized screen: import a small file through the web,
open an imported business's file, then its public page as someone who scanned the QR code."""

import pytest

from shian.core.tests.test_browser import (
    PHONE,
    SCREENSHOTS,
    fits_the_width,
    log_in,
    open_page,
)
from shian.registry.tests.test_import import row, write_csv

pytestmark = pytest.mark.browser


@pytest.fixture
def import_file(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    return write_csv(
        tmp_path / "姑苏区新开业.csv", [row(901, name="姑苏区新开业面馆"), row(902, name="姑苏区新开业茶饮")]
    )


def test_import_then_the_file_and_the_public_page_on_a_phone(browser, live_server, demo, import_file):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page = open_page(browser, PHONE, locale="zh-CN")
    log_in(page, live_server.url, demo)

    page.goto(live_server.url + "/operators/import/")
    page.locator("input[name=file]").set_input_files(str(import_file))
    page.get_by_role("button", name="上传并导入").click()
    page.locator('[data-testid=import-job][data-status="done"]').wait_for()
    assert "新增 2" in page.get_by_test_id("import-summary").inner_text()
    assert fits_the_width(page)
    page.screenshot(path=str(SCREENSHOTS / "import-done.png"), full_page=True)

    page.goto(live_server.url + "/operators/?q=新开业面馆")
    page.get_by_role("link", name="姑苏区新开业面馆").first.click()
    page.get_by_test_id("operator-name").wait_for()
    assert "姑苏区新开业面馆" in page.get_by_test_id("operator-name").inner_text()
    assert fits_the_width(page)
    page.screenshot(path=str(SCREENSHOTS / "operator-file.png"), full_page=True)
    public_url = page.get_by_test_id("operator-public-link").get_attribute("href")

    visitor = open_page(browser, PHONE, locale="zh-CN")
    visitor.goto(live_server.url + public_url)
    assert visitor.get_by_test_id("public-operator-name").inner_text() == "姑苏区新开业面馆"
    text = visitor.get_by_test_id("public-operator").inner_text()
    assert "餐饮服务提供者" in text and "人民路901号" in text
    assert fits_the_width(visitor)
    visitor.screenshot(path=str(SCREENSHOTS / "public-page.png"), full_page=True)
    assert page.problems == [] and visitor.problems == []
