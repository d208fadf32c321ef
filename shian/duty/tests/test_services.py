"""The duty services: templates, lists, appointments and the three records, with their audit and ledger entries."""

import datetime
import re
import tomllib

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from shian.core.models import AuditEntry, LedgerEntry, Notification
from shian.core.services.ledger import ledger_verify
from shian.core.tests.test_evidence import upload
from shian.duty.choices import Assessment, DutyRole, ListStatus, ProblemStatus, RecordsOn
from shian.duty.models import Appointment, DailyCheck, RiskControlList
from shian.duty.services.lists import (
    SHIPPED,
    control_list_put_in_force,
    control_list_revise,
    risk_point_save,
    template_for,
    template_load,
)
from shian.duty.services.records import (
    daily_check_answer,
    daily_check_open,
    daily_check_sign,
    monthly_meeting_record,
    monthly_meeting_sign,
    weekly_problem_save,
    weekly_review_open,
    weekly_review_refresh,
    weekly_review_sign,
    weekly_review_update,
)
from shian.duty.services.staffing import appointment_end, appointment_make
from shian.registry.models import Staff
from shian.registry.tests.factories import OperatorFactory
from shian.training.tests.factories import taken_exam

from .conftest import put_in_force


def today():
    return timezone.localdate()


# Templates and lists ---------------------------------------------------------------------------------------------


def test_shipped_templates_cover_the_sectors_with_enough_points(templates):
    assert set(templates) >= {"catering", "school_canteen", "production", "sales"}
    assert templates["catering"].points.count() >= 25
    assert templates["school_canteen"].points.count() >= 25
    assert templates["school_canteen"].records_on == RecordsOn.WORKING_DAYS


def test_loading_a_template_twice_adds_nothing(templates):
    data = tomllib.loads((SHIPPED / "catering.toml").read_text("utf-8"))
    again, created = template_load(data=data)
    assert not created and again == templates["catering"]


def test_a_bad_template_reports_every_problem_and_stores_nothing(db):
    data = {
        "code": "bad",
        "name": "坏模板",
        "version": 1,
        "applies_to": ["catering", "spaceship"],
        "records_on": "sometimes",
        "points": [
            {
                "number": "1.1",
                "stage": "采购",
                "risk": "r",
                "level": "extreme",
                "measure": "m",
                "owner": "o",
                "check": "q",
            },
            {"number": "1.1", "stage": "采购", "risk": "r", "level": "low", "measure": "m", "owner": "", "check": "q"},
        ],
    }
    with pytest.raises(ValidationError) as caught:
        template_load(data=data)
    text = " ".join(caught.value.messages)
    for where in ("records_on", "applies_to", "points[1].level", "points[2].number", "points[2].owner"):
        assert where in text
    assert not RiskControlList.objects.exists()


def test_the_template_of_a_school_canteen_is_the_school_one_and_a_hospital_canteen_gets_the_catering_one(templates):
    school = OperatorFactory(category="canteen", canteen_kind="school")
    hospital = OperatorFactory(category="canteen", canteen_kind="hospital")
    assert template_for(school).code == "school_canteen"
    assert template_for(hospital).code == "catering"


def test_a_revision_is_a_new_version_and_the_old_one_stays_with_its_checks(in_force, restaurant, director, officer):
    check = daily_check_open(operator=restaurant, by=officer)
    draft = control_list_revise(control_list=in_force, by=director)
    assert draft.version == in_force.version + 1 and draft.status == ListStatus.DRAFT
    assert draft.points.count() == in_force.points.count()
    first = draft.points.first()
    risk_point_save(control_list=draft, by=director, point=first, question="冷藏柜温度是否在0–8℃？")
    with pytest.raises(ValidationError):
        risk_point_save(control_list=in_force, by=director, point=in_force.points.first(), question="改不了")
    control_list_put_in_force(control_list=draft, by=director, on=today())
    in_force.refresh_from_db()
    assert in_force.status == ListStatus.SUPERSEDED
    check.refresh_from_db()
    assert check.control_list == in_force  # today's check keeps the version it was made against
    assert AuditEntry.objects.filter(action="duty.list.in_force", object_id=str(draft.pk)).exists()


