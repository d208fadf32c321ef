"""Operational records (台账): each record's fields checked, a failed morning check sending the worker home, the
records a sector keeps daily, devices pushing batches through the API, and the days missed."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from shian.core.models import AuditEntry, Notification
from shian.core.services.tokens import api_token_create
from shian.duty.choices import DutyKind, LogKind
from shian.duty.logbook import read_entry, required_logs
from shian.duty.models import LogEntry
from shian.duty.rules import morning_check_findings, retained_sample_findings
from shian.duty.selectors import standings
from shian.duty.services.logs import log_entries_record, log_entry_record
from shian.registry.models import Operator, Staff
from shian.registry.tests.factories import OperatorFactory

from .conftest import put_in_force

FEVER = Decimal("37.3")


def test_a_fever_a_symptom_or_a_hand_wound_keeps_a_worker_off_duty():
    assert morning_check_findings(temperature=Decimal("37.2"), symptoms=[], hand_wound=False, fever_from=FEVER) == []
    assert (
        len(morning_check_findings(temperature=Decimal("37.3"), symptoms=[], hand_wound=False, fever_from=FEVER)) == 1
    )
    assert (
        len(
            morning_check_findings(
                temperature=Decimal("36.5"), symptoms=["diarrhoea"], hand_wound=True, fever_from=FEVER
            )
        )
        == 2
    )


def test_a_retained_sample_is_125_grams_for_48_hours_by_default():
    assert retained_sample_findings(grams=125, hours=48, min_grams=125, min_hours=48) == []
    assert len(retained_sample_findings(grams=100, hours=24, min_grams=125, min_hours=48)) == 2


def test_each_field_is_read_and_every_bad_one_named():
    data, errors = read_entry(
        LogKind.RETAINED_SAMPLE,
        {"meal": "lunch", "dish": "红烧肉", "grams": "150", "hours": 48, "kept_by": "王师傅"},
        staff_ids=set(),
    )
    assert errors == {} and data["grams"] == 150
    _data, errors = read_entry(
        LogKind.RETAINED_SAMPLE,
        {"meal": "supper", "dish": "", "grams": "12.5", "hours": "x", "colour": "red"},
        staff_ids=set(),
    )
    assert set(errors) == {"meal", "dish", "grams", "hours", "kept_by", "colour"}
    _data, errors = read_entry(
        LogKind.MORNING_CHECK, {"staff": 99, "temperature": "36.6", "symptoms": ["sneezing"]}, staff_ids={1}
    )
    assert set(errors) == {"staff", "symptoms"}


def test_what_each_sector_keeps_daily():
    assert "accompanied_meal" in required_logs("canteen", "school")
    assert "accompanied_meal" not in required_logs("canteen", "hospital")
    assert "retained_sample" in required_logs("canteen", "hospital")
    assert required_logs("catering", "") == ["morning_check", "disinfection", "waste"]
    assert required_logs("sales", "") == []


@pytest.fixture
def cook(restaurant):
    return Staff.objects.create(operator=restaurant, name="王厨师")


def test_a_failed_morning_check_is_flagged_and_the_managers_told(
    django_capture_on_commit_callbacks, restaurant, officer, director, cook
):
    with django_capture_on_commit_callbacks(execute=True):
        entry = log_entry_record(
            operator=restaurant, kind=LogKind.MORNING_CHECK, by=officer, data={"staff": cook.pk, "temperature": "38.1"}
        )
    assert entry.staff == cook and entry.findings
    assert Notification.objects.filter(recipient=director, kind="duty.log.morning_check").exists()
    assert AuditEntry.objects.filter(action="duty.log.record", object_id=str(entry.pk)).exists()


def test_a_bad_web_entry_names_its_field(restaurant, officer):
    with pytest.raises(ValidationError) as caught:
        log_entry_record(
            operator=restaurant, kind=LogKind.WASTE, by=officer, data={"waste": "plastic", "kilograms": "-1"}
        )
    assert set(caught.value.message_dict) >= {"waste", "kilograms", "collector"}


def test_a_batch_is_all_or_nothing_with_every_bad_row(restaurant, officer, cook):
    good = {"operator": restaurant.pk, "kind": "morning_check", "data": {"staff": cook.pk, "temperature": "36.4"}}
    other = OperatorFactory(name="别家")
    batch = log_entries_record(
        rows=[
            (1, good),
            (2, {**good, "operator": other.pk}),
            (3, {**good, "at": (timezone.now() + datetime.timedelta(hours=2)).isoformat()}),
            (4, {**good, "kind": "karaoke"}),
        ],
        by=officer,
    )
    assert [p.split(": ")[1] for p in batch.problems] == ["operator", "at", "kind"]  # rows 2, 3 and 4, each named
    assert not LogEntry.objects.exists()
    batch = log_entries_record(rows=[(1, good)], by=officer)
    assert len(batch.recorded) == 1 and batch.recorded[0].source == "api"


def test_a_device_pushes_entries_with_a_scoped_token(restaurant, officer, cook, inspector, other_county_inspector):
    _token, key = api_token_create(user=officer, name="晨检机", scopes=["duty-logs:write", "duty:read"], days=30)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    body = {
        "entries": [
            {
                "operator": restaurant.pk,
                "kind": "morning_check",
                "device": "kiosk-1",
                "data": {"staff": cook.pk, "temperature": "36.6"},
            },
            {
                "operator": restaurant.credit_code,
                "kind": "disinfection",
                "data": {"items": "餐具", "method": "cabinet", "started": "14:00", "minutes": 30, "done_by": "洗消员"},
            },
        ]
    }
    response = client.post("/api/v1/duty/logs/", body, format="json")
    assert response.status_code == 201, response.content
    assert [e["kind"] for e in response.json()] == ["morning_check", "disinfection"]
    bad = client.post(
        "/api/v1/duty/logs/", {"entries": [{"operator": restaurant.pk, "kind": "menu", "data": {}}]}, format="json"
    )
    assert bad.status_code == 400 and "data.meal" in str(bad.json())
    assert LogEntry.objects.count() == 2
    read_only = APIClient()
    _t, read_key = api_token_create(user=officer, name="只读", scopes=["duty:read"], days=30)
    read_only.credentials(HTTP_AUTHORIZATION=f"Token {read_key}")
    assert read_only.post("/api/v1/duty/logs/", body, format="json").status_code == 403
    regulators = APIClient()
    regulators.force_authenticate(inspector)
    assert len(regulators.get("/api/v1/duty/logs/").json()["results"]) == 2
    regulators.force_authenticate(other_county_inspector)
    assert regulators.get("/api/v1/duty/logs/").json()["results"] == []
    assert regulators.post("/api/v1/duty/logs/", body, format="json").status_code == 403


def test_days_without_a_required_record_are_missed(templates, restaurant, officer, director, cook):
    put_in_force(restaurant, director, days_ago=3)
    today = timezone.localdate()
    for ago in (3, 1):
        LogEntry.objects.create(
            operator=restaurant,
            kind=LogKind.MORNING_CHECK,
            day=today - datetime.timedelta(days=ago),
            at=timezone.now() - datetime.timedelta(days=ago),
            data={"staff": cook.pk, "temperature": "36.5"},
            staff=cook,
            recorded_by=officer,
        )
    standing = standings(
        Operator.objects.filter(pk=restaurant.pk), first=today - datetime.timedelta(days=10), last=today, today=today
    )[restaurant.pk]
    assert standing.missed_logs[LogKind.MORNING_CHECK] == [today - datetime.timedelta(days=2)]
    assert standing.logs[LogKind.DISINFECTION].due == 3 and standing.logs[LogKind.DISINFECTION].done == 0
    assert DutyKind.DAILY in standing.completion


def test_the_log_pages_are_scoped_and_the_form_records(restaurant, officer, cook, other_county_inspector, inspector):
    from django.test import Client

    client = Client()
    client.force_login(officer)
    url = reverse("duty-log", args=[restaurant.pk, "morning_check"])
    page = client.post(
        url, {"staff": cook.pk, "temperature": "39", "symptoms": ["fever"]}, follow=True
    ).content.decode()
    assert 'data-flagged="yes"' in page and "王厨师" in page
    page = client.post(url, {"staff": "", "temperature": "abc"}).content.decode()
    assert page.count('data-testid="field-error"') == 2
    assert client.get(reverse("duty-logs", args=[restaurant.pk])).status_code == 200
    other = Client()
    other.force_login(other_county_inspector)
    assert other.get(url).status_code == 404
    mine = Client()
    mine.force_login(inspector)
    assert mine.get(url).status_code == 200
    assert 'data-testid="log-form"' not in mine.get(url).content.decode()
