"""A sample from the sampling form to its verdict: the samplers, the lab's receipt and clocks, each result
judged against the limit in force with its citation, messy rows kept for review, and the conclusion."""

import datetime
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from shian.core.models import AuditEntry, LedgerEntry, Notification
from shian.core.services.ledger import ledger_verify
from shian.core.tests.factories import AgencyFactory, RegulatorFactory, region
from shian.core.workdays import add_working_days
from shian.sampling.choices import ResultStatus, SampleStatus, Verdict
from shian.sampling.labrows import LabRow
from shian.sampling.models import FoodCategory, Sample, TestResult
from shian.sampling.services import result_review, results_record, sample_receive, sample_record

from .factories import LabFactory, LabUserFactory

pytestmark = pytest.mark.usefixtures("english")  # the tests read messages


def test_a_sample_is_numbered_in_its_county_and_must_reach_the_lab_in_five_working_days(record, shop):
    first, second = record(), record("食醋")
    year = timezone.localdate().year
    assert first.code == f"{shop.region_id}{year}00001" and second.code.endswith("00002")
    assert first.lab_due == add_working_days(timezone.localdate(first.sampled_at), 5)
    assert first.status == SampleStatus.SAMPLED and first.stage == "distribution"
    assert first.region_id == shop.region_id and first.samplers.count() == 2
    assert AuditEntry.objects.filter(action="sampling.sample.record", object_id=str(first.pk)).exists()


def test_a_sample_needs_two_sampling_officers_of_a_bureau_covering_the_shop(starter, samplers, lab, shop):
    category = FoodCategory.objects.get(catalogue=starter, name="酱油", level=4)
    fields = {"operator": shop, "category": category, "lab": lab, "product_name": "酱油", "quantity": "4瓶"}
    with pytest.raises(ValidationError) as alone:
        sample_record(by=samplers[0], samplers=[], backup_quantity="2瓶", **fields)
    assert "samplers" in alone.value.message_dict
    elsewhere = RegulatorFactory(
        agency=AgencyFactory(name="吴中区局", region=region("320506")), roles=["sampling_officer"]
    )
    with pytest.raises(ValidationError, match="does not cover"):
        sample_record(by=samplers[0], samplers=[elsewhere], backup_quantity="2瓶", **fields)
    with pytest.raises(ValidationError) as no_backup:
        sample_record(by=samplers[0], samplers=samplers, backup_quantity=" ", **fields)
    assert "backup_quantity" in no_backup.value.message_dict
    broad = FoodCategory.objects.get(catalogue=starter, name="调味品")
    with pytest.raises(ValidationError) as too_broad:
        sample_record(by=samplers[0], samplers=samplers, backup_quantity="2瓶", **(fields | {"category": broad}))
    assert "category" in too_broad.value.message_dict
    assert Sample.objects.count() == 0


def test_the_lab_receives_the_sample_and_reports_within_twenty_working_days(record, analyst):
    sample = sample_receive(sample=record(), by=analyst)
    assert sample.status == SampleStatus.TESTING
    assert sample.report_due == add_working_days(timezone.localdate(sample.received_at), 20)
    with pytest.raises(ValidationError, match="already received"):
        sample_receive(sample=sample, by=analyst)


def test_another_labs_analyst_cannot_touch_the_sample(record):
    stranger = LabUserFactory(lab=LabFactory(name="别的检测所"))
    with pytest.raises(ValidationError, match="another lab"):
        sample_receive(sample=record(), by=stranger)
    with pytest.raises(ValidationError, match="another lab"):
        results_record(sample=record(), by=stranger, rows=[LabRow("苯甲酸", "0.1", "g/kg")])


def test_a_failing_item_fails_the_sample_with_the_standard_cited(
    record, analyst, samplers, django_capture_on_commit_callbacks
):
    sample = record()
    concluded = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        outcomes = results_record(
            sample=sample,
            by=analyst,
            concluded_on=concluded,
            rows=[
                LabRow("苯甲酸及其钠盐（以苯甲酸计）", "1.0", "g/kg"),  # equal to the limit: passes
                LabRow("sorbic-acid", "1200", "mg/kg", lod="5"),  # 1.2 g/kg > 1.0 g/kg
                LabRow("氨基酸态氮", "0.82", "g/100mL"),
            ],
        )
    assert [o.result.verdict for o in outcomes] == [Verdict.PASS, Verdict.FAIL, Verdict.PASS]
    sorbic = outcomes[1].result
    assert sorbic.citation.startswith("GB 2760-2024") and sorbic.detail == "1200 mg/kg = 1.2 g/kg > 1 g/kg"
    sample.refresh_from_db()
    assert (sample.status, sample.verdict) == (SampleStatus.FAILED, Verdict.FAIL)
    assert sample.report_deadline == add_working_days(concluded, 2)
    entry = LedgerEntry.objects.get(kind="sampling.verdict")
    assert entry.payload["verdict"] == "fail" and len(entry.payload["items"]) == 3
    assert ledger_verify().ok
    assert Notification.objects.filter(recipient__in=samplers, kind="sampling.sample.failed").count() == 2
    with pytest.raises(ValidationError, match="final"):
        results_record(sample=sample, by=analyst, rows=[LabRow("苯甲酸", "0", "g/kg")])


