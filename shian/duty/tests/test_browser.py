"""The three Order 60 records in a real headless Chromium: the food-safety officer answers today's check on a phone,
one item fails with a 五定 photo, and signs; the director's weekly review picks the problem up from the daily
check; the county's inspector sees the business's completion rate and drills down to its records."""

import re
from types import SimpleNamespace

import pytest
from django.utils import timezone

from shian.core.demo import DEMO_PASSWORD
from shian.core.tests.test_evidence import photo
from shian.duty.choices import Frequency, ListStatus
from shian.duty.models import DailyCheck, RiskControlList
from shian.registry.models import Operator
from shian.testing.browser import DESKTOP, PHONE, SCREENSHOTS, fits_the_width, log_in, open_page

pytestmark = pytest.mark.browser

PROBLEM = "冷藏柜温度偏高"
ACTION = "已调低设定温度并转移食材"
COUNTY = "320508"


@pytest.fixture
def shop(demo, settings, tmp_path):
    """The first demo business of 姑苏区, with its list in force and four weeks of daily checks but none today. Every
    database read of the test happens here, before Playwright starts its event loop."""
    settings.MEDIA_ROOT = tmp_path / "media"
    operator = Operator.objects.filter(region_id=COUNTY).order_by("id")[0]
    today = timezone.localdate()
    assert not DailyCheck.objects.filter(operator=operator, day=today).exists()
    control_list = RiskControlList.objects.get(operator=operator, status=ListStatus.IN_FORCE)
    points = list(control_list.points.filter(frequency=Frequency.DAILY).order_by("order"))
    assert len(points) > 1
    # The item that fails is one whose "否" needs a photo, so that signing depends on the 五定 upload.
    failing = next((point for point in points if point.photo), points[0])
    return SimpleNamespace(
        pk=operator.pk,
        name=operator.name,
        premises=(float(operator.latitude), float(operator.longitude)),
        numbers=[point.number for point in points],
        failing=failing.number,
        today=today.isoformat(),
    )


def shoot(page, name: str, too_wide: list[str]) -> None:
    """A full-page screenshot; a page wider than the phone's screen is noted (asserted at the end)."""
    if page.viewport_size == PHONE and not fits_the_width(page):
        too_wide.append(f"duty-{name}.png: {page.evaluate('document.documentElement.scrollWidth')} px")
    page.screenshot(path=str(SCREENSHOTS / f"duty-{name}.png"), full_page=True)


def log_in_business(page, base_url: str, username: str) -> None:
    page.goto(base_url + "/")
    page.get_by_test_id("login-page").wait_for()
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("home-business").wait_for()


def daily_line(page, number: str):
    return page.locator(f'[data-testid=daily-line][data-number="{number}"]')


def upload_line_photo(page, shop, too_wide: list[str]) -> None:
    """From the failing line: the 五定 upload form, with the photo, the selfie and the phone's position."""
    from playwright.sync_api import expect

    daily_line(page, shop.failing).get_by_test_id("line-photo").click()
    form = page.locator("form[enctype='multipart/form-data']")
    form.wait_for()
    taken = timezone.now()
    page.locator("input[name=file]").set_input_files(
        {"name": "fridge.jpg", "mimeType": "image/jpeg", "buffer": photo(taken_at=taken, position=shop.premises)}
    )
    page.locator("input[name=face_photo]").set_input_files(
        {"name": "face.jpg", "mimeType": "image/jpeg", "buffer": photo()}
    )
    page.locator("input[name=scene]").fill(f"{shop.failing} 冷藏柜温度")
    expect(page.locator("[data-geo=latitude]")).to_have_value(f"{shop.premises[0]:.6f}")  # from the "phone's GPS"
    expect(page.locator("[data-geo=longitude]")).to_have_value(f"{shop.premises[1]:.6f}")
    expect(page.locator("[data-captured-at]")).not_to_have_value("")
    expect(page.locator("input[name=phone]")).to_have_value("13800000010")
    shoot(page, "evidence-upload", too_wide)
    form.locator("button[type=submit]").click()
    page.get_by_test_id("daily-lines").wait_for()