def test_a_list_without_daily_points_cannot_be_put_in_force(in_force, director):
    draft = control_list_revise(control_list=in_force, by=director)
    draft.points.filter(frequency="daily").delete()
    with pytest.raises(ValidationError):
        control_list_put_in_force(control_list=draft, by=director, on=today())


# Appointments ----------------------------------------------------------------------------------------------------


def staff(operator, name="张三", id_number="11010519491231002X", active=True):
    return Staff.objects.create(operator=operator, name=name, id_number=id_number, active=active)


def test_a_person_under_an_industry_ban_cannot_be_appointed_officer(settings, restaurant, director):
    settings.SHIAN_DUTY = {**settings.SHIAN_DUTY, "BAN_REGISTER": "shian.duty.tests.test_services.stub_bans"}
    banned = staff(restaurant, "李四", BANNED_ID)
    with pytest.raises(ValidationError) as caught:
        appointment_make(operator=restaurant, staff=banned, role=DutyRole.OFFICER, appointed_on=today(), by=director)
    assert "吊销许可证" in " ".join(caught.value.messages)
    clean = staff(restaurant, "王五", "110105194912310021")
    appointment_make(operator=restaurant, staff=clean, role=DutyRole.OFFICER, appointed_on=today(), by=director)
    assert Appointment.objects.current().filter(operator=restaurant, role=DutyRole.OFFICER).count() == 1


BANNED_ID = "11010519491231002X"


def stub_bans(id_number: str, on: datetime.date) -> str | None:
    """A stub industry-ban register (the enforcement module will keep the real one)."""
    return "因吊销许可证五年内不得从事食品安全管理工作" if id_number == BANNED_ID else None


def test_a_new_director_replaces_the_one_in_office_and_officers_accumulate(restaurant, director):
    first, second = staff(restaurant, "甲", "110105194912310021"), staff(restaurant, "乙", "11010519491231002X")
    old = appointment_make(
        operator=restaurant,
        staff=first,
        role=DutyRole.DIRECTOR,
        appointed_on=today() - datetime.timedelta(days=30),
        by=director,
    )
    appointment_make(operator=restaurant, staff=second, role=DutyRole.DIRECTOR, appointed_on=today(), by=director)
    old.refresh_from_db()
    assert old.ended_on == today() - datetime.timedelta(days=1)
    appointment_make(operator=restaurant, staff=first, role=DutyRole.OFFICER, appointed_on=today(), by=director)
    appointment_make(operator=restaurant, staff=second, role=DutyRole.OFFICER, appointed_on=today(), by=director)
    assert Appointment.objects.current().filter(operator=restaurant, role=DutyRole.OFFICER).count() == 2
    with pytest.raises(ValidationError):
        appointment_make(operator=restaurant, staff=second, role=DutyRole.OFFICER, appointed_on=today(), by=director)


def test_only_the_business_own_staff_still_working_there_can_be_appointed(restaurant, director):
    other = staff(OperatorFactory(), "外人")
    with pytest.raises(ValidationError):
        appointment_make(operator=restaurant, staff=other, role=DutyRole.OFFICER, appointed_on=today(), by=director)
    gone = staff(restaurant, "离职", active=False)
    with pytest.raises(ValidationError):
        appointment_make(operator=restaurant, staff=gone, role=DutyRole.OFFICER, appointed_on=today(), by=director)


def test_an_appointment_ends_once_and_not_before_it_began(restaurant, director):
    appointment = appointment_make(
        operator=restaurant, staff=staff(restaurant), role=DutyRole.PRINCIPAL, appointed_on=today(), by=director
    )
    with pytest.raises(ValidationError):
        appointment_end(appointment=appointment, ended_on=today() - datetime.timedelta(days=1), by=director)
    appointment_end(appointment=appointment, ended_on=today(), by=director)
    with pytest.raises(ValidationError):
        appointment_end(appointment=appointment, ended_on=today(), by=director)


# The daily check -------------------------------------------------------------------------------------------------


