import datetime

from django.db.models import Count, QuerySet

from shian.core.rules import region_contains, region_prefix

from .models import RiskGrade, RuleSet


def ruleset_for(region_code: str, on: datetime.date) -> RuleSet | None:
    """The rule-set in force in a county on a day: the most specific jurisdiction containing it (county, city,
    province, then the whole country), and within it the latest effective version."""
    candidates = [
        r
        for r in RuleSet.objects.effective(on).only("id", "jurisdiction", "effective_from", "version", "content")
        if not r.jurisdiction or region_contains(r.jurisdiction, region_code)
    ]
    if not candidates:
        return None
    return max(
        candidates,
        key=lambda r: (len(region_prefix(r.jurisdiction)) if r.jurisdiction else 0, r.effective_from, r.version),
    )


def grade_history(*, operator, user) -> QuerySet[RiskGrade]:
    return RiskGrade.objects.visible_to(user).filter(operator=operator).select_related("ruleset", "graded_by")


def grade_distribution(*, user, region: str | None = None) -> dict[str, int]:
    """How many operators the user may see hold each current grade."""
    grades = RiskGrade.objects.visible_to(user).current()
    if region:
        grades = grades.in_region(region)
    counts = dict(grades.values_list("grade").annotate(n=Count("id")).order_by())
    return counts
