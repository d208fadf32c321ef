"""Reads of the duty module: what is due and missed for a business, its staffing, and completion per business and
per region for regulators. States such as "missed" are derived from the calendar, never stored."""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from shian.core.workdays import CalendarYearUnknown, WorkingCalendar
from shian.registry.models import Operator

from .choices import DutyKind, DutyRole, ListStatus, LogKind, ProblemStatus, RecordsOn
from .logbook import log_sectors, required_logs
from .models import (
    Appointment,
    DailyCheck,
    DailyCheckLine,
    LogEntry,
    MonthlyMeeting,
    RiskControlList,
    RiskPoint,
    SelfInspection,
    WeeklyProblem,
    WeeklyReview,
)
from .rules import (
    Completion,
    DinerThresholds,
    completion,
    director_reasons,
    due_periods,
    missed_periods,
    missing_roles,
    period_end,
    period_start,
)

RECORDS = {DutyKind.DAILY: DailyCheck, DutyKind.WEEKLY: WeeklyReview, DutyKind.MONTHLY: MonthlyMeeting}
_DATE_FIELD = {DutyKind.DAILY: "day", DutyKind.WEEKLY: "week", DutyKind.MONTHLY: "month"}


def operating_days(records_on: str) -> Callable[[datetime.date], bool]:
    """Whether the business keeps a daily record on a day: every day, or the working days of the Chinese calendar.
    A year the calendar does not know yet falls back to Monday to Friday."""
    if records_on != RecordsOn.WORKING_DAYS:
        return lambda day: True
    calendar = WorkingCalendar()

    def works(day: datetime.date) -> bool:
        try:
            return calendar.is_working_day(day)
        except CalendarYearUnknown:
            return day.weekday() < 5

    return works


def thresholds() -> DinerThresholds:
    return DinerThresholds(**settings.SHIAN_DUTY["DIRECTOR_DINERS"])


# Staffing --------------------------------------------------------------------------------------------------------


@dataclass
class Staffing:
    director_reasons: list[str]
    appointments: list[Appointment]
    missing: list[str]

    @property
    def director_required(self) -> bool:
        return bool(self.director_reasons)

    @property
    def missing_labels(self) -> list[str]:
        return [DutyRole(role).label for role in self.missing]


def staffing_of(operator: Operator) -> Staffing:
    reasons = director_reasons(
        category=operator.category,
        canteen_kind=operator.canteen_kind,
        special_foods=operator.special_foods or [],
        scale=operator.scale,
        chain_headquarters=operator.chain_headquarters,
        daily_diners=operator.daily_diners,
        thresholds=thresholds(),
    )
    current = list(Appointment.objects.current().filter(operator=operator).select_related("staff"))
    return Staffing(
        director_reasons=reasons,
        appointments=current,
        missing=missing_roles(held=[a.role for a in current], director_required=bool(reasons)),
    )


def staffing_gaps(operators: QuerySet[Operator]) -> dict[int, list[str]]:
    """The missing Order 60 roles of each business that has some (two queries for any number of businesses)."""
    held = defaultdict(set)
    for operator_id, role in (
        Appointment.objects.current().filter(operator__in=operators).values_list("operator_id", "role")
    ):
        held[operator_id].add(role)
    gaps = {}
    limits = thresholds()
    fields = ("pk", "category", "canteen_kind", "special_foods", "scale", "chain_headquarters", "daily_diners")
    for pk, category, canteen_kind, special, scale, chain, diners in operators.values_list(*fields):
        required = director_reasons(
            category=category,
            canteen_kind=canteen_kind,
            special_foods=special or [],
            scale=scale,
            chain_headquarters=chain,
            daily_diners=diners,
            thresholds=limits,
        )
        missing = missing_roles(held=held[pk], director_required=bool(required))
        if missing:
            gaps[pk] = missing
    return gaps


# What is due -----------------------------------------------------------------------------------------------------


@dataclass
class DutyPlan:
    """When a business's duties began (its first list in force) and which days it keeps daily records on."""

    since: datetime.date
    records_on: str


def duty_plans(operators: QuerySet[Operator] | Iterable[int]) -> dict[int, DutyPlan]:
    rows = (
        RiskControlList.objects.filter(operator__in=operators)
        .exclude(status=ListStatus.DRAFT)
        .values("operator_id")
        .annotate(since=Min("in_force_from"))
    )
    since = {row["operator_id"]: row["since"] for row in rows if row["since"]}
    records_on = dict(
        RiskControlList.objects.filter(operator__in=since.keys(), status=ListStatus.IN_FORCE).values_list(
            "operator_id", "records_on"
        )
    )
    return {pk: DutyPlan(since=day, records_on=records_on.get(pk, RecordsOn.EVERY_DAY)) for pk, day in since.items()}