def answer_all(check, by, *, no: dict | None = None):
    no = no or {}
    for line in check.lines.select_related("point"):
        problem = no.get(line.point.number)
        daily_check_answer(
            line=line, by=by, ok=problem is None, problem=problem or "", action="已处置" if problem else ""
        )


def test_a_day_without_problems_is_signed_as_a_zero_risk_record_and_enters_the_ledger(in_force, restaurant, officer):
    check = daily_check_open(operator=restaurant, by=officer)
    assert check.lines.count() == in_force.points.filter(frequency="daily").count()
    assert daily_check_open(operator=restaurant, by=officer) == check  # one check a day
    answer_all(check, officer)
    daily_check_sign(check=check, by=officer)
    assert check.zero_risk and check.problems == 0
    entry = LedgerEntry.objects.get(kind="duty.daily", object_id=str(check.pk))
    assert len(entry.payload["lines"]) == check.lines.count()
    assert ledger_verify().ok


def test_signing_needs_every_item_answered_and_every_problem_described(in_force, restaurant, officer):
    check = daily_check_open(operator=restaurant, by=officer)
    lines = list(check.lines.select_related("point").order_by("point__order"))
    plain = next(line for line in lines if not line.point.photo)
    daily_check_answer(line=plain, by=officer, ok=False)
    with pytest.raises(ValidationError) as caught:
        daily_check_sign(check=check, by=officer)
    text = " ".join(caught.value.messages)
    assert re.search(rf"{re.escape(plain.point.number)}[:：]", text)  # the problem not described
    assert re.search(rf"{re.escape(lines[-1].point.number)}[:：]", text)  # an item not answered
    check.refresh_from_db()
    assert check.signed_at is None


def test_a_problem_on_a_point_that_needs_a_photo_is_signed_only_with_one(media, in_force, restaurant, officer):
    check = daily_check_open(operator=restaurant, by=officer)
    line = check.lines.select_related("point").filter(point__photo=True).first()
    answer_all(check, officer, no={line.point.number: "冷藏柜温度偏高"})
    with pytest.raises(ValidationError) as caught:
        daily_check_sign(check=check, by=officer)
    assert line.point.number in " ".join(caught.value.messages)
    evidence = upload(officer, operator=restaurant, subject=line)
    assert evidence.subject == line
    daily_check_sign(check=check, by=officer)
    assert check.problems == 1 and not check.zero_risk
    payload = LedgerEntry.objects.get(kind="duty.daily", object_id=str(check.pk)).payload
    failed = next(item for item in payload["lines"] if item["ok"] is False)
    assert failed["evidence"] == [str(evidence.public_id)]


def test_problems_are_reported_to_the_director_at_once(
    django_capture_on_commit_callbacks, in_force, restaurant, officer, director
):
    check = daily_check_open(operator=restaurant, by=officer)
    line = check.lines.select_related("point").filter(point__photo=False).first()
    answer_all(check, officer, no={line.point.number: "地面有积水"})
    with django_capture_on_commit_callbacks(execute=True):
        daily_check_sign(check=check, by=officer)
    assert Notification.objects.filter(recipient=director, kind="duty.daily.problems").exists()
    assert not Notification.objects.filter(recipient=officer).exists()


def test_a_signed_check_cannot_change(in_force, restaurant, officer):
    check = daily_check_open(operator=restaurant, by=officer)
    answer_all(check, officer)
    daily_check_sign(check=check, by=officer)
    with pytest.raises(ValidationError):
        daily_check_answer(line=check.lines.first(), by=officer, ok=False, problem="事后修改")


def test_only_the_officer_or_the_director_keeps_the_daily_check(in_force, restaurant, principal):
    with pytest.raises(ValidationError):
        daily_check_open(operator=restaurant, by=principal)


def test_without_a_list_in_force_there_is_nothing_to_check(templates, restaurant, officer):
    with pytest.raises(ValidationError):
        daily_check_open(operator=restaurant, by=officer)


def test_a_check_is_recorded_on_its_day(in_force, restaurant, officer):
    with pytest.raises(ValidationError):
        daily_check_open(operator=restaurant, by=officer, day=today() - datetime.timedelta(days=1))


