import datetime

from django.db import connection
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from shian.core.choices import Role, UserKind
from shian.core.models import User
from shian.core.rules import enclosing_codes, region_contains, region_prefix
from shian.registry.models import Operator

from .choices import InspectionStatus, RectificationStatus, Result
from .models import ChecklistTemplate, Inspection, PlanTarget, Rectification
from .rules import years_before


def template_for(operator, *, region_code: str | None = None) -> ChecklistTemplate | None:
    """The checklist for an operator: active templates for its business format, those for its special foods
    first, the most specific jurisdiction containing its county, then the newest version."""
    county = region_code or operator.region_id
    specials = set(operator.special_foods or [])
    candidates = [
        t
        for t in ChecklistTemplate.objects.filter(active=True)
        if operator.category in t.categories
        and (not t.special_foods or specials & set(t.special_foods))
        and (not t.jurisdiction or region_contains(t.jurisdiction, county))
    ]
    if not candidates:
        return None
    return max(
        candidates,
        key=lambda t: (bool(t.special_foods), len(region_prefix(t.jurisdiction)) if t.jurisdiction else 0, t.version),
    )


def inspectors_covering(county: str) -> QuerySet[User]:
    """Active inspectors and agency heads whose agency's region contains the county (Order 49 art. 23 [V])."""
    return (
        User.objects.filter(kind=UserKind.REGULATOR, is_active=True, agency__region_id__in=enclosing_codes(county))
        .filter(groups__name__in=[Role.INSPECTOR, Role.AGENCY_HEAD])
        .distinct()
        .order_by("agency__region_id", "real_name", "username")
    )


def inspections_for(*, user) -> QuerySet[Inspection]:
    return Inspection.objects.visible_to(user).select_related("operator", "operator__region", "agency")


def overdue_publications(*, user, today: datetime.date) -> QuerySet[Inspection]:
    """Finished inspections not yet published whose 20-working-day limit has passed (Order 49 art. 39 [V])."""
    return inspections_for(user=user).unpublished().filter(publish_by__lt=today).order_by("publish_by")


def overdue_rectifications(*, user, today: datetime.date) -> QuerySet[Rectification]:
    return Rectification.objects.visible_to(user).overdue(today).select_related("operator").order_by("deadline")


def rectifications_for(*, user) -> QuerySet[Rectification]:
    return Rectification.objects.visible_to(user).select_related("operator", "inspection", "issued_by")


def newest_per_operator(inspections: QuerySet[Inspection], *fields: str) -> dict[int, dict]:
    """Each operator's newest finished inspection among `inspections`, as a dict of `fields` plus its `id` and
    its local date `on`: one row per operator on PostgreSQL (DISTINCT ON over the (operator, -finished_at, -id)
    index), the first of each operator's rows elsewhere."""
    newest_first = inspections.filter(status=InspectionStatus.FINISHED).order_by("operator_id", "-finished_at", "-id")
    if connection.vendor == "postgresql":
        newest_first = newest_first.distinct("operator_id")
    found: dict[int, dict] = {}
    for row in newest_first.annotate(on=TruncDate("finished_at")).values("id", "operator_id", "on", *fields):
        found.setdefault(row["operator_id"], row)
    return found


def plan_progress(plan) -> dict:
    """A plan's progress: its drawn targets, the inspections they require, key targets, full inspections due,
    targets with a drawn pair, finished inspections done for them, the pool left undrawn, and completion (%).
    Inspections are counted apart: joined to the targets they would count each target once per inspection."""
    targets = plan.targets.filter(drawn=True)
    totals = targets.aggregate(
        targets=Count("pk"),
        required=Sum("required"),
        key=Count("pk", filter=Q(key_target=True)),
        full_due=Count("pk", filter=Q(full_due=True)),
        assigned=Count("pair"),
    )
    totals["done"] = Inspection.objects.finished().filter(target__in=targets).count()
    totals["pool"] = plan.targets.filter(drawn=False).count()
    required = totals["required"] or 0
    totals["completion"] = round(100 * totals["done"] / required) if required else None
    return totals


def measures(*, user, region: str | None, year: int, today: datetime.date) -> dict:
    """Per region: plan completion, two-year coverage, result distribution, rectification and on-time rates,
    overdue orders."""
    operators = Operator.objects.visible_to(user)
    inspections = Inspection.objects.visible_to(user).finished()
    orders = Rectification.objects.visible_to(user)
    targets = PlanTarget.objects.visible_to(user).filter(plan__year=year, drawn=True)
    if region:
        operators, inspections, orders, targets = (
            qs.in_region(region) for qs in (operators, inspections, orders, targets)
        )
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    end = timezone.make_aware(datetime.datetime(year + 1, 1, 1))
    this_year = inspections.filter(finished_at__gte=start, finished_at__lt=end)
    required = sum(targets.values_list("required", flat=True))
    done_for_plan = this_year.filter(target__in=targets).count()
    two_years_ago = timezone.make_aware(datetime.datetime.combine(years_before(today, 2), datetime.time.min))
    operator_count = operators.count()
    covered = (
        operators.filter(
            inspections__status=InspectionStatus.FINISHED,
            inspections__full=True,
            inspections__finished_at__gte=two_years_ago,
        )
        .distinct()
        .count()
    )
    results = dict(this_year.values_list("result").annotate(n=Count("id")).order_by())
    deadline_orders = orders.filter(  # the bureau's own orders, not those businesses open for their self-inspections
        kind="deadline", inspection__isnull=False, issued_at__gte=start, issued_at__lt=end
    )
    issued = deadline_orders.count()
    closed = deadline_orders.filter(status=RectificationStatus.CLOSED)
    on_time = closed.filter(closed_at__date__lte=F("deadline"))
    return {
        "year": year,
        "required": required,
        "done_for_plan": done_for_plan,
        "plan_completion": _share(done_for_plan, required),
        "operators": operator_count,
        "covered": covered,
        "coverage": _share(covered, operator_count),
        "results": {r: results.get(r, 0) for r in Result.values},
        "inspections": sum(results.values()),
        "orders": issued,
        "orders_closed": closed.count(),
        "rectification_rate": _share(closed.count(), issued),
        "on_time": on_time.count(),
        "on_time_rate": _share(on_time.count(), issued),
        "overdue": orders.overdue(today).count(),
    }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None
