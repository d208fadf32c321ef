"""Demo data of the duty module: the shipped templates; the first 姑苏 business with its managers appointed, a list
in force for four weeks and a history of daily checks (a few days missed, a few problems), two weeks of operational
records, last week's review and last month's meeting; the second with a list but no records (so the regulators'
view shows it stopped)."""

import datetime

from django.utils import timezone

from shian.core.demo import DemoContext, demo_step
from shian.core.models import User
from shian.registry.choices import MembershipRole, StaffRole
from shian.registry.models import Operator

from .choices import Assessment, DutyKind, DutyRole, Frequency, LogKind
from .models import (
    Appointment,
    DailyCheck,
    DailyCheckLine,
    LogEntry,
    RiskControlList,
)
from .rules import period_start
from .services.lists import control_list_adopt, control_list_put_in_force, template_for, templates_load_shipped
from .services.records import (
    monthly_meeting_record,
    monthly_meeting_sign,
    weekly_problem_save,
    weekly_review_open,
    weekly_review_sign,
    weekly_review_update,
)
from .services.staffing import appointment_make

HISTORY_DAYS = 28
MISSED = {3, 18, 19}  # days ago without a daily check


def _problems(today: datetime.date) -> dict[int, str]:
    """Problems found days ago: this week or the last, last Wednesday (so last week's review has one), and earlier."""
    return {2: "冷藏柜温度显示8℃，超过0–5℃要求", today.weekday() + 5: "粗加工间地面有积水", 16: "防鼠板未放回原位"}


def _appoint(operator: Operator, today: datetime.date) -> None:
    wanted = {
        StaffRole.PRINCIPAL: DutyRole.PRINCIPAL,
        StaffRole.DIRECTOR: DutyRole.DIRECTOR,
        StaffRole.OFFICER: DutyRole.OFFICER,
    }
    for staff in operator.staff.filter(role__in=wanted):
        if not Appointment.objects.filter(staff=staff).exists():
            appointment_make(
                operator=operator,
                staff=staff,
                role=wanted[staff.role],
                appointed_on=today - datetime.timedelta(days=60),
                by=None,
            )


def _history(
    operator: Operator, control_list: RiskControlList, officer: User, director: User, today: datetime.date
) -> None:
    """Signed daily checks of the past four weeks written as rows (the services record only the present day)."""
    points = list(control_list.points.filter(frequency=Frequency.DAILY))
    problems = _problems(today)
    for ago in range(HISTORY_DAYS, 0, -1):
        if ago in MISSED:
            continue
        day = today - datetime.timedelta(days=ago)
        signed = timezone.make_aware(datetime.datetime.combine(day, datetime.time(16, 30)))
        problem = problems.get(ago)
        check = DailyCheck.objects.create(
            operator=operator,
            day=day,
            control_list=control_list,
            recorded_by=officer,
            inspector_role=DutyRole.OFFICER,
            signed_at=signed,
            problems=1 if problem else 0,
        )
        DailyCheckLine.objects.bulk_create(
            DailyCheckLine(
                daily_check=check,
                point=point,
                ok=not (problem and n == 0),
                problem=problem if problem and n == 0 else "",
                action="已当场处置并报告食品安全总监" if problem and n == 0 else "",
            )
            for n, point in enumerate(points)
        )
    _logs(operator, officer, today)
    _last_week_and_month(operator, director, today)