def signed_periods(kind: str, operator_ids: Iterable[int], first: datetime.date, last: datetime.date) -> dict[int, set]:
    """The periods of `kind` with a signed record, per business, between the periods of `first` and `last`."""
    name = _DATE_FIELD[kind]
    rows = (
        RECORDS[kind]
        .objects.signed()
        .filter(operator__in=list(operator_ids), **{f"{name}__range": (period_start(kind, first), last)})
        .values_list("operator_id", name)
    )
    done = defaultdict(set)
    for pk, start in rows:
        done[pk].add(start)
    return done


@dataclass
class Standing:
    """One business's duties over a window: per kind, due and done (closed periods only) and the periods missed."""

    plan: DutyPlan | None
    completion: dict[str, Completion] = field(default_factory=dict)
    missed: dict[str, list[datetime.date]] = field(default_factory=dict)
    last_daily: datetime.date | None = None
    logs: dict[str, Completion] = field(default_factory=dict)
    missed_logs: dict[str, list[datetime.date]] = field(default_factory=dict)

    @property
    def log_rows(self) -> list[tuple[str, str, Completion, list[datetime.date]]]:
        """Per operational record kept daily: its kind, label, completion and the days missed."""
        return [(kind, LogKind(kind).label, value, self.missed_logs[kind]) for kind, value in self.logs.items()]


def standings(
    operators: QuerySet[Operator], *, first: datetime.date, last: datetime.date, today: datetime.date
) -> dict[int, Standing]:
    """Completion of the three records for each business between `first` and `last`, counting only periods that
    have ended before `today` (the current day, week and month are due, not yet missed)."""
    facts = list(operators.values_list("pk", "category", "canteen_kind"))
    ids = [pk for pk, _category, _kind in facts]
    plans = duty_plans(ids)
    sectors = log_sectors()
    required = {pk: required_logs(category, kind, sectors) for pk, category, kind in facts}
    logged = defaultdict(set)
    entries = LogEntry.objects.filter(operator__in=list(plans), day__range=(first, last))
    for pk, kind, day in entries.values_list("operator_id", "kind", "day").distinct():
        logged[(pk, kind)].add(day)
    calendars = {mode: operating_days(mode) for mode in RecordsOn.values}
    done = {kind: signed_periods(kind, plans.keys(), first, last) for kind in RECORDS}
    last_daily = dict(
        DailyCheck.objects.signed()
        .filter(operator__in=list(plans))
        .values("operator_id")
        .annotate(d=Max("day"))
        .values_list("operator_id", "d")
    )
    result = {}
    for pk in ids:
        plan = plans.get(pk)
        standing = Standing(plan=plan)
        if plan is not None:
            standing.last_daily = last_daily.get(pk)
            due = {
                kind: due_periods(kind, since=plan.since, first=first, last=last, operates=calendars[plan.records_on])
                for kind in RECORDS
            }
            for kind, starts in due.items():
                ended = [start for start in starts if period_end(kind, start) < today]
                standing.completion[kind] = completion(ended, done[kind][pk])
                standing.missed[kind] = missed_periods(kind, due=starts, done=done[kind][pk], today=today)
            for kind in required[pk]:  # operational records are due on the days a daily check is
                days = due[DutyKind.DAILY]
                standing.logs[kind] = completion([d for d in days if d < today], logged[(pk, kind)])
                standing.missed_logs[kind] = missed_periods(
                    DutyKind.DAILY, due=days, done=logged[(pk, kind)], today=today
                )
        result[pk] = standing
    return result


@dataclass
class Today:
    """A business's duty card: today's check, this week's review, this month's meeting, and recent misses."""

    operator: Operator
    plan: DutyPlan | None
    control_list: RiskControlList | None
    operates_today: bool
    daily: DailyCheck | None
    weekly: WeeklyReview | None
    monthly: MonthlyMeeting | None
    standing: Standing
    staffing: Staffing
    open_problems: int
    logs_today: list[tuple[str, str, int]]
    last_self_inspection: SelfInspection | None
    self_inspection_due: bool


