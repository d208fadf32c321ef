"""Order 60 rules as plain functions: who must have a food-safety director, who may be appointed, which days,
weeks and months a record is due and which were missed (regulations.md §3)."""

import calendar
import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from shian.registry.choices import CanteenKind, OperatorCategory, OperatorScale, SpecialFood

from .choices import DutyKind, DutyRole, Symptom

PRODUCERS = {OperatorCategory.PRODUCTION}
CATERERS = {OperatorCategory.CATERING, OperatorCategory.CENTRAL_KITCHEN, OperatorCategory.GROUP_MEAL}
SELLERS = {OperatorCategory.SALES}
SIZEABLE = {OperatorScale.LARGE, OperatorScale.MEDIUM}


@dataclass(frozen=True)
class DinerThresholds:
    """Diners from which a director is required (Order 60 [S]): kindergarten canteens from `kindergarten`, school
    canteens from `school`, any unit above `any_unit`."""

    kindergarten: int = 300
    school: int = 500
    any_unit: int = 1000


def director_reasons(
    *,
    category: str,
    canteen_kind: str,
    special_foods: Iterable[str],
    scale: str,
    chain_headquarters: bool,
    daily_diners: int | None,
    thresholds: DinerThresholds,
) -> list[str]:
    """Why a business must appoint a food-safety director besides its officers; empty when it need not
    (SAMR Order 60 arts. on staffing, regulations.md §3 [S])."""
    reasons = []
    if category == OperatorCategory.PRODUCTION and set(special_foods) & set(SpecialFood.values):
        reasons.append(_("It produces special foods."))
    if scale in SIZEABLE and category in PRODUCERS | CATERERS | SELLERS:
        reasons.append(_("It is a large or medium food business."))
    if chain_headquarters and category in CATERERS | SELLERS:
        reasons.append(_("It is the headquarters of a catering or retail chain."))
    diners = daily_diners or 0
    if (
        category == OperatorCategory.CANTEEN
        and canteen_kind == CanteenKind.KINDERGARTEN
        and diners >= thresholds.kindergarten
    ):
        reasons.append(_("A kindergarten canteen serving %(n)d or more diners.") % {"n": thresholds.kindergarten})
    if category == OperatorCategory.CANTEEN and canteen_kind == CanteenKind.SCHOOL and diners >= thresholds.school:
        reasons.append(_("A school canteen serving %(n)d or more diners.") % {"n": thresholds.school})
    if diners > thresholds.any_unit:
        reasons.append(_("It serves or supplies more than %(n)d diners.") % {"n": thresholds.any_unit})
    return reasons


def missing_roles(*, held: Iterable[str], director_required: bool) -> list[str]:
    """The Order 60 roles a business has not filled: a main person in charge and at least one officer always, a
    director where required (regulations.md §3 [S])."""
    held = set(held)
    wanted = [DutyRole.PRINCIPAL, DutyRole.OFFICER] + ([DutyRole.DIRECTOR] if director_required else [])
    return [role for role in DutyRole.values if role in wanted and role not in held]


def appointment_refusals(*, role: str, banned: str | None, failed_spot_test: bool, active: bool) -> list[str]:
    """Why a person may not take an Order 60 role: an industry ban (FSL art. 135; Order 60 bars those banned from
    being director or officer [S]), a failed spot test (Tianshui notice [S]), or no longer working there."""
    reasons = []
    if not active:
        reasons.append(_("The person no longer works at this business."))
    if banned and role in (DutyRole.DIRECTOR, DutyRole.OFFICER):
        reasons.append(_("The person is barred from food-safety management: %(reason)s") % {"reason": banned})
    if failed_spot_test and role in (DutyRole.DIRECTOR, DutyRole.OFFICER):
        reasons.append(_("The person failed the bureau's latest spot test."))
    return reasons


def period_start(kind: str, day: datetime.date) -> datetime.date:
    """The first day of the day, ISO week (Monday) or month `day` lies in."""
    if kind == DutyKind.WEEKLY:
        return day - datetime.timedelta(days=day.weekday())
    if kind == DutyKind.MONTHLY:
        return day.replace(day=1)
    return day


def period_end(kind: str, start: datetime.date) -> datetime.date:
    if kind == DutyKind.WEEKLY:
        return start + datetime.timedelta(days=6)
    if kind == DutyKind.MONTHLY:
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    return start


