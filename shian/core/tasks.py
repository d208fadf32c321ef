"""Background work (Django Tasks API through the django-tasks backport)."""

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

from .models import Notification
from .sms import sms_backend


@task()
def send_notification_email(notification_id: int) -> bool:
    note = Notification.objects.select_related("recipient").get(pk=notification_id)
    if not note.recipient.email:
        return False
    body = f"{note.body}\n\n{note.link}".strip()
    send_mail(note.title, body, settings.DEFAULT_FROM_EMAIL, [note.recipient.email])
    return True


@task()
def send_notification_sms(notification_id: int) -> bool:
    note = Notification.objects.select_related("recipient").get(pk=notification_id)
    if not note.recipient.phone:
        return False
    sms_backend().send(note.recipient.phone, f"【食安】{note.title}")
    return True


@task()
def run_tick() -> dict[str, int]:
    """`shian tick` as a job, for deployments that schedule it through the worker."""
    from .ticks import tick

    return tick()
