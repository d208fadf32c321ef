"""一码一卡一图 reads: what a worker's QR code shows the public (health certificate, training, today's morning check,
Order 60 roles; never an ID number or a phone), and the business's safety status map (each risk point of its list
in force with its latest state)."""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from shian.registry.models import Staff
from shian.registry.rules import mask_name
from shian.training.models import Exam

from .choices import DutyRole, ListStatus, LogKind, ProblemStatus
from .models import Appointment, DailyCheckLine, LogEntry, RiskControlList, WeeklyProblem, WeeklyReview


@dataclass
class StaffStatus:
    staff: Staff
    name: str
    roles: list[str]
    certificate_valid: bool
    certificate_expires: datetime.date | None
    exam: Exam | None
    morning_check: LogEntry | None

    @property
    def fit_today(self) -> bool | None:
        """True when today's morning check passed, False when it sent the worker home, None when not checked."""
        return None if self.morning_check is None else not self.morning_check.findings


def staff_statuses(people: list[Staff], *, today: datetime.date) -> list[StaffStatus]:
    """The public-safe status of each person, in three queries whatever their number."""
    ids = [person.pk for person in people]
    roles: dict[int, list[str]] = {}
    for staff_id, role in Appointment.objects.current(on=today).filter(staff__in=ids).values_list("staff_id", "role"):
        roles.setdefault(staff_id, []).append(DutyRole(role).label)
    exams: dict[int, Exam] = {}
    for exam in Exam.objects.filter(staff__in=ids, submitted_at__isnull=False).order_by("submitted_at"):
        exams[exam.staff_id] = exam  # the latest one stays
    checks: dict[int, LogEntry] = {}
    for entry in LogEntry.objects.filter(staff__in=ids, kind=LogKind.MORNING_CHECK, day=today).order_by("at"):
        checks[entry.staff_id] = entry
    return [
        StaffStatus(
            staff=person,
            name=mask_name(person.name),
            roles=roles.get(person.pk, []),
            certificate_valid=not person.health_certificate_expired(today),
            certificate_expires=person.health_certificate_expires_on,
            exam=exams.get(person.pk),
            morning_check=checks.get(person.pk),
        )
        for person in people
    ]


@dataclass
class PointState:
    point: object
    last_day: datetime.date | None
    last_ok: bool | None
    open_problems: int

    @property
    def state(self) -> str:
        if self.open_problems or self.last_ok is False:
            return "problem"
        return "ok" if self.last_ok else "unchecked"


STATE_LABELS = {"ok": _("As it should be"), "problem": _("Problem open"), "unchecked": _("Not checked yet")}


def safety_map(operator) -> tuple[RiskControlList | None, list[tuple[str, list[PointState]]]]:
    """The list in force and, stage by stage, each risk point with its latest signed daily answer and the problems
    still open on it in the latest signed weekly review."""
    control_list = RiskControlList.objects.filter(operator=operator, status=ListStatus.IN_FORCE).first()
    if control_list is None:
        return None, []
    points = list(control_list.points.all())
    latest = {}
    lines = (
        DailyCheckLine.objects.filter(
            daily_check__operator=operator,
            daily_check__signed_at__isnull=False,
            point__number__in=[p.number for p in points],
        )
        .order_by("point__number", "-daily_check__day")
        .values_list("point__number", "daily_check__day", "ok")
    )
    for number, day, ok in lines:
        latest.setdefault(number, (day, ok))
    last_week = WeeklyReview.objects.signed().filter(operator=operator).order_by("-week").values("pk")[:1]
    open_counts: dict[str, int] = {}
    for number in WeeklyProblem.objects.filter(review__in=last_week, status=ProblemStatus.OPEN).values_list(
        "point_number", flat=True
    ):
        open_counts[number] = open_counts.get(number, 0) + 1
    stages: dict[str, list[PointState]] = {}
    for point in points:
        day, ok = latest.get(point.number, (None, None))
        stages.setdefault(point.stage, []).append(PointState(point, day, ok, open_counts.get(point.number, 0)))
    return control_list, list(stages.items())
