"""After a failure: the result served, the re-test with its random lab and final verdict, the fee rule, and the
follow-up handling ordered, reported and verified."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from shian.core.models import LedgerEntry, Notification
from shian.core.tests.factories import BusinessUserFactory
from shian.core.workdays import add_working_days
from shian.sampling.choices import DisposalStatus, FeeBearer, RetestStatus, Verdict
from shian.sampling.labrows import LabRow
from shian.sampling.models import Sample
from shian.sampling.rules import draw_retest_lab, retest_fee_bearer
from shian.sampling.services import (
    disposal_order,
    disposal_report,
    disposal_verify,
    retest_apply,
    retest_decide,
    retest_results_record,
    sample_notify,
)

from .factories import LabFactory, LabUserFactory

pytestmark = pytest.mark.usefixtures("english")


def test_serving_the_result_opens_seven_working_days_for_a_retest_and_publishes_it(
    failed, samplers, owner, django_capture_on_commit_callbacks
):
    assert failed.published_at is None  # a failure is not public before the business has been served
    with django_capture_on_commit_callbacks(execute=True):
        sample_notify(sample=failed, by=samplers[0])
    failed.refresh_from_db()
    assert failed.retest_due == add_working_days(timezone.localdate(failed.notified_at), 7)
    assert failed.published_at is not None
    assert Notification.objects.filter(recipient=owner, kind="sampling.sample.notice").exists()
    with pytest.raises(ValidationError, match="already served"):
        sample_notify(sample=failed, by=samplers[0])


def test_a_pass_is_published_at_once_and_is_never_served_as_a_failure(record, analyst, samplers):
    from shian.sampling.services import results_record

    sample = record()
    results_record(sample=sample, by=analyst, concluded_on=timezone.localdate(), rows=[LabRow("苯甲酸", "0.1", "g/kg")])
    sample.refresh_from_db()
    assert sample.published_at is not None and sample.final_verdict == Verdict.PASS
    with pytest.raises(ValidationError, match="Only a failed"):
        sample_notify(sample=sample, by=samplers[0])


def test_only_the_business_applies_and_only_within_the_limit(failed, samplers, owner):
    with pytest.raises(ValidationError, match="once a failing result has been served"):
        retest_apply(sample=failed, by=owner, reason="对结果有异议")
    sample_notify(sample=failed, by=samplers[0])
    with pytest.raises(ValidationError, match="Only the sampled business"):
        retest_apply(sample=failed, by=BusinessUserFactory(), reason="x")
    late = datetime.datetime.combine(failed.retest_due + datetime.timedelta(days=1), datetime.time(10))
    with time_machine.travel(timezone.make_aware(late)), pytest.raises(ValidationError, match="ended on"):
        retest_apply(sample=failed, by=owner, reason="对结果有异议")
    on_the_last_day = datetime.datetime.combine(failed.retest_due, datetime.time(17))
    with time_machine.travel(timezone.make_aware(on_the_last_day)):
        retest = retest_apply(sample=failed, by=owner, reason="对结果有异议", fee="800")
    assert retest.status == RetestStatus.APPLIED
    with pytest.raises(ValidationError, match="already applied"):
        retest_apply(sample=failed, by=owner, reason="again")


def test_the_retest_lab_is_drawn_at_random_never_the_first_and_the_draw_repeats(failed, samplers, owner, lab):
    others = [LabFactory(name=f"复检机构{n}") for n in range(4)]
    LabFactory(name="未列入名录", retest_approved=False)
    sample_notify(sample=failed, by=samplers[0])
    retest = retest_decide(retest=retest_apply(sample=failed, by=owner, reason="异议"), by=samplers[0], accept=True)
    assert retest.status == RetestStatus.TESTING
    assert retest.lab in others and retest.lab != lab
    assert sorted(retest.draw_pool) == sorted([lab.pk, *(o.pk for o in others)])
    assert draw_retest_lab(retest.draw_pool, lab.pk, retest.draw_seed) == retest.lab_id
    drawn = {draw_retest_lab(retest.draw_pool, lab.pk, f"seed-{n}") for n in range(200)}
    assert drawn == {o.pk for o in others}  # every other approved lab can be drawn, the first never


def test_a_retest_cannot_be_drawn_when_no_other_lab_is_approved(failed, samplers, owner):
    sample_notify(sample=failed, by=samplers[0])
    retest = retest_apply(sample=failed, by=owner, reason="异议")
    with pytest.raises(ValidationError, match="No approved re-test lab"):
        retest_decide(retest=retest, by=samplers[0], accept=True)


def test_a_refusal_needs_its_reason(failed, samplers, owner):
    sample_notify(sample=failed, by=samplers[0])
    retest = retest_apply(sample=failed, by=owner, reason="异议")
    with pytest.raises(ValidationError):
        retest_decide(retest=retest, by=samplers[0], accept=False)
    refused = retest_decide(retest=retest, by=samplers[0], accept=False, reason="微生物项目不予复检")
    assert refused.status == RetestStatus.REFUSED


@pytest.mark.parametrize(
    ("value", "verdict", "bearer"),
    [("0.8", Verdict.PASS, FeeBearer.BUREAU), ("1.4", Verdict.FAIL, FeeBearer.APPLICANT)],
)
def test_the_retest_result_is_final_and_decides_who_pays(failed, samplers, owner, value, verdict, bearer):
    LabFactory(name="复检机构")
    sample_notify(sample=failed, by=samplers[0])
    retest = retest_decide(retest=retest_apply(sample=failed, by=owner, reason="异议"), by=samplers[0], accept=True)
    with pytest.raises(ValidationError, match="another lab"):
        retest_results_record(
            retest=retest,
            rows=[LabRow("山梨酸", value, "g/kg")],
            by=LabUserFactory(lab=failed.lab),
            concluded_on=timezone.localdate(),
        )
    analyst = LabUserFactory(lab=retest.lab)
    with pytest.raises(ValidationError):
        retest_results_record(
            retest=retest, rows=[LabRow("山梨酸", "?", "g/kg")], by=analyst, concluded_on=timezone.localdate()
        )
    done = retest_results_record(
        retest=retest, rows=[LabRow("山梨酸", value, "g/kg")], by=analyst, concluded_on=timezone.localdate()
    )
    assert (done.status, done.verdict, done.fee_bearer) == (RetestStatus.CONCLUDED, verdict, bearer)
    sample = Sample.objects.get(pk=failed.pk)
    assert (sample.verdict, sample.final_verdict) == (Verdict.FAIL, verdict)
    assert sample.results.filter(retest=None).count() == 3 and sample.results.filter(retest=retest).count() == 1
    assert LedgerEntry.objects.filter(kind="sampling.retest.verdict").exists()


def test_the_fee_rule():
    assert retest_fee_bearer(Verdict.FAIL) == FeeBearer.APPLICANT
    assert retest_fee_bearer(Verdict.PASS) == FeeBearer.BUREAU


def test_follow_up_handling_is_ordered_reported_returned_and_closed_with_a_case(failed, samplers, owner):
    with pytest.raises(ValidationError, match="once its result is served"):
        disposal_order(sample=failed, by=samplers[0], requirement="封存、召回")
    sample_notify(sample=failed, by=samplers[0])
    disposal = disposal_order(sample=failed, by=samplers[0], requirement="封存、下架、召回并分析原因")
    assert disposal.due == timezone.localdate(failed.notified_at) + datetime.timedelta(days=90)
    with pytest.raises(ValidationError, match="Only the sampled business"):
        disposal_report(
            disposal=disposal,
            by=BusinessUserFactory(),
            sealed=True,
            sales_stopped=True,
            recalled_quantity="",
            cause="x",
        )
    with pytest.raises(ValidationError, match="Nothing has been reported"):
        disposal_verify(disposal=disposal, by=samplers[0], accepted=True)
    disposal_report(
        disposal=disposal, by=owner, sealed=True, sales_stopped=True, recalled_quantity="12瓶", cause="供货商批次问题"
    )
    returned = disposal_verify(disposal=disposal, by=samplers[0], accepted=False, reason="缺少召回记录")
    assert returned.status == DisposalStatus.RETURNED
    disposal_report(
        disposal=disposal,
        by=owner,
        sealed=True,
        sales_stopped=True,
        recalled_quantity="12瓶",
        cause="供货商批次问题，已附召回记录",
    )
    closed = disposal_verify(disposal=disposal, by=samplers[0], accepted=True, open_case=True)
    assert closed.status == DisposalStatus.CLOSED and closed.case_opened
    assert LedgerEntry.objects.filter(kind="sampling.disposal.verdict").count() == 2


def test_the_producer_named_on_the_food_sees_the_served_result_and_may_apply_for_a_retest(
    record, analyst, samplers, django_capture_on_commit_callbacks
):
    from shian.registry.tests.factories import MembershipFactory, OperatorFactory
    from shian.sampling.services import results_record

    maker = OperatorFactory(name="某酿造厂", category="production")
    maker_user = BusinessUserFactory()
    MembershipFactory(user=maker_user, operator=maker)
    sample = record(producer=maker, producer_name=maker.name)
    results_record(sample=sample, by=analyst, concluded_on=timezone.localdate(), rows=[LabRow("山梨酸", "2", "g/kg")])
    assert list(Sample.objects.visible_to(maker_user)) == [sample]
    assert list(Sample.objects.visible_to(BusinessUserFactory())) == []
    with django_capture_on_commit_callbacks(execute=True):
        sample_notify(sample=Sample.objects.get(pk=sample.pk), by=samplers[0])
    assert Notification.objects.filter(recipient=maker_user, kind="sampling.sample.notice").exists()
    retest = retest_apply(sample=Sample.objects.get(pk=sample.pk), by=maker_user, reason="生产者异议")
    assert retest.applicant == maker_user
