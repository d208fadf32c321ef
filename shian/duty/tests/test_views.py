"""The duty pages: a business sees only its own records, a regulator only its region's, and the forms work."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shian.core.tests.factories import BusinessUserFactory
from shian.duty.models import DailyCheck, MonthlyMeeting, WeeklyReview
from shian.duty.services.records import daily_check_open, monthly_meeting_record, weekly_review_open
from shian.registry.models import Staff
from shian.registry.tests.factories import MembershipFactory, OperatorFactory

from .conftest import put_in_force
from .test_services import answer_all, meeting_facts


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def records(in_force, restaurant, officer, director, principal):
    """Today's check, this week's review and this month's minutes of the restaurant."""
    check = daily_check_open(operator=restaurant, by=officer)
    review = weekly_review_open(operator=restaurant, by=director, week=timezone.localdate())
    meeting = monthly_meeting_record(
        operator=restaurant, by=principal, month=timezone.localdate(), priorities=[], **meeting_facts()
    )
    return check, review, meeting


def pages(restaurant, check, review, meeting) -> list[str]:
    pk = restaurant.pk
    return [
        reverse("duty-operator-card", args=[pk]),
        reverse("duty-list", args=[pk]),
        reverse("duty-staffing", args=[pk]),
        reverse("duty-records", args=[pk]),
        reverse("duty-year", args=[pk, 2026]),
        reverse("duty-daily-detail", args=[check.pk]),
        reverse("duty-daily-pdf", args=[check.pk]),
        reverse("duty-weekly-detail", args=[review.pk]),
        reverse("duty-weekly-pdf", args=[review.pk]),
        reverse("duty-monthly-detail", args=[meeting.pk]),
        reverse("duty-monthly-pdf", args=[meeting.pk]),
    ]


def test_every_page_of_a_business_is_open_to_its_staff_and_its_county_but_no_one_else(
    records, restaurant, officer, inspector, other_county_inspector
):
    urls = pages(restaurant, *records)
    stranger = BusinessUserFactory(username="other-shop")
    MembershipFactory(operator=OperatorFactory(name="别家店"), user=stranger)
    for url in urls:
        assert client_for(officer).get(url).status_code == 200, url
        assert client_for(inspector).get(url).status_code == 200, url
        assert client_for(other_county_inspector).get(url).status_code == 404, url
        assert client_for(stranger).get(url).status_code == 404, url


def test_the_pdfs_are_the_three_records(records, restaurant, officer):
    check, review, meeting = records
    for name, url in [
        ("daily", reverse("duty-daily-pdf", args=[check.pk])),
        ("weekly", reverse("duty-weekly-pdf", args=[review.pk])),
        ("monthly", reverse("duty-monthly-pdf", args=[meeting.pk])),
    ]:
        response = client_for(officer).get(url)
        assert response["Content-Type"] == "application/pdf", name
        assert response.content.startswith(b"%PDF"), name


def test_a_regulator_reads_but_cannot_write(records, restaurant, inspector):
    check, review, _meeting = records
    client = client_for(inspector)
    line = check.lines.first()
    assert client.post(reverse("duty-daily-answer", args=[check.pk, line.pk]), {"ok": "no"}).status_code == 403
    assert client.post(reverse("duty-daily-sign", args=[check.pk])).status_code == 403
    assert client.post(reverse("duty-weekly-sign", args=[review.pk])).status_code == 403
    assert client.post(reverse("duty-list-action", args=[restaurant.pk, "revise"])).status_code == 403
    line.refresh_from_db()
    assert line.ok is None


def test_the_officer_answers_an_item_with_htmx_and_signs(in_force, restaurant, officer):
    client = client_for(officer)
    response = client.post(reverse("duty-daily-open", args=[restaurant.pk]))
    check = DailyCheck.objects.get(operator=restaurant)
    assert response.url == reverse("duty-daily-detail", args=[check.pk])
    line = check.lines.select_related("point").filter(point__photo=False).first()
    url = reverse("duty-daily-answer", args=[check.pk, line.pk])
    row = client.post(url, {"ok": "no", "problem": "抹布未消毒", "action": "已更换"}, headers={"HX-Request": "true"})
    assert 'data-ok="no"' in row.content.decode() and "抹布未消毒" in row.content.decode()
    answer_all(check, officer, no={line.point.number: "抹布未消毒"})
    page = client.post(reverse("duty-daily-sign", args=[check.pk]), follow=True).content.decode()
    assert 'data-state="signed"' in page
    check.refresh_from_db()
    assert check.problems == 1


def test_signing_an_unfinished_check_shows_what_is_missing(in_force, restaurant, officer):
    check = daily_check_open(operator=restaurant, by=officer)
    page = client_for(officer).post(reverse("duty-daily-sign", args=[check.pk]), follow=True).content.decode()
    first = check.lines.select_related("point").order_by("point__order").first()
    assert re.search(rf"{re.escape(first.point.number)}[:：]", page)
    assert 'data-state="draft"' in page


