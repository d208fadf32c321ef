"""一码一卡一图: a worker's public QR page shows only public-safe facts; the business's staff codes and its safety
status map are its own and its county's."""

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shian.duty.choices import LogKind
from shian.duty.codes import safety_map
from shian.duty.models import LogEntry
from shian.duty.services.records import daily_check_open, daily_check_sign
from shian.registry.models import Staff

from .test_services import answer_all

ID_NUMBER = "11010519491231002X"


def worker(operator, **extra):
    today = timezone.localdate()
    return Staff.objects.create(
        operator=operator,
        name="王小明",
        id_number=ID_NUMBER,
        phone="13912345678",
        health_certificate_no="JKZ2026001",
        health_certificate_issued_on=today - datetime.timedelta(days=30),
        health_certificate_expires_on=today + datetime.timedelta(days=335),
        **extra,
    )


def test_the_staff_page_shows_the_certificate_and_todays_check_but_no_personal_numbers(restaurant, officer):
    cook = worker(restaurant)
    page = Client().get(reverse("public-staff", args=[cook.public_id])).content.decode()
    assert "王*" in page and "王小明" not in page
    assert ID_NUMBER not in page and "13912345678" not in page and "JKZ2026001" not in page
    assert 'data-valid="yes"' in page and 'data-fit="unchecked"' in page
    LogEntry.objects.create(
        operator=restaurant,
        kind=LogKind.MORNING_CHECK,
        day=timezone.localdate(),
        at=timezone.now(),
        data={"staff": cook.pk, "temperature": "38.0"},
        staff=cook,
        findings=["体温 38.0 °C"],
        recorded_by=officer,
    )
    assert 'data-fit="no"' in Client().get(reverse("public-staff", args=[cook.public_id])).content.decode()
    svg = Client().get(reverse("public-staff-qr", args=[cook.public_id]))
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content


def test_a_worker_who_left_has_no_public_page(restaurant):
    gone = worker(restaurant, active=False)
    assert Client().get(reverse("public-staff", args=[gone.public_id])).status_code == 404


def test_the_staff_codes_sheet_is_the_business_own(
    restaurant, director, inspector, other_county_inspector, django_assert_max_num_queries
):
    worker(restaurant)
    for n in range(5):
        Staff.objects.create(operator=restaurant, name=f"帮厨{n}")
    for user, status in ((director, 200), (inspector, 200), (other_county_inspector, 404)):
        client = Client()
        client.force_login(user)
        response = client.get(reverse("duty-staff-codes", args=[restaurant.pk]))
        assert response.status_code == status
    client = Client()
    client.force_login(director)
    with django_assert_max_num_queries(15):  # not one query per person
        page = client.get(reverse("duty-staff-codes", args=[restaurant.pk])).content.decode()
    assert page.count('data-testid="staff-code"') == 6


def test_the_safety_map_shows_each_point_with_its_latest_state(
    in_force, restaurant, officer, director, other_county_inspector
):
    control_list, stages = safety_map(restaurant)
    states = [s for _stage, group in stages for s in group]
    assert len(states) == control_list.points.count() and {s.state for s in states} == {"unchecked"}
    check = daily_check_open(operator=restaurant, by=officer)
    failed = check.lines.select_related("point").filter(point__photo=False).first()
    answer_all(check, officer, no={failed.point.number: "抹布未清洗"})
    daily_check_sign(check=check, by=officer)
    _list, stages = safety_map(restaurant)
    by_number = {s.point.number: s.state for _stage, group in stages for s in group}
    assert by_number[failed.point.number] == "problem"
    assert list(by_number.values()).count("ok") == check.lines.count() - 1
    client = Client()
    client.force_login(director)
    page = client.get(reverse("duty-safety-map", args=[restaurant.pk])).content.decode()
    assert f'data-number="{failed.point.number}" data-state="problem"' in page
    client.force_login(other_county_inspector)
    assert client.get(reverse("duty-safety-map", args=[restaurant.pk])).status_code == 404
