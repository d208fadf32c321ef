from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from shian.core import ticks
from shian.core.choices import Role
from shian.core.models import Notification
from shian.core.services.notifications import notify
from shian.core.services.tokens import api_token_create
from shian.core.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

sent_sms: list[tuple[str, str]] = []


class RecordingSmsBackend:
    def send(self, phone, text):
        sent_sms.append((phone, text))


def test_nothing_is_sent_before_commit_and_everything_after(django_capture_on_commit_callbacks, inspector):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipients=[inspector], kind="test", title="整改到期提醒", body="请于今日完成整改")
    assert not Notification.objects.exists() and not mail.outbox
    for callback in callbacks:
        callback()
    note = Notification.objects.get(recipient=inspector)
    assert note.title == "整改到期提醒" and note.read_at is None
    assert mail.outbox[0].to == [inspector.email] and mail.outbox[0].subject == "整改到期提醒"


def test_sms_goes_through_the_configured_backend(django_capture_on_commit_callbacks, settings, inspector):
    settings.SHIAN_SMS_BACKEND = f"{__name__}.RecordingSmsBackend"
    sent_sms.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[inspector], kind="test", title="抽检不合格", email=False, sms=True)
    assert sent_sms == [(inspector.phone, "【食安】抽检不合格")]
    assert not mail.outbox


def test_a_dedupe_key_sends_once(django_capture_on_commit_callbacks, inspector):
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            notify(recipients=[inspector], kind="test", title="提醒", dedupe_key="reminder:1")
    assert Notification.objects.filter(recipient=inspector).count() == 1
    assert len(mail.outbox) == 1


def test_inbox_lists_only_my_messages_and_marks_them_read(client, django_capture_on_commit_callbacks, inspector):
    other = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[inspector], kind="test", title="给我的消息", email=False)
        notify(recipients=[other], kind="test", title="给别人的消息", email=False)
    client.force_login(inspector)
    body = client.get(reverse("inbox")).content.decode()
    assert "给我的消息" in body and "给别人的消息" not in body
    client.post(reverse("inbox-mark-read"))
    assert not Notification.objects.filter(recipient=inspector, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).exists()
    api = client.get("/api/v1/notifications/").json()["results"]
    assert [n["title"] for n in api] == ["给我的消息"] and api[0]["read_at"]


def test_tick_reminds_of_an_expiring_token_once(django_capture_on_commit_callbacks, inspector, capsys):
    token, _ = api_token_create(user=inspector, name="化验系统", scopes=["regions:read"], days=3, created_by=inspector)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            call_command("tick")
    notes = Notification.objects.filter(recipient=inspector, kind="api_token.expiring")
    assert notes.count() == 1 and "化验系统" in notes.get().title
    assert "core.api_token_expiry: 1" in capsys.readouterr().out
    token.expires_at = timezone.now() + timedelta(days=30)
    token.save()


def test_tick_reminds_admins_to_load_next_years_holiday_notice(django_capture_on_commit_callbacks, monkeypatch):
    admin = UserFactory(roles=[Role.ADMIN])
    bystander = UserFactory()
    monkeypatch.setattr(ticks.timezone, "localdate", lambda: date(2026, 11, 22))
    with django_capture_on_commit_callbacks(execute=True):
        assert ticks.remind_missing_holiday_notice() == 1
        ticks.remind_missing_holiday_notice()
    assert Notification.objects.filter(recipient=admin, kind="calendar.notice_missing").count() == 1
    assert "2027" in Notification.objects.get(recipient=admin).title
    assert not Notification.objects.filter(recipient=bystander).exists()
    monkeypatch.setattr(ticks.timezone, "localdate", lambda: date(2026, 6, 1))
    assert ticks.remind_missing_holiday_notice() == 0
