"""Self-inspections against the sector's checklist, and the business's own rectification: the same loop as an
inspector's order, verified by the county's inspectors."""

import datetime
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shian.core.models import LedgerEntry, Notification
from shian.core.tests.factories import AgencyFactory, RegulatorFactory, region
from shian.core.tests.test_evidence import upload
from shian.duty.selectors import months_between, self_inspection_state
from shian.duty.services.selfcheck import self_inspection_answer, self_inspection_finish, self_inspection_start
from shian.inspection.choices import RectificationStatus
from shian.inspection.services import (
    checklist_load,
    rectification_self_open,
    rectification_submit,
    rectification_verify,
)
from shian.inspection.ticks import escalate_rectification_overdue

CHECKLISTS = Path(__file__).resolve().parents[2] / "inspection" / "checklists"


@pytest.fixture
def checklists(db):
    return [checklist_load(content=path.read_bytes())[0] for path in sorted(CHECKLISTS.glob("*.toml"))]


def answer(self_inspection, by, failed: dict | None = None):
    failed = failed or {}
    for item in self_inspection.answers.select_related("item"):
        note = failed.get(item.item.code)
        self_inspection_answer(answer=item, by=by, outcome="no" if note else "yes", note=note or "")


def test_a_self_inspection_follows_the_sectors_checklist_and_needs_every_item(checklists, restaurant, director):
    started = self_inspection_start(operator=restaurant, by=director)
    assert started.template.sector == "catering" or "catering" in started.template.categories
    assert started.answers.count() == started.template.items.count()
    assert self_inspection_start(operator=restaurant, by=director) == started  # the open one continues
    with pytest.raises(ValidationError):
        self_inspection_finish(self_inspection=started, by=director)


def test_what_it_finds_goes_to_the_bureau_and_a_fix_is_verified_by_an_inspector(
    django_capture_on_commit_callbacks, media, checklists, restaurant, director, officer
):
    bureau = RegulatorFactory(username="gusu-self", agency=AgencyFactory(region=region("320508")))
    started = self_inspection_start(operator=restaurant, by=director)
    first = started.answers.select_related("item").first()
    answer(started, director, {first.item.code: "消毒柜温度计损坏"})
    with django_capture_on_commit_callbacks(execute=True):
        self_inspection_finish(self_inspection=started, by=director, summary="季度自查")
    assert started.problems == 1
    assert Notification.objects.filter(recipient=bureau, kind="duty.self.problems").exists()
    assert LedgerEntry.objects.filter(kind="duty.self_inspection", object_id=str(started.pk)).exists()
    with pytest.raises(ValidationError):
        self_inspection_answer(answer=first, by=director, outcome="yes")

    passed = started.answers.exclude(pk=first.pk).first()
    with pytest.raises(ValidationError):
        rectification_self_open(
            self_inspection=started, by=director, answers=[passed], requirement="修", deadline=timezone.localdate()
        )
    order = rectification_self_open(
        self_inspection=started,
        by=director,
        answers=[first],
        requirement="更换温度计",
        deadline=timezone.localdate() + datetime.timedelta(days=5),
    )
    assert order.inspection is None and order.self_inspection == started and "消毒柜温度计损坏" in order.requirement
    upload(officer, operator=restaurant, subject=order)
    with django_capture_on_commit_callbacks(execute=True):
        rectification_submit(order=order, by=officer, response="已更换新温度计")
    assert Notification.objects.filter(recipient=bureau, kind="rectification.submitted").exists()
    rectification_verify(order=order, by=bureau, accepted=True)
    order.refresh_from_db()
    assert order.status == RectificationStatus.CLOSED


def test_the_self_inspection_is_due_again_after_the_configured_months(checklists, restaurant, director, settings):
    today = timezone.localdate()
    assert self_inspection_state(restaurant, today)["self_inspection_due"]
    started = self_inspection_start(operator=restaurant, by=director)
    answer(started, director)
    self_inspection_finish(self_inspection=started, by=director)
    assert not self_inspection_state(restaurant, today)["self_inspection_due"]
    assert self_inspection_state(restaurant, today + datetime.timedelta(days=92))["self_inspection_due"]
    settings.SHIAN_DUTY = {**settings.SHIAN_DUTY, "SELF_INSPECTION_MONTHS": 6}
    assert not self_inspection_state(restaurant, today + datetime.timedelta(days=92))["self_inspection_due"]


def test_months_between():
    assert months_between(datetime.date(2026, 1, 31), datetime.date(2026, 2, 28)) == 0
    assert months_between(datetime.date(2026, 1, 31), datetime.date(2026, 3, 1)) == 1
    assert months_between(datetime.date(2025, 12, 2), datetime.date(2026, 3, 2)) == 3


def test_the_pages_are_scoped_and_the_answer_is_posted_with_htmx(
    checklists, restaurant, director, inspector, other_county_inspector
):
    client = Client()
    client.force_login(director)
    response = client.post(reverse("duty-self-start", args=[restaurant.pk]))
    started = restaurant.self_inspections.get()
    assert response.url == reverse("duty-self-detail", args=[started.pk])
    item = started.answers.first()
    row = client.post(
        reverse("duty-self-answer", args=[started.pk, item.pk]),
        {"outcome": "no", "note": "地面破损"},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert 'data-outcome="no"' in row
    for user, status in ((inspector, 200), (other_county_inspector, 404)):
        other = Client()
        other.force_login(user)
        assert other.get(reverse("duty-self-detail", args=[started.pk])).status_code == status
        assert other.get(reverse("duty-self-list", args=[restaurant.pk])).status_code == status
    regulator = Client()
    regulator.force_login(inspector)
    assert (
        regulator.post(reverse("duty-self-answer", args=[started.pk, item.pk]), {"outcome": "yes"}).status_code == 403
    )


def test_an_overdue_own_order_goes_to_the_county_bureau(
    django_capture_on_commit_callbacks, checklists, restaurant, director
):
    bureau = RegulatorFactory(username="gusu-overdue", agency=AgencyFactory(region=region("320508")))
    started = self_inspection_start(operator=restaurant, by=director)
    first = started.answers.select_related("item").first()
    answer(started, director, {first.item.code: "排水沟堵塞"})
    self_inspection_finish(self_inspection=started, by=director)
    rectification_self_open(
        self_inspection=started, by=director, answers=[first], requirement="疏通", deadline=timezone.localdate()
    )
    with (
        time_machine.travel(timezone.now() + datetime.timedelta(days=2)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert escalate_rectification_overdue() == 1
    assert Notification.objects.filter(recipient=bureau, kind="rectification.overdue").exists()
    assert Notification.objects.filter(recipient=director, kind="rectification.overdue").exists()