def test_a_business_manager_adopts_the_template_and_puts_it_in_force(templates, restaurant, director):
    client = client_for(director)
    page = client.get(reverse("duty-list", args=[restaurant.pk])).content.decode()
    assert 'data-testid="adopt-form"' in page and "餐饮服务" in page
    client.post(reverse("duty-list-action", args=[restaurant.pk, "adopt"]), {"template": templates["catering"].pk})
    client.post(reverse("duty-list-action", args=[restaurant.pk, "in-force"]))
    page = client.get(reverse("duty-list", args=[restaurant.pk])).content.decode()
    assert 'data-state="in_force"' in page
    assert page.count('data-testid="point"') == templates["catering"].points.count()


def test_an_officer_may_not_change_the_list(templates, restaurant, officer):
    response = client_for(officer).post(
        reverse("duty-list-action", args=[restaurant.pk, "adopt"]), {"template": templates["catering"].pk}
    )
    assert response.status_code == 403


def test_the_weekly_page_shows_the_pre_filled_problems_and_signs(in_force, restaurant, officer, director):
    check = daily_check_open(operator=restaurant, by=officer)
    line = check.lines.select_related("point").filter(point__photo=False).first()
    answer_all(check, officer, no={line.point.number: "洗手池无皂液"})
    from shian.duty.services.records import daily_check_sign

    daily_check_sign(check=check, by=officer)
    client = client_for(director)
    client.post(reverse("duty-weekly-open", args=[restaurant.pk]), {"week": timezone.localdate().isoformat()})
    review = WeeklyReview.objects.get(operator=restaurant)
    page = client.get(reverse("duty-weekly-detail", args=[review.pk])).content.decode()
    assert "洗手池无皂液" in page and f'data-point="{line.point.number}"' in page and 'data-origin="daily"' in page
    problem = review.problems.get()
    client.post(
        reverse("duty-weekly-problem", args=[review.pk, problem.pk]),
        {
            f"p{problem.pk}-measure": "补充皂液",
            f"p{problem.pk}-owner": "保洁",
            f"p{problem.pk}-deadline": timezone.localdate().isoformat(),
            f"p{problem.pk}-status": "fixed",
        },
    )
    client.post(
        reverse("duty-weekly-update", args=[review.pk]), {"assessment": "controlled", "recipient": "主要负责人"}
    )
    page = client.post(reverse("duty-weekly-sign", args=[review.pk]), follow=True).content.decode()
    assert 'data-state="signed"' in page
    problem.refresh_from_db()
    assert (problem.owner, problem.status) == ("保洁", "fixed")


def test_the_monthly_form_is_pre_filled_and_saves_the_priorities(in_force, restaurant, principal):
    client = client_for(principal)
    month = timezone.localdate().strftime("%Y-%m")
    page = client.get(reverse("duty-monthly-edit", args=[restaurant.pk, month])).content.decode()
    assert page.count('data-testid="priority-row"') == 5
    data = {
        "held_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "place": "会议室",
        "chair": "吴老板",
        "attendees": "吴老板、郑总监",
        "director_report": "本月情况良好",
        "priority-TOTAL_FORMS": "5",
        "priority-INITIAL_FORMS": "0",
        "priority-MIN_NUM_FORMS": "5",
        "priority-MAX_NUM_FORMS": "20",
        "priority-0-text": "夏季食品安全培训",
        "priority-0-owner": "郑总监",
        "priority-0-deadline": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
    }
    response = client.post(reverse("duty-monthly-edit", args=[restaurant.pk, month]), data)
    meeting = MonthlyMeeting.objects.get(operator=restaurant)
    assert response.url == reverse("duty-monthly-detail", args=[meeting.pk])
    assert list(meeting.priorities.values_list("text", "owner")) == [("夏季食品安全培训", "郑总监")]


def test_appointing_a_banned_person_shows_why(settings, restaurant, principal):
    settings.SHIAN_DUTY = {**settings.SHIAN_DUTY, "BAN_REGISTER": "shian.duty.tests.test_services.stub_bans"}
    from .test_services import BANNED_ID

    person = Staff.objects.create(operator=restaurant, name="李四", id_number=BANNED_ID)
    response = client_for(principal).post(
        reverse("duty-staffing", args=[restaurant.pk]),
        {"staff": person.pk, "role": "officer", "appointed_on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 200
    assert "吊销许可证" in response.content.decode()


def test_the_oversight_page_shows_the_region_and_drills_down(
    templates, restaurant, director, inspector, other_county_inspector
):
    put_in_force(restaurant, director, days_ago=5)
    page = client_for(inspector).get(reverse("duty-oversight")).content.decode()
    assert 'data-key="320508"' in page
    page = client_for(inspector).get(reverse("duty-oversight") + "?region=320508").content.decode()
    assert "姑苏面馆" in page and 'data-testid="rate-daily" data-due="5" data-done="0"' in page
    page = client_for(other_county_inspector).get(reverse("duty-oversight") + "?region=320508").content.decode()
    assert "姑苏面馆" not in page


def test_a_business_user_lands_on_the_duty_card_of_its_business(in_force, restaurant, officer):
    response = client_for(officer).get(reverse("duty-card"))
    assert response.url == reverse("duty-operator-card", args=[restaurant.pk])
    page = client_for(officer).get(response.url).content.decode()
    assert 'data-testid="duty-daily" data-state="due"' in page
    assert 'data-testid="staffing-gaps"' in page
