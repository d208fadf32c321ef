"""The sampling pages: each party sees its samples and the next step it may take; the public sees published
results only."""

import datetime
import io

import pytest
from django.utils import timezone

from shian.core.tests.factories import AgencyFactory, BusinessUserFactory, RegulatorFactory, region
from shian.sampling.choices import DisposalStatus, RetestStatus, SampleStatus, Verdict
from shian.sampling.models import Disposal, FoodCategory, Retest, Sample, TestResult
from shian.sampling.services import sample_notify

from .factories import LabFactory, LabUserFactory

pytestmark = pytest.mark.usefixtures("english")


def test_a_sampling_officer_records_a_sample_on_the_form(client, starter, samplers, lab, shop):
    client.force_login(samplers[0])
    page = client.get(f"/sampling/samples/new/{shop.pk}/")
    assert page.status_code == 200 and 'data-testid="sample-new"' in page.content.decode()
    category = FoodCategory.objects.get(catalogue=starter, name="食醋", level=4)
    form = {
        "category": category.pk,
        "product_name": "镇江香醋",
        "quantity": "6瓶",
        "backup_quantity": "3瓶",
        "lab": lab.pk,
        "samplers": [samplers[1].pk],
        "brand": "恒顺",
    }
    alone = client.post(f"/sampling/samples/new/{shop.pk}/", form | {"samplers": []})
    assert alone.status_code == 200 and "samplers" in alone.content.decode() and Sample.objects.count() == 0
    done = client.post(f"/sampling/samples/new/{shop.pk}/", form)
    sample = Sample.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/sampling/samples/{sample.pk}/"
    assert sample.brand == "恒顺" and set(sample.samplers.all()) == set(samplers)


def test_the_lab_receives_and_reports_results_on_the_samples_page(client, record, analyst):
    sample = record()
    client.force_login(analyst)
    page = client.get(f"/sampling/samples/{sample.pk}/").content.decode()
    assert 'data-testid="receive"' in page and 'data-testid="results-form"' in page
    assert "苯甲酸及其钠盐" in page  # the category's test items are listed for entry
    client.post(f"/sampling/samples/{sample.pk}/receive/")
    rows = {
        "rows-TOTAL_FORMS": "2",
        "rows-INITIAL_FORMS": "0",
        "rows-MIN_NUM_FORMS": "1",
        "rows-MAX_NUM_FORMS": "1000",
        "rows-0-analyte": "苯甲酸",
        "rows-0-value": "0.2",
        "rows-0-unit": "g/kg",
        "rows-1-analyte": "山梨酸",
        "rows-1-value": "1.2",
        "rows-1-unit": "g/kg",
        "concluded_on": timezone.localdate().isoformat(),
    }
    client.post(f"/sampling/samples/{sample.pk}/results/", rows)
    sample.refresh_from_db()
    assert sample.status == SampleStatus.FAILED and TestResult.objects.filter(sample=sample).count() == 2


def test_the_business_gets_the_notice_applies_for_a_retest_and_reports_the_handling(client, failed, samplers, owner):
    client.force_login(owner)
    before = client.get(f"/sampling/samples/{failed.pk}/").content.decode()
    assert 'data-testid="notice-pdf"' not in before and 'data-testid="retest-apply"' not in before
    assert client.get(f"/sampling/samples/{failed.pk}/notice.pdf").status_code == 200  # the bureau has it ready
    client.force_login(samplers[0])
    client.post(f"/sampling/samples/{failed.pk}/notify/")
    client.post(f"/sampling/samples/{failed.pk}/disposal/", {"requirement": "封存、召回"})
    client.force_login(owner)
    page = client.get(f"/sampling/samples/{failed.pk}/").content.decode()
    assert 'data-testid="notice-pdf"' in page and 'data-testid="retest-apply"' in page
    notice = client.get(f"/sampling/samples/{failed.pk}/notice.pdf")
    assert notice["Content-Type"] == "application/pdf" and notice.content.startswith(b"%PDF-")
    client.post(f"/sampling/samples/{failed.pk}/retest/", {"reason": "对山梨酸结果有异议"})
    assert Retest.objects.get(sample=failed).status == RetestStatus.APPLIED
    client.post(
        f"/sampling/samples/{failed.pk}/disposal/report/",
        {"sealed": "on", "sales_stopped": "on", "recalled_quantity": "10瓶", "cause": "进货批次问题"},
    )
    assert Disposal.objects.get(sample=failed).status == DisposalStatus.REPORTED


def test_the_bureau_decides_the_retest_and_the_drawn_lab_reports_the_final_result(client, failed, samplers, owner):
    other = LabFactory(name="复检中心")
    sample_notify(sample=failed, by=samplers[0])
    client.force_login(owner)
    client.post(f"/sampling/samples/{failed.pk}/retest/", {"reason": "异议"})
    client.force_login(samplers[0])
    client.post(f"/sampling/samples/{failed.pk}/retest/decide/", {"accept": "yes"})
    retest = Retest.objects.get(sample=failed)
    assert retest.lab == other
    retester = LabUserFactory(lab=other)
    client.force_login(retester)
    page = client.get(f"/sampling/samples/{failed.pk}/").content.decode()
    assert 'data-testid="results-form"' in page and "复检结果" in page
    client.post(
        f"/sampling/samples/{failed.pk}/results/",
        {
            "rows-TOTAL_FORMS": "1",
            "rows-INITIAL_FORMS": "0",
            "rows-MIN_NUM_FORMS": "1",
            "rows-MAX_NUM_FORMS": "1000",
            "rows-0-analyte": "山梨酸",
            "rows-0-value": "0.9",
            "rows-0-unit": "g/kg",
            "concluded_on": timezone.localdate().isoformat(),
        },
    )
    failed.refresh_from_db()
    assert failed.final_verdict == Verdict.PASS and failed.verdict == Verdict.FAIL