def test_a_passing_sample_has_seven_working_days_to_be_reported(record, analyst):
    sample = record("芝麻油")
    concluded = timezone.localdate()
    results_record(
        sample=sample,
        by=analyst,
        concluded_on=concluded,
        rows=[LabRow("酸价", "1.2", "mg/g"), LabRow("过氧化值", "0.1", "g/100g"), LabRow("苯并[a]芘", "ND", "μg/kg")],
    )
    sample.refresh_from_db()
    assert sample.verdict == Verdict.PASS and sample.report_deadline == add_working_days(concluded, 7)


def test_messy_rows_are_kept_for_review_and_the_sample_waits_for_them(record, analyst):
    sample = record()
    outcomes = results_record(
        sample=sample,
        by=analyst,
        concluded_on=timezone.localdate(),
        rows=[
            LabRow("苯甲酸", "0.2", "g/kg"),
            LabRow("山梨酸", "abc", "g/kg"),
            LabRow("神秘物质", "1", "mg/kg"),
            LabRow("氨基酸态氮", "0.8", "furlongs"),
            LabRow("苯甲酸钠", "0.2", "g/L"),  # an alias of benzoic acid, in a unit the limit cannot be compared with
        ],
    )
    problems = [o.problems for o in outcomes]
    assert problems[0] == ()
    assert problems[1] == ("the value 'abc' is not a number",)
    assert problems[2] == ("unknown analyte '神秘物质'",)
    assert problems[3] == ("unknown unit 'furlongs'",)
    assert "cannot be judged as reported" in problems[4][0] and problems[4][1] == "this item is reported twice"
    assert TestResult.objects.filter(sample=sample).count() == 5
    assert TestResult.objects.filter(sample=sample, status=ResultStatus.PENDING_REVIEW).count() == 4
    sample.refresh_from_db()
    assert sample.status == SampleStatus.TESTING and sample.verdict == ""
    kept = TestResult.objects.get(sample=sample, analyte_text="山梨酸")
    assert kept.value_text == "abc" and kept.unit_text == "g/kg"


def test_reviewing_the_last_pending_row_concludes_the_sample(record, analyst):
    sample = record()
    results_record(
        sample=sample,
        by=analyst,
        concluded_on=timezone.localdate(),
        rows=[LabRow("苯甲酸", "0.2", "g/kg"), LabRow("山梨酸", "O.3", "g/kg")],  # a letter O for a zero
    )
    pending = TestResult.objects.get(sample=sample, status=ResultStatus.PENDING_REVIEW)
    with pytest.raises(ValidationError, match="not a number"):
        result_review(result=pending, by=analyst, row=LabRow("山梨酸", "O.3", "g/kg"))
    fixed = result_review(result=pending, by=analyst, row=LabRow("山梨酸", "0.3", "g/kg"))
    assert fixed.pk == pending.pk and fixed.verdict == Verdict.PASS and fixed.value == D("0.3")
    sample.refresh_from_db()
    assert sample.verdict == Verdict.PASS
    assert AuditEntry.objects.filter(action="sampling.result.review", object_id=str(fixed.pk)).exists()


def test_without_a_final_report_the_sample_stays_at_the_lab(record, analyst):
    sample = record()
    results_record(sample=sample, by=analyst, rows=[LabRow("苯甲酸", "5", "g/kg")])
    sample.refresh_from_db()
    assert sample.status == SampleStatus.TESTING and sample.received_at is not None
    assert TestResult.objects.get(sample=sample).verdict == Verdict.FAIL


def test_the_limit_is_the_one_in_force_on_the_sampling_day(record, analyst, starter):
    sampled = timezone.make_aware(datetime.datetime(2016, 5, 1, 10))  # before the GB 2760-2024 rows start
    sample = record(sampled_at=sampled)
    outcome = results_record(sample=sample, by=analyst, rows=[LabRow("苯甲酸", "5", "g/kg")])[0]
    assert (outcome.result.verdict, outcome.result.reason) == (Verdict.NOT_JUDGED, "no_limit")


def test_stored_results_can_be_judged_again_against_the_limits_loaded_now(record, analyst, starter):
    from shian.sampling.selectors import judgments
    from shian.sampling.services import limits_load

    sample = record()
    results_record(sample=sample, by=analyst, rows=[LabRow("苯甲酸", "0.8", "g/kg"), LabRow("山梨酸", "x", "g/kg")])
    assert [j.verdict for _pk, j in judgments(TestResult.objects.all())] == [Verdict.PASS]
    stricter = (
        '[limits]\ncode = "gb2760"\nversion = 2\ntitle = "GB 2760 (draft)"\ncatalogue = "cn-sampling"\n'
        'valid_from = 2026-01-01\n\n[[limit]]\nanalyte = "benzoic-acid"\ncategory = "0201"\nvalue = "0.5"\n'
        'unit = "g/kg"\nstandard = "GB 2760-2026"\n'
    )
    limits_load(content=stricter.encode())
    [(_pk, again)] = judgments(TestResult.objects.all())
    assert (again.verdict, again.citation) == (Verdict.FAIL, "GB 2760-2026")
    assert TestResult.objects.get(analyte__code="benzoic-acid").verdict == Verdict.PASS  # nothing written
