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