def test_pages_and_the_notice_are_scoped(client, failed, samplers):
    wuzhong = RegulatorFactory(
        agency=AgencyFactory(name="吴中区局", region=region("320506")), roles=["sampling_officer"]
    )
    for user in (wuzhong, BusinessUserFactory(), LabUserFactory(lab=LabFactory(name="别的所"))):
        client.force_login(user)
        assert client.get(f"/sampling/samples/{failed.pk}/").status_code == 404
        assert client.get(f"/sampling/samples/{failed.pk}/notice.pdf").status_code == 404
        assert failed.code not in client.get("/sampling/samples/").content.decode()
    client.force_login(samplers[0])
    assert failed.code in client.get("/sampling/samples/?verdict=fail").content.decode()
    assert failed.code not in client.get("/sampling/samples/?verdict=pass").content.decode()


def test_the_public_sees_published_results_only(client, failed, record, analyst, samplers, shop):
    from shian.sampling.labrows import LabRow
    from shian.sampling.services import results_record

    passed = record("食醋")
    results_record(
        sample=passed, by=analyst, concluded_on=timezone.localdate(), rows=[LabRow("总酸", "4.5", "g/100mL")]
    )
    listed = client.get("/public/sampling/").content.decode()
    assert passed.product_name in listed and failed.product_name not in listed  # not served yet
    sample_notify(sample=failed, by=samplers[0])
    listed = client.get("/public/sampling/?verdict=fail").content.decode()
    assert failed.product_name in listed and passed.product_name not in listed
    assert passed.product_name in client.get("/public/sampling/?food=0202").content.decode()
    assert passed.product_name not in client.get("/public/sampling/?food=0201").content.decode()
    today = timezone.localdate()
    assert passed.product_name in client.get(f"/public/sampling/?from={today}&to={today}").content.decode()
    tomorrow = today + datetime.timedelta(days=1)
    assert passed.product_name not in client.get(f"/public/sampling/?from={tomorrow}").content.decode()
    assert passed.product_name in client.get("/public/sampling/?from=not-a-date&to=2026-02-30").content.decode()
    public = client.get(f"/p/{shop.public_id}/").content.decode()
    assert 'data-testid="public-samples"' in public and failed.product_name in public


def test_the_home_page_counts_the_samples_each_user_may_see(client, record, analyst, samplers):
    record(), record("食醋")
    for user, expected in ((analyst, "2"), (samplers[0], "2"), (LabUserFactory(lab=LabFactory(name="别处")), "0")):
        client.force_login(user)
        page = client.get("/").content.decode()
        assert 'data-testid="home-samples"' in page
        assert f'data-testid="open-samples">{expected}<' in page


def test_photos_of_the_sample_and_evidence_of_the_handling_are_linked_on_its_page(
    client, failed, samplers, owner, settings, tmp_path
):
    from shian.core.tests.test_evidence import upload
    from shian.sampling.services import disposal_order

    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(samplers[0])
    page = client.get(f"/sampling/samples/{failed.pk}/").content.decode()
    assert f"subject=sampling.sample:{failed.pk}" in page  # the sampler's upload link
    photo = upload(samplers[0], region=failed.region, subject=failed)
    assert photo.scene in client.get(f"/sampling/samples/{failed.pk}/").content.decode()
    sample_notify(sample=failed, by=samplers[0])
    disposal = disposal_order(sample=failed, by=samplers[0], requirement="封存")
    client.force_login(owner)
    page = client.get(f"/sampling/samples/{failed.pk}/").content.decode()
    assert f"subject=sampling.disposal:{disposal.pk}" in page and f"subject=sampling.sample:{failed.pk}" not in page
    proof = upload(owner, operator=failed.operator, subject=disposal)
    assert proof.public_id.hex[:8] in client.get(f"/sampling/samples/{failed.pk}/").content.decode().replace("-", "")


def test_the_samples_list_exports_what_the_user_may_see(client, record, samplers, analyst):
    from openpyxl import load_workbook

    ours = record()
    client.force_login(samplers[0])
    csv = b"".join(client.get("/sampling/samples/export.csv").streaming_content).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("样品编号,样品名称") and ours.code in csv
    assert ours.code not in b"".join(client.get("/sampling/samples/export.csv?verdict=fail").streaming_content).decode(
        "utf-8-sig"
    )
    response = client.get("/sampling/samples/export.xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet.cell(2, 1).value == ours.code
    wuzhong = RegulatorFactory(
        agency=AgencyFactory(name="吴中区局", region=region("320506")), roles=["sampling_officer"]
    )
    for user in (wuzhong, LabUserFactory(lab=LabFactory(name="别的所")), BusinessUserFactory()):
        client.force_login(user)
        assert ours.code not in b"".join(client.get("/sampling/samples/export.csv").streaming_content).decode()
    assert client.get("/sampling/samples/export.pdf").status_code == 404
