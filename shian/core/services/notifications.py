from collections.abc import Iterable

from django.db import IntegrityError, transaction

from ..models import Notification


def notify(
    *,
    recipients: Iterable,
    kind: str,
    title: str,
    body: str = "",
    link: str = "",
    dedupe_key: str = "",
    email: bool = True,
    sms: bool = False,
) -> None:
    """Tell users about something once the current transaction commits: an inbox entry, and by email and
    SMS through the worker. With a `dedupe_key`, each user gets the message once, however often it is sent."""
    recipient_ids = [user.pk for user in recipients]

    def deliver():
        from ..tasks import send_notification_email, send_notification_sms

        for user_id in recipient_ids:
            try:
                with transaction.atomic():
                    note = Notification.objects.create(
                        recipient_id=user_id,
                        kind=kind,
                        title=title,
                        body=body,
                        link=link,
                        dedupe_key=dedupe_key,
                    )
            except IntegrityError:
                continue  # already told about this key
            if email:
                send_notification_email.enqueue(note.pk)
            if sms:
                send_notification_sms.enqueue(note.pk)

    transaction.on_commit(deliver)


@transaction.atomic
def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications (all unread, or the given ones) as read; returns how many."""
    from django.utils import timezone

    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())
