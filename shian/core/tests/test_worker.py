"""Background work through the database queue and `shian worker`."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction

from shian.core.context import source_var
from shian.core.models import Notification
from shian.core.services.notifications import notify
from shian.core.tasks import run_tick
from shian.core.tests.factories import UserFactory


@pytest.fixture
def database_queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_email_waits_in_the_queue_until_the_worker_runs(database_queue, regions):
    """The worker closes stale connections between tasks, as a separate process must: so, a committed database."""
    from django_tasks_db.models import DBTaskResult

    inspector = UserFactory()
    with transaction.atomic():
        notify(recipients=[inspector], kind="test", title="排队的邮件")
    assert Notification.objects.filter(recipient=inspector).exists()
    assert not mail.outbox and DBTaskResult.objects.count() == 1
    call_command("worker", "--batch")
    assert [m.subject for m in mail.outbox] == ["排队的邮件"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_tick_as_a_job_records_its_source(db, monkeypatch):
    seen = []
    monkeypatch.setattr("shian.core.ticks._handlers", {"probe": lambda: seen.append(source_var.get()) or 0})
    assert run_tick.enqueue().return_value == {"probe": 0}
    assert seen == ["job"] and source_var.get() != "job"
