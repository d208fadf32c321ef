"""In a real headless Chromium on a phone: a market's officer records a batch of rapid tests, one positive,
from the business's file; the positive shows on the business's public page; a member of the public
nominates a food on 你点我检 and a second phone votes for it."""

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model

from shian.core.demo import DEMO_PASSWORD
from shian.registry.choices import MembershipRole
from shian.registry.models import Operator
from shian.registry.services import membership_grant
from shian.sampling.models import RapidTest
from shian.testing.browser import PHONE, SCREENSHOTS, fits_the_width, open_page

pytestmark = pytest.mark.browser


@pytest.fixture
def market(demo):
    """A 姑苏 demo business with demo-director as its food-safety director, no rapid tests yet."""
    operator = Operator.objects.filter(region_id="320508").order_by("id").last()
    assert not RapidTest.objects.filter(operator=operator).exists()
    director = get_user_model().objects.get(username="demo-director")
    membership_grant(operator=operator, user=director, role=MembershipRole.DIRECTOR, by=None)
    return SimpleNamespace(pk=operator.pk, name=operator.name, public_id=str(operator.public_id))


def shoot(page, name: str, too_wide: list[str]) -> None:
    if not fits_the_width(page):
        too_wide.append(f"public-{name}.png: {page.evaluate('document.documentElement.scrollWidth')} px")
    page.screenshot(path=str(SCREENSHOTS / f"sampling-{name}.png"), full_page=True)


def test_rapid_tests_from_a_phone_and_a_public_vote(live_server, market, browser):
    from playwright.sync_api import expect

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    too_wide: list[str] = []
    base = live_server.url
    phone = {"viewport": PHONE, "locale": "zh-CN"}

    # 1. The director records three rapid tests from the business's file; the second is positive.
    director = open_page(browser, **phone)
    director.goto(base + "/")
    director.locator("input[name=username]").fill("demo-director")
    director.locator("input[name=password]").fill(DEMO_PASSWORD)
    director.get_by_test_id("login-submit").click()
    director.get_by_test_id("home-business").wait_for()
    director.goto(f"{base}/operators/{market.pk}/")
    director.get_by_test_id("new-rapid-link").click()
    form = director.get_by_test_id("rapid-new")
    form.wait_for()
    for n, (product, result) in enumerate((("青菜", "negative"), ("韭菜", "positive"), ("芹菜", "negative"))):
        form.locator(f"input[name=rows-{n}-product_name]").fill(product)
        form.locator(f"select[name=rows-{n}-result]").select_option(result)
    shoot(director, "rapid-form", too_wide)
    director.get_by_test_id("rapid-record").click()
    rows = director.locator("[data-testid=rapid-table] tr[data-result]")
    expect(rows).to_have_count(3)
    expect(director.locator("[data-testid=rapid-table] tr[data-result=positive]")).to_contain_text("韭菜")

    # 2. The business's public page shows its rapid tests, the positive among them.
    public = open_page(browser, **phone)
    public.goto(f"{base}/p/{market.public_id}/")
    expect(public.get_by_test_id("public-rapid").locator("[data-result=positive]")).to_contain_text("韭菜")
    shoot(public, "public-rapid", too_wide)

    # 3. Someone nominates 豇豆 for 姑苏区 on 你点我检; a second phone votes for it.
    public.goto(f"{base}/public/vote/")
    nominate = public.get_by_test_id("nominate")
    nominate.locator("select[name=region]").select_option(label="姑苏区")
    nominate.locator("select[name=category]").select_option(label="豇豆")
    nominate.locator("input[name=phone]").fill("13912345678")
    nominate.locator("button").click()
    nomination = public.get_by_test_id("nomination").filter(has_text="豇豆")
    expect(nomination).to_have_attribute("data-votes", "1")
    neighbour = open_page(browser, **phone)
    neighbour.goto(f"{base}/public/vote/")
    neighbour.get_by_test_id("nomination").filter(has_text="豇豆").locator("input[name=phone]").fill("13800001111")
    neighbour.get_by_test_id("nomination").filter(has_text="豇豆").get_by_test_id("vote").click()
    expect(neighbour.get_by_test_id("vote-message")).to_be_visible()
    expect(neighbour.get_by_test_id("nomination").filter(has_text="豇豆")).to_have_attribute("data-votes", "2")
    shoot(neighbour, "votes", too_wide)

    for page in (director, public, neighbour):
        assert page.problems == []
    assert too_wide == []
