"""`shian tick` for sampling: late samples and reports go to the lab and the bureau, a business is reminded
before its re-test window closes, overdue follow-up handling is escalated; each message once."""

import datetime

from django.utils import timezone

from shian.core.models import Notification
from shian.core.ticks import tick
from shian.sampling.models import Sample
from shian.sampling.services import disposal_order, sample_notify


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def kinds(user) -> list[str]:
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_a_sample_late_to_the_lab_is_escalated_once(record, samplers, analyst, django_capture_on_commit_callbacks):
    late, on_time = record(), record("食醋")
    Sample.objects.filter(pk=late.pk).update(lab_due=days(-1))
    Sample.objects.filter(pk=on_time.pk).update(lab_due=days(0))
    Notification.objects.all().delete()
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert tick()["sampling.lab_overdue"] == 1
    assert kinds(samplers[0]) == ["sampling.lab_overdue"] and kinds(analyst) == ["sampling.lab_overdue"]


def test_a_report_past_its_limit_goes_to_the_lab_and_the_bureau(
    record, samplers, analyst, django_capture_on_commit_callbacks
):
    from shian.sampling.services import sample_receive

    sample = sample_receive(sample=record(), by=analyst)
    Sample.objects.filter(pk=sample.pk).update(report_due=days(-1))
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert tick()["sampling.report_overdue"] == 1
    assert kinds(analyst) == ["sampling.report_overdue"] and kinds(samplers[1]) == ["sampling.report_overdue"]


def test_the_business_is_reminded_before_its_retest_window_closes(
    failed, samplers, owner, settings, django_capture_on_commit_callbacks
):
    sample_notify(sample=failed, by=samplers[0])
    Sample.objects.filter(pk=failed.pk).update(retest_due=days(5))
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert tick()["sampling.retest_window"] == 0
        Sample.objects.filter(pk=failed.pk).update(retest_due=days(1))
        assert tick()["sampling.retest_window"] == 1
        tick()
    assert kinds(owner) == ["sampling.retest_window"]


def test_overdue_follow_up_handling_goes_to_the_business_and_the_bureau(
    failed, samplers, owner, django_capture_on_commit_callbacks
):
    sample_notify(sample=failed, by=samplers[0])
    disposal = disposal_order(sample=failed, by=samplers[0], requirement="封存、召回")
    type(disposal).objects.filter(pk=disposal.pk).update(due=days(-1))
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert tick()["sampling.disposal_overdue"] == 1
        tick()
    assert kinds(owner) == ["sampling.disposal_overdue"] and kinds(samplers[0]) == ["sampling.disposal_overdue"]
