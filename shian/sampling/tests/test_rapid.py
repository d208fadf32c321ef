"""Rapid tests (快检): batches recorded all or nothing, positives followed up, the 4-hour objection for farm
produce whose re-test may not be rapid, statistics, scoping and the public page."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import timezone
from rest_framework.test import APIClient

from shian.core.models import Notification
from shian.core.services.tokens import api_token_create
from shian.core.tests.factories import AgencyFactory, BusinessUserFactory, RegulatorFactory, region
from shian.registry.tests.factories import OperatorFactory
from shian.sampling.choices import RapidFollowUp, RapidResult
from shian.sampling.models import RapidTest
from shian.sampling.rules import rapid_objection_open
from shian.sampling.selectors import rapid_stats
from shian.sampling.services import rapid_follow_up, rapid_objection, rapid_tests_record

pytestmark = pytest.mark.usefixtures("english")


def row(shop, result="阴性", product="青菜", **extra):
    return {
        "operator": str(shop.pk),
        "product_name": product,
        "item": "有机磷和氨基甲酸酯类农药",
        "method": "酶抑制率法（速测卡）",
        "result": result,
        "tester": "市场检测员",
    } | extra


def test_the_objection_window_is_four_hours_for_farm_produce_only():
    tested = timezone.now()
    assert rapid_objection_open(tested_at=tested, now=tested + datetime.timedelta(hours=4), farm_produce=True)
    assert not rapid_objection_open(
        tested_at=tested, now=tested + datetime.timedelta(hours=4, seconds=1), farm_produce=True
    )
    assert not rapid_objection_open(tested_at=tested, now=tested, farm_produce=False)


def test_a_batch_is_recorded_whole_and_a_positive_is_told(shop, owner, samplers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        batch = rapid_tests_record(
            rows=[(1, row(shop)), (2, row(shop, "阳性", "韭菜", reading="62%")), (3, row(shop, "negative", "芹菜"))],
            by=samplers[0],
        )
    assert batch.problems == [] and len(batch.recorded) == 3
    assert [t.result for t in batch.recorded] == [RapidResult.NEGATIVE, RapidResult.POSITIVE, RapidResult.NEGATIVE]
    assert Notification.objects.filter(kind="sampling.rapid.positive", recipient__in=[owner, samplers[0]]).count() == 2


def test_a_bad_row_stores_nothing_and_every_bad_row_is_named(shop, samplers):
    other = OperatorFactory(name="吴中市场", region=region("320506"))
    batch = rapid_tests_record(
        rows=[
            (1, row(shop)),
            (2, row(shop, "maybe")),
            (3, row(other)),
            (4, row(shop, tested_at="2099-01-01 10:00")),
            (5, row(shop) | {"tester": ""}),
        ],
        by=samplers[0],
    )
    assert batch.recorded == [] and RapidTest.objects.count() == 0
    assert [p.split(":")[0] for p in batch.problems] == ["row 2", "row 3", "row 4", "row 5"]
    assert "neither negative" in batch.problems[0] and "no food business" in batch.problems[1]
    assert "future" in batch.problems[2] and "tester is missing" in batch.problems[3]


def test_a_positive_is_followed_up_by_a_sample_or_a_disposal(shop, samplers, record):
    positive = rapid_tests_record(rows=[(1, row(shop, "阳性", "韭菜"))], by=samplers[0]).recorded[0]
    with pytest.raises(ValidationError, match="what was disposed"):
        rapid_follow_up(test=positive, by=samplers[0], follow_up=RapidFollowUp.DISPOSED)
    with pytest.raises(ValidationError):
        rapid_follow_up(test=positive, by=samplers[0], follow_up=RapidFollowUp.SAMPLE, sample=None)
    sample = record("韭菜")
    done = rapid_follow_up(test=positive, by=samplers[0], follow_up=RapidFollowUp.SAMPLE, sample=sample)
    assert done.sample == sample and done.followed_up_at is not None
    with pytest.raises(ValidationError, match="already followed up"):
        rapid_follow_up(test=positive, by=samplers[0], follow_up=RapidFollowUp.DISPOSED, note="销毁")


def test_an_objection_within_four_hours_rules_out_a_disposal(shop, owner, samplers):
    positive = rapid_tests_record(rows=[(1, row(shop, "阳性", "豇豆"))], by=samplers[0]).recorded[0]
    with pytest.raises(ValidationError, match="Only the tested business"):
        rapid_objection(test=positive, by=BusinessUserFactory(), reason="x")
    with (
        time_machine.travel(positive.tested_at + datetime.timedelta(hours=5)),
        pytest.raises(ValidationError, match="within 4 hours"),
    ):
        rapid_objection(test=positive, by=owner, reason="速测卡过期")
    rapid_objection(test=positive, by=owner, reason="速测卡批次有问题")
    with pytest.raises(ValidationError, match="not a rapid method"):
        rapid_follow_up(test=positive, by=samplers[0], follow_up=RapidFollowUp.DISPOSED, note="销毁")


def test_statistics_count_positives_by_product_business_and_week(shop, samplers):
    market = OperatorFactory(name="姑苏农贸市场", region=shop.region)
    rows = [row(shop, "阳性", "韭菜"), row(market, "阳性", "韭菜"), row(market, "阳性", "豇豆"), row(market)]
    rapid_tests_record(rows=list(enumerate(rows, start=1)), by=samplers[0])
    stats = rapid_stats(RapidTest.objects.all())
    assert (stats["tests"], stats["positives"], stats["awaiting_follow_up"]) == (4, 3, 3)
    assert stats["by_product"][0] == {"product_name": "韭菜", "n": 2}
    assert stats["by_operator"][0]["operator__name"] == "姑苏农贸市场" and stats["by_operator"][0]["n"] == 2
    year, week, _d = timezone.localdate().isocalendar()
    assert stats["by_week"] == [{"week": f"{year}-W{week:02d}", "n": 3}]


def test_a_device_posts_a_batch_through_the_api_and_callers_see_only_theirs(shop, owner, samplers):
    _token, key = api_token_create(
        user=owner, name="市场快检仪", scopes=["rapid-tests:read", "rapid-tests:write"], days=30
    )
    device = APIClient()
    device.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    created = device.post(
        "/api/v1/rapid-tests/", {"tests": [row(shop, "阳性", "韭菜", device="KJ-01"), row(shop)]}, format="json"
    )
    assert created.status_code == 201 and len(created.json()) == 2
    bad = device.post("/api/v1/rapid-tests/", {"tests": [row(shop, "??")]}, format="json")
    assert bad.status_code == 400 and "第1行" in str(bad.json()["error"]["details"]["tests"])  # the first test
    outsider = OperatorFactory(name="别人的店", region=shop.region)
    refused = device.post("/api/v1/rapid-tests/", {"tests": [row(outsider)]}, format="json")
    assert refused.status_code == 400 and RapidTest.objects.count() == 2
    wuzhong = RegulatorFactory(agency=AgencyFactory(name="吴中区局", region=region("320506")), roles=["inspector"])
    for user, count in ((samplers[0], 2), (owner, 2), (wuzhong, 0), (BusinessUserFactory(), 0)):
        api = APIClient()
        api.force_login(user)
        assert len(api.get("/api/v1/rapid-tests/").json()["results"]) == count
    api = APIClient()
    api.force_login(samplers[0])
    assert api.get("/api/v1/rapid-tests/stats/?result=positive").json()["positives"] == 1


def test_the_pages_record_a_batch_and_the_public_page_shows_the_tests(client, shop, owner, samplers):
    client.force_login(owner)
    form = {
        "tester": "市场检测员",
        "farm_produce": "on",
        "rows-TOTAL_FORMS": "2",
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "1",
        "rows-MAX_NUM_FORMS": "1000",
        "rows-0-product_name": "韭菜",
        "rows-0-item": "有机磷",
        "rows-0-method": "速测卡",
        "rows-0-result": "positive",
        "rows-1-product_name": "",
        "rows-1-item": "有机磷和氨基甲酸酯类农药",  # an untouched row, as a browser posts it
        "rows-1-method": "酶抑制率法（速测卡）",
        "rows-1-result": "",
    }
    assert client.post(f"/sampling/rapid/new/{shop.pk}/", form).status_code == 302
    test = RapidTest.objects.get()
    page = client.get(f"/sampling/rapid/{test.pk}/").content.decode()
    assert 'data-testid="rapid-object"' in page
    client.post(f"/sampling/rapid/{test.pk}/object/", {"reason": "速测卡批次问题"})
    test.refresh_from_db()
    assert test.objected_at is not None
    client.force_login(samplers[0])
    listing = client.get("/sampling/rapid/").content.decode()
    assert 'data-testid="rapid-positives">1<' in listing
    public = client.get(f"/p/{shop.public_id}/").content.decode()
    assert 'data-testid="public-rapid"' in public and "韭菜" in public


def test_the_command_imports_a_file_all_or_nothing(shop, samplers, tmp_path, capsys):
    path = tmp_path / "rapid.csv"
    header = "经营主体,样品名称,检测项目,检测方法,检测结果,检测人员,检测时间\n"
    path.write_text(
        header + f"{shop.pk},韭菜,有机磷,速测卡,阳性,张三,2026-03-02 08:00\n{shop.pk},芹菜,有机磷,速测卡,阴性,张三,\n",
        encoding="utf-8",
    )
    call_command("sampling", "import-rapid", str(path), "--as", samplers[0].username)
    assert "2 rapid tests recorded, 1 positive" in capsys.readouterr().out
    path.write_text(
        header + f"{shop.pk},韭菜,有机磷,速测卡,阳性,张三,\n{shop.pk},芹菜,有机磷,速测卡,?,张三,\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match="nothing was recorded"):
        call_command("sampling", "import-rapid", str(path), "--as", samplers[0].username)
    assert RapidTest.objects.count() == 2


def test_the_rapid_test_list_exports_what_the_user_may_see(client, shop, owner, samplers):
    rapid_tests_record(rows=[(1, row(shop, "阳性", "韭菜")), (2, row(shop))], by=samplers[0])
    client.force_login(samplers[0])
    csv = b"".join(client.get("/sampling/rapid/export.csv?result=positive").streaming_content).decode("utf-8-sig")
    lines = csv.splitlines()
    assert lines[0].startswith("经营主体,经营主体名称") and len(lines) == 2 and "韭菜" in lines[1]
    wuzhong = RegulatorFactory(agency=AgencyFactory(name="吴中区局", region=region("320506")), roles=["inspector"])
    for user, expected in ((owner, 3), (wuzhong, 1), (BusinessUserFactory(), 1)):
        client.force_login(user)
        exported = b"".join(client.get("/sampling/rapid/export.csv").streaming_content).decode("utf-8-sig")
        assert len(exported.splitlines()) == expected
