import datetime

from django.utils import timezone

from shian.registry.public_sections import Section, public_section

from .models import RapidTest, Sample


@public_section
def samples_section(operator) -> Section | None:
    """Published sampling results of the business (FSL art. 87 [V]): food, date, final verdict and, for a
    failure, the follow-up handling's state."""
    published = list(
        Sample.objects.filter(operator=operator, published_at__isnull=False)
        .select_related("category", "disposal")
        .order_by("-sampled_at")[:10]
    )
    if not published:
        return None
    return Section("sampling/public/section_samples.html", {"samples": published}, order=35)


@public_section
def rapid_tests_section(operator) -> Section | None:
    """The business's rapid tests of the last 30 days: how many, how many positive, the latest ones."""
    since = timezone.now() - datetime.timedelta(days=30)
    recent = RapidTest.objects.filter(operator=operator, tested_at__gte=since)
    total = recent.count()
    if not total:
        return None
    context = {"total": total, "positives": recent.positive().count(), "latest": list(recent[:10])}
    return Section("sampling/public/section_rapid.html", context, order=36)