def test_daily_check_weekly_review_and_oversight(live_server, shop, browser):
    from playwright.sync_api import expect

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    too_wide: list[str] = []
    base = live_server.url
    phone = {"viewport": PHONE, "locale": "zh-CN"}
    geo = {"permissions": ["geolocation"], "geolocation": {"latitude": shop.premises[0], "longitude": shop.premises[1]}}

    # 1. The food-safety officer opens 我的职责 on a phone and starts today's check.
    officer = open_page(browser, **phone, **geo, server_clock=True)
    log_in_business(officer, base, "demo-officer")
    officer.goto(f"{base}/duty/")
    expect(officer).to_have_url(f"{base}/duty/{shop.pk}/")
    expect(officer.get_by_test_id("duty-daily")).to_have_attribute("data-state", "due")
    shoot(officer, "card", too_wide)
    officer.get_by_test_id("start-daily").click()
    officer.get_by_test_id("daily-lines").wait_for()
    assert re.search(r"/duty/daily/\d+/$", officer.url)
    check_url = officer.url
    expect(officer.get_by_test_id("check-state")).to_have_attribute("data-state", "draft")
    expect(officer.get_by_test_id("daily-line")).to_have_count(len(shop.numbers))

    # Every item answered, each line swapped in place by htmx (one request for the line answered); one fails.
    officer.evaluate("window.stillTheSamePage = true")
    answers: list[str] = []
    officer.on("request", lambda request: "/lines/" in request.url and answers.append(request.url))
    for number in shop.numbers:
        line = daily_line(officer, number)
        answer = "no" if number == shop.failing else "yes"
        before = len(answers)
        line.locator(f"label[data-answer={answer}]").click()
        expect(line).to_have_attribute("data-ok", answer)
        assert len(answers) - before == 1, f"answering {number} posted {len(answers) - before} lines"
    failed = daily_line(officer, shop.failing)
    failed.get_by_test_id("line-problem").fill(PROBLEM)
    failed.get_by_test_id("line-action").fill(ACTION)
    with officer.expect_response(lambda response: "/lines/" in response.url and response.ok):
        failed.get_by_test_id("line-save").click()
    expect(failed).to_have_attribute("data-ok", "no")
    expect(failed.get_by_test_id("line-problem")).to_have_value(PROBLEM)
    expect(failed.get_by_test_id("line-action")).to_have_value(ACTION)
    expect(failed.get_by_test_id("line-error")).to_have_count(0)
    assert officer.evaluate("window.stillTheSamePage === true")
    shoot(officer, "daily-answered", too_wide)

    # The 五定 photo of the problem, back to the check.
    upload_line_photo(officer, shop, too_wide)
    expect(officer).to_have_url(re.compile(re.escape(check_url)))
    expect(failed.get_by_test_id("line-evidence")).to_have_count(1)
    expect(officer.locator('[data-testid=daily-line][data-ok=""]')).to_have_count(0)
    expect(failed.get_by_test_id("line-problem")).to_have_value(PROBLEM)

    # Signed: one problem.
    officer.get_by_test_id("sign-daily").click()
    expect(officer.get_by_test_id("check-state")).to_have_attribute("data-state", "signed")
    expect(officer.get_by_test_id("sign-daily")).to_have_count(0)
    expect(failed).to_contain_text(PROBLEM)
    expect(failed.get_by_test_id("line-evidence")).to_have_count(1)
    assert fits_the_width(officer)
    shoot(officer, "daily-signed", too_wide)

    # 2. The director writes this week's review: the problem comes from today's check, with its risk point.
    director = open_page(browser, **phone)
    log_in_business(director, base, "demo-director")
    director.goto(f"{base}/duty/{shop.pk}/")
    expect(director.get_by_test_id("duty-daily")).to_have_attribute("data-state", "signed")
    director.get_by_test_id("start-weekly").click()
    director.get_by_test_id("weekly-problems").wait_for()
    assert re.search(r"/duty/weekly/\d+/$", director.url)
    expect(director.get_by_test_id("review-state")).to_have_attribute("data-state", "draft")
    from_daily = director.locator("[data-testid=weekly-problem][data-origin=daily]")
    expect(from_daily).to_have_count(1)
    expect(from_daily).to_contain_text(PROBLEM)
    expect(from_daily).to_contain_text(shop.failing)
    expect(from_daily).to_have_attribute("data-point", shop.failing)
    shoot(director, "weekly", too_wide)

    # 3. The county's inspector: the completion rates per county, then per business, then the business's records.
    inspector = open_page(browser, viewport=DESKTOP, locale="zh-CN")
    log_in(inspector, base, {"username": "demo-inspector", "password": DEMO_PASSWORD})
    inspector.goto(f"{base}/duty/oversight/")
    county = inspector.locator(f'[data-testid=oversight-row][data-key="{COUNTY}"]')
    expect(county).to_have_count(1)
    rate = county.get_by_test_id("rate-daily")
    expect(rate).to_have_text(re.compile(r"^\d+%$"))
    assert int(rate.get_attribute("data-due")) > 0
    assert int(rate.get_attribute("data-done")) > 0
    shoot(inspector, "oversight", too_wide)
    county.locator("a").first.click()
    business = inspector.locator(f'[data-testid=oversight-row][data-key="{shop.pk}"]')
    expect(business).to_contain_text(shop.name)
    expect(business.get_by_test_id("rate-daily")).to_have_text(re.compile(r"^\d+%$"))
    business.locator("a").first.click()
    records = inspector.get_by_test_id("daily-records")
    records.wait_for()
    assert re.search(rf"/duty/{shop.pk}/records/", inspector.url)
    today = records.locator("[data-testid=daily-record]").filter(has_text=shop.today)
    expect(today).to_have_count(1)
    expect(today).to_have_attribute("href", re.compile(re.escape(check_url.removeprefix(base)) + "$"))
    shoot(inspector, "records", too_wide)

    assert not too_wide, f"wider than the phone's screen ({PHONE['width']} px): {too_wide}"
    for page in (officer, director, inspector):
        assert page.problems == []
