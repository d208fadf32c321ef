"""Reminders and escalations of the three records (`shian tick`; idempotent): the officer is reminded before the
day ends when today's check is not signed, the director on the last day of a week or month without its record,
and the county's regulators are told of a business that keeps missing its daily checks."""

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from shian.core.models import User
from shian.core.services.notifications import notify
from shian.core.services.recipients import bureau_of, staff_of
from shian.core.ticks import tick_handler
from shian.registry.models import Operator

from .choices import DutyKind, DutyRole, ListStatus
from .models import DailyCheck, MonthlyMeeting, WeeklyReview
from .rules import SIGNERS, due_periods, period_end, period_start, recent_misses
from .selectors import duty_plans, operating_days, staffing_gaps, standings


def _after_cut_off() -> bool:
    hour, minute = (int(part) for part in settings.SHIAN_DUTY["REMIND_AFTER"].split(":"))
    return timezone.localtime().time() >= datetime.time(hour, minute)


def _recording():
    """Businesses with a risk-control list in force (their duties have begun)."""
    return Operator.objects.filter(risk_control_lists__status=ListStatus.IN_FORCE)


def _keepers(operator_ids, kind: str) -> dict[int, list[User]]:
    """The users who keep a record of `kind` at each business (first the role Order 60 names, else the other)."""
    people: dict[int, dict[str, list[User]]] = {}
    users = User.objects.filter(
        is_active=True, operator_memberships__operator__in=operator_ids, operator_memberships__role__in=SIGNERS[kind]
    ).values_list("operator_memberships__operator_id", "operator_memberships__role", "pk")
    found = {user.pk: user for user in User.objects.filter(pk__in={pk for _o, _r, pk in users})}
    for operator_id, role, pk in users:
        people.setdefault(operator_id, {}).setdefault(role, []).append(found[pk])
    return {
        operator_id: next((roles[r] for r in SIGNERS[kind] if r in roles), []) for operator_id, roles in people.items()
    }


@tick_handler("duty.daily_due")
def remind_daily_check() -> int:
    """From the configured time, remind the officers of each business whose check of today is not signed."""
    if not _after_cut_off():
        return 0
    today = timezone.localdate()
    signed = DailyCheck.objects.signed().filter(day=today).values("operator_id")
    pending = list(_recording().exclude(pk__in=signed).values_list("pk", "risk_control_lists__records_on").distinct())
    due = [pk for pk, records_on in pending if operating_days(records_on)(today)]
    keepers = _keepers(due, DutyKind.DAILY)
    sent = 0
    for pk in due:
        recipients = keepers.get(pk, [])
        if not recipients:
            continue
        notify(
            recipients=recipients,
            kind="duty.daily.due",
            title=_("Today's food-safety check is not signed yet"),
            link=reverse("duty-operator-card", args=[pk]),
            dedupe_key=f"duty.daily.due:{pk}:{today.isoformat()}",
            sms=True,
        )
        sent += 1
    return sent


def _remind_period(kind: str, model, field: str, title: str) -> int:
    today = timezone.localdate()
    start = period_start(kind, today)
    if period_end(kind, start) != today or not _after_cut_off():
        return 0
    done = model.objects.signed().filter(**{field: start}).values("operator_id")
    pending = list(_recording().exclude(pk__in=done).values_list("pk", flat=True))
    end = period_end(kind, start)
    due = [  # a school canteen owes no review of a week (or month) it was closed all of
        pk
        for pk, plan in duty_plans(pending).items()
        if due_periods(kind, since=plan.since, first=start, last=end, operates=operating_days(plan.records_on))
    ]
    keepers = _keepers(due, kind)
    sent = 0
    for pk in due:
        if keepers.get(pk):
            notify(
                recipients=keepers[pk],
                kind=f"duty.{kind}.due",
                title=title,
                link=reverse("duty-operator-card", args=[pk]),
                dedupe_key=f"duty.{kind}.due:{pk}:{start.isoformat()}",
            )
            sent += 1
    return sent


@tick_handler("duty.weekly_due")
def remind_weekly_review() -> int:
    """On the last day of the week, remind the director (else an officer) of a review not signed."""
    return _remind_period(DutyKind.WEEKLY, WeeklyReview, "week", _("This week's food-safety review is not signed yet"))


@tick_handler("duty.monthly_due")
def remind_monthly_meeting() -> int:
    """On the last day of the month, remind the main person in charge (else the director) of minutes not signed."""
    return _remind_period(
        DutyKind.MONTHLY, MonthlyMeeting, "month", _("This month's food-safety meeting is not recorded yet")
    )


@tick_handler("duty.repeated_misses")
def escalate_repeated_misses() -> int:
    """Tell the county's regulators, once a week per business, when it missed its daily check on the configured
    number of days within the window (they also see it on the duty records page)."""
    today = timezone.localdate()
    config = settings.SHIAN_DUTY
    window = config["ESCALATE_WINDOW_DAYS"]
    operators = _recording().distinct()
    table = standings(operators, first=today - datetime.timedelta(days=window), last=today, today=today)
    week = period_start(DutyKind.WEEKLY, today)
    sent = 0
    for operator in operators.select_related("region"):
        missed = recent_misses(table[operator.pk].missed.get(DutyKind.DAILY, []), today=today, days=window)
        if missed < config["ESCALATE_MISSED_DAYS"]:
            continue
        recipients = bureau_of(operator.region_id)
        if recipients:
            notify(
                recipients=recipients,
                kind="duty.repeated_misses",
                title=_("%(operator)s missed its daily food-safety check on %(n)d of the last %(days)d days")
                % {"operator": operator.name, "n": missed, "days": window},
                link=reverse("duty-records", args=[operator.pk]),
                dedupe_key=f"duty.repeated_misses:{operator.pk}:{week.isoformat()}",
            )
            sent += 1
    return sent


@tick_handler("duty.staffing_gaps")
def remind_staffing_gaps() -> int:
    """Every Monday, tell the managers of each business keeping its duties here (a list in force) what Order 60
    appointment it still lacks; the county sees every business's gaps on its duty records page."""
    today = timezone.localdate()
    if today.weekday() != 0:
        return 0
    gaps = staffing_gaps(_recording().filter(status="operating").distinct())
    sent = 0
    for pk, missing in gaps.items():
        recipients = staff_of(pk)
        if recipients:
            notify(
                recipients=recipients,
                kind="duty.staffing_gaps",
                title=_("Appoint your business's %(roles)s (SAMR Order 60)")
                % {"roles": "、".join(str(DutyRole(role).label) for role in missing)},
                link=reverse("duty-staffing", args=[pk]),
                dedupe_key=f"duty.staffing_gaps:{pk}:{today.isoformat()}",
            )
            sent += 1
    return sent
