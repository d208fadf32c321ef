"""The inspection loop in a real headless Chromium on a phone-sized screen: an inspector inspects a business and
orders a fix, the business uploads evidence, the inspector returns it once and then accepts it, an agency head
publishes the result, and the business's public page shows it."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from shian.core.demo import DEMO_PASSWORD
from shian.core.services.calendar import holiday_notice_load
from shian.core.tests.test_evidence import photo
from shian.core.workdays import CalendarYearUnknown, add_working_days
from shian.inspection.choices import Result
from shian.inspection.models import Inspection
from shian.inspection.selectors import template_for
from shian.registry.choices import MembershipRole
from shian.registry.models import Operator
from shian.registry.services import membership_grant
from shian.testing.browser import PHONE, SCREENSHOTS, fits_the_width, log_in, open_page

pytestmark = pytest.mark.browser

WORKING_DAYS = 3


def _deadline(days: int) -> datetime.date:
    """`days` working days from today. The deadline must fall in a year the working-day calendar knows: near
    the end of a year the library may not know the next one yet, so load a minimal notice for it."""
    try:
        return add_working_days(timezone.localdate(), days)
    except CalendarYearUnknown as exc:
        holiday_notice_load(
            data={
                "year": exc.year,
                "title": f"{exc.year}年部分节假日安排（浏览器测试用）",
                "holidays": [
                    {"name": "元旦", "from": datetime.date(exc.year, 1, 1), "to": datetime.date(exc.year, 1, 1)}
                ],
            }
        )
        return add_working_days(timezone.localdate(), days)


@pytest.fixture
def shop(demo, settings, tmp_path):
    """The second demo business of 姑苏区 (the first has demo inspections), with demo-officer as its food-safety
    officer. Every database read of the test happens here, before Playwright starts its event loop."""
    settings.MEDIA_ROOT = tmp_path / "media"
    operator = Operator.objects.filter(region_id="320508").order_by("id")[1]
    assert not Inspection.objects.filter(operator=operator).exists()
    users = get_user_model().objects
    membership_grant(operator=operator, user=users.get(username="demo-officer"), role=MembershipRole.OFFICER, by=None)
    items = list(template_for(operator).items.order_by("order"))
    deadline = _deadline(WORKING_DAYS)
    with translation.override("zh-hans"):
        basic = str(Result.BASIC.label)
    return SimpleNamespace(
        pk=operator.pk,
        name=operator.name,
        public_id=str(operator.public_id),
        premises=(float(operator.latitude), float(operator.longitude)),
        partner=users.get(username="demo-inspector-2").pk,
        codes=[item.code for item in items],
        general=next(item.code for item in items if not item.key),
        deadline=deadline.isoformat(),
        basic=basic,  # 基本符合 once the catalogue has it, the English label until then
    )


def shoot(page, name: str, too_wide: list[str]) -> None:
    """A full-page screenshot; a page wider than the phone's screen is noted (asserted at the end, so that one
    layout fault does not hide what the rest of the loop would show)."""
    if not fits_the_width(page):
        too_wide.append(f"inspection-{name}.png: {page.evaluate('document.documentElement.scrollWidth')} px")
    page.screenshot(path=str(SCREENSHOTS / f"inspection-{name}.png"), full_page=True)


def log_in_business(page, base_url: str, username: str) -> None:
    page.goto(base_url + "/")
    page.get_by_test_id("login-page").wait_for()
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(DEMO_PASSWORD)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("home-business").wait_for()


def order_status(page, status: str) -> None:
    page.locator(f'[data-testid=order-status][data-status="{status}"]').wait_for()


def upload_fix_photo(page, shop, scene: str, too_wide: list[str]) -> None:
    """From the order page: the 五定 upload form, with the photo, the selfie and the phone's position."""
    from playwright.sync_api import expect

    page.get_by_test_id("upload-evidence").click()
    form = page.locator("form[enctype='multipart/form-data']")
    form.wait_for()
    taken = timezone.now()
    page.locator("input[name=file]").set_input_files(
        {"name": "fix.jpg", "mimeType": "image/jpeg", "buffer": photo(taken_at=taken, position=shop.premises)}
    )
    page.locator("input[name=face_photo]").set_input_files(
        {"name": "face.jpg", "mimeType": "image/jpeg", "buffer": photo()}
    )
    page.locator("input[name=scene]").fill(scene)
    expect(page.locator("[data-geo=latitude]")).to_have_value(f"{shop.premises[0]:.6f}")  # from the "phone's GPS"
    expect(page.locator("[data-geo=longitude]")).to_have_value(f"{shop.premises[1]:.6f}")
    expect(page.locator("[data-captured-at]")).not_to_have_value("")
    expect(page.locator("input[name=phone]")).to_have_value("13800000010")
    shoot(page, "evidence-upload", too_wide)
    form.locator("button[type=submit]").click()
    page.get_by_test_id("order-steps").wait_for()


