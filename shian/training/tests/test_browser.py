"""Training in a real headless Chromium on a phone-sized screen: an inspector assigns a spot test, the business's
officer starts and answers it, sees the score and the right answers, and the public page shows the masked result."""

import datetime

import pytest
from django.urls import reverse

from shian.core.choices import Role
from shian.core.tests.factories import DEMO_PASSWORD, AgencyFactory, BusinessUserFactory, RegulatorFactory, region
from shian.duty.services.staffing import appointment_make
from shian.registry.models import Staff
from shian.registry.tests.factories import MembershipFactory, OperatorFactory
from shian.testing.browser import CHROMIUM, CHROMIUM_ARGS, PHONE, SCREENSHOTS, fits_the_width, open_page
from shian.training.services import questions_load

from .conftest import bank_data

pytestmark = pytest.mark.browser


@pytest.fixture
def scene(chromium, regions, settings):
    """A restaurant with an appointed officer, its officer user, an inspector of its county, the small bank. Every
    database write happens here, before Playwright starts its event loop."""
    settings.SHIAN_TRAINING = {**settings.SHIAN_TRAINING, "QUESTIONS": 6}
    questions_load(data=bank_data())
    restaurant = OperatorFactory(name="姑苏面馆", category="catering", region=region("320508"))
    officer = BusinessUserFactory(username="mian-officer", roles=[Role.OFFICER])
    MembershipFactory(operator=restaurant, user=officer, role="officer")
    person = Staff.objects.create(operator=restaurant, name="李安全", role="officer")
    appointment_make(operator=restaurant, staff=person, role="officer", appointed_on=datetime.date(2026, 1, 5), by=None)
    inspector = RegulatorFactory(
        username="gusu-inspector", agency=AgencyFactory(name="姑苏区市场监督管理局", region=region("320508"))
    )
    return {"operator": restaurant, "officer": officer, "inspector": inspector, "person": person}


@pytest.fixture
def phone_browser(monkeypatch, scene):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def sign_in(page, base_url, username, landing):
    page.goto(base_url + "/")
    page.get_by_test_id("login-page").wait_for()
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id(landing).wait_for()


def test_a_spot_test_assigned_taken_and_published_on_a_phone(live_server, scene, phone_browser):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    operator = scene["operator"]

    inspector = open_page(phone_browser, PHONE)
    sign_in(inspector, live_server.url, "gusu-inspector", "home-regulator")
    inspector.goto(f"{live_server.url}{reverse('training-spot')}?q=面馆")
    inspector.get_by_test_id("operator-found").click()
    inspector.get_by_test_id("assign-form").locator("input[type=checkbox]").check()
    inspector.get_by_test_id("assign").click()
    inspector.get_by_test_id("spot-row").wait_for()
    assert fits_the_width(inspector)
    inspector.screenshot(path=SCREENSHOTS / "training-spot-phone.png", full_page=True)

    officer = open_page(phone_browser, PHONE)
    sign_in(officer, live_server.url, "mian-officer", "home-business")
    officer.get_by_test_id("home-spot-test").click()
    officer.get_by_test_id("start-spot").click()
    questions = officer.get_by_test_id("question")
    questions.first.wait_for()
    assert questions.count() == 6
    for i in range(questions.count()):
        questions.nth(i).locator("input").first.check()
    assert fits_the_width(officer)
    officer.screenshot(path=SCREENSHOTS / "training-exam-phone.png", full_page=True)
    officer.get_by_test_id("submit-exam").click()
    officer.get_by_test_id("exam-score").wait_for()
    assert officer.get_by_test_id("review-line").count() == 6
    assert officer.get_by_test_id("question-explanation").count() == 6
    assert fits_the_width(officer)
    officer.screenshot(path=SCREENSHOTS / "training-result-phone.png", full_page=True)

    officer.goto(f"{live_server.url}{reverse('training-home')}")
    officer.get_by_test_id("spot-result").wait_for()
    assert fits_the_width(officer)
    officer.screenshot(path=SCREENSHOTS / "training-home-phone.png", full_page=True)

    public = open_page(phone_browser, PHONE)
    public.goto(f"{live_server.url}{reverse('public-operator', args=[operator.public_id])}")
    public.get_by_test_id("public-spot-test").wait_for()
    assert public.get_by_test_id("public-spot-name").inner_text() == "李*"
    assert "李安全" not in public.content()
    public.get_by_test_id("public-spot-tests").screenshot(path=SCREENSHOTS / "training-public-phone.png")
    assert not inspector.problems and not officer.problems and not public.problems