# The weekly review -----------------------------------------------------------------------------------------------


def signed_check(operator, by, day, control_list, problems: dict | None = None):
    """A signed check of a past day, as a row (the service records only the present day)."""
    from shian.duty.models import DailyCheckLine

    check = DailyCheck.objects.create(
        operator=operator,
        day=day,
        control_list=control_list,
        recorded_by=by,
        signed_at=timezone.now(),
        problems=len(problems or {}),
    )
    for point in control_list.points.filter(frequency="daily"):
        text = (problems or {}).get(point.number)
        DailyCheckLine.objects.create(daily_check=check, point=point, ok=text is None, problem=text or "", action="")
    return check


def test_the_weekly_review_is_pre_filled_from_the_week_and_last_weeks_open_problems(
    templates, restaurant, officer, director
):
    control_list = put_in_force(restaurant, director, days_ago=14)
    monday = today() - datetime.timedelta(days=today().weekday())
    last_monday = monday - datetime.timedelta(days=7)
    points = list(control_list.points.filter(frequency="daily").order_by("order"))
    signed_check(
        restaurant,
        officer,
        last_monday + datetime.timedelta(days=1),
        control_list,
        {points[0].number: "上周：冷柜温度高"},
    )
    signed_check(
        restaurant,
        officer,
        last_monday + datetime.timedelta(days=2),
        control_list,
        {points[1].number: "上周：已修好的问题"},
    )
    last = weekly_review_open(operator=restaurant, by=director, week=last_monday)
    first, second = last.problems.order_by("order")
    weekly_problem_save(
        review=last, by=director, problem=first, owner="厨师长", deadline=today() + datetime.timedelta(days=3)
    )
    weekly_problem_save(
        review=last, by=director, problem=second, owner="厨师长", deadline=today(), status=ProblemStatus.FIXED
    )
    weekly_review_update(review=last, by=director, assessment=Assessment.HAZARDS)
    weekly_review_sign(review=last, by=director)

    signed_check(restaurant, officer, monday, control_list, {points[2].number: "本周：地面积水"})
    review = weekly_review_open(operator=restaurant, by=director, week=today())
    problems = list(review.problems.order_by("order"))
    assert [(p.description, p.point_number, bool(p.carried_from_id), bool(p.daily_line_id)) for p in problems] == [
        ("上周：冷柜温度高", points[0].number, True, False),  # carried over, still open
        ("本周：地面积水", points[2].number, False, True),
    ]
    assert problems[0].owner == "厨师长" and problems[0].deadline == today() + datetime.timedelta(days=3)


def test_a_refresh_adds_the_daily_problems_signed_since_and_no_twice(in_force, restaurant, officer, director):
    review = weekly_review_open(operator=restaurant, by=director, week=today())
    assert review.problems.count() == 0
    check = daily_check_open(operator=restaurant, by=officer)
    line = check.lines.select_related("point").filter(point__photo=False).first()
    answer_all(check, officer, no={line.point.number: "砧板未分开"})
    daily_check_sign(check=check, by=officer)
    assert weekly_review_refresh(review=review, by=director) == 1
    assert weekly_review_refresh(review=review, by=director) == 0
    assert review.problems.get().daily_line == line


def test_the_weekly_review_is_signed_with_an_assessment_and_an_owner_and_deadline_per_open_problem(
    django_capture_on_commit_callbacks, in_force, restaurant, director, principal
):
    review = weekly_review_open(operator=restaurant, by=director, week=today())
    problem = weekly_problem_save(review=review, by=director, description="排水沟堵塞")
    with pytest.raises(ValidationError) as caught:
        weekly_review_sign(review=review, by=director)
    assert len(caught.value.messages) == 2  # no assessment, and the problem has no owner nor deadline
    weekly_problem_save(review=review, by=director, problem=problem, owner="后勤", deadline=today())
    weekly_review_update(review=review, by=director, assessment=Assessment.SERIOUS, analysis="排水系统老化")
    with django_capture_on_commit_callbacks(execute=True):
        weekly_review_sign(review=review, by=director)
    assert review.is_signed
    assert LedgerEntry.objects.get(kind="duty.weekly", object_id=str(review.pk)).payload["assessment"] == "serious"
    assert Notification.objects.filter(recipient=principal, kind="duty.weekly.serious").exists()
    with pytest.raises(ValidationError):
        weekly_review_update(review=review, by=director, assessment=Assessment.CONTROLLED)


