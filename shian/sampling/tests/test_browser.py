"""Sampling in a real headless Chromium on a phone: a sampling officer records a sample on the form, the lab's
system posts a failing result through the API, the officer serves the result, the business reads the notice
and applies for a re-test, and the public list of results shows the failure."""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from shian.core.demo import DEMO_PASSWORD
from shian.core.services.tokens import api_token_create
from shian.registry.choices import MembershipRole
from shian.registry.models import Operator
from shian.registry.services import membership_grant
from shian.sampling.models import Sample
from shian.testing.browser import PHONE, SCREENSHOTS, fits_the_width, log_in, open_page

pytestmark = pytest.mark.browser


@pytest.fixture
def shop(demo):
    """A 吴中 demo business without samples, demo-officer as its food-safety officer, and a token for demo-lab's
    results: every database read of the test happens here, before Playwright starts its event loop."""
    operator = Operator.objects.filter(region_id="320506").order_by("id").last()
    assert not Sample.objects.filter(operator=operator).exists()
    users = get_user_model().objects
    membership_grant(operator=operator, user=users.get(username="demo-officer"), role=MembershipRole.OFFICER, by=None)
    _token, key = api_token_create(
        user=users.get(username="demo-lab"), name="LIMS", scopes=["samples:read", "samples:results"], days=30
    )
    return SimpleNamespace(pk=operator.pk, name=operator.name, public_id=str(operator.public_id), lims_key=key)


def shoot(page, name: str, too_wide: list[str]) -> None:
    if not fits_the_width(page):
        too_wide.append(f"sampling-{name}.png: {page.evaluate('document.documentElement.scrollWidth')} px")
    page.screenshot(path=str(SCREENSHOTS / f"sampling-{name}.png"), full_page=True)


def test_sample_failing_result_notice_retest_and_public_list_on_a_phone(live_server, shop, browser):
    from playwright.sync_api import expect

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    too_wide: list[str] = []
    base = live_server.url
    phone = {"viewport": PHONE, "locale": "zh-CN"}

    # 1. The sampling officer takes a sample of soy sauce with 孙抽检 and records the sampling form.
    officer = open_page(browser, **phone)
    log_in(officer, base, {"username": "demo-sampling-officer", "password": DEMO_PASSWORD})
    officer.goto(f"{base}/operators/{shop.pk}/")
    officer.get_by_test_id("new-sample-link").click()
    form = officer.get_by_test_id("sample-new")
    form.wait_for()
    form.locator("select[name=category]").select_option(label="酱油")
    form.locator("input[name=product_name]").fill("红烧酱油")
    form.locator("input[name=brand]").fill("老字号")
    form.locator("input[name=quantity]").fill("4瓶")
    form.locator("input[name=backup_quantity]").fill("2瓶")
    form.locator("select[name=lab]").select_option(label="苏州市食品检验检测中心")
    form.get_by_label("孙抽检").check()
    shoot(officer, "form", too_wide)
    officer.get_by_test_id("record-sample").click()
    code = officer.get_by_test_id("sample-code").inner_text().strip()
    expect(officer.get_by_test_id("sample-status")).to_have_attribute("data-status", "sampled")
    sample_url = officer.url

    # 2. The lab's system reports the results through the API: sorbic acid 1.3 g/kg against 1.0.
    lims = browser.new_context()
    response = lims.request.post(
        f"{base}/api/v1/samples/{code}/results/",
        headers={"Authorization": f"Token {shop.lims_key}"},
        data={
            "concluded_on": timezone.localdate().isoformat(),
            "results": [
                {"analyte": "苯甲酸", "value": "未检出", "unit": "g/kg"},
                {"analyte": "山梨酸", "value": "1.3", "unit": "g/kg", "method": "GB 5009.28"},
                {"analyte": "氨基酸态氮", "value": "0.85", "unit": "g/100mL"},
            ],
        },
    )
    assert response.status == 201, response.text()
    assert response.json()["sample"]["verdict"] == "fail"

    # 3. The officer sees the failure with the standard cited and serves the result on the business.
    officer.goto(sample_url)
    expect(officer.get_by_test_id("sample-status")).to_have_attribute("data-status", "failed")
    expect(officer.locator("[data-testid=results-table] tr[data-verdict=fail]")).to_contain_text("GB 2760-2024")
    officer.get_by_test_id("serve-notice").click()
    expect(officer.get_by_test_id("notice-pdf")).to_be_visible()
    shoot(officer, "failed", too_wide)

    # 4. The business finds the sample, reads the notice and applies for a re-test.
    business = open_page(browser, **phone)
    log_in_business(business, base)
    business.goto(f"{base}/sampling/samples/")
    business.locator(f'[data-testid=sample-table] tr[data-code="{code}"] a').click()
    notice = business.request.get(base + business.get_by_test_id("notice-pdf").get_attribute("href"))
    assert notice.ok and notice.body().startswith(b"%PDF-")
    business.get_by_test_id("retest-apply").locator("textarea[name=reason]").fill("对山梨酸检验结果有异议，申请复检")
    business.get_by_test_id("retest-apply-submit").click()
    expect(business.get_by_test_id("retest")).to_contain_text("对山梨酸检验结果有异议")
    shoot(business, "retest", too_wide)

    # 5. Anyone sees the failure in the public list of sampling results.
    public = open_page(browser, **phone)
    public.goto(f"{base}/public/sampling/?verdict=fail")
    row = public.locator("[data-testid=public-sampling-table] tr", has_text="红烧酱油")
    expect(row.locator("[data-verdict=fail]")).to_be_visible()
    shoot(public, "public", too_wide)

    for page in (officer, business, public):
        assert page.problems == []
    assert too_wide == []


def log_in_business(page, base_url: str) -> None:
    page.goto(base_url + "/")
    page.get_by_test_id("login-page").wait_for()
    page.locator("input[name=username]").fill("demo-officer")
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("home-business").wait_for()
