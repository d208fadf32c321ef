from shian.registry.public_sections import Section, public_section

from .models import Sample


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