def test_a_fixed_problem_gets_its_date_and_an_open_one_loses_it(in_force, restaurant, director):
    review = weekly_review_open(operator=restaurant, by=director, week=today())
    problem = weekly_problem_save(review=review, by=director, description="灭蝇灯损坏", status=ProblemStatus.FIXED)
    assert problem.fixed_on == today()
    problem = weekly_problem_save(review=review, by=director, problem=problem, status=ProblemStatus.OPEN)
    assert problem.fixed_on is None


def test_a_weekly_review_of_a_week_not_begun_is_refused(in_force, restaurant, director):
    with pytest.raises(ValidationError):
        weekly_review_open(operator=restaurant, by=director, week=today() + datetime.timedelta(days=7))


# The monthly meeting ---------------------------------------------------------------------------------------------


def meeting_facts(**extra):
    return {
        "held_at": timezone.now(),
        "place": "会议室",
        "chair": "吴老板",
        "attendees": "吴老板、郑总监、冯安全员",
        "director_report": "本月日管控按时开展。",
        **extra,
    }


def test_the_minutes_need_priorities_with_owner_and_deadline(in_force, restaurant, principal):
    with pytest.raises(ValidationError) as caught:
        monthly_meeting_record(
            operator=restaurant,
            by=principal,
            month=today(),
            priorities=[{"text": "培训", "owner": "", "deadline": None}],
            **meeting_facts(),
        )
    assert "priorities" in caught.value.message_dict
    meeting = monthly_meeting_record(operator=restaurant, by=principal, month=today(), priorities=[], **meeting_facts())
    assert meeting.month == today().replace(day=1)
    with pytest.raises(ValidationError):
        monthly_meeting_sign(meeting=meeting, by=principal)
    meeting = monthly_meeting_record(
        operator=restaurant,
        by=principal,
        month=today(),
        priorities=[{"text": "全员培训", "owner": "郑总监", "deadline": today() + datetime.timedelta(days=20)}],
        **meeting_facts(decisions="更换温度计"),
    )
    monthly_meeting_sign(meeting=meeting, by=principal)
    entry = LedgerEntry.objects.get(kind="duty.monthly", object_id=str(meeting.pk))
    assert entry.payload["priorities"][0]["owner"] == "郑总监"
    with pytest.raises(ValidationError):
        monthly_meeting_record(operator=restaurant, by=principal, month=today(), priorities=[], **meeting_facts())


def test_an_officer_does_not_hold_the_monthly_meeting(in_force, restaurant, officer):
    with pytest.raises(ValidationError):
        monthly_meeting_record(operator=restaurant, by=officer, month=today(), priorities=[], **meeting_facts())


def test_every_write_is_audited(in_force, restaurant, officer, director):
    check = daily_check_open(operator=restaurant, by=officer)
    answer_all(check, officer)
    daily_check_sign(check=check, by=officer)
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "duty.list.adopt",
        "duty.list.in_force",
        "duty.daily.open",
        "duty.daily.answer",
        "duty.daily.sign",
    } <= actions
    assert RiskControlList.objects.filter(operator=restaurant, status=ListStatus.IN_FORCE).count() == 1


def test_a_person_who_failed_the_bureaus_spot_test_cannot_be_appointed(restaurant, director):
    person = staff(restaurant, "赵六", "110105194912310021")
    taken_exam(staff=person, user=director, kind="spot", score=40)
    with pytest.raises(ValidationError):
        appointment_make(operator=restaurant, staff=person, role=DutyRole.OFFICER, appointed_on=today(), by=director)
    appointment_make(operator=restaurant, staff=person, role=DutyRole.PRINCIPAL, appointed_on=today(), by=director)
