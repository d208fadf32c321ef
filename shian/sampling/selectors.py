"""Reads of the sampling app that are more than a filter."""

from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone

from .choices import ResultStatus
from .limitbook import LimitBook
from .models import FoodCategory, Sample, TestResult
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


def public_samples(*, category: str = "", region: str = "", verdict: str = "") -> QuerySet[Sample]:
    """Published sampling results, newest first, for the public list: by food category code (any level),
    region code and final verdict."""
    samples = Sample.objects.filter(published_at__isnull=False).select_related("operator", "category", "region")
    if category:
        lineages = FoodCategory.objects.values_list("pk", "lineage")
        samples = samples.filter(category_id__in=[pk for pk, lineage in lineages if category in lineage])
    if region and region.isdigit():
        samples = samples.in_region(region)
    if verdict:
        samples = samples.filter(final_verdict=verdict)
    return samples.order_by("-sampled_at", "-id")