def _last_week_and_month(operator: Operator, director: User, today: datetime.date) -> None:
    """Last week's review, pre-filled from those checks by the service and signed; last month's minutes."""
    review = weekly_review_open(operator=operator, by=director, week=today - datetime.timedelta(days=7))
    for problem in review.problems.all():
        weekly_problem_save(
            review=review,
            by=director,
            problem=problem,
            measure="联系厂家检修，加强巡查",
            owner=problem.owner,
            deadline=today + datetime.timedelta(days=5),
        )
    weekly_review_update(
        review=review,
        by=director,
        recipient="主要负责人",
        analysis="本周日管控发现问题已当场处置，另组织了一次虫害防治检查。",
        assessment=Assessment.CONTROLLED,
    )
    weekly_review_sign(review=review, by=director)
    last_month = period_start(DutyKind.MONTHLY, period_start(DutyKind.MONTHLY, today) - datetime.timedelta(days=1))
    meeting = monthly_meeting_record(
        operator=operator,
        by=director,
        month=last_month,
        held_at=timezone.make_aware(
            datetime.datetime.combine(last_month + datetime.timedelta(days=27), datetime.time(15))
        ),
        place="二楼会议室",
        chair="吴老板",
        attendees="吴老板、郑总监、冯安全员、厨师长",
        director_report="本月日管控按时开展，发现问题均已整改。",
        decisions="更换老化的冷藏柜温度计。",
        recorder="冯安全员",
        priorities=[
            {"text": "完成冷藏设备温度计校准", "owner": "郑总监", "deadline": today + datetime.timedelta(days=20)}
        ],
    )
    monthly_meeting_sign(meeting=meeting, by=director)


def _logs(operator: Operator, officer: User, today: datetime.date) -> None:
    """Two weeks of operational records: each worker's morning check, a disinfection run and the waste handed over
    (one worker with a fever, one day without a disinfection record)."""
    workers = list(operator.staff.filter(active=True))
    entries = []
    for ago in range(14, 0, -1):
        day = today - datetime.timedelta(days=ago)

        def at(hour: int, minute: int = 0, day=day) -> datetime.datetime:
            return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))

        for n, worker in enumerate(workers):
            fever = ago == 5 and n == len(workers) - 1
            entries.append(
                LogEntry(
                    operator=operator,
                    kind=LogKind.MORNING_CHECK,
                    day=day,
                    at=at(7, n),
                    data={
                        "staff": worker.pk,
                        "temperature": "37.8" if fever else "36.5",
                        "symptoms": [],
                        "hand_wound": False,
                    },
                    staff=worker,
                    findings=["体温 37.8 °C"] if fever else [],
                    recorded_by=officer,
                    source="api",
                    device="晨检机-01",
                )
            )
        if ago != 6:
            entries.append(
                LogEntry(
                    operator=operator,
                    kind=LogKind.DISINFECTION,
                    day=day,
                    at=at(14),
                    data={
                        "items": "餐具、砧板",
                        "method": "cabinet",
                        "started": "14:00",
                        "minutes": 30,
                        "done_by": "洗消员",
                    },
                    recorded_by=officer,
                    source="api",
                    device="消毒柜-01",
                )
            )
        entries.append(
            LogEntry(
                operator=operator,
                kind=LogKind.WASTE,
                day=day,
                at=at(21),
                data={
                    "waste": "kitchen_waste",
                    "kilograms": "12.5",
                    "collector": "姑苏环卫收运公司",
                    "contract": "HW-2026-018",
                },
                recorded_by=officer,
            )
        )
    LogEntry.objects.bulk_create(entries)


@demo_step(order=60)
def duties(context: DemoContext) -> None:
    templates_load_shipped()
    today = timezone.localdate()
    gusu = list(Operator.objects.filter(region_id="320508").order_by("id")[:2])
    if len(gusu) < 2 or RiskControlList.objects.filter(operator__in=gusu).exists():
        return
    first, second = gusu
    director = context.users.get("director") or User.objects.get(username="demo-director")
    officer = context.users.get("officer") or User.objects.get(username="demo-officer")
    _appoint(first, today)
    for operator, days in ((first, HISTORY_DAYS), (second, 12)):
        template = template_for(operator)
        if template is None:
            continue
        draft = control_list_adopt(operator=operator, template=template, by=None)
        control_list_put_in_force(control_list=draft, by=None, on=today - datetime.timedelta(days=days))
    if first.memberships.filter(user=officer, role=MembershipRole.OFFICER).exists():
        _history(first, RiskControlList.objects.get(operator=first, status="in_force"), officer, director, today)
