"""The sampling API: a lab system pushes results with a scoped token; everyone sees only their samples."""

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from shian.core.tests.factories import AgencyFactory, BusinessUserFactory, RegulatorFactory, region
from shian.registry.tests.factories import MembershipFactory, OperatorFactory
from shian.sampling.choices import ResultStatus, SampleStatus, Verdict
from shian.sampling.models import FoodCategory, TestResult
from shian.sampling.services import sample_record
from shian.testing.api import client_with_token

from .factories import LabFactory, LabUserFactory


@pytest.fixture(autouse=True)
def _no_throttle_counts():
    cache.clear()
    yield
    cache.clear()


def test_a_lab_system_reports_a_failing_result_and_gets_each_rows_fate(record, analyst):
    sample = record()
    lims = client_with_token(analyst, ["samples:read", "samples:results"])
    response = lims.post(
        f"/api/v1/samples/{sample.code}/results/",
        {
            "concluded_on": timezone.localdate().isoformat(),
            "results": [
                {"analyte": "苯甲酸", "value": "0.5", "unit": "g/kg", "method": "GB 5009.28"},
                {"analyte": "山梨酸", "value": "1.5", "unit": "g/kg"},
                {"analyte": "氨基酸态氮", "value": "零点八", "unit": "g/100mL"},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert [row["status"] for row in body["rows"]] == ["judged", "judged", "pending_review"]
    assert body["rows"][1]["verdict"] == "fail" and body["rows"][2]["problems"] == [
        "结果值 '零点八' 不是数字"  # in the caller's language
    ]
    assert body["sample"]["status"] == SampleStatus.TESTING  # waits for the pending row
    sorbic = next(r for r in body["sample"]["results"] if r["analyte"] == "sorbic-acid")
    assert sorbic["citation"].startswith("GB 2760-2024") and sorbic["source"] == "api"
    again = lims.post(
        f"/api/v1/samples/{sample.code}/results/",
        {
            "concluded_on": timezone.localdate().isoformat(),
            "results": [{"analyte": "氨基酸态氮", "value": "0.8", "unit": "g/100mL"}],
        },
        format="json",
    )
    assert again.status_code == 201
    assert again.json()["sample"]["verdict"] == Verdict.FAIL
    assert not TestResult.objects.filter(sample=sample, status=ResultStatus.PENDING_REVIEW).exists()


def test_a_token_without_the_results_scope_may_only_read(record, analyst):
    sample = record()
    reader = client_with_token(analyst, ["samples:read"])
    assert reader.get(f"/api/v1/samples/{sample.code}/").status_code == 200
    refused = reader.post(f"/api/v1/samples/{sample.code}/receive/")
    assert refused.status_code == 403
    assert (
        client_with_token(analyst, ["samples:results"]).post(f"/api/v1/samples/{sample.code}/receive/").status_code
        == 200
    )


def test_a_bad_request_names_the_field(record, analyst):
    sample = record()
    lims = client_with_token(analyst, ["samples:results"])
    response = lims.post(f"/api/v1/samples/{sample.code}/results/", {"results": []}, format="json")
    assert response.status_code == 400 and "results" in response.json()["error"]["details"]
    missing = lims.post(f"/api/v1/samples/{sample.code}/results/", {"results": [{"analyte": "铅"}]}, format="json")
    assert missing.status_code == 400 and "value" in missing.json()["error"]["details"]["results"]["0"]


def test_each_caller_sees_only_its_samples(record, analyst, shop, samplers):
    ours = record()
    other_shop = OperatorFactory(name="吴中超市", region=region("320506"))
    wuzhong = AgencyFactory(name="吴中区局", region=region("320506"))
    wuzhong_samplers = [RegulatorFactory(agency=wuzhong, roles=["sampling_officer"]) for _ in range(2)]
    other_lab = LabFactory(name="吴中检测所")
    theirs = sample_record(
        by=wuzhong_samplers[0],
        operator=other_shop,
        category=FoodCategory.objects.get(name="食醋", level=4),
        lab=other_lab,
        samplers=wuzhong_samplers,
        product_name="香醋",
        quantity="4瓶",
        backup_quantity="2瓶",
    )
    owner = BusinessUserFactory()
    MembershipFactory(user=owner, operator=shop)
    city = RegulatorFactory(agency=AgencyFactory(name="苏州市局", region=region("320500")), roles=["inspector"])
    seen = {
        "gusu sampler": samplers[0],
        "city": city,
        "analyst": analyst,
        "other lab": LabUserFactory(lab=other_lab),
        "owner": owner,
        "outsider": BusinessUserFactory(),
    }
    expected = {
        "gusu sampler": {ours.code},
        "city": {ours.code, theirs.code},
        "analyst": {ours.code},
        "other lab": {theirs.code},
        "owner": {ours.code},
        "outsider": set(),
    }
    for who, user in seen.items():
        client = APIClient()
        client.force_login(user)
        listed = {s["code"] for s in client.get("/api/v1/samples/").json()["results"]}
        assert listed == expected[who], who
        for sample in (ours, theirs):
            status = client.get(f"/api/v1/samples/{sample.code}/").status_code
            assert status == (200 if sample.code in expected[who] else 404), (who, sample.code)
    other_analyst = client_with_token(LabUserFactory(lab=other_lab), ["samples:results"])
    assert other_analyst.post(f"/api/v1/samples/{ours.code}/receive/").status_code == 404


def test_samples_filter_by_category_at_any_level_and_by_verdict(record, analyst, samplers):
    soy, vinegar = record("酱油"), record("食醋")
    client = APIClient()
    client.force_login(samplers[0])
    condiments = {s["code"] for s in client.get("/api/v1/samples/?category=02").json()["results"]}
    assert condiments == {soy.code, vinegar.code}
    assert [s["code"] for s in client.get("/api/v1/samples/?category=0202").json()["results"]] == [vinegar.code]
    assert client.get("/api/v1/samples/?verdict=fail").json()["results"] == []


def test_the_drawn_retest_lab_pushes_the_final_result_through_the_api(failed, samplers, owner):
    from shian.sampling.models import Retest
    from shian.sampling.services import retest_apply, retest_decide, sample_notify

    retester_lab = LabFactory(name="复检中心")
    sample_notify(sample=failed, by=samplers[0])
    retest_decide(retest=retest_apply(sample=failed, by=owner, reason="异议"), by=samplers[0], accept=True)
    lims = client_with_token(LabUserFactory(lab=retester_lab), ["samples:read", "samples:results"])
    unreadable = lims.post(
        f"/api/v1/samples/{failed.code}/results/",
        {"results": [{"analyte": "山梨酸", "value": "?", "unit": "g/kg"}]},
        format="json",
    )
    assert unreadable.status_code == 400
    done = lims.post(
        f"/api/v1/samples/{failed.code}/results/",
        {"results": [{"analyte": "山梨酸", "value": "0.8", "unit": "g/kg"}]},
        format="json",
    )
    assert done.status_code == 201, done.content
    body = done.json()
    assert body["rows"] == [{"index": 0, "status": "judged", "verdict": "pass", "problems": []}]
    assert body["sample"]["verdict"] == "fail"  # the first test's verdict stays on record
    retest = Retest.objects.get(sample=failed)
    assert retest.verdict == "pass" and any(r["retest"] == retest.pk for r in body["sample"]["results"])
