import datetime
from collections import defaultdict

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from shian.core.rules import region_contains, region_prefix
from shian.registry.choices import LicenceStatus
from shian.registry.models import Licence, Operator

from .models import RiskFact, RiskGrade, RuleSet
from .rules import sc_food_category
from .ruleset import OPERATOR_FACTS, StaticTable


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


def operator_facts(operator_ids: list[int]) -> dict[int, dict]:
    """The facts the static tables read, for many operators in three queries: the registry's own fields, the SC
    food categories of their valid licences, and the facts recorded on their risk pages."""
    facts = {
        row["id"]: row
        for row in Operator.objects.filter(pk__any_of=operator_ids)
        .annotate(on_record_since=TruncDate("created_at"))
        .values("id", "on_record_since", *OPERATOR_FACTS)
    }
    categories = defaultdict(list)
    for operator_id, number in Licence.objects.filter(
        operator_id__any_of=operator_ids, kind="SC", status=LicenceStatus.VALID
    ).values_list("operator_id", "number"):
        if (code := sc_food_category(number)) is not None:
            categories[operator_id].append(code)
    for operator_id, row in facts.items():
        row["sc_food_category"] = categories.get(operator_id, [])
    for operator_id, key, value in RiskFact.objects.filter(operator_id__any_of=operator_ids).values_list(
        "operator_id", "key", "value"
    ):
        facts[operator_id].setdefault(key, value)
    return facts


def recorded_facts_table(operator) -> tuple[RuleSet | None, StaticTable | None]:
    """The rule-set grading an operator (its current grade's, else the one in force) and, when that rule-set's
    static table for it reads facts recorded by hand, that table (for the facts form); else None."""
    current = RiskGrade.objects.current().filter(operator=operator).select_related("ruleset").first()
    ruleset = current.ruleset if current else ruleset_for(operator.region_id, timezone.localdate())
    if ruleset is None:
        return None, None
    table = ruleset.spec.table_for(operator_facts([operator.pk])[operator.pk])
    if table is None or not set(ruleset.spec.facts_recorded) & {f.fact for f in table.factors}:
        return ruleset, None
    return ruleset, table


def grade_history(*, operator, user) -> QuerySet[RiskGrade]:
    return RiskGrade.objects.visible_to(user).filter(operator=operator).select_related("ruleset", "graded_by")


def grade_distribution(*, user) -> dict[str, int]:
    """How many operators the user may see hold each current grade."""
    grades = RiskGrade.objects.visible_to(user).current()
    return dict(grades.values_list("grade").annotate(n=Count("id")).order_by())
