"""Reads of the sampling app that are more than a filter."""

from collections import Counter
from collections.abc import Iterator

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from .choices import NominationStatus, RapidResult, ResultStatus, TaskStatus
from .limitbook import LimitBook
from .models import FoodCategory, Nomination, RapidTest, Sample, SamplingPlan, TestResult
from .rules import Judgment, judge
from .units import Reading


def judgments(results: QuerySet[TestResult], book: LimitBook | None = None) -> Iterator[tuple[int, Judgment]]:
    """Judge stored results again from their stored values against the limits loaded now, writing nothing:
    to see what a newly loaded limit set would say of past results, or to check stored verdicts. Rows kept
    for review are left out (they have no reading)."""
    book = book or LimitBook.load()
    lineages = {pk: tuple(lineage) for pk, lineage in FoodCategory.objects.values_list("pk", "lineage")}
    judged = results.filter(status=ResultStatus.JUDGED)
    zone = timezone.get_current_timezone()
    samples = {
        pk: (lineages[category], sampled_at.astimezone(zone).date())
        for pk, category, sampled_at in Sample.objects.filter(pk__in=judged.values("sample_id"))
        .values_list("pk", "category_id", "sampled_at")
        .iterator(chunk_size=5000)
    }
    rows = judged.values_list("pk", "analyte_id", "value", "unit", "not_detected", "lod", "sample_id")
    for pk, analyte, value, unit, not_detected, lod, sample in rows.iterator(chunk_size=5000):
        lineage, on = samples[sample]
        yield pk, judge(Reading(value, not_detected, lod), unit, book.limit_for(analyte, lineage, on))


def public_samples(
    *, category: str = "", region: str = "", verdict: str = "", sampled_from=None, sampled_to=None
) -> QuerySet[Sample]:
    """Published sampling results, newest first, for the public list: by food category code (any level),
    region code, final verdict and sampling dates."""
    samples = Sample.objects.filter(published_at__isnull=False).select_related("operator", "category", "region")
    if category:
        lineages = FoodCategory.objects.values_list("pk", "lineage")
        samples = samples.filter(category_id__in=[pk for pk, lineage in lineages if category in lineage])
    if region and region.isdigit():
        samples = samples.in_region(region)
    if verdict:
        samples = samples.filter(final_verdict=verdict)
    if sampled_from:
        samples = samples.filter(sampled_at__date__gte=sampled_from)
    if sampled_to:
        samples = samples.filter(sampled_at__date__lte=sampled_to)
    return samples.order_by("-sampled_at", "-id")


def nominations_for_public(region_code: str = "") -> QuerySet[Nomination]:
    """你点我检 for the public page: the open nominations and those taken into a plan, most votes first."""
    found = Nomination.objects.filter(Q(status=NominationStatus.OPEN) | Q(tasks__isnull=False)).distinct()
    if region_code:
        found = found.in_region(region_code)
    return found.annotate(n=Count("votes", distinct=True)).select_related("category", "region").order_by("-n", "-id")


def tested_because_of_votes(region_code: str = "") -> QuerySet[Sample]:
    """Published samples taken for a plan task that public votes put there."""
    found = public_samples(region=region_code).filter(task__nomination__isnull=False)
    return found.select_related("task__nomination__category")


def plan_progress(plan: SamplingPlan) -> dict:
    """A plan against its quota: batches sampled, per food and per officer."""
    tasks = plan.tasks.all()
    done = Count("id", filter=Q(status=TaskStatus.DONE))
    foods = {row["category_id"]: row for row in tasks.values("category_id").annotate(drawn=Count("id"), done=done)}
    quotas = [
        {
            "category": q.category,
            "batches": q.batches,
            "votes": q.votes,
            "failures": q.failures,
            "done": foods.get(q.category_id, {}).get("done", 0),
        }
        for q in plan.quotas.select_related("category")
    ]
    officers = list(
        tasks.values("officer__username", "officer__real_name")
        .annotate(tasks=Count("id"), done=done)
        .order_by("officer__username")
    )
    sampled = sum(q["done"] for q in quotas)
    return {
        "quota": plan.quota,
        "drawn": tasks.count(),
        "sampled": sampled,
        "completion": round(sampled / plan.quota, 4) if plan.quota else None,
        "foods": quotas,
        "officers": officers,
    }


def rapid_stats(tests: QuerySet[RapidTest]) -> dict:
    """Rapid tests at a glance for a regulator: totals, and the positives by product, by business (the markets)
    and by ISO week."""
    positives = tests.filter(result=RapidResult.POSITIVE)
    by_week = Counter()
    for tested_at in positives.values_list("tested_at", flat=True).iterator():
        year, week, _day = timezone.localtime(tested_at).isocalendar()
        by_week[f"{year}-W{week:02d}"] += 1
    return {
        "tests": tests.count(),
        "positives": positives.count(),
        "awaiting_follow_up": positives.filter(follow_up="").count(),
        "by_product": list(
            positives.values("product_name").annotate(n=Count("id")).order_by("-n", "product_name")[:20]
        ),
        "by_operator": list(
            positives.values("operator_id", "operator__name")
            .annotate(n=Count("id"))
            .order_by("-n", "operator__name")[:20]
        ),
        "by_week": [{"week": week, "n": n} for week, n in sorted(by_week.items())],
    }
