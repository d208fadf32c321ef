"""`shian tick` for inspections: a business is reminded before an order's deadline, an overdue order goes to
its inspector and the heads of their agency, a result not published in time goes to the heads. Each message
is sent once, however often tick runs. "Today" is moved by writing the stored dates relative to it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from shian.core import ticks as core_ticks
from shian.core.choices import Role
from shian.core.models import Notification
from shian.core.tests.factories import AgencyFactory, BusinessUserFactory, RegulatorFactory, region
from shian.inspection import ticks
from shian.inspection.choices import RectificationKind, RectificationStatus
from shian.inspection.models import Inspection, Rectification
from shian.inspection.services import (
    inspection_answer,
    inspection_finish,
    inspection_publish,
    inspection_start,
    rectification_issue,
)
from shian.registry.tests.factories import MembershipFactory, OperatorFactory

pytestmark = pytest.mark.django_db

DUE = "rectification.due"
OVERDUE = "rectification.overdue"
UNPUBLISHED = "inspection.publication_overdue"


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def finished_inspection(inspectors, operator, *, fail_one=True):
    """A finished inspection by the two inspectors; one general item failed unless fail_one is false."""
    inspection = inspection_start(operator=operator, by=inspectors[0], inspectors=[inspectors[1]])
    answers = list(inspection.answers.select_related("item", "inspection"))
    general = next(a for a in answers if not a.item.key) if fail_one else None
    for answer in answers:
        inspection_answer(answer=answer, by=inspectors[0], outcome="no" if answer == general else "yes")
    return inspection_finish(
        inspection=inspection, by=inspectors[0], signed_by="张老板", signature="data:image/png;base64,iVBORw0KGgo="
    )


def order_due(inspectors, operator, *, deadline: datetime.date, status=RectificationStatus.OPEN) -> Rectification:
    """A deadline order issued by inspectors[0], then moved to `deadline` and `status` in the database."""
    inspection = finished_inspection(inspectors, operator)
    order = rectification_issue(
        inspection=inspection,
        by=inspectors[0],
        kind=RectificationKind.DEADLINE,
        answers=list(inspection.answers.filter(outcome="no")),
        requirement="限期整改",
        working_days=3,
    )
    Rectification.objects.filter(pk=order.pk).update(deadline=deadline, status=status)
    order.refresh_from_db()
    return order


def run(handler, capture) -> int:
    with capture(execute=True):
        return handler()


def notes(kind, **filters):
    return Notification.objects.filter(kind=kind, **filters)


@pytest.fixture
def head(gusu):
    """The head of the 姑苏 bureau that the inspectors work for."""
    return RegulatorFactory(username="gusu-head", agency=gusu, roles=[Role.AGENCY_HEAD])


@pytest.fixture
def other_head(db):
    """The head of another county's bureau."""
    return RegulatorFactory(
        username="wuzhong-head", agency=AgencyFactory(region=region("320506")), roles=[Role.AGENCY_HEAD]
    )


# --- Reminders before the deadline ------------------------------------------------------------------------


def test_an_order_due_tomorrow_reminds_the_business_once(
    checklists, inspectors, operator, owner, head, django_capture_on_commit_callbacks
):
    order = order_due(inspectors, operator, deadline=days(1))
    assert run(ticks.remind_rectification_due, django_capture_on_commit_callbacks) == 1
    reminder = notes(DUE).get()
    assert reminder.recipient == owner
    assert reminder.dedupe_key == f"rectification.due:{order.pk}:{days(1).isoformat()}"
    assert days(1).isoformat() in reminder.title and operator.name in reminder.title
    assert reminder.link == reverse("rectification-detail", args=[order.pk])
    # the handler considers the order again, but nobody is told twice
    assert run(ticks.remind_rectification_due, django_capture_on_commit_callbacks) == 1
    assert notes(DUE).count() == 1
    assert not notes(DUE, recipient__in=[*inspectors, head]).exists()


def test_every_active_member_of_the_business_is_reminded_and_nobody_else(
    checklists, inspectors, operator, owner, django_capture_on_commit_callbacks
):
    colleague = BusinessUserFactory(username="noodle-cook")
    MembershipFactory(user=colleague, operator=operator)
    gone = BusinessUserFactory(username="noodle-former", is_active=False)
    MembershipFactory(user=gone, operator=operator)
    elsewhere = BusinessUserFactory(username="other-shop")
    MembershipFactory(user=elsewhere, operator=OperatorFactory())
    order_due(inspectors, operator, deadline=days(2))
    run(ticks.remind_rectification_due, django_capture_on_commit_callbacks)
    assert set(notes(DUE).values_list("recipient__username", flat=True)) == {"noodle-owner", "noodle-cook"}