def duty_today(operator: Operator, *, today: datetime.date) -> Today:
    window = today - datetime.timedelta(days=settings.SHIAN_DUTY["CARD_WINDOW_DAYS"])
    standing = standings(Operator.objects.filter(pk=operator.pk), first=window, last=today, today=today)[operator.pk]
    plan = standing.plan
    return Today(
        operator=operator,
        plan=plan,
        control_list=RiskControlList.objects.filter(operator=operator, status=ListStatus.IN_FORCE).first(),
        operates_today=plan is not None and operating_days(plan.records_on)(today),
        daily=DailyCheck.objects.filter(operator=operator, day=today).first(),
        weekly=WeeklyReview.objects.filter(operator=operator, week=period_start(DutyKind.WEEKLY, today)).first(),
        monthly=MonthlyMeeting.objects.filter(operator=operator, month=period_start(DutyKind.MONTHLY, today)).first(),
        standing=standing,
        staffing=staffing_of(operator),
        open_problems=open_problems(Operator.objects.filter(pk=operator.pk)).get(operator.pk, 0),
        logs_today=logs_of_day(operator, today),
        **self_inspection_state(operator, today),
    )


def self_inspection_state(operator: Operator, today: datetime.date) -> dict:
    """The business's last finished self-inspection, and whether the next is due (none within the configured
    number of months)."""
    last = SelfInspection.objects.finished().filter(operator=operator).order_by("-finished_at").first()
    months = settings.SHIAN_DUTY["SELF_INSPECTION_MONTHS"]
    due = last is None or months_between(timezone.localdate(last.finished_at), today) >= months
    return {"last_self_inspection": last, "self_inspection_due": due}


def months_between(earlier: datetime.date, later: datetime.date) -> int:
    """Whole months from `earlier` to `later` (2026-01-31 → 2026-02-28 is 0, → 2026-03-01 is 1)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    return months - (later.day < earlier.day)


def logs_of_day(operator: Operator, day: datetime.date) -> list[tuple[str, str, int]]:
    """The operational records the business keeps daily, each with its number of entries on `day`."""
    counts = dict(
        LogEntry.objects.filter(operator=operator, day=day)
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    return [
        (kind, LogKind(kind).label, counts.get(kind, 0))
        for kind in required_logs(operator.category, operator.canteen_kind)
    ]


def open_problems(operators: QuerySet[Operator]) -> dict[int, int]:
    """Problems still open in each business's latest signed weekly review."""
    latest = (
        WeeklyReview.objects.signed().filter(operator__in=operators).values("operator_id").annotate(week=Max("week"))
    )
    q = Q()
    for row in latest:
        q |= Q(review__operator_id=row["operator_id"], review__week=row["week"])
    if not q:
        return {}
    rows = (
        WeeklyProblem.objects.filter(q, status=ProblemStatus.OPEN, review__signed_at__isnull=False)
        .values("review__operator_id")
        .annotate(n=Count("pk"))
    )
    return {row["review__operator_id"]: row["n"] for row in rows}


# Regulators' view ------------------------------------------------------------------------------------------------


@dataclass
class Row:
    """A line of the regulators' table: a business, or a region summing its businesses."""

    label: str
    key: str
    businesses: int = 0
    recording: int = 0
    stopped: int = 0
    gaps: int = 0
    completion: dict[str, Completion] = field(default_factory=dict)
    found: int = 0
    fixed: int = 0
    self_inspections: int = 0
    logs: Completion = field(default_factory=lambda: Completion(0, 0))
    operator: Operator | None = None

    def add(self, kind: str, value: Completion) -> None:
        old = self.completion.get(kind, Completion(0, 0))
        self.completion[kind] = Completion(old.due + value.due, old.done + value.done)


def problems_found_fixed(operators: QuerySet[Operator], first: datetime.date, last: datetime.date) -> tuple[dict, dict]:
    """Per business: problems found in signed daily checks, and weekly-review problems fixed, in the window."""
    found = dict(
        DailyCheckLine.objects.filter(
            daily_check__operator__in=operators,
            daily_check__day__range=(first, last),
            daily_check__signed_at__isnull=False,
            ok=False,
        )
        .values("daily_check__operator_id")
        .annotate(n=Count("pk"))
        .values_list("daily_check__operator_id", "n")
    )
    fixed = dict(
        WeeklyProblem.objects.filter(
            review__operator__in=operators,
            review__signed_at__isnull=False,
            fixed_on__range=(first, last),
            carried_from=None,
        )
        .values("review__operator_id")
        .annotate(n=Count("pk"))
        .values_list("review__operator_id", "n")
    )
    return found, fixed


def stopped_recording(standing: Standing) -> bool:
    """A business whose list is in force but that kept no daily record on its last N due days (working days for a
    school canteen, so a holiday does not count), N from the configuration."""
    if standing.plan is None:
        return False
    missed = standing.missed.get(DutyKind.DAILY, [])
    since_last = [day for day in missed if standing.last_daily is None or day > standing.last_daily]
    return len(since_last) >= settings.SHIAN_DUTY["STOPPED_AFTER_DAYS"]