def _days(first: datetime.date, last: datetime.date) -> Iterable[datetime.date]:
    for n in range((last - first).days + 1):
        yield first + datetime.timedelta(days=n)


def due_periods(
    kind: str,
    *,
    since: datetime.date,
    first: datetime.date,
    last: datetime.date,
    operates: Callable[[datetime.date], bool],
) -> list[datetime.date]:
    """The starts of the periods of `kind` between `first` and `last` for which a record is due: a day the business
    operates; a week or month with at least one such day on or after `since`, the day its list took force (daily
    control every day, a weekly review at least once a week, a monthly meeting at least once a month: Order 60 [S])."""
    first = max(first, since)
    if first > last:
        return []
    starts = []
    for day in _days(first, last):
        if operates(day):
            start = period_start(kind, day)
            if not starts or starts[-1] != start:
                starts.append(start)
    return starts


@dataclass(frozen=True)
class Completion:
    due: int
    done: int

    @property
    def missed(self) -> int:
        return self.due - self.done

    @property
    def rate(self) -> float | None:
        return None if self.due == 0 else self.done / self.due


def completion(due: Iterable[datetime.date], done: Iterable[datetime.date]) -> Completion:
    """How many of the due periods have a signed record (records of periods not due count for nothing)."""
    due = set(due)
    return Completion(due=len(due), done=len(due & set(done)))


def missed_periods(
    kind: str, *, due: Iterable[datetime.date], done: Iterable[datetime.date], today: datetime.date
) -> list[datetime.date]:
    """Due periods that ended before `today` with no signed record; the current period is due, not yet missed."""
    done = set(done)
    return [start for start in due if period_end(kind, start) < today and start not in done]


def recent_misses(missed: Iterable[datetime.date], *, today: datetime.date, days: int) -> int:
    """How many of the missed days fell in the last `days` days (escalation counts repeated misses)."""
    horizon = today - datetime.timedelta(days=days)
    return sum(1 for day in missed if horizon <= day < today)


# Who signs each record (Order 60, regulations.md §3 [S]): the officer checks every day (the director may stand in),
# the director or an officer runs the weekly investigation, the main person in charge holds the monthly meeting and
# the director reports to it.
SIGNERS = {
    DutyKind.DAILY: (DutyRole.OFFICER, DutyRole.DIRECTOR),
    DutyKind.WEEKLY: (DutyRole.DIRECTOR, DutyRole.OFFICER),
    DutyKind.MONTHLY: (DutyRole.PRINCIPAL, DutyRole.DIRECTOR),
}


def morning_check_findings(
    *, temperature: Decimal, symptoms: Iterable[str], hand_wound: bool, fever_from: Decimal
) -> list[str]:
    """Why a worker must stay off duty today: a fever, a listed symptom or a wound on the hands (FSL art. 45 ¶2;
    GB 31654-2021 §13.1 [S]); empty when fit."""
    findings = []
    if temperature >= fever_from:
        findings.append(_("Temperature %(t)s °C") % {"t": temperature})
    findings += [str(Symptom(code).label) for code in symptoms]
    if hand_wound:
        findings.append(_("Wound on the hands"))
    return findings


def retained_sample_findings(*, grams: int, hours: int, min_grams: int, min_hours: int) -> list[str]:
    """What is short about a retained sample: each dish at least `min_grams` kept at least `min_hours` (125 g and
    48 hours in the catering operating code and the school canteen rules [S]; configuration)."""
    findings = []
    if grams < min_grams:
        findings.append(_("Less than %(n)d g") % {"n": min_grams})
    if hours < min_hours:
        findings.append(_("Kept less than %(n)d hours") % {"n": min_hours})
    return findings


def performance_score(components: dict[str, float | None], weights: dict[str, float]) -> float | None:
    """A director's evaluation (履职评价, Nantong's practice [S]): the weighted mean of the components that could be
    measured (each 0–100), the weights of the missing ones shared among the others; None when nothing is measured."""
    measured = {name: value for name, value in components.items() if value is not None and weights.get(name)}
    total = sum(weights[name] for name in measured)
    if not total:
        return None
    return round(sum(value * weights[name] for name, value in measured.items()) / total, 1)