def test_an_order_due_today_is_still_reminded_but_not_one_already_overdue(
    checklists, inspectors, operator, owner, django_capture_on_commit_callbacks
):
    today = order_due(inspectors, operator, deadline=days(0))
    order_due(inspectors, operator, deadline=days(-1))
    assert run(ticks.remind_rectification_due, django_capture_on_commit_callbacks) == 1
    assert list(notes(DUE).values_list("dedupe_key", flat=True)) == [f"rectification.due:{today.pk}:{days(0)}"]


def test_an_order_due_in_ten_days_is_not_reminded_yet(
    checklists, inspectors, operator, owner, django_capture_on_commit_callbacks
):
    order_due(inspectors, operator, deadline=days(10))
    assert run(ticks.remind_rectification_due, django_capture_on_commit_callbacks) == 0
    assert not notes(DUE).exists()


def test_the_reminder_window_is_a_setting(
    checklists, inspectors, operator, owner, settings, django_capture_on_commit_callbacks
):
    order_due(inspectors, operator, deadline=days(10))
    settings.SHIAN_INSPECTION = {**settings.SHIAN_INSPECTION, "REMIND_DAYS_BEFORE_DEADLINE": 10}
    assert run(ticks.remind_rectification_due, django_capture_on_commit_callbacks) == 1
    assert notes(DUE, recipient=owner).count() == 1


def test_the_default_window_is_two_days(checklists, inspectors, operator, owner, django_capture_on_commit_callbacks):
    order_due(inspectors, operator, deadline=days(2))
    order_due(inspectors, operator, deadline=days(3))
    assert run(ticks.remind_rectification_due, django_capture_on_commit_callbacks) == 1


@pytest.mark.parametrize("status", [RectificationStatus.SUBMITTED, RectificationStatus.CLOSED])
def test_a_submitted_or_closed_order_is_not_reminded(
    checklists, inspectors, operator, owner, status, django_capture_on_commit_callbacks
):
    order_due(inspectors, operator, deadline=days(1), status=status)
    assert run(ticks.remind_rectification_due, django_capture_on_commit_callbacks) == 0
    assert not notes(DUE).exists()


def test_a_returned_order_due_tomorrow_is_reminded(
    checklists, inspectors, operator, owner, django_capture_on_commit_callbacks
):
    order_due(inspectors, operator, deadline=days(1), status=RectificationStatus.RETURNED)
    assert run(ticks.remind_rectification_due, django_capture_on_commit_callbacks) == 1
    assert notes(DUE, recipient=owner).count() == 1


def test_a_moved_deadline_is_reminded_again(
    checklists, inspectors, operator, owner, django_capture_on_commit_callbacks
):
    order = order_due(inspectors, operator, deadline=days(1))
    run(ticks.remind_rectification_due, django_capture_on_commit_callbacks)
    Rectification.objects.filter(pk=order.pk).update(deadline=days(2))
    run(ticks.remind_rectification_due, django_capture_on_commit_callbacks)
    run(ticks.remind_rectification_due, django_capture_on_commit_callbacks)
    assert notes(DUE, recipient=owner).count() == 2


# --- Overdue orders ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [RectificationStatus.OPEN, RectificationStatus.RETURNED])
def test_an_overdue_order_goes_to_its_inspector_and_the_heads_of_their_agency_once(
    checklists, inspectors, operator, owner, head, other_head, status, django_capture_on_commit_callbacks
):
    order = order_due(inspectors, operator, deadline=days(-1), status=status)
    assert run(ticks.escalate_rectification_overdue, django_capture_on_commit_callbacks) == 1
    assert notes(OVERDUE, recipient=inspectors[0]).count() == 1
    assert notes(OVERDUE, recipient=head).count() == 1
    assert not notes(OVERDUE, recipient=other_head).exists()
    # the second inspector did not issue the order; the business is not escalated to
    assert not notes(OVERDUE, recipient__in=[inspectors[1], owner]).exists()
    note = notes(OVERDUE, recipient=head).get()
    assert note.dedupe_key == f"rectification.overdue:{order.pk}:{days(-1).isoformat()}"
    assert days(-1).isoformat() in note.title and operator.name in note.title
    assert run(ticks.escalate_rectification_overdue, django_capture_on_commit_callbacks) == 1
    assert notes(OVERDUE).count() == 2