def submit_fix(page, report: str) -> None:
    page.locator("#id_response").fill(report)
    page.get_by_test_id("submit").click()
    order_status(page, "submitted")


def test_inspect_order_a_fix_return_accept_and_publish_on_a_phone(live_server, shop, browser):
    from playwright.sync_api import expect

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    too_wide: list[str] = []
    base = live_server.url
    phone = {"viewport": PHONE, "locale": "zh-CN"}
    geo = {"permissions": ["geolocation"], "geolocation": {"latitude": shop.premises[0], "longitude": shop.premises[1]}}

    # 1–2. The inspector opens the business's file and starts an inspection with 周检查.
    inspector = open_page(browser, **phone, server_clock=True)
    log_in(inspector, base, {"username": "demo-inspector", "password": DEMO_PASSWORD})
    inspector.goto(f"{base}/operators/{shop.pk}/")
    expect(inspector.get_by_test_id("operator-name")).to_contain_text(shop.name)
    inspector.get_by_test_id("start-inspection-link").click()
    inspector.get_by_test_id("inspection-new").wait_for()
    inspector.locator(f'input[name=inspectors][value="{shop.partner}"]').check()
    shoot(inspector, "start", too_wide)
    inspector.get_by_test_id("start-inspection").click()
    inspector.get_by_test_id("finish-form").wait_for()
    inspection_url = inspector.url
    assert re.search(r"/inspections/\d+/$", inspection_url)
    expect(inspector.locator(".page-header")).to_contain_text("周检查")
    expect(inspector.get_by_test_id("answer")).to_have_count(len(shop.codes))

    # 3. Every item answered on the phone, each row swapped in place by htmx; one general item fails.
    inspector.evaluate("window.stillTheSamePage = true")
    for code in shop.codes:
        row = inspector.locator(f'[data-testid=answer][data-code="{code}"]')
        outcome = "no" if code == shop.general else "yes"
        row.locator(f'[data-outcome-choice="{outcome}"]').click()
        expect(row).to_have_attribute("data-outcome", outcome)
    failed = inspector.locator(f'[data-testid=answer][data-code="{shop.general}"]')
    failed.get_by_test_id("answer-note").fill("操作间地面有积水，地漏堵塞")
    with inspector.expect_response(lambda response: "/answers/" in response.url and response.ok):
        failed.get_by_test_id("answer-save").click()
    expect(failed.get_by_test_id("answer-note")).to_have_value("操作间地面有积水，地漏堵塞")
    assert inspector.evaluate("window.stillTheSamePage === true")
    inspector.reload()
    expect(inspector.locator('[data-testid=answer][data-outcome=""]')).to_have_count(0)
    expect(inspector.locator('[data-testid=answer][data-outcome="no"]')).to_have_count(1)
    expect(failed.get_by_test_id("answer-note")).to_have_value("操作间地面有积水，地漏堵塞")
    shoot(inspector, "answers", too_wide)

    # 4. The business's representative signs on the pad; the result is 基本符合 with a PDF record.
    inspector.locator("#id_signed_by").fill("冯安全员")
    pad = inspector.get_by_test_id("signature-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    inspector.mouse.move(box["x"] + 20, box["y"] + 40)
    inspector.mouse.down()
    for step in range(1, 11):
        inspector.mouse.move(box["x"] + 20 + step * 25, box["y"] + 40 + (step % 3) * 25, steps=3)
    inspector.mouse.up()
    expect(inspector.locator("[data-signature-value]")).to_have_value(re.compile(r"^data:image/png;base64,"))
    inspector.get_by_test_id("finish").click()
    result = inspector.locator("h1.page-title [data-result]")
    expect(result).to_have_attribute("data-result", "basic")
    expect(result).to_have_text(shop.basic)
    expect(inspector.get_by_test_id("inspection-summary")).to_contain_text("冯安全员")
    record = inspector.request.get(base + inspector.get_by_test_id("record-pdf").get_attribute("href"))
    assert record.ok and record.headers["content-type"] == "application/pdf"
    assert record.body().startswith(b"%PDF-")
    shoot(inspector, "finished", too_wide)

    # 5. A fix ordered with a deadline of three working days.
    inspector.get_by_test_id("order-fix").click()
    inspector.get_by_test_id("rectification-new").wait_for()
    inspector.locator("input[name=kind][value=deadline]").check()
    expect(inspector.locator("input[name=answers]")).to_have_count(1)
    expect(inspector.locator("input[name=answers]")).to_be_checked()
    inspector.locator("#id_requirement").fill("清理积水，疏通地漏，3个工作日内上传整改照片")
    inspector.locator("#id_working_days").fill(str(WORKING_DAYS))
    inspector.get_by_test_id("issue").click()
    order_status(inspector, "open")
    order_url = inspector.url
    order_path = re.search(r"/rectifications/\d+/$", order_url).group(0)
    expect(inspector.get_by_test_id("deadline")).to_contain_text(shop.deadline)
    notice = inspector.request.get(base + inspector.get_by_test_id("notice-pdf").get_attribute("href"))
    assert notice.ok and notice.body().startswith(b"%PDF-")
    shoot(inspector, "order", too_wide)

    # 6. The business finds the order, uploads a photo of the fix and reports it.
    business = open_page(browser, **phone, **geo, server_clock=True)
    log_in_business(business, base, "demo-officer")
    business.goto(base + "/rectifications/")
    business.locator(f'[data-testid=rectification-table] a[href="{order_path}"]').click()
    order_status(business, "open")
    expect(business.get_by_test_id("verify-form")).to_have_count(0)
    upload_fix_photo(business, shop, "整改后的操作间地面", too_wide)
    order_status(business, "open")
    expect(business.locator("[data-testid=order-evidence] a")).to_have_count(1)
    submit_fix(business, "已清理积水并疏通地漏")
    expect(business.get_by_test_id("upload-evidence")).to_have_count(0)
    shoot(business, "order-submitted", too_wide)

    # 7. The inspector returns it once; the business uploads another photo and reports again; accepted.
    inspector.goto(order_url)
    order_status(inspector, "submitted")
    expect(inspector.get_by_test_id("submit-form")).to_have_count(0)
    inspector.locator("input[name=accepted][value='0']").check()
    inspector.locator("#id_reason").fill("照片看不到地漏，请补拍")
    inspector.get_by_test_id("verify").click()
    order_status(inspector, "returned")
    shoot(inspector, "order-returned", too_wide)

    business.goto(order_url)
    order_status(business, "returned")
    expect(business.get_by_test_id("order-steps")).to_contain_text("照片看不到地漏，请补拍")
    upload_fix_photo(business, shop, "疏通后的地漏", too_wide)
    expect(business.locator("[data-testid=order-evidence] a")).to_have_count(2)
    submit_fix(business, "已补拍地漏照片")

    inspector.goto(order_url)
    order_status(inspector, "submitted")
    inspector.locator("input[name=accepted][value='1']").check()
    inspector.get_by_test_id("verify").click()
    order_status(inspector, "closed")
    steps = inspector.locator("[data-testid=order-steps] > li")
    expect(steps).to_have_count(5)
    assert [steps.nth(n).get_attribute("data-status") for n in range(5)] == [
        "open",
        "submitted",
        "returned",
        "submitted",
        "closed",
    ]
    shoot(inspector, "order-closed", too_wide)

    # 8. An agency head publishes the result (inspectors lack inspection.publish_inspection).
    head = open_page(browser, **phone, server_clock=True)
    log_in(head, base, {"username": "demo-head", "password": DEMO_PASSWORD})
    head.goto(inspection_url)
    head.get_by_test_id("publish").click()
    head.get_by_test_id("inspection-summary").wait_for()
    expect(head.get_by_test_id("publish")).to_have_count(0)
    expect(head.get_by_test_id("inspection-summary")).to_contain_text(timezone.localdate().isoformat())
    shoot(head, "published", too_wide)

    # 9. Anyone who scans the QR code sees the result and the risk grade, logged out.
    visitor = open_page(browser, **phone, server_clock=True)
    visitor.goto(f"{base}/p/{shop.public_id}/")
    expect(visitor.get_by_test_id("public-operator-name")).to_have_text(shop.name)
    published = visitor.locator("#inspections [data-result]")
    expect(published).to_have_count(1)
    expect(published).to_have_attribute("data-result", "basic")
    expect(published).to_contain_text(shop.basic)
    expect(visitor.locator("#risk-grade [data-grade]")).to_have_attribute("data-grade", re.compile(r"^[ABCD]$"))
    shoot(visitor, "public", too_wide)

    assert not too_wide, f"wider than the phone's screen ({PHONE['width']} px): {too_wide}"
    for page in (inspector, business, head, visitor):
        assert page.problems == []