def oversight(
    operators: QuerySet[Operator], *, first: datetime.date, last: datetime.date, today: datetime.date, by_region: bool
) -> list[Row]:
    """Completion rates, businesses that stopped recording, staffing gaps and problems found and fixed: one row per
    county (`by_region`) or per business."""
    operators = operators.select_related("region")
    table = standings(operators, first=first, last=last, today=today)
    gaps = staffing_gaps(operators)
    found, fixed = problems_found_fixed(operators, first, last)
    selfchecks = dict(
        SelfInspection.objects.finished()
        .filter(operator__in=operators, finished_at__date__range=(first, last))
        .values("operator_id")
        .annotate(n=Count("pk"))
        .values_list("operator_id", "n")
    )
    rows: dict[str, Row] = {}
    for operator in operators:
        key = operator.region_id if by_region else str(operator.pk)
        row = rows.get(key)
        if row is None:
            label = operator.region.name if by_region else operator.name
            row = rows[key] = Row(label=label, key=key, operator=None if by_region else operator)
        standing = table[operator.pk]
        row.businesses += 1
        row.recording += standing.plan is not None
        row.stopped += stopped_recording(standing)
        row.gaps += operator.pk in gaps
        row.found += found.get(operator.pk, 0)
        row.fixed += fixed.get(operator.pk, 0)
        row.self_inspections += selfchecks.get(operator.pk, 0)
        for kind, value in standing.completion.items():
            row.add(kind, value)
        for value in standing.logs.values():
            row.logs = Completion(row.logs.due + value.due, row.logs.done + value.done)
    return sorted(rows.values(), key=lambda r: r.key)


def total_of(rows: list[Row]) -> Row:
    total = Row(label="", key="")
    for row in rows:
        for name in ("businesses", "recording", "stopped", "gaps", "found", "fixed", "self_inspections"):
            setattr(total, name, getattr(total, name) + getattr(row, name))
        for kind, value in row.completion.items():
            total.add(kind, value)
        total.logs = Completion(total.logs.due + row.logs.due, total.logs.done + row.logs.done)
    return total


# A month and a year of one business ---------------------------------------------------------------------------


@dataclass
class Period:
    first: datetime.date
    last: datetime.date
    completion: dict[str, Completion]
    found: int
    fixed: int
    still_open: int
    assessments: list[str]
    meeting: MonthlyMeeting | None = None


def period_summary(operator: Operator, *, first: datetime.date, last: datetime.date, today: datetime.date) -> Period:
    """The duties of one business over a month or a year: records due and kept, problems found and fixed, the
    weekly assessments (what the monthly meeting hears and the year-end summary reviews)."""
    one = Operator.objects.filter(pk=operator.pk)
    standing = standings(one, first=first, last=last, today=today)[operator.pk]
    found, fixed = problems_found_fixed(one, first, last)
    reviews = WeeklyReview.objects.signed().filter(
        operator=operator, week__range=(period_start(DutyKind.WEEKLY, first), last)
    )
    return Period(
        first=first,
        last=last,
        completion=standing.completion,
        found=found.get(operator.pk, 0),
        fixed=fixed.get(operator.pk, 0),
        still_open=open_problems(one).get(operator.pk, 0),
        assessments=list(reviews.order_by("week").values_list("assessment", flat=True)),
    )


def year_summary(operator: Operator, *, year: int, today: datetime.date) -> tuple[Period, list[Period]]:
    """The year as a whole and month by month, each month with its meeting's minutes."""
    months = []
    meetings = {
        m.month: m
        for m in MonthlyMeeting.objects.filter(operator=operator, month__year=year).prefetch_related("priorities")
    }
    for month in range(1, 13):
        first = datetime.date(year, month, 1)
        if first > today:
            break
        summary = period_summary(operator, first=first, last=period_end(DutyKind.MONTHLY, first), today=today)
        summary.meeting = meetings.get(first)
        months.append(summary)
    whole = period_summary(operator, first=datetime.date(year, 1, 1), last=datetime.date(year, 12, 31), today=today)
    return whole, months


def points_checked(operator: Operator, frequency: str) -> list:
    """The risk points of the business's list in force checked at `frequency` (the weekly review and the monthly
    meeting go through the weekly and monthly ones)."""
    return list(
        RiskPoint.objects.filter(
            control_list__operator=operator, control_list__status=ListStatus.IN_FORCE, frequency=frequency
        ).order_by("order")
    )