def test_an_order_due_today_is_not_overdue_nor_a_closed_one(
    checklists, inspectors, operator, head, django_capture_on_commit_callbacks
):
    order_due(inspectors, operator, deadline=days(0))
    order_due(inspectors, operator, deadline=days(-5), status=RectificationStatus.CLOSED)
    assert run(ticks.escalate_rectification_overdue, django_capture_on_commit_callbacks) == 0
    assert not notes(OVERDUE).exists()


def test_an_inactive_head_is_not_told(checklists, inspectors, operator, gusu, django_capture_on_commit_callbacks):
    retired = RegulatorFactory(username="retired-head", agency=gusu, roles=[Role.AGENCY_HEAD], is_active=False)
    order_due(inspectors, operator, deadline=days(-1))
    run(ticks.escalate_rectification_overdue, django_capture_on_commit_callbacks)
    assert not notes(OVERDUE, recipient=retired).exists()
    assert notes(OVERDUE, recipient=inspectors[0]).count() == 1


def test_a_head_who_issued_the_order_is_told_once(
    checklists, inspectors, operator, gusu, django_capture_on_commit_callbacks
):
    head = RegulatorFactory(username="gusu-head", agency=gusu, roles=[Role.INSPECTOR, Role.AGENCY_HEAD])
    order_due([head, inspectors[0]], operator, deadline=days(-1))
    run(ticks.escalate_rectification_overdue, django_capture_on_commit_callbacks)
    assert notes(OVERDUE, recipient=head).count() == 1
    assert not notes(OVERDUE, recipient=inspectors[0]).exists()


# --- Results not published in time -------------------------------------------------------------------------


def test_an_unpublished_result_past_its_limit_goes_to_the_heads_once(
    checklists, inspectors, operator, head, other_head, django_capture_on_commit_callbacks
):
    inspection = finished_inspection(inspectors, operator, fail_one=False)
    Inspection.objects.filter(pk=inspection.pk).update(publish_by=days(-1))
    assert run(ticks.escalate_publication_overdue, django_capture_on_commit_callbacks) == 1
    note = notes(UNPUBLISHED, recipient=head).get()
    assert note.dedupe_key == f"inspection.publication_overdue:{inspection.pk}"
    assert operator.name in note.title and note.link == reverse("inspection-detail", args=[inspection.pk])
    assert not notes(UNPUBLISHED, recipient__in=[other_head, *inspectors]).exists()
    run(ticks.escalate_publication_overdue, django_capture_on_commit_callbacks)
    assert notes(UNPUBLISHED).count() == 1


def test_a_result_published_or_still_in_time_is_not_escalated(
    checklists, inspectors, operator, head, django_capture_on_commit_callbacks
):
    published = finished_inspection(inspectors, operator, fail_one=False)
    inspection_publish(inspection=published, by=head)
    in_time = finished_inspection(inspectors, OperatorFactory(), fail_one=False)
    Inspection.objects.filter(pk=published.pk).update(publish_by=days(-1))
    Inspection.objects.filter(pk=in_time.pk).update(publish_by=days(0))
    running = inspection_start(operator=OperatorFactory(), by=inspectors[0], inspectors=[inspectors[1]])
    Inspection.objects.filter(pk=running.pk).update(publish_by=days(-1))
    assert run(ticks.escalate_publication_overdue, django_capture_on_commit_callbacks) == 0
    assert not notes(UNPUBLISHED).exists()


# --- The whole tick ----------------------------------------------------------------------------------------


def test_tick_runs_the_inspection_handlers(
    checklists, inspectors, operator, owner, head, django_capture_on_commit_callbacks
):
    order_due(inspectors, operator, deadline=days(1))
    order_due(inspectors, operator, deadline=days(-1))
    with django_capture_on_commit_callbacks(execute=True):
        results = core_ticks.tick()
    assert {
        "inspection.rectification_due",
        "inspection.rectification_overdue",
        "inspection.publication_overdue",
    } <= set(results)
    assert results["inspection.rectification_due"] == 1 and results["inspection.rectification_overdue"] == 1
    assert results["inspection.publication_overdue"] == 0
    assert notes(DUE, recipient=owner).count() == 1
    assert notes(OVERDUE, recipient=head).count() == 1
